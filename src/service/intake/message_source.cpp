// Directory walk, Maildir layout, mbox splitting.
#include "service/intake/message_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <system_error>
#include <utility>

#include <sys/stat.h>

#include "parse/mbox/mbox_splitter.h"

namespace vigie::service {
namespace fs = std::filesystem;
namespace {

bool is_maildir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "cur", ec) && fs::is_directory(dir / "new", ec);
}

// What the walk has already taken, by file identity rather than by path: through symbolic links
// (a link back to a parent directory, two links to one folder) or hard links the same directory
// or file can be reached under many names, and each is read once, under the first name met in
// the sorted walk.
class Visited {
 public:
  // False when the file or directory was already taken.
  bool take(const struct stat& status) { return seen_.insert({status.st_dev, status.st_ino}).second; }

 private:
  std::set<std::pair<dev_t, ino_t>> seen_;
};

// The status of what `path` names, links followed; nullopt when it cannot be read (a dangling link).
std::optional<struct stat> status_of(const fs::path& path, std::string* error = nullptr) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    if (error) *error = std::strerror(errno);
    return std::nullopt;
  }
  return status;
}

InputFile input_file(const fs::path& path, const struct stat& status) {
  InputFile file{path.string()};
  if (S_ISREG(status.st_mode)) file.size = static_cast<std::uint64_t>(status.st_size);
  return file;
}

void walk(const fs::path& dir, Visited& visited, std::vector<InputFile>& out,
          std::vector<std::string>& errors, int depth) {
  // Links cannot make a loop (a directory is entered once); this bounds trees that are truly deep.
  constexpr int kMaxDepth = 64;
  if (depth > kMaxDepth) {
    errors.push_back(dir.string() + ": directory nesting deeper than 64, not followed");
    return;
  }
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) {
    errors.push_back(dir.string() + ": " + ec.message());
    return;
  }
  const bool maildir = is_maildir(dir);
  std::vector<fs::directory_entry> entries;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      errors.push_back(dir.string() + ": " + ec.message());
      break;
    }
    entries.push_back(*it);
  }
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const fs::directory_entry& entry : entries) {
    const std::string name = entry.path().filename().string();
    const std::optional<struct stat> status = status_of(entry.path());
    if (!status) continue;  // a dangling link names nothing to read
    if (S_ISDIR(status->st_mode)) {
      // In a Maildir, tmp/ holds messages still being written; Maildir++ subfolders start with '.'.
      if (maildir && name == "tmp") continue;
      if (visited.take(*status)) walk(entry.path(), visited, out, errors, depth + 1);
    } else if (S_ISREG(status->st_mode)) {
      // Maildir top-level files (dovecot indexes, subscriptions) are not messages.
      if (maildir) continue;
      if (visited.take(*status)) out.push_back(input_file(entry.path(), *status));
    }
  }
}

// Reads an mbox in chunks and splits it; the first chunk (`head`) was read already.
void split_mbox(std::istream& in, std::string_view head, const std::string& path, std::uint64_t max_bytes,
                const MessageCallback& on_message) {
  parse::MboxSplitter splitter(max_bytes, [&](parse::MboxMessage&& m) {
    InputMessage message{path + ":" + std::to_string(m.index),
                         std::make_shared<const std::string>(std::move(m.bytes)), m.index};
    message.mbox_offset = m.offset;
    message.mbox_separator = std::move(m.separator);
    message.size = m.size;
    on_message(std::move(message));
  });
  splitter.feed(head);
  std::string chunk(1 << 20, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    splitter.feed(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
  }
  splitter.finish();
}

}  // namespace

std::vector<InputFile> collect_inputs(const std::vector<std::string>& paths,
                                      std::vector<std::string>& errors) {
  std::vector<InputFile> out;
  Visited visited;
  for (const std::string& p : paths) {
    if (p == "-") {
      out.push_back(InputFile{p});
      continue;
    }
    std::string error;
    const std::optional<struct stat> status = status_of(p, &error);
    if (!status) {
      errors.push_back(p + ": " + error);
    } else if (!visited.take(*status)) {
      continue;  // named twice, or inside a directory already named
    } else if (S_ISDIR(status->st_mode)) {
      walk(p, visited, out, errors, 0);
    } else {
      out.push_back(input_file(p, *status));
    }
  }
  return out;
}

Result<std::size_t> read_messages(const InputFile& input, std::uint64_t max_message_bytes,
                                  const MessageCallback& on_message) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (input.path != "-") {
    file.open(input.path, std::ios::binary);
    if (!file) return fail(Error::io(input.path + ": " + std::strerror(errno)));
    in = &file;
  }
  char head[5] = {};
  in->read(head, sizeof head);
  const std::streamsize got = in->gcount();
  const bool mbox = got == 5 && std::memcmp(head, "From ", 5) == 0;
  if (mbox) {
    std::size_t count = 0;
    split_mbox(*in, std::string_view(head, sizeof head), input.path, max_message_bytes, [&](InputMessage&& m) {
      ++count;
      on_message(std::move(m));
    });
    if (in->bad()) return fail(Error::io(input.path + ": read error"));
    return count;
  }
  // A single message: read at most max_message_bytes + 1 bytes. A regular file's known size is
  // read in one go (one byte more, to see the end); chunks of 64 KiB, each zeroed before it is
  // read, cost more than the reading for the small files most messages are.
  auto bytes = std::make_shared<std::string>(head, static_cast<std::size_t>(got));
  constexpr std::size_t kChunk = 1 << 16;
  std::uint64_t chunk = kChunk;
  if (input.size && *input.size >= bytes->size()) chunk = *input.size - bytes->size() + 1;
  while (*in && bytes->size() <= max_message_bytes) {
    const std::size_t want = std::min<std::uint64_t>(chunk, max_message_bytes + 1 - bytes->size());
    chunk = kChunk;
    const std::size_t old = bytes->size();
    bytes->resize(old + want);
    in->read(bytes->data() + old, static_cast<std::streamsize>(want));
    bytes->resize(old + static_cast<std::size_t>(in->gcount()));
  }
  if (in->bad()) return fail(Error::io(input.path + ": read error"));
  InputMessage message{input.path, std::move(bytes), 0};
  // Cut at the limit: its whole size is the file's, as collected (unknown for stdin).
  message.size = message.bytes->size() > max_message_bytes
                     ? std::max<std::uint64_t>(input.size.value_or(0), message.bytes->size())
                     : message.bytes->size();
  on_message(std::move(message));
  return std::size_t{1};
}

}  // namespace vigie::service
