// Formats Authentication-Results (RFC 8601 §2.2). Registered methods and properties used:
// spf (smtp.mailfrom, smtp.helo), dkim (header.d, header.i, header.s, header.a, header.b),
// dmarc (header.from, RFC 7489 §11.2), arc (header.oldest-pass, RFC 8617 §10.1).
#include "auth/stage/authentication_results.h"

namespace vigie::auth {
namespace {

// RFC 2045 token characters: anything printable but space and tspecials.
bool is_token(std::string_view value) {
  if (value.empty()) return false;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    if (std::string_view("()<>@,;:\\\"/[]?=").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\r' || c == '\n') continue;  // a header value never carries a line break
    out += c;
  }
  return out + "\"";
}

// pvalue (§2.2): a token, an [local-part@]domain, or a quoted string.
std::string pvalue(std::string_view value) {
  const std::size_t at = value.rfind('@');
  const std::string_view domain = at == std::string_view::npos ? value : value.substr(at + 1);
  const std::string_view local = at == std::string_view::npos ? "" : value.substr(0, at);
  if (is_token(domain) && (at == std::string_view::npos || local.empty() || is_token(local))) {
    return std::string(value);
  }
  return quoted(value);
}

void add_method(std::string& out, std::string_view method, std::string_view result,
                std::string_view reason) {
  out += "; ";  // one line: whoever adds the header folds it
  out += method;
  out += '=';
  out += result;
  if (!reason.empty()) out += " reason=" + quoted(reason);
}

void add_property(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out += ' ';
  out += name;
  out += '=';
  out += pvalue(value);
}

}  // namespace

std::string authentication_results_header(std::string_view authserv_id, const AuthResults& r) {
  std::string out(authserv_id);
  const std::size_t bare = out.size();
  if (!r.spf.domain.empty()) {
    add_method(out, "spf", to_string(r.spf.result),
               r.spf.result == AuthResultCode::kPass ? "" : r.spf.reason);
    add_property(out, r.spf.identity == "helo" ? "smtp.helo" : "smtp.mailfrom", r.spf.domain);
  }
  for (const DkimAuthResult& d : r.dkim) {
    add_method(out, "dkim", to_string(d.result), d.result == AuthResultCode::kPass ? "" : d.reason);
    add_property(out, "header.d", d.domain);
    add_property(out, "header.i", d.identity);
    add_property(out, "header.s", d.selector);
    add_property(out, "header.a", d.algorithm);
    add_property(out, "header.b", d.header_b);
  }
  if (r.arc.result != ArcChainStatus::kNone) {
    add_method(out, "arc", to_string(r.arc.result),
               r.arc.result == ArcChainStatus::kPass ? "" : r.arc.reason);
    // RFC 8617 §10.1: worth writing only when an older AMS no longer verifies (oldest_pass > 1).
    if (r.arc.result == ArcChainStatus::kPass && r.arc.oldest_pass > 1) {
      add_property(out, "header.oldest-pass", std::to_string(r.arc.oldest_pass));
    }
  }
  if (!r.dmarc.from_domain.empty()) {
    add_method(out, "dmarc", to_string(r.dmarc.result), "");
    if (r.dmarc.policy) {
      // RFC 7489 §11.2 defines no property for the policy; receivers conventionally comment it.
      out += " (p=";
      out += to_string(*r.dmarc.policy);
      out += " dis=";
      out += to_string(r.dmarc.disposition);
      out += ")";
    }
    add_property(out, "header.from", r.dmarc.from_domain);
  }
  if (out.size() == bare) out += "; none";
  return out;
}

}  // namespace vigie::auth
