// clamav: a site's ClamAV signatures (Debian libclamav 1.4) on every object of the message, in the
// same pass as vigie's own analyzers: bodies, attachments and every file the extractors find
// inside them, each scanned from memory. Optional and off by default: ClamAV's start-up (loading
// and compiling a full freshclam database takes seconds and hundreds of MiB) is the site's choice.
// Owns CLAMAV_SIGNATURE.
//
// [analyzers.clamav]
//   enabled  = true                  default false
//   database = "/var/lib/clamav"     a signature folder or file (cl_load), relative to the config
// prepare() loads and compiles the database once; a missing or broken database stops the engine.
//
// vigie opens archives itself (its extractors push every member as an object, under [limits]), so
// ClamAV's own archive parsing is off and its other parsers bounded by ClamAV's CL_ENGINE_MAX_*
// limits, set from [limits]. ClamAV writes temporary copies of what some parsers unpack; they go
// to a private directory that the engine removes when it stops. The compiled engine is read-only
// once compiled and ClamAV scans with it from any number of threads.
#include <clamav.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "analyzers/analyzer.h"
#include "config/section.h"

namespace vigie::analyzers::clamav {
namespace {

using verdict::FindingId;
namespace fs = std::filesystem;

constexpr FindingId kEmits[] = {FindingId::CLAMAV_SIGNATURE};
// ClamAV's nesting inside one object (an OLE2 stream in a document, a script in HTML), and the
// files it may unpack from one: vigie's extractors do the deep work.
constexpr long long kMaxRecursion = 8;
constexpr long long kMaxFiles = 1000;

// ClamAV's error messages while a database loads, for the start-up error; its other messages
// (warnings about one file's structure) are not the analyst's business and are dropped.
thread_local std::vector<std::string>* load_messages = nullptr;

void on_clamav_message(enum cl_msg severity, const char* /*fullmsg*/, const char* msg, void* /*context*/) {
  if (load_messages != nullptr && severity == CL_MSG_ERROR && msg != nullptr) {
    std::string line(msg);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
    load_messages->push_back(std::move(line));
  }
}

// cl_init once per process, whatever the number of engines.
cl_error_t initialise_library() {
  static const cl_error_t result = [] {
    cl_set_clcb_msg(&on_clamav_message);
    return cl_init(CL_INIT_DEFAULT);
  }();
  return result;
}

class State final : public AnalyzerState {
 public:
  State(cl_engine* engine, std::string temporary_dir, unsigned signatures, const Limits& limits)
      : engine_(engine), temporary_dir_(std::move(temporary_dir)), signatures_(signatures),
        max_scan_bytes_(limits.max_rule_scan_bytes), max_analysis_ms_(limits.max_analysis_ms) {}
  ~State() override {
    cl_engine_free(engine_);
    std::error_code ignored;  // nothing of ours is left there; ClamAV removes its own files
    fs::remove_all(temporary_dir_, ignored);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  const cl_engine* engine() const { return engine_; }
  unsigned signatures() const { return signatures_; }
  std::uint64_t max_scan_bytes() const { return max_scan_bytes_; }
  std::uint32_t max_analysis_ms() const { return max_analysis_ms_; }

 private:
  cl_engine* engine_;
  std::string temporary_dir_;
  unsigned signatures_;
  std::uint64_t max_scan_bytes_;
  std::uint32_t max_analysis_ms_;
};

std::string private_temporary_dir() {
  std::string pattern = (fs::temp_directory_path() / "vigie-clamav-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("clamav: cannot create a private temporary directory under " +
                             fs::temp_directory_path().string());
  }
  return pattern;
}

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  bool enabled = false;
  std::string database = "/var/lib/clamav";
  setup.settings.boolean("enabled", enabled);
  setup.settings.path("database", database);
  if (!enabled || setup.settings.has_errors()) return std::shared_ptr<const AnalyzerState>();

