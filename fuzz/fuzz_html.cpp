// Fuzz target for the HTML extractor (src/parse/html/html_extract.h): vigie's HTML5 tokenizer and
// tree builder on hostile markup, with what they feed (inline-style inheritance, visibility,
// entity-decoded attributes, srcset/meta-refresh/CSS url() splitting, forms), and the <meta>
// charset prescan (html_charset.h) that runs before them on parts without a MIME charset. Every
// extracted link is also run through normalize_url, as ParsedMessage does, because attribute
// values are the most hostile URL inputs there are. It owns only the harness.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "parse/html/html_charset.h"
#include "parse/html/html_extract.h"
#include "parse/url/url.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  const std::string charset = vigie::parse::html::prescan_meta_charset(html);
  require(charset.size() < vigie::parse::html::kMetaPrescanBytes, "a label shorter than the prescan window");
  consume(charset);
  const vigie::Limits limits{};
  const vigie::HtmlContent content = vigie::parse::extract_html(html, limits);

  consume(content.visible_text);
  consume(content.title);
  consume(content.script_count + content.event_handler_count);
  require(content.links.size() <= limits.max_urls, "at most max_urls links");
  for (const auto& link : content.links) {
    consume(link.raw());
    consume(link.anchor_text);
    const vigie::Url url = vigie::parse::normalize_url(link.raw(), link.source);
    consume(url.normalized());
    consume(url.host_unicode());
  }
  for (const auto& form : content.forms) {
    consume(form.action);
    consume(form.method);
  }
  for (const auto& hidden : content.hidden) {
    consume(hidden.reason);
    consume(hidden.text);
  }
  return 0;
}
