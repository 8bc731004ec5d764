// Passwords given in a message's text: the French and English ways lures write them, other
// languages, the case kept as written, the bounds (few candidates, stronger phrases first, nothing
// from ordinary prose), and where in a message they are read.
#include "facts/passwords.h"

#include <gtest/gtest.h>

#include <memory>

#include "vigie/limits.h"

namespace vigie::facts {
namespace {

std::vector<std::string> from(std::string_view text) {
  const std::string_view texts[] = {text};
  return password_candidates(texts);
}

using Strings = std::vector<std::string>;

TEST(MessagePasswordsTest, FrenchPhrases) {
  EXPECT_EQ(from("Bonjour,\nLe mot de passe : 2025\nCordialement"), Strings{"2025"});
  EXPECT_EQ(from("mot de passe\xC2\xA0: 2025."), Strings{"2025"});  // no-break space, final dot
  EXPECT_EQ(from("Mdp: Printemps24"), Strings{"Printemps24"});
  EXPECT_EQ(from("Le mot de passe de l'archive est 7781"), Strings{"7781"});
  EXPECT_EQ(from("code d'acc\xC3\xA8s : 4567"), Strings{"4567"});
  EXPECT_EQ(from("mot de passe : \xC2\xAB\xC2\xA0" "Facture 2025\xC2\xA0\xC2\xBB"), Strings{"Facture 2025"});
  EXPECT_EQ(from("Veuillez trouver le document.\nMot de passe :\n\n  Xk-93aa\n"), Strings{"Xk-93aa"});
  EXPECT_EQ(from("le mot de passe 2025 vous permettra"), Strings{"2025"});
}

TEST(MessagePasswordsTest, EnglishPhrases) {
  EXPECT_EQ(from("password: Xy12"), Strings{"Xy12"});
  EXPECT_EQ(from("Password for the file is \"Q3-report!\""), Strings{"Q3-report!"});
  EXPECT_EQ(from("pass - 1234"), Strings{"1234"});
  EXPECT_EQ(from("PWD=abc123"), Strings{"abc123"});
  EXPECT_EQ(from("Use password \xE2\x80\x9Chunter2\xE2\x80\x9D to open."), Strings{"hunter2"});
  // Punctuation may belong to the password: both readings are offered, the stripped one first.
  EXPECT_EQ(from("Password: Azerty1!"), (Strings{"Azerty1", "Azerty1!"}));
}

TEST(MessagePasswordsTest, OtherLanguages) {
  EXPECT_EQ(from("Senha do arquivo em anexo: 123"), Strings{"123"});
  EXPECT_EQ(from("Das Kennwort lautet: Sommer2025"), Strings{"Sommer2025"});
  EXPECT_EQ(from("Passwort: Sommer2025"), Strings{"Sommer2025"});
  EXPECT_EQ(from("Contrase\xC3\xB1" "a: 7788"), Strings{"7788"});
  EXPECT_EQ(from("\xD0\x9F\xD0\xB0\xD1\x80\xD0\xBE\xD0\xBB\xD1\x8C: 5566"), Strings{"5566"});
  EXPECT_EQ(from("Has\xC5\x82o: Lato24"), Strings{"Lato24"});
}

TEST(MessagePasswordsTest, CaseKeptAsWritten) {
  EXPECT_EQ(from("MOT DE PASSE : AbCdE9"), Strings{"AbCdE9"});
  EXPECT_EQ(from("Senha: XyZ"), Strings{"XyZ"});
}

TEST(MessagePasswordsTest, OrdinaryProseGivesNothing) {
  EXPECT_TRUE(from("Nous avons changé de mot de passe la semaine dernière. Merci.").empty());
  EXPECT_TRUE(from("Forgot your password? Reset it from your account page.").empty());
  EXPECT_TRUE(from("Il faut passer par le secrétariat; le passeport est prêt.").empty());
  EXPECT_TRUE(from("").empty());
}

TEST(MessagePasswordsTest, FewCandidatesStrongestFirst) {
  std::string text = "code: 11111\n";
  for (int i = 0; i < 20; ++i) text += "mot de passe : pw" + std::to_string(i) + "\n";
  const Strings found = from(text);
  ASSERT_EQ(found.size(), kMaxPasswordCandidates);
  EXPECT_EQ(found.front(), "pw0");
  EXPECT_EQ(std::count(found.begin(), found.end(), "11111"), 0);
  EXPECT_EQ(from("mdp : a\nmdp : a\npassword: a"), Strings{"a"});
}

TEST(MessagePasswordsTest, SeveralTextsAndLongValues) {
  const std::string_view texts[] = {"Objet : facture", "voir pièce jointe", "mdp : 9911"};
  EXPECT_EQ(password_candidates(texts), Strings{"9911"});
  EXPECT_TRUE(from("password: " + std::string(100, 'x')).empty());
}

TEST(MessagePasswordsTest, ReadsSubjectBodyAndTextAttachments) {
  const auto parse = [](std::string raw) {
    static const Limits kLimits{};
    return ParsedMessage::parse(std::make_shared<const std::string>(std::move(raw)), kLimits);
  };
  const auto html = parse(
      "From: a@example.net\nSubject: Facture (mdp : Sujet1)\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html; charset=utf-8\n\n"
      "<p>Le document est prot&eacute;g&eacute;, <b>mot de passe</b> : 2025</p>\n"
      "--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"lisez-moi.txt\"\n\n"
      "password: Fichier9\n--b--\n");
  // In the order of reading: subject, body, then the text attachment.
  EXPECT_EQ(message_passwords(*html), (Strings{"Sujet1", "2025", "Fichier9"}));
  EXPECT_TRUE(message_passwords(*parse("From: a@example.net\nSubject: x\n\nBonjour\n")).empty());
}

}  // namespace
}  // namespace vigie::facts
