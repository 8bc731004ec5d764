// lure_language: the words of a phishing lure — "your password expires today", "document partagé
// avec vous", "votre colis est en attente", "confirm your identity within 24 hours" — found in the
// text a reader sees (subject, text parts, the visible text of HTML parts) and in text hidden from
// the reader but shown in inbox previews (HTML preheaders). Owns the compiled Hyperscan database of
// the shipped and operator lure lists; reads nothing but the message.
//
// Lure language alone is weak evidence (honest IT notices and newsletters use some of the same
// words), so a message with one phrase scores low and the score grows with the number of distinct
// lure categories and phrases; the urgency and call-to-action modifiers only count beside a topical
// lure. One finding per lure family, with the categories and phrases as evidence.
//
// Thread-safety: the database is immutable after prepare(); each scan borrows a Hyperscan scratch
// space from the state's pool, because a scratch must never be shared. The text scanned per
// message is bounded by [limits] max_lure_text_bytes (lures sit in the first screens of a
// message); what is left over is reported as not examined.
#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/lure_language/database_cache.h"
#include "analyzers/lure_language/hyperscan_handle.h"
#include "analyzers/lure_language/lure_list.h"
#include "analyzers/lure_language/text_fold.h"
#include "config/section.h"

namespace vigie::analyzers::lure_language {
namespace {

using verdict::FindingId;

// Matches handled per scan of one text block before Hyperscan is told to stop: every pattern
// reports once per block (HS_FLAG_SINGLEMATCH), and this bounds the work on a block built to
// match everything.
constexpr unsigned kMaxMatchesPerScan = 512;
// Evidence lines per finding.
constexpr std::size_t kMaxEvidencePerFinding = 8;

// The compiled database is immutable once built, so engines may share it.
using SharedDatabase = std::shared_ptr<const hs_database_t>;

// Hyperscan scratch spaces for one database, one per scan in progress: a scratch must never be
// shared between threads, and allocating one per message costs a third of the scan time, so scans
// borrow one and give it back. The pool grows to the number of concurrent scans and stays there.
class ScratchPool {
 public:
  explicit ScratchPool(const hs_database_t* database) : database_(database) {}

  class Lease {
   public:
    Lease(ScratchPool& pool, HsScratch scratch) : pool_(pool), scratch_(std::move(scratch)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_.give_back(std::move(scratch_)); }
    hs_scratch_t* get() const { return scratch_.get(); }

   private:
    ScratchPool& pool_;
    HsScratch scratch_;
  };

  Lease borrow() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        HsScratch scratch = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(scratch));
      }
    }
    hs_scratch_t* raw = nullptr;
    if (hs_alloc_scratch(database_, &raw) != HS_SUCCESS) throw std::runtime_error("Hyperscan scratch allocation failed");
    return Lease(*this, HsScratch(raw));
  }

 private:
  void give_back(HsScratch scratch) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(scratch));
  }

  const hs_database_t* database_;
  std::mutex mutex_;
  std::vector<HsScratch> idle_;
};

class LureState final : public AnalyzerState {
 public:
  LureState(std::vector<LureEntry> entries, SharedDatabase database)
      : entries_(std::move(entries)), database_(std::move(database)), scratches_(database_.get()) {}
  const std::vector<LureEntry>& entries() const { return entries_; }
  const hs_database_t* database() const { return database_.get(); }
  // Scanning needs a scratch of its own; the pool is the one mutable part of the state.
  ScratchPool::Lease borrow_scratch() const { return scratches_.borrow(); }

 private:
  std::vector<LureEntry> entries_;
  SharedDatabase database_;
  mutable ScratchPool scratches_;
};

// The lists prepare() reads: every *.tsv of data/lures (sorted, so ids are stable), then the
// operator's files in configuration order.
Result<std::vector<std::string>> list_files(const Config& config, const std::vector<std::string>& extra) {
  namespace fs = std::filesystem;
  const fs::path shipped = fs::path(data_dir(config)) / "lures";
  std::error_code ec;
  std::vector<std::string> files;
  for (fs::directory_iterator it(shipped, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".tsv") files.push_back(it->path().string());
  }
  if (ec) return fail(Error::config(shipped.string() + ": cannot list lure lists: " + ec.message()));
  std::sort(files.begin(), files.end());
  if (files.empty()) return fail(Error::config(shipped.string() + ": no lure list (*.tsv)"));
  files.insert(files.end(), extra.begin(), extra.end());
  return files;
}

