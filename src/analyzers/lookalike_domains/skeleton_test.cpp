// skeleton: hosts read as the reader sees them, with the imitating characters named.
#include "analyzers/lookalike_domains/skeleton.h"

#include <gtest/gtest.h>

namespace vigie::analyzers::lookalike_domains {
namespace {

TEST(HostSkeleton, ReadsVisualTricksAsLatin) {
  const struct {
    const char* host;
    const char* reading;
  } cases[] = {
      {"inte\xC5\x95ieu\xCA\x80.gouv.fr", "interieur.gouv.fr"},           // ŕ, small capital ʀ
      {"d\xC3\xAA\xC6\x92\xC3\xAAns\xC3\xAA.gouv.fr", "defense.gouv.fr"},  // ê, ƒ (f with hook)
      {"\xE1\xB8\x8Diplomatie.gouv.fr", "diplomatie.gouv.fr"},             // ḍ (d with dot below)
      {"dipl\xE1\xB4\x8Fmatie.gouv.fr", "diplomatie.gouv.fr"},             // small capital ᴏ
      {"\xC4\x9Bl\xE1\xBA\x8Fs\xC4\x9B" "e.fr", "elysee.fr"},              // ě, ẏ
      {"\xD1\x95\xD1\x95\xD1\x96.gouv.fr", "ssi.gouv.fr"},                 // Cyrillic ѕ, і
      {"institut-strat\xC3\xA9gie.example", "institut-strategie.example"}, // é
      {"\xC4\xB1nterieur.fr", "interieur.fr"},                             // dotless ı
      {"i\xEA\x9E\x91terie\xCA\x89r.fr", "interieur.fr"},                  // ꞑ (n with descender), ʉ (u bar)
      // Cyrillic, with м and т shaped like small capitals; UTS #39 reads the palochka ӏ as i, so
      // this one is an edit away from "diplomatie" (the analyzer's edit distance finds it).
      {"\xD4\x81\xD1\x96\xD1\x80\xD3\x8F\xD0\xBE\xD0\xBC\xD0\xB0\xD1\x82\xD1\x96\xD0\xB5.fr",
       "dipiomatie.fr"},
      {"Exemple.FR", "exemple.fr"},
  };
  for (const auto& c : cases) {
    const HostReading r = read_host(c.host);
    EXPECT_EQ(r.text, c.reading) << c.host;
    EXPECT_TRUE(r.latin) << c.host;
  }
}

TEST(HostSkeleton, NamesEachImitatingCharacterOnce) {
  const HostReading r = read_host("inte\xC5\x95ieu\xCA\x80\xCA\x80.gouv.fr");
  ASSERT_EQ(r.imitations.size(), 2u);
  EXPECT_EQ(describe_imitations(r.imitations),
            "\xC5\x95 (U+0155) imitates r, \xCA\x80 (U+0280) imitates r");
  EXPECT_TRUE(read_host("interieur.gouv.fr").imitations.empty());
}

TEST(HostSkeleton, OtherScriptsStayThemselves) {
  const HostReading r = read_host("\xE4\xBE\x8B\xE5\xAD\x90.example");  // 例子
  EXPECT_FALSE(r.latin);
  EXPECT_EQ(r.text, "\xE4\xBE\x8B\xE5\xAD\x90.example");
}

TEST(HostSkeleton, ConfusableKeyMergesAsciiLookAlikes) {
  EXPECT_EQ(confusable_key("rnicrosoft"), confusable_key("microsoft"));
  EXPECT_EQ(confusable_key("paypa1"), confusable_key("paypal"));
  EXPECT_EQ(confusable_key("vvorld"), confusable_key("world"));
  EXPECT_EQ(confusable_key("clefense"), confusable_key("defense"));
  EXPECT_NE(confusable_key("interleur"), confusable_key("interieur"));  // i/l: edit distance's job
}

}  // namespace
}  // namespace vigie::analyzers::lookalike_domains
