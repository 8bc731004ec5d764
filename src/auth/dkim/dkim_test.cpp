#include "auth/dkim/dkim.h"

#include <gtest/gtest.h>

#include "auth/dkim/canonical.h"
#include "auth/dkim/key_record.h"
#include "auth/dkim/signature.h"
#include "auth/dkim/tag_list.h"
#include "auth/dkim/test_support.h"

namespace vigie::auth::dkim {
namespace {

using testing::add_signature;
using testing::ed25519;
using testing::key_record;
using testing::make_zone;
using testing::parse;
using testing::rsa2048;
using testing::SignSpec;

constexpr std::int64_t kNow = 1700000000;

const std::string kMessage =
    "From: Alice <alice@example.com>\r\n"
    "To: bob@example.net\r\n"
    "Subject: Quarterly report\r\n"
    "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
    "\r\n"
    "Hello Bob,\r\n"
    "the  report is attached.   \r\n"
    "\r\n"
    "\r\n";

dns::RecordedResolver default_zone() {
  return make_zone({{"sel._domainkey.example.com", {key_record(rsa2048())}},
                    {"ed._domainkey.example.com", {key_record(ed25519())}}});
}

DkimAuthResult verify_one(const std::string& message, const dns::Resolver& resolver,
                          std::int64_t now = kNow, const DkimOptions& options = {}) {
  const auto parsed = parse(message);
  auto results = verify_dkim(*parsed, resolver, now, options);
  EXPECT_EQ(results.size(), 1u);
  return results.empty() ? DkimAuthResult{} : results.front();
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// --- Tag lists (RFC 6376 §3.2) ---

TEST(DkimTagListTest, ParsesFoldedValuesAndTrims) {
  auto list = parse_tag_list(" v=1;\r\n a = rsa-sha256 ;\tb=abc\r\n  def; z=\t;");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->tags.size(), 4u);
  EXPECT_EQ(*list->get("v"), "1");
  EXPECT_EQ(*list->get("a"), "rsa-sha256");
  EXPECT_EQ(*list->get("b"), "abc\r\n  def");
  EXPECT_EQ(*list->get("z"), "");
  EXPECT_FALSE(list->has("x"));
  EXPECT_EQ(strip_whitespace(*list->get("b")), "abcdef");
}

TEST(DkimTagListTest, RejectsDuplicatesBadNamesAndMissingEquals) {
  EXPECT_FALSE(parse_tag_list("a=1; a=2"));
  EXPECT_FALSE(parse_tag_list("a=1; novalue"));
  EXPECT_FALSE(parse_tag_list("1a=x"));
  EXPECT_FALSE(parse_tag_list("a-b=x"));
  EXPECT_FALSE(parse_tag_list(std::string("a=x\x01y")));
  EXPECT_TRUE(parse_tag_list("a_b=x;;c=y;"));
  EXPECT_TRUE(parse_tag_list(""));
  // Tag names are case-sensitive: "A" and "a" are different tags.
  EXPECT_TRUE(parse_tag_list("a=1; A=2"));
}

// RFC 6376 §3.2: tag-list = tag-spec *( ";" tag-spec ) [ ";" ]. Strict reading (ARC-Seal): an
// empty tag-spec is an error, except after the last ';' (which may be followed by whitespace).
TEST(DkimTagListTest, StrictReadingRefusesEmptyTagSpecs) {
  constexpr auto kStrict = EmptyTagSpecs::kReject;
  EXPECT_TRUE(parse_tag_list("a=1; b=2", kStrict));
  EXPECT_TRUE(parse_tag_list("a=1; b=2;", kStrict));
  EXPECT_TRUE(parse_tag_list("a=1; b=2; \r\n\t", kStrict));
  for (const char* bad : {"s=dummy;;", "a=1;; b=2", "a=1; ;b=2", "; a=1", "a=1;\r\n ;"}) {
    const auto list = parse_tag_list(bad, kStrict);
    ASSERT_FALSE(list) << bad;
    EXPECT_NE(list.error().message.find("empty tag-spec"), std::string::npos) << bad;
    EXPECT_TRUE(parse_tag_list(bad)) << bad;  // the lenient reading skips them
  }
}

TEST(DkimTagListTest, EnforcesLimits) {
  std::string many;
  for (std::size_t i = 0; i <= kMaxTags; ++i) many += "t" + std::to_string(i) + "=x;";
  auto list = parse_tag_list(many);
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find("more than"), std::string::npos);
  EXPECT_FALSE(parse_tag_list("b=" + std::string(kMaxTagValue + 1, 'A')));
  EXPECT_FALSE(parse_tag_list(std::string(kMaxTagListSize + 1, ' ')));
}

TEST(DkimTagListTest, DecodesBase64Strictly) {
  EXPECT_EQ(decode_base64("aGVs bG8=\r\n"), "hello");
  EXPECT_EQ(decode_base64("aGVsbG8"), "hello");  // padding optional
  EXPECT_EQ(decode_base64(""), "");
  EXPECT_FALSE(decode_base64("aGVsbG8=x"));
  EXPECT_FALSE(decode_base64("a"));
  EXPECT_FALSE(decode_base64("aGVs*G8="));
  EXPECT_FALSE(decode_base64("aGVsbG8==="));
}

// --- Canonicalisation (RFC 6376 §3.4) ---

TEST(DkimCanonTest, Rfc6376Section345Example) {
  const std::string_view a = "A: X";
  const std::string_view b = "B : Y\t\r\n\tZ  ";
  const std::string_view body = " C \r\nD \t E\r\n\r\n\r\n";

  std::string relaxed;
  canonicalize_header(Canon::kRelaxed, a, relaxed);
  canonicalize_header(Canon::kRelaxed, b, relaxed);
  EXPECT_EQ(relaxed, "a:X\r\nb:Y Z\r\n");
  EXPECT_EQ(canonicalize_body(Canon::kRelaxed, body), " C\r\nD E\r\n");

  std::string simple;
  canonicalize_header(Canon::kSimple, a, simple);
  canonicalize_header(Canon::kSimple, b, simple);
  EXPECT_EQ(simple, "A: X\r\nB : Y\t\r\n\tZ  \r\n");
  EXPECT_EQ(canonicalize_body(Canon::kSimple, body), " C \r\nD \t E\r\n");
}

TEST(DkimCanonTest, BareLfIsReadAsCrlf) {
  std::string simple;
  canonicalize_header(Canon::kSimple, "Subject: a\n b", simple);
  EXPECT_EQ(simple, "Subject: a\r\n b\r\n");
  std::string relaxed;
  canonicalize_header(Canon::kRelaxed, "Subject:\ta\n  b ", relaxed);
  EXPECT_EQ(relaxed, "subject:a b\r\n");
  EXPECT_EQ(canonicalize_body(Canon::kSimple, "x\ny \n\n"), "x\r\ny \r\n");
  EXPECT_EQ(canonicalize_body(Canon::kRelaxed, "x\ny \n\n"), "x\r\ny\r\n");
}

TEST(DkimCanonTest, EmptyAndUnterminatedBodies) {
  EXPECT_EQ(canonicalize_body(Canon::kSimple, ""), "\r\n");
  EXPECT_EQ(canonicalize_body(Canon::kSimple, "\r\n\r\n"), "\r\n");
  EXPECT_EQ(canonicalize_body(Canon::kRelaxed, ""), "");
  EXPECT_EQ(canonicalize_body(Canon::kRelaxed, " \r\n\t\r\n"), "");
  EXPECT_EQ(canonicalize_body(Canon::kSimple, "end"), "end\r\n");
  EXPECT_EQ(canonicalize_body(Canon::kRelaxed, "end  "), "end\r\n");
  // A CR alone is an ordinary byte, not a line break.
  EXPECT_EQ(canonicalize_body(Canon::kSimple, "a\rb\r\n"), "a\rb\r\n");
}

TEST(DkimCanonTest, RemovesOnlyTheBValue) {
  EXPECT_EQ(without_b_value("DKIM-Signature: v=1; bh=abc=; b=dGVz\r\n\tdA==; d=x"),
            "DKIM-Signature: v=1; bh=abc=; b=; d=x");
  EXPECT_EQ(without_b_value("DKIM-Signature: b = dGVz dA== ;d=x"), "DKIM-Signature: b = ;d=x");
  EXPECT_EQ(without_b_value("X: a=1; bh=2"), "X: a=1; bh=2");
}

// --- Signature fields (RFC 6376 §3.5) ---

constexpr std::string_view kGoodTags =
    "v=1; a=rsa-sha256; c=relaxed; d=Example.COM; s=sel; h=From : Subject; bh=YWJj; b=ZGVm";

TEST(DkimSignatureTest, ParsesTagsAndDefaults) {
  auto sig = parse_signature(kGoodTags, SignatureKind::kDkim);
  ASSERT_TRUE(sig) << sig.error().reason;
  EXPECT_EQ(sig->algorithm, Algorithm::kRsaSha256);
  EXPECT_EQ(sig->domain, "example.com");
  EXPECT_EQ(sig->identity, "@example.com");
  EXPECT_EQ(sig->header_canon, Canon::kRelaxed);
  EXPECT_EQ(sig->body_canon, Canon::kSimple);
  EXPECT_EQ(sig->signed_headers, (std::vector<std::string>{"from", "subject"}));
  EXPECT_EQ(sig->body_hash, "abc");
  EXPECT_EQ(sig->signature, "def");
}

TEST(DkimSignatureTest, RejectsWhatRfc6376CallsUnusable) {
  const std::string base(kGoodTags);
  auto failure = [](const std::string& tags) {
    auto sig = parse_signature(tags, SignatureKind::kDkim);
    return sig ? DkimFailure::kNone : sig.error().failure;
  };
  EXPECT_EQ(failure("a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm"),
            DkimFailure::kSyntax);  // no v=
  EXPECT_EQ(failure(replace(base, "v=1", "v=2")), DkimFailure::kUnsupported);
  EXPECT_EQ(failure(replace(base, "rsa-sha256", "rsa-md5")), DkimFailure::kUnsupported);
  EXPECT_EQ(failure(replace(base, "c=relaxed", "c=nowsp")), DkimFailure::kUnsupported);
  EXPECT_EQ(failure(base + "; q=http/get"), DkimFailure::kUnsupported);
  EXPECT_EQ(failure(replace(base, "From : Subject", "subject")), DkimFailure::kSyntax);
  EXPECT_EQ(failure(base + "; i=user@example.org"), DkimFailure::kSyntax);
  EXPECT_EQ(failure(base + "; i=user@notexample.com"), DkimFailure::kSyntax);
  EXPECT_EQ(failure(base + "; i=user@mail.example.com"), DkimFailure::kNone);
  EXPECT_EQ(failure(base + "; t=200; x=100"), DkimFailure::kSyntax);
  EXPECT_EQ(failure(base + "; t=1234567890123"), DkimFailure::kSyntax);
  EXPECT_EQ(failure(base + "; l=12a"), DkimFailure::kSyntax);
  EXPECT_EQ(failure(replace(base, "b=ZGVm", "b=Z*Vm")), DkimFailure::kSyntax);
  EXPECT_EQ(failure(replace(base, "s=sel", "s=bad/sel")), DkimFailure::kSyntax);
  EXPECT_EQ(failure(replace(base, "d=Example.COM", "d=example..com")), DkimFailure::kSyntax);
}

TEST(DkimSignatureTest, ArcMessageSignatureUsesInstanceNotIdentity) {
  const std::string ams = "i=3; a=rsa-sha256; d=relay.example; s=arc; h=subject; bh=YWJj; b=ZGVm";
  auto sig = parse_signature(ams, SignatureKind::kArcMessage);
  ASSERT_TRUE(sig) << sig.error().reason;
  EXPECT_EQ(sig->instance, 3u);
  EXPECT_FALSE(parse_signature(replace(ams, "i=3", "i=51"), SignatureKind::kArcMessage));
  EXPECT_FALSE(
      parse_signature(replace(ams, "h=subject", "h=subject:arc-seal"), SignatureKind::kArcMessage));
}

// RFC 8617 §4.1.2 keeps no "From must be signed" rule for the AMS, and an empty h= (or an empty
// name in it) selects no field rather than making the AMS unusable. A DKIM-Signature still needs
// From, and its h= grammar (RFC 6376 §3.5 hdr-name) has no empty names.
TEST(DkimSignatureTest, ArcMessageSignatureAcceptsEmptyHeaderNames) {
  const std::string ams = "i=1; a=rsa-sha256; d=relay.example; s=arc; h=subject; bh=YWJj; b=ZGVm";
  for (const auto& [list, expected] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"h=", {}},
           {"h= ", {}},
           {"h=from::subject", {"from", "subject"}},
           {"h=to : subject :", {"to", "subject"}},
           {"h=:", {}}}) {
    auto sig = parse_signature(replace(ams, "h=subject", list), SignatureKind::kArcMessage);
    ASSERT_TRUE(sig) << list << ": " << sig.error().reason;
    EXPECT_EQ(sig->signed_headers, expected) << list;
  }
  EXPECT_FALSE(parse_signature(replace(std::string(kGoodTags), "From : Subject", "from::subject"),
                               SignatureKind::kDkim));
}