Result<HsDatabase> compile(const std::vector<LureEntry>& entries) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    expressions.push_back(entries[i].expression.c_str());
    // Byte mode, not HS_FLAG_UTF8: patterns and text are folded to ASCII letters first, and
    // Unicode-aware \b made the database compile about 50% slower at every start.
    flags.push_back(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
    ids.push_back(static_cast<unsigned>(i));
  }
  const std::optional<std::string> cache_dir = database_cache_dir();
  const std::string cache_key = cache_dir ? database_cache_key(expressions, flags) : std::string();
  if (cache_dir) {
    if (HsDatabase cached = load_cached_database(*cache_dir, cache_key)) return cached;
  }
  hs_database_t* raw_database = nullptr;
  hs_compile_error_t* raw_error = nullptr;
  const hs_error_t rc =
      hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr,
                       &raw_database, &raw_error);
  HsDatabase database(raw_database);
  const HsCompileError error(raw_error);
  if (rc == HS_SUCCESS) {
    if (cache_dir) store_cached_database(*cache_dir, cache_key, *database);
    return database;
  }
  const std::string reason = error && error->message ? error->message : "unknown error";
  if (error && error->expression >= 0 &&
      static_cast<std::size_t>(error->expression) < entries.size()) {
    const LureEntry& bad = entries[static_cast<std::size_t>(error->expression)];
    return fail(Error::config(bad.where() + ": invalid pattern \"" + bad.pattern + "\": " + reason));
  }
  return fail(Error::config("lure lists: Hyperscan could not compile the patterns: " + reason));
}

// Hyperscan spends about a second compiling the phrase patterns, so the last database built in
// this process is kept and reused when the expressions are the same: every Engine of a test
// binary, and a configuration reload that left the lists alone, then start at once. Across
// processes, compile() reads the on-disk cache (database_cache.h).
Result<SharedDatabase> compile_or_reuse(const std::vector<LureEntry>& entries) {
  static std::mutex mutex;
  static std::string last_key;
  static SharedDatabase last_database;
  std::string key;
  for (const LureEntry& entry : entries) (key += entry.expression) += '\0';
  const std::lock_guard<std::mutex> lock(mutex);
  if (last_database && key == last_key) return last_database;
  Result<HsDatabase> compiled = compile(entries);
  if (!compiled) return fail(compiled.error());
  last_database = SharedDatabase(compiled->release(), HsDatabaseDeleter{});
  last_key = std::move(key);
  return last_database;
}

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  // [analyzers.lure_language] lists: the organisation's own phrases, after the shipped ones.
  std::vector<std::string> extra;
  setup.settings.files("lists", extra);
  if (hs_valid_platform() != HS_SUCCESS) {
    return fail(Error::config(
        "Hyperscan cannot run on this CPU (it needs SSSE3); disable the analyzer with "
        "[analyzers] disabled = [\"lure_language\"]"));
  }
  Result<std::vector<std::string>> files = list_files(setup.config, extra);
  if (!files) return fail(files.error());
  std::vector<LureEntry> entries;
  for (const std::string& file : *files) {
    if (Result<void> loaded = load_lure_list(file, entries); !loaded) return fail(loaded.error());
  }
  Result<SharedDatabase> database = compile_or_reuse(entries);
  if (!database) return fail(database.error());
  return std::make_shared<const LureState>(std::move(entries), std::move(*database));
}

// --- Scanning ---

// Where a phrase was read: the object (the message for the subject) and the field.
struct Place {
  ObjectId object = kMessageObject;
  std::string field;
};

struct Hit {
  std::uint32_t entry;
  Place place;
  std::string excerpt;
};

