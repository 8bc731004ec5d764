#include "auth/stage/authentication_results.h"

#include <gtest/gtest.h>

namespace vigie::auth {
namespace {

TEST(AuthenticationResultsTest, NothingRanSaysNone) {
  EXPECT_EQ(authentication_results_header("mx.example", AuthResults{}), "mx.example; none");
}

TEST(AuthenticationResultsTest, EveryMethodWithItsProperties) {
  AuthResults r;
  r.spf.result = "fail";
  r.spf.domain = "attacker.example";
  r.spf.identity = "mailfrom";
  r.spf.reason = "192.0.2.9 is not allowed";
  DkimAuthResult d;
  d.result = "pass";
  d.domain = "exemple.gouv.fr";
  d.identity = "@exemple.gouv.fr";
  d.selector = "sel";
  d.algorithm = "rsa-sha256";
  d.header_b = "ab/c+d=";
  r.dkim.push_back(d);
  r.arc.result = "pass";
  r.arc.oldest_pass = 2;
  r.dmarc.result = "pass";
  r.dmarc.policy = "reject";
  r.dmarc.disposition = "none";
  r.dmarc.from_domain = "exemple.gouv.fr";
  EXPECT_EQ(authentication_results_header("mx.exemple.gouv.fr", r),
            "mx.exemple.gouv.fr; spf=fail reason=\"192.0.2.9 is not allowed\" "
            "smtp.mailfrom=attacker.example; dkim=pass header.d=exemple.gouv.fr "
            "header.i=@exemple.gouv.fr header.s=sel header.a=rsa-sha256 header.b=\"ab/c+d=\"; "
            "arc=pass header.oldest-pass=2; dmarc=pass (p=reject dis=none) header.from=exemple.gouv.fr");
}

TEST(AuthenticationResultsTest, ReasonsAreQuotedAndCannotBreakTheHeader) {
  AuthResults r;
  r.spf.result = "permerror";
  r.spf.domain = "bad.example";
  r.spf.identity = "helo";
  r.spf.reason = "record \"v=spf1 foo\"\r\nX-Injected: 1";
  const std::string h = authentication_results_header("mx", r);
  EXPECT_EQ(h, "mx; spf=permerror reason=\"record \\\"v=spf1 foo\\\"X-Injected: 1\" smtp.helo=bad.example");
  EXPECT_EQ(h.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace vigie::auth