// RFC 6376 §3.5 c=: "simple" when absent, for the AMS as for a DKIM-Signature.
TEST(DkimSignatureTest, MissingCanonicalizationIsSimpleSimple) {
  for (SignatureKind kind : {SignatureKind::kDkim, SignatureKind::kArcMessage}) {
    const std::string tags = kind == SignatureKind::kDkim
                                 ? "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm"
                                 : "i=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=YWJj; b=ZGVm";
    auto sig = parse_signature(tags, kind);
    ASSERT_TRUE(sig) << sig.error().reason;
    EXPECT_EQ(sig->header_canon, Canon::kSimple);
    EXPECT_EQ(sig->body_canon, Canon::kSimple);
  }
}

TEST(DkimSignatureTest, HugeBodyLengthSaturates) {
  auto sig =
      parse_signature(std::string(kGoodTags) + "; l=" + std::string(70, '9'), SignatureKind::kDkim);
  ASSERT_TRUE(sig);
  EXPECT_EQ(*sig->body_length, UINT64_MAX);
}

// --- Key records (RFC 6376 §3.6.1) ---

TEST(DkimKeyRecordTest, DefaultsAndFlags) {
  auto key = parse_key_record("p=YWJj");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->type, KeyType::kRsa);
  EXPECT_TRUE(key->allows_sha1 && key->allows_sha256);
  EXPECT_FALSE(key->testing || key->strict);
  EXPECT_EQ(key->public_key, "abc");

  key = parse_key_record("v=DKIM1; k=ed25519; h=sha256:future; s=email:x; t=y:s:q; p=YWJj");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->type, KeyType::kEd25519);
  EXPECT_FALSE(key->allows_sha1);
  EXPECT_TRUE(key->allows_sha256);
  EXPECT_TRUE(key->testing && key->strict);
}