struct BlockScan {
  const std::vector<LureEntry>* entries;
  std::string_view text;
  const Place* place;
  std::vector<bool>* seen;  // per message: a phrase counts once however often it appears
  std::vector<Hit>* hits;
  unsigned matches = 0;
};

// The folded text that ends at the match: Hyperscan reports where a match ends, and a phrase is
// about as long as its pattern, so this shows the analyst the words that fired.
std::string excerpt_before(std::string_view text, std::size_t end, std::size_t pattern_size) {
  // A pattern's alternatives make it longer than what it matches; 48 bytes shows a phrase.
  const std::size_t width = std::min<std::size_t>(pattern_size, 48) + 16;
  std::size_t begin = end > width ? end - width : 0;
  while (begin < end && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) ++begin;
  if (begin > 0) {
    const std::size_t space = text.find(' ', begin);
    if (space != std::string_view::npos && space < begin + 16 && space + 1 < end) begin = space + 1;
  }
  return std::string(text.substr(begin, end - begin));
}

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long to,
             unsigned int /*flags*/, void* context) {
  auto& scan = *static_cast<BlockScan*>(context);
  if (++scan.matches > kMaxMatchesPerScan) return 1;  // stop scanning this block
  if ((*scan.seen)[id]) return 0;
  (*scan.seen)[id] = true;
  const LureEntry& entry = (*scan.entries)[id];
  scan.hits->push_back(Hit{id, *scan.place,
                           excerpt_before(scan.text, static_cast<std::size_t>(to), entry.pattern.size())});
  return 0;
}

class MessageScanner {
 public:
  MessageScanner(const LureState& state, std::size_t budget)
      : state_(state), scratch_(state.borrow_scratch()), seen_(state.entries().size(), false),
        budget_(budget) {}

  void scan(std::string_view text, ObjectId object, std::string field) {
    if (text.empty()) return;
    if (budget_ == 0) {
      unscanned_ += text.size();
      return;
    }
    const std::string folded = fold_for_matching(text, budget_, CaseFolding::kFold);
    budget_ -= std::min(budget_, folded.size() + 1);
    if (budget_ == 0) unscanned_ += text.size() > folded.size() ? text.size() - folded.size() : 0;
    if (folded.empty()) return;
    const Place place{object, std::move(field)};
    BlockScan block{&state_.entries(), folded, &place, &seen_, &hits_};
    const hs_error_t rc = hs_scan(state_.database(), folded.data(),
                                  static_cast<unsigned>(folded.size()), 0, scratch_.get(), &on_match, &block);
    // HS_SCAN_TERMINATED is the match cap doing its job; anything else is a bug.
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) {
      throw std::runtime_error("Hyperscan scan failed with code " + std::to_string(rc));
    }
  }

  const std::vector<Hit>& hits() const { return hits_; }
  // Bytes of readable text left unscanned once the budget was spent (roughly: before folding).
  std::size_t unscanned() const { return unscanned_; }

 private:
  const LureState& state_;
  ScratchPool::Lease scratch_;
  std::vector<bool> seen_;
  std::vector<Hit> hits_;
  std::size_t budget_;
  std::size_t unscanned_ = 0;
};

// --- Scoring ---

constexpr std::array<FindingId, kFamilyCount> kFamilyFinding = {
    FindingId::LURE_ACCOUNT_CREDENTIALS, FindingId::LURE_SHARED_DOCUMENT,
    FindingId::LURE_PAYMENT,             FindingId::LURE_DELIVERY,
    FindingId::LURE_PRIZE,               FindingId::LURE_PRESSURE,
    FindingId::LURE_FRAUD_SCHEME,
};

// Strength of one category: its most specific phrase, plus half of each further distinct phrase
// (several phrasings of the same lure make it surer), capped at the maximum weight.
double category_strength(std::vector<double> weights) {
  std::sort(weights.begin(), weights.end(), std::greater<>());
  double strength = weights.front();
  for (std::size_t i = 1; i < weights.size(); ++i) strength += weights[i] / 2;
  return std::min(strength, kMaxWeight);
}

