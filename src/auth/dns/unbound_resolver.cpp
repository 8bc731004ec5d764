// Live DNS on libunbound (see unbound_resolver.h for the design and why libunbound). This file owns
// the libunbound context, the event thread that completes queries, and the rule that decides who
// frees a query's state when its deadline and its answer race.
//
// Ownership of a query. Each attempt is a Query held by a shared_ptr in Impl::in_flight (keyed by its
// address, which is also libunbound's callback argument) and by the waiting worker. Exactly one
// party removes it from in_flight: the completion callback when libunbound delivers the answer, or
// the worker after ub_cancel() succeeded (libunbound then never calls back). Thus the raw pointer
// the callback receives always points into the map, and nothing leaks when the worker gives up.
#include "auth/dns/unbound_resolver.h"

#include <fcntl.h>
#include <poll.h>
#include <unbound.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/ip_address.h"
#include "auth/dns/rdata.h"

namespace vigie::auth::dns {
namespace {

constexpr int kClassIn = 1;
constexpr int kRcodeServfail = 2;
constexpr int kRcodeNxdomain = 3;

struct ResultFree {
  void operator()(ub_result* result) const { ub_resolve_free(result); }
};
using ResultPtr = std::unique_ptr<ub_result, ResultFree>;

std::string rcode_name(int rcode) {
  switch (rcode) {
    case 1: return "FORMERR";
    case 2: return "SERVFAIL";
    case 4: return "NOTIMP";
    case 5: return "REFUSED";
    default: return "RCODE " + std::to_string(rcode);
  }
}

// The name as libunbound should receive it: without the trailing dot, lowercase, and only when it
// can be queried at all (RFC 1035 §2.3.4: labels of 1–63 bytes, 255 bytes in wire form; an escape
// "\X" or "\DDD" counts as one byte). A NUL would cut the C string short and query another name.
std::optional<std::string> query_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return std::nullopt;
  std::size_t wire = 1;  // root label
  std::size_t label = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '\0') return std::nullopt;
    if (c == '.') {
      if (label == 0) return std::nullopt;
      wire += label + 1;
      label = 0;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= name.size()) return std::nullopt;
      if (name[i + 1] >= '0' && name[i + 1] <= '9') {
        if (name.size() - i < 4) return std::nullopt;
        int value = 0;
        for (std::size_t k = 1; k <= 3; ++k) {
          const char d = name[i + k];
          if (d < '0' || d > '9') return std::nullopt;
          value = value * 10 + (d - '0');
        }
        if (value > 255) return std::nullopt;
        i += 3;
      } else {
        ++i;
      }
    }
    ++label;
    if (label > 63) return std::nullopt;
  }
  if (label == 0) return std::nullopt;
  wire += label + 1;
  if (wire > 255) return std::nullopt;
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

struct Query {
  UnboundResolver::Impl* owner = nullptr;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  int error = 0;          // libunbound error code from the callback, or our own failure below
  std::string failure;    // set when the event thread stopped before the answer came
  ResultPtr result;
};

// One attempt's outcome; retryable for a timeout or SERVFAIL.
struct Attempt {
  DnsAnswer answer;
  bool retryable = false;
};

void on_answer(void* data, int error, ub_result* result);

}  // namespace

struct UnboundResolver::Impl {
  UnboundOptions options;
  ub_ctx* ctx = nullptr;
  int wake_read = -1;
  int wake_write = -1;
  std::thread events;

  std::mutex mutex;  // guards in_flight and broken
  std::unordered_map<Query*, std::shared_ptr<Query>> in_flight;
  std::string broken;  // why the event thread stopped; lookups then fail at once

  ~Impl() {
    if (events.joinable()) {
      const char byte = 'q';
      // A full pipe still wakes the thread; nothing else can be done about a failed write.
      while (::write(wake_write, &byte, 1) < 0 && errno == EINTR) {
      }
      events.join();
    }
    // After the event thread: no callback can run any more. Deleting the context stops libunbound's
    // own thread and frees the queries it still holds (cancelled or abandoned).
    if (ctx != nullptr) ub_ctx_delete(ctx);
    if (wake_read >= 0) ::close(wake_read);
    if (wake_write >= 0) ::close(wake_write);
    in_flight.clear();
  }