TEST(DkimKeyRecordTest, InvalidAndRevoked) {
  auto failure = [](std::string_view text) {
    auto key = parse_key_record(text);
    return key ? DkimFailure::kNone : key.error().failure;
  };
  EXPECT_EQ(failure("v=DKIM1; p="), DkimFailure::kKeyRevoked);
  EXPECT_EQ(failure("k=rsa; v=DKIM1; p=YWJj"), DkimFailure::kKeyInvalid);  // v= not first
  EXPECT_EQ(failure("v=DKIM2; p=YWJj"), DkimFailure::kKeyInvalid);
  EXPECT_EQ(failure("k=dsa; p=YWJj"), DkimFailure::kKeyInvalid);
  EXPECT_EQ(failure("s=web; p=YWJj"), DkimFailure::kKeyInvalid);
  EXPECT_EQ(failure("s=*; p=YWJj"), DkimFailure::kNone);
  EXPECT_EQ(failure("v=DKIM1; k=rsa"), DkimFailure::kKeyInvalid);
  EXPECT_EQ(failure("p=!!"), DkimFailure::kKeyInvalid);
  EXPECT_EQ(failure("p"), DkimFailure::kKeyInvalid);
}

// --- Verification ---

TEST(DkimVerifyTest, PassesEveryCanonicalisationAndFillsTheResult) {
  const auto zone = default_zone();
  for (Canon hc : {Canon::kSimple, Canon::kRelaxed}) {
    for (Canon bc : {Canon::kSimple, Canon::kRelaxed}) {
      SignSpec spec;
      spec.header_canon = hc;
      spec.body_canon = bc;
      spec.extra = "i=alice@example.com; t=" + std::to_string(kNow - 10) + "; ";
      const DkimAuthResult r = verify_one(add_signature(kMessage, rsa2048(), spec), zone);
      SCOPED_TRACE(std::string(to_string(hc)) + "/" + std::string(to_string(bc)));
      EXPECT_EQ(r.result, AuthResultCode::kPass) << r.reason;
      EXPECT_EQ(r.failure, DkimFailure::kNone);
      EXPECT_EQ(r.domain, "example.com");
      EXPECT_EQ(r.selector, "sel");
      EXPECT_EQ(r.algorithm, "rsa-sha256");
      EXPECT_EQ(r.identity, "alice@example.com");
      EXPECT_EQ(r.key_bits, 2048u);
      EXPECT_EQ(r.header_b.size(), 12u);
      EXPECT_EQ(r.signed_headers, (std::vector<std::string>{"from", "to", "subject"}));
      EXPECT_FALSE(r.body_length_limited);
    }
  }
}

