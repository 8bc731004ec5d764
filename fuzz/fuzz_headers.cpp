// Fuzz target for the header field grammars (src/parse/headers/header_grammar.h): unfolding, MIME
// parameters with RFC 2231 continuations and charsets, address lists with groups, comments, quoted
// strings and encoded-words, dates in every obsolete form, message ids and Received clauses.
// Every grammar gets the whole input: real field values mix these languages (a Received field
// carries a date and addresses, a display name carries encoded-words), so one seed feeds them all.
// It owns only the harness.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "parse/headers/header_grammar.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value(reinterpret_cast<const char*>(data), size);

  consume(vigie::parse::unfold(value));

  const vigie::parse::MediaParameters media = vigie::parse::parse_media_parameters(value);
  consume(media.value);
  for (const auto& parameter : media.parameters) {
    consume(parameter.name);
    consume(parameter.value);
    // find() is what the MIME parser calls on every lookup; it must find what it returned.
    require(media.find(parameter.name) != nullptr, "MediaParameters::find finds its own names");
  }

  const vigie::AddressList addresses = vigie::parse::parse_address_list(value);
  for (const auto& mailbox : addresses.mailboxes) {
    consume(mailbox.display_name);
    consume(mailbox.address());
    consume(mailbox.group);
  }

  if (const auto date = vigie::parse::parse_date(value)) {
    consume(static_cast<std::uint64_t>(date->unix_seconds));
    // RFC 5322 zones are at most +-99:99; anything larger means the parser read garbage as a zone.
    require(date->utc_offset_minutes >= -(99 * 60 + 99) && date->utc_offset_minutes <= 99 * 60 + 99,
            "DateTime::utc_offset_minutes within a four-digit zone");
  }

  for (const std::string& id : vigie::parse::parse_message_ids(value)) consume(id);

  const vigie::ReceivedHop hop = vigie::parse::parse_received(value);
  consume(hop.from_helo);
  consume(hop.from_rdns);
  consume(hop.from_ip);
  consume(hop.by);
  consume(hop.with);
  consume(hop.id);
  consume(hop.for_address);
  return 0;
}
