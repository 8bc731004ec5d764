// filter_evasion: each trick fires on a message written for it, and the benign look-alikes
// (hyphenation hints, an emoji, a picture newsletter with text, a list post naming the list, a
// home server on dynamic DNS) stay silent.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/analyzer_harness.h"

namespace vigie {
namespace {

const analyzers::AnalyzerHarness& harness() {
  static const analyzers::AnalyzerHarness instance("filter_evasion");
  return instance;
}

std::vector<std::string> evasion_findings(const std::string& message, Envelope envelope = {}) {
  std::vector<std::string> ids;
  for (const Finding& f : harness().analyze(message, {}, envelope)) ids.push_back(f.id);
  return ids;
}

bool has(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string html_message(const std::string& headers, const std::string& html) {
  return headers + "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + html + "\n";
}

TEST(FilterEvasionTest, ZeroWidthCharactersInSubjectSplitAWord) {
  const auto ids = evasion_findings(
      "From: Support <it@helpdesk.example>\nTo: anna@ministere.example\n"
      "Subject: Your Pass\xE2\x80\x8Bword expires\n\nhello\n");
  EXPECT_TRUE(has(ids, "WORDS_SPLIT_BY_INVISIBLE_CHARACTERS"));
}

TEST(FilterEvasionTest, DirectionMarksInBodyWords) {
  // U+200E LEFT-TO-RIGHT MARK between letters of three words.
  const std::string lrm = "\xE2\x80\x8E";
  const auto ids = evasion_findings(html_message(
      "From: Service <a@b.example>\nSubject: Statement\n",
      "<p>Your Me" + lrm + "mber" + lrm + "ship is sus" + lrm + "pended, ver" + lrm + "ify now.</p>"));
  EXPECT_TRUE(has(ids, "WORDS_SPLIT_BY_INVISIBLE_CHARACTERS"));
}

TEST(FilterEvasionTest, SoftHyphensInHtmlBodyAreHyphenationNotEvasion) {
  const std::string shy = "\xC2\xAD";
  const auto ids = evasion_findings(html_message(
      "From: News <news@zeitung.example>\nSubject: Newsletter\n",
      "<p>Donau" + shy + "dampf" + shy + "schiff" + shy + "fahrt und Bundes" + shy + "verfassungs" + shy +
          "gericht: lange W\xC3\xB6rter mit Trenn" + shy + "hinweisen.</p>"));
  EXPECT_FALSE(has(ids, "WORDS_SPLIT_BY_INVISIBLE_CHARACTERS"));
}

TEST(FilterEvasionTest, StyledLettersInSenderName) {
  // "𝗣𝗮𝘆𝗣𝗮𝗹" in mathematical sans-serif bold.
  const auto ids = evasion_findings(
      "From: =?utf-8?B?8J2Xo/Cdl67wnZiG8J2Xo/Cdl67wnZe5?= <billing@random.example>\n"
      "Subject: Receipt\n\nhello\n");
  EXPECT_TRUE(has(ids, "STYLED_UNICODE_LETTERS"));
}

TEST(FilterEvasionTest, EmojiAndAccentsAreNotStyledLetters) {
  const auto ids = evasion_findings(
      "From: =?utf-8?Q?Caf=C3=A9_Z=C3=BCrich?= <cafe@example.ch>\n"
      "Subject: =?utf-8?B?8J+OiSBGw6p0ZSDDoCBaw7xyaWNo?=\n\nhello\n");
  EXPECT_FALSE(has(ids, "STYLED_UNICODE_LETTERS"));
}

TEST(FilterEvasionTest, LinkedPictureWithoutText) {
  const auto ids = evasion_findings(html_message(
      "From: Deals <d@offers.example>\nSubject: For you\n",
      "<a href=\"https://offers.example/c?id=1\"><img src=\"https://cdn.offers.example/banner.png\"></a>"));
  EXPECT_TRUE(has(ids, "IMAGE_ONLY_BODY"));
}

TEST(FilterEvasionTest, ImageOnlyBodyNamesThePartOfTheImage) {
  const std::vector<Finding> findings = harness().analyze(
      "From: Deals <d@offers.example>\nSubject: For you\nMIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n\n"
      "--b\nContent-Type: text/html\n\n"
      "<a href=\"https://offers.example/c\"><img src=\"https://cdn.offers.example/b.png\"></a>\n--b--\n");
  const Finding* found = analyzers::AnalyzerHarness::find(findings, "IMAGE_ONLY_BODY");
  ASSERT_NE(found, nullptr);
  const Evidence& evidence = found->evidence.at(0);
  EXPECT_NE(evidence.object, kMessageObject);  // the HTML part, not "part:N" in the field
  EXPECT_EQ(evidence.field, "url");
  EXPECT_NE(evidence.value.find("https://cdn.offers.example/b.png"), std::string::npos);
}

TEST(FilterEvasionTest, PictureNewsletterWithTextIsFine) {
  const auto ids = evasion_findings(html_message(
      "From: Museum <news@museum.example>\nSubject: This month\n",
      "<a href=\"https://museum.example/expo\"><img src=\"https://museum.example/expo.jpg\"></a>"
      "<p>This month the museum opens a new exhibition on the history of maps, with guided tours "
      "every Saturday morning and a lecture by the curator on the first Thursday of the month.</p>"));
  EXPECT_FALSE(has(ids, "IMAGE_ONLY_BODY"));
}

TEST(FilterEvasionTest, RecipientAddressInSubject) {
  const auto ids = evasion_findings(
      "From: Offers <o@x.example>\nTo: anna.martin@ministere.example\n"
      "Subject: Anna.Martin@ministere.example, your reward is waiting\n\nhello\n");
  EXPECT_TRUE(has(ids, "RECIPIENT_ADDRESS_IN_SUBJECT"));
}

TEST(FilterEvasionTest, EnvelopeRecipientInSubject) {
  Envelope envelope;
  envelope.recipients = {"paul@ministere.example"};
  const auto ids = evasion_findings(
      "From: Offers <o@x.example>\nSubject: paul@ministere.example: claim now\n\nhello\n", envelope);
  EXPECT_TRUE(has(ids, "RECIPIENT_ADDRESS_IN_SUBJECT"));
}

TEST(FilterEvasionTest, EvidenceIsCutBetweenCharacters) {
  std::string accents;
  for (int i = 0; i < 200; ++i) accents += "\xC3\xA9";  // é
  const std::vector<Finding> findings = harness().analyze(
      "From: o@x.example\nTo: paul@ministere.example\nSubject: paul@ministere.example " + accents + "\n\nhello\n");
  const Finding* found = analyzers::AnalyzerHarness::find(findings, "RECIPIENT_ADDRESS_IN_SUBJECT");
  ASSERT_NE(found, nullptr);
  const std::string& value = found->evidence.at(0).value;
  EXPECT_LE(value.size(), 160u);
  ASSERT_FALSE(value.empty());
  EXPECT_NE(static_cast<unsigned char>(value.back()), 0xC3u);  // no lead byte without its trail
}

TEST(FilterEvasionTest, ListPostNamingTheListIsFine) {
  const auto ids = evasion_findings(
      "From: Bob <bob@example.org>\nTo: devel@lists.example.org\nList-Id: <devel.lists.example.org>\n"
      "Subject: Re: devel@lists.example.org moving to a new server\n\nhello\n");
  EXPECT_FALSE(has(ids, "RECIPIENT_ADDRESS_IN_SUBJECT"));
}

TEST(FilterEvasionTest, SenderOnFreeHostingPlatform) {
  const auto ids = evasion_findings(
      "From: Support <noreply@login-check-7f3a.firebaseapp.com>\nSubject: Notice\n\nhello\n");
  EXPECT_TRUE(has(ids, "SENDER_ON_HOSTING_PLATFORM"));
}

TEST(FilterEvasionTest, SenderOnACloudTenantDefaultDomain) {
  const auto ids = evasion_findings(
      "From: IT Support <support@contoso-helpdesk7.onmicrosoft.com>\nSubject: Notice\n\nhello\n");
  EXPECT_TRUE(has(ids, "SENDER_ON_HOSTING_PLATFORM"));
  EXPECT_FALSE(has(evasion_findings("From: a@onmicrosoft.com.example\nSubject: x\n\nhello\n"),
                   "SENDER_ON_HOSTING_PLATFORM"));
}

TEST(FilterEvasionTest, HomeServerOnDynamicDnsIsNotAHostingPlatform) {
  const auto ids = evasion_findings("From: Jo <jo@home.dyndns.org>\nSubject: patch\n\nhello\n");
  EXPECT_FALSE(has(ids, "SENDER_ON_HOSTING_PLATFORM"));
}

TEST(FilterEvasionTest, OrdinaryMailIsSilent) {
  EXPECT_TRUE(evasion_findings("From: Marie <marie@ministere.example>\nTo: paul@ministere.example\n"
                               "Subject: Compte rendu\n\nBonjour Paul, voici le compte rendu.\n")
                  .empty());
}

TEST(FilterEvasionTest, TextBeyondTheLimitIsNotExaminedAndSaysSo) {
  Config config;
  config.limits.max_evasion_text_bytes = 1024;
  const analyzers::AnalyzerHarness small("filter_evasion", config);
  std::string body(2000, 'a');
  body += " Pass\u200Bword Log\u200Bin Acc\u200Bount Ver\u200Bify\n";
  const auto run = small.run("From: o@x.example\nSubject: hello\nContent-Type: text/plain; charset=utf-8\n\n" + body);
  EXPECT_EQ(analyzers::AnalyzerHarness::find(run.findings, "WORDS_SPLIT_BY_INVISIBLE_CHARACTERS"), nullptr);
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_evasion_text_bytes");
  EXPECT_EQ(run.limits_reached[0].allowed, 1024u);
  EXPECT_NE(run.limits_reached[0].not_examined_fr.find("octets de texte lisible non examinés"), std::string::npos);
  EXPECT_NE(run.limits_reached[0].object, kMessageObject);  // the part whose text was cut

  // The same words within the limit are found, and nothing is said to be left out.
  const auto whole = harness().run("From: o@x.example\nSubject: hello\nContent-Type: text/plain; charset=utf-8\n\n" + body);
  EXPECT_NE(analyzers::AnalyzerHarness::find(whole.findings, "WORDS_SPLIT_BY_INVISIBLE_CHARACTERS"), nullptr);
  EXPECT_TRUE(whole.limits_reached.empty());
}

TEST(FilterEvasionTest, SplitWordsEvidenceIsWrittenInFrenchToo) {
  const auto run = harness().run(
      "From: o@x.example\nSubject: hello\nContent-Type: text/plain; charset=utf-8\n\n"
      "Pass\u200Bword Log\u200Bin Acc\u200Bount Ver\u200Bify\n");
  const Finding* f = analyzers::AnalyzerHarness::find(run.findings, "WORDS_SPLIT_BY_INVISIBLE_CHARACTERS");
  ASSERT_NE(f, nullptr);
  const Evidence& body = f->evidence.back();
  EXPECT_EQ(body.value.find("4 words split by invisible characters, e.g. "), 0u) << body.value;
  EXPECT_EQ(body.value_fr.find("4 mots coupés par des caractères invisibles, par exemple "), 0u) << body.value_fr;
}

}  // namespace
}  // namespace vigie
