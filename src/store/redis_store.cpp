// The Redis KeyValueStore (see redis_store.h; the mapping is specified in key_value_store.h).
#include "store/redis_store.h"

#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <utility>

namespace vigie::store {
namespace {

// KEYS: P{K}:v, P{K}:f, P{K}:s for each distinct key K of the batch, in that order.
// ARGV: now, cutoff, max_age in seconds, cap of fields per key, then one (index of K counted from
// 1, field, by) triple per increment. Redis runs a script alone, so the batch is atomic.
constexpr const char* kIncrementScript = R"lua(
local cutoff, cap = tonumber(ARGV[2]), tonumber(ARGV[4])
local function forget(v, f, fields)
  for i = 1, #fields, 1000 do
    local last = math.min(i + 999, #fields)
    redis.call('HDEL', v, unpack(fields, i, last))
    redis.call('HDEL', f, unpack(fields, i, last))
  end
end
for i = 5, #ARGV, 3 do
  local k = 3 * tonumber(ARGV[i])
  local v, f, s = KEYS[k - 2], KEYS[k - 1], KEYS[k]
  local field = ARGV[i + 1]
  local seen = redis.call('ZSCORE', s, field)
  if seen and tonumber(seen) < cutoff then
    redis.call('HDEL', v, field)
    redis.call('HDEL', f, field)
  end
  redis.call('HINCRBY', v, field, ARGV[i + 2])
  redis.call('HSETNX', f, field, ARGV[1])
  redis.call('ZADD', s, 'GT', ARGV[1], field)
end
for k = 3, #KEYS, 3 do
  local v, f, s = KEYS[k - 2], KEYS[k - 1], KEYS[k]
  local expired = redis.call('ZRANGE', s, '-inf', '(' .. ARGV[2], 'BYSCORE')
  if #expired > 0 then
    forget(v, f, expired)
    redis.call('ZREMRANGEBYSCORE', s, '-inf', '(' .. ARGV[2])
  end
  local excess = redis.call('ZCARD', s) - cap
  if excess > 0 then
    forget(v, f, redis.call('ZRANGE', s, 0, excess - 1))
    redis.call('ZREMRANGEBYRANK', s, 0, excess - 1)
  end
  redis.call('EXPIRE', v, ARGV[3])
  redis.call('EXPIRE', f, ARGV[3])
  redis.call('EXPIRE', s, ARGV[3])
end
return 0
)lua";

// KEYS: P{K}:v, P{K}:f, P{K}:s. ARGV: field, cutoff. A script rather than three commands so that
// the value, first and last seen come from one state, never from both sides of a batch.
constexpr const char* kGetScript = R"lua(
local seen = redis.call('ZSCORE', KEYS[3], ARGV[1])
if not seen or tonumber(seen) < tonumber(ARGV[2]) then return false end
return {redis.call('HGET', KEYS[1], ARGV[1]) or '', redis.call('HGET', KEYS[2], ARGV[1]) or '', seen}
)lua";

// KEYS: as above. ARGV: cutoff, limit. Returns field, value, first_seen, last_seen per counter,
// most recent first (Redis orders equal scores by member, descending under REV).
constexpr const char* kListScript = R"lua(
local found = redis.call('ZRANGE', KEYS[3], '+inf', ARGV[1], 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[2], 'WITHSCORES')
local out = {}
for i = 1, #found, 2 do
  local field = found[i]
  out[#out + 1] = field
  out[#out + 1] = redis.call('HGET', KEYS[1], field) or ''
  out[#out + 1] = redis.call('HGET', KEYS[2], field) or ''
  out[#out + 1] = found[i + 1]
end
return out
)lua";

// How a connection stands after its last command. kClosed: the server closed or reset it, the
// command never got an answer; kTimedOut: no answer in time (the server may still run it).
enum class Health { kOk, kClosed, kTimedOut };

enum Script : std::size_t { kIncrement, kGet, kList, kScriptCount };
constexpr const char* kScripts[kScriptCount] = {kIncrementScript, kGetScript, kListScript};

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

timeval to_timeval(std::chrono::milliseconds ms) {
  const auto count = std::max<std::int64_t>(ms.count(), 1);
  return timeval{static_cast<time_t>(count / 1000), static_cast<suseconds_t>((count % 1000) * 1000)};
}

std::string_view text_of(const redisReply& reply) { return {reply.str, reply.len}; }

// Scores and counters come back as decimal text; scores may be written as doubles ("1.7e+09")
// by a server that formats them so, hence the fallback.
std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc() && end == text.data() + text.size()) return value;
  const std::string copy(text);
  char* rest = nullptr;
  const double number = std::strtod(copy.c_str(), &rest);
  if (copy.empty() || *rest != '\0' || !std::isfinite(number)) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(number));
}

}  // namespace

