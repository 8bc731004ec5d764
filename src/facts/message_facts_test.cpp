// Message facts: one rule each for sender identities, readable text and followable links.
#include "facts/message_facts.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace vigie::facts {
namespace {

class MessageFactsTest : public ::testing::Test {
 protected:
  const MessageFacts& facts_of(const std::string& raw, Envelope envelope = {}) {
    message_ = ParsedMessage::parse(std::make_shared<const std::string>(raw), Limits{});
    envelope_ = std::move(envelope);
    facts_.emplace(*message_, envelope_, profile_);
    return *facts_;
  }
  void SetUp() override {
    OrganisationConfig config;
    config.protected_domains = {"interieur.gouv.fr"};
    config.partner_domains = {"partner.example"};
    profile_ = *OrganisationProfile::compile(config);
  }
  OrganisationProfile profile_;
  std::unique_ptr<ParsedMessage> message_;
  Envelope envelope_;
  std::optional<MessageFacts> facts_;
};

TEST_F(MessageFactsTest, IdentitiesInFieldOrderWithTheEnvelopeLast) {
  Envelope envelope;
  envelope.mail_from = "bounce@Mailer.Example";
  const MessageFacts& facts = facts_of(
      "Reply-To: <reply@partner.example>\n"
      "From: \"Jeanne\" <Jeanne@Mail.Interieur.GOUV.fr>, other@bücher.example\n"
      "Return-Path: <>\n"
      "Sender: list@lists.example.co.uk\n\nbody\n",
      envelope);
  const auto all = facts.identities();
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0].field, IdentityField::kFrom);
  EXPECT_EQ(all[0].address, "jeanne@mail.interieur.gouv.fr");
  EXPECT_EQ(all[0].registrable, "interieur.gouv.fr");
  EXPECT_EQ(all[0].standing, DomainStanding::kProtected);
  EXPECT_EQ(all[0].mailbox.display_name, "Jeanne");
  EXPECT_EQ(all[1].host, "xn--bcher-kva.example");
  EXPECT_EQ(all[2].field, IdentityField::kSender);
  EXPECT_EQ(all[2].registrable, "example.co.uk");
  EXPECT_EQ(all[3].field, IdentityField::kReplyTo);
  EXPECT_EQ(all[3].standing, DomainStanding::kPartner);
  EXPECT_EQ(all[4].field, IdentityField::kReturnPath);
  EXPECT_TRUE(all[4].domain.empty());
  EXPECT_EQ(all[5].field, IdentityField::kEnvelopeFrom);
  EXPECT_EQ(all[5].address, "bounce@mailer.example");
  EXPECT_EQ(identity_location(all[5].field), "envelope:MAIL FROM");
  ASSERT_NE(facts.author(), nullptr);
  EXPECT_EQ(facts.author()->address, "jeanne@mail.interieur.gouv.fr");
  EXPECT_EQ(facts.identities(IdentityField::kFrom).size(), 2u);
}

TEST_F(MessageFactsTest, NoFromNoAuthor) {
  const MessageFacts& facts = facts_of("Sender: a@example.org\n\nx\n");
  EXPECT_EQ(facts.author(), nullptr);
}

TEST_F(MessageFactsTest, AnUnusableDomainIsKeptInLowercase) {
  const MessageFacts& facts = facts_of("From: x@Host%Example\n\nx\n");
  ASSERT_NE(facts.author(), nullptr);
  EXPECT_TRUE(facts.author()->host.empty());
  EXPECT_EQ(facts.author()->domain, "host%example");
}

TEST_F(MessageFactsTest, ReadableTextIsVisibleHtmlOrPlainTextAttachmentsFlagged) {
  const MessageFacts& facts = facts_of(
      "From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/html\n\n<p>Hello <span style=\"display:none\">secret</span></p>\n"
      "--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=notes.txt\n\nnotes\n"
      "--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n"
      "--b--\n");
  const auto texts = facts.readable_texts();
  ASSERT_EQ(texts.size(), 2u);  // the PDF has no readable text
  EXPECT_NE(texts[0].html, nullptr);
  EXPECT_NE(texts[0].text.find("Hello"), std::string_view::npos);
  EXPECT_EQ(texts[0].text.find("secret"), std::string_view::npos);
  EXPECT_EQ(texts[0].hidden, "secret\n");
  EXPECT_FALSE(texts[0].attachment);
  EXPECT_EQ(texts[1].html, nullptr);
  EXPECT_EQ(texts[1].text, "notes");
  EXPECT_TRUE(texts[1].attachment);
}

TEST_F(MessageFactsTest, FollowableLinksComeFirstInReadingOrder) {
  const MessageFacts& facts = facts_of(
      "From: a@example.org\nContent-Type: text/html\n\n"
      "<img src=\"https://img.example/a.png\">"
      "<meta http-equiv=refresh content=\"0;url=https://refresh.example/\">"
      "<a href=\"https://click.example/x\">x</a>"
      "<a href=\"mailto:someone@example.org\">mail</a>"
      "<a href=\"javascript:void(0)\">js</a>"
      "<form action=\"https://form.example/post\"><input name=q></form>\n");
  std::vector<std::string> followable;
  for (const Url* url : facts.followable_links()) followable.emplace_back(url->host_ascii());
  EXPECT_EQ(followable, (std::vector<std::string>{"refresh.example", "click.example", "form.example"}));
  const auto ordered = facts.urls_in_reading_order();
  ASSERT_GE(ordered.size(), 4u);
  EXPECT_EQ(ordered[0]->host_ascii(), "refresh.example");
  EXPECT_EQ(ordered[3]->host_ascii(), "img.example");  // the image loads on its own: after the links
  EXPECT_EQ(ordered.size(), facts.message().urls().size());
}

// An invitation's links are followable: the event page and the video call a calendar application
// offers to open (calendar properties), the links of its description; not its image.
TEST_F(MessageFactsTest, AnInvitationsLinksAreFollowable) {
  const MessageFacts& facts = facts_of(
      "From: a@example.org\nContent-Type: text/calendar; method=REQUEST\n\n"
      "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nURL:https://event.example/e\n"
      "CONFERENCE;VALUE=URI:https://video.example/j/1\nATTACH:https://files.example/agenda.pdf\n"
      "IMAGE;VALUE=URI:https://img.example/logo.png\n"
      "DESCRIPTION:Agenda at https://text.example/a\nEND:VEVENT\nEND:VCALENDAR\n");
  std::vector<std::string> followable;
  for (const Url* url : facts.followable_links()) followable.emplace_back(url->host_ascii());
  std::sort(followable.begin(), followable.end());
  EXPECT_EQ(followable,
            (std::vector<std::string>{"event.example", "files.example", "text.example", "video.example"}));
}

}  // namespace
}  // namespace vigie::facts
