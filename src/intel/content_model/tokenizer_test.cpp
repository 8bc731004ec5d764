// Tokenizer: Unicode words, case folding, caps, and only what the reader sees.
#include "intel/content_model/tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

namespace vigie::intel::content_model {
namespace {

std::vector<std::string> text_tokens(std::string_view text) {
  TokenSet tokens;
  tokens.add_text(text);
  return tokens.sorted();
}

bool has(const std::vector<std::string>& tokens, std::string_view token) {
  return std::find(tokens.begin(), tokens.end(), token) != tokens.end();
}

std::vector<std::string> tokens_of(const std::string& raw) {
  const auto message = ParsedMessage::parse(std::make_shared<const std::string>(raw), Limits{});
  return message_tokens(*message, Limits{}).tokens;
}

TEST(ContentTokenizerTest, SplitsOnNonWordCharactersAndFoldsCase) {
  EXPECT_EQ(text_tokens("Votre COMPTE a été suspendu! Été, ÉTÉ; x"),
            (std::vector<std::string>{"compte", "suspendu", "votre", "été"}));
  EXPECT_EQ(text_tokens("ПРИВЕТ привет Straße STRASSE"),
            (std::vector<std::string>{"strasse", "привет"}));
}

TEST(ContentTokenizerTest, DisguisedLettersAndInvisibleCharactersFold) {
  // Mathematical bold, full-width letters, a zero-width space and a soft hyphen inside words.
  EXPECT_EQ(text_tokens("𝐏𝐚𝐲𝐏𝐚𝐥 ＰＡＹＰＡＬ Pay\u200BPal pass\u00ADword"),
            (std::vector<std::string>{"password", "paypal"}));
}

TEST(ContentTokenizerTest, NumbersBecomeTheirShape) {
  EXPECT_EQ(text_tokens("Call 0612345678 before 2024, code 7"),
            (std::vector<std::string>{"before", "call", "code", "num:10", "num:4"}));
  EXPECT_TRUE(has(text_tokens("win 50usd"), "50usd"));  // not a pure number: kept as written
}

TEST(ContentTokenizerTest, WordLengthLimits) {
  const std::string forty(kMaxWordCodePoints, 'a');
  const std::string forty_one(kMaxWordCodePoints + 1, 'b');
  EXPECT_EQ(text_tokens("a " + forty + " " + forty_one), std::vector<std::string>{forty});
  // Code points, not bytes: 40 Cyrillic letters are 80 bytes and still one word.
  std::string cyrillic;
  for (std::size_t i = 0; i < kMaxWordCodePoints; ++i) cyrillic += "ж";
  EXPECT_EQ(text_tokens(cyrillic), std::vector<std::string>{cyrillic});
}

TEST(ContentTokenizerTest, UnspacedScriptsGiveCharacterPairs) {
  EXPECT_EQ(text_tokens("中奖通知 ok"), (std::vector<std::string>{"ok", "中奖", "奖通", "通知"}));
  // Thai: each pair of neighbouring characters (vowel signs included), never one long word.
  EXPECT_EQ(text_tokens("ยินดี").size(), 4u);
}

TEST(ContentTokenizerTest, UrlsInTextGiveNoWords) {
  EXPECT_EQ(text_tokens("Voir https://Login.Example/index.php?id=1 et www.promo.example/x, HTTP://a.b"),
            (std::vector<std::string>{"et", "voir"}));
}

TEST(ContentTokenizerTest, InvalidUtf8SeparatesWords) {
  EXPECT_EQ(text_tokens("casino\xff\xfe" "bonus"), (std::vector<std::string>{"bonus", "casino"}));
}

TEST(ContentTokenizerTest, TokenAndTextBudgets) {
  std::string many;
  for (int i = 0; i < 7000; ++i) many += "w" + std::to_string(i) + "x ";
  const Limits limits;
  TokenSet capped(limits);
  capped.add_text(many);
  EXPECT_EQ(capped.size(), limits.max_classifier_tokens);
  EXPECT_TRUE(capped.token_budget_spent());
  EXPECT_EQ(capped.unread_text_bytes(), 0u);

  TokenSet budget(limits);
  budget.add_text(std::string(limits.max_classifier_text_bytes - 7, ' ') + "visible");
  EXPECT_EQ(budget.unread_text_bytes(), 0u);
  budget.add_text("beyond");  // the message's text budget is spent
  EXPECT_EQ(budget.sorted(), std::vector<std::string>{"visible"});
  EXPECT_EQ(budget.unread_text_bytes(), 6u);
  EXPECT_FALSE(budget.token_budget_spent());

  Limits small;
  small.max_classifier_text_bytes = 16;
  small.max_classifier_tokens = 2;
  TokenSet site(small);
  site.add_text("alpha beta gamma delta");
  EXPECT_EQ(site.sorted(), (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(site.unread_text_bytes(), 6u);  // " delta"; "gamma" was read, but no room for it
  EXPECT_TRUE(site.token_budget_spent());
}

TEST(ContentTokenizerTest, ReadsWhatTheReaderSees) {
  const std::vector<std::string> tokens = tokens_of(
      "Received: from relayzorg.example (relayzorg.example [192.0.2.1]) by mx.example\n"
      "Authentication-Results: mx.example; spf=pass smtp.mailfrom=authzorg.example\n"
      "X-Mailer: Mailzorg 5\n"
      "Message-ID: <idzorg@example.net>\n"
      "Date: Mon, 2 Jan 2023 10:00:00 +0000\n"
      "From: \"Service Clientèle\" <noreply@shop.example>\n"
      "To: you@example.org\n"
      "Subject: =?utf-8?q?Vous_avez_gagn=C3=A9?=\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=b\n\n"
      "--b\n"
      "Content-Type: text/html; charset=utf-8\n\n"
      "<html><head><style>.stylezorg{}</style><script>scriptzorg()</script></head><body>"
      "<p>Réclamez votre <a href=\"https://win.prize-claim.co.uk/x\" title=\"titlezorg\">cadeau</a></p>"
      "<div style=\"display:none\">hiddenzorg</div><img src=\"http://192.0.2.7/p.gif\"></body></html>\n"
      "--b\n"
      "Content-Type: application/pdf; name=\"Facture.PDF\"\n"
      "Content-Disposition: attachment; filename=\"Facture.PDF\"\n"
      "Content-Transfer-Encoding: base64\n\n"
      "JVBERi0=\n"
      "--b--\n");
  for (const char* seen : {"vous", "avez", "gagné", "service", "clientèle", "réclamez", "votre",
                           "cadeau", "host:prize-claim.co.uk", "host:ip", "attach:pdf"}) {
    EXPECT_TRUE(has(tokens, seen)) << seen;
  }
  for (const std::string& token : tokens) {
    EXPECT_EQ(token.find("zorg"), std::string::npos) << token;  // headers, markup, hidden text
    EXPECT_NE(token, "noreply");  // the address itself is not what the reader reads
  }
  EXPECT_TRUE(std::is_sorted(tokens.begin(), tokens.end()));
  EXPECT_EQ(std::adjacent_find(tokens.begin(), tokens.end()), tokens.end());
}

TEST(ContentTokenizerTest, RecipientWordsAreNotTokens) {
  const std::vector<std::string> tokens = tokens_of(
      "From: Support <it@helpdesk.example>\nTo: Jeanne Dupont <jdupont@ours.example>\n"
      "Cc: rh@ours.example\nDelivered-To: boite@ours.example\nSubject: jdupont: mot de passe\n\n"
      "Bonjour Jeanne, le mot de passe de jdupont@ours.example expire. RH, boite\n");
  EXPECT_EQ(tokens, (std::vector<std::string>{"bonjour", "de", "expire", "le", "mot", "passe", "support"}));
}

TEST(ContentTokenizerTest, PlainTextPartsAndDistinctTokens) {
  const std::vector<std::string> tokens =
      tokens_of("From: a@b.example\nSubject: Bonus bonus\n\nBONUS casino, casino http://casino.example/\n");
  EXPECT_EQ(tokens, (std::vector<std::string>{"bonus", "casino", "host:casino.example"}));
}

}  // namespace
}  // namespace vigie::intel::content_model
