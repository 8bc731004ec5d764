// yara: the shipped rules compile, carry their metadata and each fires on a small input built
// here (and not on a plain message); a broken rule file names file:line, other files' errors are
// reported with it and the engine refuses to start; a rule's metas shape its finding within the
// catalog's bounds; one rule set serves concurrent scans; the scan size bound is reported.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "analyzers/analyzer_harness.h"
#include "analyzers/yara_rules/rule_set.h"
#include "config/section.h"
#include "vigie/engine.h"

namespace vigie::analyzers::yara_rules {
namespace {

using namespace std::string_literals;
namespace fs = std::filesystem;

const std::string kShipped = VIGIE_SOURCE_DIR "/data/yara";

std::shared_ptr<const RuleSet> shipped_rules() {
  static const std::shared_ptr<const RuleSet> rules = [] {
    Result<std::shared_ptr<const RuleSet>> compiled = RuleSet::compile({RuleFolder{kShipped, "vigie"}});
    if (!compiled) throw std::runtime_error(compiled.error().message);
    return *compiled;
  }();
  return rules;
}

std::set<std::string> matched(const RuleSet& rules, std::string_view bytes) {
  std::set<std::string> names;
  for (const RuleMatch& m : rules.scan(bytes, 5).matches) names.insert(m.rule->name);
  return names;
}

std::string utf16(std::string_view ascii) {
  std::string out;
  for (const char c : ascii) {
    out += c;
    out += '\0';
  }
  return out;
}

// --- Inputs that carry each marker, built byte by byte (nothing here runs anything) ---

std::string ole_with_autoexec_macro() {
  std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s + std::string(504, '\0');
  ole += utf16("_VBA_PROJECT") + std::string(64, '\0');
  ole += "Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\n"
         "CreateObject(\"WScript.Shell\").Run \"calc\"\r\nEnd Sub\r\n";
  return ole;
}

std::string rtf_with_equation_object() {
  return "{\\rtf1\\ansi{\\object\\objemb\\objupdate{\\*\\objclass Equation.3}\\objw380\\objh260"
         "{\\*\\objdata 01050000020000000b0000004571756174696f6e2e33000000000000000000000e0000\n"
         "d0cf11e0a1b11ae1000000000000000000000000}}}";
}

std::string lnk_with_encoded_powershell() {
  std::string lnk = "\x4C\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46"s + std::string(56, '\0');
  lnk += utf16("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
  lnk += utf16(" -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=");
  return lnk;
}

std::string html_smuggling_page() {
  return "<html><body><script>var b64 = 'TVqQAAMAAAAEAAAA';"
         "var raw = atob(b64); var bytes = new Uint8Array(raw.length);"
         "for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);"
         "var blob = new Blob([bytes], {type: 'application/octet-stream'});"
         "var a = document.createElement('a'); a.href = window.URL.createObjectURL(blob);"
         "a.download = 'document.iso'; a.click();</script></body></html>";
}

std::string onenote_with_embedded_file() {
  std::string one = "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3"s + std::string(1024, '\0');
  one += "\xE7\x16\xE3\xBD\x65\x26\x11\x45\xA4\xC4\x8D\x4D\x0B\x7A\x9E\xAC"s;
  one += "\x20\0\0\0\0\0\0\0"s + "@echo off\r\nstart payload.exe\r\n";
  return one;
}

// Local file headers of a ZIP as WinRAR CVE-2023-38831 archives hold them (names only; the
// member data is irrelevant to the marker).
std::string zip_with_spaced_names() {
  const auto entry = [](const std::string& name) {
    std::string header = "PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"s;
    header += static_cast<char>(name.size());
    header += "\0\0\0"s;
    return header + name;
  };
  return entry("report.pdf ") + entry("report.pdf /") + entry("report.pdf /report.pdf .cmd") + "PK\x05\x06"s +
         std::string(18, '\0');
}

std::string rels_with_ms_msdt() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
         "<Relationship Id=\"rId996\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
         "oleObject\" Target=\"mhtml:ms-msdt:/id PCWDiagnostic\" TargetMode=\"External\"/></Relationships>";
}

std::string msdt_launcher_page() {
  return "<!doctype html><html><body><script>window.location.href = \"ms-msdt:/id PCWDiagnostic /skip force "
         "/param \\\"IT_RebrowseForFile=? IT_BrowseForFile=x\\\"\";</script></body></html>";
}

std::string svg_animate_javascript() {
  return "<html><body><svg><a><animate attributeName=\"href \" values=\"javascript:alert(document.domain)\" />"
         "<text x=\"20\" y=\"20\">Open</text></a></svg></body></html>";
}

const std::map<std::string, std::string>& input_for_each_rule() {
  static const std::map<std::string, std::string> inputs = {
      {"vigie_office_vba_autoexec_shell", ole_with_autoexec_macro()},
      {"vigie_rtf_equation_editor_object", rtf_with_equation_object()},
      {"vigie_lnk_powershell_encoded_command", lnk_with_encoded_powershell()},
      {"vigie_html_smuggling_blob_download", html_smuggling_page()},
      {"vigie_onenote_embedded_file", onenote_with_embedded_file()},
      {"vigie_winrar_cve_2023_38831_names", zip_with_spaced_names()},
      {"vigie_office_rels_ms_msdt", rels_with_ms_msdt()},
      {"vigie_html_ms_msdt_launcher", msdt_launcher_page()},
      {"vigie_svg_animate_href_javascript", svg_animate_javascript()},
  };
  return inputs;
}

TEST(YaraRuleSetTest, ShippedRulesCompileWithTheirMetadata) {
  const RuleSet& rules = *shipped_rules();
  EXPECT_GE(rules.file_count(), 8u);
  ASSERT_EQ(rules.rules().size(), input_for_each_rule().size());
  for (const RuleInfo& rule : rules.rules()) {
    SCOPED_TRACE(rule.name);
    EXPECT_EQ(rule.file.rfind("vigie/", 0), 0u) << rule.file;
    ASSERT_TRUE(rule.metadata.score.has_value());
    EXPECT_GT(*rule.metadata.score, 0);
    EXPECT_TRUE(rule.metadata.group.has_value());
    EXPECT_FALSE(rule.metadata.attack.empty());
    EXPECT_FALSE(rule.metadata.description.en.empty());
    EXPECT_FALSE(rule.metadata.description.fr.empty());
    EXPECT_NE(rule.metadata.description.en, rule.metadata.description.fr);
    EXPECT_EQ(rule.reference.rfind("https://", 0), 0u) << rule.reference;
    EXPECT_TRUE(input_for_each_rule().count(rule.name)) << "no test input for this rule";
  }
}

TEST(YaraRuleSetTest, EachShippedRuleFiresOnItsMarkerAndOnlyThere) {
  const RuleSet& rules = *shipped_rules();
  for (const auto& [name, input] : input_for_each_rule()) {
    SCOPED_TRACE(name);
    const std::set<std::string> names = matched(rules, input);
    EXPECT_TRUE(names.count(name)) << "did not fire";
    // The Follina rels and launcher share a marker; every other input fires its own rule alone.
    if (name != "vigie_office_rels_ms_msdt" && name != "vigie_html_ms_msdt_launcher") {
      EXPECT_EQ(names.size(), 1u);
    }
  }
}

TEST(YaraRuleSetTest, NearMissesDoNotFire) {
  const RuleSet& rules = *shipped_rules();
  // A macro that opens by itself but calls nothing dangerous; an RTF with a Paint object; a
  // shortcut to PowerShell without an encoded command; a page that downloads a Blob it did not
  // decode; a .one without an embedded file; an archive whose names end in spaces but hold no
  // script; an external template over https; an SVG animation of a colour.
  const std::string innocent[] = {
      "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s + utf16("_VBA_PROJECT") + "Sub AutoOpen()\r\nMsgBox \"hi\"\r\nEnd Sub",
      "{\\rtf1{\\object\\objemb\\objupdate{\\*\\objclass Paint.Picture}{\\*\\objdata 0105000002000000}}}",
      "\x4C\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46"s + utf16("powershell.exe -File report.ps1"),
      "<script>var blob = new Blob(['hello'], {type: 'text/plain'}); URL.createObjectURL(blob);</script>",
      "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3"s + std::string(256, '\x01'),
      "PK\x03\x04"s + "notes.txt " + "PK\x03\x04"s + "notes.txt /readme.txt",
      "<Relationships><Relationship Target=\"https://example.org/template.dotx\" TargetMode=\"External\"/>",
      "<svg><animate attributeName=\"fill\" values=\"red;blue\" dur=\"1s\"/></svg>",
  };
  for (const std::string& input : innocent) {
    EXPECT_TRUE(matched(rules, input).empty()) << input;
  }
}

// --- Broken rule folders stop the engine, every error at once ---

struct TempFolder {
  explicit TempFolder(const std::string& name) : path(::testing::TempDir() + "vigie_yara_" + name) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempFolder() { fs::remove_all(path); }
  std::string write(const std::string& file, const std::string& text) const {
    std::ofstream(path + "/" + file, std::ios::binary) << text;
    return path + "/" + file;
  }
  std::string path;
};

TEST(YaraRuleSetTest, CompileErrorsNameFileAndLineForEveryFile) {
  TempFolder folder("broken");
  const std::string a = folder.write("a.yar", "rule good_a { condition: true }\n\nrule broken_a { strings: $x = \"x\" condition: $y }\n");
  const std::string b = folder.write("b.yara", "rule broken_b {\n  condition: filesize <\n}\n");
  folder.write("c.yar", "rule fine_c { strings: $x = \"fine\" condition: $x }\n");
  folder.write("notes.txt", "not a rule file\n");
  const Result<std::shared_ptr<const RuleSet>> rules = RuleSet::compile({RuleFolder{folder.path, "site"}});
  ASSERT_FALSE(rules);
  const std::string& m = rules.error().message;
  EXPECT_NE(m.find(a + ":3: "), std::string::npos) << m;
  EXPECT_NE(m.find("$y"), std::string::npos) << m;
  EXPECT_NE(m.find(b + ":3: "), std::string::npos) << m;
  EXPECT_EQ(m.find("c.yar"), std::string::npos) << m;
}

TEST(YaraRuleSetTest, AFolderWithoutRulesIsAnError) {
  TempFolder folder("empty");
  folder.write("rules.txt", "rule not_read { condition: true }\n");
  const Result<std::shared_ptr<const RuleSet>> rules = RuleSet::compile({RuleFolder{folder.path, "site"}});
  ASSERT_FALSE(rules);
  EXPECT_NE(rules.error().message.find(folder.path + ": no .yar or .yara file"), std::string::npos);
}

TEST(YaraRuleSetTest, MalformedMetasNameTheFileAndTheRule) {
  TempFolder folder("metas");
  folder.write("m.yar",
               "rule too_much { meta: score = 40 condition: true }\n"
               "rule odd_group { meta: group = \"nowhere\" condition: true }\n"
               "rule odd_attack { meta: attack = \"T1566.001, phishing\" condition: true }\n"
               "rule text_score { meta: score = \"high\" condition: true }\n"
               "rule capped_by_its_group { meta: group = \"evasion\" score = 6 condition: true }\n");
  const Result<std::shared_ptr<const RuleSet>> rules = RuleSet::compile({RuleFolder{folder.path, "site"}});
  ASSERT_FALSE(rules);
  const std::string& m = rules.error().message;
  EXPECT_NE(m.find("site/m.yar: rule too_much: meta score: 40 is outside 0 to 15"), std::string::npos) << m;
  EXPECT_NE(m.find("site/m.yar: rule odd_group: meta group: 'nowhere' is not a finding group"), std::string::npos) << m;
  EXPECT_NE(m.find("site/m.yar: rule odd_attack: meta attack: 'phishing' is not an ATT&CK technique id"),
            std::string::npos) << m;
  EXPECT_NE(m.find("site/m.yar: rule text_score: meta score: must be an integer"), std::string::npos) << m;
  EXPECT_NE(m.find("site/m.yar: rule capped_by_its_group: meta score: 6 is outside 0 to 5"), std::string::npos) << m;
}

TEST(YaraAnalyzerTest, ABrokenSiteFolderStopsTheEngineWithEveryError) {
  TempFolder folder("engine");
  const std::string bad = folder.write("bad.yar", "rule bad {\n  condition: nonsense_identifier\n}\n");
  Config config;
  config.analyzers.sections["yara"] = config::section_from_toml(
      "rules = [\"" + folder.path + "\", \"" + folder.path + "/missing\"]\n", "analyzers.yara", "site.toml");
  try {
    Engine engine{config};
    ADD_FAILURE() << "the engine started with a broken rule folder";
  } catch (const EngineConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("site.toml:1:"), std::string::npos) << m;  // the missing folder, located
    EXPECT_NE(m.find("missing' does not exist"), std::string::npos) << m;
  }
  // Without the missing folder, the compile error itself.
  config.analyzers.sections["yara"] =
      config::section_from_toml("rules = [\"" + folder.path + "\"]\n", "analyzers.yara", "site.toml");
  try {
    Engine engine{config};
    ADD_FAILURE() << "the engine started with a broken rule file";
  } catch (const EngineConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("analyzer yara: " + bad + ":2: "), std::string::npos) << m;
  }
}

