// Date-time parsing (RFC 5322 §3.3 with the obsolete forms of §4.3). Owns the conversion of a
// Date / Resent-Date / Received date to UTC seconds. Real mail carries every variant ever emitted
// by a mailer: two- and three-digit years, named and military zones, missing seconds or day of
// week, trailing zone comments, asctime() order; all are accepted and flagged obsolete_syntax.
// Anything that cannot be read as one unambiguous instant returns nullopt. The arithmetic uses a
// days-from-civil algorithm instead of timegm() so that results never depend on the host TZ or
// locale.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "parse/headers/header_grammar.h"
#include "parse/headers/header_lexer.h"

namespace vigie::parse {
namespace {

using detail::is_alpha;
using detail::is_digit;

// Howard Hinnant's days_from_civil: days since 1970-01-01 in the proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

bool all_alpha(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_alpha(c)) return false;
  }
  return true;
}

// Digits only, at most 9 of them, so the value always fits.
int to_int(std::string_view s) {
  int v = 0;
  for (const char c : s) v = v * 10 + (c - '0');
  return v;
}

constexpr std::array<std::string_view, 12> kMonths = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};
constexpr std::array<std::string_view, 7> kDays = {"monday", "tuesday",  "wednesday", "thursday",
                                                   "friday", "saturday", "sunday"};

// Matches the 3-letter abbreviation of §3.3 case-insensitively (§1.2.2: ABNF strings are
// case-insensitive), and full or partial names ("July", "Sept") as obsolete variants.
template <std::size_t N>
int match_name(std::string_view tok, const std::array<std::string_view, N>& names, bool& obsolete) {
  if (tok.size() < 3 || !all_alpha(tok)) return -1;
  const std::string low = detail::to_lower(tok);
  for (std::size_t k = 0; k < N; ++k) {
    if (low.size() <= names[k].size() && names[k].substr(0, low.size()) == low) {
      if (low.size() != 3) obsolete = true;
      return static_cast<int>(k);
    }
  }
  return -1;
}

struct Zone {
  bool ok = false;
  int minutes = 0;
};

// Numeric zone "+hhmm" (§3.3), or the obsolete "+hh:mm" / "+hh" seen from some webmails.
Zone numeric_zone(std::string_view tok, bool& obsolete) {
  Zone z;
  if (tok.size() < 2 || (tok[0] != '+' && tok[0] != '-')) return z;
  const int sign = tok[0] == '-' ? -1 : 1;
  std::string_view rest = tok.substr(1);
  int hh = 0;
  int mm = 0;
  if (rest.size() == 4 && all_digits(rest)) {
    hh = to_int(rest.substr(0, 2));
    mm = to_int(rest.substr(2, 2));
  } else if (rest.size() == 5 && rest[2] == ':' && all_digits(rest.substr(0, 2)) &&
             all_digits(rest.substr(3, 2))) {
    hh = to_int(rest.substr(0, 2));
    mm = to_int(rest.substr(3, 2));
    obsolete = true;
  } else if (rest.size() <= 2 && all_digits(rest)) {
    hh = to_int(rest);
    obsolete = true;
  } else {
    return z;
  }
  // The grammar allows any 4 digits, but no zone is more than a day away from UTC; "+9999" is
  // garbage, not an instant.
  if (hh > 23 || mm > 59) return z;
  z.ok = true;
  z.minutes = sign * (hh * 60 + mm);
  return z;
}

