// common_words: names found in word lists, folded; lists that are missing count as empty.
#include "intel/brands/common_words.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace vigie::intel {
namespace {

TEST(CommonWords, FoldedEntriesOfEveryListCount) {
  const std::string french = testing::TempDir() + "/vigie_common_words_fr";
  const std::string english = testing::TempDir() + "/vigie_common_words_en";
  std::ofstream(french) << "d\xC3\xA9" "fense\nint\xC3\xA9rieur\nint\xC3\xA9rieure\noutre-mer\n";
  std::ofstream(english) << "Elys\xC3\xA9" "e\nElys\xC3\xA9" "e's\napple\n";
  const std::string_view lists[] = {french, english, "/nonexistent/vigie-word-list"};
  const std::vector<std::string> names = {"defense", "interieur", "elysee", "outre-mer", "anssi",
                                          "institut-strategie", "appl"};
  const std::vector<bool> found = common_words(names, lists);
  EXPECT_EQ(found, (std::vector<bool>{true, true, true, true, false, false, false}));
  // Answers are kept: the lists are not read again (removed, they still answer the same).
  std::remove(french.c_str());
  EXPECT_EQ(common_words(names, lists), found);
}

TEST(CommonWords, DebianListsKnowOrdinaryFrenchAndEnglishWords) {
  // The default lists come from Debian's wfrench and wamerican (scripts/install-deps.sh).
  const std::vector<std::string> names = {"interieur", "defense", "diplomatie", "numerique",
                                          "elysee", "poste", "paypal", "anssi", "xkqzwv"};
  EXPECT_EQ(common_words(names),
            (std::vector<bool>{true, true, true, true, true, true, true, false, false}));
}

}  // namespace
}  // namespace vigie::intel