  std::error_code ec;
  if (!fs::exists(database, ec)) {
    return fail(Error::config("analyzers.clamav.database: '" + database + "' does not exist"));
  }
  if (const cl_error_t rc = initialise_library(); rc != CL_SUCCESS) {
    return fail(Error::config(std::string("libclamav failed to initialise: ") + cl_strerror(rc)));
  }
  cl_engine* engine = cl_engine_new();
  if (engine == nullptr) throw std::runtime_error("libclamav: out of memory");
  const std::string temporary_dir = private_temporary_dir();
  const auto give_up = [&](const std::string& message) {
    cl_engine_free(engine);
    fs::remove_all(temporary_dir, ec);
    return fail(Error::config(message));
  };
  const Limits& limits = setup.config.limits;
  const std::pair<cl_engine_field, long long> numbers[] = {
      {CL_ENGINE_MAX_SCANSIZE, static_cast<long long>(limits.max_rule_scan_bytes)},
      {CL_ENGINE_MAX_FILESIZE, static_cast<long long>(limits.max_rule_scan_bytes)},
      {CL_ENGINE_MAX_RECURSION, kMaxRecursion},
      {CL_ENGINE_MAX_FILES, kMaxFiles},
      {CL_ENGINE_MAX_SCANTIME, static_cast<long long>(limits.max_analysis_ms)},
  };
  for (const auto& [field, value] : numbers) {
    if (const cl_error_t rc = cl_engine_set_num(engine, field, value); rc != CL_SUCCESS) {
      return give_up(std::string("libclamav refused a limit: ") + cl_strerror(rc));
    }
  }
  if (const cl_error_t rc = cl_engine_set_str(engine, CL_ENGINE_TMPDIR, temporary_dir.c_str()); rc != CL_SUCCESS) {
    return give_up(std::string("libclamav refused its temporary directory: ") + cl_strerror(rc));
  }
  std::vector<std::string> messages;
  load_messages = &messages;
  unsigned signatures = 0;
  cl_error_t rc = cl_load(database.c_str(), engine, &signatures, CL_DB_STDOPT);
  if (rc == CL_SUCCESS) rc = cl_engine_compile(engine);
  load_messages = nullptr;
  if (rc != CL_SUCCESS) {
    std::string detail;
    for (const std::string& m : messages) detail += "\n  " + m;
    return give_up("analyzers.clamav.database: '" + database + "': " + cl_strerror(rc) + detail);
  }
  if (signatures == 0) return give_up("analyzers.clamav.database: '" + database + "' holds no signature");
  return std::make_shared<const State>(engine, temporary_dir, signatures, limits);
}

bool accepts(const Object& object) {
  return object.origin != ObjectOrigin::kMessage && object.origin != ObjectOrigin::kAttachedMessage &&
         object.size() > 0;
}

void analyze(const Object& object, ObjectContext& /*context*/, const AnalyzerState* base, FindingSink& sink) {
  if (base == nullptr) return;
  const State& state = static_cast<const State&>(*base);
  std::string_view bytes = object.bytes();
  if (bytes.size() > state.max_scan_bytes()) {
    const std::string unread = std::to_string(bytes.size() - state.max_scan_bytes());
    sink.limit_reached("max_rule_scan_bytes", bytes.size(), state.max_scan_bytes(),
                       LocalizedText{unread + " bytes at the end of the file not scanned by ClamAV",
                                     unread + " octets à la fin du fichier non analysés par ClamAV"},
                       object.id);
    bytes = bytes.substr(0, state.max_scan_bytes());
  }
  cl_fmap_t* map = cl_fmap_open_memory(bytes.data(), bytes.size());
  if (map == nullptr) throw std::runtime_error("libclamav: cannot map the object");
  cl_scan_options options{};
  options.parse = ~0u & ~static_cast<std::uint32_t>(CL_SCAN_PARSE_ARCHIVE);
  const char* signature = nullptr;
  unsigned long scanned = 0;
  const std::string name = object.filename.empty() ? "#" + std::to_string(object.id) : object.filename;
  const cl_error_t rc =
      cl_scanmap_callback(map, name.c_str(), &signature, &scanned, state.engine(), &options, nullptr);
  cl_fmap_close(map);
  if (rc == CL_VIRUS) {
    sink.emit(FindingId::CLAMAV_SIGNATURE,
              {Evidence(object.id, "clamav_signature", signature != nullptr ? signature : "(unnamed)")});
  } else if (rc == CL_ETIMEOUT) {
    sink.limit_reached("max_analysis_ms", state.max_analysis_ms() + 1u, state.max_analysis_ms(),
                       LocalizedText{"ClamAV stopped scanning this file: the time allowed ran out",
                                     "ClamAV a arrêté l'analyse de ce fichier : le temps permis est écoulé"},
                       object.id);
  } else if (rc != CL_CLEAN) {
    throw std::runtime_error(std::string("libclamav: ") + cl_strerror(rc));
  }
}

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "clamav",
      "A site's ClamAV signature database on every body, attachment and extracted file (off unless "
      "[analyzers.clamav] enabled = true)",
      kEmits,
      &accepts,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::clamav
