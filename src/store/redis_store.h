// RedisStore: the KeyValueStore shared by several vigie nodes, on a Redis 7.0 server (Debian's
// redis-server) through hiredis (Debian libhiredis-dev 0.14). Owns the mapping of keys onto Redis
// structures, specified in key_value_store.h, the Lua scripts that keep batches atomic, and its
// connections; knows nothing of what its keys mean.
//
// Time: now is read from the store's Clock and passed to every script and command (cutoff
// arguments); Redis's own TIME is never used, so fake clocks in tests and nodes whose clocks drift
// a little both behave as the contract says. Only EXPIRE runs on Redis's clock (a whole key
// untouched for max_age disappears), which changes nothing visible: the cutoff hides it first.
//
// Failures: every network or server failure (refused, timed out, wrong password, script error) is
// a Result error of code kIo naming the server; nothing throws for them. Creating a RedisStore
// sets SIGPIPE to ignored when it has its default action (which would kill the process on a write
// to a connection the server reset); a program's own SIGPIPE handler is left alone. The connection it
// happened on is closed and a new one is opened by the next call; a pooled connection the server
// closed while idle (a restart) is replaced and the call made again at once. A command that does not answer
// within command_timeout fails rather than hanging the scan that waits for it.
//
// Thread-safety: calls borrow a connection from a pool (one per concurrent caller, up to
// max_connections, then they wait). Redis runs one command at a time anyway; the pool is there so
// that callers overlap their round trips (bench/README.md has the figures for 1 and 4 threads).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/key_value_store.h"

namespace vigie::store {

struct RedisSettings {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;  // non-empty: connect through it, host and port unused
  std::string password;     // non-empty: AUTH with it on every new connection
  std::string username;     // non-empty: ACL user for AUTH (Redis 6+); empty: the default user
  int db = 0;               // SELECT on every new connection
  // Prepended to every Redis key; several deployments can share one server. No braces: they
  // would change the hash tag Redis Cluster places the keys by.
  std::string key_prefix = "vigie:";
  std::chrono::milliseconds connect_timeout{500};
  std::chrono::milliseconds command_timeout{500};
};

// Why these settings cannot be used ("key_prefix must not hold '{' or '}'"), or nothing.
Result<void> check_redis_settings(const RedisSettings& settings);

struct RedisStoreOptions {
  RedisSettings redis;
  Retention retention;
  std::size_t max_connections = 8;
  std::shared_ptr<const Clock> clock;  // nullptr: Clock::system()
};

class RedisStore final : public KeyValueStore {
 public:
  // Checks the settings and connects once, so that a wrong address or password is reported at
  // start-up; the store itself reconnects whenever a connection breaks later.
  static Result<std::shared_ptr<RedisStore>> open(RedisStoreOptions options);
  // The same without connecting: for a store that must start while Redis is down (FallbackStore).
  static Result<std::shared_ptr<RedisStore>> create(RedisStoreOptions options);

  ~RedisStore() override;

  Result<std::optional<Counter>> get(std::string_view key, std::string_view field) const override;
  Result<std::vector<Counter>> list(std::string_view key, std::size_t limit) const override;
  Result<std::size_t> count(std::string_view key) const override;
  Result<void> increment(std::span<const Increment> increments) override;
  // Trimming happens on every write and EXPIRE removes idle keys: nothing left to do, returns 0.
  Result<std::size_t> run_maintenance() override;

  // "redis 127.0.0.1:6379 db 0" or "redis /run/redis.sock db 0": how errors and logs name it.
  const std::string& name() const { return name_; }

 private:
  struct Connection;
  class Lease;
  explicit RedisStore(RedisStoreOptions options);
  Result<Lease> acquire() const;
  void release(std::unique_ptr<Connection> connection) const;
  void drop_idle() const;
  template <typename Call>
  auto with_connection(Call&& call) const;
  Result<std::unique_ptr<Connection>> connect() const;
  std::int64_t now() const { return unix_seconds(*options_.clock); }
  std::int64_t cutoff(std::int64_t at) const { return at - options_.retention.max_age.count(); }
  std::string redis_key(std::string_view key, char kind) const;

  RedisStoreOptions options_;
  std::string name_;
  mutable std::mutex pool_mutex_;
  mutable std::condition_variable released_;
  mutable std::vector<std::unique_ptr<Connection>> idle_;
  mutable std::size_t open_ = 0;  // connections lent or idle, guarded by pool_mutex_
};

}  // namespace vigie::store
