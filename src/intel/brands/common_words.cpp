// Word list reading and the process-wide answers (see common_words.h).
#include "intel/brands/common_words.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <mutex>

#include "common/ascii.h"
#include "common/list_file.h"
#include "intel/brands/brand_list.h"
#include "intel/brands/text_fold.h"

namespace vigie::intel {
namespace {

struct Answers {
  std::mutex mutex;
  StringMap<bool> known;  // key: the lists, '\n', the name
};

Answers& answers() {
  static Answers a;
  return a;
}

// "outre-mer" → "outre mer", the form plain_key gives a list entry.
std::string as_plain_key(std::string_view name) {
  std::string key(name);
  for (char& c : key) {
    if (c == '-') c = ' ';
  }
  return key;
}

}  // namespace

std::vector<bool> common_words(std::span<const std::string> names, std::span<const std::string_view> lists) {
  std::string prefix;
  for (std::string_view list : lists) prefix.append(list).push_back('\n');
  Answers& a = answers();
  const std::lock_guard lock(a.mutex);

  // Names not answered yet, by plain key; and the first two letters they can start with, so that
  // most list lines are skipped without folding.
  StringMap<bool> pending;
  std::array<bool, 256> first_letters{};
  std::vector<bool> first_pairs(256 * 256);
  bool one_letter_name = false;
  std::size_t shortest = SIZE_MAX, longest = 0;
  for (const std::string& name : names) {
    if (name.empty() || a.known.contains(prefix + name)) continue;
    pending.emplace(as_plain_key(name), false);
    first_letters[static_cast<unsigned char>(name[0])] = true;
    if (name.size() == 1) one_letter_name = true;
    else first_pairs[static_cast<unsigned char>(name[0]) * 256 + static_cast<unsigned char>(ascii::lower(name[1]))] = true;
    shortest = std::min(shortest, name.size());
    longest = std::max(longest, name.size());
  }
  if (!pending.empty()) {
    for (std::string_view list : lists) {
      // Read whole (5 MB between the two lists) and split in place: getline cost 200 M
      // instructions at every engine start.
      const Result<std::string> content = read_config_file(std::string(list), kMaxConfigFileBytes);
      if (!content) continue;  // a missing list counts as empty
      std::string_view rest = *content;
      while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        // A folded entry is at most as long as the line (an accented letter is two bytes).
        if (line.size() < shortest || line.size() > 2 * longest) continue;
        const auto first = static_cast<unsigned char>(ascii::lower(line[0]));
        if (first < 0x80 && !first_letters[first]) continue;
        if (first < 0x80 && !one_letter_name && line.size() > 1) {
          const auto second = static_cast<unsigned char>(ascii::lower(line[1]));
          if (second < 0x80 && !first_pairs[first * 256 + second]) continue;
        }
        const bool plain_ascii = std::all_of(line.begin(), line.end(), [](char c) { return ascii::is_alpha(c); });
        const auto it = pending.find(plain_ascii ? ascii::lowercase(line) : plain_key(line));
        if (it != pending.end()) it->second = true;
      }
    }
    for (const std::string& name : names) {
      if (const auto it = pending.find(as_plain_key(name)); it != pending.end()) {
        a.known.insert_or_assign(prefix + name, it->second);
      }
    }
  }
  std::vector<bool> result;
  result.reserve(names.size());
  for (const std::string& name : names) {
    const auto it = a.known.find(prefix + name);
    result.push_back(it != a.known.end() && it->second);
  }
  return result;
}

}  // namespace vigie::intel