TEST(DkimVerifyTest, Ed25519Passes) {
  SignSpec spec;
  spec.algorithm = "ed25519-sha256";
  spec.selector = "ed";
  const DkimAuthResult r = verify_one(add_signature(kMessage, ed25519(), spec), default_zone());
  EXPECT_EQ(r.result, AuthResultCode::kPass) << r.reason;
  EXPECT_EQ(r.key_bits, 256u);
}

TEST(DkimVerifyTest, BodyChangeIsBodyHashHeaderChangeIsSignature) {
  const auto zone = default_zone();
  for (Canon canon : {Canon::kSimple, Canon::kRelaxed}) {
    SignSpec spec;
    spec.header_canon = canon;
    spec.body_canon = canon;
    const std::string signed_message = add_signature(kMessage, rsa2048(), spec);

    DkimAuthResult r = verify_one(replace(signed_message, "Hello Bob", "Hello Eve"), zone);
    EXPECT_EQ(r.result, AuthResultCode::kFail);
    EXPECT_EQ(r.failure, DkimFailure::kBodyHash);
    EXPECT_EQ(r.reason, "body hash mismatch: the body was changed after signing");
    EXPECT_EQ(r.reason_fr, "l'empreinte du corps ne correspond pas : le corps a été modifié après la signature");

    r = verify_one(replace(signed_message, "Quarterly", "Urgent"), zone);
    EXPECT_EQ(r.result, AuthResultCode::kFail);
    EXPECT_EQ(r.failure, DkimFailure::kSignature);

    // A field outside h= may change freely.
    r = verify_one(replace(signed_message, "Date: Tue", "Date: Wed"), zone);
    EXPECT_EQ(r.result, AuthResultCode::kPass) << r.reason;
  }
  // Relaxed tolerates whitespace changes that simple does not.
  SignSpec spec;
  const std::string relaxed = add_signature(kMessage, rsa2048(), spec);
  EXPECT_EQ(verify_one(replace(relaxed, "Subject: Quarterly", "subject:   Quarterly"), zone).result,
            AuthResultCode::kPass);
  EXPECT_EQ(verify_one(replace(relaxed, "the  report", "the report"), zone).result,
            AuthResultCode::kPass);
  spec.header_canon = Canon::kSimple;
  spec.body_canon = Canon::kSimple;
  const std::string simple = add_signature(kMessage, rsa2048(), spec);
  EXPECT_EQ(verify_one(replace(simple, "Subject: Quarterly", "subject: Quarterly"), zone).failure,
            DkimFailure::kSignature);
  EXPECT_EQ(verify_one(replace(simple, "the  report", "the report"), zone).failure,
            DkimFailure::kBodyHash);
}

