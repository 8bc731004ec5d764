// The MISP event importer on an event the test writes: every supported type, composites, objects,
// to_ids false, deleted attributes and objects, TLP and galaxy tags at both levels, galaxy
// clusters, confidence tags, first/last seen, malformed values, and documents that are not events.
#include "intel/misp/misp_import.h"

#include <algorithm>
#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vigie::intel::misp {
namespace {

using nlohmann::json;

constexpr const char* kEvent = "5f1f3c4e-0000-4000-8000-00000000e001";
const std::string kSha256(64, 'b');
const std::string kSha1(40, 'c');
const std::string kMd5(32, 'd');
const std::string kSha512(128, 'e');

json attribute(const std::string& uuid, const std::string& type, const std::string& value, bool to_ids = true) {
  return json{{"uuid", uuid}, {"type", type}, {"value", value}, {"to_ids", to_ids}, {"deleted", false},
              {"category", "Network activity"}, {"disable_correlation", true}};
}

json tags(std::initializer_list<const char*> names) {
  json list = json::array();
  for (const char* name : names) list.push_back(json{{"name", name}, {"colour", "#ffffff"}});
  return list;
}

json sample_event() {
  json attributes = json::array({
      attribute("a-domain", "domain", "Evil.Example"),
      attribute("a-hostname", "hostname", "mail.evil.example"),
      attribute("a-domain-ip", "domain|ip", "c2.evil.example|203.0.113.9"),
      attribute("a-url", "url", "https://evil.example/login"),
      attribute("a-uri", "uri", "http://evil.example/a.php"),
      attribute("a-link-url", "link", "https://evil.example/report"),
      attribute("a-link-text", "link", "internal wiki page 42"),
      attribute("a-ip-src", "ip-src", "198.51.100.7"),
      attribute("a-ip-dst", "ip-dst", "2001:db8::7"),
      attribute("a-cidr", "ip-dst", "198.51.100.0/24"),
      attribute("a-ip-src-port", "ip-src|port", "192.0.2.1|25"),
      attribute("a-ip-dst-port", "ip-dst|port", "2001:db8::8|443"),
      attribute("a-email", "email", "boss@evil.example"),
      attribute("a-email-src", "email-src", "hr@evil.example"),
      attribute("a-email-dst", "email-dst", "victim@ministere.example"),
      attribute("a-reply-to", "email-reply-to", "reply@evil.example"),
      attribute("a-subject", "email-subject", "Convocation urgente"),
      attribute("a-attachment", "email-attachment", "convocation.pdf.lnk"),
      attribute("a-filename", "filename", "payload.hta"),
      attribute("a-md5", "md5", kMd5),
      attribute("a-sha1", "sha1", kSha1),
      attribute("a-sha256", "sha256", kSha256),
      attribute("a-sha512", "sha512", kSha512),
      attribute("a-fn-md5", "filename|md5", "a|b.doc|" + kMd5),
      attribute("a-fn-sha1", "filename|sha1", "b.doc|" + kSha1),
      attribute("a-fn-sha256", "filename|sha256", "c.doc|" + kSha256),
      // Context only, removed, not for mail, malformed:
      attribute("a-context", "domain", "context.example", /*to_ids=*/false),
      attribute("a-regkey", "regkey", "HKLM\\Software\\Run"),
      attribute("a-mutex", "mutex", "Global\\x"),
      attribute("a-yara", "yara", "rule x { condition: true }"),
      attribute("a-bad-ip", "ip-dst", "not-an-ip"),
      attribute("a-bad-sha256", "sha256", kSha256 + "00"),
      attribute("a-bad-composite", "filename|sha256", "nobar.doc"),
      attribute("a-bad-port", "ip-dst|port", "192.0.2.2|99999"),
  });
  json deleted = attribute("a-deleted", "domain", "gone.example");
  deleted["deleted"] = true;
  attributes.push_back(deleted);
  json tagged = attribute("a-tagged", "domain", "tagged.example");
  tagged["Tag"] = tags({"tlp:amber+strict", "misp-galaxy:mitre-malware=\"X-Agent - S0161\"", "admiralty-scale:information-credibility=\"2\"",
                        "campaign:ministry-2026"});
  tagged["first_seen"] = "2026-01-02T03:04:05.123456+01:00";
  tagged["last_seen"] = "2026-03-01";
  tagged["comment"] = "seen in the January wave";
  attributes.push_back(tagged);
  json bad_date = attribute("a-bad-date", "domain", "dated.example");
  bad_date["first_seen"] = "yesterday";
  attributes.push_back(bad_date);

  json file_object = {{"name", "file"}, {"deleted", false}, {"first_seen", "2025-12-31T23:00:00Z"},
                      {"Attribute", json::array({attribute("o-filename", "filename", "invoice.iso"),
                                                 attribute("o-sha256", "sha256", std::string(64, 'f'))})}};
  json deleted_object = {{"name", "email"}, {"deleted", true},
                         {"Attribute", json::array({attribute("o-deleted", "email-src", "old@evil.example")})}};
  json event = {
      {"uuid", kEvent},
      {"info", "Phishing wave against the ministry"},
      {"published", true},
      {"date", "2026-01-05"},
      {"threat_level_id", "1"},
      {"Orgc", {{"name", "CERT-Partner"}, {"uuid", "o"}}},
      {"Tag", tags({"tlp:green", "misp-galaxy:threat-actor=\"APT28\"", "misp:confidence-level=\"fairly-confident\""})},
      {"Galaxy", json::array({{{"type", "mitre-intrusion-set"},
                               {"GalaxyCluster", json::array({{{"type", "mitre-intrusion-set"},
                                                               {"value", "APT28 - G0007"},
                                                               {"uuid", "bef4c620-0787-42a8-a96d-b7eb6e85917c"}}})}}})},
      {"Attribute", attributes},
      {"Object", json::array({file_object, deleted_object})},
  };
  return json{{"Event", event}};
}

const Indicator* find(const MispImport& import, const std::string& attribute_uuid) {
  const std::string id = std::string("misp:") + kEvent + "/" + attribute_uuid;
  for (const Indicator& indicator : import.result.indicators) {
    if (indicator.id == id) return &indicator;
  }
  return nullptr;
}

bool has_problem(const MispImport& import, const std::string& attribute_uuid, const std::string& fragment) {
  const std::string where = std::string("event.json:") + kEvent + ":" + attribute_uuid;
  return std::any_of(import.result.problems.begin(), import.result.problems.end(), [&](const ImportProblem& p) {
    return p.where == where && p.what.find(fragment) != std::string::npos;
  });
}

TEST(MispImport, EveryMailTypeBecomesAnIndicator) {
  const MispImport import = import_misp_events(sample_event().dump(), "event.json");
  const struct {
    const char* uuid;
    ObservableType type;
    std::string value;
  } expected[] = {
      {"a-domain", ObservableType::kDomain, "evil.example"},
      {"a-hostname", ObservableType::kDomain, "mail.evil.example"},
      {"a-url", ObservableType::kUrl, "https://evil.example/login"},
      {"a-uri", ObservableType::kUrl, "http://evil.example/a.php"},
      {"a-link-url", ObservableType::kUrl, "https://evil.example/report"},
      {"a-ip-src", ObservableType::kIpv4, "198.51.100.7"},
      {"a-ip-dst", ObservableType::kIpv6, "2001:db8::7"},
      {"a-cidr", ObservableType::kIpv4, "198.51.100.0/24"},
      {"a-ip-src-port", ObservableType::kIpv4, "192.0.2.1"},
      {"a-ip-dst-port", ObservableType::kIpv6, "2001:db8::8"},
      {"a-email", ObservableType::kEmailAddress, "boss@evil.example"},
      {"a-email-src", ObservableType::kEmailAddress, "hr@evil.example"},
      {"a-email-dst", ObservableType::kEmailAddress, "victim@ministere.example"},
      {"a-reply-to", ObservableType::kEmailAddress, "reply@evil.example"},
      {"a-subject", ObservableType::kEmailSubject, "Convocation urgente"},
      {"a-attachment", ObservableType::kFileName, "convocation.pdf.lnk"},
      {"a-filename", ObservableType::kFileName, "payload.hta"},
      {"a-md5", ObservableType::kMd5, kMd5},
      {"a-sha1", ObservableType::kSha1, kSha1},
      {"a-sha256", ObservableType::kSha256, kSha256},
      {"a-sha512", ObservableType::kSha512, kSha512},
      {"o-filename", ObservableType::kFileName, "invoice.iso"},
      {"o-sha256", ObservableType::kSha256, std::string(64, 'f')},
  };
  for (const auto& e : expected) {
    const Indicator* indicator = find(import, e.uuid);
    ASSERT_NE(indicator, nullptr) << e.uuid;
    ASSERT_EQ(indicator->values.size(), 1u) << e.uuid;
    EXPECT_EQ(indicator->values[0].type, e.type) << e.uuid;
    EXPECT_EQ(indicator->values[0].value, e.value) << e.uuid;
    EXPECT_EQ(indicator->source, "CERT-Partner");
    EXPECT_EQ(indicator->name, "Phishing wave against the ministry");
  }
  const Indicator* port = find(import, "a-ip-dst-port");
  EXPECT_NE(std::find(port->labels.begin(), port->labels.end(), "port:443"), port->labels.end());
}

TEST(MispImport, CompositeTypesGiveTwoValues) {
  const MispImport import = import_misp_events(sample_event().dump(), "event.json");
  const Indicator* domain_ip = find(import, "a-domain-ip");
  ASSERT_NE(domain_ip, nullptr);
  ASSERT_EQ(domain_ip->values.size(), 2u);
  EXPECT_EQ(domain_ip->values[0].value, "c2.evil.example");
  EXPECT_EQ(domain_ip->values[1].type, ObservableType::kIpv4);
  EXPECT_EQ(domain_ip->values[1].value, "203.0.113.9");
  const Indicator* file_md5 = find(import, "a-fn-md5");
  ASSERT_NE(file_md5, nullptr);
  ASSERT_EQ(file_md5->values.size(), 2u);
  EXPECT_EQ(file_md5->values[0].value, "a|b.doc");  // the hash is after the last bar
  EXPECT_EQ(file_md5->values[1].type, ObservableType::kMd5);
  for (const char* uuid : {"a-fn-sha1", "a-fn-sha256"}) {
    const Indicator* composite = find(import, uuid);
    ASSERT_NE(composite, nullptr) << uuid;
    EXPECT_EQ(composite->values.size(), 2u) << uuid;
  }
}

TEST(MispImport, CountsWhatIsNotTaken) {
  const MispImport import = import_misp_events(sample_event().dump(), "event.json");
  const MispCounts& c = import.counts;
  EXPECT_EQ(c.events, 1u);
  EXPECT_EQ(c.not_for_detection, 1u);  // a-context
  EXPECT_EQ(c.deleted, 2u);            // a-deleted and the deleted object's attribute
  EXPECT_EQ(c.other_types, 4u);        // regkey, mutex, yara, a link that is no URL
  EXPECT_EQ(c.other_types_by_name.at("regkey"), 1u);
  EXPECT_EQ(c.other_types_by_name.at("link"), 1u);
  EXPECT_EQ(c.malformed, 4u);
  EXPECT_EQ(c.indicators, import.result.indicators.size());
  EXPECT_EQ(c.attributes, c.indicators + c.not_for_detection + c.deleted + c.other_types + c.malformed);
  EXPECT_EQ(find(import, "a-context"), nullptr);
  EXPECT_EQ(find(import, "a-deleted"), nullptr);
  EXPECT_EQ(find(import, "o-deleted"), nullptr);
  EXPECT_EQ(find(import, "a-regkey"), nullptr);
  // Not-taken attributes are no problems; malformed ones are, with file:event:attribute.
  EXPECT_TRUE(has_problem(import, "a-bad-ip", "not-an-ip"));
  EXPECT_TRUE(has_problem(import, "a-bad-sha256", "64 hex digits"));
  EXPECT_TRUE(has_problem(import, "a-bad-composite", "'|'"));
  EXPECT_TRUE(has_problem(import, "a-bad-port", "port"));
  EXPECT_TRUE(has_problem(import, "a-bad-date", "ISO 8601"));
  EXPECT_NE(find(import, "a-bad-date"), nullptr);  // kept, without the date
  EXPECT_EQ(import.result.problems.size(), 5u);
}

TEST(MispImport, TagsAndGalaxiesAtBothLevels) {
  const MispImport import = import_misp_events(sample_event().dump(), "event.json");
  const Indicator* plain = find(import, "a-domain");
  ASSERT_NE(plain, nullptr);
  EXPECT_EQ(plain->tlp, Tlp::kGreen);
  EXPECT_EQ(plain->confidence, 50);
  ASSERT_EQ(plain->links.size(), 1u);  // the tag and the cluster name the same set
  EXPECT_EQ(plain->links[0].kind, "intrusion-set");
  EXPECT_EQ(plain->links[0].name, "APT28");
  EXPECT_EQ(plain->links[0].stix_id, "intrusion-set--bef4c620-0787-42a8-a96d-b7eb6e85917c");
  EXPECT_EQ(plain->valid_from, 0);
  const auto has_label = [](const Indicator& i, const std::string& l) {
    return std::find(i.labels.begin(), i.labels.end(), l) != i.labels.end();
  };
  EXPECT_TRUE(has_label(*plain, "misp-threat-level:high"));
  EXPECT_TRUE(has_label(*plain, "misp-event-date:2026-01-05"));
  EXPECT_TRUE(has_label(*plain, "misp-type:domain"));

  const Indicator* tagged = find(import, "a-tagged");
  ASSERT_NE(tagged, nullptr);
  EXPECT_EQ(tagged->tlp, Tlp::kAmberStrict);  // the attribute's tag wins
  EXPECT_EQ(tagged->confidence, 70);           // admiralty credibility 2
  ASSERT_EQ(tagged->links.size(), 2u);
  EXPECT_EQ(tagged->links[1].kind, "malware");
  EXPECT_EQ(tagged->links[1].name, "X-Agent");
  EXPECT_TRUE(has_label(*tagged, "campaign:ministry-2026"));
  EXPECT_EQ(tagged->description, "seen in the January wave");
  using namespace std::chrono;
  EXPECT_EQ(tagged->valid_from, sys_seconds{sys_days{2026y / 1 / 2} + 2h + 4min + 5s}.time_since_epoch().count());
  EXPECT_EQ(tagged->valid_until, sys_seconds{sys_days{2026y / 3 / 1}}.time_since_epoch().count());
  const Indicator* in_object = find(import, "o-filename");
  ASSERT_NE(in_object, nullptr);
  EXPECT_EQ(in_object->valid_from, sys_seconds{sys_days{2025y / 12 / 31} + 23h}.time_since_epoch().count());
  EXPECT_TRUE(has_label(*in_object, "misp-object:file"));
}

TEST(MispImport, TlpNames) {
  const struct {
    const char* tag;
    Tlp tlp;
  } cases[] = {{"tlp:white", Tlp::kClear}, {"tlp:clear", Tlp::kClear}, {"TLP:GREEN", Tlp::kGreen},
               {"tlp:amber", Tlp::kAmber}, {"tlp:amber+strict", Tlp::kAmberStrict}, {"tlp:red", Tlp::kRed},
               {"tlp:ex:chr", Tlp::kUnknown}};
  for (const auto& c : cases) {
    json event = {{"uuid", "e"}, {"Tag", tags({c.tag})}, {"Attribute", json::array({attribute("x", "domain", "a.example")})}};
    const MispImport import = import_misp_events(json{{"Event", event}}.dump(), "t.json");
    ASSERT_EQ(import.result.indicators.size(), 1u) << c.tag;
    EXPECT_EQ(import.result.indicators[0].tlp, c.tlp) << c.tag;
  }
}

TEST(MispImport, ListsResponsesUnpublishedAndBrokenDocuments) {
  json second = sample_event();
  second["Event"]["uuid"] = "second";
  second["Event"]["published"] = false;
  const json list = json::array({sample_event(), second, 42});
  const MispImport from_list = import_misp_events(list.dump(), "list.json");
  EXPECT_EQ(from_list.counts.events, 2u);
  EXPECT_EQ(from_list.counts.unpublished_events, 1u);
  EXPECT_TRUE(std::any_of(from_list.result.problems.begin(), from_list.result.problems.end(),
                          [](const ImportProblem& p) { return p.where == "list.json:event #3"; }));
  MispOptions drafts;
  drafts.include_unpublished = true;
  const MispImport with_drafts = import_misp_events(json{{"response", list}}.dump(), "api.json", drafts);
  EXPECT_EQ(with_drafts.counts.indicators, 2 * from_list.counts.indicators);

  for (const std::string& broken : {std::string("{\"Event\": "), std::string("[1, 2"), std::string("\"text\""),
                                    std::string(200, '[') + std::string(200, ']'), std::string("{\"Event\": {\"info\": \"x\"}}")}) {
    const MispImport import = import_misp_events(broken, "broken.json");
    EXPECT_TRUE(import.result.indicators.empty());
    ASSERT_EQ(import.result.problems.size(), 1u) << broken;
    EXPECT_EQ(import.result.problems[0].where.substr(0, 11), "broken.json");
  }
}

TEST(MispImport, LimitsStopWithAProblem) {
  MispOptions options;
  options.limits.max_attributes = 5;
  const MispImport few = import_misp_events(sample_event().dump(), "event.json", options);
  EXPECT_EQ(few.counts.attributes, 5u);
  EXPECT_TRUE(std::any_of(few.result.problems.begin(), few.result.problems.end(),
                          [](const ImportProblem& p) { return p.what.find("max_attributes") != std::string::npos; }));
  options.limits.max_event_bytes = 100;
  const MispImport large = import_misp_events(sample_event().dump(), "event.json", options);
  ASSERT_EQ(large.result.problems.size(), 1u);
  EXPECT_NE(large.result.problems[0].what.find("max_event_bytes"), std::string::npos);
}

// Import speed on a generated event of 100,000 attributes; prints the rate, asserts only the count
// (no timing thresholds in unit tests).
TEST(MispImport, HundredThousandAttributes) {
  std::string text = R"({"Event":{"uuid":"bench","info":"generated","published":true,"Orgc":{"name":"Bench"},)"
                     R"("Tag":[{"name":"tlp:green"}],"Attribute":[)";
  constexpr int kCount = 100'000;
  for (int i = 0; i < kCount; ++i) {
    if (i > 0) text += ',';
    const std::string n = std::to_string(i);
    switch (i % 4) {
      case 0: text += R"({"uuid":"u)" + n + R"(","type":"domain","to_ids":true,"value":"host)" + n + R"(.evil.example"})"; break;
      case 1: text += R"({"uuid":"u)" + n + R"(","type":"ip-dst","to_ids":true,"value":"10.)" + std::to_string(i % 250) + ".0." + std::to_string(i % 200) + R"("})"; break;
      case 2: text += R"({"uuid":"u)" + n + R"(","type":"url","to_ids":true,"value":"https://evil.example/p/)" + n + R"("})"; break;
      default: text += R"({"uuid":"u)" + n + R"(","type":"sha256","to_ids":true,"value":")" + std::string(58, 'a') + std::to_string(100000 + i) + R"("})"; break;
    }
  }
  text += "]}}";
  // The reference in the same run: nlohmann building and freeing the document alone.
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(json::parse(text).is_discarded());
  const double parse_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  start = std::chrono::steady_clock::now();
  const MispImport import = import_misp_events(text, "bench.json");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(import.counts.indicators, static_cast<std::size_t>(kCount));
  EXPECT_TRUE(import.result.problems.empty());
  std::printf("MISP import: %d attributes (%zu bytes) in %.3f s: %.0f attributes/s (JSON parse alone %.3f s)\n", kCount,
              text.size(), seconds, kCount / seconds, parse_seconds);
}

}  // namespace
}  // namespace vigie::intel::misp
