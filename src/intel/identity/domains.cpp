// Domain helpers (see domains.h).
#include "intel/identity/domains.h"

#include <algorithm>
#include <cctype>

#include "parse/url/public_suffix_list.h"
#include "parse/url/url.h"

namespace vigie::intel::identity {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool is_label_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
}

bool is_local_part_char(char c) {
  return is_label_char(c) || c == '.' || c == '+' || c == '%' || c == '\'' || c == '=';
}

}  // namespace

std::string normalize_domain(std::string_view domain) {
  std::string out(domain);
  std::transform(out.begin(), out.end(), out.begin(), lower);
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool is_subdomain_of(std::string_view domain, std::string_view parent) {
  return domain.size() > parent.size() && domain.ends_with(parent) &&
         domain[domain.size() - parent.size() - 1] == '.';
}

bool domain_within(std::string_view domain, const std::vector<std::string>& listed) {
  return std::any_of(listed.begin(), listed.end(),
                     [&](const std::string& d) { return domain == d || is_subdomain_of(domain, d); });
}

bool has_known_public_suffix(std::string_view domain) {
  const std::size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= domain.size()) return false;
  const std::string tld(domain.substr(dot + 1));
  if (!std::all_of(tld.begin(), tld.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return false;
  return parse::public_suffixes().is_public_suffix(tld.c_str());
}

std::string_view address_domain(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

NamedIdentities identities_in_display_name(std::string_view display_name) {
  NamedIdentities found;
  std::string text(display_name);
  std::transform(text.begin(), text.end(), text.begin(), lower);
  // Scan runs of domain characters: "a.b.c"; an '@' just before the run makes it an address.
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_label_char(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && (is_label_char(text[end]) || text[end] == '.')) ++end;
    std::string candidate = text.substr(i, end - i);
    while (!candidate.empty() && (candidate.back() == '.' || candidate.back() == '-')) candidate.pop_back();
    const bool after_at = i > 0 && text[i - 1] == '@';
    if (candidate.find('.') != std::string::npos && has_known_public_suffix(candidate)) {
      if (after_at) {
        std::size_t start = i - 1;
        while (start > 0 && is_local_part_char(text[start - 1])) --start;
        if (start < i - 1) {
          found.addresses.push_back(text.substr(start, i - start) + candidate);
        } else {
          found.domains.push_back(candidate);
        }
      } else if (end < text.size() && text[end] == '@') {
        // The local part of an address, e.g. "john.smith" in "john.smith@x.org": not a domain.
      } else {
        found.domains.push_back(candidate);
      }
    }
    i = end;
  }
  return found;
}

}  // namespace vigie::intel::identity
