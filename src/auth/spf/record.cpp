// SPF record syntax, RFC 7208 §4.5–§4.6 and the ABNF of §5–§7 and §12. This file owns the decision
// "is this record well-formed", made once for the whole record before evaluation: every term is
// classified (modifier when a name is followed by '=' before any ':' or '/', §4.6.1), every
// mechanism argument checked (domain-spec with its top label, ip4/ip6 networks through inet_pton,
// CIDR lengths without leading zeros and within range), and the redirect/exp modifiers checked for
// duplicates (§6). Unknown modifiers are kept out of the Record but their macro syntax is checked
// (§6, A/3). Records come from DNS, so this code accepts any bytes and never fails other than by
// returning an error.
#include "auth/spf/record.h"

#include "auth/spf/macro.h"
#include "common/ascii.h"

namespace vigie::auth::spf {
namespace {

using ascii::iequals;

// DNS messages cap a TXT record at 64 KiB; a longer input is not from DNS and is refused outright.
constexpr std::size_t kMaxRecordLength = 65535;
constexpr std::string_view kVersion = "v=spf1";

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

tl::unexpected<Error> permerror(LocalizedText why) { return fail(Error::invalid_argument_in_words(std::move(why))); }

// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ):
// letters and digits with at least one letter, or with inner hyphens ("xn--zckzah").
bool is_toplabel(std::string_view label) {
  if (label.empty()) return false;
  bool has_alpha = false;
  bool has_hyphen = false;
  for (char c : label) {
    if (c == '-') {
      has_hyphen = true;
    } else if (!is_alnum(c)) {
      return false;
    }
    has_alpha = has_alpha || is_alpha(c);
  }
  if (has_hyphen) return label.front() != '-' && label.back() != '-';
  return has_alpha;
}

// ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT); ip6 allows up to three digits. The value must
// not exceed the address length (§5.6: "invalid CIDR" is a permerror).
std::optional<unsigned> parse_cidr(std::string_view digits, unsigned max) {
  if (digits.empty() || digits.size() > 3) return std::nullopt;
  if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
  unsigned value = 0;
  for (char c : digits) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

// Removes a trailing dual-cidr-length ( ["/" digits] ["//" digits] ) from an a/mx argument.
Result<std::string_view> strip_dual_cidr(std::string_view rest, Mechanism& mechanism) {
  auto trailing_digits = [](std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && is_digit(s[s.size() - 1 - n])) ++n;
    return n;
  };
  std::size_t n = trailing_digits(rest);
  if (n > 0 && rest.size() >= n + 2 && rest.substr(rest.size() - n - 2, 2) == "//") {
    auto cidr = parse_cidr(rest.substr(rest.size() - n), 128);
    if (!cidr) {
      return permerror({"invalid ip6-cidr-length in '" + std::string(rest) + "'",
                        "ip6-cidr-length invalide dans '" + std::string(rest) + "'"});
    }
    mechanism.cidr6 = *cidr;
    rest.remove_suffix(n + 2);
    n = trailing_digits(rest);
  }
  if (n > 0 && rest.size() >= n + 1 && rest[rest.size() - n - 1] == '/' &&
      (rest.size() < n + 2 || rest[rest.size() - n - 2] != '/')) {
    auto cidr = parse_cidr(rest.substr(rest.size() - n), 32);
    if (!cidr) {
      return permerror({"invalid ip4-cidr-length in '" + std::string(rest) + "'",
                        "ip4-cidr-length invalide dans '" + std::string(rest) + "'"});
    }
    mechanism.cidr4 = *cidr;
    rest.remove_suffix(n + 1);
  }
  return rest;
}

// ":" domain-spec, required (include, exists) or optional (a, mx, ptr).
Result<std::string> domain_argument(std::string_view rest, bool required, std::string_view name) {
  if (rest.empty()) {
    if (required) {
      return permerror({std::string(name) + " requires ':' domain-spec", std::string(name) + " exige ':' domain-spec"});
    }
    return std::string();
  }
  if (rest.front() != ':') {
    return permerror({"unexpected '" + std::string(rest) + "' after " + std::string(name),
                      "'" + std::string(rest) + "' inattendu après " + std::string(name)});
  }
  const std::string_view spec = rest.substr(1);
  if (LocalizedText why = domain_spec_problem(spec); !why.en.empty()) {
    return permerror({std::string(name) + ": " + why.en, std::string(name) + " : " + why.fr});
  }
  return std::string(spec);
}

Result<Mechanism> parse_ip(std::string_view rest, Mechanism mechanism, bool v4) {
  const std::string_view name = v4 ? "ip4" : "ip6";
  if (rest.size() < 2 || rest.front() != ':') {
    return permerror({std::string(name) + " requires ':' and a network", std::string(name) + " exige ':' et un réseau"});
  }
  std::string_view network = rest.substr(1);
  const std::size_t slash = network.find('/');
  if (slash != std::string_view::npos) {
    auto cidr = parse_cidr(network.substr(slash + 1), v4 ? 32 : 128);
    if (!cidr) {
      const std::string written = std::string(name) + ":" + std::string(network);
      return permerror({"invalid CIDR length in " + written, "longueur CIDR invalide dans " + written});
    }
    (v4 ? mechanism.cidr4 : mechanism.cidr6) = *cidr;
    network = network.substr(0, slash);
  }
  auto address = v4 ? IpAddress::parse_v4(network) : IpAddress::parse_v6(network);
  if (!address) {
    const std::string family = v4 ? "IPv4" : "IPv6";
    return permerror({"'" + std::string(network) + "' is not an " + family + " address",
                      "'" + std::string(network) + "' n'est pas une adresse " + family});
  }
  mechanism.network = *address;
  return mechanism;
}

Result<Mechanism> parse_mechanism(std::string_view term) {
  Mechanism mechanism;
  mechanism.text = std::string(term);
  switch (term.front()) {
    case '+': mechanism.qualifier = Qualifier::kPass; term.remove_prefix(1); break;
    case '-': mechanism.qualifier = Qualifier::kFail; term.remove_prefix(1); break;
    case '~': mechanism.qualifier = Qualifier::kSoftFail; term.remove_prefix(1); break;
    case '?': mechanism.qualifier = Qualifier::kNeutral; term.remove_prefix(1); break;
    default: break;
  }
  const std::size_t end = term.find_first_of(":/");
  const std::string_view name = term.substr(0, end);
  const std::string_view rest = end == std::string_view::npos ? std::string_view() : term.substr(end);
  if (iequals(name, "all")) {
    if (!rest.empty()) return permerror({"'all' takes no argument", "'all' ne prend pas d'argument"});
    mechanism.kind = MechanismKind::kAll;
    return mechanism;
  }
  if (iequals(name, "include") || iequals(name, "exists")) {
    mechanism.kind = iequals(name, "include") ? MechanismKind::kInclude : MechanismKind::kExists;
    auto spec = domain_argument(rest, true, name);
    if (!spec) return fail(std::move(spec.error()));
    mechanism.domain_spec = std::move(*spec);
    return mechanism;
  }
  if (iequals(name, "a") || iequals(name, "mx")) {
    mechanism.kind = iequals(name, "a") ? MechanismKind::kA : MechanismKind::kMx;
    auto body = strip_dual_cidr(rest, mechanism);
    if (!body) return fail(std::move(body.error()));
    auto spec = domain_argument(*body, false, name);
    if (!spec) return fail(std::move(spec.error()));
    mechanism.domain_spec = std::move(*spec);
    return mechanism;
  }
  if (iequals(name, "ptr")) {
    mechanism.kind = MechanismKind::kPtr;
    auto spec = domain_argument(rest, false, name);
    if (!spec) return fail(std::move(spec.error()));
    mechanism.domain_spec = std::move(*spec);
    return mechanism;
  }
  if (iequals(name, "ip4") || iequals(name, "ip6")) {
    const bool v4 = iequals(name, "ip4");
    mechanism.kind = v4 ? MechanismKind::kIp4 : MechanismKind::kIp6;
    return parse_ip(rest, mechanism, v4);
  }
  return permerror({"unknown mechanism '" + std::string(name) + "'", "mécanisme inconnu '" + std::string(name) + "'"});
}

}  // namespace

bool is_spf_record(std::string_view text) {
  if (text.size() < kVersion.size() || !iequals(text.substr(0, kVersion.size()), kVersion)) {
    return false;
  }
  return text.size() == kVersion.size() || text[kVersion.size()] == ' ';
}

std::string domain_spec_error(std::string_view spec) { return domain_spec_problem(spec).en; }

LocalizedText domain_spec_problem(std::string_view spec) {
  if (spec.empty()) return {"empty domain-spec", "domain-spec vide"};
  const MacroCheck check = check_macro_string(spec, MacroScope::kDomainSpec);
  if (!check.valid) return {check.error, check.error_fr};
  if (check.ends_with_macro) return {};
  // domain-end = ( "." toplabel [ "." ] ) / macro-expand
  std::string_view rest = spec;
  if (rest.back() == '.') rest.remove_suffix(1);
  const std::size_t dot = rest.rfind('.');
  if (dot == std::string_view::npos || !is_toplabel(rest.substr(dot + 1))) {
    return {"'" + std::string(spec) + "' does not end in a valid top label or a macro",
            "'" + std::string(spec) + "' ne se termine pas par un label de premier niveau valide ni par une macro"};
  }
  return {};
}

Result<Record> parse_record(std::string_view text) {
  if (text.size() > kMaxRecordLength) {
    return permerror({"record longer than 65535 bytes", "enregistrement de plus de 65535 octets"});
  }
  if (!is_spf_record(text)) return permerror({"not an SPF record (no v=spf1)", "pas un enregistrement SPF (pas de v=spf1)"});
  // §3.1, §4.6.1: records are 7-bit ASCII and terms are separated by spaces only; any other byte
  // (control characters, tabs, non-ASCII) is a syntax error.
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) {
      return permerror({"control or non-ASCII byte in record", "octet de contrôle ou non ASCII dans l'enregistrement"});
    }
  }
  Record record;
  std::size_t i = kVersion.size();
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    std::size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view term = text.substr(i, end - i);
    i = end;
    const std::size_t separator = term.find_first_of("=:/");
    if (separator != std::string_view::npos && term[separator] == '=') {
      // modifier = name "=" macro-string; name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
      const std::string_view name = term.substr(0, separator);
      const std::string_view value = term.substr(separator + 1);
      const LocalizedText invalid_name{"invalid modifier name in '" + std::string(term) + "'",
                                       "nom de modificateur invalide dans '" + std::string(term) + "'"};
      if (name.empty() || !is_alpha(name.front())) return permerror(invalid_name);
      for (char c : name) {
        if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return permerror(invalid_name);
      }
      // redirect and exp take a domain-spec; §6: each at most once.
      if (iequals(name, "redirect") || iequals(name, "exp")) {
        auto& slot = iequals(name, "redirect") ? record.redirect : record.explanation;
        if (slot) {
          return permerror({"modifier '" + std::string(name) + "' appears twice",
                            "le modificateur '" + std::string(name) + "' apparaît deux fois"});
        }
        if (LocalizedText why = domain_spec_problem(value); !why.en.empty()) {
          return permerror({std::string(name) + "=: " + why.en, std::string(name) + "= : " + why.fr});
        }
        slot = std::string(value);
        continue;
      }
      // Unknown modifiers are ignored (§6) but must still be valid macro-strings (A/3). The ABNF
      // macro-letter list includes c, r and t, and an unknown modifier is never expanded.
      const MacroCheck check = check_macro_string(value, MacroScope::kExplanation);
      if (!check.valid) {
        return permerror({"modifier '" + std::string(name) + "': " + check.error,
                          "modificateur '" + std::string(name) + "' : " + check.error_fr});
      }
      continue;
    }
    auto mechanism = parse_mechanism(term);
    if (!mechanism) return fail(std::move(mechanism.error()));
    record.mechanisms.push_back(std::move(*mechanism));
  }
  return record;
}

}  // namespace vigie::auth::spf
