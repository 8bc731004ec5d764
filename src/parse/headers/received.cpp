// Received trace fields (RFC 5321 §4.4, RFC 5322 §3.6.7). Owns the split of one field into its
// clauses (from / by / via / with / id / for, then ';' date) and the reading of the TCP-info
// comment after "from", whose layout differs per MTA:
//   Postfix   from helo (rdns [ip])                 Sendmail  from helo (rdns [ip] (may be forged))
//   Exim      from rdns ([ip] helo=x) / [ip] (helo=x) / rdns ([ip]:port helo=x)
//   qmail     from rdns (HELO x) (ip)               Exchange  from host (ip) by ... (ip)
//   Gmail     from helo (rdns. [ip])
// The connecting IP is taken only from positions the receiving MTA writes itself (the comment,
// or the Exim "[ip] (helo=" form), never from the HELO word or the "by" clause.
#include <string>
#include <vector>

#include "parse/headers/header_grammar.h"
#include "parse/headers/header_lexer.h"

namespace vigie::parse {
namespace {

using detail::iequals;
using detail::is_digit;

// Words and comments kept per field; a legitimate Received has a few dozen.
constexpr std::size_t kMaxItems = 256;

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_ipv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t digits = 0;
    int value = 0;
    while (i < s.size() && is_digit(s[i]) && digits < 4) {
      value = value * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 3 || value > 255) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

// RFC 4291 §2.2 text forms: up to 8 groups of 1-4 hex digits, one "::" at most, optionally
// ending with a dotted IPv4.
bool is_ipv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return false;
  const std::size_t dc = s.find("::");
  if (dc != std::string_view::npos && s.find("::", dc + 1) != std::string_view::npos) return false;
  int groups = 0;
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") i = 2;
  else if (s[0] == ':') return false;
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && is_hex(s[i])) ++i;
    if (i < s.size() && s[i] == '.') {
      // Embedded IPv4 must be the last element.
      if (!is_ipv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    const std::size_t len = i - start;
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') ++i;  // the "::"
    else if (i == s.size()) return false;  // trailing single ':'
  }
  return dc != std::string_view::npos ? groups < 8 : groups == 8;
}

// Normalizes an IP as written in TCP-info: strips "IPv6:" (RFC 5321 §4.1.3 address literal tag)
// and the IPv4-mapped prefix "::ffff:" (Courier, dual-stack sockets). Empty when not an IP.
std::string as_ip(std::string_view s) {
  if (detail::istarts_with(s, "ipv6:")) s.remove_prefix(5);
  if (detail::istarts_with(s, "::ffff:") && is_ipv4(s.substr(7))) s.remove_prefix(7);
  if (is_ipv4(s) || is_ipv6(s)) return std::string(s);
  return {};
}

// "[ip]" or "[ip]:port" → ip; "ip" → ip; "a.b.c.d:port" → a.b.c.d. Empty when not an IP.
std::string ip_of_word(std::string_view w) {
  if (!w.empty() && w.front() == '[') {
    const std::size_t close = w.find(']');
    if (close == std::string_view::npos) return {};
    return as_ip(w.substr(1, close - 1));
  }
  std::string ip = as_ip(w);
  if (!ip.empty()) return ip;
  const std::size_t colon = w.rfind(':');
  if (colon != std::string_view::npos && w.find(':') == colon && is_ipv4(w.substr(0, colon))) {
    return std::string(w.substr(0, colon));
  }
  return {};
}

// A reverse-DNS name as MTAs print it: "unknown" means no PTR (Postfix, qmail); an ident prefix
// "user@" (Sendmail) and the root dot "host." (Gmail) are not part of the name.
std::string rdns_of_word(std::string_view w) {
  if (const std::size_t at = w.rfind('@'); at != std::string_view::npos) w.remove_prefix(at + 1);
  while (!w.empty() && w.back() == '.') w.remove_suffix(1);
  if (w.empty() || iequals(w, "unknown") || w.front() == '[' || !ip_of_word(w).empty()) return {};
  for (const char c : w) {
    if (!(detail::is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_')) return {};
  }
  return std::string(w);
}

struct Item {
  bool comment = false;
  std::string text;
};

// Splits the clause part into words and comments (RFC 5322 §3.2.2; comments nest).
std::vector<Item> tokenize(std::string_view s) {
  std::vector<Item> items;
  bool malformed = false;
  std::size_t i = 0;
  while (i < s.size() && items.size() < kMaxItems) {
    if (detail::is_space(s[i])) {
      ++i;
    } else if (s[i] == '(') {
      Item it{true, {}};
      detail::skip_comment(s, i, &it.text, malformed);
      items.push_back(std::move(it));
    } else {
      Item it{false, {}};
      while (i < s.size() && !detail::is_space(s[i]) && s[i] != '(') it.text.push_back(s[i++]);
      items.push_back(std::move(it));
    }
  }
  return items;
}

// Words of a TCP-info comment; nested comments are flattened into the same word list.
std::vector<std::string> comment_words(std::string_view c) {
  std::vector<std::string> words;
  std::string cur;
  for (const char ch : c) {
    if (detail::is_space(ch) || ch == '(' || ch == ')') {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(ch);
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

enum class Clause { kNone, kFrom, kBy, kVia, kWith, kId, kFor };

Clause keyword(std::string_view w) {
  if (iequals(w, "from")) return Clause::kFrom;
  if (iequals(w, "by")) return Clause::kBy;
  if (iequals(w, "via")) return Clause::kVia;
  if (iequals(w, "with")) return Clause::kWith;
  if (iequals(w, "id")) return Clause::kId;
  if (iequals(w, "for")) return Clause::kFor;
  return Clause::kNone;
}

void read_tcp_info(const std::vector<std::string>& from_comments, std::string& explicit_helo,
                   std::string& rdns, std::string& ip) {
  for (const std::string& c : from_comments) {
    const std::vector<std::string> words = comment_words(c);
    for (std::size_t k = 0; k < words.size(); ++k) {
      const std::string& w = words[k];
      if (explicit_helo.empty() &&
          (detail::istarts_with(w, "helo=") || detail::istarts_with(w, "ehlo="))) {
        explicit_helo = w.substr(5);  // Exim
        continue;
      }
      if (explicit_helo.empty() && (iequals(w, "helo") || iequals(w, "ehlo")) &&
          k + 1 < words.size()) {
        explicit_helo = words[++k];  // qmail, Sendmail
        continue;
      }
      if (!ip.empty()) continue;
      std::string candidate = ip_of_word(w);
      if (candidate.empty()) continue;
      ip = std::move(candidate);
      // "rdns [ip]": the name printed just before a bracketed address is the PTR result.
      if (w.front() == '[' && k > 0 && rdns.empty()) rdns = rdns_of_word(words[k - 1]);
    }
  }
}

}  // namespace

ReceivedHop parse_received(std::string_view raw_value) {
  ReceivedHop hop;
  // The date follows the last ';' outside comments (RFC 5321 §4.4: "; date-time"); earlier
  // semicolons can sit in comments written by MTAs.
  std::size_t semicolon = std::string_view::npos;
  bool malformed = false;
  for (std::size_t i = 0; i < raw_value.size();) {
    if (raw_value[i] == '(') {
      detail::skip_comment(raw_value, i, nullptr, malformed);
    } else {
      if (raw_value[i] == ';') semicolon = i;
      ++i;
    }
  }
  std::string_view clauses = raw_value;
  if (semicolon != std::string_view::npos) {
    hop.date = parse_date(raw_value.substr(semicolon + 1));
    clauses = raw_value.substr(0, semicolon);
  }

  std::string from_word;
  std::vector<std::string> from_comments;
  bool seen[7] = {};
  bool with_done = false;
  Clause clause = Clause::kNone;
  for (Item& it : tokenize(clauses)) {
    if (it.comment) {
      if (clause == Clause::kFrom) from_comments.push_back(std::move(it.text));
      if (clause == Clause::kWith && !hop.with.empty()) with_done = true;
      continue;
    }
    if (const Clause k = keyword(it.text); k != Clause::kNone) {
      // A repeated clause is ignored rather than overwriting the first: the first is what the
      // MTA wrote, a later one is more likely part of a forged or garbled tail.
      clause = seen[static_cast<int>(k)] ? Clause::kNone : k;
      seen[static_cast<int>(k)] = true;
      continue;
    }
    std::string& w = it.text;
    switch (clause) {
      case Clause::kFrom:
        if (from_word.empty()) from_word = std::move(w);
        break;
      case Clause::kBy:
        if (hop.by.empty()) hop.by = std::move(w);
        break;
      case Clause::kWith:
        // "with Microsoft SMTP Server (...)" names the protocol in several words; Exim's
        // "with esmtps (TLS1.2) tls CIPHER" continues after a comment with other data.
        if (!with_done) {
          if (!hop.with.empty()) hop.with.push_back(' ');
          hop.with += w;
        }
        break;
      case Clause::kId:
        if (hop.id.empty()) hop.id = std::move(w);
        break;
      case Clause::kFor:
        if (hop.for_address.empty()) {
          std::string_view v = w;
          if (!v.empty() && v.front() == '<') v.remove_prefix(1);
          if (!v.empty() && v.back() == '>') v.remove_suffix(1);
          hop.for_address = std::string(v);
        }
        break;
      case Clause::kNone:
      case Clause::kVia:
        break;
    }
  }

  std::string explicit_helo;
  read_tcp_info(from_comments, explicit_helo, hop.from_rdns, hop.from_ip);
  if (explicit_helo.empty()) {
    hop.from_helo = from_word;
  } else {
    // With an explicit HELO in the comment (Exim, qmail), the "from" word is the MTA's own view
    // of the client: its PTR name, or "[ip]" when there is none.
    hop.from_helo = explicit_helo;
    if (!from_word.empty() && from_word.front() == '[') {
      if (hop.from_ip.empty()) hop.from_ip = ip_of_word(from_word);
    } else if (hop.from_rdns.empty()) {
      hop.from_rdns = rdns_of_word(from_word);
    }
  }
  return hop;
}

}  // namespace vigie::parse
