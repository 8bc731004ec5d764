#include "auth/dmarc/dmarc.h"

#include <gtest/gtest.h>

#include "auth/dns/recorded_resolver.h"

namespace vigie::auth::dmarc {
namespace {

dns::RecordedResolver zone(std::string_view yaml) {
  auto loaded = dns::RecordedResolver::from_string(yaml, "zone.yml");
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().message);
  return loaded ? std::move(*loaded) : dns::RecordedResolver(dns::RecordedResolver::Zone{});
}

SpfAuthResult spf(AuthResultCode result, std::string domain) {
  SpfAuthResult s;
  s.result = result;
  s.domain = std::move(domain);
  s.identity = "mailfrom";
  return s;
}

DkimAuthResult dkim(AuthResultCode result, std::string domain) {
  DkimAuthResult d;
  d.result = result;
  d.domain = std::move(domain);
  return d;
}

constexpr std::string_view kZone =
    "_dmarc.exemple.gouv.fr:\n"
    "  - TXT: 'v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@exemple.gouv.fr'\n"
    "_dmarc.strict.example:\n"
    "  - TXT: 'v=DMARC1; p=quarantine; adkim=s; aspf=s'\n"
    "_dmarc.sampled.example:\n"
    "  - TXT: 'v=DMARC1; p=reject; pct=0'\n"
    "_dmarc.twice.example:\n"
    "  - TXT: 'v=DMARC1; p=reject'\n"
    "  - TXT: 'v=DMARC1; p=none'\n"
    "_dmarc.broken.example:\n"
    "  - TXT: 'v=DMARC1; p=block'\n"
    "_dmarc.reported.example:\n"
    "  - TXT: 'v=DMARC1; p=block; rua=mailto:r@reported.example'\n"
    "_dmarc.split.example:\n"
    "  - TXT: [ 'v=DMARC1; ', 'p=reject' ]\n"
    "_dmarc.noise.example:\n"
    "  - TXT: 'v=spf1 -all'\n"
    "  - TXT: 'v=DMARC1; p=none'\n"
    "_dmarc.slow.example:\n"
    "  - TIMEOUT\n";

DmarcAuthResult run(std::string_view from, const SpfAuthResult* s, std::vector<DkimAuthResult> d = {},
                    const ArcAuthResult* arc = nullptr, std::vector<std::string> trusted = {}) {
  static const dns::RecordedResolver resolver = zone(kZone);
  DmarcInputs in;
  in.from_domain = from;
  in.spf = s;
  in.dkim = d;
  in.arc = arc;
  in.trusted_arc_sealers = trusted;
  in.sample_key = "<id@example>";
  return evaluate(resolver, in);
}

TEST(DmarcRecordTest, ParsesTagsAndDefaults) {
  const auto r = parse_record("v=DMARC1;p=quarantine; sp=none; adkim=s; pct=25; fo=1; x=unknown");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->policy, DmarcPolicy::kQuarantine);
  EXPECT_EQ(r->subdomain_policy, DmarcPolicy::kNone);
  EXPECT_EQ(r->dkim_alignment, Alignment::kStrict);
  EXPECT_EQ(r->spf_alignment, Alignment::kRelaxed);
  EXPECT_EQ(r->pct, 25u);
}

TEST(DmarcRecordTest, RejectsBadVersionAndPolicyUnlessReportsAreAsked) {
  EXPECT_FALSE(parse_record("p=reject; v=DMARC1"));
  EXPECT_FALSE(parse_record("v=DMARC2; p=reject"));
  const auto bad = parse_record("v=DMARC1; p=block");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("p="), std::string::npos);
  const auto reported = parse_record("v=DMARC1; p=block; rua=mailto:a@b.example");
  ASSERT_TRUE(reported);
  EXPECT_EQ(reported->policy, DmarcPolicy::kNone);
  EXPECT_EQ(parse_record("v=DMARC1; p=none; pct=250")->pct, 100u);  // invalid pct ignored
}

TEST(DmarcTest, AlignedDkimPassesRelaxed) {
  const SpfAuthResult s = spf(AuthResultCode::kFail, "bounce.example");
  const DmarcAuthResult r =
      run("exemple.gouv.fr", &s, {dkim(AuthResultCode::kPass, "mail.exemple.gouv.fr")});
  EXPECT_EQ(r.result, AuthResultCode::kPass);
  EXPECT_TRUE(r.dkim_aligned);
  EXPECT_FALSE(r.spf_aligned);
  EXPECT_EQ(r.disposition, DmarcPolicy::kNone);
  EXPECT_EQ(r.policy, DmarcPolicy::kReject);
}

TEST(DmarcTest, AlignedSpfPasses) {
  const SpfAuthResult s = spf(AuthResultCode::kPass, "news.exemple.gouv.fr");
  const DmarcAuthResult r = run("exemple.gouv.fr", &s);
  EXPECT_EQ(r.result, AuthResultCode::kPass);
  EXPECT_TRUE(r.spf_aligned);
}

