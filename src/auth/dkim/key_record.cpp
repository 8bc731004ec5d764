// Key record semantics, RFC 6376 §3.6.1 and RFC 8463 §4. Unknown hash names in h=, unknown
// services in s= and unknown flags in t= are ignored as §3.6.1 requires; an unknown k= makes the
// record unusable because the verifier cannot know how to read p=.
#include "auth/dkim/key_record.h"

#include "auth/dkim/tag_list.h"
#include "common/ascii.h"

namespace vigie::auth::dkim {
namespace {

using ascii::iequals;
using ascii::lower;

tl::unexpected<KeyError> invalid(LocalizedText reason) {
  std::string french = french_unless_same(reason);
  return tl::unexpected<KeyError>(KeyError{DkimFailure::kKeyInvalid, std::move(reason.en), std::move(french)});
}

// Calls f on each trimmed element of a colon-separated list.
template <typename F>
void for_each_item(std::string_view list, F f) {
  std::size_t pos = 0;
  while (true) {
    const std::size_t end = list.find(':', pos);
    f(trim(list.substr(pos, end == std::string_view::npos ? end : end - pos)));
    if (end == std::string_view::npos) return;
    pos = end + 1;
  }
}

}  // namespace

tl::expected<KeyRecord, KeyError> parse_key_record(std::string_view text) {
  auto parsed = parse_tag_list(text);
  if (!parsed) return invalid({"malformed key record: " + parsed.error().message,
                                 "enregistrement de clé mal formé : " + parsed.error().message_in_french()});
  const TagList& tags = *parsed;
  KeyRecord key;

  // §3.6.1 v=: optional, but when present it MUST be the first tag and be "DKIM1".
  if (auto v = tags.get("v")) {
    if (tags.tags.front().name != "v") return invalid({"v= is not the first tag of the key record",
                                                             "v= n'est pas la première balise de l'enregistrement de clé"});
    if (*v != "DKIM1") return invalid({"key record version v=" + std::string(v->substr(0, 16)),
                                            "version d'enregistrement de clé v=" + std::string(v->substr(0, 16))});
  }
  if (auto h = tags.get("h")) {
    key.allows_sha1 = false;
    key.allows_sha256 = false;
    for_each_item(*h, [&](std::string_view name) {
      key.allows_sha1 = key.allows_sha1 || iequals(name, "sha1");
      key.allows_sha256 = key.allows_sha256 || iequals(name, "sha256");
    });
  }
  if (auto k = tags.get("k")) {
    if (iequals(*k, "rsa")) {
      key.type = KeyType::kRsa;
    } else if (iequals(*k, "ed25519")) {
      key.type = KeyType::kEd25519;
    } else {
      return invalid({"unknown key type k=" + std::string(k->substr(0, 16)),
                      "type de clé inconnu k=" + std::string(k->substr(0, 16))});
    }
  }
  if (auto s = tags.get("s")) {
    bool email = false;
    for_each_item(*s, [&](std::string_view service) {
      email = email || service == "*" || iequals(service, "email");
    });
    if (!email)
      return invalid({"the key is not for e-mail (s=" + std::string(s->substr(0, 32)) + ")",
                      "la clé n'est pas pour le courrier électronique (s=" + std::string(s->substr(0, 32)) + ")"});
  }
  if (auto t = tags.get("t")) {
    for_each_item(*t, [&](std::string_view flag) {
      key.testing = key.testing || flag == "y";
      key.strict = key.strict || flag == "s";
    });
  }
  const auto p = tags.get("p");
  if (!p) return invalid({"the key record has no p=", "l'enregistrement de clé n'a pas de p="});
  auto decoded = decode_base64(*p);
  if (!decoded) return invalid({"p= is not base64", "p= n'est pas en base64"});
  if (decoded->empty()) {
    return tl::unexpected<KeyError>(
        KeyError{DkimFailure::kKeyRevoked, "the key was revoked (empty p=)", "la clé a été révoquée (p= vide)"});
  }
  key.public_key = std::move(*decoded);
  return key;
}

}  // namespace vigie::auth::dkim
