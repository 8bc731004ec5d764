// Interoperability with an independent implementation: dkimpy (Debian python3-dkim), run through
// /usr/bin/python3 at test time, generates fresh RSA-2048 and Ed25519 keys, signs messages with
// every canonicalisation pair, seals a two-hop ARC chain, checks its own output with dkim.verify
// and dkim.arc_verify, and writes the messages and a zone file. This test then verifies them with
// vigie's code, and verifies tampered copies to see each failure kind. The test is skipped only
// when the Python modules are missing (scripts/install-deps.sh installs them for CI).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/arc/arc.h"
#include "auth/dkim/dkim.h"
#include "auth/dkim/test_support.h"
#include "auth/dns/recorded_resolver.h"

namespace vigie::auth::dkim {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

constexpr std::string_view kSigner = R"PY(
import os, subprocess, sys
import dkim, nacl.encoding, nacl.signing

out = sys.argv[1]
rsa_path = os.path.join(out, "rsa.pem")
subprocess.check_call(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                       "rsa_keygen_bits:2048", "-out", rsa_path],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
rsa_key = open(rsa_path, "rb").read()
rsa_pub = subprocess.check_output(["openssl", "pkey", "-in", rsa_path, "-pubout"],
                                  stderr=subprocess.DEVNULL).decode()
rsa_p = "".join(l for l in rsa_pub.splitlines() if not l.startswith("-----"))
ed = nacl.signing.SigningKey.generate()
ed_key = ed.encode(encoder=nacl.encoding.Base64Encoder)
ed_p = ed.verify_key.encode(encoder=nacl.encoding.Base64Encoder).decode()

records = {
    "rsa._domainkey.example.com": "v=DKIM1; k=rsa; p=" + rsa_p,
    "ed._domainkey.example.com": "v=DKIM1; k=ed25519; p=" + ed_p,
    "arc._domainkey.relay1.example.org": "v=DKIM1; k=rsa; p=" + rsa_p,
    "arc._domainkey.relay2.example.net": "v=DKIM1; k=rsa; p=" + rsa_p,
}
with open(os.path.join(out, "zone.yaml"), "w") as zone:
    for name, text in records.items():
        # Long records as DNS carries them: several character-strings of at most 255 bytes.
        pieces = ", ".join('"%s"' % text[i:i + 255] for i in range(0, len(text), 255))
        zone.write("%s:\n  - TXT: [%s]\n" % (name, pieces))

def dnsfunc(name, timeout=5):
    return records.get(name.decode().rstrip(".").lower(), "").encode() or None

message = (b"From: Alice <alice@example.com>\r\n"
           b"To: Bob <bob@example.net>\r\n"
           b"Subject: Interop   test\r\n"
           b"Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
           b"Message-ID: <interop@example.com>\r\n"
           b"\r\n"
           b"Hello Bob,\r\n"
           b"\r\n"
           b"this  line has  double spaces \t\r\n"
           b"and this one a trailing tab\t\r\n"
           b"\r\n\r\n")
headers = [b"from", b"to", b"subject", b"date", b"message-id"]

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def sign(algorithm, key, selector, canon, length=False):
    sig = dkim.sign(message, selector, b"example.com", key, canonicalize=canon,
                    signature_algorithm=algorithm, include_headers=headers, length=length)
    signed = sig + message
    assert dkim.verify(signed, dnsfunc=dnsfunc), (algorithm, canon)
    return signed

for algorithm, key, selector, tag in ((b"rsa-sha256", rsa_key, b"rsa", "rsa"),
                                      (b"ed25519-sha256", ed_key, b"ed", "ed25519")):
    for h in (b"simple", b"relaxed"):
        for b in (b"simple", b"relaxed"):
            write("dkim-%s-%s-%s.eml" % (tag, h.decode(), b.decode()),
                  sign(algorithm, key, selector, (h, b)))
write("dkim-rsa-length.eml", sign(b"rsa-sha256", rsa_key, b"rsa", (b"relaxed", b"relaxed"), True))

# ARC: two hops, each adding its Authentication-Results and sealing.
def arc_hop(msg, domain, srv, results):
    msg = b"Authentication-Results: " + srv + b"; " + results + b"\r\n" + msg
    arc = dkim.arc_sign(msg, b"arc", domain, rsa_key, srv)
    assert arc, "arc_sign produced nothing"
    return b"".join(arc) + msg

signed = sign(b"rsa-sha256", rsa_key, b"rsa", (b"relaxed", b"relaxed"))
hop1 = arc_hop(signed, b"relay1.example.org", b"mx.relay1.example.org",
               b"dkim=pass header.d=example.com; spf=pass smtp.mailfrom=example.com")
hop2 = arc_hop(hop1, b"relay2.example.net", b"mx.relay2.example.net",
               b"arc=pass; dkim=pass header.d=example.com")
cv, _, why = dkim.arc_verify(hop2, dnsfunc=dnsfunc)
assert cv == dkim.CV_Pass, why
write("arc-2hop.eml", hop2)

# A mailing list between the hops changes the body (a footer); the second hop seals anyway.
footed = hop1.rstrip(b"\r\n") + b"\r\n-- \r\nList footer\r\n"
hop2b = arc_hop(footed, b"relay2.example.net", b"mx.relay2.example.net",
                b"arc=pass; dkim=fail header.d=example.com")
cv, _, why = dkim.arc_verify(hop2b, dnsfunc=dnsfunc)
assert cv == dkim.CV_Pass, why
write("arc-footer.eml", hop2b)
)PY";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

