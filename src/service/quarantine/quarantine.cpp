// The quarantine Maildir and its rows (see quarantine.h).
#include "service/quarantine/quarantine.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "service/serve/scan_record.h"
#include "vigie/message.h"

namespace vigie::service {
namespace {

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string errno_text(int error) { return std::strerror(error); }

// Closes on every path out.
struct FileDescriptor {
  int fd = -1;
  explicit FileDescriptor(int f) : fd(f) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// A rename or unlink is durable only once its directory is synced (rename(2), fsync(2)).
Result<void> sync_directory(const std::string& dir) {
  const FileDescriptor d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (d.fd < 0) return fail(Error::io("quarantine: cannot open " + dir + ": " + errno_text(errno)));
  if (::fsync(d.fd) != 0) return fail(Error::io("quarantine: cannot sync " + dir + ": " + errno_text(errno)));
  return {};
}

// Writes `bytes` to a new file `path` (never an existing one) and syncs it.
Result<void> write_synced(const std::string& path, std::string_view bytes) {
  FileDescriptor f(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (f.fd < 0) return fail(Error::io("quarantine: cannot create " + path + ": " + errno_text(errno)));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(f.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(Error::io("quarantine: cannot write " + path + ": " + errno_text(errno)));
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(f.fd) != 0) return fail(Error::io("quarantine: cannot sync " + path + ": " + errno_text(errno)));
  const int fd = f.fd;
  f.fd = -1;
  // close() can report a write error the file system deferred (NFS): it counts.
  if (::close(fd) != 0) return fail(Error::io("quarantine: cannot close " + path + ": " + errno_text(errno)));
  return {};
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::io("quarantine: cannot read " + path + ": " + errno_text(errno)));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail(Error::io("quarantine: cannot read " + path));
  return bytes;
}

Error bad_id(std::string_view id) {
  // The id is echoed only when it is printable and short: it came from a request.
  const bool printable = id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  return Error::invalid_argument("not a message id (16 lowercase hex digits): " +
                                 (printable ? "'" + std::string(id) + "'" : std::string("(unprintable)")));
}

}  // namespace

bool valid_message_id(std::string_view id) {
  return id.size() == 16 &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Quarantine::Quarantine(QuarantineOptions options, store::EventStore& rows)
    : options_(std::move(options)), rows_(rows) {}

Result<std::unique_ptr<Quarantine>> Quarantine::open(QuarantineOptions options, store::EventStore& rows) {
  if (options.maildir.empty()) return fail(Error::invalid_argument("quarantine: no maildir"));
  for (const char* sub : {"", "tmp", "new", "cur"}) {
    const std::string dir = sub[0] == '\0' ? options.maildir : options.maildir + "/" + sub;
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
      return fail(Error::io("quarantine: cannot create " + dir + ": " + errno_text(errno)));
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return fail(Error::io("quarantine: " + dir + " is not a folder"));
    }
    if (::access(dir.c_str(), W_OK | X_OK) != 0) {
      return fail(Error::io("quarantine: " + dir + " is not writable: " + errno_text(errno)));
    }
  }
  // A file left in tmp/ is a hold that never finished (a crash between write and rename): it was
  // never acknowledged, so the MTA kept the message and will offer it again.
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options.maildir + "/tmp", ec)) {
    if (valid_message_id(entry.path().filename().string())) std::filesystem::remove(entry.path(), ec);
  }
  return std::unique_ptr<Quarantine>(new Quarantine(std::move(options), rows));
}

Result<void> Quarantine::hold(const std::string& id, const std::string& raw, const ScanResult& result,
                              const Envelope& envelope) {
  if (failed_.load()) {
    hold_failures_.fetch_add(1);
    return fail(Error::io("quarantine failed earlier, holding nothing until vigie restarts: " + failure()));
  }
  bool sticky = false;
  Result<void> held = hold_unchecked(id, raw, result, envelope, sticky);
  if (held) {
    holds_.fetch_add(1);
    return held;
  }
  hold_failures_.fetch_add(1);
  if (sticky) {
    const std::lock_guard lock(failure_mutex_);
    if (failure_.empty()) failure_ = held.error().message;
    failed_.store(true);
  }
  return held;
}

std::string Quarantine::failure() const {
  const std::lock_guard lock(failure_mutex_);
  return failure_;
}

Result<void> Quarantine::hold_unchecked(const std::string& id, const std::string& raw, const ScanResult& result,
                                        const Envelope& envelope, bool& sticky) {
  if (!valid_message_id(id)) return fail(bad_id(id));
  // An id held before is the caller's mistake, not the disk's: checked first, not sticky.
  const Result<std::optional<store::HeldMessage>> existing = rows_.held(id);
  if (!existing) {
    sticky = true;
    return fail(existing.error());
  }
  if (*existing) return fail(Error::invalid_argument("quarantine: a message is already held under " + id));
  sticky = true;  // from here every failure is the disk's or the store's
  const std::string tmp = options_.maildir + "/tmp/" + id;
  const std::string final_dir = options_.maildir + "/new";
  const std::string final_path = final_dir + "/" + id;
  if (auto written = write_synced(tmp, raw); !written) {
    ::unlink(tmp.c_str());
    return written;
  }
  // RENAME_NOREPLACE: a file of that name (a row lost with its file kept) is never replaced.
  if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, final_path.c_str(), RENAME_NOREPLACE) != 0) {
    const int error = errno;
    ::unlink(tmp.c_str());
    sticky = error != EEXIST;
    return fail(Error::io("quarantine: cannot move " + tmp + " to " + final_path + ": " + errno_text(error)));
  }
  const auto undo_file = [&] {
    ::unlink(final_path.c_str());
    (void)sync_directory(final_dir);
  };
  if (auto synced = sync_directory(final_dir); !synced) {
    undo_file();
    return synced;
  }
  store::HeldMessage row;
  row.id = id;
  row.path = final_path;
  row.sha256 = sha256_hex(raw);
  row.size = raw.size();
  row.mail_from = envelope.mail_from;
  row.recipients = envelope.recipients;
  row.stored_at = now_seconds();
  for (std::size_t i = 0; i < result.verdict.reasons.size() && i < 5; ++i) row.reason.push_back(result.verdict.reasons[i]);
  row.findings_json = findings_json(event_findings(result)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  row.action = std::string(action_name(result.verdict.action));
  row.score = result.verdict.score;
  if (auto inserted = rows_.insert_held(row); !inserted) {
    undo_file();
    return inserted;
  }
  return {};
}

