// Fuzz target for URL handling (src/parse/url/url.h): normalisation (IDNA through ICU UTS #46,
// percent-decoding, the numeric IPv4 forms browsers accept, IPv6 literals, userinfo, ports) and the
// plain-text linkifier, then the public-suffix lookup on whatever host comes out. The input is used
// whole as one raw URL and as a text to scan: most interesting URL bugs need both the scanner's
// trimming and the normaliser's host parsing. It owns only the harness.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "parse/url/url.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

namespace {

void check_url(std::string_view raw) {
  const vigie::Url url = vigie::parse::normalize_url(raw, vigie::UrlSource::kText);
  consume(url.raw());
  consume(url.normalized());
  consume(url.scheme());
  consume(url.host_unicode());
  consume(url.userinfo());
  require(url.port >= -1 && url.port <= 65535, "Url::port is -1 or a TCP port");
  consume(url.host_ascii());
  // The lookup documents ASCII lowercase input; host_ascii is the field that promises that form.
  consume(vigie::parse::registrable_domain(url.host_ascii()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_url(input);

  constexpr std::size_t kMaxUrls = 1000;
  const std::vector<std::string_view> found = vigie::parse::find_urls_in_text(input, kMaxUrls);
  require(found.size() <= kMaxUrls, "find_urls_in_text returns at most max_urls");
  for (const std::string_view raw : found) check_url(raw);
  return 0;
}