// --- The analyzer on messages ---

std::string base64_lines(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 57) {
    const std::string_view chunk = bytes.substr(i, 57);
    unsigned char line[80];
    const int n = EVP_EncodeBlock(line, reinterpret_cast<const unsigned char*>(chunk.data()), static_cast<int>(chunk.size()));
    out.append(reinterpret_cast<const char*>(line), static_cast<std::size_t>(n));
    out += '\n';
  }
  return out;
}

std::string with_attachment(const std::string& name, std::string_view content) {
  return "From: a@example.org\nTo: b@example.net\nSubject: documents\n"
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
         "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n"
         "Content-Disposition: attachment; filename=\"" + name + "\"\n\n" + base64_lines(content) + "--b--\n";
}

TEST(YaraAnalyzerTest, ARuleMatchBecomesAFindingShapedByTheRulesMetas) {
  const AnalyzerHarness harness("yara");
  const std::vector<Finding> findings = harness.analyze(with_attachment("invoice.rtf", rtf_with_equation_object()));
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.id, "YARA_MATCH");
  EXPECT_EQ(f.analyzer, "yara");
  EXPECT_EQ(f.group, "active_content");
  EXPECT_EQ(f.score, 12);
  EXPECT_EQ(f.attack, (std::vector<std::string>{"T1566.001", "T1203", "T1204.002"}));
  EXPECT_NE(f.explanation.en.find("Equation Editor"), std::string::npos);
  EXPECT_NE(f.explanation.fr.find("Éditeur d'équations"), std::string::npos);
  ASSERT_GE(f.evidence.size(), 4u);
  EXPECT_EQ(f.evidence[0].field, "yara_rule");
  EXPECT_EQ(f.evidence[0].value, "vigie_rtf_equation_editor_object");
  EXPECT_EQ(f.evidence[1].value, "vigie/rtf_equation_object.yar");
  EXPECT_EQ(f.evidence[0].object, 2u);  // the attachment, not the message
  const auto strings = std::find_if(f.evidence.begin(), f.evidence.end(),
                                    [](const Evidence& e) { return e.field == "yara_strings"; });
  ASSERT_NE(strings, f.evidence.end());
  EXPECT_NE(strings->value.find("$objdata at 0x"), std::string::npos) << strings->value;
}

