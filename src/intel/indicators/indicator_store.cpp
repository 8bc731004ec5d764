// The indicator store (see indicator_store.h).
#include "intel/indicators/indicator_store.h"

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <unordered_map>

#include "store/sqlite_support.h"

namespace vigie::intel {

namespace sqlite = store::sqlite;

namespace {

constexpr std::int32_t kApplicationId = 0x76696769;  // "vigi": a vigie indicator store
constexpr std::size_t kKeptProblems = 20;

// Step n brings version n-1 to n. The values table serves the index build (read whole) and
// `vigie intel list --value`.
constexpr std::array<const char*, 1> kMigrations = {
    "CREATE TABLE feeds ("
    "  name TEXT PRIMARY KEY, kind TEXT NOT NULL, location TEXT NOT NULL,"
    "  imported_at INTEGER NOT NULL, indicators INTEGER NOT NULL, problems INTEGER NOT NULL,"
    "  first_problems TEXT NOT NULL);"
    "CREATE TABLE indicators ("
    "  row INTEGER PRIMARY KEY,"
    "  feed TEXT NOT NULL REFERENCES feeds(name) ON DELETE CASCADE,"
    "  id TEXT NOT NULL, source TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,"
    "  pattern TEXT NOT NULL, valid_from INTEGER NOT NULL, valid_until INTEGER NOT NULL,"
    "  revoked INTEGER NOT NULL, confidence INTEGER NOT NULL, labels TEXT NOT NULL,"
    "  tlp INTEGER NOT NULL, links TEXT NOT NULL);"
    "CREATE INDEX indicators_by_feed ON indicators(feed);"
    "CREATE TABLE indicator_values ("
    "  indicator INTEGER NOT NULL REFERENCES indicators(row) ON DELETE CASCADE,"
    "  type INTEGER NOT NULL, value TEXT NOT NULL);"
    "CREATE INDEX values_by_indicator ON indicator_values(indicator);"
    "CREATE INDEX values_by_value ON indicator_values(value);",
};
constexpr sqlite::Schema kSchema{kApplicationId, kMigrations, "vigie indicator store"};

constexpr std::array kTypes = {ObservableType::kDomain,       ObservableType::kUrl,      ObservableType::kIpv4,
                               ObservableType::kIpv6,         ObservableType::kEmailAddress,
                               ObservableType::kEmailSubject, ObservableType::kFileName, ObservableType::kMd5,
                               ObservableType::kSha1,         ObservableType::kSha256,   ObservableType::kSha512};

}  // namespace

struct IndicatorStore::Impl {
  std::string path;
  sqlite::Database database;
  sqlite3* db() const { return database.handle; }
  sqlite::FileLabel file() const { return {"indicator store", path}; }
};

IndicatorStore::IndicatorStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IndicatorStore::~IndicatorStore() = default;

Result<std::unique_ptr<IndicatorStore>> IndicatorStore::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  const sqlite::FileLabel file = impl->file();
  const int rc = sqlite3_open_v2(path.c_str(), &impl->database.handle,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) return fail(Error::io(file() + ": cannot open (" + sqlite::sqlite_message(impl->db(), rc) + ")"));
  sqlite3_busy_timeout(impl->db(), 10000);
  if (auto version = sqlite::checked_version(impl->db(), kSchema, file); !version) return fail(version.error());
  if (auto r = sqlite::exec(impl->db(), "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON", file); !r) {
    return fail(r.error());
  }
  if (auto r = sqlite::migrate(impl->db(), kSchema, file); !r) return fail(r.error());
  return std::unique_ptr<IndicatorStore>(new IndicatorStore(std::move(impl)));
}