std::string replace(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class DkimInteropTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string probe =
        std::string(kPython) + " -c 'import dkim, nacl.signing, authres' >/dev/null 2>&1";
    if (std::system(probe.c_str()) != 0) {
      skip_reason_ = std::string(kPython) +
                     " lacks the dkim, nacl or authres module (Debian python3-dkim, "
                     "python3-nacl, python3-authres; see scripts/install-deps.sh)";
      return;
    }
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("vigie-dkim-interop-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "sign.py") << kSigner;
    const std::string command = std::string(kPython) + " " + (dir_ / "sign.py").string() + " " +
                                dir_.string() + " > " + (dir_ / "sign.log").string() + " 2>&1";
    generated_ = std::system(command.c_str()) == 0;
    log_ = read_file(dir_ / "sign.log");
    now_ = static_cast<std::int64_t>(std::time(nullptr));
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  void SetUp() override {
    if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
    ASSERT_TRUE(generated_) << "the dkimpy signer failed:\n" << log_;
    auto zone = dns::RecordedResolver::from_file((dir_ / "zone.yaml").string());
    ASSERT_TRUE(zone) << zone.error().message;
    zone_ = std::make_unique<dns::RecordedResolver>(std::move(*zone));
  }

  std::string message(const std::string& name) const {
    const std::string text = read_file(dir_ / name);
    EXPECT_FALSE(text.empty()) << name;
    return text;
  }
  std::vector<DkimAuthResult> verify(const std::string& text) const {
    const auto parsed = testing::parse(text);
    return verify_dkim(*parsed, *zone_, now_);
  }
  ArcAuthResult arc(const std::string& text) const {
    const auto parsed = testing::parse(text);
    return arc::validate_arc(*parsed, *zone_, now_);
  }

  static inline std::filesystem::path dir_;
  static inline std::string skip_reason_;
  static inline bool generated_ = false;
  static inline std::string log_;
  static inline std::int64_t now_ = 0;
  std::unique_ptr<dns::RecordedResolver> zone_;
};

TEST_F(DkimInteropTest, DkimpySignaturesVerifyAndTamperingIsClassified) {
  for (const char* algorithm : {"rsa", "ed25519"}) {
    for (const char* h : {"simple", "relaxed"}) {
      for (const char* b : {"simple", "relaxed"}) {
        const std::string name = std::string("dkim-") + algorithm + "-" + h + "-" + b + ".eml";
        SCOPED_TRACE(name);
        const std::string text = message(name);

        auto results = verify(text);
        ASSERT_EQ(results.size(), 1u);
        EXPECT_EQ(results[0].result, AuthResultCode::kPass) << results[0].reason;
        EXPECT_EQ(results[0].failure, DkimFailure::kNone);
        EXPECT_EQ(results[0].domain, "example.com");
        EXPECT_EQ(results[0].algorithm,
                  std::string(algorithm) == "rsa" ? "rsa-sha256" : "ed25519-sha256");
        EXPECT_EQ(results[0].key_bits, std::string(algorithm) == "rsa" ? 2048u : 256u);
        EXPECT_EQ(results[0].signed_headers,
                  (std::vector<std::string>{"from", "to", "subject", "date", "message-id"}));

        // Bare LF, as messages are often stored on disk, verifies the same.
        std::string lf;
        for (char c : text) {
          if (c != '\r') lf.push_back(c);
        }
        results = verify(lf);
        ASSERT_EQ(results.size(), 1u);
        EXPECT_EQ(results[0].result, AuthResultCode::kPass) << "bare LF: " << results[0].reason;

        results = verify(replace(text, "Subject: Interop   test", "Subject: Interop   rest"));
        ASSERT_EQ(results.size(), 1u);
        EXPECT_EQ(results[0].result, AuthResultCode::kFail);
        EXPECT_EQ(results[0].failure, DkimFailure::kSignature) << results[0].reason;

        results = verify(replace(text, "Hello Bob", "Hello Eve"));
        ASSERT_EQ(results.size(), 1u);
        EXPECT_EQ(results[0].result, AuthResultCode::kFail);
        EXPECT_EQ(results[0].failure, DkimFailure::kBodyHash) << results[0].reason;
        EXPECT_EQ(results[0].reason, "body hash mismatch: the body was changed after signing");
      }
    }
  }
}

TEST_F(DkimInteropTest, DkimpyBodyLength) {
  const std::string text = message("dkim-rsa-length.eml");
  auto results = verify(text + "Appended after signing\r\n");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].result, AuthResultCode::kPass) << results[0].reason;
  EXPECT_TRUE(results[0].body_length_limited);
  // The signed body ended with two empty lines, no longer trailing once text follows them.
  EXPECT_EQ(results[0].unsigned_body_bytes,
            std::string("\r\n\r\nAppended after signing\r\n").size());
}

