// Passwords given in a message's text: the French and English ways lures write them, and the
// bounds (few candidates, stronger phrases first, nothing from ordinary prose).
#include "analyzers/archives/password_phrases.h"

#include <gtest/gtest.h>

namespace vigie::analyzers::archives {
namespace {

std::vector<std::string> from(std::string_view text) {
  const std::string_view texts[] = {text};
  return password_candidates(texts);
}

using Strings = std::vector<std::string>;

TEST(PasswordPhrasesTest, FrenchPhrases) {
  EXPECT_EQ(from("Bonjour,\nLe mot de passe : 2025\nCordialement"), Strings{"2025"});
  EXPECT_EQ(from("mot de passe\xC2\xA0: 2025."), Strings{"2025"});  // no-break space, final dot
  EXPECT_EQ(from("Mdp: Printemps24"), Strings{"Printemps24"});
  EXPECT_EQ(from("Le mot de passe de l'archive est 7781"), Strings{"7781"});
  EXPECT_EQ(from("code d'acc\xC3\xA8s : 4567"), Strings{"4567"});
  EXPECT_EQ(from("mot de passe : \xC2\xAB\xC2\xA0" "Facture 2025\xC2\xA0\xC2\xBB"), Strings{"Facture 2025"});
  EXPECT_EQ(from("Veuillez trouver le document.\nMot de passe :\n\n  Xk-93aa\n"), Strings{"Xk-93aa"});
  EXPECT_EQ(from("le mot de passe 2025 vous permettra"), Strings{"2025"});
}

TEST(PasswordPhrasesTest, EnglishPhrases) {
  EXPECT_EQ(from("password: Xy12"), Strings{"Xy12"});
  EXPECT_EQ(from("Password for the file is \"Q3-report!\""), Strings{"Q3-report!"});
  EXPECT_EQ(from("pass - 1234"), Strings{"1234"});
  EXPECT_EQ(from("PWD=abc123"), Strings{"abc123"});
  EXPECT_EQ(from("Use password \xE2\x80\x9Chunter2\xE2\x80\x9D to open."), Strings{"hunter2"});
  // Punctuation may belong to the password: both readings are offered, the stripped one first.
  EXPECT_EQ(from("Password: Azerty1!"), (Strings{"Azerty1", "Azerty1!"}));
}

TEST(PasswordPhrasesTest, OrdinaryProseGivesNothing) {
  EXPECT_TRUE(from("Nous avons changé de mot de passe la semaine dernière. Merci.").empty());
  EXPECT_TRUE(from("Forgot your password? Reset it from your account page.").empty());
  EXPECT_TRUE(from("Il faut passer par le secrétariat; le passeport est prêt.").empty());
  EXPECT_TRUE(from("").empty());
}

TEST(PasswordPhrasesTest, FewCandidatesStrongestFirst) {
  std::string text = "code: 11111\n";
  for (int i = 0; i < 20; ++i) text += "mot de passe : pw" + std::to_string(i) + "\n";
  const Strings found = from(text);
  ASSERT_EQ(found.size(), kMaxPasswordCandidates);
  EXPECT_EQ(found.front(), "pw0");
  EXPECT_EQ(std::count(found.begin(), found.end(), "11111"), 0);
  EXPECT_EQ(from("mdp : a\nmdp : a\npassword: a"), Strings{"a"});
}

TEST(PasswordPhrasesTest, SeveralTextsAndLongValues) {
  const std::string_view texts[] = {"Objet : facture", "voir pièce jointe", "mdp : 9911"};
  EXPECT_EQ(password_candidates(texts), Strings{"9911"});
  EXPECT_TRUE(from("password: " + std::string(100, 'x')).empty());
}

}  // namespace
}  // namespace vigie::analyzers::archives
