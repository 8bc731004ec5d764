// Lure-phrase lists: the shipped data/lures/*.tsv files and the operator's extra files
// (ListsConfig::lures), read into entries the matcher compiles. Owns the file format, the
// category vocabulary and the hard limits; knows nothing of Hyperscan or of messages.
//
// Format: UTF-8, one entry per line, four TAB-separated fields; '#' starts a comment line.
//   pattern    a phrase or a small Hyperscan regex (bounded repetition only), matched without
//              regard to case or accents against folded text (see text_fold.h); a pattern that
//              begins or ends with a letter or digit matches only at a word boundary there
//   category   one of the names in categories() (e.g. credentials_expiring)
//   weight     how specific to phishing the phrase is: 0.25 (suggestive) to 3 (near-certain)
//   source     where the knowledge behind the entry comes from (an advisory, a report)
// Every error names file:line and the entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/result.h"

namespace vigie::analyzers::lure_language {

// Each family is reported as one finding; categories refine it in the evidence.
enum class LureFamily : std::uint8_t {
  kAccount,   // credentials, mailbox, account suspension, security alerts
  kDocument,  // shared documents, e-signature, voicemail and fax notices
  kPayment,   // invoices, change of bank details, tax refunds
  kDelivery,  // parcels held or undelivered
  kPrize,     // winnings, rewards, gift cards
  kPressure,  // urgent request from a superior, legal threats; plus the urgency and
              // call-to-action modifiers, which never count on their own
  kFraud,     // untargeted fraud schemes: casino bonuses, romance, miracle products, crypto
              // investment, advance-fee funds, extortion
};
inline constexpr std::size_t kFamilyCount = 7;

struct LureCategory {
  std::string_view name;
  LureFamily family;
  // A modifier (urgency, call to action) is common in honest mail too: it strengthens a message
  // that already has a topical lure and is not reported without one.
  bool modifier;
};
std::span<const LureCategory> categories();

struct LureEntry {
  std::string pattern;       // as written in the file
  std::string expression;    // folded, with word boundaries: what Hyperscan compiles
  std::uint16_t category;    // index into categories()
  double weight;
  std::string source;
  std::string file;
  std::uint32_t line;
  std::string where() const { return file + ":" + std::to_string(line); }
};

// Hard limits: lists are operator-provided, but a runaway list must fail loudly, not slow
// every scan down.
inline constexpr std::size_t kMaxEntries = 5000;          // over all files
inline constexpr std::size_t kMaxPatternBytes = 400;      // one pattern, as written
inline constexpr std::size_t kMaxListFileBytes = 1 << 20;
inline constexpr double kMinWeight = 0.25;
inline constexpr double kMaxWeight = 3.0;

// Parses one list; `file` names it in errors. Appends to `entries`.
Result<void> parse_lure_list(std::string_view text, const std::string& file,
                             std::vector<LureEntry>& entries);
// Reads and parses one list file.
Result<void> load_lure_list(const std::string& path, std::vector<LureEntry>& entries);

}  // namespace vigie::analyzers::lure_language