Result<void> IndicatorStore::replace_feed(const std::string& name, const std::string& kind,
                                          const std::string& location, const ImportResult& imported,
                                          std::int64_t now) {
  const sqlite::FileLabel file = impl_->file();
  sqlite3* db = impl_->db();
  if (auto r = sqlite::exec(db, "BEGIN IMMEDIATE", file); !r) return r;
  const auto abort = [&](Error error) -> Result<void> {
    (void)sqlite::exec(db, "ROLLBACK", file);
    return fail(std::move(error));
  };
  sqlite::Statement remove, feed, indicator, value;
  for (auto [sql, statement] :
       {std::pair{"DELETE FROM feeds WHERE name = ?1", &remove},
        std::pair{"INSERT INTO feeds VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &feed},
        std::pair{"INSERT INTO indicators (feed, id, source, name, description, pattern, valid_from, valid_until, "
                  "revoked, confidence, labels, tlp, links) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &indicator},
        std::pair{"INSERT INTO indicator_values VALUES (?1, ?2, ?3)", &value}}) {
    if (auto r = sqlite::prepare(db, sql, *statement, file); !r) return abort(r.error());
  }
  const auto step = [&](sqlite::Statement& s) -> Result<void> {
    const int rc = sqlite3_step(s.handle);
    if (rc != SQLITE_DONE) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(db, rc)));
    return {};
  };
  {
    sqlite::Binding b(remove.handle);
    b.text(1, name);
    if (auto r = step(remove); !r) return abort(r.error());
  }
  nlohmann::json problems = nlohmann::json::array();
  for (std::size_t i = 0; i < imported.problems.size() && i < kKeptProblems; ++i) {
    problems.push_back(imported.problems[i].where + ": " + imported.problems[i].what);
  }
  {
    sqlite::Binding b(feed.handle);
    b.text(1, name);
    b.text(2, kind);
    b.text(3, location);
    b.integer(4, now);
    b.integer(5, static_cast<std::int64_t>(imported.indicators.size()));
    b.integer(6, static_cast<std::int64_t>(imported.problems.size()));
    b.text(7, problems.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    if (auto r = step(feed); !r) return abort(r.error());
  }
  for (const Indicator& i : imported.indicators) {
    nlohmann::json links = nlohmann::json::array();
    for (const IntelLink& l : i.links) links.push_back({{"kind", l.kind}, {"name", l.name}, {"stix_id", l.stix_id}});
    {
      sqlite::Binding b(indicator.handle);
      b.text(1, name);
      b.text(2, i.id);
      b.text(3, i.source);
      b.text(4, i.name);
      b.text(5, i.description);
      b.text(6, i.pattern);
      b.integer(7, i.valid_from);
      b.integer(8, i.valid_until);
      b.integer(9, i.revoked ? 1 : 0);
      b.integer(10, i.confidence);
      b.text(11, nlohmann::json(i.labels).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      b.integer(12, static_cast<std::int64_t>(i.tlp));
      b.text(13, links.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      if (auto r = step(indicator); !r) return abort(r.error());
    }
    const std::int64_t row = sqlite3_last_insert_rowid(db);
    for (const IndicatorValue& v : i.values) {
      sqlite::Binding b(value.handle);
      b.integer(1, row);
      b.integer(2, static_cast<std::int64_t>(v.type));
      b.text(3, v.value);
      if (auto r = step(value); !r) return abort(r.error());
    }
  }
  if (auto r = sqlite::exec(db, "COMMIT", file); !r) return abort(r.error());
  return {};
}

Result<bool> IndicatorStore::remove_feed(const std::string& name) {
  const sqlite::FileLabel file = impl_->file();
  sqlite::Statement remove;
  if (auto r = sqlite::prepare(impl_->db(), "DELETE FROM feeds WHERE name = ?1", remove, file); !r) return fail(r.error());
  sqlite::Binding b(remove.handle);
  b.text(1, name);
  const int rc = sqlite3_step(remove.handle);
  if (rc != SQLITE_DONE) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(impl_->db(), rc)));
  return sqlite3_changes(impl_->db()) > 0;
}

Result<std::vector<FeedInfo>> IndicatorStore::feeds() const {
  const sqlite::FileLabel file = impl_->file();
  sqlite::Statement s;
  if (auto r = sqlite::prepare(impl_->db(),
                               "SELECT name, kind, location, imported_at, indicators, problems, first_problems "
                               "FROM feeds ORDER BY name",
                               s, file);
      !r) {
    return fail(r.error());
  }
  std::vector<FeedInfo> out;
  int rc = 0;
  while ((rc = sqlite3_step(s.handle)) == SQLITE_ROW) {
    FeedInfo f;
    f.name = sqlite::column_text(s.handle, 0);
    f.kind = sqlite::column_text(s.handle, 1);
    f.location = sqlite::column_text(s.handle, 2);
    f.imported_at = sqlite3_column_int64(s.handle, 3);
    f.indicators = static_cast<std::size_t>(sqlite3_column_int64(s.handle, 4));
    f.problems = static_cast<std::size_t>(sqlite3_column_int64(s.handle, 5));
    const nlohmann::json problems =
        nlohmann::json::parse(sqlite::column_text(s.handle, 6), nullptr, /*allow_exceptions=*/false);
    if (problems.is_array()) {
      for (const auto& p : problems) {
        if (p.is_string()) f.first_problems.push_back(p.get<std::string>());
      }
    }
    out.push_back(std::move(f));
  }
  if (rc != SQLITE_DONE) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(impl_->db(), rc)));
  return out;
}