TEST(DkimVerifyTest, BareLfMessageVerifies) {
  SignSpec spec;
  spec.header_canon = Canon::kSimple;
  spec.body_canon = Canon::kSimple;
  std::string message = add_signature(kMessage, rsa2048(), spec);
  std::string lf;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\r' && i + 1 < message.size() && message[i + 1] == '\n') continue;
    lf.push_back(message[i]);
  }
  const DkimAuthResult r = verify_one(lf, default_zone());
  EXPECT_EQ(r.result, AuthResultCode::kPass) << r.reason;
}

TEST(DkimVerifyTest, BodyLengthLimit) {
  const auto zone = default_zone();
  SignSpec spec;
  spec.length = 10;
  const std::string signed_message = add_signature(kMessage, rsa2048(), spec);
  DkimAuthResult r = verify_one(signed_message + "Appended by an attacker\r\n", zone);
  EXPECT_EQ(r.result, AuthResultCode::kPass) << r.reason;
  EXPECT_TRUE(r.body_length_limited);
  EXPECT_EQ(r.body_length, 10u);
  // Canonical relaxed body: "Hello Bob,\r\n" (12) "the report is attached.\r\n" (25), the two
  // empty lines that are no longer trailing (4), "Appended by an attacker\r\n" (25).
  EXPECT_EQ(r.unsigned_body_bytes, 12u + 25u + 4u + 25u - 10u);
  EXPECT_NE(r.reason.find("unsigned"), std::string::npos);

  spec.length = 1000;  // longer than the body
  r = verify_one(add_signature(kMessage, rsa2048(), spec), zone);
  EXPECT_EQ(r.result, AuthResultCode::kFail);
  EXPECT_EQ(r.failure, DkimFailure::kBodyHash);
  EXPECT_NE(r.reason.find("l=1000"), std::string::npos);
}

