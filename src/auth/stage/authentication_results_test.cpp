#include "auth/stage/authentication_results.h"

#include <gtest/gtest.h>

namespace vigie::auth {
namespace {

// The outputs (JSON, text, this header) write these names: they are RFC 8601 §2.7's and must not
// change with the enums.
TEST(AuthenticationResultsTest, ResultNamesAreTheRegisteredOnes) {
  const std::pair<AuthResultCode, std::string_view> codes[] = {
      {AuthResultCode::kNone, "none"},         {AuthResultCode::kPass, "pass"},
      {AuthResultCode::kFail, "fail"},         {AuthResultCode::kSoftFail, "softfail"},
      {AuthResultCode::kNeutral, "neutral"},   {AuthResultCode::kPolicy, "policy"},
      {AuthResultCode::kTempError, "temperror"}, {AuthResultCode::kPermError, "permerror"}};
  for (const auto& [code, name] : codes) EXPECT_EQ(to_string(code), name);
  EXPECT_EQ(to_string(DmarcPolicy::kNone), "none");
  EXPECT_EQ(to_string(DmarcPolicy::kQuarantine), "quarantine");
  EXPECT_EQ(to_string(DmarcPolicy::kReject), "reject");
  EXPECT_EQ(to_string(ArcChainStatus::kNone), "none");
  EXPECT_EQ(to_string(ArcChainStatus::kPass), "pass");
  EXPECT_EQ(to_string(ArcChainStatus::kFail), "fail");
  // DmarcPolicy is ordered from the weakest to the strongest (fuzz_dmarc checks with it that a
  // disposition is never stronger than the policy).
  EXPECT_LT(DmarcPolicy::kNone, DmarcPolicy::kQuarantine);
  EXPECT_LT(DmarcPolicy::kQuarantine, DmarcPolicy::kReject);
}

TEST(AuthenticationResultsTest, NothingRanSaysNone) {
  EXPECT_EQ(authentication_results_header("mx.example", AuthResults{}), "mx.example; none");
}

TEST(AuthenticationResultsTest, EveryMethodWithItsProperties) {
  AuthResults r;
  r.spf.result = AuthResultCode::kFail;
  r.spf.domain = "attacker.example";
  r.spf.identity = "mailfrom";
  r.spf.reason = "192.0.2.9 is not allowed";
  DkimAuthResult d;
  d.result = AuthResultCode::kPass;
  d.domain = "exemple.gouv.fr";
  d.identity = "@exemple.gouv.fr";
  d.selector = "sel";
  d.algorithm = "rsa-sha256";
  d.header_b = "ab/c+d=";
  r.dkim.push_back(d);
  r.arc.result = ArcChainStatus::kPass;
  r.arc.oldest_pass = 2;
  r.dmarc.result = AuthResultCode::kPass;
  r.dmarc.policy = DmarcPolicy::kReject;
  r.dmarc.disposition = DmarcPolicy::kNone;
  r.dmarc.from_domain = "exemple.gouv.fr";
  EXPECT_EQ(authentication_results_header("mx.exemple.gouv.fr", r),
            "mx.exemple.gouv.fr; spf=fail reason=\"192.0.2.9 is not allowed\" "
            "smtp.mailfrom=attacker.example; dkim=pass header.d=exemple.gouv.fr "
            "header.i=@exemple.gouv.fr header.s=sel header.a=rsa-sha256 header.b=\"ab/c+d=\"; "
            "arc=pass header.oldest-pass=2; dmarc=pass (p=reject dis=none) header.from=exemple.gouv.fr");
}

TEST(AuthenticationResultsTest, ReasonsAreQuotedAndCannotBreakTheHeader) {
  AuthResults r;
  r.spf.result = AuthResultCode::kPermError;
  r.spf.domain = "bad.example";
  r.spf.identity = "helo";
  r.spf.reason = "record \"v=spf1 foo\"\r\nX-Injected: 1";
  const std::string h = authentication_results_header("mx", r);
  EXPECT_EQ(h, "mx; spf=permerror reason=\"record \\\"v=spf1 foo\\\"X-Injected: 1\" smtp.helo=bad.example");
  EXPECT_EQ(h.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace vigie::auth
