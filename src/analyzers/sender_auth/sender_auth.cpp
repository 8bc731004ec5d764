// sender_auth: turns the authentication results (SPF, DKIM, DMARC, ARC) into findings an analyst
// and a reader understand. The strongest signal is a From address in one of our own protected
// domains that fails authentication: someone is writing as us. A DNS failure (temperror, including
// an ARC chain whose keys could not be fetched, and every check while live DNS is unavailable) is
// reported with no score as AUTH_TEMPORARY_ERROR, since an unanswered query proves nothing about
// the sender: the finding says that authentication could not run.
#include <algorithm>
#include <string>

#include "analyzers/analyzer.h"
#include "parse/url/url.h"

namespace vigie::analyzers::sender_auth {
namespace {

using verdict::FindingId;

double dmarc_confidence(DmarcPolicy disposition) {
  switch (disposition) {
    case DmarcPolicy::kReject: return 1;
    case DmarcPolicy::kQuarantine: return 0.75;
    case DmarcPolicy::kNone: break;
  }
  return 0.35;  // p=none: the owner publishes DMARC but has not yet asked receivers to act
}

// "example.org: <reason>": the reason of a result after what it is about, in both languages (French
// puts a space before the colon).
template <typename AuthResult>
LocalizedText about(const std::string& subject, const AuthResult& result) {
  const LocalizedText why = reason_text(result);
  return {subject + ": " + why.en, subject + " : " + why.fr};
}

// "p=reject disposition=quarantine": the policy published and what it asks for this message.
std::string policy_evidence(const DmarcAuthResult& dmarc) {
  return "p=" + std::string(dmarc.policy ? to_string(*dmarc.policy) : "") +
         " disposition=" + std::string(to_string(dmarc.disposition));
}

void check_spoofing(const AuthResults& auth, const ScanContext& context, FindingSink& sink) {
  const DmarcAuthResult& dmarc = auth.dmarc;
  const bool ours = context.facts.profile().is_protected(parse::normalize_host(dmarc.from_domain));
  const bool dkim_pass_for_from = std::any_of(auth.dkim.begin(), auth.dkim.end(), [&](const DkimAuthResult& d) {
    return d.result == AuthResultCode::kPass &&
           parse::registrable_domain(d.domain, parse::WithoutRegistrable::kHost) ==
               parse::registrable_domain(dmarc.from_domain, parse::WithoutRegistrable::kHost);
  });
  if (dmarc.result == AuthResultCode::kFail && !dmarc.arc_override) {
    std::vector<Evidence> evidence{{"header:From", dmarc.from_domain},
                                   {"dmarc", policy_evidence(dmarc)},
                                   {"auth", reason_text(dmarc)}};
    if (ours) {
      sink.emit(FindingId::SPOOFED_PROTECTED_DOMAIN, std::move(evidence));
    } else {
      sink.emit(FindingId::DMARC_FAIL, std::move(evidence), dmarc_confidence(dmarc.disposition));
    }
    return;
  }
  // A protected domain without a DMARC record (or with p=none) still must not be sent from
  // elsewhere: an SPF fail with no DKIM signature of ours is the same spoofing.
  if (ours && dmarc.result != AuthResultCode::kPass && auth.spf.result == AuthResultCode::kFail &&
      !dkim_pass_for_from) {
    sink.emit(FindingId::SPOOFED_PROTECTED_DOMAIN,
              {{"header:From", dmarc.from_domain}, {"spf", about(auth.spf.domain, auth.spf)}},
              0.8);
  }
}

void analyze(const ParsedMessage& /*message*/, const ScanContext& context,
             const AnalyzerState* /*state*/, FindingSink& sink) {
  const AuthResults& auth = context.auth;
  check_spoofing(auth, context, sink);

  if (auth.spf.result == AuthResultCode::kFail || auth.spf.result == AuthResultCode::kSoftFail) {
    sink.emit(FindingId::SPF_FAIL, {{"spf", about(auth.spf.domain, auth.spf)}},
              auth.spf.result == AuthResultCode::kFail ? 1 : 0.4);
  }
  for (const DkimAuthResult& d : auth.dkim) {
    const std::string who = "d=" + d.domain + " s=" + d.selector;
    if (d.result == AuthResultCode::kPass && d.body_length_limited && d.unsigned_body_bytes > 0) {
      sink.emit(FindingId::DKIM_UNSIGNED_CONTENT,
                {{"dkim", who + " l=" + std::to_string(d.body_length)},
                 {"body", LocalizedText{std::to_string(d.unsigned_body_bytes) + " bytes after the signed length",
                                        std::to_string(d.unsigned_body_bytes) + " octets après la longueur signée"}}});
    }
    if (d.failure == DkimFailure::kBodyHash) {
      sink.emit(FindingId::DKIM_BODY_ALTERED, {{"dkim", about(who, d)}});
    } else if (d.failure == DkimFailure::kWeakAlgorithm || d.failure == DkimFailure::kKeyTooSmall) {
      sink.emit(FindingId::DKIM_WEAK_SIGNATURE, {{"dkim", about(who, d)}});
    }
  }
  // A chain whose keys could not be fetched for now was not checked: not a broken chain.
  if (auth.arc.result == ArcChainStatus::kFail && !auth.arc.temporary_error) {
    sink.emit(FindingId::ARC_CHAIN_BROKEN,
              {{"arc", about("instance " + std::to_string(auth.arc.failed_instance), auth.arc)}});
  }
  std::vector<Evidence> temporary;
  if (auth.spf.result == AuthResultCode::kTempError) {
    temporary.push_back({"spf", reason_text(auth.spf)});
  }
  if (auth.dmarc.result == AuthResultCode::kTempError) {
    temporary.push_back({"dmarc", reason_text(auth.dmarc)});
  }
  for (const DkimAuthResult& d : auth.dkim) {
    if (d.result == AuthResultCode::kTempError) {
      temporary.push_back({"dkim", about("d=" + d.domain, d)});
    }
  }
  if (auth.arc.temporary_error) temporary.push_back({"arc", reason_text(auth.arc)});
  if (!temporary.empty()) sink.emit(FindingId::AUTH_TEMPORARY_ERROR, std::move(temporary));
}

constexpr FindingId kEmits[] = {
    FindingId::SPOOFED_PROTECTED_DOMAIN, FindingId::DMARC_FAIL,          FindingId::SPF_FAIL,
    FindingId::DKIM_UNSIGNED_CONTENT,    FindingId::DKIM_BODY_ALTERED,   FindingId::DKIM_WEAK_SIGNATURE,
    FindingId::ARC_CHAIN_BROKEN,         FindingId::AUTH_TEMPORARY_ERROR,
};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "sender_auth",
      "Sender authentication failures: spoofing of our domains, DMARC/SPF fails, unsigned content",
      kEmits,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::sender_auth
