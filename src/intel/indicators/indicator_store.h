// The indicator store: every imported feed's indicators in one SQLite file (`[intel] store`),
// which `vigie intel import|list|stats|remove` writes and each engine reads whole when it is built
// (the index it builds from them replaces the previous engine's only when the new engine is
// complete: a reload never scans with half a feed). A feed is replaced in one transaction: a feed
// that cannot be read at all changes nothing, and what an importer could not take is recorded
// with the feed (its problem count and the first problems' text), never dropped silently.
// One writer at a time (the CLI); readers may run meanwhile (WAL).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "intel/indicators/indicator.h"
#include "vigie/result.h"

namespace vigie::intel {

struct FeedInfo {
  std::string name;      // the operator's name for it: "anssi-apt28", "misp-cert"
  std::string kind;      // "stix", "misp", "misp-feed", "list"
  std::string location;  // the file, folder or URL it was read from
  std::int64_t imported_at = 0;  // unix seconds
  std::size_t indicators = 0;
  std::size_t problems = 0;
  std::vector<std::string> first_problems;  // "where: what", at most 20
};

struct StoreStats {
  std::size_t feeds = 0;
  std::size_t indicators = 0;
  std::size_t values = 0;
  std::vector<std::pair<std::string, std::size_t>> values_by_type;  // observable type name, count
  std::int64_t file_bytes = 0;
};

class IndicatorStore {
 public:
  // Creates the file when missing; refuses a file that is not a vigie indicator store.
  static Result<std::unique_ptr<IndicatorStore>> open(const std::string& path);
  ~IndicatorStore();
  IndicatorStore(const IndicatorStore&) = delete;
  IndicatorStore& operator=(const IndicatorStore&) = delete;

  // Replaces feed `name` (of `kind`, read from `location`) with `imported` (indicators and
  // problems), atomically.
  Result<void> replace_feed(const std::string& name, const std::string& kind, const std::string& location,
                            const ImportResult& imported, std::int64_t now);
  // False when there was no such feed.
  Result<bool> remove_feed(const std::string& name);
  Result<std::vector<FeedInfo>> feeds() const;
  Result<StoreStats> stats() const;
  // What a reading of the store fills in: kMatching leaves out each indicator's description and
  // labels, which the index does not keep.
  enum class Fields { kAll, kMatching };
  // Calls `visit` with every indicator of every feed, one at a time and in import order (the same
  // object refilled each time): an engine builds its index from a million indicators without
  // holding them all beside it.
  Result<void> for_each(Fields fields, const std::function<void(const Indicator&)>& visit) const;
  // Every indicator of every feed, whole.
  Result<std::vector<Indicator>> load_all() const;
  // Writes a consistent copy of the store to `path`, which must not exist yet (a hunt adds its
  // feeds to a private copy and leaves the site's store as it was).
  Result<void> copy_to(const std::string& path) const;

 private:
  struct Impl;
  explicit IndicatorStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigie::intel
