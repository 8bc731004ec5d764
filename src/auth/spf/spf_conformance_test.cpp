// The RFC 7208 conformance suite (openspf.org 2014.04, as distributed with pyspf) run against
// check_host() over RecordedResolver: one test per suite test, named after it. A result passes when
// it is one of the listed acceptable results; the explanation is compared when the suite gives one,
// with "DEFAULT" standing for the default explanation as in pyspf's driver.
#include <yaml-cpp/yaml.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "auth/dns/recorded_resolver.h"
#include "auth/spf/spf.h"

namespace vigie::auth::spf {
namespace {

constexpr const char* kSuitePath = VIGIE_SOURCE_DIR "/../shared/conformance/spf/rfc7208-tests.yml";

struct SuiteCase {
  std::string name;      // gtest-safe test name
  std::string scenario;  // the document's description
  std::size_t document = 0;
  std::string host;
  std::string mail_from;
  std::string helo;
  std::vector<std::string> results;
  std::optional<std::string> explanation;
  std::string spec;
};

std::string scalar_or_empty(const YAML::Node& node) {
  return node && node.IsScalar() ? node.Scalar() : std::string();
}

std::string gtest_name(const std::string& raw) {
  std::string out;
  for (char c : raw) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

struct Suite {
  std::vector<SuiteCase> cases;
  std::vector<dns::RecordedResolver> zones;
  std::string error;  // why the suite could not be loaded (when the file exists)
};

const Suite& suite() {
  static const Suite loaded = [] {
    Suite s;
    if (!std::filesystem::exists(kSuitePath)) return s;
    auto zones = dns::RecordedResolver::all_from_file(kSuitePath);
    if (!zones) {
      s.error = zones.error().message;
      return s;
    }
    s.zones = std::move(*zones);
    std::vector<YAML::Node> documents;
    try {
      documents = YAML::LoadAllFromFile(kSuitePath);
    } catch (const YAML::ParserException& e) {
      s.error = e.what();
      return s;
    } catch (const YAML::BadFile& e) {
      s.error = e.what();
      return s;
    }
    std::set<std::string> names;
    for (std::size_t d = 0; d < documents.size(); ++d) {
      const YAML::Node& document = documents[d];
      const YAML::Node tests = document["tests"];
      if (!tests || !tests.IsMap()) continue;
      for (const auto& item : tests) {
        SuiteCase c;
        c.scenario = scalar_or_empty(document["description"]);
        c.document = d;
        c.name = gtest_name(item.first.Scalar());
        while (!names.insert(c.name).second) c.name += "_";
        const YAML::Node& test = item.second;
        c.host = scalar_or_empty(test["host"]);
        c.mail_from = scalar_or_empty(test["mailfrom"]);
        c.helo = scalar_or_empty(test["helo"]);
        c.spec = scalar_or_empty(test["spec"]);
        const YAML::Node result = test["result"];
        if (result && result.IsSequence()) {
          for (const auto& r : result) c.results.push_back(r.Scalar());
        } else {
          c.results.push_back(scalar_or_empty(result));
        }
        if (test["explanation"]) c.explanation = scalar_or_empty(test["explanation"]);
        s.cases.push_back(std::move(c));
      }
    }
    return s;
  }();
  return loaded;
}

std::vector<SuiteCase> suite_cases() { return suite().cases; }

class SpfConformance : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SpfConformance, Rfc7208) {
  const SuiteCase& c = GetParam();
  const Suite& s = suite();
  ASSERT_LT(c.document, s.zones.size());
  const auto ip = IpAddress::parse(c.host);
  ASSERT_TRUE(ip.has_value()) << "bad host in suite: " << c.host;
  SpfOptions options;
  options.default_explanation = "DEFAULT";
  const SpfOutcome outcome = check_mail_from(s.zones[c.document], *ip, c.mail_from, c.helo, options);
  const std::string got(to_string(outcome.result));
  std::string wanted;
  for (const auto& r : c.results) wanted += (wanted.empty() ? "" : " or ") + r;
  EXPECT_NE(std::find(c.results.begin(), c.results.end(), got), c.results.end())
      << c.scenario << " / spec " << c.spec << ": got " << got << ", want " << wanted
      << "\n  reason: " << outcome.reason;
  if (c.explanation) {
    EXPECT_EQ(outcome.explanation, *c.explanation) << c.scenario << " / spec " << c.spec;
  }
}

INSTANTIATE_TEST_SUITE_P(SpfRfc7208, SpfConformance, ::testing::ValuesIn(suite_cases()),
                         [](const ::testing::TestParamInfo<SuiteCase>& param_info) {
                           return param_info.param.name;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(SpfConformance);

TEST(SpfConformanceSuite, Loaded) {
  if (!std::filesystem::exists(kSuitePath)) {
    GTEST_SKIP() << "RFC 7208 suite not found at " << kSuitePath
                 << " (../shared/conformance is outside the repository)";
  }
  const Suite& s = suite();
  ASSERT_TRUE(s.error.empty()) << s.error;
  // 16 scenarios, 203 tests in the 2014.04 release; a change means the file changed.
  EXPECT_EQ(s.zones.size(), 16u);
  EXPECT_EQ(s.cases.size(), 203u);
  // Guards the driver itself: explanations and lists of acceptable results must be read.
  EXPECT_EQ(std::count_if(s.cases.begin(), s.cases.end(),
                          [](const SuiteCase& c) { return c.explanation.has_value(); }),
            22);
  EXPECT_EQ(std::count_if(s.cases.begin(), s.cases.end(),
                          [](const SuiteCase& c) { return c.results.size() > 1; }),
            6);
}

}  // namespace
}  // namespace vigie::auth::spf
