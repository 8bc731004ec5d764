// RFC 8617 §5.2 chain validation (see arc.h). The steps run in the RFC's order, each one able to
// end the validation with "fail":
//   1. collect the ARC sets by instance (none at all: "none"); limits and malformed i= fail;
//   2. the newest ARC-Seal says cv=fail: the chain was already broken upstream;
//   3. structure: instances 1..N each with exactly one AAR, AMS and AS; cv=none at 1 only;
//   4. the newest AMS verifies (the message as it is now is what the newest sealer signed);
//   5. oldest-pass: the oldest instance from which every AMS up to N still verifies;
//   6. every ARC-Seal verifies, newest first.
// The AS header data (§5.1.1) is AAR, AMS, AS of instances 1..i in that order, relaxed, with
// the b= of the AS being validated emptied and its final CRLF dropped.
#include "auth/arc/arc.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "auth/dkim/crypto.h"
#include "auth/dkim/tag_list.h"

namespace vigie::auth::arc {
namespace {

using dkim::SignedMessage;

// Seal i hashes every ARC field of instances 1..i, so the cost of validating a chain grows with
// the square of its size; real ARC fields are a few hundred bytes to a few KB.
constexpr std::size_t kMaxArcFieldSize = dkim::kMaxTagListSize;

enum Member : std::uint8_t { kAar = 0, kAms = 1, kAs = 2 };
constexpr std::array<std::string_view, 3> kMemberNames = {"ARC-Authentication-Results",
                                                          "ARC-Message-Signature", "ARC-Seal"};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view value_of(std::string_view field) {
  const std::size_t colon = field.find(':');
  return colon == std::string_view::npos ? std::string_view() : field.substr(colon + 1);
}

// i= of an instance: 1 or 2 digits without a leading zero; 0 when malformed.
unsigned instance_number(std::string_view digits) {
  if (digits.empty() || digits.size() > 2 || digits.front() == '0') return 0;
  unsigned value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value;
}

// RFC 8617 §4.1.1: the AAR value starts with "i=" instance ";" before the authres payload.
unsigned aar_instance(std::string_view value) {
  std::size_t i = 0;
  while (i < value.size() && is_wsp(value[i])) ++i;
  if (i >= value.size() || value[i] != 'i') return 0;
  ++i;
  while (i < value.size() && is_wsp(value[i])) ++i;
  if (i >= value.size() || value[i] != '=') return 0;
  ++i;
  while (i < value.size() && is_wsp(value[i])) ++i;
  const std::size_t start = i;
  while (i < value.size() && value[i] >= '0' && value[i] <= '9') ++i;
  const std::string_view digits = value.substr(start, i - start);
  while (i < value.size() && is_wsp(value[i])) ++i;
  if (i >= value.size() || value[i] != ';') return 0;
  return instance_number(digits);
}

// A parsed ARC-Seal (RFC 8617 §4.1.3).
struct Seal {
  dkim::Algorithm algorithm = dkim::Algorithm::kRsaSha256;
  std::string signature;
  ArcChainStatus cv = ArcChainStatus::kNone;
  std::string domain;
  std::string selector;
  std::optional<std::int64_t> timestamp;
};

tl::unexpected<LocalizedText> unusable(LocalizedText why) { return tl::unexpected<LocalizedText>(std::move(why)); }

tl::expected<Seal, LocalizedText> parse_seal(std::string_view value) {
  // RFC 8617 §4.1.3 gives the AS the tag-list syntax of RFC 6376 §3.2, read strictly: an empty
  // tag-spec ("s=dummy;;") is a malformed seal, which fails the chain.
  auto tags = dkim::parse_tag_list(value, dkim::EmptyTagSpecs::kReject);
  if (!tags) {
    return unusable({"malformed tag list: " + tags.error().message,
                     "liste de balises mal formée : " + tags.error().message_in_french()});
  }
  for (const char* name : {"i", "a", "b", "cv", "d", "s"}) {
    if (!tags->has(name)) {
      return unusable({std::string("no ") + name + "= tag", std::string("pas de balise ") + name + "="});
    }
  }
  // §4.1.3: h= is not allowed in an ARC-Seal; if present the seal is invalid.
  if (tags->has("h")) return unusable({"an ARC-Seal may not have h=", "un ARC-Seal ne peut pas avoir h="});
  Seal seal;
  const auto algorithm = dkim::parse_algorithm(*tags->get("a"));
  if (!algorithm) {
    const std::string written(tags->get("a")->substr(0, 32));
    return unusable({"unsupported algorithm a=" + written, "algorithme non pris en charge a=" + written});
  }
  seal.algorithm = *algorithm;
  auto b = dkim::decode_base64(*tags->get("b"));
  if (!b || b->empty()) return unusable({"b= is not base64 or is empty", "b= n'est pas en base64 ou est vide"});
  seal.signature = std::move(*b);
  std::string cv(*tags->get("cv"));
  for (char& c : cv) c = lower(c);
  if (cv == "none") {
    seal.cv = ArcChainStatus::kNone;
  } else if (cv == "pass") {
    seal.cv = ArcChainStatus::kPass;
  } else if (cv == "fail") {
    seal.cv = ArcChainStatus::kFail;
  } else {
    return unusable({"cv=" + cv.substr(0, 16) + " is not none, pass or fail",
                     "cv=" + cv.substr(0, 16) + " n'est ni none, ni pass, ni fail"});
  }
  seal.domain = std::string(*tags->get("d"));
  for (char& c : seal.domain) c = lower(c);
  seal.selector = std::string(*tags->get("s"));
  if (!dkim::is_dns_name(seal.domain) || !dkim::is_dns_name(seal.selector) ||
      seal.domain.size() + seal.selector.size() + 12 > 253) {
    return unusable({"d= or s= is not a valid name", "d= ou s= n'est pas un nom valide"});
  }
  if (auto t = tags->get("t")) {
    if (t->empty() || t->size() > 12 ||
        t->find_first_not_of("0123456789") != std::string_view::npos) {
      return unusable({"t= is not a timestamp", "t= n'est pas un horodatage"});
    }
    std::int64_t seconds = 0;
    for (char c : *t) seconds = seconds * 10 + (c - '0');
    seal.timestamp = seconds;
  }
  return seal;
}

struct Collected {
  // sets[i - 1][member]: index of the field in the message; nullopt when absent.
  std::vector<std::array<std::optional<std::size_t>, 3>> sets;
  bool any = false;             // at least one ARC field, well-formed or not
  LocalizedText error;          // structure problem found while collecting
  unsigned error_instance = 0;  // 0 when the problem belongs to no instance (unreadable i=)
};

Collected collect(const SignedMessage& message, unsigned max_instances) {
  Collected out;
  for (int m = kAar; m <= kAs; ++m) {
    std::string name(kMemberNames[static_cast<std::size_t>(m)]);
    for (char& c : name) c = lower(c);
    for (std::size_t index : message.fields_named(name)) {
      out.any = true;
      const std::string_view value = value_of(message.fields()[index].text);
      unsigned instance = 0;
      if (m == kAar) {
        instance = aar_instance(value);
      } else if (auto tags = dkim::parse_tag_list(value); tags && tags->get("i")) {
        instance = instance_number(*tags->get("i"));
      }
      if (instance == 0) {
        if (out.error.en.empty()) {
          const std::string member(kMemberNames[static_cast<std::size_t>(m)]);
          out.error = {"an " + member + " field has no valid instance i=",
                       "un champ " + member + " n'a pas d'instance i= valide"};
        }
        continue;
      }
      if (instance > max_instances) {
        if (out.error.en.empty()) {
          out.error = {"instance i=" + std::to_string(instance) + " is over the limit of " +
                           std::to_string(max_instances) + " ARC sets",
                       "l'instance i=" + std::to_string(instance) + " dépasse la limite de " +
                           std::to_string(max_instances) + " jeux ARC"};
          out.error_instance = instance;
        }
        continue;
      }
      if (out.sets.size() < instance) out.sets.resize(instance);
      auto& slot = out.sets[instance - 1][static_cast<std::size_t>(m)];
      if (slot && out.error.en.empty()) {
        const std::string member(kMemberNames[static_cast<std::size_t>(m)]);
        out.error = {"instance " + std::to_string(instance) + " has more than one " + member,
                     "l'instance " + std::to_string(instance) + " a plus d'un champ " + member};
        out.error_instance = instance;
      }
      slot = index;
    }
  }
  return out;
}

}  // namespace

ArcAuthResult validate_arc(const SignedMessage& message, dkim::KeyCache& keys,
                           std::int64_t now_unix, const ArcOptions& options) {
  ArcAuthResult result;
  auto fail = [&](unsigned instance, LocalizedText reason) {
    result.result = ArcChainStatus::kFail;
    result.failed_instance = instance;
    set_reason(result, std::move(reason));
    return result;
  };
  // "the ARC-Seal of instance 2", "l'ARC-Seal de l'instance 2".
  auto seal_of = [](unsigned i) {
    return LocalizedText{"the ARC-Seal of instance " + std::to_string(i), "l'ARC-Seal de l'instance " + std::to_string(i)};
  };

  // 1. Collect.
  Collected collected = collect(message, options.max_instances);
  if (!collected.any) {
    set_reason(result, {"the message has no ARC sets", "le message n'a pas de jeu ARC"});
    return result;
  }
  const auto n = static_cast<unsigned>(collected.sets.size());
  result.instance = n;
  if (!collected.error.en.empty()) return fail(collected.error_instance, collected.error);

  // Sealer of the newest set, for the record, whatever happens next.
  std::optional<Seal> newest_seal;
  if (auto index = collected.sets[n - 1][kAs]) {
    if (auto seal = parse_seal(value_of(message.fields()[*index].text))) {
      result.sealer = seal->domain;
      newest_seal = std::move(*seal);
    }
  }

  // 2. The newest sealer already found the chain broken.
  if (newest_seal && newest_seal->cv == ArcChainStatus::kFail) {
    return fail(n, {seal_of(n).en + " records cv=fail: the chain was already broken when it was sealed",
                    seal_of(n).fr + " indique cv=fail : la chaîne était déjà rompue quand elle a été scellée"});
  }

  // 3. Structure.
  std::vector<Seal> seals(n);
  for (unsigned i = 1; i <= n; ++i) {
    const auto& set = collected.sets[i - 1];
    for (int m = kAar; m <= kAs; ++m) {
      const std::string member(kMemberNames[static_cast<std::size_t>(m)]);
      if (!set[static_cast<std::size_t>(m)]) {
        return fail(i, {"instance " + std::to_string(i) + " has no " + member,
                        "l'instance " + std::to_string(i) + " n'a pas de champ " + member});
      }
      if (message.fields()[*set[static_cast<std::size_t>(m)]].text.size() > kMaxArcFieldSize) {
        const std::string most = std::to_string(kMaxArcFieldSize);
        return fail(i, {"the " + member + " of instance " + std::to_string(i) + " is longer than " + most + " bytes",
                        "le champ " + member + " de l'instance " + std::to_string(i) + " dépasse " + most +
                            " octets"});
      }
    }
    auto seal = parse_seal(value_of(message.fields()[*set[kAs]].text));
    if (!seal) {
      return fail(i, {seal_of(i).en + " is unusable: " + seal.error().en,
                      seal_of(i).fr + " est inutilisable : " + seal.error().fr});
    }
    if (i == 1 && seal->cv != ArcChainStatus::kNone) {
      const std::string cv(to_string(seal->cv));
      return fail(i, {seal_of(1).en + " has cv=" + cv + " instead of none",
                      seal_of(1).fr + " a cv=" + cv + " au lieu de none"});
    }
    if (i > 1 && seal->cv != ArcChainStatus::kPass) {
      const std::string cv(to_string(seal->cv));
      return fail(i, {seal_of(i).en + " has cv=" + cv + " instead of pass",
                      seal_of(i).fr + " a cv=" + cv + " au lieu de pass"});
    }
    seals[i - 1] = std::move(*seal);
  }

  // 4. The newest AMS.
  auto verify_ams = [&](unsigned i) {
    return dkim::verify_signature_field(message, *collected.sets[i - 1][kAms],
                                        dkim::SignatureKind::kArcMessage, keys, now_unix,
                                        options.dkim);
  };
  const DkimAuthResult newest_ams = verify_ams(n);
  if (newest_ams.result != AuthResultCode::kPass) {
    result.temporary_error = newest_ams.result == AuthResultCode::kTempError;
    const LocalizedText why = reason_text(newest_ams);
    return fail(n, {"the ARC-Message-Signature of instance " + std::to_string(n) + " does not verify: " + why.en,
                    "l'ARC-Message-Signature de l'instance " + std::to_string(n) + " ne se vérifie pas : " +
                        why.fr});
  }

  // 5. oldest-pass.
  result.oldest_pass = n;
  for (unsigned i = n - 1; i >= 1; --i) {
    if (verify_ams(i).result != AuthResultCode::kPass) break;
    result.oldest_pass = i;
  }

  // 6. Every seal, newest first. The sets are canonicalised once, in instance order; seal i signs
  // the prefix up to its own AS plus that AS without b= (the fields are size-capped above, so the
  // quadratic copying stays in the megabytes).
  std::string chain;
  std::vector<std::size_t> before_seal(n);
  for (unsigned i = 1; i <= n; ++i) {
    for (int m = kAar; m <= kAs; ++m) {
      if (m == kAs) before_seal[i - 1] = chain.size();
      dkim::canonicalize_header(
          dkim::Canon::kRelaxed,
          message.fields()[*collected.sets[i - 1][static_cast<std::size_t>(m)]].text, chain);
    }
  }
  std::string data;
  for (unsigned i = n; i >= 1; --i) {
    const Seal& seal = seals[i - 1];
    if (seal.timestamp && *seal.timestamp > now_unix + options.dkim.allowed_clock_skew) {
      const std::string made = std::to_string(*seal.timestamp);
      return fail(i, {seal_of(i).en + " was made in the future (t=" + made + ")",
                      seal_of(i).fr + " a été fait dans le futur (t=" + made + ")"});
    }
    data.assign(chain, 0, before_seal[i - 1]);
    const std::string_view seal_text = message.fields()[*collected.sets[i - 1][kAs]].text;
    dkim::canonicalize_header(dkim::Canon::kRelaxed, dkim::without_b_value(seal_text), data);
    data.resize(data.size() - 2);
    auto key = keys.key_for(seal.selector, seal.domain, seal.algorithm, {}, options.dkim);
    if (!key) {
      result.temporary_error = key.error().result == AuthResultCode::kTempError;
      return fail(i, {seal_of(i).en + " cannot be checked: " + key.error().reason.en,
                      seal_of(i).fr + " ne peut pas être vérifié : " + key.error().reason.fr});
    }
    if (!key->key.verify(dkim::hash_of(seal.algorithm), data, seal.signature)) {
      return fail(i, {seal_of(i).en + " (d=" + seal.domain + ") does not verify: the ARC headers were changed or forged",
                      seal_of(i).fr + " (d=" + seal.domain +
                          ") ne se vérifie pas : les en-têtes ARC ont été modifiés ou falsifiés"});
    }
    if (seal.algorithm == dkim::Algorithm::kRsaSha1) {
      return fail(i, {seal_of(i).en + " uses rsa-sha1, which is too weak to be accepted (RFC 8301)",
                      seal_of(i).fr + " utilise rsa-sha1, trop faible pour être accepté (RFC 8301)"});
    }
  }

  result.result = ArcChainStatus::kPass;
  set_reason(result, {"the ARC chain of " + std::to_string(n) + " set" + (n > 1 ? "s" : "") +
                          " verifies; the newest sealer is " + result.sealer,
                      "la chaîne ARC de " + std::to_string(n) + (n > 1 ? " jeux" : " jeu") +
                          " se vérifie ; le scelleur le plus récent est " + result.sealer});
  return result;
}

ArcAuthResult validate_arc(const ParsedMessage& message, const dns::Resolver& resolver,
                           std::int64_t now_unix, const ArcOptions& options) {
  const SignedMessage signed_message(message);
  dkim::KeyCache keys(resolver);
  return validate_arc(signed_message, keys, now_unix, options);
}

}  // namespace vigie::auth::arc