Result<StoreStats> IndicatorStore::stats() const {
  const sqlite::FileLabel file = impl_->file();
  StoreStats stats;
  for (auto [sql, field] : {std::pair{"SELECT count(*) FROM feeds", &stats.feeds},
                            std::pair{"SELECT count(*) FROM indicators", &stats.indicators},
                            std::pair{"SELECT count(*) FROM indicator_values", &stats.values}}) {
    Result<std::int64_t> n = sqlite::single_integer(impl_->db(), sql, file);
    if (!n) return fail(n.error());
    *field = static_cast<std::size_t>(*n);
  }
  sqlite::Statement s;
  if (auto r = sqlite::prepare(impl_->db(), "SELECT type, count(*) FROM indicator_values GROUP BY type ORDER BY type", s,
                               file);
      !r) {
    return fail(r.error());
  }
  while (sqlite3_step(s.handle) == SQLITE_ROW) {
    const auto type = static_cast<std::size_t>(sqlite3_column_int64(s.handle, 0));
    const auto count = static_cast<std::size_t>(sqlite3_column_int64(s.handle, 1));
    stats.values_by_type.emplace_back(type < kTypes.size() ? std::string(observable_type_name(kTypes[type])) : "unknown",
                                      count);
  }
  std::error_code ec;
  stats.file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(impl_->path, ec));
  const auto wal = std::filesystem::file_size(impl_->path + "-wal", ec);
  if (!ec) stats.file_bytes += static_cast<std::int64_t>(wal);
  return stats;
}

