// Small, pure readings of URL text that the links analyzer needs and the URL parser does not
// give: the path and query of a normalised URL, query parameters, the host as written (to tell a
// dotted IPv4 from a decimal or hex one), the domain a link's visible text claims, IPFS shapes
// and a few scheme checks. No allocation unless a result must own text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigie::analyzers::links {

// Path of a normalised hierarchical URL ("/a/b"), empty when there is none.
std::string_view url_path(std::string_view normalized);
// Query without '?' and fragment, empty when there is none.
std::string_view url_query(std::string_view normalized);

// Calls f(name, value) for each name=value pair of a query (raw, still percent-encoded).
template <typename F>
void for_each_query_parameter(std::string_view query, F&& f) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query.remove_prefix(amp == std::string_view::npos ? query.size() : amp + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    f(pair.substr(0, eq), pair.substr(eq + 1));
  }
}

// Percent-decodes (and '+' → ' ' is NOT applied: URLs inside parameters keep their '+').
std::string percent_decode(std::string_view text);

// A parameter value that is itself a URL (after up to two rounds of percent-decoding): returns it
// when it starts with http://, https:// or //, nullopt otherwise.
std::optional<std::string> embedded_url(std::string_view value);

// True for parameter names that carry a redirect target (url, u, r, redirect, next, goto...).
bool is_redirect_parameter(std::string_view name);

// The host exactly as written in a raw URL (between "//" [userinfo@] and the port/path).
std::string_view raw_host(std::string_view raw);
// True when an IP host was written in a form other than a plain dotted quad (decimal, hex,
// octal, fewer than four parts): only done to hide the address.
bool is_obfuscated_ipv4(std::string_view raw_host_text);

// The domain a link's visible text shows, when the text is a URL or a bare domain
// ("https://www.bank.example/login", "www.bank.example", "bank.example"): lowercase host, empty
// when the text is anything else ("Click here", "report.pdf", a sentence).
std::string displayed_host(std::string_view anchor_text);

// IPFS content addressed through a gateway: "/ipfs/<cid>", "/ipns/<name>" paths or a
// "<cid>.ipfs.<gateway>" host.
bool looks_like_ipfs(std::string_view host, std::string_view path);

// A javascript: URL that does something beyond the harmless idioms (void(0), history.back()...);
// `strong` is set when it navigates or decodes hidden content (location, eval, atob...).
bool is_meaningful_javascript(std::string_view url, bool& strong);
// A data: URL whose media type a browser would render as a page or run (text/html, SVG,
// JavaScript, application/*), as opposed to an inline image.
bool is_active_data_url(std::string_view url);

}  // namespace vigie::analyzers::links