TEST(DmarcTest, UnalignedPassesFailWithThePolicy) {
  const SpfAuthResult s = spf(AuthResultCode::kPass, "attacker.example");
  const DmarcAuthResult r = run("exemple.gouv.fr", &s,
                                {dkim(AuthResultCode::kPass, "attacker.example"),
                                 dkim(AuthResultCode::kFail, "exemple.gouv.fr")});
  EXPECT_EQ(r.result, AuthResultCode::kFail);
  EXPECT_EQ(r.disposition, DmarcPolicy::kReject);
  EXPECT_EQ(r.record_domain, "exemple.gouv.fr");
}

TEST(DmarcTest, SubdomainFallsBackToOrganizationalRecordAndSp) {
  const DmarcAuthResult r = run("Portail.Exemple.Gouv.FR", nullptr);
  EXPECT_EQ(r.result, AuthResultCode::kFail);
  EXPECT_EQ(r.from_domain, "portail.exemple.gouv.fr");
  EXPECT_EQ(r.organizational_domain, "exemple.gouv.fr");
  EXPECT_EQ(r.record_domain, "exemple.gouv.fr");
  EXPECT_EQ(r.policy, DmarcPolicy::kQuarantine);
  EXPECT_EQ(r.disposition, DmarcPolicy::kQuarantine);
}

TEST(DmarcTest, StrictAlignmentNeedsTheExactDomain) {
  const DmarcAuthResult r =
      run("strict.example", nullptr, {dkim(AuthResultCode::kPass, "mail.strict.example")});
  EXPECT_EQ(r.result, AuthResultCode::kFail);
  EXPECT_EQ(run("strict.example", nullptr, {dkim(AuthResultCode::kPass, "strict.example")}).result,
            AuthResultCode::kPass);
}

TEST(DmarcTest, PctOutsideTheSampleWeakensThePolicy) {
  const DmarcAuthResult r = run("sampled.example", nullptr);
  EXPECT_EQ(r.result, AuthResultCode::kFail);
  EXPECT_EQ(r.policy, DmarcPolicy::kReject);
  EXPECT_EQ(r.disposition, DmarcPolicy::kQuarantine);
  EXPECT_EQ(r.pct, 0u);
}

TEST(DmarcTest, ReasonsAreAlsoInFrench) {
  const DmarcAuthResult sampled = run("sampled.example", nullptr);
  EXPECT_EQ(sampled.reason, "no SPF or DKIM pass aligned with sampled.example; outside the pct=0 sample");
  EXPECT_EQ(sampled.reason_fr,
            "aucun SPF ou DKIM pass aligné sur sampled.example ; hors de l'échantillon pct=0");
  EXPECT_EQ(run("unpublished.example", nullptr).reason_fr, "aucun enregistrement DMARC pour unpublished.example");
}

TEST(DmarcTest, TrustedArcSealerOverridesAFail) {
  ArcAuthResult arc;
  arc.result = ArcChainStatus::kPass;
  arc.sealer = "lists.partner.example";
  const DmarcAuthResult untrusted = run("exemple.gouv.fr", nullptr, {}, &arc, {"other.example"});
  EXPECT_EQ(untrusted.disposition, DmarcPolicy::kReject);
  EXPECT_FALSE(untrusted.arc_override);
  const DmarcAuthResult trusted = run("exemple.gouv.fr", nullptr, {}, &arc, {"lists.partner.example"});
  EXPECT_EQ(trusted.result, AuthResultCode::kFail);
  EXPECT_EQ(trusted.disposition, DmarcPolicy::kNone);
  EXPECT_TRUE(trusted.arc_override);
  EXPECT_EQ(trusted.reason_fr, "aucun SPF ou DKIM pass aligné sur exemple.gouv.fr ; levé : chaîne ARC valide scellée "
                               "par lists.partner.example (scelleur de confiance)");
  arc.result = ArcChainStatus::kFail;
  EXPECT_FALSE(run("exemple.gouv.fr", nullptr, {}, &arc, {"lists.partner.example"}).arc_override);
}

TEST(DmarcTest, NoRecordSeveralRecordsBrokenRecordAndDnsFailure) {
  EXPECT_EQ(run("nothing.example", nullptr).result, AuthResultCode::kNone);
  const DmarcAuthResult twice = run("twice.example", nullptr);
  EXPECT_EQ(twice.result, AuthResultCode::kNone);
  EXPECT_NE(twice.reason.find("several"), std::string::npos);
  EXPECT_EQ(run("broken.example", nullptr).result, AuthResultCode::kPermError);
  EXPECT_EQ(run("reported.example", nullptr).policy, DmarcPolicy::kNone);
  EXPECT_EQ(run("split.example", nullptr).policy, DmarcPolicy::kReject);
  EXPECT_EQ(run("noise.example", nullptr).policy, DmarcPolicy::kNone);
  EXPECT_EQ(run("slow.example", nullptr).result, AuthResultCode::kTempError);
}

TEST(DmarcTest, MissingFromDomainIsPermerror) {
  DmarcInputs in;
  in.from_problem = "the From header names 2 authors";
  const dns::RecordedResolver resolver = zone("{}");
  const DmarcAuthResult r = evaluate(resolver, in);
  EXPECT_EQ(r.result, AuthResultCode::kPermError);
  EXPECT_EQ(r.reason, "the From header names 2 authors");
}

}  // namespace
}  // namespace vigie::auth::dmarc
