// What the engine uses from outside the message: DNS, a store for state kept between messages,
// and a clock. They are injected rather than reached through globals, so that a test replays
// recorded DNS with a fake clock and an in-memory store, an archive scan runs with no DNS at all,
// and the nodes of a mail-flow service share one store.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace vigie {
namespace auth::dns {
class Resolver;
}
namespace store {
class KeyValueStore;
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  // The deadlines of a scan (steady: immune to the wall clock being set).
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
  // The machine's clocks.
  static std::shared_ptr<const Clock> system();
};

// Something the operator must hear about that no one message's verdict carries (a DNS list that
// refuses our queries): said once per cause, from whichever scan thread met it.
struct OperatorNotice {
  std::string event;  // "dns_list_refused"
  std::string text;   // one sentence, for a terminal
  std::vector<std::pair<std::string, std::string>> fields;  // the same as data, for a structured log
};

struct Services {
  // DNS for sender authentication; nullptr: no lookup, authentication reports "none" and why.
  std::shared_ptr<const auth::dns::Resolver> resolver;
  // State kept between messages (sender history); nullptr: the engine opens [history] path when
  // it is set, else runs without (no first-contact findings).
  std::shared_ptr<store::KeyValueStore> store;
  // nullptr: Clock::system().
  std::shared_ptr<const Clock> clock;
  // Where operator notices go (`vigie serve`: its JSON log); nullptr: stderr. Called from scan
  // threads at once: it must be thread-safe.
  std::function<void(const OperatorNotice&)> notify;

  // Passes `notice` to notify, or writes "vigie: warning: <text>" on stderr without one.
  void tell_operator(const OperatorNotice& notice) const;
};

}  // namespace vigie
