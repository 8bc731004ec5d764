// Fuzz target for the TNEF reader (src/objects/tnef/tnef.h): attributes, MAPI property lists
// (named properties, multi-valued and variable-size values, padding), attachments as views into
// the input, and the UTF-16 strings it converts. Each input is read with the default attribute
// bound and a small one. The remote-path check the analyzers apply to the reminder path runs on
// what was read. It owns only the harness.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "objects/remote_path.h"
#include "objects/tnef/tnef.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

namespace {

void read_with(std::string_view bytes, std::uint32_t max_attributes) {
  const vigie::objects::tnef::Content c = vigie::objects::tnef::read(bytes, max_attributes);
  require(c.attributes <= max_attributes, "at most max_attributes read");
  require(c.errors.size() <= 4, "at most 4 errors kept");
  consume(c.message_class);
  for (const auto& a : c.attachments) {
    consume(a.filename);
    consume(a.mime_type);
    require(a.data.empty() || (a.data.data() >= bytes.data() && a.data.data() + a.data.size() <= bytes.data() + bytes.size()),
            "attachment data is a view into the input");
    consume(a.data);
  }
  if (c.reminder_file) {
    consume(*c.reminder_file);
    if (const auto remote = vigie::objects::remote_path(*c.reminder_file)) consume(remote->host);
  }
  for (const auto& e : c.errors) consume(e);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  consume(static_cast<std::uint64_t>(vigie::objects::tnef::looks_like_tnef(bytes)));
  read_with(bytes, 4096);
  read_with(bytes, 8);
  return 0;
}
