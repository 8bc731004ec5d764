// DKIM-Signature / ARC-Message-Signature tag semantics, RFC 6376 §3.5 and §6.1.1, RFC 8617 §4.1.2.
// Every check here is one the RFC lists as making the signature unusable (PERMFAIL): a missing
// required tag, an incompatible version, i= outside d=, a DKIM h= without From. What the verifier
// cannot process (unknown a=, c= or q=) is reported as kUnsupported rather than kSyntax, because
// the field may be perfectly valid for a newer verifier.
#include "auth/dkim/signature.h"

#include <limits>

#include "auth/dkim/tag_list.h"
#include "common/ascii.h"

namespace vigie::auth::dkim {
namespace {

using ascii::iequals;
using ascii::lower;
using ascii::lowercase;

// RFC 6376 §3.5: t= and x= are at most 12 digits; l= at most 76.
constexpr std::size_t kMaxTimeDigits = 12;
constexpr std::size_t kMaxLengthDigits = 76;

tl::unexpected<SignatureError> problem(DkimFailure failure, LocalizedText reason) {
  std::string french = french_unless_same(reason);
  return tl::unexpected<SignatureError>(SignatureError{failure, std::move(reason.en), std::move(french)});
}
tl::unexpected<SignatureError> syntax(LocalizedText reason) { return problem(DkimFailure::kSyntax, std::move(reason)); }
tl::unexpected<SignatureError> unsupported(LocalizedText reason) {
  return problem(DkimFailure::kUnsupported, std::move(reason));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Digits to an unsigned value, saturating (l= may legally have 76 digits).
std::uint64_t saturating_value(std::string_view digits) {
  std::uint64_t value = 0;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (value > (kMax - d) / 10) return kMax;
    value = value * 10 + d;
  }
  return value;
}

// Splits a colon-separated list (h=, q=), trimming whitespace around each element.
std::vector<std::string_view> split_colon(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = text.find(':', pos);
    out.push_back(trim(text.substr(pos, end == std::string_view::npos ? end : end - pos)));
    if (end == std::string_view::npos) return out;
    pos = end + 1;
  }
}

// RFC 5322 field-name: printable ASCII except ':'.
bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 33 || u > 126 || c == ':') return false;
  }
  return true;
}

}  // namespace

Hash hash_of(Algorithm algorithm) {
  return algorithm == Algorithm::kRsaSha1 ? Hash::kSha1 : Hash::kSha256;
}

KeyType key_type_of(Algorithm algorithm) {
  return algorithm == Algorithm::kEd25519Sha256 ? KeyType::kEd25519 : KeyType::kRsa;
}

std::string_view to_string(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kRsaSha1: return "rsa-sha1";
    case Algorithm::kRsaSha256: return "rsa-sha256";
    case Algorithm::kEd25519Sha256: return "ed25519-sha256";
  }
  return "?";
}

std::optional<Algorithm> parse_algorithm(std::string_view name) {
  if (iequals(name, "rsa-sha256")) return Algorithm::kRsaSha256;
  if (iequals(name, "rsa-sha1")) return Algorithm::kRsaSha1;
  if (iequals(name, "ed25519-sha256")) return Algorithm::kEd25519Sha256;
  return std::nullopt;
}

bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return label > 0;
}