TEST(DkimVerifyTest, OverSigningRejectsAnAddedField) {
  const auto zone = default_zone();
  SignSpec spec;
  spec.headers = "from:to:subject:subject";  // one Subject present, signed twice
  const std::string signed_message = add_signature(kMessage, rsa2048(), spec);
  EXPECT_EQ(verify_one(signed_message, zone).result, AuthResultCode::kPass);
  // A second Subject (added below the first, or above it) would be picked by the null slot.
  DkimAuthResult r =
      verify_one(replace(signed_message, "Date:", "Subject: Pay now\r\nDate:"), zone);
  EXPECT_EQ(r.failure, DkimFailure::kSignature);

  // Without over-signing, a Subject added above the signed one is what verifiers pick (bottom up
  // picks the last one), so adding one at the top passes: the reason over-signing exists.
  spec.headers = "from:to:subject";
  const std::string plain = add_signature(kMessage, rsa2048(), spec);
  EXPECT_EQ(verify_one(replace(plain, "From:", "Subject: Pay now\r\nFrom:"), zone).result,
            AuthResultCode::kPass);
  EXPECT_EQ(verify_one(replace(plain, "Date:", "Subject: Pay now\r\nDate:"), zone).failure,
            DkimFailure::kSignature);
}

TEST(DkimVerifyTest, ExpiredAndFutureSignatures) {
  const auto zone = default_zone();
  SignSpec spec;
  spec.extra = "t=" + std::to_string(kNow - 100) + "; x=" + std::to_string(kNow - 1) + "; ";
  DkimAuthResult r = verify_one(add_signature(kMessage, rsa2048(), spec), zone);
  EXPECT_EQ(r.result, AuthResultCode::kFail);
  EXPECT_EQ(r.failure, DkimFailure::kExpired);
  EXPECT_EQ(verify_one(add_signature(kMessage, rsa2048(), spec), zone, kNow - 1).result,
            AuthResultCode::kPass);

  spec.extra = "t=" + std::to_string(kNow + 3600) + "; ";
  r = verify_one(add_signature(kMessage, rsa2048(), spec), zone);
  EXPECT_EQ(r.failure, DkimFailure::kFuture);
  spec.extra = "t=" + std::to_string(kNow + 299) + "; ";  // within the allowed skew
  EXPECT_EQ(verify_one(add_signature(kMessage, rsa2048(), spec), zone).result,
            AuthResultCode::kPass);
}

