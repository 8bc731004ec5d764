// A memo of fixed size from strings to values, for pure functions that parsers call again and again
// on the same few keys (the registrable domain of a host, the effect of a style attribute).
// Direct-mapped: a colliding key evicts one entry instead of the whole memo being cleared when full,
// so hot keys survive thousands of distinct ones, and memory stays bounded whatever the mail holds.
// A hit is found from the string_view with no temporary key string; slot strings keep their
// capacity, so a refill rarely allocates. Not thread-safe: one per thread or per owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
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
    const std::size_t hash = hash_key(key);
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
  // A slot index, not a security boundary (a colliding key only evicts; equality is checked), so
  // a hash that reads eight bytes per step: keys are URLs and style attributes of up to a
  // kilobyte, and std::hash's byte-oriented one was a visible share of the lookups.
  static std::size_t hash_key(std::string_view key) {
    constexpr std::uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = key.size() * kMultiplier;
    const auto mix = [&h](std::uint64_t word) {
      h = (h ^ word) * kMultiplier;
      h ^= h >> 29;
    };
    const char* p = key.data();
    std::size_t n = key.size();
    for (; n >= 8; p += 8, n -= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      mix(word);
    }
    if (n > 0) {
      // The last eight bytes of the key (overlapping the last step) when it has them; else bytewise.
      std::uint64_t word = 0;
      if (key.size() >= 8) {
        std::memcpy(&word, key.data() + key.size() - 8, 8);
      } else {
        for (std::size_t i = 0; i < n; ++i) word |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
      }
      mix(word);
    }
    return static_cast<std::size_t>(h ^ (h >> 32));
  }

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
