// Fuzz target for the mbox splitter (src/parse/mbox/mbox_splitter.h) and separator_time. Byte 0
// picks the chunk size the file is fed in and byte 1 the message size limit; the rest is the mbox.
// The same bytes are also split in one go: the messages must not depend on where the chunks end,
// and must keep the documented bounds. It owns only the harness.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "parse/mbox/mbox_splitter.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
using vigie::parse::MboxMessage;
using vigie::parse::MboxSplitter;

namespace {

std::vector<MboxMessage> split(std::string_view mbox, std::size_t chunk, std::uint64_t max) {
  std::vector<MboxMessage> out;
  MboxSplitter splitter(max, [&](MboxMessage&& m) { out.push_back(std::move(m)); });
  for (std::size_t at = 0; at < mbox.size(); at += chunk) splitter.feed(mbox.substr(at, chunk));
  splitter.finish();
  require(splitter.messages() == out.size(), "messages() counts the deliveries");
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t chunk = 1 + data[0] % 17;
  const std::uint64_t max = data[1] < 128 ? data[1] : 1u << 20;
  const std::string_view mbox(reinterpret_cast<const char*>(data + 2), size - 2);

  const std::vector<MboxMessage> whole = split(mbox, mbox.size() + 1, max);
  const std::vector<MboxMessage> pieces = split(mbox, chunk, max);
  require(whole.size() == pieces.size(), "chunking does not change the number of messages");
  std::uint64_t previous_offset = 0;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    const MboxMessage& m = whole[i];
    require(m.bytes == pieces[i].bytes && m.offset == pieces[i].offset && m.separator == pieces[i].separator &&
                m.size == pieces[i].size,
            "chunking does not change a message");
    require(m.index == i + 1, "messages are numbered from 1 in order");
    require(m.bytes.size() <= max + 1, "a message is kept up to the limit plus one byte");
    require(m.size >= m.bytes.size(), "size counts every byte, kept or not");
    require(m.separator.size() <= MboxSplitter::kMaxSeparatorBytes, "the separator is bounded");
    require(i == 0 || m.offset > previous_offset, "offsets increase");
    require(m.offset <= mbox.size(), "offsets are inside the file");
    previous_offset = m.offset;
    total += m.size + m.separator.size();
    consume(m.bytes);
    if (const auto time = vigie::parse::separator_time(m.separator)) consume(static_cast<std::uint64_t>(*time));
  }
  // Unescaping and dropped separators only ever remove bytes.
  require(total <= mbox.size(), "the messages hold no more than the file");
  consume(static_cast<std::uint64_t>(vigie::parse::separator_time(mbox).value_or(0)));
  return 0;
}
