#include "auth/arc/arc.h"

#include <gtest/gtest.h>

#include <functional>

#include "auth/dkim/test_support.h"

namespace vigie::auth::arc {
namespace {

using dkim::testing::add_signature;
using dkim::testing::key_record;
using dkim::testing::make_zone;
using dkim::testing::parse;
using dkim::testing::rsa2048;

constexpr std::int64_t kNow = 1700000000;

const std::string kMessage =
    "From: Alice <alice@example.com>\r\n"
    "To: list@lists.example.org\r\n"
    "Subject: Meeting notes\r\n"
    "\r\n"
    "See you on Monday.\r\n";

// The first field of a message (with its folding lines).
std::string first_field(const std::string& message) {
  std::size_t end = 0;
  do {
    end = message.find("\r\n", end) + 2;
  } while (message[end] == ' ' || message[end] == '\t');
  return message.substr(0, end - 2);
}

// Builds ARC sets the way a sealer does (RFC 8617 §5.1), with this module's canonicalisation and
// OpenSSL; dkim_interop_test.cpp checks chains sealed by dkimpy.
class ChainBuilder {
 public:
  explicit ChainBuilder(std::string message) : message_(std::move(message)) {}

  // The ARC-Message-Signatures of the seals that follow are made as `adjust` says (c=, h=).
  ChainBuilder& ams(std::function<void(dkim::testing::SignSpec&)> adjust) {
    adjust_ams_ = std::move(adjust);
    return *this;
  }

  ChainBuilder& seal(const std::string& cv, const std::string& domain = "relay.example.org",
                     std::string seal_extra = "") {
    const unsigned i = static_cast<unsigned>(sets_.size()) + 1;
    const std::string n = std::to_string(i);
    std::array<std::string, 3> set;
    set[0] = "ARC-Authentication-Results: i=" + n + "; mx." + domain + "; dkim=pass";
    message_ = set[0] + "\r\n" + message_;
    dkim::testing::SignSpec spec;
    spec.field_name = "ARC-Message-Signature";
    spec.leading = "i=" + n + "; ";
    spec.domain = domain;
    spec.selector = "arc";
    spec.extra = "t=" + std::to_string(kNow) + "; ";
    if (adjust_ams_) adjust_ams_(spec);
    message_ = add_signature(message_, rsa2048(), spec);
    set[1] = first_field(message_);

    std::string field = "ARC-Seal: i=" + n + "; a=rsa-sha256; cv=" + cv + "; d=" + domain +
                        "; s=arc; " + seal_extra + "t=" + std::to_string(kNow) + "; b=";
    std::string data;
    for (const auto& previous : sets_) {
      for (const auto& text : previous)
        dkim::canonicalize_header(dkim::Canon::kRelaxed, text, data);
    }
    dkim::canonicalize_header(dkim::Canon::kRelaxed, set[0], data);
    dkim::canonicalize_header(dkim::Canon::kRelaxed, set[1], data);
    dkim::canonicalize_header(dkim::Canon::kRelaxed, field, data);
    data.resize(data.size() - 2);
    field += dkim::testing::base64(dkim::testing::sign_bytes(rsa2048(), dkim::Hash::kSha256, data));
    set[2] = field;
    message_ = field + "\r\n" + message_;
    sets_.push_back(set);
    return *this;
  }
  ChainBuilder& edit(std::string_view from, std::string_view to) {
    const std::size_t at = message_.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) message_.replace(at, from.size(), to);
    return *this;
  }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
  std::vector<std::array<std::string, 3>> sets_;
  std::function<void(dkim::testing::SignSpec&)> adjust_ams_;
};

dns::RecordedResolver zone() {
  return make_zone({{"arc._domainkey.relay.example.org", {key_record(rsa2048())}},
                    {"arc._domainkey.second.example.net", {key_record(rsa2048())}}});
}

ArcAuthResult validate(const std::string& message, std::int64_t now = kNow) {
  const auto parsed = parse(message);
  return validate_arc(*parsed, zone(), now);
}

TEST(ArcValidateTest, NoArcSetsIsNone) {
  const ArcAuthResult r = validate(kMessage);
  EXPECT_EQ(r.result, ArcChainStatus::kNone);
  EXPECT_EQ(r.instance, 0u);
  EXPECT_FALSE(r.reason.empty());
}

TEST(ArcValidateTest, ChainsOfOneToThreeSetsPass) {
  ChainBuilder chain(kMessage);
  chain.seal("none");
  ArcAuthResult r = validate(chain.message());
  EXPECT_EQ(r.result, ArcChainStatus::kPass) << r.reason;
  EXPECT_EQ(r.instance, 1u);
  EXPECT_EQ(r.oldest_pass, 1u);
  EXPECT_EQ(r.sealer, "relay.example.org");

  chain.seal("pass", "second.example.net").seal("pass");
  r = validate(chain.message());
  EXPECT_EQ(r.result, ArcChainStatus::kPass) << r.reason;
  EXPECT_EQ(r.instance, 3u);
  EXPECT_EQ(r.failed_instance, 0u);
  EXPECT_EQ(r.oldest_pass, 1u);
  EXPECT_EQ(r.sealer, "relay.example.org");
}

TEST(ArcValidateTest, KeysAreFetchedOncePerSealer) {
  ChainBuilder chain(kMessage);
  chain.seal("none").seal("pass").seal("pass", "second.example.net");
  const auto z = zone();
  const auto parsed = parse(chain.message());
  const dkim::SignedMessage view(*parsed);
  dkim::KeyCache keys(z);
  EXPECT_EQ(validate_arc(view, keys, kNow).result, ArcChainStatus::kPass);
  EXPECT_EQ(keys.lookups(), 2u);
}

TEST(ArcValidateTest, ChainValidationStatusRules) {
  ArcAuthResult r = validate(ChainBuilder(kMessage).seal("pass").message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 1u);
  EXPECT_NE(r.reason.find("cv=pass instead of none"), std::string::npos) << r.reason;

  r = validate(ChainBuilder(kMessage).seal("none").seal("none").message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 2u);

  r = validate(ChainBuilder(kMessage).seal("none").seal("fail").message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 2u);
  EXPECT_NE(r.reason.find("cv=fail"), std::string::npos) << r.reason;
}

TEST(ArcValidateTest, StructureProblems) {
  const std::string two = ChainBuilder(kMessage).seal("none").seal("pass").message();
  // A third instance's AAR alone: instance 3 lacks its AMS and AS.
  ArcAuthResult r = validate("ARC-Authentication-Results: i=3; mx.example; none\r\n" + two);
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 3u);