  std::shared_ptr<Query> release(Query* raw) {
    std::lock_guard lock(mutex);
    const auto found = in_flight.find(raw);
    if (found == in_flight.end()) return nullptr;
    std::shared_ptr<Query> query = std::move(found->second);
    in_flight.erase(found);
    return query;
  }

  // Ends every waiting lookup with `why`; used when the event loop cannot go on.
  void fail_all(const std::string& why) {
    std::unordered_map<Query*, std::shared_ptr<Query>> orphans;
    {
      std::lock_guard lock(mutex);
      broken = why;
      orphans.swap(in_flight);
    }
    for (auto& [raw, query] : orphans) {
      {
        std::lock_guard lock(query->mutex);
        query->failure = why;
        query->done = true;
      }
      query->done_cv.notify_one();
    }
  }

  void run_events() {
    pollfd fds[2] = {{ub_fd(ctx), POLLIN, 0}, {wake_read, POLLIN, 0}};
    while (true) {
      const int ready = ::poll(fds, 2, -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        return fail_all(std::string("resolver event loop: poll: ") + std::strerror(errno));
      }
      if (fds[1].revents != 0) return;
      if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
        const int rc = ub_process(ctx);
        if (rc != 0) return fail_all(std::string("resolver event loop: ") + ub_strerror(rc));
      }
    }
  }

  Attempt resolve_once(const std::string& name, RecordType type, Deadline deadline) {
    Attempt failed;
    const std::shared_ptr<Query> query = submit_and_wait(name, type_code(type), deadline, failed);
    if (!query) return failed;
    return interpret(*query, name, type);
  }

  // Sends one query of `qtype` and waits for its answer until `deadline`. Null, with `failed`
  // set, when there is no answer to read (timeout, the query could not be sent).
  std::shared_ptr<Query> submit_and_wait(const std::string& name, int qtype, Deadline deadline,
                                         Attempt& failed) {
    auto query = std::make_shared<Query>();
    query->owner = this;
    {
      std::lock_guard lock(mutex);
      if (!broken.empty()) {
        failed = {DnsAnswer::temp_error(broken), false};
        return nullptr;
      }
      in_flight.emplace(query.get(), query);
    }
    int id = 0;
    const int rc =
        ub_resolve_async(ctx, name.c_str(), qtype, kClassIn, query.get(), &on_answer, &id);
    if (rc != 0) {
      // libunbound did not keep the query, so it will not call back.
      release(query.get());
      failed = {DnsAnswer::temp_error(std::string("resolver: ") + ub_strerror(rc)), false};
      return nullptr;
    }
    std::unique_lock lock(query->mutex);
    if (!query->done_cv.wait_until(lock, deadline, [&] { return query->done; })) {
      lock.unlock();
      if (ub_cancel(ctx, id) == 0) {
        release(query.get());
        failed = {DnsAnswer::timeout(), true};
        return nullptr;
      }
      // The answer won the race: libunbound took it for delivery before the cancel. The callback
      // has run or will run (and frees the state); use the answer if it is already here.
      lock.lock();
      if (!query->done) {
        failed = {DnsAnswer::timeout(), true};
        return nullptr;
      }
    }
    return query;
  }

  // The root zone's NS records (RFC 1035 §3.3.11; type 2): a name every working resolver knows,
  // usually from its cache.
  HealthReport check_health(Deadline deadline) {
    constexpr int kTypeNs = 2;
    Attempt failed;
    const std::shared_ptr<Query> query = submit_and_wait(".", kTypeNs, deadline, failed);
    auto report = [](DnsHealth health, std::string detail) {
      return HealthReport{health, "the lookup of the root zone's name servers (. NS) " + detail};
    };
    if (!query) return report(DnsHealth::kUnreachable, "failed: " + failed.answer.detail);
    if (!query->failure.empty()) {
      return report(DnsHealth::kUnreachable, "failed: " + query->failure);
    }
    if (query->error != 0 || query->result == nullptr) {
      return report(DnsHealth::kUnreachable,
                    std::string("failed: resolver: ") + ub_strerror(query->error));
    }
    const ub_result& result = *query->result;
    if (result.bogus) return report(DnsHealth::kUnreachable, "failed DNSSEC validation");
    if (result.rcode == kRcodeNxdomain) return report(DnsHealth::kBroken, "answered NXDOMAIN");
    if (result.rcode != 0) {
      return report(DnsHealth::kUnreachable, "answered " + rcode_name(result.rcode));
    }
    if (!result.havedata) return report(DnsHealth::kBroken, "answered that there are none");
    return report(DnsHealth::kAnswering, "answered");
  }

  static Attempt interpret(const Query& query, const std::string& name, RecordType type) {
    if (!query.failure.empty()) return {DnsAnswer::temp_error(query.failure), false};
    if (query.error != 0 || query.result == nullptr) {
      return {DnsAnswer::temp_error(std::string("resolver: ") + ub_strerror(query.error)),
              query.error == UB_SERVFAIL};
    }
    const ub_result& result = *query.result;
    if (result.bogus) {
      return {DnsAnswer::temp_error("DNSSEC validation failed" +
                                    (result.why_bogus ? ": " + std::string(result.why_bogus)
                                                      : std::string())),
              false};
    }
    if (result.rcode == kRcodeNxdomain) return {DnsAnswer::nxdomain(), false};
    if (result.rcode == kRcodeServfail) return {DnsAnswer::temp_error("SERVFAIL"), true};
    if (result.rcode != 0) return {DnsAnswer::temp_error(rcode_name(result.rcode)), false};
    if (!result.havedata || result.data == nullptr || result.data[0] == nullptr) {
      return {DnsAnswer::no_data(), false};
    }
    DnsAnswer answer;
    answer.status = DnsStatus::kRecords;
    // What the cache has left of the records' TTL (libunbound: the smallest along a CNAME chain).
    answer.ttl = result.ttl > 0 ? static_cast<std::uint32_t>(result.ttl) : 0;
    for (std::size_t i = 0; result.data[i] != nullptr; ++i) {
      if (i == kMaxRecords) {
        return {DnsAnswer::temp_error("answer for " + name + " has more than " +
                                      std::to_string(kMaxRecords) + " records"),
                false};
      }
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(result.data[i]);
      const int length = result.len[i];
      if (length < 0) return {DnsAnswer::temp_error("malformed answer for " + name), false};
      auto record = parse_rdata(type, {bytes, static_cast<std::size_t>(length)});
      if (!record) {
        return {DnsAnswer::temp_error("malformed " + std::string(to_string(type)) + " record at " +
                                      name),
                false};
      }
      answer.records.push_back(std::move(*record));
    }
    return {std::move(answer), false};
  }
};

