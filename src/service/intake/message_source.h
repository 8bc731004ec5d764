// Intake for archives: turns command-line paths into messages. Owns the walk of directories
// (recursive; Maildir folders read through cur/ and new/ only, tmp/ skipped as it holds messages
// still being delivered; symbolic links followed, but every file and directory taken once, by
// identity, so links can neither loop nor scan a file twice), mbox files (split by
// parse/mbox/mbox_splitter.h, read in chunks) and stdin ("-").
// Messages are read one at a time so an archive of any size is scanned in bounded memory; a
// message over max_message_bytes is kept up to the limit (plus one byte, so the parser records it
// as too large) and the rest skipped, never silently dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vigie/result.h"

namespace vigie::service {

struct InputFile {
  std::string path;  // "-" for standard input
  std::optional<std::uint64_t> size{};  // bytes of a regular file when collected; unknown for stdin
};

struct InputMessage {
  std::string label;  // path, or path:N for the N-th message (1-based) of an mbox
  std::shared_ptr<const std::string> bytes;
  std::size_t mbox_position = 0;  // N for the N-th message of an mbox; 0 for a one-message file
  std::uint64_t mbox_offset = 0;   // byte offset of its "From " line in the mbox; 0 for a file
  std::string mbox_separator{};    // that "From " line (it carries the delivery date); empty for a file
  // Its whole size as read: more than bytes->size() when it was over max_message_bytes and cut.
  // Unknown (bytes->size()) for a single message read from stdin.
  std::uint64_t size = 0;
  bool cut() const { return size > bytes->size(); }
};

// Expands paths into the files to read, in a stable (sorted) order. A file or directory reached
// again (named twice, through a symbolic or hard link, or by a link loop) is skipped. Paths that
// cannot be read are reported in `errors` as "path: reason" and skipped.
std::vector<InputFile> collect_inputs(const std::vector<std::string>& paths,
                                      std::vector<std::string>& errors);

using MessageCallback = std::function<void(InputMessage&&)>;

// Reads every message of one input (a single message, or an mbox when the file starts with
// "From "), calling `on_message` for each, in order. Fails only on I/O errors.
Result<std::size_t> read_messages(const InputFile& input, std::uint64_t max_message_bytes,
                                  const MessageCallback& on_message);

}  // namespace vigie::service