Result<void> IndicatorStore::for_each(Fields fields, const std::function<void(const Indicator&)>& visit) const {
  const sqlite::FileLabel file = impl_->file();
  sqlite3* db = impl_->db();
  const bool all = fields == Fields::kAll;
  sqlite::Statement indicators, values;
  if (auto r = sqlite::prepare(db,
                               all ? "SELECT row, id, source, name, pattern, valid_from, valid_until, revoked, "
                                     "confidence, tlp, links, description, labels FROM indicators ORDER BY row"
                                   : "SELECT row, id, source, name, pattern, valid_from, valid_until, revoked, "
                                     "confidence, tlp, links FROM indicators ORDER BY row",
                               indicators, file);
      !r) {
    return fail(r.error());
  }
  // Both in row order: the values of each indicator are read beside it, in one pass over each.
  if (auto r = sqlite::prepare(db, "SELECT indicator, type, value FROM indicator_values ORDER BY indicator", values,
                               file);
      !r) {
    return fail(r.error());
  }
  const auto text = [](sqlite3_stmt* s, int column, std::string& out) {
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
    out.assign(bytes == nullptr ? "" : bytes, static_cast<std::size_t>(sqlite3_column_bytes(s, column)));
  };
  // Feeds give many indicators the same links (one event's galaxy, one bundle's intrusion set):
  // each distinct text is parsed once, up to a bound.
  constexpr std::size_t kParsedLinkTexts = 4096;
  std::unordered_map<std::string, std::vector<IntelLink>> parsed_links;
  std::string links_text;
  const auto parse_links = [](std::string_view json_text) {
    std::vector<IntelLink> links;
    const nlohmann::json parsed = nlohmann::json::parse(json_text, nullptr, false);
    if (!parsed.is_array()) return links;
    for (const auto& l : parsed) {
      if (l.is_object()) links.push_back({l.value("kind", ""), l.value("name", ""), l.value("stix_id", "")});
    }
    return links;
  };
  Indicator i;
  int value_rc = sqlite3_step(values.handle);
  int rc = 0;
  while ((rc = sqlite3_step(indicators.handle)) == SQLITE_ROW) {
    sqlite3_stmt* row = indicators.handle;
    const std::int64_t row_id = sqlite3_column_int64(row, 0);
    text(row, 1, i.id);
    text(row, 2, i.source);
    text(row, 3, i.name);
    text(row, 4, i.pattern);
    i.valid_from = sqlite3_column_int64(row, 5);
    i.valid_until = sqlite3_column_int64(row, 6);
    i.revoked = sqlite3_column_int64(row, 7) != 0;
    i.confidence = static_cast<int>(sqlite3_column_int64(row, 8));
    const std::int64_t tlp = sqlite3_column_int64(row, 9);
    i.tlp = tlp >= 0 && tlp <= static_cast<std::int64_t>(Tlp::kRed) ? static_cast<Tlp>(tlp) : Tlp::kUnknown;
    text(row, 10, links_text);
    if (links_text.empty() || links_text == "[]") {
      i.links.clear();
    } else if (const auto known = parsed_links.find(links_text); known != parsed_links.end()) {
      i.links = known->second;
    } else {
      i.links = parse_links(links_text);
      if (parsed_links.size() < kParsedLinkTexts) parsed_links.emplace(links_text, i.links);
    }
    i.labels.clear();
    if (all) {
      text(row, 11, i.description);
      const nlohmann::json labels = nlohmann::json::parse(sqlite::column_text(row, 12), nullptr, false);
      if (labels.is_array()) {
        for (const auto& l : labels) {
          if (l.is_string()) i.labels.push_back(l.get<std::string>());
        }
      }
    }
    i.values.clear();
    for (; value_rc == SQLITE_ROW; value_rc = sqlite3_step(values.handle)) {
      const std::int64_t owner = sqlite3_column_int64(values.handle, 0);
      if (owner > row_id) break;
      const auto type = static_cast<std::size_t>(sqlite3_column_int64(values.handle, 1));
      if (owner < row_id || type >= kTypes.size()) continue;  // no such indicator, or a type unknown here
      IndicatorValue& value = i.values.emplace_back();
      value.type = kTypes[type];
      text(values.handle, 2, value.value);
    }
    if (value_rc != SQLITE_ROW && value_rc != SQLITE_DONE) {
      return fail(sqlite::file_error(file, value_rc, sqlite::sqlite_message(db, value_rc)));
    }
    visit(i);
  }
  if (rc != SQLITE_DONE) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(db, rc)));
  return {};
}

Result<std::vector<Indicator>> IndicatorStore::load_all() const {
  std::vector<Indicator> out;
  if (auto r = for_each(Fields::kAll, [&](const Indicator& i) { out.push_back(i); }); !r) return fail(r.error());
  return out;
}

Result<void> IndicatorStore::copy_to(const std::string& path) const {
  const sqlite::FileLabel file = impl_->file();
  sqlite3* db = impl_->db();
  sqlite::Statement copy;
  if (auto r = sqlite::prepare(db, "VACUUM INTO ?1", copy, file); !r) return r;
  sqlite::Binding b(copy.handle);
  b.text(1, path);
  if (const int rc = sqlite3_step(copy.handle); rc != SQLITE_DONE) {
    return fail(sqlite::file_error(file, rc, "cannot copy to " + path + ": " + sqlite::sqlite_message(db, rc)));
  }
  return {};
}

}  // namespace vigie::intel
