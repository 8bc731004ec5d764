// A memo of fixed size from strings to values, for pure functions that parsers call again and again
// on the same few keys (the registrable domain of a host, the effect of a style attribute).
// Direct-mapped: a colliding key evicts one entry instead of the whole memo being cleared when full,
// so hot keys survive thousands of distinct ones, and memory stays bounded whatever the mail holds.
// A hit is found from the string_view with no temporary key string; slot strings keep their
// capacity, so a refill rarely allocates. Not thread-safe: one per thread or per owner.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vigie {

template <typename Value, std::size_t Slots, std::size_t MaxKey>
class DirectMemo {
  static_assert(Slots != 0 && (Slots & (Slots - 1)) == 0, "a power of two: the index is a mask of the hash");

 public:
  // compute(key) on a miss, from a std::string key (NUL-terminated, for C libraries). Keys longer
  // than MaxKey are computed every time; the reference is valid until the next call.
  template <typename Compute>
  const Value& get(std::string_view key, Compute&& compute) {
    if (key.size() > MaxKey) {
      uncached_ = compute(std::string(key));
      return uncached_;
    }
    if (!slots_) slots_ = std::make_unique<Slot[]>(Slots);  // on first use: most owners never need it
    const std::size_t hash = std::hash<std::string_view>{}(key);
    Slot& slot = slots_[hash & (Slots - 1)];
    if (slot.used && slot.hash == hash && slot.key == key) return slot.value;
    slot.used = false;  // stays false should anything below throw (bad_alloc)
    slot.key.assign(key);
    slot.value = compute(slot.key);
    slot.hash = hash;
    slot.used = true;
    return slot.value;
  }

 private:
  struct Slot {
    std::size_t hash = 0;
    bool used = false;
    std::string key;
    Value value{};
  };
  std::unique_ptr<Slot[]> slots_;
  Value uncached_{};
};

}  // namespace vigie