Result<std::vector<store::HeldMessage>> Quarantine::list(const store::HeldFilter& filter) const {
  return rows_.list_held(filter);
}

Result<std::optional<store::HeldMessage>> Quarantine::show(const std::string& id) const {
  if (!valid_message_id(id)) return fail(bad_id(id));
  return rows_.held(id);
}

Result<std::string> Quarantine::raw(const std::string& id) const {
  const Result<std::optional<store::HeldMessage>> row = show(id);
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::invalid_argument("no quarantined message " + id));
  const store::HeldMessage& m = **row;
  if (m.state == store::HeldState::kDeleted) return fail(Error::invalid_argument("quarantined message " + id + " was deleted"));
  Result<std::string> bytes = read_file(m.path);
  if (!bytes) return bytes;
  if (sha256_hex(*bytes) != m.sha256) {
    return fail(Error::io("quarantine: " + m.path + " no longer matches the SHA-256 it was stored with"));
  }
  return bytes;
}

Result<void> Quarantine::release(const std::string& id, const std::string& by) {
  const std::lock_guard lock(admin_mutex_);
  const auto failed = [&](Error e) -> Result<void> {
    release_failures_.fetch_add(1);
    (void)rows_.set_release_error(id, e.message);
    return fail(std::move(e));
  };
  const Result<std::optional<store::HeldMessage>> row = show(id);
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::invalid_argument("no quarantined message " + id));
  const store::HeldMessage& m = **row;
  if (m.state != store::HeldState::kHeld) {
    return fail(Error::invalid_argument("quarantined message " + id + " is " + std::string(store::held_state_name(m.state)) +
                                        ", not held"));
  }
  const Result<std::string> bytes = raw(id);
  if (!bytes) return failed(bytes.error());
  if (auto sent = smtp_send(options_.release, m.mail_from, m.recipients, *bytes); !sent) return failed(sent.error());
  // Delivered: from here a failure must not read as "still held, release again".
  if (auto marked = rows_.set_held_state(id, store::HeldState::kReleased, now_seconds(), by); !marked) {
    release_failures_.fetch_add(1);
    return fail(Error::io("released (the relay accepted it) but not marked released: " + marked.error().message));
  }
  releases_.fetch_add(1);
  return {};
}

Result<void> Quarantine::delete_locked(const store::HeldMessage& m, const std::string& by) {
  if (::unlink(m.path.c_str()) != 0 && errno != ENOENT) {
    return fail(Error::io("quarantine: cannot remove " + m.path + ": " + errno_text(errno)));
  }
  (void)sync_directory(std::filesystem::path(m.path).parent_path().string());
  if (auto marked = rows_.set_held_state(m.id, store::HeldState::kDeleted, now_seconds(), by); !marked) return marked;
  deletes_.fetch_add(1);
  return {};
}

Result<void> Quarantine::remove(const std::string& id, const std::string& by) {
  const std::lock_guard lock(admin_mutex_);
  const Result<std::optional<store::HeldMessage>> row = show(id);
  if (!row) return fail(row.error());
  if (!*row) return fail(Error::invalid_argument("no quarantined message " + id));
  if ((*row)->state == store::HeldState::kDeleted) {
    return fail(Error::invalid_argument("quarantined message " + id + " was already deleted"));
  }
  return delete_locked(**row, by);
}

Result<std::size_t> Quarantine::expire() {
  if (options_.retention_days == 0) return std::size_t{0};
  const std::lock_guard lock(admin_mutex_);
  const std::int64_t cutoff = now_seconds() - std::int64_t{86400} * options_.retention_days;
  std::size_t deleted = 0;
  for (;;) {
    const Result<std::vector<store::HeldMessage>> batch = rows_.held_before(cutoff, 100);
    if (!batch) return fail(batch.error());
    for (const store::HeldMessage& m : *batch) {
      if (auto r = delete_locked(m, "retention"); !r) return fail(r.error());
      ++deleted;
    }
    if (batch->size() < 100) return deleted;
  }
}

Quarantine::Stats Quarantine::stats() const {
  Stats s;
  if (const Result<std::uint64_t> held = rows_.count_held(); held) s.held_now = *held;
  s.holds = holds_.load();
  s.hold_failures = hold_failures_.load();
  s.releases = releases_.load();
  s.release_failures = release_failures_.load();
  s.deletes = deletes_.load();
  return s;
}

}  // namespace vigie::service
