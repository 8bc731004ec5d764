// DKIM verification, RFC 6376 §6.1 (see dkim.h). The order of the checks follows §6.1: the
// signature field alone (§6.1.1, plus the x=/t= time checks, which need no DNS), then the key
// (§6.1.2), then the body hash and only then the header signature (§6.1.3), so that a body changed
// in transit is reported as such (kBodyHash) rather than as a broken signature. RFC 8301 comes
// last: an rsa-sha1 signature is fully verified, so that the reason can say whether it would
// otherwise have passed, and then refused.
#include "auth/dkim/dkim.h"

#include "auth/dkim/tag_list.h"

namespace vigie::auth::dkim {
namespace {

constexpr std::string_view kDkimSignature = "dkim-signature";
// RFC 8601 §2.7.1 header.b: a prefix of b= long enough to tell signatures apart.
constexpr std::size_t kHeaderBLength = 12;

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

constexpr bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view value_of(std::string_view field) {
  const std::size_t colon = field.find(':');
  return colon == std::string_view::npos ? std::string_view() : field.substr(colon + 1);
}

// Fills domain, selector, algorithm and header.b from a field that did not parse as a signature,
// when its tag list at least is readable, so that analysts see whose signature it was.
void fill_best_effort(DkimAuthResult& result, std::string_view value) {
  auto tags = parse_tag_list(value);
  if (!tags) return;
  if (auto d = tags->get("d")) result.domain = lowercase(d->substr(0, 253));
  if (auto s = tags->get("s")) result.selector = std::string(s->substr(0, 253));
  if (auto a = tags->get("a")) result.algorithm = std::string(a->substr(0, 32));
  if (auto b = tags->get("b")) result.header_b = strip_whitespace(*b).substr(0, kHeaderBLength);
}

std::string key_name(const std::string& selector, const std::string& domain) {
  return lowercase(selector) + "._domainkey." + domain;
}

}  // namespace

// --- SignedMessage ---

SignedMessage::SignedMessage(const ParsedMessage& message) : body_(message.root().body) {
  const std::string_view raw = message.raw();
  const char* const begin = raw.data();
  const char* const end = raw.data() + raw.size();
  for (const HeaderField& header : message.root().headers) {
    const char* value_end = header.value.data() + header.value.size();
    const bool in_buffer = header.value.data() >= begin && value_end <= end &&
                           header.offset <= static_cast<std::uint64_t>(header.value.data() - begin);
    // The root part always lives in the message buffer; anything else would be a parser change,
    // in which case the field cannot be hashed as written and gets an empty text.
    const std::string_view text =
        in_buffer
            ? raw.substr(header.offset, static_cast<std::size_t>(value_end - begin) - header.offset)
            : std::string_view();
    fields_.push_back(Field{header.name, text});
  }
  index_fields();
}

SignedMessage::SignedMessage(std::vector<Field> fields, std::string_view body)
    : fields_(std::move(fields)), body_(body) {
  index_fields();
}

void SignedMessage::index_fields() {
  for (std::size_t i = 0; i < fields_.size(); ++i)
    by_name_[lowercase(fields_[i].name)].push_back(i);
}

const std::string& SignedMessage::canonical_body(Canon canon) const {
  auto& slot = canonical_[canon == Canon::kSimple ? 0 : 1];
  if (!slot) slot = std::make_unique<std::string>(canonicalize_body(canon, body_));
  return *slot;
}

const std::vector<std::size_t>& SignedMessage::fields_named(
    const std::string& lowercase_name) const {
  static const std::vector<std::size_t> kNone;
  const auto it = by_name_.find(lowercase_name);
  return it == by_name_.end() ? kNone : it->second;
}

// --- KeyCache ---

namespace {

// The key record at `name` as DNS answered: parsed and, when usable, decoded once, here, so that
// the shared cache holds keys ready for verification.
ResolvedKey read_key(const std::string& name, const dns::DnsAnswer& answer) {
  auto problem = [&](AuthResultCode result, DkimFailure failure, LocalizedText reason) {
    return ResolvedKey{tl::unexpected<KeyProblem>(KeyProblem{result, failure, std::move(reason)})};
  };
  switch (answer.status) {
    case dns::DnsStatus::kTempError:
      return problem(AuthResultCode::kTempError, DkimFailure::kDnsError,
                     {"the key lookup of " + name + " failed temporarily" +
                          (answer.detail.empty() ? "" : " (" + answer.detail + ")"),
                      "la recherche de la clé " + name + " a échoué temporairement" +
                          (answer.detail.empty() ? "" : " (" + answer.detail_in_french() + ")")});
    case dns::DnsStatus::kNxDomain:
    case dns::DnsStatus::kNoData: break;
    case dns::DnsStatus::kRecords: {
      std::vector<const dns::DnsRecord*> txt;
      for (const auto& record : answer.records) {
        if (record.type == dns::RecordType::kTxt) txt.push_back(&record);
      }
      if (txt.empty()) break;
      if (txt.size() > 1) {
        // RFC 6376 §3.6.2.2: the key record at a selector must be unique; several leave the
        // verifier no defined way to choose.
        return problem(AuthResultCode::kPermError, DkimFailure::kKeyInvalid,
                       {name + " has " + std::to_string(txt.size()) +
                            " TXT records; a DKIM key record must be unique",
                        name + " a " + std::to_string(txt.size()) +
                            " enregistrements TXT ; un enregistrement de clé DKIM doit être unique"});
      }
      std::string joined;  // §3.6.2.2: strings of one TXT record are joined without separator
      for (const std::string& piece : txt.front()->strings) joined += piece;
      auto record = parse_key_record(joined);
      if (!record) {
        return problem(AuthResultCode::kPermError, record.error().failure,
                       {record.error().reason + " (key record at " + name + ")",
                        (record.error().reason_fr.empty() ? record.error().reason : record.error().reason_fr) +
                            " (enregistrement de clé en " + name + ")"});
      }
      ResolvedKey resolved{std::move(*record)};
      resolved.key = PublicKey::load(resolved.record->type, resolved.record->public_key);
      resolved.record->public_key.clear();  // decoded: `key` is what verification uses
      resolved.record->public_key.shrink_to_fit();
      return resolved;
    }
  }
  return problem(AuthResultCode::kPermError, DkimFailure::kNoKey,
                 {"no key record at " + name, "aucun enregistrement de clé en " + name});
}

}  // namespace

const ResolvedKey& KeyCache::fetch(const std::string& name) {
  if (auto it = entries_.find(name); it != entries_.end()) return *it->second;
  ++lookups_;
  std::shared_ptr<const ResolvedKey> resolved;
  if (shared_ != nullptr) {
    if (std::shared_ptr<const ResolvedKey> cached = shared_->find(name)) {
      // Charged to the message's budget like a lookup, so that the result does not depend on
      // what other messages warmed up (budgeted_resolver.h).
      std::optional<dns::DnsAnswer> refused = resolver_.charge_cached_lookup();
      resolved = refused ? std::make_shared<const ResolvedKey>(read_key(name, *refused))
                         : std::move(cached);
    }
  }
  if (!resolved) {
    const dns::DnsAnswer answer = resolver_.lookup(name, dns::RecordType::kTxt);
    resolved = std::make_shared<const ResolvedKey>(read_key(name, answer));
    // Only what records said is kept: an absent key is cheap to ask again, a temporary error
    // must be asked again.
    if (shared_ != nullptr && answer.status == dns::DnsStatus::kRecords) {
      shared_->insert(name, resolved, answer.ttl);
    }
  }
  return *entries_.emplace(name, std::move(resolved)).first->second;
}

tl::expected<VerificationKey, KeyProblem> KeyCache::key_for(const std::string& selector,
                                                            const std::string& domain,
                                                            Algorithm algorithm,
                                                            std::string_view auid_domain,
                                                            const DkimOptions& options) {
  const std::string name = key_name(selector, domain);
  const ResolvedKey& entry = fetch(name);
  if (!entry.record) return tl::unexpected<KeyProblem>(entry.record.error());
  const KeyRecord& record = *entry.record;
  auto invalid = [&](DkimFailure failure, LocalizedText reason) {
    return tl::unexpected<KeyProblem>(
        KeyProblem{AuthResultCode::kPermError, failure, std::move(reason)});
  };
  if (record.type != key_type_of(algorithm)) {
    const bool rsa = record.type == KeyType::kRsa;
    return invalid(DkimFailure::kKeyInvalid,
                   {"the key at " + name + " is " + (rsa ? "an RSA key" : "an Ed25519 key") +
                        " but the signature uses " + std::string(to_string(algorithm)),
                    "la clé en " + name + " est une clé " + (rsa ? "RSA" : "Ed25519") +
                        " mais la signature utilise " + std::string(to_string(algorithm))});
  }
  const Hash hash = hash_of(algorithm);
  if ((hash == Hash::kSha1 && !record.allows_sha1) ||
      (hash == Hash::kSha256 && !record.allows_sha256)) {
    const std::string hash_name = hash == Hash::kSha1 ? "sha1" : "sha256";
    return invalid(DkimFailure::kKeyInvalid,
                   {"the key record at " + name + " does not allow " + hash_name + " (h=)",
                    "l'enregistrement de clé en " + name + " n'autorise pas " + hash_name + " (h=)"});
  }
  if (record.strict && !auid_domain.empty() && lowercase(auid_domain) != domain) {
    return invalid(DkimFailure::kKeyInvalid,
                   {"the key at " + name + " has t=s but i= uses a subdomain of d=" + domain,
                    "la clé en " + name + " a t=s mais i= utilise un sous-domaine de d=" + domain});
  }
  if (!entry.key) {
    return invalid(DkimFailure::kKeyInvalid, {entry.key.error().en + " (key record at " + name + ")",
                                              entry.key.error().fr + " (enregistrement de clé en " + name + ")"});
  }
  const PublicKey& key = *entry.key;
  if (key.type() == KeyType::kRsa) {
    if (key.bits() < options.min_rsa_bits) {
      const std::string bits = std::to_string(key.bits());
      const std::string minimum = std::to_string(options.min_rsa_bits);
      return invalid(DkimFailure::kKeyTooSmall,
                     {"the RSA key at " + name + " has " + bits + " bits, under the " + minimum +
                          " bits RFC 8301 requires",
                      "la clé RSA en " + name + " a " + bits + " bits, moins que les " + minimum +
                          " bits qu'exige la RFC 8301"});
    }
    if (key.bits() > kMaxRsaBits) {
      const std::string bits = std::to_string(key.bits());
      return invalid(DkimFailure::kKeyInvalid,
                     {"the RSA key at " + name + " has " + bits + " bits, over " + std::to_string(kMaxRsaBits),
                      "la clé RSA en " + name + " a " + bits + " bits, plus de " + std::to_string(kMaxRsaBits)});
    }
  }
  return VerificationKey{key, record.testing};
}

// --- Header data ---

std::string without_b_value(std::string_view field) {
  std::string out(field);
  const std::size_t colon = field.find(':');
  if (colon == std::string_view::npos) return out;
  std::size_t pos = colon + 1;
  while (pos < field.size()) {
    std::size_t end = field.find(';', pos);
    if (end == std::string_view::npos) end = field.size();
    std::size_t i = pos;
    while (i < end && is_wsp(field[i])) ++i;
    const std::size_t name_start = i;
    while (i < end && !is_wsp(field[i]) && field[i] != '=') ++i;
    const std::string_view name = field.substr(name_start, i - name_start);
    while (i < end && is_wsp(field[i])) ++i;
    if (name == "b" && i < end && field[i] == '=') {
      const std::size_t value_start = i + 1;
      std::size_t value_end = end;
      while (value_end > value_start && is_wsp(field[value_end - 1])) --value_end;
      out.erase(value_start, value_end - value_start);
      return out;
    }
    pos = end + 1;
  }
  return out;
}

std::string header_data(const SignedMessage& message,
                        const std::vector<std::string>& signed_headers, Canon canon,
                        std::string_view signature_field) {
  std::string data;
  std::unordered_map<std::string_view, std::size_t> used;  // per name, fields taken from the bottom
  for (const std::string& name : signed_headers) {
    const std::vector<std::size_t>& present = message.fields_named(name);
    std::size_t& taken = used[name];
    if (taken >= present.size()) continue;  // over-signed: a null field, nothing hashed
    ++taken;
    canonicalize_header(canon, message.fields()[present[present.size() - taken]].text, data);
  }
  canonicalize_header(canon, without_b_value(signature_field), data);
  data.resize(data.size() - 2);  // §3.7: the signature field is hashed without its final CRLF
  return data;
}

// --- Verification ---

DkimAuthResult verify_signature_field(const SignedMessage& message, std::size_t field_index,
                                      SignatureKind kind, KeyCache& keys, std::int64_t now_unix,
                                      const DkimOptions& options) {
  DkimAuthResult result;
  const std::string_view field = message.fields()[field_index].text;
  const std::string_view what =
      kind == SignatureKind::kDkim ? "signature" : "ARC-Message-Signature";
  // "la signature", "l'ARC-Message-Signature": the French names take their article.
  const std::string_view what_fr =
      kind == SignatureKind::kDkim ? "la signature" : "l'ARC-Message-Signature";
  auto parsed = parse_signature(value_of(field), kind);
  if (!parsed) {
    fill_best_effort(result, value_of(field));
    result.failure = parsed.error().failure;
    result.result = result.failure == DkimFailure::kSyntax ? AuthResultCode::kPermError
                                                           : AuthResultCode::kNeutral;
    const SignatureError& error = parsed.error();
    set_reason(result, {"unusable " + std::string(what) + ": " + error.reason,
                        std::string(what_fr) + " est inutilisable : " + (error.reason_fr.empty() ? error.reason : error.reason_fr)});
    return result;
  }
  const Signature& sig = *parsed;
  result.domain = sig.domain;
  result.selector = sig.selector;
  result.algorithm = sig.algorithm_text;
  result.identity = sig.identity;
  result.header_b = sig.b_text.substr(0, kHeaderBLength);
  result.signed_headers = sig.signed_headers;
  result.body_length_limited = sig.body_length.has_value();
  result.body_length = sig.body_length.value_or(0);

  auto finish = [&](AuthResultCode verdict, DkimFailure failure, LocalizedText reason) {
    result.result = verdict;
    result.failure = failure;
    set_reason(result, std::move(reason));
    return result;
  };

  if (sig.expiration && now_unix > *sig.expiration) {
    return finish(AuthResultCode::kFail, DkimFailure::kExpired,
                  {"the " + std::string(what) + " expired (x=" + std::to_string(*sig.expiration) + ", verified at " +
                       std::to_string(now_unix) + ")",
                   std::string(what_fr) + " a expiré (x=" + std::to_string(*sig.expiration) + ", vérification à " +
                       std::to_string(now_unix) + ")"});
  }
  if (sig.timestamp && *sig.timestamp > now_unix + options.allowed_clock_skew) {
    const std::string made = std::to_string(*sig.timestamp);
    const std::string now = std::to_string(now_unix);
    const std::string skew = std::to_string(options.allowed_clock_skew);
    return finish(AuthResultCode::kFail, DkimFailure::kFuture,
                  {"the " + std::string(what) + " was made in the future (t=" + made + ", verified at " + now +
                       ", allowed skew " + skew + "s)",
                   std::string(what_fr) + " a été faite dans le futur (t=" + made + ", vérification à " + now +
                       ", décalage admis " + skew + " s)"});
  }

  std::string_view auid_domain;
  if (kind == SignatureKind::kDkim) {
    auid_domain = std::string_view(sig.identity).substr(sig.identity.rfind('@') + 1);
  }
  auto key = keys.key_for(sig.selector, sig.domain, sig.algorithm, auid_domain, options);
  if (!key) return finish(key.error().result, key.error().failure, key.error().reason);
  result.key_bits = key->key.bits();
  const LocalizedText testing =
      key->testing ? LocalizedText{"; the domain marks this key as testing DKIM (t=y)",
                                   " ; le domaine déclare cette clé en test de DKIM (t=y)"}
                   : LocalizedText{};

  const Hash hash = hash_of(sig.algorithm);
  const std::string& body = message.canonical_body(sig.body_canon);
  std::string_view signed_body = body;
  if (sig.body_length) {
    if (*sig.body_length > body.size()) {
      const std::string length = std::to_string(*sig.body_length);
      const std::string size = std::to_string(body.size());
      return finish(AuthResultCode::kFail, DkimFailure::kBodyHash,
                    {"l=" + length + " is longer than the body (" + size + " canonical bytes): the body was cut" +
                         testing.en,
                     "l=" + length + " dépasse la longueur du corps (" + size +
                         " octets canoniques) : le corps a été coupé" + testing.fr});
    }
    signed_body = signed_body.substr(0, static_cast<std::size_t>(*sig.body_length));
    result.unsigned_body_bytes = body.size() - signed_body.size();
  }
  if (digest(hash, signed_body) != sig.body_hash) {
    return finish(AuthResultCode::kFail, DkimFailure::kBodyHash,
                  {"body hash mismatch: the body was changed after signing" + testing.en,
                   "l'empreinte du corps ne correspond pas : le corps a été modifié après la signature" + testing.fr});
  }

  const std::string data = header_data(message, sig.signed_headers, sig.header_canon, field);
  if (!key->key.verify(hash, data, sig.signature)) {
    const std::string at = key_name(sig.selector, sig.domain);
    return finish(AuthResultCode::kFail, DkimFailure::kSignature,
                  {"signature did not verify: the signed header fields were changed after signing, "
                   "or the signature was not made with the key at " + at + testing.en,
                   "la signature ne se vérifie pas : les champs d'en-tête signés ont été modifiés après la "
                   "signature, ou elle n'a pas été faite avec la clé en " + at + testing.fr});
  }
  if (sig.algorithm == Algorithm::kRsaSha1) {
    return finish(AuthResultCode::kFail, DkimFailure::kWeakAlgorithm,
                  {"the rsa-sha1 signature verified cryptographically, but rsa-sha1 is too weak "
                   "to be accepted (RFC 8301)" + testing.en,
                   "la signature rsa-sha1 se vérifie cryptographiquement, mais rsa-sha1 est trop faible "
                   "pour être acceptée (RFC 8301)" + testing.fr});
  }
  const std::string type = key->key.type() == KeyType::kRsa ? "RSA" : "Ed25519";
  const std::string bits = std::to_string(key->key.bits());
  const std::string at = key_name(sig.selector, sig.domain);
  LocalizedText reason{"verified with the " + type + " key (" + bits + " bits) at " + at,
                       "vérifiée avec la clé " + type + " (" + bits + " bits) en " + at};
  if (sig.body_length && result.unsigned_body_bytes > 0) {
    const std::string unsigned_bytes = std::to_string(result.unsigned_body_bytes);
    reason.en += "; l= leaves " + unsigned_bytes + " canonical body bytes unsigned";
    reason.fr += " ; l= laisse " + unsigned_bytes + " octets canoniques du corps non signés";
  }
  reason.en += testing.en;
  reason.fr += testing.fr;
  return finish(AuthResultCode::kPass, DkimFailure::kNone, std::move(reason));
}

std::vector<DkimAuthResult> verify_dkim(const SignedMessage& message, KeyCache& keys,
                                        std::int64_t now_unix, const DkimOptions& options) {
  std::vector<DkimAuthResult> results;
  for (std::size_t index : message.fields_named(std::string(kDkimSignature))) {
    if (results.size() >= options.max_signatures) {
      DkimAuthResult extra;
      fill_best_effort(extra, value_of(message.fields()[index].text));
      extra.result = AuthResultCode::kPermError;
      extra.failure = DkimFailure::kUnsupported;
      const std::string most = std::to_string(options.max_signatures);
      set_reason(extra, {"too many signatures: only the first " + most +
                             " DKIM-Signature fields of a message are verified",
                         "trop de signatures : seuls les " + most +
                             " premiers champs DKIM-Signature d'un message sont vérifiés"});
      results.push_back(std::move(extra));
      continue;
    }
    results.push_back(
        verify_signature_field(message, index, SignatureKind::kDkim, keys, now_unix, options));
  }
  return results;
}

std::vector<DkimAuthResult> verify_dkim(const ParsedMessage& message, const dns::Resolver& resolver,
                                        std::int64_t now_unix, const DkimOptions& options) {
  const SignedMessage signed_message(message);
  KeyCache keys(resolver);
  return verify_dkim(signed_message, keys, now_unix, options);
}

}  // namespace vigie::auth::dkim