TEST(YaraAnalyzerTest, BodiesAreScannedAndAPlainMessageIsSilent) {
  const AnalyzerHarness harness("yara");
  const std::string svg_body = "From: a@example.org\nTo: b@example.net\nSubject: news\nContent-Type: text/html\n\n" +
                               svg_animate_javascript() + "\n";
  const std::vector<Finding> findings = harness.analyze(svg_body);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].group, "client_exploit");
  EXPECT_TRUE(harness.analyze("From: a@example.org\nTo: b@example.net\nSubject: hi\n\nSee you at 10.\n").empty());
}

TEST(YaraAnalyzerTest, PlainTextBodiesOnlyWhenTheSiteAsks) {
  const std::string plain = "From: a@example.org\nTo: b@example.net\nSubject: hi\n\n" + msdt_launcher_page() + "\n";
  EXPECT_TRUE(AnalyzerHarness("yara").analyze(plain).empty());
  Config config;
  config.analyzers.sections["yara"] = config::section_from_toml("plain_text = true\n", "analyzers.yara");
  const std::vector<Finding> findings = AnalyzerHarness("yara", config).analyze(plain);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].evidence[0].value, "vigie_html_ms_msdt_launcher");
  EXPECT_EQ(findings[0].evidence[0].object, 1u);
}

