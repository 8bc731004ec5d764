// Fuzz target for calendar reading (src/parse/calendar/calendar.h): the bounded, unfolding feeder
// in front of libical, libical's parser itself (Debian's build, not instrumented: a memory error
// inside it shows only as a crash), and what is read from its tree (parties, links through
// normalize_url and the HTML reader, base64 inline files). Each input is read twice, with the
// default limits and with small ones, so that stopping at every max_calendar_* limit (and the
// components libical then closes) is exercised as often as reading to the end. It also runs the
// content-type signature check the object tree uses to find unnamed calendars. It owns only the
// harness.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "objects/content_type.h"
#include "parse/calendar/calendar.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

namespace {

void read_with(std::string_view text, const vigie::Limits& limits) {
  const vigie::CalendarContent calendar = vigie::parse::read_calendar(text, limits);
  require(calendar.components <= limits.max_calendar_components, "at most max_calendar_components");
  require(calendar.properties <= limits.max_calendar_properties, "at most max_calendar_properties");
  require(calendar.links.size() <= limits.max_urls, "at most max_urls links");
  require(calendar.errors.size() <= 9, "at most 8 errors and a count of the others");
  require(calendar.found == (calendar.components > 0), "found means a component was read");
  if (calendar.limit) {
    require(calendar.limit->observed > calendar.limit->allowed, "a crossing observed more than allowed");
  }
  consume(calendar.method);
  for (const auto& party : calendar.parties) {
    consume(party.address);
    consume(party.common_name);
    consume(party.sent_by);
  }
  for (const auto& link : calendar.links) {
    consume(link.raw());
    consume(link.normalized());
    consume(link.host_unicode());
    consume(link.anchor_text);
  }
  for (const auto& file : calendar.files) {
    consume(file.filename);
    consume(file.declared_type);
    require(file.content != nullptr, "an inline file has content");
    require(file.content->size() <= limits.max_part_decoded_bytes, "inline files within max_part_decoded_bytes");
    consume(*file.content);
  }
  for (const auto& error : calendar.errors) consume(error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  consume(vigie::objects::detect_type(text));
  read_with(text, vigie::Limits{});
  vigie::Limits small;
  small.max_calendar_bytes = 512;
  small.max_calendar_components = 4;
  small.max_calendar_properties = 16;
  small.max_calendar_depth = 3;
  small.max_urls = 8;
  small.max_part_decoded_bytes = 64;
  read_with(text, small);
  return 0;
}