// §4.3 obs-zone. The military letters were defined with the wrong sign in RFC 822, so §4.3 says
// to read them (and any unknown alphabetic zone) as "-0000": offset 0.
Zone named_zone(std::string_view tok) {
  struct Named {
    std::string_view name;
    int hours;
  };
  static constexpr std::array<Named, 12> kNamed = {{{"ut", 0},
                                                    {"utc", 0},
                                                    {"gmt", 0},
                                                    {"z", 0},
                                                    {"est", -5},
                                                    {"edt", -4},
                                                    {"cst", -6},
                                                    {"cdt", -5},
                                                    {"mst", -7},
                                                    {"mdt", -6},
                                                    {"pst", -8},
                                                    {"pdt", -7}}};
  Zone z;
  if (!all_alpha(tok) || tok.size() > 5) return z;
  z.ok = true;
  const std::string low = detail::to_lower(tok);
  for (const Named& n : kNamed) {
    if (low == n.name) z.minutes = n.hours * 60;
  }
  return z;
}

struct Time {
  bool ok = false;
  int h = 0, m = 0, s = 0;
  std::string_view zone_suffix;  // "+0200" glued to the time ("10:52:37+0200")
};

Time parse_time(std::string_view tok, bool& obsolete) {
  Time t;
  std::size_t cut = tok.find_first_of("+-");
  if (cut != std::string_view::npos) {
    t.zone_suffix = tok.substr(cut);
    tok = tok.substr(0, cut);
    obsolete = true;
  }
  std::string_view parts[3];
  int n = 0;
  while (n < 3) {
    const std::size_t colon = tok.find(':');
    parts[n++] = tok.substr(0, colon);
    if (colon == std::string_view::npos) break;
    tok.remove_prefix(colon + 1);
    if (n == 3) return t;  // a fourth field
  }
  if (n < 2) return t;
  if (!all_digits(parts[0]) || parts[0].size() > 2) return t;
  if (parts[0].size() == 1) obsolete = true;  // §3.3 hour is 2DIGIT
  if (!all_digits(parts[1]) || parts[1].size() != 2) return t;
  t.h = to_int(parts[0]);
  t.m = to_int(parts[1]);
  if (n == 3) {
    if (!all_digits(parts[2]) || parts[2].size() != 2) return t;
    t.s = to_int(parts[2]);
  } else {
    obsolete = true;  // seconds omitted: flagged, as the interface documents
  }
  // §3.3: second may be 60 for a leap second.
  if (t.h > 23 || t.m > 59 || t.s > 60) return t;
  t.ok = true;
  return t;
}

// Splits the value into words. Comments become separators (they are CFWS, §3.2.2), as do commas
// (the one after the day of week). "01-Jul-2003" is split at the hyphens; a leading '+'/'-' stays
// on its word because it is a zone sign.
std::vector<std::string> tokenize(std::string_view s, bool& comma_after_first) {
  std::vector<std::string> out;
  std::string cur;
  bool malformed = false;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size() && out.size() < 64;) {
    const char c = s[i];
    if (c == '(') {
      flush();
      detail::skip_comment(s, i, nullptr, malformed);
      continue;
    }
    if (detail::is_space(c) || c == ',') {
      flush();
      if (c == ',' && out.size() == 1) comma_after_first = true;
      ++i;
      continue;
    }
    cur.push_back(c);
    ++i;
  }
  flush();
  // "01-Jul-2003": a hyphenated word holding a month name.
  std::vector<std::string> split;
  for (std::string& w : out) {
    const bool has_alpha = w.find_first_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
                           std::string::npos;
    if (has_alpha && w.size() > 1 && w[0] != '-' && w.find('-') != std::string::npos &&
        w.find(':') == std::string::npos) {
      std::size_t start = 0;
      while (start <= w.size()) {
        const std::size_t dash = w.find('-', start);
        const std::size_t end = dash == std::string::npos ? w.size() : dash;
        if (end > start) split.push_back(w.substr(start, end - start));
        if (dash == std::string::npos) break;
        start = dash + 1;
      }
    } else {
      split.push_back(std::move(w));
    }
  }
  return split;
}

}  // namespace

