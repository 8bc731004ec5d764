// Fuzz target for the whole message path: MIME structure (header blocks, boundaries, nesting,
// message/rfc822 encapsulation), then every lazy decoding the engine runs on a scan (transfer
// decoding, charsets, HTML extraction, URL extraction and normalisation, uuencode, hashes), then the
// top-level header conveniences (addresses, date, subject, Received chain). It owns only the
// harness; the parser is include/vigie/message.h. Production limits are used on purpose: the fuzzer
// must find what a real scan would hit, not what a toy configuration would.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_support.h"
#include "vigie/message.h"

namespace {

using vigie::fuzz::consume;
using vigie::fuzz::require;

void consume_url(const vigie::Url& url) {
  consume(url.raw());
  consume(url.normalized());
  consume(url.host_ascii());
  consume(url.host_unicode());
  consume(url.registrable_domain());
  consume(url.anchor_text);
}

void touch_part(const vigie::ParsedMessage& message, const vigie::Part& part) {
  const auto count = message.parts().size();
  // The part graph is what every analyzer walks; a dangling id would be an out-of-range at()
  // (an exception, i.e. a crash of the scan) far from the parser that produced it.
  require(part.parent == vigie::kNoPart || part.parent < count, "Part::parent is a valid id");
  for (vigie::PartId child : part.children) {
    require(child < count, "Part::children are valid ids");
    require(message.part(child).parent == part.id, "a child's parent is the part listing it");
  }
  // Header views point into the message buffer (or a decoded nested message): read them all.
  consume(part.header_block);
  consume(part.body);
  for (const auto& field : part.headers) {
    consume(field.name);
    consume(field.value);
  }
  consume(part.filename);
  consume(part.boundary);
  for (const auto& parameter : part.content_type_parameters) consume(parameter.value);
  for (const auto& parameter : part.disposition_parameters) consume(parameter.value);

  consume(message.decoded(part.id));
  consume(message.text(part.id));
  consume(message.hashes(part.id).sha256);
  if (const vigie::HtmlContent* html = message.html(part.id)) {
    consume(html->visible_text);
    consume(html->title);
    for (const auto& link : html->links) consume_url(link);
    for (const auto& hidden : html->hidden) consume(hidden.text);
    for (const auto& form : html->forms) consume(form.action);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto bytes = std::make_shared<const std::string>(reinterpret_cast<const char*>(data), size);
  const vigie::Limits limits{};
  std::unique_ptr<vigie::ParsedMessage> message = vigie::ParsedMessage::parse(bytes, limits);
  require(message != nullptr, "ParsedMessage::parse never fails");
  // The caller's buffer is released before any lazy decoding: views must live on the message's
  // own shared copy, as the header promises, and ASan then catches any view into a dead buffer.
  bytes.reset();

  message->decode_all();

  const auto parts = message->parts();
  require(!parts.empty(), "a parsed message has a root part");
  require(parts.size() <= limits.max_parts, "at most max_parts parts");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    require(parts[i].id == i, "Part::id is its index in parts()");
    touch_part(*message, parts[i]);
  }
  for (vigie::PartId leaf : message->leaves()) require(leaf < parts.size(), "leaves are valid ids");

  const auto urls = message->urls();
  require(urls.size() <= limits.max_urls, "at most max_urls URLs");
  for (const auto& url : urls) consume_url(url);

  for (const auto& anomaly : message->anomalies()) {
    consume(anomaly.detail);
    consume(vigie::anomaly_name(anomaly.kind));
  }
  for (const auto& file : message->embedded_files()) {
    consume(file.filename);
    consume(file.hashes.sha256);
  }

  for (const auto& hop : message->received_chain()) {
    consume(hop.from_helo);
    consume(hop.from_ip);
    consume(hop.by);
  }
  for (const auto& mailbox : message->addresses("From").mailboxes) consume(mailbox.address());
  if (const auto date = message->date()) consume(static_cast<std::uint64_t>(date->unix_seconds));
  consume(message->subject());
  consume(message->message_id());
  // header_text runs RFC 2047 decoding on every root field, not just the few above.
  for (const auto& field : message->root().headers) consume(message->header_text(field));
  return 0;
}
