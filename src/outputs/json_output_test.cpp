#include "outputs/json_output.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "vigie/engine.h"

namespace vigie::outputs {
namespace {

namespace fs = std::filesystem;

const Engine& engine() {
  static const Engine instance{Config{}};
  return instance;
}

std::string scanned_line(std::string message, std::string_view label = "m.eml") {
  const ScanResult result = engine().scan(std::make_shared<const std::string>(std::move(message)), Envelope{});
  return scan_json_line(result, label);
}

// The record is written field by field (json_writer.h); read back by nlohmann, whose objects keep
// their keys sorted, it must dump to the very same bytes: same keys in the same order, same
// numbers, same escapes.
void expect_reads_back_the_same(const std::string& line, const std::string& name) {
  const nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(parsed.is_discarded()) << name << ": not JSON: " << line.substr(0, 300);
  EXPECT_EQ(parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), line) << name;
}

TEST(ScanJsonLineTest, EveryBundledMessageReadsBackTheSame) {
  int scanned = 0;
  for (const char* folder : {"examples", "tests/golden/messages"}) {
    for (const fs::directory_entry& entry : fs::directory_iterator(fs::path(VIGIE_SOURCE_DIR) / folder)) {
      if (entry.path().extension() != ".eml") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string line = scanned_line(std::string(std::istreambuf_iterator<char>(in), {}));
      expect_reads_back_the_same(line, entry.path().filename().string());
      ++scanned;
    }
  }
  EXPECT_GE(scanned, 9);
}

// A finding's technique ids keep their place in "attack"; "attack_techniques" names them.
TEST(ScanJsonLineTest, FindingTechniquesCarryNamesAndTactics) {
  const std::string line = scanned_line(
      "From: \"Service\" <a@example.org>\nSubject: Facture impayée\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nVoir la pièce jointe.\n--b\nContent-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename=\"facture.pdf.exe\"\n\nMZ\n--b--\n");
  const nlohmann::json record = nlohmann::json::parse(line);
  bool named = false;
  for (const nlohmann::json& finding : record["findings"]) {
    if (!finding.contains("attack_techniques")) continue;
    const nlohmann::json& techniques = finding["attack_techniques"];
    ASSERT_EQ(techniques.size(), finding["attack"].size()) << finding.dump();
    for (std::size_t i = 0; i < techniques.size(); ++i) {
      EXPECT_EQ(techniques[i]["id"], finding["attack"][i]);
      EXPECT_FALSE(techniques[i]["name"].get<std::string>().empty());
      EXPECT_FALSE(techniques[i]["tactics"].empty());
    }
    for (const nlohmann::json& t : techniques) named = named || (t["id"] == "T1036.007" && t["name"] == "Double File Extension" &&
                                                                  t["tactics"][0] == "defense-evasion");
  }
  EXPECT_TRUE(named) << line;
}

TEST(ScanJsonLineTest, HostileHeaderBytesStayValidJson) {
  const std::string line = scanned_line(
      "From: \"Ev\x1b[31mil\" <a@example.org>\r\n"
      "Subject: caf\xe9 \"quoted\" back\\slash \xF0\x9F\x94\r\n"
      "Message-ID: <x\x01y@example.org>\r\n"
      "\r\n"
      "body\r\n",
      "dir/tab\there\xff.eml");
  expect_reads_back_the_same(line, "hostile");
  const nlohmann::json parsed = nlohmann::json::parse(line);
  // Unencoded 8-bit bytes in a header are read as Windows-1252 by the parser.
  EXPECT_EQ(parsed["subject"], "café \"quoted\" back\\slash ðŸ”");
  // A file name is bytes: what is not UTF-8 is replaced.
  EXPECT_EQ(parsed["file"], "dir/tab\there\xEF\xBF\xBD.eml");
  EXPECT_EQ(parsed["from"], "a@example.org");
  EXPECT_NE(line.find(R"(tab\there)"), std::string::npos);
}

TEST(ScanJsonLineTest, AMessageWithoutFromHasNull) {
  const nlohmann::json parsed = nlohmann::json::parse(scanned_line("Subject: hi\r\n\r\nbody\r\n"));
  EXPECT_TRUE(parsed["from"].is_null());
  EXPECT_EQ(parsed["verdict"]["action"], "accept");
  EXPECT_TRUE(parsed["objects"].is_array());
}

}  // namespace
}  // namespace vigie::outputs