TEST(DkimVerifyTest, KeyProblems) {
  const auto small = testing::make_key(KeyType::kRsa, 512);
  const auto zone = make_zone({
      {"revoked._domainkey.example.com", {{"v=DKIM1; k=rsa; p="}}},
      {"small._domainkey.example.com", {key_record(small)}},
      {"two._domainkey.example.com", {key_record(rsa2048()), key_record(rsa2048())}},
      {"edkey._domainkey.example.com", {key_record(ed25519())}},
      {"sha1only._domainkey.example.com", {key_record(rsa2048(), "h=sha1; ")}},
      {"web._domainkey.example.com", {key_record(rsa2048(), "s=web; ")}},
      {"garbage._domainkey.example.com", {{"v=DKIM1; p=QUJDREVG"}}},
  });
  auto check = [&](const std::string& selector, AuthResultCode result, DkimFailure failure) {
    SignSpec spec;
    spec.selector = selector;
    const DkimAuthResult r = verify_one(add_signature(kMessage, rsa2048(), spec), zone);
    SCOPED_TRACE(selector);
    EXPECT_EQ(r.result, result) << r.reason;
    EXPECT_EQ(r.failure, failure) << r.reason;
    EXPECT_FALSE(r.reason.empty());
    return r;
  };
  EXPECT_EQ(check("revoked", AuthResultCode::kPermError, DkimFailure::kKeyRevoked).reason_fr,
            "la clé a été révoquée (p= vide) (enregistrement de clé en revoked._domainkey.example.com)");
  EXPECT_NE(
      check("small", AuthResultCode::kPermError, DkimFailure::kKeyTooSmall).reason.find("512 bits"),
      std::string::npos);
  EXPECT_NE(check("two", AuthResultCode::kPermError, DkimFailure::kKeyInvalid)
                .reason.find("2 TXT records"),
            std::string::npos);
  check("edkey", AuthResultCode::kPermError, DkimFailure::kKeyInvalid);
  check("sha1only", AuthResultCode::kPermError, DkimFailure::kKeyInvalid);
  check("web", AuthResultCode::kPermError, DkimFailure::kKeyInvalid);
  EXPECT_EQ(check("garbage", AuthResultCode::kPermError, DkimFailure::kKeyInvalid).reason_fr,
            "p= n'est pas une clé publique RSA (enregistrement de clé en garbage._domainkey.example.com)");
  check("absent", AuthResultCode::kPermError, DkimFailure::kNoKey);
}

TEST(DkimVerifyTest, DnsTimeoutIsTemperror) {
  auto zone = dns::RecordedResolver::from_string("sel._domainkey.example.com:\n  - TIMEOUT\n");
  ASSERT_TRUE(zone);
  const DkimAuthResult r = verify_one(add_signature(kMessage, rsa2048(), SignSpec{}), *zone);
  EXPECT_EQ(r.result, AuthResultCode::kTempError);
  EXPECT_EQ(r.failure, DkimFailure::kDnsError);
}

TEST(DkimVerifyTest, RsaSha1VerifiesButIsWeak) {
  SignSpec spec;
  spec.algorithm = "rsa-sha1";
  const DkimAuthResult r = verify_one(add_signature(kMessage, rsa2048(), spec), default_zone());
  EXPECT_EQ(r.result, AuthResultCode::kFail);
  EXPECT_EQ(r.failure, DkimFailure::kWeakAlgorithm);
  EXPECT_NE(r.reason.find("verified cryptographically"), std::string::npos);
  EXPECT_EQ(r.algorithm, "rsa-sha1");
}