TEST(YaraAnalyzerTest, SiteRulesWithoutMetasTakeTheCatalogDefaults) {
  TempFolder folder("site");
  folder.write("site.yar", "rule site_marker { strings: $m = \"SITE-MARKER-42\" condition: $m }\n");
  Config config;
  config.analyzers.sections["yara"] = config::section_from_toml(
      "rules = [\"" + folder.path + "\"]\nshipped = false\n", "analyzers.yara", "site.toml");
  const AnalyzerHarness harness("yara", config);
  const std::vector<Finding> findings = harness.analyze(with_attachment("a.bin", "xx SITE-MARKER-42 xx"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].score, 5);
  EXPECT_EQ(findings[0].group, "active_content");
  EXPECT_EQ(findings[0].attack, (std::vector<std::string>{"T1566.001", "T1204.002"}));
  EXPECT_EQ(findings[0].explanation.en, verdict::catalog_entry(verdict::FindingId::YARA_MATCH).en);
  EXPECT_EQ(findings[0].evidence[1].value, folder.path + "/site.yar");
  // The shipped rules are off: the RTF exploit passes unseen by this configuration.
  EXPECT_TRUE(harness.analyze(with_attachment("invoice.rtf", rtf_with_equation_object())).empty());
}

TEST(YaraAnalyzerTest, BytesBeyondTheScanLimitAreReportedNotMatched) {
  Config config;
  config.limits.max_rule_scan_bytes = 1024;
  const AnalyzerHarness harness("yara", config);
  const AnalyzerHarness::Run run =
      harness.run(with_attachment("padded.html", std::string(4096, ' ') + html_smuggling_page()));
  EXPECT_TRUE(run.findings.empty());
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_rule_scan_bytes");
  EXPECT_EQ(run.limits_reached[0].object, 2u);
}