namespace {

void on_answer(void* data, int error, ub_result* result) {
  ResultPtr owned(result);
  auto* raw = static_cast<Query*>(data);
  // raw is in in_flight: only a successful ub_cancel() removes it without a callback.
  std::shared_ptr<Query> query = raw->owner->release(raw);
  if (!query) return;
  {
    std::lock_guard lock(query->mutex);
    query->error = error;
    query->result = std::move(owned);
    query->done = true;
  }
  query->done_cv.notify_one();
}

std::string describe(int rc) { return ub_strerror(rc); }

}  // namespace



Result<std::unique_ptr<UnboundResolver>> UnboundResolver::create(const UnboundOptions& options) {
  if (options.timeout.count() <= 0) {
    return fail(Error::invalid_argument("DNS timeout must be greater than zero"));
  }
  std::vector<IpEndpoint> servers;
  for (const std::string& text : options.servers) {
    auto server = IpEndpoint::parse(text, 53);
    if (!server) return fail(Error::invalid_argument("DNS server " + server.error().message));
    servers.push_back(std::move(*server));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->ctx = ub_ctx_create();
  if (impl->ctx == nullptr) return fail(Error::io("libunbound: cannot create a resolver context"));
  ub_ctx* ctx = impl->ctx;
  const auto option = [&](const char* key, const std::string& value) -> Result<void> {
    const int rc = ub_ctx_set_option(ctx, key, value.c_str());
    if (rc != 0) {
      return fail(Error::config(std::string("libunbound: option ") + key + " " + value + ": " +
                                describe(rc)));
    }
    return {};
  };
  // Threads, not the default fork(): the background resolver shares our process and its cache.
  if (const int rc = ub_ctx_async(ctx, 1); rc != 0) {
    return fail(Error::io(std::string("libunbound: threads: ") + describe(rc)));
  }
  std::vector<std::pair<const char*, std::string>> settings = {
      // Forwarders on the loopback (a local resolver, 127.0.0.1 from an empty resolv.conf, the
      // test server) are refused by default.
      {"do-not-query-localhost:", "no"},
      // The forwarders, not libunbound's built-in local zones, answer for the reverse zones of
      // private and documentation networks (see the header; test. and home.arpa. below).
      {"unblock-lan-zones:", "yes"},
      // Records in the order the server gave them, as recorded DNS replays them: a rotating order
      // would make results that depend on order (which 10 MX names SPF looks at) vary by run.
      {"rrset-roundrobin:", "no"},
      {"module-config:", options.trust_anchor_file.empty() ? "iterator" : "validator iterator"},
  };
  for (const auto& [key, value] : settings) {
    if (auto set = option(key, value); !set) return fail(std::move(set.error()));
  }
  if (!options.trust_anchor_file.empty()) {
    // libunbound reads the file only at the first query; a wrong path is a start-up error.
    if (!std::ifstream(options.trust_anchor_file)) {
      return fail(Error::config("DNSSEC trust anchor " + options.trust_anchor_file +
                                ": cannot read the file"));
    }
    if (const int rc = ub_ctx_add_ta_file(ctx, options.trust_anchor_file.c_str()); rc != 0) {
      return fail(Error::config("DNSSEC trust anchor " + options.trust_anchor_file + ": " +
                                describe(rc)));
    }
  }
  if (servers.empty()) {
    if (const int rc = ub_ctx_resolvconf(ctx, options.resolv_conf.c_str()); rc != 0) {
      return fail(Error::io(options.resolv_conf + ": cannot use it for DNS: " + describe(rc)));
    }
    if (const int rc = ub_ctx_hosts(ctx, options.hosts_file.c_str()); rc != 0) {
      return fail(Error::io(options.hosts_file + ": cannot use it for DNS: " + describe(rc)));
    }
  } else {
    for (const IpEndpoint& server : servers) {
      // libunbound's form for a forwarder: "IP@PORT".
      const std::string forwarder = server.address.to_string() + "@" + std::to_string(server.port);
      if (const int rc = ub_ctx_set_fwd(ctx, forwarder.c_str()); rc != 0) {
        return fail(Error::config("DNS server " + forwarder + ": " + describe(rc)));
      }
    }
  }
  // Removing a zone finalizes the configuration, so this comes after every option. The built-in
  // zones are static and would answer NXDOMAIN before any forwarder is asked.
  for (const char* zone : {"test.", "home.arpa."}) {
    if (const int rc = ub_ctx_zone_remove(ctx, zone); rc != 0) {
      return fail(Error::config(std::string("libunbound: local zone ") + zone + ": " + describe(rc)));
    }
  }
  if (ub_fd(ctx) < 0) return fail(Error::io("libunbound: no result descriptor"));
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    return fail(Error::io(std::string("resolver wake-up pipe: ") + std::strerror(errno)));
  }
  impl->wake_read = pipe_fds[0];
  impl->wake_write = pipe_fds[1];
  Impl* raw = impl.get();
  impl->events = std::thread([raw] { raw->run_events(); });
  return std::unique_ptr<UnboundResolver>(new UnboundResolver(std::move(impl)));
}

UnboundResolver::UnboundResolver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UnboundResolver::~UnboundResolver() = default;

const UnboundOptions& UnboundResolver::options() const { return impl_->options; }

HealthReport UnboundResolver::check_health(Deadline deadline) const {
  return impl_->check_health(deadline);
}

DnsAnswer UnboundResolver::lookup(std::string_view name, RecordType type) const {
  const auto total = impl_->options.timeout * (1 + static_cast<long long>(impl_->options.retries));
  return lookup_before(name, type, std::chrono::steady_clock::now() + total);
}

DnsAnswer UnboundResolver::lookup_before(std::string_view name, RecordType type,
                                         Deadline deadline) const {
  const std::optional<std::string> query = query_name(name);
  if (!query) return DnsAnswer::nxdomain();
  for (unsigned attempt = 0;; ++attempt) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return DnsAnswer::timeout();
    const Deadline until = std::min<Deadline>(deadline, now + impl_->options.timeout);
    Attempt result = impl_->resolve_once(*query, type, until);
    if (!result.retryable || attempt >= impl_->options.retries) return std::move(result.answer);
  }
}

}  // namespace vigie::auth::dns
