// YARA rule sets for the yara analyzer: every .yar/.yara file under a list of folders, compiled
// once at start-up into one YR_RULES (Debian libyara 4.2), each file in a namespace of its own so
// two files may reuse a rule name; and the metadata of every rule read into what a finding needs
// (score, group, ATT&CK techniques, English and French description, reference).
//
// Start-up errors never disable detection quietly: after a file with an error (libyara's compiler
// takes no more files then), every later file is compiled alone, so a syntax error in one file
// cannot hide the errors of the others, and compile() fails with all of them ("file:line:
// message") plus every metadata mistake ("file: rule R: meta score: ...").
//
// Threads: libyara is initialised once per process while any RuleSet lives (yr_initialize keeps
// a count but takes no lock: ours does). The compiled rules are read-only after compile(); each
// scan() creates its own YR_SCANNER, which holds all the per-scan state in YARA 4 (the thread
// slots of YARA 3 are gone), so any number of threads may scan with one RuleSet at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "verdict/catalog.h"
#include "vigie/result.h"

struct YR_RULES;

namespace vigie::analyzers::yara_rules {

// A folder of rule files and the name findings show for it: the shipped rules show as "vigie",
// a site's folder by its path.
struct RuleFolder {
  std::string path;
  std::string label;
};

struct RuleInfo {
  std::string name;                // the rule's identifier
  std::string file;                // label/relative path of the file it came from (its namespace)
  verdict::RuleMetadata metadata;  // from the metas score, group, attack, description(_fr)
  std::string reference;           // meta reference: the public source of what it looks for
};

struct RuleMatch {
  const RuleInfo* rule = nullptr;
  // "$identifier at 0x1f2", first match of each matching string, at most a few.
  std::vector<std::string> strings;
};

struct RuleScan {
  std::vector<RuleMatch> matches;
  // The scan stopped before the end: the timeout, or a string matching too often (YARA keeps
  // at most a million matches). What matched before is kept.
  bool stopped = false;
};

class RuleSet {
 public:
  // Compiles every .yar and .yara file under `folders` (recursively, in name order). A folder
  // without any rule file is an error too: a misnamed folder would otherwise disable its rules.
  static Result<std::shared_ptr<const RuleSet>> compile(const std::vector<RuleFolder>& folders);

  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;
  ~RuleSet();

  const std::vector<RuleInfo>& rules() const { return rules_; }
  std::size_t file_count() const { return file_count_; }

  // Matches `bytes` against every rule, for at most `timeout_seconds` (YARA's unit). Throws
  // std::runtime_error when libyara fails for another reason than the timeout (memory).
  RuleScan scan(std::string_view bytes, int timeout_seconds) const;

 private:
  RuleSet() = default;

  YR_RULES* compiled_ = nullptr;
  std::vector<RuleInfo> rules_;  // in the order of the compiled rules table
  std::size_t file_count_ = 0;
};

}  // namespace vigie::analyzers::yara_rules
