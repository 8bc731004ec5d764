// An on-disk cache of compiled Hyperscan databases. Compiling the lure lists costs about a second
// of CPU at every start (each one-shot `vigie scan`, each test process, each reload); loading the
// serialized database costs milliseconds. Owns the cache location, the key and the file checks;
// knows nothing of lure lists beyond the expressions and flags it is given.
//
// The key is a SHA-256 of the Hyperscan version, the CPU features the database is built for, and
// every expression with its flags, so a changed list, a library upgrade or another machine never
// reuses a stale file. Hyperscan does not defend itself against a forged serialized database, so
// a cache file is used only when it and its folder belong to the user running vigie and nobody
// else can write them; anything unexpected means compiling as if there were no cache.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzers/lure_language/hyperscan_handle.h"

namespace vigie::analyzers::lure_language {

// The folder for cached databases: $VIGIE_CACHE_DIR, else $XDG_CACHE_HOME/vigie, else
// $HOME/.cache/vigie; nullopt when none is set. VIGIE_CACHE_DIR set to an empty string disables
// the cache.
std::optional<std::string> database_cache_dir();

// The cache key (hex SHA-256) of a database built from these expressions and flags.
std::string database_cache_key(const std::vector<const char*>& expressions,
                               const std::vector<unsigned>& flags);

// The database stored under `key` in `dir`, or nullptr when there is none or it cannot be trusted.
HsDatabase load_cached_database(const std::string& dir, const std::string& key);

// Stores `database` under `key` (written to a temporary file and renamed, mode 0600). Failing to
// store is not an error: the next start compiles again.
void store_cached_database(const std::string& dir, const std::string& key,
                           const hs_database_t& database);

}  // namespace vigie::analyzers::lure_language