struct RedisStore::Connection {
  redisContext* context = nullptr;
  Health health = Health::kOk;  // not kOk: the context cannot be used again
  bool reused = false;           // taken from the pool rather than opened for this call
  std::string shas[kScriptCount];
  ~Connection() {
    if (context != nullptr) redisFree(context);
  }
};

// A pooled connection for one call; back to the pool when the call ends, or closed when broken.
class RedisStore::Lease {
 public:
  Lease(const RedisStore* store, std::unique_ptr<Connection> connection)
      : store_(store), connection_(std::move(connection)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (connection_) store_->release(std::move(connection_));
  }
  Connection& operator*() const { return *connection_; }

 private:
  const RedisStore* store_;
  std::unique_ptr<Connection> connection_;
};

namespace {

// One command on a connection. Server errors ("-ERR ...") keep the connection; network errors
// (refused, reset, timed out) mark it broken, since hiredis cannot resynchronise the stream.
Result<Reply> command(const std::string& name, redisContext* context, Health& health,
                      const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  Reply reply(static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  if (!reply) {
    const bool timed_out = context->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
    health = timed_out ? Health::kTimedOut : Health::kClosed;
    return fail(Error::io(name + ": " + (timed_out ? std::string("no answer within the command timeout")
                                                   : std::string(context->errstr))));
  }
  if (reply->type == REDIS_REPLY_ERROR) return fail(Error::io(name + ": " + std::string(text_of(*reply))));
  return reply;
}

}  // namespace

Result<void> check_redis_settings(const RedisSettings& settings) {
  if (settings.key_prefix.find_first_of("{}") != std::string::npos) {
    return fail(Error::invalid_argument("the Redis key prefix must not hold '{' or '}' (Redis Cluster hash tags)"));
  }
  if (settings.unix_socket.empty() && settings.host.empty()) {
    return fail(Error::invalid_argument("the Redis host is empty"));
  }
  if (settings.unix_socket.empty() && (settings.port < 1 || settings.port > 65535)) {
    return fail(Error::invalid_argument("the Redis port must be 1 to 65535"));
  }
  if (settings.db < 0) return fail(Error::invalid_argument("the Redis database number must not be negative"));
  if (settings.connect_timeout.count() <= 0 || settings.command_timeout.count() <= 0) {
    return fail(Error::invalid_argument("the Redis timeouts must be positive"));
  }
  return {};
}

RedisStore::RedisStore(RedisStoreOptions options) : options_(std::move(options)) {
  const RedisSettings& r = options_.redis;
  name_ = "redis " + (r.unix_socket.empty() ? r.host + ":" + std::to_string(r.port) : r.unix_socket) + " db " +
          std::to_string(r.db);
}

RedisStore::~RedisStore() = default;

Result<std::shared_ptr<RedisStore>> RedisStore::create(RedisStoreOptions options) {
  if (auto usable = check_retention(options.retention); !usable) {
    return fail(Error::invalid_argument("redis store: " + usable.error().message));
  }
  if (auto usable = check_redis_settings(options.redis); !usable) {
    return fail(Error::invalid_argument("redis store: " + usable.error().message));
  }
  // hiredis writes with write(2): on a connection the server has reset, that raises SIGPIPE,
  // whose default action would kill the scanning process. Ignored, the write fails with EPIPE
  // and comes back as an error like any other outage. A handler the program installed is kept.
  struct sigaction current{};
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
  if (options.max_connections == 0) options.max_connections = 1;
  if (!options.clock) options.clock = Clock::system();
  return std::shared_ptr<RedisStore>(new RedisStore(std::move(options)));
}

Result<std::shared_ptr<RedisStore>> RedisStore::open(RedisStoreOptions options) {
  auto store = create(std::move(options));
  if (!store) return store;
  if (auto first = (*store)->acquire(); !first) return fail(first.error());
  return store;
}

Result<std::unique_ptr<RedisStore::Connection>> RedisStore::connect() const {
  const RedisSettings& r = options_.redis;
  auto connection = std::make_unique<Connection>();
  connection->context = r.unix_socket.empty()
                            ? redisConnectWithTimeout(r.host.c_str(), r.port, to_timeval(r.connect_timeout))
                            : redisConnectUnixWithTimeout(r.unix_socket.c_str(), to_timeval(r.connect_timeout));
  if (connection->context == nullptr) return fail(Error::io(name_ + ": cannot allocate a connection"));
  if (connection->context->err != 0) {
    return fail(Error::io(name_ + ": cannot connect (" + std::string(connection->context->errstr) + ")"));
  }
  if (redisSetTimeout(connection->context, to_timeval(r.command_timeout)) != REDIS_OK) {
    return fail(Error::io(name_ + ": cannot set the command timeout"));
  }
  const auto run = [&](std::vector<std::string> args) {
    return command(name_, connection->context, connection->health, args);
  };
  if (!r.password.empty()) {
    auto auth = r.username.empty() ? run({"AUTH", r.password}) : run({"AUTH", r.username, r.password});
    if (!auth) return fail(auth.error());
  }
  if (r.db != 0) {
    if (auto selected = run({"SELECT", std::to_string(r.db)}); !selected) return fail(selected.error());
  }
  for (std::size_t i = 0; i < kScriptCount; ++i) {
    auto loaded = run({"SCRIPT", "LOAD", kScripts[i]});
    if (!loaded) return fail(loaded.error());
    if ((*loaded)->type != REDIS_REPLY_STRING) return fail(Error::io(name_ + ": SCRIPT LOAD did not answer a digest"));
    connection->shas[i] = std::string(text_of(**loaded));
  }
  return connection;
}

Result<RedisStore::Lease> RedisStore::acquire() const {
  {
    std::unique_lock lock(pool_mutex_);
    released_.wait(lock, [&] { return !idle_.empty() || open_ < options_.max_connections; });
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      connection->reused = true;
      return Lease(this, std::move(connection));
    }
    ++open_;
  }
  auto connection = connect();
  if (!connection) {
    std::lock_guard lock(pool_mutex_);
    --open_;
    released_.notify_one();
    return fail(connection.error());
  }
  return Lease(this, std::move(*connection));
}

