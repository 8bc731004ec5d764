// Compiling and scanning YARA rule sets (see rule_set.h).
#include "analyzers/yara_rules/rule_set.h"

#include <yara.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <regex>
#include <stdexcept>
#include <system_error>

#include "common/list_file.h"

namespace vigie::analyzers::yara_rules {
namespace {

namespace fs = std::filesystem;

// Strings named per match in the evidence: enough to show what fired, not a dump of the file.
constexpr std::size_t kMaxStringsShown = 4;

// yr_initialize/yr_finalize count their calls but do not lock: every RuleSet takes the library
// through here.
std::mutex& library_mutex() {
  static std::mutex m;
  return m;
}

void acquire_library() {
  std::lock_guard lock(library_mutex());
  if (const int rc = yr_initialize(); rc != ERROR_SUCCESS) {
    throw std::runtime_error("libyara failed to initialise (error " + std::to_string(rc) + ")");
  }
}

void release_library() {
  std::lock_guard lock(library_mutex());
  yr_finalize();
}

struct CompilerDiagnostics {
  std::vector<std::string>* errors;
};

void on_compiler_message(int level, const char* file_name, int line, const YR_RULE* /*rule*/, const char* message,
                         void* user_data) {
  // Warnings (a slow string, a rule that always matches) are the rule author's business; errors
  // stop the engine.
  if (level != YARA_ERROR_LEVEL_ERROR) return;
  auto* diagnostics = static_cast<CompilerDiagnostics*>(user_data);
  diagnostics->errors->push_back(std::string(file_name != nullptr ? file_name : "(rules)") + ":" +
                                 std::to_string(line) + ": " + message);
}

struct RuleFile {
  std::string path;
  std::string name_space;  // label/relative path
};

// Every rule file of the folders, in name order within each folder.
std::vector<RuleFile> rule_files(const std::vector<RuleFolder>& folders, std::vector<std::string>& errors) {
  std::vector<RuleFile> files;
  for (const RuleFolder& folder : folders) {
    if (const std::string problem = directory_problem(folder.path); !problem.empty()) {
      errors.push_back(folder.path + ": YARA rule folder " + problem);
      continue;
    }
    std::vector<fs::path> found;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(folder.path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const std::string extension = it->path().extension().string();
      if (it->is_regular_file() && (extension == ".yar" || extension == ".yara")) found.push_back(it->path());
    }
    if (ec) {
      errors.push_back(folder.path + ": cannot list the YARA rule folder: " + ec.message());
      continue;
    }
    if (found.empty()) {
      errors.push_back(folder.path + ": no .yar or .yara file in this YARA rule folder");
      continue;
    }
    std::sort(found.begin(), found.end());
    for (const fs::path& path : found) {
      files.push_back(RuleFile{path.string(), folder.label + "/" + fs::relative(path, folder.path).string()});
    }
  }
  return files;
}

// Adds one file to `compiler`; its errors go to the compiler's callback. False when libyara
// reported an error: the compiler then takes no more files (libyara asserts it).
bool add_file(YR_COMPILER* compiler, const RuleFile& file, std::vector<std::string>& errors) {
  if (const std::string problem = file_problem(file.path); !problem.empty()) {
    errors.push_back(file.path + ": " + problem);
    return true;
  }
  FILE* in = std::fopen(file.path.c_str(), "rb");
  if (in == nullptr) {
    errors.push_back(file.path + ": cannot open the YARA rule file");
    return true;
  }
  const int failures = yr_compiler_add_file(compiler, in, file.name_space.c_str(), file.path.c_str());
  std::fclose(in);
  return failures == 0;
}

YR_COMPILER* new_compiler(CompilerDiagnostics& diagnostics) {
  YR_COMPILER* compiler = nullptr;
  if (yr_compiler_create(&compiler) != ERROR_SUCCESS) throw std::runtime_error("libyara: out of memory");
  yr_compiler_set_callback(compiler, &on_compiler_message, &diagnostics);
  return compiler;
}

bool is_attack_id(const std::string& id) {
  static const std::regex kTechnique("T[0-9]{4}(\\.[0-9]{3})?");
  return std::regex_match(id, kTechnique);
}

std::string trimmed(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

// The finding's fields from the rule's metas; a mistake is an error naming the file and the rule.
RuleInfo read_rule(const YR_RULE* rule, std::vector<std::string>& errors) {
  RuleInfo info;
  info.name = rule->identifier;
  info.file = rule->ns->name;
  const auto fail = [&](const std::string& meta, const std::string& message) {
    errors.push_back(info.file + ": rule " + info.name + ": meta " + meta + ": " + message);
  };
  const verdict::CatalogEntry& yara = verdict::catalog_entry(verdict::FindingId::YARA_MATCH);
  verdict::FindingGroup group = yara.group;
  const YR_META* meta = nullptr;
  std::optional<std::int64_t> score;
  yr_rule_metas_foreach(rule, meta) {
    const std::string key = meta->identifier;
    const bool is_string = meta->type == META_TYPE_STRING;
    const std::string text = is_string ? meta->string : "";
    if (key == "score") {
      if (meta->type != META_TYPE_INTEGER) {
        fail(key, "must be an integer");
      } else {
        score = meta->integer;
      }
    } else if (key == "group") {
      const verdict::GroupEntry* found = is_string ? verdict::find_group(text) : nullptr;
      if (found == nullptr) {
        fail(key, "'" + text + "' is not a finding group (see docs/findings.md)");
      } else {
        group = found->id;
        info.metadata.group = group;
      }
    } else if (key == "attack") {
      std::string_view list = text;
      while (is_string && !list.empty()) {
        const std::size_t comma = list.find(',');
        const std::string id = trimmed(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (!is_attack_id(id)) {
          fail(key, "'" + id + "' is not an ATT&CK technique id (T1566 or T1566.001)");
        } else {
          info.metadata.attack.push_back(id);
        }
      }
      if (!is_string) fail(key, "must be a string of comma-separated technique ids");
    } else if (key == "description") {
      info.metadata.description.en = text;
    } else if (key == "description_fr") {
      info.metadata.description.fr = text;
    } else if (key == "reference") {
      info.reference = text;
    }
  }
  if (score) {
    const double most = verdict::group_entry(group).default_max_score;
    if (*score < 0 || static_cast<double>(*score) > most) {
      fail("score", std::to_string(*score) + " is outside 0 to " + std::to_string(static_cast<int>(most)) +
                        " (the most its group '" + std::string(verdict::group_entry(group).name) + "' counts)");
    } else {
      info.metadata.score = static_cast<double>(*score);
    }
  }
  return info;
}

struct ScanState {
  const RuleSet* set;
  const YR_RULES* compiled;
  RuleScan* out;
};

int on_scan_message(YR_SCAN_CONTEXT* context, int message, void* message_data, void* user_data) {
  if (message != CALLBACK_MSG_RULE_MATCHING) return CALLBACK_CONTINUE;
  auto* state = static_cast<ScanState*>(user_data);
  const auto* rule = static_cast<const YR_RULE*>(message_data);
  const auto index = static_cast<std::size_t>(rule - state->compiled->rules_table);
  RuleMatch match;
  match.rule = &state->set->rules()[index];  // no exception may cross libyara's C frames
  const YR_STRING* string = nullptr;
  yr_rule_strings_foreach(rule, string) {
    if (match.strings.size() >= kMaxStringsShown) break;
    // libyara 4.2 keeps matches in a notebook that does not align them (UBSan reports every
    // member read), so each is copied out before it is read, instead of yr_string_matches_foreach.
    const void* next = context->matches[string->idx].head;
    while (next != nullptr) {
      YR_MATCH found;
      std::memcpy(&found, next, sizeof found);
      if (!found.is_private) {
        char offset[32];
        std::snprintf(offset, sizeof offset, " at 0x%" PRIx64, static_cast<std::uint64_t>(found.base + found.offset));
        match.strings.push_back(std::string(string->identifier) + offset);
        break;
      }
      next = found.next;
    }
  }
  state->out->matches.push_back(std::move(match));
  return CALLBACK_CONTINUE;
}

}  // namespace

Result<std::shared_ptr<const RuleSet>> RuleSet::compile(const std::vector<RuleFolder>& folders) {
  acquire_library();
  std::shared_ptr<RuleSet> set(new RuleSet());  // releases the library when it goes
  std::vector<std::string> errors;
  const std::vector<RuleFile> files = rule_files(folders, errors);
  CompilerDiagnostics diagnostics{&errors};
  YR_COMPILER* compiler = new_compiler(diagnostics);
  // One pass in the usual case. After a file with an error libyara takes no more files: every
  // later file is then compiled alone, so that its own errors are reported too.
  bool compiler_usable = true;
  for (const RuleFile& file : files) {
    if (compiler_usable) {
      compiler_usable = add_file(compiler, file, errors);
    } else {
      YR_COMPILER* alone = new_compiler(diagnostics);
      add_file(alone, file, errors);
      yr_compiler_destroy(alone);
    }
  }
  if (errors.empty() && yr_compiler_get_rules(compiler, &set->compiled_) != ERROR_SUCCESS) {
    errors.push_back("YARA rules: the compiler could not produce the rule set");
  }
  yr_compiler_destroy(compiler);
  if (errors.empty()) {
    const YR_RULE* rule = nullptr;
    yr_rules_foreach(set->compiled_, rule) { set->rules_.push_back(read_rule(rule, errors)); }
    set->file_count_ = files.size();
  }
  if (!errors.empty()) {
    std::string all;
    for (const std::string& e : errors) all += (all.empty() ? "" : "\n") + e;
    return fail(Error::config(all));
  }
  return std::shared_ptr<const RuleSet>(std::move(set));
}

RuleSet::~RuleSet() {
  if (compiled_ != nullptr) yr_rules_destroy(compiled_);
  release_library();
}

RuleScan RuleSet::scan(std::string_view bytes, int timeout_seconds) const {
  RuleScan out;
  YR_SCANNER* scanner = nullptr;
  if (yr_scanner_create(compiled_, &scanner) != ERROR_SUCCESS) throw std::runtime_error("libyara: out of memory");
  ScanState state{this, compiled_, &out};
  yr_scanner_set_callback(scanner, &on_scan_message, &state);
  yr_scanner_set_timeout(scanner, std::max(timeout_seconds, 1));
  // YARA's try/catch installs SIGSEGV/SIGBUS handlers around every scan (system calls, a lock) to
  // survive a memory-mapped file truncated under it; vigie scans buffers it owns.
  yr_scanner_set_flags(scanner, SCAN_FLAGS_NO_TRYCATCH);
  // A hostile file that makes a string match a million times (ERROR_TOO_MANY_MATCHES) ends the
  // scan like a timeout: what matched so far is kept.
  const int rc = yr_scanner_scan_mem(scanner, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  yr_scanner_destroy(scanner);
  if (rc == ERROR_SCAN_TIMEOUT || rc == ERROR_TOO_MANY_MATCHES) {
    out.stopped = true;
  } else if (rc != ERROR_SUCCESS) {
    throw std::runtime_error("libyara: scan failed (error " + std::to_string(rc) + ")");
  }
  return out;
}

}  // namespace vigie::analyzers::yara_rules
