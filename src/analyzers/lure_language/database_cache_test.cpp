// database_cache: a stored database loads back and matches like the original; the key follows the
// expressions and flags; files or folders others could have written, foreign bytes and an
// oversized or missing file are refused (compile again), never trusted.
#include "analyzers/lure_language/database_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace vigie::analyzers::lure_language {
namespace {

namespace fs = std::filesystem;

HsDatabase compile_one(const char* expression) {
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  EXPECT_EQ(hs_compile(expression, HS_FLAG_CASELESS, HS_MODE_BLOCK, nullptr, &database, &error),
            HS_SUCCESS);
  hs_free_compile_error(error);
  return HsDatabase(database);
}

bool matches(const hs_database_t* database, const std::string& text) {
  hs_scratch_t* scratch = nullptr;
  EXPECT_EQ(hs_alloc_scratch(database, &scratch), HS_SUCCESS);
  bool matched = false;
  hs_scan(database, text.data(), static_cast<unsigned>(text.size()), 0, scratch,
          [](unsigned, unsigned long long, unsigned long long, unsigned, void* context) {
            *static_cast<bool*>(context) = true;
            return 0;
          },
          &matched);
  hs_free_scratch(scratch);
  return matched;
}

class DatabaseCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigie-hs-cache-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directory(dir_);
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir() const { return dir_.string(); }
  fs::path file_for(const std::string& key) const { return dir_ / ("lures-" + key + ".hsdb"); }

  fs::path dir_;
};

TEST_F(DatabaseCacheTest, KeyFollowsExpressionsAndFlags) {
  const std::string key = database_cache_key({"free spins", "no deposit"}, {1, 1});
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key, database_cache_key({"free spins", "no deposit"}, {1, 1}));
  EXPECT_NE(key, database_cache_key({"free spins", "no deposits"}, {1, 1}));
  EXPECT_NE(key, database_cache_key({"free spins", "no deposit"}, {1, 2}));
  EXPECT_NE(key, database_cache_key({"no deposit", "free spins"}, {1, 1}));  // ids follow order
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  EXPECT_NE(database_cache_key({"ab", "c"}, {1, 1}), database_cache_key({"a", "bc"}, {1, 1}));
}

TEST_F(DatabaseCacheTest, StoredDatabaseLoadsAndMatchesTheSame) {
  const HsDatabase original = compile_one("free spins");
  const std::string key = database_cache_key({"free spins"}, {HS_FLAG_CASELESS});
  EXPECT_EQ(load_cached_database(dir(), key), nullptr);  // nothing stored yet
  store_cached_database(dir(), key, *original);
  ASSERT_TRUE(fs::exists(file_for(key)));
  EXPECT_EQ(fs::status(file_for(key)).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
  const HsDatabase loaded = load_cached_database(dir(), key);
  ASSERT_NE(loaded, nullptr);
  EXPECT_TRUE(matches(loaded.get(), "Claim your FREE SPINS today"));
  EXPECT_FALSE(matches(loaded.get(), "the meeting is at ten"));
}

TEST_F(DatabaseCacheTest, FileOthersCanWriteIsRefused) {
  const std::string key = database_cache_key({"x"}, {0});
  store_cached_database(dir(), key, *compile_one("x"));
  fs::permissions(file_for(key), fs::perms::group_write, fs::perm_options::add);
  EXPECT_EQ(load_cached_database(dir(), key), nullptr);
}

TEST_F(DatabaseCacheTest, FolderOthersCanWriteIsRefused) {
  const std::string key = database_cache_key({"x"}, {0});
  store_cached_database(dir(), key, *compile_one("x"));
  fs::permissions(dir_, fs::perms::others_write, fs::perm_options::add);
  EXPECT_EQ(load_cached_database(dir(), key), nullptr);
}

TEST_F(DatabaseCacheTest, ForeignBytesAreRefused) {
  const std::string key = database_cache_key({"x"}, {0});
  {
    std::ofstream out(file_for(key), std::ios::binary);
    out << std::string(4096, 'A');
  }
  fs::permissions(file_for(key), fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  EXPECT_EQ(load_cached_database(dir(), key), nullptr);
}

TEST_F(DatabaseCacheTest, SymlinkIsNotFollowed) {
  const std::string key = database_cache_key({"x"}, {0});
  const std::string other = database_cache_key({"y"}, {0});
  store_cached_database(dir(), other, *compile_one("y"));
  fs::create_symlink(file_for(other), file_for(key));
  EXPECT_EQ(load_cached_database(dir(), key), nullptr);
}

TEST_F(DatabaseCacheTest, EmptyVariableDisablesTheCache) {
  const char* saved = std::getenv("VIGIE_CACHE_DIR");
  const std::string saved_value = saved ? saved : "";
  ::setenv("VIGIE_CACHE_DIR", "", 1);
  EXPECT_FALSE(database_cache_dir().has_value());
  ::setenv("VIGIE_CACHE_DIR", "/var/cache/vigie-test", 1);
  EXPECT_EQ(database_cache_dir(), "/var/cache/vigie-test");
  if (saved) {
    ::setenv("VIGIE_CACHE_DIR", saved_value.c_str(), 1);
  } else {
    ::unsetenv("VIGIE_CACHE_DIR");
  }
}

}  // namespace
}  // namespace vigie::analyzers::lure_language