// The shared corpus's legitimate mail (read in place, skipped when absent): no shipped rule fires,
// even on plain-text bodies.
TEST(YaraCorpusTest, NoShippedRuleFiresOnHam) {
  const fs::path corpus = fs::path(VIGIE_SOURCE_DIR) / ".." / "shared" / "corpus" / "spamassassin";
  if (!fs::is_directory(corpus)) GTEST_SKIP() << corpus << " is absent";
  Config config;
  config.analyzers.sections["yara"] = config::section_from_toml("plain_text = true\n", "analyzers.yara");
  const AnalyzerHarness harness("yara", config);
  std::size_t messages = 0;
  for (const char* folder : {"easy-ham-1", "easy-ham-2", "hard-ham-1"}) {
    for (const fs::directory_entry& entry : fs::directory_iterator(corpus / folder)) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      ++messages;
      for (const Finding& f : harness.analyze(raw)) {
        ADD_FAILURE() << entry.path() << ": " << f.evidence.at(0).value;
      }
    }
  }
  EXPECT_GT(messages, 4000u);
}

TEST(YaraRuleSetTest, OneRuleSetServesConcurrentScans) {
  const std::shared_ptr<const RuleSet> rules = shipped_rules();
  std::vector<std::thread> threads;
  std::vector<int> hits(4, 0);
  for (std::size_t t = 0; t < hits.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string& input = i % 2 == 0 ? rtf_with_equation_object() : lnk_with_encoded_powershell();
        hits[t] += static_cast<int>(rules->scan(input, 5).matches.size());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const int h : hits) EXPECT_EQ(h, 200);
}

}  // namespace
}  // namespace vigie::analyzers::yara_rules