  // Instance 1 sealed twice.
  r = validate(first_field(two.substr(two.find("ARC-Seal: i=1"))) + "\r\n" + two);
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_NE(r.reason.find("more than one ARC-Seal"), std::string::npos) << r.reason;

  r = validate("ARC-Seal: i=51; a=rsa-sha256; cv=pass; d=x.example; s=s; b=YWJj\r\n" + two);
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_NE(r.reason.find("limit of 50"), std::string::npos) << r.reason;

  r = validate("ARC-Seal: i=x; a=rsa-sha256\r\n" + two);
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 0u);

  // Only instance 2: instance 1 is missing.
  r = validate(ChainBuilder(kMessage)
                   .seal("none")
                   .edit("i=1;", "i=2;")
                   .edit("i=1;", "i=2;")
                   .edit("i=1;", "i=2;")
                   .message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 1u);
}

TEST(ArcValidateTest, SealWithHeaderListIsInvalid) {
  const ArcAuthResult r =
      validate(ChainBuilder(kMessage).seal("none", "relay.example.org", "h=from; ").message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_NE(r.reason.find("h="), std::string::npos) << r.reason;
}

TEST(ArcValidateTest, TamperingPointsAtTheFailedInstance) {
  // Body changed after the last hop: the newest AMS fails.
  ArcAuthResult r =
      validate(ChainBuilder(kMessage).seal("none").seal("pass").edit("Monday", "Friday").message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 2u);

  // The single set's AAR rewritten: its seal no longer verifies.
  r = validate(ChainBuilder(kMessage).seal("none").edit("dkim=pass", "dkim=none").message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 1u);
  EXPECT_NE(r.reason.find("ARC-Seal of instance 1"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason_fr.find("l'ARC-Seal de l'instance 1 (d="), std::string::npos) << r.reason_fr;
  EXPECT_NE(r.reason_fr.find("ne se vérifie pas : les en-têtes ARC ont été modifiés ou falsifiés"), std::string::npos)
      << r.reason_fr;

  // The newest seal's own signature damaged.
  const std::string two = ChainBuilder(kMessage).seal("none").seal("pass").message();
  const std::size_t b = two.find("; b=") + 4;
  std::string broken = two;
  broken[b] = broken[b] == 'A' ? 'B' : 'A';
  r = validate(broken);
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 2u);
}

TEST(ArcValidateTest, OldestPassAfterAChangeBetweenHops) {
  const ArcAuthResult r = validate(ChainBuilder(kMessage)
                                       .seal("none")
                                       .seal("pass")
                                       .edit("Monday", "Tuesday")
                                       .seal("pass")
                                       .message());
  EXPECT_EQ(r.result, ArcChainStatus::kPass) << r.reason;
  EXPECT_EQ(r.instance, 3u);
  EXPECT_EQ(r.oldest_pass, 3u);
}

// RFC 8617 §4.1.2: the AMS has the syntax and semantics of a DKIM-Signature, so a missing c= is
// simple/simple (RFC 6376 §3.5). The message has a body and header fields whose simple and
// relaxed forms differ, so that a verifier reading another default fails.
TEST(ArcValidateTest, AmsWithoutCanonicalizationIsSimpleSimple) {
  const std::string spaced =
      "From:   Alice   <alice@example.com>\r\n"
      "To: list@lists.example.org\r\n"
      "SUBJECT: Meeting  notes \r\n"
      "\r\n"
      "See  you on Monday.   \r\n"
      "\r\n\r\n";
  ChainBuilder chain(spaced);
  chain.ams([](dkim::testing::SignSpec& spec) { spec.omit_canonicalization = true; });
  chain.seal("none").seal("pass", "second.example.net");
  ASSERT_EQ(chain.message().find("c="), std::string::npos);
  const ArcAuthResult r = validate(chain.message());
  EXPECT_EQ(r.result, ArcChainStatus::kPass) << r.reason;
  EXPECT_EQ(r.oldest_pass, 1u);
}

// RFC 8617 does not carry DKIM's "h= MUST include From" over to the AMS, and an empty name in a
// colon-separated list selects no field: neither makes the AMS unusable by itself.
TEST(ArcValidateTest, AmsWithEmptyOrFromlessHeaderListVerifies) {
  for (const std::string headers : {"", "to:subject", "from::subject", "from:subject:"}) {
    ChainBuilder chain(kMessage);
    chain.ams([&](dkim::testing::SignSpec& spec) { spec.headers = headers; });
    chain.seal("none");
    const ArcAuthResult r = validate(chain.message());
    EXPECT_EQ(r.result, ArcChainStatus::kPass) << "h=" << headers << ": " << r.reason;
  }
  // The empty h= signs no field: a changed Subject goes unnoticed by the AMS, as it should.
  ChainBuilder unsigned_subject(kMessage);
  unsigned_subject.ams([](dkim::testing::SignSpec& spec) { spec.headers = ""; });
  unsigned_subject.seal("none").edit("Meeting notes", "Changed notes");
  EXPECT_EQ(validate(unsigned_subject.message()).result, ArcChainStatus::kPass);
}

// RFC 6376 §3.2: tag-list = tag-spec *( ";" tag-spec ) [ ";" ]. An empty tag-spec between two
// semicolons is not in the grammar; in an ARC-Seal it makes the seal, and so the chain, fail,
// even though the seal's signature covers the field as written.
TEST(ArcValidateTest, SealWithAnEmptyTagSpecFails) {
  const ArcAuthResult r =
      validate(ChainBuilder(kMessage).seal("none", "relay.example.org", ";").message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 1u);
  EXPECT_NE(r.reason.find("empty tag-spec"), std::string::npos) << r.reason;
}

// A sealer's key that cannot be fetched for now leaves the chain unchecked, not broken.
TEST(ArcValidateTest, KeyLookupTemperrorIsMarkedTemporary) {
  const std::string message = ChainBuilder(kMessage).seal("none").message();
  auto slow =
      dns::RecordedResolver::from_string("arc._domainkey.relay.example.org:\n  - TIMEOUT\n");
  ASSERT_TRUE(slow);
  const ArcAuthResult r = validate_arc(*parse(message), *slow, kNow);
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_TRUE(r.temporary_error);
  EXPECT_NE(r.reason.find("failed temporarily"), std::string::npos) << r.reason;
  // A missing key is a real failure.
  EXPECT_FALSE(
      validate(ChainBuilder(kMessage).seal("none", "unknown.example").message()).temporary_error);
}

TEST(ArcValidateTest, MissingSealerKeyFails) {
  const ArcAuthResult r =
      validate(ChainBuilder(kMessage).seal("none", "unknown.example").message());
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 1u);
  EXPECT_NE(r.reason.find("no key record"), std::string::npos) << r.reason;
}

}  // namespace
}  // namespace vigie::auth::arc