std::optional<DateTime> parse_date(std::string_view raw_value) {
  bool obsolete = false;
  bool comma_after_first = false;
  const std::vector<std::string> tok = tokenize(raw_value, comma_after_first);
  std::size_t k = 0;
  const std::size_t n = tok.size();

  // Optional day-of-week (§3.3); its consistency with the date is not a parsing matter.
  if (k < n && match_name(tok[k], kDays, obsolete) >= 0) {
    if (!comma_after_first) obsolete = true;
    ++k;
  }
  if (k >= n) return std::nullopt;

  std::string_view day_tok, year_tok, time_tok;
  int month = -1;
  if (all_digits(tok[k])) {
    // RFC order: day month year time.
    if (k + 3 >= n) return std::nullopt;
    day_tok = tok[k];
    month = match_name(tok[k + 1], kMonths, obsolete);
    year_tok = tok[k + 2];
    time_tok = tok[k + 3];
    k += 4;
  } else if ((month = match_name(tok[k], kMonths, obsolete)) >= 0) {
    // asctime() order, still emitted by some scripts: "Jul 1 10:52:37 2003" or "Jul 1 2003
    // 10:52:37".
    obsolete = true;
    if (k + 3 >= n) return std::nullopt;
    day_tok = tok[k + 1];
    if (tok[k + 2].find(':') != std::string::npos) {
      time_tok = tok[k + 2];
      year_tok = tok[k + 3];
    } else {
      year_tok = tok[k + 2];
      time_tok = tok[k + 3];
    }
    k += 4;
  } else {
    return std::nullopt;
  }
  if (month < 0) return std::nullopt;
  if (!all_digits(day_tok) || day_tok.size() > 2) return std::nullopt;
  if (!all_digits(year_tok) || year_tok.size() < 2 || year_tok.size() > 4) return std::nullopt;

  // §4.3: a two-digit year below 50 is 20xx, otherwise 19xx; three digits add 1900.
  std::int64_t year = to_int(year_tok);
  if (year_tok.size() == 2) {
    year += year < 50 ? 2000 : 1900;
    obsolete = true;
  } else if (year_tok.size() == 3) {
    year += 1900;
    obsolete = true;
  } else if (year < 1900) {
    return std::nullopt;  // §3.3: four-digit years are 1900 or later
  }
  const auto m = static_cast<unsigned>(month + 1);
  const int day = to_int(day_tok);
  if (day < 1 || static_cast<unsigned>(day) > days_in_month(year, m)) return std::nullopt;

  const Time t = parse_time(time_tok, obsolete);
  if (!t.ok) return std::nullopt;

  // Zone: numeric, named, missing (read as -0000, §4.3), or glued to the time.
  Zone zone;
  std::string_view zone_tok = t.zone_suffix;
  if (zone_tok.empty() && k < n) zone_tok = tok[k++];
  if (zone_tok.empty()) {
    obsolete = true;
    zone.ok = true;
  } else if (zone_tok[0] == '+' || zone_tok[0] == '-') {
    zone = numeric_zone(zone_tok, obsolete);
    if (!zone.ok) return std::nullopt;
  } else {
    // "GMT+0200", "UTC-5": a name glued to an offset; the offset is what the writer meant.
    const std::size_t sign = zone_tok.find_first_of("+-");
    if (sign != std::string_view::npos) {
      zone = numeric_zone(zone_tok.substr(sign), obsolete);
      if (!zone.ok || !all_alpha(zone_tok.substr(0, sign))) return std::nullopt;
    } else {
      zone = named_zone(zone_tok);
      if (!zone.ok) return std::nullopt;
    }
    obsolete = true;
  }
  // Words after the zone ("+0200 CEST" without parentheses) carry no instant; tolerated.
  if (k < n) obsolete = true;

  DateTime dt;
  dt.utc_offset_minutes = zone.minutes;
  dt.obsolete_syntax = obsolete;
  dt.unix_seconds = days_from_civil(year, m, static_cast<unsigned>(day)) * 86400 +
                    t.h * 3600 + t.m * 60 + t.s - static_cast<std::int64_t>(zone.minutes) * 60;
  return dt;
}

}  // namespace vigie::parse