void RedisStore::release(std::unique_ptr<Connection> connection) const {
  std::lock_guard lock(pool_mutex_);
  if (connection->health != Health::kOk) {
    --open_;
    connection.reset();
  } else {
    idle_.push_back(std::move(connection));
  }
  released_.notify_one();
}

void RedisStore::drop_idle() const {
  std::lock_guard lock(pool_mutex_);
  open_ -= idle_.size();
  idle_.clear();
  released_.notify_all();
}

// Runs `call` on a pooled connection. When the server had closed that connection while it sat in
// the pool (a Redis restart, its client timeout), the command never reached the server: the
// other idle connections are stale too and are closed, and the call is made once more on a new
// connection, so a restart costs no caller an error. A timeout is not retried (the server may
// have run the command).
template <typename Call>
auto RedisStore::with_connection(Call&& call) const {
  using Answer = decltype(call(std::declval<Connection&>()));
  std::optional<Answer> answer;
  bool retry = false;
  {
    auto lease = acquire();
    if (!lease) return Answer(fail(lease.error()));
    answer.emplace(call(**lease));
    retry = !*answer && (**lease).health == Health::kClosed && (**lease).reused;
  }
  if (!retry) return std::move(*answer);
  drop_idle();
  auto lease = acquire();
  if (!lease) return Answer(fail(lease.error()));
  return call(**lease);
}

std::string RedisStore::redis_key(std::string_view key, char kind) const {
  std::string out;
  out.reserve(options_.redis.key_prefix.size() + key.size() + 4);
  out.append(options_.redis.key_prefix).append("{").append(key).append("}:").push_back(kind);
  return out;
}

namespace {

// EVALSHA, loading the script again when the server lost it (SCRIPT FLUSH, or a restart
// between the connection's SCRIPT LOAD and this call).
Result<Reply> run_script(const std::string& name, redisContext* context, Health& health, std::string& sha,
                         const char* body, const std::vector<std::string>& keys,
                         const std::vector<std::string>& args) {
  std::vector<std::string> call{"EVALSHA", sha, std::to_string(keys.size())};
  call.insert(call.end(), keys.begin(), keys.end());
  call.insert(call.end(), args.begin(), args.end());
  auto reply = command(name, context, health, call);
  if (reply || health != Health::kOk || reply.error().message.find("NOSCRIPT") == std::string::npos) return reply;
  auto loaded = command(name, context, health, {"SCRIPT", "LOAD", body});
  if (!loaded) return fail(loaded.error());
  sha = call[1] = std::string(text_of(**loaded));
  return command(name, context, health, call);
}

Error unexpected_reply(const std::string& name, std::string_view what) {
  return Error::io(name + ": unexpected answer to " + std::string(what));
}

}  // namespace

