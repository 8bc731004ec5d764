// yara: the site's YARA rules, and the ones vigie ships (data/yara), on every object of the
// message: attachments, every file the extractors find inside them, and the bodies other than
// plain text (HTML, calendars...); the raw message is not scanned a second time: its parts are.
// Plain-text bodies, most of the bytes of ordinary mail, are read by the message analyzers (links,
// lure language); matching them too costs about a fifth of a whole scan on the shared corpus, so a
// site asks for it with plain_text = true. Owns YARA_MATCH, one catalog id for every rule;
// each rule's metadata chooses the finding's score, group, ATT&CK techniques and explanation
// (verdict::make_rule_finding, bounded by the catalog).
//
// [analyzers.yara]
//   rules   = ["/etc/vigie/yara-site"]  folders of .yar/.yara files, relative to the config file
//   shipped = true                      also the rules of data/yara (default true)
//   plain_text = false                  also plain-text bodies (default false)
// The rules compile once in prepare(); a syntax error in any file (file:line) or a malformed
// meta stops the engine: a broken rule folder never disables detection quietly.
//
// Metas read from each rule (others are ignored):
//   score           integer, 0 to the group's default max_score (default: the catalog's 5)
//   group           a finding group name (default active_content)
//   attack          "T1566.001,T1204.002"
//   description     English; description_fr French
//   reference       the public source of the marker
#include <chrono>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/yara_rules/rule_set.h"
#include "config/section.h"

namespace vigie::analyzers::yara_rules {
namespace {

using verdict::FindingId;

constexpr FindingId kEmits[] = {FindingId::YARA_MATCH};

class State final : public AnalyzerState {
 public:
  State(std::shared_ptr<const RuleSet> rules, const Limits& limits, bool plain_text)
      : rules_(std::move(rules)), max_scan_bytes_(limits.max_rule_scan_bytes), max_analysis_ms_(limits.max_analysis_ms),
        plain_text_(plain_text) {}
  const RuleSet& rules() const { return *rules_; }
  bool plain_text() const { return plain_text_; }
  std::uint64_t max_scan_bytes() const { return max_scan_bytes_; }
  std::uint32_t max_analysis_ms() const { return max_analysis_ms_; }

 private:
  std::shared_ptr<const RuleSet> rules_;
  std::uint64_t max_scan_bytes_;
  std::uint32_t max_analysis_ms_;
  bool plain_text_;
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  std::vector<std::string> site;
  bool shipped = true;
  bool plain_text = false;
  setup.settings.directories("rules", site);
  setup.settings.boolean("shipped", shipped);
  setup.settings.boolean("plain_text", plain_text);
  if (setup.settings.has_errors()) return std::shared_ptr<const AnalyzerState>();  // reported by the engine
  std::vector<RuleFolder> folders;
  if (shipped) folders.push_back(RuleFolder{data_dir(setup.config) + "/yara", "vigie"});
  for (const std::string& path : site) folders.push_back(RuleFolder{path, path});
  if (folders.empty()) return std::shared_ptr<const AnalyzerState>();
  Result<std::shared_ptr<const RuleSet>> rules = RuleSet::compile(folders);
  if (!rules) return fail(rules.error());
  return std::make_shared<const State>(std::move(*rules), setup.config.limits, plain_text);
}

bool accepts(const Object& object) {
  return object.origin != ObjectOrigin::kMessage && object.origin != ObjectOrigin::kAttachedMessage &&
         object.size() > 0;
}

// What is left of the analysis time, in YARA's whole seconds (at least 1); 0 when none is left.
int timeout_seconds(const Deadline& deadline, std::uint32_t max_analysis_ms) {
  std::int64_t left_ms = max_analysis_ms;
  if (deadline.clock != nullptr) {
    left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.at - deadline.clock->steady_now()).count();
  }
  if (left_ms <= 0) return 0;
  return static_cast<int>((left_ms + 999) / 1000);
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* base, FindingSink& sink) {
  if (base == nullptr) return;
  const State& state = static_cast<const State&>(*base);
  if (!object.is_file() && object.declared_type == "text/plain" && !state.plain_text()) return;
  std::string_view bytes = object.bytes();
  if (bytes.size() > state.max_scan_bytes()) {
    const std::string unread = std::to_string(bytes.size() - state.max_scan_bytes());
    sink.limit_reached("max_rule_scan_bytes", bytes.size(), state.max_scan_bytes(),
                       LocalizedText{unread + " bytes at the end of the file not matched by the YARA rules",
                                     unread + " octets à la fin du fichier non examinés par les règles YARA"},
                       object.id);
    bytes = bytes.substr(0, state.max_scan_bytes());
  }
  const int timeout = timeout_seconds(context.deadline(), state.max_analysis_ms());
  if (timeout == 0) {
    sink.limit_reached("max_analysis_ms", state.max_analysis_ms() + 1u, state.max_analysis_ms(),
                       LocalizedText{"file not matched by the YARA rules: the analysis ran out of time",
                                     "fichier non examiné par les règles YARA : l'analyse a manqué de temps"},
                       object.id);
    return;
  }
  const RuleScan scan = state.rules().scan(bytes, timeout);
  if (scan.stopped) {
    sink.limit_reached("max_analysis_ms", state.max_analysis_ms() + 1u, state.max_analysis_ms(),
                       LocalizedText{"YARA matching of this file stopped before its end (time, or a string matching too often)",
                                     "examen de ce fichier par les règles YARA arrêté avant la fin (temps, ou chaîne "
                                     "trouvée trop souvent)"},
                       object.id);
  }
  for (const RuleMatch& match : scan.matches) {
    const RuleInfo& rule = *match.rule;
    // The rule's description is the finding's explanation (make_rule_finding), not repeated here.
    std::vector<Evidence> evidence{Evidence(object.id, "yara_rule", rule.name),
                                   Evidence(object.id, "yara_rules_file", rule.file)};
    std::string strings;
    for (const std::string& s : match.strings) strings += (strings.empty() ? "" : ", ") + s;
    if (!strings.empty()) evidence.emplace_back(object.id, "yara_strings", strings);
    if (!rule.reference.empty()) evidence.emplace_back(object.id, "reference", rule.reference);
    sink.emit_rule_match(FindingId::YARA_MATCH, rule.metadata, std::move(evidence));
  }
}

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "yara",
      "YARA rules (vigie's own in data/yara, and the site's folders) on every body, attachment and "
      "extracted file; each rule's metadata gives the finding's score, group, techniques and text",
      kEmits,
      &accepts,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::yara_rules