tl::expected<Signature, SignatureError> parse_signature(std::string_view value,
                                                        SignatureKind kind) {
  auto parsed = parse_tag_list(value);
  if (!parsed) return syntax({"malformed tag list: " + parsed.error().message,
                                "liste de balises mal formée : " + parsed.error().message_in_french()});
  const TagList& tags = *parsed;
  const bool dkim = kind == SignatureKind::kDkim;

  Signature sig;
  sig.kind = kind;
  const char* required_dkim[] = {"v", "a", "b", "bh", "d", "h", "s"};
  const char* required_arc[] = {"i", "a", "b", "bh", "d", "h", "s"};
  for (const char* name : dkim ? required_dkim : required_arc) {
    if (!tags.has(name)) {
      return syntax({std::string("required tag ") + name + "= is missing",
                     std::string("la balise obligatoire ") + name + "= manque"});
    }
  }

  if (dkim) {
    // §3.5: v= is "1"; anything else is a version this verifier does not know (§6.1.1 PERMFAIL).
    if (*tags.get("v") != "1") {
      const std::string version(tags.get("v")->substr(0, 16));
      return unsupported({"unsupported version v=" + version, "version non prise en charge v=" + version});
    }
  } else {
    const std::string_view i = *tags.get("i");
    if (!all_digits(i) || i.size() > 2 || saturating_value(i) < 1 ||
        saturating_value(i) > kMaxArcInstance) {
      const std::string instance(i.substr(0, 16));
      return syntax({"ARC instance i=" + instance + " is not 1 to 50",
                     "l'instance ARC i=" + instance + " n'est pas entre 1 et 50"});
    }
    sig.instance = static_cast<unsigned>(saturating_value(i));
  }

  sig.algorithm_text = std::string(*tags.get("a"));
  const auto algorithm = parse_algorithm(sig.algorithm_text);
  if (!algorithm) {
    return unsupported({"unsupported algorithm a=" + sig.algorithm_text.substr(0, 32),
                        "algorithme non pris en charge a=" + sig.algorithm_text.substr(0, 32)});
  }
  sig.algorithm = *algorithm;

  sig.b_text = strip_whitespace(*tags.get("b"));
  auto b = decode_base64(sig.b_text);
  if (!b || b->empty()) return syntax({"b= is not base64 or is empty", "b= n'est pas en base64 ou est vide"});
  sig.signature = std::move(*b);
  auto bh = decode_base64(*tags.get("bh"));
  if (!bh || bh->empty()) return syntax({"bh= is not base64 or is empty", "bh= n'est pas en base64 ou est vide"});
  sig.body_hash = std::move(*bh);

  if (auto c = tags.get("c")) {
    const std::size_t slash = c->find('/');
    const std::string_view header = c->substr(0, slash);
    const std::string_view body =
        slash == std::string_view::npos ? std::string_view("simple") : c->substr(slash + 1);
    auto canon = [](std::string_view s) -> std::optional<Canon> {
      if (iequals(s, "simple")) return Canon::kSimple;
      if (iequals(s, "relaxed")) return Canon::kRelaxed;
      return std::nullopt;
    };
    const auto hc = canon(header);
    const auto bc = canon(body);
    if (!hc || !bc)
      return unsupported({"unsupported canonicalization c=" + std::string(c->substr(0, 32)),
                          "canonisation non prise en charge c=" + std::string(c->substr(0, 32))});
    sig.header_canon = *hc;
    sig.body_canon = *bc;
  }

  sig.domain = lowercase(*tags.get("d"));
  if (!is_dns_name(sig.domain))
    return syntax({"d=" + sig.domain.substr(0, 64) + " is not a domain name",
                   "d=" + sig.domain.substr(0, 64) + " n'est pas un nom de domaine"});
  sig.selector = std::string(*tags.get("s"));
  if (!is_dns_name(sig.selector)) {
    return syntax({"s=" + sig.selector.substr(0, 64) + " is not a valid selector",
                   "s=" + sig.selector.substr(0, 64) + " n'est pas un sélecteur valide"});
  }
  if (sig.selector.size() + sig.domain.size() + 12 > 253) {
    return syntax({"s= and d= make a key name longer than 253 bytes",
                   "s= et d= forment un nom de clé de plus de 253 octets"});
  }

  const std::vector<std::string_view> names = split_colon(*tags.get("h"));
  if (names.size() > kMaxSignedHeaders) {
    const std::string most = std::to_string(kMaxSignedHeaders);
    return syntax({"h= lists more than " + most + " header fields", "h= énumère plus de " + most + " champs d'en-tête"});
  }
  bool has_from = false;
  for (std::string_view name : names) {
    // An empty name in an AMS (an empty h=, "a::b", a trailing ':') selects no field, which is
    // what hashing it would do anyway: RFC 8617 gives the AMS no rule that makes it unusable.
    // In a DKIM-Signature the hdr-name grammar of RFC 6376 §3.5 has no empty names.
    if (!dkim && name.empty()) continue;
    if (!is_field_name(name)) {
      return syntax({"h= holds an invalid header field name", "h= contient un nom de champ d'en-tête invalide"});
    }
    sig.signed_headers.push_back(lowercase(name));
    has_from = has_from || sig.signed_headers.back() == "from";
  }
  // §5.4: the From field MUST be signed. RFC 8617 does not carry the rule over to the AMS (it
  // signs what the sealer chooses); dkimpy and OpenARC do not require it there, so neither do we.
  if (dkim && !has_from) return syntax({"h= does not include From", "h= n'inclut pas From"});
  if (!dkim) {
    for (const std::string& name : sig.signed_headers) {
      // RFC 8617 §4.1.2: the AMS MUST NOT sign ARC-Seal fields.
      if (name == "arc-seal") {
        return syntax({"the ARC-Message-Signature signs an ARC-Seal field",
                       "l'ARC-Message-Signature signe un champ ARC-Seal"});
      }
    }
  }

  if (dkim) {
    if (auto i = tags.get("i")) {
      // §3.5 i=: [ Local-part ] "@" domain-name, the domain being d= or a subdomain of it.
      const std::size_t at = i->rfind('@');
      if (at == std::string_view::npos) return syntax({"i= has no '@'", "i= n'a pas de '@'"});
      const std::string domain = lowercase(i->substr(at + 1));
      const bool within = domain == sig.domain ||
                          (domain.size() > sig.domain.size() && domain.ends_with(sig.domain) &&
                           domain[domain.size() - sig.domain.size() - 1] == '.');
      if (!within)
        return syntax({"i= domain " + domain.substr(0, 64) + " is not within d=" + sig.domain,
                       "le domaine de i= " + domain.substr(0, 64) + " n'est pas sous d=" + sig.domain});
      sig.identity = std::string(*i);
    } else {
      sig.identity = "@" + sig.domain;
    }
  }

  if (auto l = tags.get("l")) {
    if (!all_digits(*l) || l->size() > kMaxLengthDigits) return syntax({"l= is not a number", "l= n'est pas un nombre"});
    sig.body_length = saturating_value(*l);
  }

  if (auto q = tags.get("q")) {
    bool dns_txt = false;
    for (std::string_view method : split_colon(*q)) {
      // "dns/txt" possibly with options after '/'; only that method exists.
      dns_txt = dns_txt || iequals(method, "dns/txt") || iequals(method, "dns");
    }
    if (!dns_txt) {
      return unsupported({"unsupported query method q=" + std::string(q->substr(0, 32)),
                          "méthode de requête non prise en charge q=" + std::string(q->substr(0, 32))});
    }
  }

  for (const char* name : {"t", "x"}) {
    if (auto v = tags.get(name)) {
      if (!all_digits(*v) || v->size() > kMaxTimeDigits) {
        return syntax({std::string(name) + "= is not a timestamp", std::string(name) + "= n'est pas un horodatage"});
      }
      (name[0] == 't' ? sig.timestamp : sig.expiration) =
          static_cast<std::int64_t>(saturating_value(*v));
    }
  }
  if (sig.timestamp && sig.expiration && *sig.expiration < *sig.timestamp) {
    return syntax({"x= is before t=", "x= précède t="});
  }
  return sig;
}

}  // namespace vigie::auth::dkim