Result<std::optional<Counter>> RedisStore::get(std::string_view key, std::string_view field) const {
  if (!is_storable_key(key) || !is_storable_field(field)) return std::nullopt;
  auto reply = with_connection([&](Connection& c) { return run_script(name_, c.context, c.health, c.shas[kGet], kGetScript,
                          {redis_key(key, 'v'), redis_key(key, 'f'), redis_key(key, 's')},
                          {std::string(field), std::to_string(cutoff(now()))}); });
  if (!reply) return fail(reply.error());
  if ((*reply)->type == REDIS_REPLY_NIL) return std::nullopt;
  if ((*reply)->type != REDIS_REPLY_ARRAY || (*reply)->elements != 3) return fail(unexpected_reply(name_, "get"));
  std::optional<std::int64_t> numbers[3];
  for (std::size_t i = 0; i < 3; ++i) {
    const redisReply* element = (*reply)->element[i];
    if (element->type == REDIS_REPLY_STRING) numbers[i] = parse_integer(text_of(*element));
    if (!numbers[i]) return fail(unexpected_reply(name_, "get (a counter without its value or times)"));
  }
  return Counter{std::string(field), *numbers[0], *numbers[1], *numbers[2]};
}

Result<std::vector<Counter>> RedisStore::list(std::string_view key, std::size_t limit) const {
  std::vector<Counter> found;
  if (!is_storable_key(key) || limit == 0) return found;
  const std::size_t capped = std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max());
  auto reply = with_connection([&](Connection& c) { return run_script(name_, c.context, c.health, c.shas[kList], kListScript,
                          {redis_key(key, 'v'), redis_key(key, 'f'), redis_key(key, 's')},
                          {std::to_string(cutoff(now())), std::to_string(capped)}); });
  if (!reply) return fail(reply.error());
  if ((*reply)->type != REDIS_REPLY_ARRAY || (*reply)->elements % 4 != 0) return fail(unexpected_reply(name_, "list"));
  found.reserve((*reply)->elements / 4);
  for (std::size_t i = 0; i < (*reply)->elements; i += 4) {
    redisReply* const* row = (*reply)->element + i;
    Counter counter;
    counter.field = std::string(text_of(*row[0]));
    std::optional<std::int64_t> numbers[3];
    for (std::size_t j = 0; j < 3; ++j) {
      if (row[j + 1]->type == REDIS_REPLY_STRING) numbers[j] = parse_integer(text_of(*row[j + 1]));
      if (!numbers[j]) return fail(unexpected_reply(name_, "list (a counter without its value or times)"));
    }
    counter.value = *numbers[0];
    counter.first_seen = *numbers[1];
    counter.last_seen = *numbers[2];
    found.push_back(std::move(counter));
  }
  return found;
}

Result<std::size_t> RedisStore::count(std::string_view key) const {
  if (!is_storable_key(key)) return 0;
  auto reply = with_connection([&](Connection& c) { return command(name_, c.context, c.health, {"ZCOUNT", redis_key(key, 's'), std::to_string(cutoff(now())), "+inf"}); });
  if (!reply) return fail(reply.error());
  if ((*reply)->type != REDIS_REPLY_INTEGER || (*reply)->integer < 0) return fail(unexpected_reply(name_, "ZCOUNT"));
  return static_cast<std::size_t>((*reply)->integer);
}

Result<void> RedisStore::increment(std::span<const Increment> increments) {
  // Checked before anything is sent: all or nothing.
  for (const Increment& increment : increments) {
    if (auto storable = check_increment(increment); !storable) {
      return fail(Error::invalid_argument("redis store: " + storable.error().message));
    }
  }
  if (increments.empty()) return {};
  const std::int64_t seen = now();
  std::vector<std::string> keys;
  std::vector<std::string> args{std::to_string(seen), std::to_string(cutoff(seen)),
                                std::to_string(options_.retention.max_age.count()),
                                std::to_string(options_.retention.max_fields_per_key)};
  std::map<std::string_view, std::size_t> index_of_key;  // counted from 1, as the script reads it
  for (const Increment& increment : increments) {
    const auto [entry, added] = index_of_key.try_emplace(increment.key, index_of_key.size() + 1);
    if (added) {
      for (char kind : {'v', 'f', 's'}) keys.push_back(redis_key(increment.key, kind));
    }
    args.push_back(std::to_string(entry->second));
    args.push_back(increment.field);
    args.push_back(std::to_string(increment.by));
  }
  auto reply = with_connection([&](Connection& c) { return run_script(name_, c.context, c.health, c.shas[kIncrement], kIncrementScript, keys, args); });
  if (!reply) return fail(reply.error());
  return {};
}

Result<std::size_t> RedisStore::run_maintenance() { return 0; }

}  // namespace vigie::store