TEST(DkimVerifyTest, TestingAndStrictKeyFlags) {
  const auto zone = make_zone({
      {"testing._domainkey.example.com", {key_record(rsa2048(), "t=y; ")}},
      {"strict._domainkey.example.com", {key_record(rsa2048(), "t=s; ")}},
  });
  SignSpec spec;
  spec.selector = "testing";
  DkimAuthResult r = verify_one(add_signature(kMessage, rsa2048(), spec), zone);
  EXPECT_EQ(r.result, AuthResultCode::kPass);
  EXPECT_NE(r.reason.find("t=y"), std::string::npos);

  spec.selector = "strict";
  spec.extra = "i=alice@mail.example.com; ";
  r = verify_one(add_signature(kMessage, rsa2048(), spec), zone);
  EXPECT_EQ(r.failure, DkimFailure::kKeyInvalid);
  spec.extra = "i=alice@example.com; ";
  EXPECT_EQ(verify_one(add_signature(kMessage, rsa2048(), spec), zone).result,
            AuthResultCode::kPass);
}

TEST(DkimVerifyTest, MalformedSignatureKeepsWhatCanBeRead) {
  const std::string message =
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=subject; bh=YWJj; "
      "b=ZGVmZ2hp\r\n" +
      kMessage;
  const DkimAuthResult r = verify_one(message, default_zone());
  EXPECT_EQ(r.result, AuthResultCode::kPermError);
  EXPECT_EQ(r.failure, DkimFailure::kSyntax);
  EXPECT_EQ(r.domain, "example.com");
  EXPECT_EQ(r.header_b, "ZGVmZ2hp");
  EXPECT_NE(r.reason.find("From"), std::string::npos);
}

TEST(DkimVerifyTest, SeveralSignaturesShareOneKeyLookup) {
  SignSpec spec;
  std::string message = add_signature(kMessage, rsa2048(), spec);
  spec.header_canon = Canon::kSimple;
  message = add_signature(message, rsa2048(), spec);
  spec.algorithm = "ed25519-sha256";
  spec.selector = "ed";
  message = add_signature(message, ed25519(), spec);
  message = replace(message, "Hello Bob", "Hello Eve");  // all body hashes now fail

  const auto zone = default_zone();
  const auto parsed = parse(message);
  const SignedMessage view(*parsed);
  KeyCache keys(zone);
  const auto results = verify_dkim(view, keys, kNow);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].algorithm, "ed25519-sha256");  // header order: the last added is on top
  for (const auto& r : results) EXPECT_EQ(r.failure, DkimFailure::kBodyHash) << r.reason;
  EXPECT_EQ(keys.lookups(), 2u);
}

TEST(DkimVerifyTest, TooManySignatures) {
  std::string message = kMessage;
  for (int i = 0; i < 12; ++i) message = add_signature(message, rsa2048(), SignSpec{});
  const auto zone = default_zone();
  const auto parsed = parse(message);
  const auto results = verify_dkim(*parsed, zone, kNow);
  ASSERT_EQ(results.size(), 12u);
  for (std::size_t i = 0; i < 10; ++i)
    EXPECT_EQ(results[i].result, AuthResultCode::kPass) << results[i].reason;
  for (std::size_t i = 10; i < 12; ++i) {
    EXPECT_EQ(results[i].result, AuthResultCode::kPermError);
    EXPECT_NE(results[i].reason.find("too many signatures"), std::string::npos);
    EXPECT_EQ(results[i].domain, "example.com");
  }
}

TEST(DkimVerifyTest, UnsignedMessageHasNoResult) {
  const auto parsed = parse(kMessage);
  EXPECT_TRUE(verify_dkim(*parsed, default_zone(), kNow).empty());
}

}  // namespace
}  // namespace vigie::auth::dkim
