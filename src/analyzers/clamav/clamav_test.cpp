// clamav: off by default; with a signature database this test writes (an .hdb hash signature of
// one file and an .ndb body signature of a marker, never real malware, never the system's
// database) it names the signature on the object that matches and stays silent on others; a
// missing or broken database stops the engine.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "analyzers/analyzer_harness.h"
#include "config/section.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

namespace fs = std::filesystem;

const std::string kHashedFile = "vigie clamav test file: this exact content is listed by its MD5";
const std::string kBodyMarker = "VIGIE-CLAMAV-BODY-SIGNATURE-7f3a";

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string md5(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_md5(), nullptr);
  return hex(std::string_view(reinterpret_cast<const char*>(digest), size));
}

struct SignatureFolder {
  SignatureFolder() : path(::testing::TempDir() + "vigie_clamav_db") {
    fs::remove_all(path);
    fs::create_directories(path);
    std::ofstream(path + "/vigie-test.hdb") << md5(kHashedFile) << ":" << kHashedFile.size() << ":Vigie.Test.Hash\n";
    std::ofstream(path + "/vigie-test.ndb") << "Vigie.Test.Body:0:*:" << hex(kBodyMarker) << "\n";
  }
  ~SignatureFolder() { fs::remove_all(path); }
  std::string path;
};

Config enabled_with(const std::string& database) {
  Config config;
  config.analyzers.sections["clamav"] = config::section_from_toml(
      "enabled = true\ndatabase = \"" + database + "\"\n", "analyzers.clamav", "site.toml");
  return config;
}

std::string with_attachment(const std::string& name, const std::string& content) {
  // 8bit keeps the test's text as it is: every byte here is printable. The line break before the
  // boundary belongs to the boundary (RFC 2046), not to the file.
  return "From: a@example.org\nTo: b@example.net\nSubject: documents\n"
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
         "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: 8bit\n"
         "Content-Disposition: attachment; filename=\"" + name + "\"\n\n" + content + "\n--b--\n";
}

TEST(ClamavAnalyzerTest, OffByDefault) {
  const AnalyzerHarness harness("clamav");
  EXPECT_TRUE(harness.analyze(with_attachment("a.txt", kHashedFile)).empty());
}

TEST(ClamavAnalyzerTest, HashAndBodySignaturesNameTheMatchingObject) {
  SignatureFolder db;
  const AnalyzerHarness harness("clamav", enabled_with(db.path));

  const std::vector<Finding> hashed = harness.analyze(with_attachment("listed.txt", kHashedFile));
  ASSERT_EQ(hashed.size(), 1u);
  EXPECT_EQ(hashed[0].id, "CLAMAV_SIGNATURE");
  EXPECT_EQ(hashed[0].analyzer, "clamav");
  EXPECT_EQ(hashed[0].group, "active_content");
  ASSERT_EQ(hashed[0].evidence.size(), 1u);
  EXPECT_EQ(hashed[0].evidence[0].field, "clamav_signature");
  // ClamAV marks signatures from an unsigned database as .UNOFFICIAL.
  EXPECT_EQ(hashed[0].evidence[0].value.rfind("Vigie.Test.Hash", 0), 0u) << hashed[0].evidence[0].value;
  EXPECT_EQ(hashed[0].evidence[0].object, 2u);

  const std::vector<Finding> body =
      harness.analyze(with_attachment("notes.txt", "first line\nsome text " + kBodyMarker + " more text"));
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0].evidence[0].value.rfind("Vigie.Test.Body", 0), 0u) << body[0].evidence[0].value;

  // One byte more and the hash no longer matches; no marker, nothing.
  EXPECT_TRUE(harness.analyze(with_attachment("other.txt", kHashedFile + "!")).empty());
  EXPECT_TRUE(harness.analyze("From: a@example.org\nTo: b@example.net\nSubject: hi\n\nSee you at 10.\n").empty());
}

TEST(ClamavAnalyzerTest, AMarkerInABodyIsFoundToo) {
  SignatureFolder db;
  const AnalyzerHarness harness("clamav", enabled_with(db.path));
  const std::vector<Finding> findings = harness.analyze(
      "From: a@example.org\nTo: b@example.net\nSubject: hi\n\nplease read " + kBodyMarker + "\n");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence[0].object, 1u);
}

// One engine, several scan threads, as `vigie scan -j N` runs it: the compiled ClamAV engine and
// the YARA rules are shared read-only, and every scan finds what it must.
TEST(ClamavAnalyzerTest, OneEngineServesConcurrentScans) {
  SignatureFolder db;
  const Engine engine{enabled_with(db.path)};
  const auto marked = std::make_shared<const std::string>(with_attachment("notes.txt", "text " + kBodyMarker));
  const auto clean = std::make_shared<const std::string>(with_attachment("notes.txt", "text only"));
  std::vector<int> found(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < found.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const ScanResult result = engine.scan(i % 2 == 0 ? marked : clean, Envelope{});
        for (const Finding& f : result.findings) found[t] += f.id == "CLAMAV_SIGNATURE" ? 1 : 0;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const int n : found) EXPECT_EQ(n, 20);
}

TEST(ClamavAnalyzerTest, AMissingOrBrokenDatabaseStopsTheEngine) {
  try {
    Engine engine{enabled_with(::testing::TempDir() + "vigie_no_such_clamav_db")};
    ADD_FAILURE() << "the engine started without its ClamAV database";
  } catch (const EngineConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("vigie_no_such_clamav_db' does not exist"), std::string::npos) << e.what();
  }
  const std::string broken = ::testing::TempDir() + "vigie_clamav_broken";
  fs::remove_all(broken);
  fs::create_directories(broken);
  std::ofstream(broken + "/broken.ndb") << "Not.A.Valid:Signature:Line\n";
  try {
    Engine engine{enabled_with(broken)};
    ADD_FAILURE() << "the engine started with a broken ClamAV database";
  } catch (const EngineConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("analyzer clamav: analyzers.clamav.database: '" + broken + "'"),
              std::string::npos)
        << e.what();
  }
  fs::remove_all(broken);
}

}  // namespace
}  // namespace vigie::analyzers
