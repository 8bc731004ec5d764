// Lure-phrase list parsing (see lure_list.h).
#include "analyzers/lure_language/lure_list.h"
#include "common/list_file.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "analyzers/lure_language/text_fold.h"

namespace vigie::analyzers::lure_language {
namespace {

constexpr LureCategory kCategories[] = {
    {"credentials_expiring", LureFamily::kAccount, false},
    {"password_reset", LureFamily::kAccount, false},
    {"mailbox_full", LureFamily::kAccount, false},
    {"verify_identity", LureFamily::kAccount, false},
    {"account_suspended", LureFamily::kAccount, false},
    {"security_alert", LureFamily::kAccount, false},
    {"shared_document", LureFamily::kDocument, false},
    {"voicemail_fax", LureFamily::kDocument, false},
    {"invoice_payment", LureFamily::kPayment, false},
    {"wire_transfer", LureFamily::kPayment, false},
    {"tax_refund", LureFamily::kPayment, false},
    {"parcel_delivery", LureFamily::kDelivery, false},
    {"prize", LureFamily::kPrize, false},
    {"urgent_request_from_superior", LureFamily::kPressure, false},
    {"legal_threat", LureFamily::kPressure, false},
    {"urgency", LureFamily::kPressure, true},
    {"call_to_action", LureFamily::kPressure, true},
    {"gambling", LureFamily::kFraud, false},
    {"romance", LureFamily::kFraud, false},
    {"miracle_product", LureFamily::kFraud, false},
    {"investment_scam", LureFamily::kFraud, false},
    {"advance_fee", LureFamily::kFraud, false},
    {"extortion", LureFamily::kFraud, false},
};

// Longest bounded repetition ({n,m}) a pattern may ask for: phrases tolerate a few inserted
// words, not paragraphs.
constexpr unsigned kMaxRepeat = 64;

bool is_ascii_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Hyperscan would accept "a.*b", but an unbounded pattern matches across a whole message and
// turns a phrase list into a bag-of-words filter; reject it here with the entry's line.
std::string unbounded_repetition(std::string_view p) {
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      continue;
    }
    if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;  // "[]...]" : ']' first is a literal
      continue;
    }
    if (c == '*' || c == '+') return std::string("unbounded repetition '") + c + "'";
    if (c == '{') {
      const std::size_t close = p.find('}', i);
      if (close == std::string_view::npos) continue;  // a literal '{'; Hyperscan decides
      const std::string_view body = p.substr(i + 1, close - i - 1);
      const std::size_t comma = body.find(',');
      if (comma == std::string_view::npos) continue;
      const std::string_view max_text = body.substr(comma + 1);
      if (max_text.empty()) return "unbounded repetition '{" + std::string(body) + "}'";
      unsigned max = 0;
      const auto [end, ec] = std::from_chars(max_text.data(), max_text.data() + max_text.size(), max);
      if (ec == std::errc{} && end == max_text.data() + max_text.size() && max > kMaxRepeat) {
        return "repetition '{" + std::string(body) + "}' above " + std::to_string(kMaxRepeat);
      }
    }
  }
  return {};
}

// The folded pattern, anchored at word boundaries where its first and last characters are word
// characters (looking through group openings and closing brackets and '?'), so "prize" does not
// fire inside "surprized", "facture" inside "manufacture", nor "you won" inside "you won't".
std::string to_expression(std::string_view pattern) {
  const std::string folded = fold_for_matching(pattern, kMaxPatternBytes * 4, CaseFolding::kKeep);
  std::string_view head = folded;
  while (head.starts_with("(?:") || head.starts_with("(")) head.remove_prefix(head.starts_with("(?:") ? 3 : 1);
  std::string_view tail = folded;
  while (!tail.empty() && (tail.back() == ')' || tail.back() == '?')) tail.remove_suffix(1);
  const bool starts_with_word = !head.empty() && is_ascii_word(head.front());
  const bool ends_escaped = tail.size() >= 2 && tail[tail.size() - 2] == '\\';
  const bool ends_with_word = !tail.empty() && is_ascii_word(tail.back()) && !ends_escaped;
  return std::string(starts_with_word ? "\\b" : "") + "(?:" + folded + ")" +
         (ends_with_word ? "\\b" : "");
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::span<const LureCategory> categories() { return kCategories; }

Result<void> parse_lure_list(std::string_view text, const std::string& file,
                             std::vector<LureEntry>& entries) {
  std::uint32_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;

    const std::string where = file + ":" + std::to_string(line_number);
    const auto fail_entry = [&](const std::string& why) {
      return fail(Error::config(where + ": " + why + " in entry \"" + std::string(line) + "\""));
    };
    const std::vector<std::string_view> fields = split_tabs(line);
    if (fields.size() != 4) {
      return fail_entry("expected 4 TAB-separated fields (pattern, category, weight, source), found " +
                        std::to_string(fields.size()));
    }
    const std::string_view pattern = trim(fields[0]);
    const std::string_view category = trim(fields[1]);
    const std::string_view weight_text = trim(fields[2]);
    const std::string_view source = trim(fields[3]);

    if (pattern.empty()) return fail_entry("empty pattern");
    if (pattern.size() > kMaxPatternBytes) {
      return fail_entry("pattern longer than " + std::to_string(kMaxPatternBytes) + " bytes");
    }
    if (const std::string why = unbounded_repetition(pattern); !why.empty()) return fail_entry(why);

    const auto found = std::find_if(std::begin(kCategories), std::end(kCategories),
                                    [&](const LureCategory& c) { return c.name == category; });
    if (found == std::end(kCategories)) return fail_entry("unknown category \"" + std::string(category) + "\"");

    double weight = 0;
    const auto [weight_end, ec] =
        std::from_chars(weight_text.data(), weight_text.data() + weight_text.size(), weight);
    if (ec != std::errc{} || weight_end != weight_text.data() + weight_text.size() ||
        weight < kMinWeight || weight > kMaxWeight) {
      return fail_entry("weight \"" + std::string(weight_text) + "\" is not a number from 0.25 to 3");
    }
    if (source.empty()) return fail_entry("empty source");

    if (entries.size() >= kMaxEntries) {
      return fail_entry("more than " + std::to_string(kMaxEntries) + " lure entries in all lists");
    }
    entries.push_back(LureEntry{
        std::string(pattern), to_expression(pattern),
        static_cast<std::uint16_t>(found - std::begin(kCategories)), weight, std::string(source),
        file, line_number});
  }
  return {};
}

Result<void> load_lure_list(const std::string& path, std::vector<LureEntry>& entries) {
  Result<std::string> text = read_config_file(path, kMaxListFileBytes);
  if (!text) return fail(Error::config("lure list " + text.error().message));
  return parse_lure_list(*text, path, entries);
}

}  // namespace vigie::analyzers::lure_language
