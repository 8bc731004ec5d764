// Checking and normalising indicator values (see observable_value.h).
#include "intel/misp/observable_value.h"

#include <array>
#include <utility>

#include "common/ascii.h"
#include "common/ip_address.h"
#include "common/utf8_clip.h"
#include "parse/url/url.h"

namespace vigie::intel::misp {
namespace {

// Longest value quoted back in a problem: enough to find it in the file.
constexpr std::size_t kQuotedBytes = 80;
// Longest subject or file name taken as an indicator; longer ones are not something a sender
// reuses verbatim, and a bound keeps one attribute from holding megabytes.
constexpr std::size_t kMaxTextValueBytes = 4096;

struct KindName {
  std::string_view name;
  ValueKind kind;
};
constexpr std::array kKindNames{
    KindName{"domain", ValueKind::kDomain},          KindName{"hostname", ValueKind::kDomain},
    KindName{"domain-name", ValueKind::kDomain},     KindName{"url", ValueKind::kUrl},
    KindName{"ip", ValueKind::kIp},                  KindName{"ipv4", ValueKind::kIp},
    KindName{"ipv6", ValueKind::kIp},                KindName{"cidr", ValueKind::kIp},
    KindName{"ip-src", ValueKind::kIp},              KindName{"ip-dst", ValueKind::kIp},
    KindName{"email", ValueKind::kEmailAddress},     KindName{"email-address", ValueKind::kEmailAddress},
    KindName{"email-src", ValueKind::kEmailAddress}, KindName{"email-dst", ValueKind::kEmailAddress},
    KindName{"email-reply-to", ValueKind::kEmailAddress},
    KindName{"email-subject", ValueKind::kEmailSubject}, KindName{"subject", ValueKind::kEmailSubject},
    KindName{"file-name", ValueKind::kFileName},     KindName{"filename", ValueKind::kFileName},
    KindName{"email-attachment", ValueKind::kFileName},
    KindName{"md5", ValueKind::kMd5},                KindName{"sha1", ValueKind::kSha1},
    KindName{"sha256", ValueKind::kSha256},          KindName{"sha512", ValueKind::kSha512},
};

tl::unexpected<Error> refuse(std::string_view text, std::string_view expected) {
  std::string message = "\"";
  message += utf8::clip(text, kQuotedBytes);
  if (text.size() > kQuotedBytes) message += "...";
  message += "\" is not ";
  message += expected;
  return fail(Error::invalid_argument(std::move(message)));
}

bool has_control_byte(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Result<IndicatorValue> check_ip(std::string_view text) {
  const auto network = IpNetwork::parse(text);
  if (!network) return refuse(text, "an IP address or a CIDR network (host bits after the prefix must be zero)");
  const bool v4 = network->address.is_v4();
  std::string value = network->address.to_string();
  if (text.find('/') != std::string_view::npos) value += "/" + std::to_string(network->prefix_length);
  return IndicatorValue{v4 ? ObservableType::kIpv4 : ObservableType::kIpv6, std::move(value)};
}

Result<IndicatorValue> check_domain(std::string_view text) {
  if (IpAddress::parse(text) || text.find_first_of("/@: ") != std::string_view::npos) {
    return refuse(text, "a domain name");
  }
  std::string host = parse::normalize_host(text);
  // A single label is a local name, never something a campaign registers.
  if (host.empty() || host.find('.') == std::string::npos || host.front() == '.' || host.front() == '-') {
    return refuse(text, "a domain name");
  }
  // After IDNA a registered name is letters, digits, hyphens and dots ('_' appears in DNS labels
  // that feeds list, such as _dmarc or service names).
  for (char c : host) {
    if (!(ascii::is_alnum(c) || c == '-' || c == '.' || c == '_')) return refuse(text, "a domain name");
  }
  return IndicatorValue{ObservableType::kDomain, std::move(host)};
}

Result<IndicatorValue> check_url(std::string_view text) {
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
  const std::size_t colon = text.find(':');
  bool scheme_ok = colon != std::string_view::npos && colon > 0 && ascii::is_alpha(text[0]);
  for (std::size_t i = 1; scheme_ok && i < colon; ++i) {
    const char c = text[i];
    scheme_ok = ascii::is_alnum(c) || c == '+' || c == '-' || c == '.';
  }
  if (!scheme_ok || colon + 1 == text.size() || has_control_byte(text) || text.find(' ') != std::string_view::npos) {
    return refuse(text, "a URL with a scheme");
  }
  const Url url = parse::normalize_url(text, UrlSource::kText);
  const std::string_view scheme = text.substr(0, colon);
  const bool needs_host = ascii::iequals(scheme, "http") || ascii::iequals(scheme, "https") ||
                          ascii::iequals(scheme, "ftp");
  if (needs_host && (!url.valid || url.host_ascii().empty())) return refuse(text, "a URL with a valid host");
  // The normalised form is what the matcher compares links in, when the parser could give one.
  std::string value(url.valid && !url.normalized().empty() ? url.normalized() : text);
  return IndicatorValue{ObservableType::kUrl, std::move(value)};
}

Result<IndicatorValue> check_email(std::string_view text) {
  const std::size_t at = text.rfind('@');
  if (at == std::string_view::npos || at == 0 || has_control_byte(text) ||
      text.find_first_of(" <>,") != std::string_view::npos) {
    return refuse(text, "an email address");
  }
  const auto domain = check_domain(text.substr(at + 1));
  if (!domain) return refuse(text, "an email address (its domain is not a domain name)");
  // The local part keeps its case (RFC 5321 §2.4 leaves it to the receiver); the domain does not.
  std::string value(text.substr(0, at + 1));
  value += domain->value;
  return IndicatorValue{ObservableType::kEmailAddress, std::move(value)};
}

Result<IndicatorValue> check_hash(std::string_view text, std::size_t hex_digits, ObservableType type,
                                  std::string_view name) {
  bool ok = text.size() == hex_digits;
  for (std::size_t i = 0; ok && i < text.size(); ++i) ok = ascii::is_hex_digit(text[i]);
  if (!ok) return refuse(text, std::string("a ") + std::string(name) + " (" + std::to_string(hex_digits) + " hex digits)");
  return IndicatorValue{type, ascii::lowercase(text)};
}

Result<IndicatorValue> check_text(std::string_view text, ObservableType type, std::string_view what) {
  if (text.size() > kMaxTextValueBytes || text.find('\0') != std::string_view::npos) return refuse(text, what);
  return IndicatorValue{type, std::string(text)};
}

}  // namespace

std::optional<ValueKind> value_kind_from_name(std::string_view name) {
  const std::string lower = ascii::lowercase(ascii::trim_blanks(name));
  for (const KindName& entry : kKindNames) {
    if (entry.name == lower) return entry.kind;
  }
  return std::nullopt;
}

Result<IndicatorValue> check_value(ValueKind kind, std::string_view text) {
  while (!text.empty() && ascii::is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && ascii::is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return fail(Error::invalid_argument("the value is empty"));
  switch (kind) {
    case ValueKind::kDomain: return check_domain(text);
    case ValueKind::kUrl: return check_url(text);
    case ValueKind::kIp: return check_ip(text);
    case ValueKind::kEmailAddress: return check_email(text);
    case ValueKind::kEmailSubject: return check_text(text, ObservableType::kEmailSubject, "a usable subject");
    case ValueKind::kFileName: return check_text(text, ObservableType::kFileName, "a usable file name");
    case ValueKind::kMd5: return check_hash(text, 32, ObservableType::kMd5, "MD5");
    case ValueKind::kSha1: return check_hash(text, 40, ObservableType::kSha1, "SHA-1");
    case ValueKind::kSha256: return check_hash(text, 64, ObservableType::kSha256, "SHA-256");
    case ValueKind::kSha512: return check_hash(text, 128, ObservableType::kSha512, "SHA-512");
  }
  return fail(Error::invalid_argument("unknown value kind"));
}

}  // namespace vigie::intel::misp
