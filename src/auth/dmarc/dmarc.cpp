// DMARC evaluation (RFC 7489 §6.6). See dmarc.h for the decisions this module owns.
#include "auth/dmarc/dmarc.h"

#include <algorithm>
#include <cstdint>

#include "common/ascii.h"
#include "parse/url/url.h"

namespace vigie::auth::dmarc {
namespace {

// Organizational domain (§3.2): the registrable domain, or the domain itself when it is a public
// suffix or unknown.
std::string organizational_domain(std::string_view domain) {
  return parse::registrable_domain(domain, parse::WithoutRegistrable::kHost);
}

using ascii::lowercase;

constexpr std::size_t kMaxRecordBytes = 4096;  // far above any real record; bounds the parse

// RFC 7489 §6.4 tag-value pairs separated by ';'. Empty elements (a trailing ';') are allowed.
std::vector<std::pair<std::string, std::string_view>> split_tags(std::string_view text) {
  std::vector<std::pair<std::string, std::string_view>> tags;
  while (!text.empty()) {
    const std::size_t semicolon = text.find(';');
    const std::string_view element = ascii::trim_blanks(text.substr(0, semicolon));
    text = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
    if (element.empty()) continue;
    const std::size_t equals = element.find('=');
    if (equals == std::string_view::npos) {
      tags.emplace_back(lowercase(element), std::string_view{});
      continue;
    }
    tags.emplace_back(lowercase(ascii::trim_blanks(element.substr(0, equals))), ascii::trim_blanks(element.substr(equals + 1)));
  }
  return tags;
}

bool is_dmarc_record(std::string_view text) {
  const std::vector<std::pair<std::string, std::string_view>> tags = split_tags(text.substr(0, 64));
  return !tags.empty() && tags.front().first == "v" && tags.front().second == "DMARC1";
}

std::optional<DmarcPolicy> policy_value(std::string_view value) {
  const std::string v = lowercase(value);
  if (v == "none") return DmarcPolicy::kNone;
  if (v == "quarantine") return DmarcPolicy::kQuarantine;
  if (v == "reject") return DmarcPolicy::kReject;
  return std::nullopt;
}

std::optional<Alignment> alignment_value(std::string_view value) {
  const std::string v = lowercase(value);
  if (v == "r") return Alignment::kRelaxed;
  if (v == "s") return Alignment::kStrict;
  return std::nullopt;
}

// rua= is a comma-separated list of URIs (§6.4); one with a scheme is enough to keep the record.
std::vector<std::string> report_uris(std::string_view value) {
  std::vector<std::string> uris;
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    const std::string_view uri = ascii::trim_blanks(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    if (uri.find(':') != std::string_view::npos && uri.find(':') > 0) uris.emplace_back(uri);
  }
  return uris;
}

bool aligned(std::string_view identifier, std::string_view from_domain, Alignment mode) {
  if (identifier.empty()) return false;
  const std::string id = lowercase(identifier);
  if (id == from_domain) return true;
  return mode == Alignment::kRelaxed && organizational_domain(id) == organizational_domain(from_domain);
}

// FNV-1a: a stable, platform-independent hash for pct= sampling.
std::uint32_t sample_hash(std::string_view key) {
  std::uint32_t h = 2166136261u;
  for (const char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

// §6.6.4: a message outside the pct= sample gets the next weaker policy.
DmarcPolicy weaker(DmarcPolicy policy) {
  return policy == DmarcPolicy::kReject ? DmarcPolicy::kQuarantine : DmarcPolicy::kNone;
}

struct Lookup {
  enum class Status { kFound, kAbsent, kTempError, kMultiple } status = Status::kAbsent;
  std::string text;
  std::string detail;
  std::string detail_fr;
};

Lookup find_record(const dns::Resolver& resolver, const std::string& domain) {
  Lookup out;
  const dns::DnsAnswer answer = resolver.lookup("_dmarc." + domain, dns::RecordType::kTxt);
  if (answer.status == dns::DnsStatus::kTempError) {
    out.status = Lookup::Status::kTempError;
    out.detail = answer.detail;
    out.detail_fr = answer.detail_in_french();
    return out;
  }
  std::vector<std::string> records;
  for (const dns::DnsRecord& r : answer.records) {
    std::string joined;
    for (const std::string& s : r.strings) joined += s;
    if (is_dmarc_record(joined)) records.push_back(std::move(joined));
  }
  if (records.size() > 1) {
    out.status = Lookup::Status::kMultiple;
  } else if (records.size() == 1) {
    out.status = Lookup::Status::kFound;
    out.text = std::move(records.front());
  }
  return out;
}

}  // namespace


Result<DmarcRecord> parse_record(std::string_view text) {
  if (text.size() > kMaxRecordBytes) {
    return fail(Error::invalid_argument_in_words(
        {"DMARC record longer than 4096 bytes", "enregistrement DMARC de plus de 4096 octets"}));
  }
  const auto tags = split_tags(text);
  if (tags.empty() || tags.front().first != "v" || tags.front().second != "DMARC1") {
    return fail(Error::invalid_argument_in_words(
        {"record does not start with v=DMARC1", "l'enregistrement ne commence pas par v=DMARC1"}));
  }
  DmarcRecord record;
  bool policy_valid = false;
  bool subdomain_policy_invalid = false;
  for (const auto& [name, value] : tags) {
    if (name == "p") {
      if (const auto p = policy_value(value)) {
        record.policy = *p;
        policy_valid = true;
      }
    } else if (name == "sp") {
      if (const auto sp = policy_value(value)) {
        record.subdomain_policy = *sp;
      } else {
        subdomain_policy_invalid = true;
      }
    } else if (name == "adkim") {
      record.dkim_alignment = alignment_value(value).value_or(Alignment::kRelaxed);
    } else if (name == "aspf") {
      record.spf_alignment = alignment_value(value).value_or(Alignment::kRelaxed);
    } else if (name == "pct") {
      const bool digits = !value.empty() && value.size() <= 3 &&
                          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      const unsigned pct = digits ? static_cast<unsigned>(std::stoul(std::string(value))) : 101;
      if (pct <= 100) record.pct = pct;
    } else if (name == "rua") {
      record.aggregate_reports = report_uris(value);
    }
    // fo, rf, ri, ruf and unknown tags do not change the evaluation (§6.3: unknown tags ignored).
  }
  if (!policy_valid || subdomain_policy_invalid) {
    if (record.aggregate_reports.empty()) {
      return fail(Error::invalid_argument_in_words(
          policy_valid ? LocalizedText{"invalid sp= tag", "balise sp= invalide"}
                       : LocalizedText{"missing or invalid p= tag", "balise p= absente ou invalide"}));
    }
    record.policy = DmarcPolicy::kNone;  // §6.6.3: act as p=none, the owner still gets reports
    record.subdomain_policy.reset();
  }
  return record;
}

DmarcAuthResult evaluate(const dns::Resolver& resolver, const DmarcInputs& in) {
  DmarcAuthResult out;
  if (in.from_domain.empty()) {
    out.result = AuthResultCode::kPermError;
    if (in.from_problem.empty()) {
      set_reason(out, {"no From domain", "pas de domaine From"});
    } else {
      set_reason(out, {std::string(in.from_problem),
                       std::string(in.from_problem_fr.empty() ? in.from_problem : in.from_problem_fr)});
    }
    return out;
  }
  out.from_domain = lowercase(in.from_domain);
  out.organizational_domain = organizational_domain(out.from_domain);

  Lookup lookup = find_record(resolver, out.from_domain);
  out.record_domain = out.from_domain;
  if (lookup.status == Lookup::Status::kAbsent && out.organizational_domain != out.from_domain) {
    lookup = find_record(resolver, out.organizational_domain);
    out.record_domain = out.organizational_domain;
  }
  switch (lookup.status) {
    case Lookup::Status::kTempError:
      out.result = AuthResultCode::kTempError;
      set_reason(out, {"DMARC record lookup for " + out.record_domain + " failed: " + lookup.detail,
                       "échec de la recherche de l'enregistrement DMARC de " + out.record_domain + " : " +
                           lookup.detail_fr});
      return out;
    case Lookup::Status::kMultiple:
      set_reason(out, {"several DMARC records at _dmarc." + out.record_domain + ": none applies (RFC 7489 §6.6.3)",
                       "plusieurs enregistrements DMARC en _dmarc." + out.record_domain +
                           " : aucun ne s'applique (RFC 7489 §6.6.3)"});
      return out;
    case Lookup::Status::kAbsent:
      out.record_domain.clear();
      set_reason(out, {"no DMARC record for " + out.from_domain, "aucun enregistrement DMARC pour " + out.from_domain});
      return out;
    case Lookup::Status::kFound:
      break;
  }
  const Result<DmarcRecord> record = parse_record(lookup.text);
  if (!record) {
    out.result = AuthResultCode::kPermError;
    set_reason(out, {"DMARC record at _dmarc." + out.record_domain + " is invalid: " + record.error().message,
                     "l'enregistrement DMARC en _dmarc." + out.record_domain + " est invalide : " +
                         record.error().message_in_french()});
    return out;
  }
  const bool subdomain = out.record_domain != out.from_domain;
  out.policy = subdomain && record->subdomain_policy ? *record->subdomain_policy : record->policy;
  out.pct = record->pct;

  if (in.spf != nullptr && in.spf->result == AuthResultCode::kPass) {
    out.spf_aligned = aligned(in.spf->domain, out.from_domain, record->spf_alignment);
  }
  std::string aligned_dkim;
  for (const DkimAuthResult& d : in.dkim) {
    if (d.result == AuthResultCode::kPass &&
        aligned(d.domain, out.from_domain, record->dkim_alignment)) {
      out.dkim_aligned = true;
      aligned_dkim = d.domain;
      break;
    }
  }
  if (out.spf_aligned || out.dkim_aligned) {
    out.result = AuthResultCode::kPass;
    set_reason(out, out.dkim_aligned
                        ? LocalizedText{"DKIM signature of " + aligned_dkim + " aligned with From",
                                        "signature DKIM de " + aligned_dkim + " alignée sur From"}
                        : LocalizedText{"SPF pass for " + in.spf->domain + " aligned with From",
                                        "SPF pass pour " + in.spf->domain + " aligné sur From"});
    return out;
  }
  out.result = AuthResultCode::kFail;
  LocalizedText reason{"no SPF or DKIM pass aligned with " + out.from_domain,
                       "aucun SPF ou DKIM pass aligné sur " + out.from_domain};
  out.disposition = *out.policy;
  if (record->pct < 100 && sample_hash(in.sample_key) % 100 >= record->pct) {
    out.disposition = weaker(*out.policy);
    reason.en += "; outside the pct=" + std::to_string(record->pct) + " sample";
    reason.fr += " ; hors de l'échantillon pct=" + std::to_string(record->pct);
  }
  if (in.arc != nullptr && in.arc->result == ArcChainStatus::kPass &&
      out.disposition != DmarcPolicy::kNone) {
    const std::string sealer = lowercase(in.arc->sealer);
    if (std::find(in.trusted_arc_sealers.begin(), in.trusted_arc_sealers.end(), sealer) !=
        in.trusted_arc_sealers.end()) {
      out.arc_override = true;
      out.disposition = DmarcPolicy::kNone;
      reason.en += "; overridden: valid ARC chain sealed by trusted " + sealer;
      reason.fr += " ; levé : chaîne ARC valide scellée par " + sealer + " (scelleur de confiance)";
    }
  }
  set_reason(out, std::move(reason));
  return out;
}

}  // namespace vigie::auth::dmarc