TEST_F(DkimInteropTest, DkimpyArcChainPasses) {
  const std::string text = message("arc-2hop.eml");
  const ArcAuthResult r = arc(text);
  EXPECT_EQ(r.result, ArcChainStatus::kPass) << r.reason;
  EXPECT_EQ(r.instance, 2u);
  EXPECT_EQ(r.failed_instance, 0u);
  EXPECT_EQ(r.oldest_pass, 1u);
  EXPECT_EQ(r.sealer, "relay2.example.net");
  // The original DKIM signature travels through both hops intact.
  const auto dkim = verify(text);
  ASSERT_EQ(dkim.size(), 1u);
  EXPECT_EQ(dkim[0].result, AuthResultCode::kPass) << dkim[0].reason;
}

TEST_F(DkimInteropTest, DkimpyArcChainWithFooterKeepsOldestPass) {
  const ArcAuthResult r = arc(message("arc-footer.eml"));
  EXPECT_EQ(r.result, ArcChainStatus::kPass) << r.reason;
  EXPECT_EQ(r.instance, 2u);
  EXPECT_EQ(r.oldest_pass, 2u);  // the first hop's AMS no longer matches the body
}

TEST_F(DkimInteropTest, DkimpyArcChainTampered) {
  const std::string text = message("arc-2hop.eml");

  ArcAuthResult r = arc(replace(text, "Hello Bob", "Hello Eve"));
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 2u);
  EXPECT_NE(r.reason.find("ARC-Message-Signature of instance 2"), std::string::npos) << r.reason;

  // The first hop's results are covered by both seals; the newest is checked first.
  r = arc(replace(text, "spf=pass", "spf=fail"));
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 2u);
  EXPECT_NE(r.reason.find("ARC-Seal of instance 2"), std::string::npos) << r.reason;

  // Without its ARC-Authentication-Results, the first set is incomplete.
  const std::size_t aar = text.find("ARC-Authentication-Results: i=1;");
  ASSERT_NE(aar, std::string::npos);
  std::size_t end = aar;
  do {
    end = text.find("\r\n", end) + 2;
  } while (text[end] == ' ' || text[end] == '\t');
  r = arc(std::string(text).erase(aar, end - aar));
  EXPECT_EQ(r.result, ArcChainStatus::kFail);
  EXPECT_EQ(r.failed_instance, 1u);
  EXPECT_NE(r.reason.find("instance 1 has no ARC-Authentication-Results"), std::string::npos)
      << r.reason;
}

}  // namespace
}  // namespace vigie::auth::dkim
