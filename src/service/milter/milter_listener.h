// The milter listener of `vigie serve`: a TCP socket the MTA connects to (smtpd_milters =
// inet:127.0.0.1:11332), one thread per connection up to a bound (an MTA keeps a connection per
// SMTP session; at the bound, new connections wait in the listen backlog). Each connection runs
// a MilterSession whose messages are decided by the callback given here. Stopping closes the
// listening socket and the idle connections at once, and lets each connection with a message in
// flight receive its end and answer it before closing: the MTA never loses a message, it either
// gets its answer or, when the connection closes first, applies its milter_default_action.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "service/milter/milter_session.h"
#include "vigie/result.h"

namespace vigie::service::milter {

struct ListenerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 11332;  // 0: any free port (tests), returned by start()
  unsigned max_connections = 64;
  std::size_t max_message_bytes = 0;  // larger messages are decided on their beginning
  // A connection silent this long is closed (the MTA's own milter timeouts are shorter).
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(10)};
};

class MilterListener {
 public:
  // `decide` is called from the connections' threads at once: it must be thread-safe and must
  // outlive the listener.
  MilterListener(ListenerOptions options, MilterSession::Decide decide);
  ~MilterListener();  // stops and waits, as stop()
  MilterListener(const MilterListener&) = delete;
  MilterListener& operator=(const MilterListener&) = delete;

  Result<std::uint16_t> start();
  // Returns false when connections with a message in flight did not finish within `wait`.
  bool stop(std::chrono::milliseconds wait);
  unsigned connections() const;
  // Connections between a message's MAIL and its end: the messages a stop waits for.
  unsigned messages_in_flight() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace vigie::service::milter