// How much the lure signals reinforce each other: one phrase alone is half its weight; each
// further category (or two further phrases) adds 0.4, up to 1.4 — a credential lure with urgency
// and a call to action is far more telling than any of the three alone.
double combination_factor(std::size_t categories, std::size_t phrases) {
  const double signals =
      static_cast<double>(categories) + 0.5 * static_cast<double>(phrases - categories);
  return std::min(1.4, 0.1 + 0.4 * signals);
}

void analyze(const ParsedMessage& message, const ScanContext& context,
             const AnalyzerState* state, FindingSink& sink) {
  const auto& lures = static_cast<const LureState&>(*state);
  MessageScanner scanner(lures, context.limits.max_lure_text_bytes);
  scanner.scan(message.subject(), kMessageObject, "subject");
  for (const facts::ReadableText& readable : context.facts.readable_texts()) {
    const ObjectId object = context.objects.of_part(readable.part);
    scanner.scan(readable.text, object, "text");
    // Hidden text is scanned apart so that a phrase split across visible and hidden text does
    // not match; inbox previews still show it (preheaders), so it counts.
    if (readable.html != nullptr) scanner.scan(readable.hidden, object, "hidden text");
  }
  if (scanner.unscanned() > 0) {
    sink.limit_reached("max_lure_text_bytes", context.limits.max_lure_text_bytes + scanner.unscanned(),
                       context.limits.max_lure_text_bytes,
                       LocalizedText{std::to_string(scanner.unscanned()) + " bytes of readable text not scanned for lure phrases",
                                     std::to_string(scanner.unscanned()) +
                                         " octets de texte lisible non examinés pour les formules de leurre"});
  }
  const std::vector<Hit>& hits = scanner.hits();
  if (hits.empty()) return;

  const auto all_categories = categories();
  std::vector<std::vector<double>> weights_by_category(all_categories.size());
  for (const Hit& hit : hits) {
    const LureEntry& entry = lures.entries()[hit.entry];
    weights_by_category[entry.category].push_back(entry.weight);
  }
  std::size_t matched_categories = 0;
  bool topical = false;
  std::array<double, kFamilyCount> family_strength{};
  for (std::size_t c = 0; c < all_categories.size(); ++c) {
    if (weights_by_category[c].empty()) continue;
    ++matched_categories;
    topical = topical || !all_categories[c].modifier;
    family_strength[static_cast<std::size_t>(all_categories[c].family)] +=
        category_strength(weights_by_category[c]);
  }
  if (!topical) return;  // "click here" and "urgent" alone are everyday mail
  const double factor = combination_factor(matched_categories, hits.size());

  for (std::size_t f = 0; f < kFamilyCount; ++f) {
    if (family_strength[f] == 0) continue;
    std::vector<Evidence> evidence;
    for (const Hit& hit : hits) {
      const LureEntry& entry = lures.entries()[hit.entry];
      if (static_cast<std::size_t>(all_categories[entry.category].family) != f) continue;
      if (evidence.size() == kMaxEvidencePerFinding) break;
      // The category is a key of the lure lists, the same in both languages.
      const std::string category(all_categories[entry.category].name);
      const std::string quoted = "\"" + hit.excerpt + "\"";
      const std::string origin = "\"" + entry.pattern + "\", " +
                                 std::filesystem::path(entry.file).filename().string() + ":" +
                                 std::to_string(entry.line) + ")";
      evidence.push_back(Evidence{hit.place.object, hit.place.field,
                                  LocalizedText{category + ": " + quoted + " (pattern " + origin,
                                                category + " : " + quoted + " (motif " + origin}});
    }
    const double default_score = verdict::catalog_entry(kFamilyFinding[f]).default_score;
    const double wanted = std::min(default_score, family_strength[f] * factor);
    sink.emit(kFamilyFinding[f], std::move(evidence), wanted / default_score);
  }
}

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "lure_language",
      "Phishing lure phrases (English, French, German, Dutch, Portuguese, Spanish) in the "
      "text a reader sees",
      kFamilyFinding,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::lure_language
