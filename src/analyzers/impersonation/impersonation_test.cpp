// impersonation: each technique fires on a message written for it; the everyday look-alikes of
// those techniques in legitimate mail (a colleague's personal mailbox, a partner, mailing lists,
// newsletters answering from their own mailing subdomain) do not.
#include <gtest/gtest.h>

#include <algorithm>

#include "analyzers/analyzer_harness.h"

namespace vigie {
namespace {

Config organisation_config() {
  Config config;
  OrganisationConfig& o = config.organisation;
  o.name = "Préfecture de l'Exemple";
  o.aliases = {"PREFEX"};
  o.protected_domains = {"prefecture-exemple.gouv.fr"};
  o.partner_domains = {"interieur.gouv.fr"};
  ProtectedPerson person;
  person.name = "Jeanne Dupont";
  person.aliases = {"J. Dupont"};
  person.addresses = {"jeanne.dupont@prefecture-exemple.gouv.fr"};
  person.personal_addresses = {"jeanne.dupont@laposte.net"};
  person.role = "directrice générale";
  o.people.push_back(person);
  return config;
}

struct Scan {
  std::vector<Finding> findings;
  bool has(std::string_view id) const {
    return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; });
  }
  const Finding* get(std::string_view id) const {
    for (const Finding& f : findings) {
      if (f.id == id) return &f;
    }
    return nullptr;
  }
  bool empty() const { return findings.empty(); }
};

Scan scan(const Config& config, std::string headers, Envelope envelope = {}) {
  const analyzers::AnalyzerHarness harness("impersonation", config);
  return Scan{harness.analyze(headers + "Subject: s\n\nbody\n", {}, envelope)};
}

const Config& org() {
  static const Config config = organisation_config();
  return config;
}

TEST(ImpersonationTest, ProtectedPersonFromFreeMailbox) {
  const Scan s = scan(org(), "From: Jeanne Dupont <jeanne.dupont.dg@gmail.com>\nTo: a@prefecture-exemple.gouv.fr\n");
  const Finding* f = s.get("IMPERSONATION_PERSON_FREE_MAILBOX");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->score, 8.0);
  EXPECT_NE(f->evidence[1].value.find("Jeanne Dupont (directrice générale)"), std::string::npos);
  EXPECT_NE(f->evidence[2].value.find("gmail.com"), std::string::npos);
}

TEST(ImpersonationTest, EvidenceIsWrittenInFrenchToo) {
  const Scan free = scan(org(), "From: Jeanne Dupont <jeanne.dupont.dg@gmail.com>\n");
  const Finding* f = free.get("IMPERSONATION_PERSON_FREE_MAILBOX");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence[1].value_fr, "Jeanne Dupont (directrice générale) : même nom");
  EXPECT_EQ(f->evidence[2].value_fr, "messagerie gratuite (gmail.com)");
  // The From header's value is data: no French rendering.
  EXPECT_TRUE(f->evidence[0].value_fr.empty());

  const Scan external = scan(org(), "From: \"J. Dupont\" <jd@consulting-example.com>\n");
  const Finding* g = external.get("IMPERSONATION_PERSON_EXTERNAL");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->evidence[1].value_fr, "Jeanne Dupont (directrice générale) : même nom");  // an alias
  EXPECT_EQ(g->evidence[2].value_fr, "hors des domaines protégés (consulting-example.com)");

  const Scan reply = scan(org(), "From: Direction <dg@prefecture-exemple.gouv.fr>\nReply-To: dg.prefecture@proton.me\n");
  const Finding* h = reply.get("REPLY_TO_DIVERGES_FROM_PROTECTED");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->evidence[1].value_fr.find("<dg.prefecture@proton.me> — "), 0u) << h->evidence[1].value_fr;
}

TEST(ImpersonationTest, PersonVariantsStillMatch) {
  EXPECT_TRUE(scan(org(), "From: \"DUPONT Jeanne\" <x@outlook.fr>\n").has("IMPERSONATION_PERSON_FREE_MAILBOX"));
  EXPECT_TRUE(scan(org(), "From: \"J. Dupont\" <x@yahoo.fr>\n").has("IMPERSONATION_PERSON_FREE_MAILBOX"));
  EXPECT_TRUE(scan(org(), "From: =?utf-8?B?SsOpYW5uZSBEdXBvbnQ=?= <x@proton.me>\n")
                  .has("IMPERSONATION_PERSON_FREE_MAILBOX"));  // "Jéanne Dupont"
  // "Jеanne" with a Cyrillic е.
  EXPECT_TRUE(scan(org(), "From: =?utf-8?B?StC1YW5uZSBEdXBvbnQ=?= <x@gmail.com>\n").has("IMPERSONATION_PERSON_FREE_MAILBOX"));
}

TEST(ImpersonationTest, ProtectedPersonFromOtherCompany) {
  const Scan s = scan(org(), "From: Jeanne Dupont <jdupont@consulting-example.com>\n");
  ASSERT_TRUE(s.has("IMPERSONATION_PERSON_EXTERNAL"));
  EXPECT_FALSE(s.has("IMPERSONATION_PERSON_FREE_MAILBOX"));
}

TEST(ImpersonationTest, ColleagueFromConfiguredPersonalMailboxIsNotImpersonation) {
  EXPECT_TRUE(scan(org(), "From: Jeanne Dupont <Jeanne.Dupont@laposte.net>\n").empty());
  EXPECT_TRUE(scan(org(), "From: Jeanne Dupont <jeanne.dupont@prefecture-exemple.gouv.fr>\n").empty());
  EXPECT_TRUE(scan(org(), "From: Jean Dupuis <jean.dupuis@gmail.com>\n").empty());
}

TEST(ImpersonationTest, OrganisationNameOutsideItsDomains) {
  const Scan free = scan(org(), "From: \"Prefecture de l'Exemple - RH\" <rh.prefecture@gmail.com>\n");
  ASSERT_TRUE(free.has("IMPERSONATION_ORGANISATION_NAME"));
  EXPECT_EQ(free.get("IMPERSONATION_ORGANISATION_NAME")->score, 5.0);
  const Scan alias = scan(org(), "From: \"PREFEX Support\" <support@prefex-portal.example>\n");
  ASSERT_TRUE(alias.has("IMPERSONATION_ORGANISATION_NAME"));
  EXPECT_DOUBLE_EQ(alias.get("IMPERSONATION_ORGANISATION_NAME")->score, 3.0);
  // The partner ministry naming us in a signature-like display name is not impersonation.
  EXPECT_FALSE(scan(org(), "From: \"Liaison Préfecture de l'Exemple\" <liaison@interieur.gouv.fr>\n")
                   .has("IMPERSONATION_ORGANISATION_NAME"));
}

TEST(ImpersonationTest, RoleNameOnFreeMailboxNeedsNoProfile) {
  EXPECT_TRUE(scan(Config{}, "From: IT Helpdesk <it.helpdesk.desk@gmail.com>\n").has("ROLE_NAME_FREE_MAILBOX"));
  EXPECT_TRUE(scan(Config{}, "From: =?utf-8?Q?Service_Comptabilit=C3=A9?= <compta@laposte.net>\n")
                  .has("ROLE_NAME_FREE_MAILBOX"));
  EXPECT_TRUE(scan(Config{}, "From: Administrateur <adm1n@mail.ru>\n").has("ROLE_NAME_FREE_MAILBOX"));
  EXPECT_TRUE(scan(Config{}, "From: Marie Martin <marie.martin@gmail.com>\n").empty());
  EXPECT_TRUE(scan(Config{}, "From: IT Helpdesk <helpdesk@example-university.edu>\n").empty());
}

// A protected person's role is a role phrase too: "Directrice générale" from a free mailbox signs
// as her without her name. So are the executive titles of a "fraude au président".
TEST(ImpersonationTest, AProtectedPersonsRoleOnAFreeMailboxIsARoleName) {
  Config with_role = org();
  with_role.organisation.people[0].role = "responsable des achats publics";
  EXPECT_TRUE(scan(with_role, "From: Responsable des achats publics <achats.publics@gmail.com>\n").has("ROLE_NAME_FREE_MAILBOX"));
  EXPECT_TRUE(scan(Config{}, "From: =?utf-8?Q?Directrice_de_cabinet?= <dircab.2026@gmail.com>\n").has("ROLE_NAME_FREE_MAILBOX"));
  EXPECT_FALSE(scan(Config{}, "From: Responsable des achats publics <achats.publics@gmail.com>\n").has("ROLE_NAME_FREE_MAILBOX"));
}

TEST(ImpersonationTest, AddressInDisplayNameOfAnotherDomain) {
  const Scan s = scan(Config{}, "From: \"support@paypal.com\" <x@evil.example.ru>\n");
  const Finding* f = s.get("DISPLAY_NAME_FOREIGN_ADDRESS");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence[1].value, "support@paypal.com");
  EXPECT_TRUE(scan(Config{}, "From: \"john@example.com\" <john@example.com>\n").empty());
  EXPECT_TRUE(scan(Config{}, "From: \"john@mail.example.com\" <john@example.com>\n").empty());
  EXPECT_TRUE(scan(Config{}, "From: \"Amazon.com\" <store-news@amazon.com>\n").empty());
}

TEST(ImpersonationTest, ProtectedDomainInDisplayName) {
  const Scan s = scan(org(), "From: \"dg@prefecture-exemple.gouv.fr\" <x@mailer.example>\n");
  EXPECT_TRUE(s.has("DISPLAY_NAME_PROTECTED_DOMAIN"));
  EXPECT_FALSE(s.has("DISPLAY_NAME_FOREIGN_ADDRESS"));
  EXPECT_TRUE(scan(org(), "From: \"prefecture-exemple.gouv.fr\" <x@mailer.example>\n")
                  .has("DISPLAY_NAME_PROTECTED_DOMAIN"));
}

TEST(ImpersonationTest, ReplyToFreeMailboxBehindCorporateSender) {
  const Scan s = scan(Config{}, "From: Billing <billing@acme-supplies.example.com>\nReply-To: acme.billing@gmail.com\n");
  const Finding* f = s.get("REPLY_TO_FREE_MAILBOX");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->score, 5.0);
}

TEST(ImpersonationTest, ReplyToAnotherFreeAccount) {
  const Scan s = scan(Config{}, "From: \"Mr. John Smith\" <js.office1@gmail.com>\nReply-To: js.private.fund@gmail.com\n");
  const Finding* f = s.get("REPLY_TO_FREE_MAILBOX");
  ASSERT_NE(f, nullptr);
  EXPECT_DOUBLE_EQ(f->score, 3.0);
  EXPECT_TRUE(scan(Config{}, "From: Bob <Bob.Smith@yahoo.com>\nReply-To: bob.smith@yahoo.com\n").empty());
}

TEST(ImpersonationTest, ReplyToLeavingProtectedDomain) {
  const Scan s = scan(org(), "From: Direction <dg@prefecture-exemple.gouv.fr>\nReply-To: dg.prefecture@proton.me\n");
  EXPECT_TRUE(s.has("REPLY_TO_DIVERGES_FROM_PROTECTED"));
  EXPECT_FALSE(s.has("REPLY_TO_FREE_MAILBOX"));
}

TEST(ImpersonationTest, ReplyToAnUnrelatedCompanyIsWeak) {
  const Scan s = scan(Config{}, "From: no-reply@microsoft.com\nReply-To: media-protection@usual-assist.example\n");
  const Finding* f = s.get("REPLY_TO_OTHER_DOMAIN");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->score, 2.0);
  // A reply to someone the message is also addressed to is a conversation, not a diversion.
  EXPECT_TRUE(scan(Config{}, "From: a@one.example\nTo: b@two.example\nReply-To: b@two.example\n").empty());
}

TEST(ImpersonationTest, ReplyToOurOwnDomainIsNoDiversion) {
  // A service's notification answered to the colleague who shared (issue 12: SharePoint): the
  // reply stays in the organisation.
  EXPECT_FALSE(scan(org(), "From: no-reply@sharepointonline.com\nReply-To: jean.dupont@prefecture-exemple.gouv.fr\n")
                   .has("REPLY_TO_OTHER_DOMAIN"));
}

TEST(ImpersonationTest, NewsletterReplyingFromItsOwnSubdomainIsBenign) {
  EXPECT_TRUE(scan(Config{}, "From: News <news@example.com>\nReply-To: reply@email.example.com\n"
                             "List-Unsubscribe: <mailto:u@email.example.com>\n").empty());
  EXPECT_TRUE(scan(Config{}, "From: News <news@example.com>\nReply-To: replies@example.com\n").empty());
}

TEST(ImpersonationTest, MailingListSenderAndReplyToAreBenign) {
  const Scan s = scan(Config{},
                      "From: Alice <alice@example.org>\nSender: owner-dev@lists.example.net\n"
                      "Reply-To: dev@lists.example.net\nTo: dev@lists.example.net\n"
                      "List-Id: <dev.lists.example.net>\n");
  EXPECT_TRUE(s.empty());
  // Same without List-Id: Sender is the list's owner address, Reply-To is the list in To.
  EXPECT_TRUE(scan(Config{}, "From: Alice <alice@example.org>\nSender: dev-admin@lists.example.net\n"
                             "Reply-To: dev@lists.example.net\nTo: dev@lists.example.net\n")
                  .empty());
}

TEST(ImpersonationTest, SenderOnBehalfOfProtectedDomain) {
  const Scan s = scan(org(), "From: dg@prefecture-exemple.gouv.fr\nSender: relay@bulk-mailer.example\n");
  const Finding* f = s.get("FROM_SENDER_MISMATCH");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->score, 4.0);
  const Scan elsewhere = scan(Config{}, "From: bob@example.org\nSender: calendar@calendar-service.example\n");
  ASSERT_TRUE(elsewhere.has("FROM_SENDER_MISMATCH"));
  EXPECT_LE(elsewhere.get("FROM_SENDER_MISMATCH")->score, 2.0);
  EXPECT_TRUE(scan(Config{}, "From: words@example.org\nSender: words@listserv.example.net\n").empty());
}

TEST(ImpersonationTest, BounceAddressDivergence) {
  EXPECT_TRUE(scan(Config{}, "Return-Path: <someone123@gmail.com>\nFrom: Service <service@bank-example.com>\n")
                  .has("RETURN_PATH_DIVERGES"));
  Envelope envelope;
  envelope.mail_from = "bounce@mailer.example";
  EXPECT_TRUE(scan(org(), "From: dg@prefecture-exemple.gouv.fr\n", envelope).has("RETURN_PATH_DIVERGES"));
  // An ESP bouncing for an ordinary company, or our own mail bouncing to a partner, are normal.
  EXPECT_TRUE(scan(Config{}, "Return-Path: <b-123@esp-example.net>\nFrom: news@shop-example.com\n").empty());
  // A forwarder's rewritten bounce address names the forwarder, not the sender.
  EXPECT_TRUE(scan(Config{}, "Return-Path: <me+caf_=me=example.org@gmail.com>\nFrom: service@bank-example.com\n")
                  .empty());
  EXPECT_TRUE(scan(Config{}, "Return-Path: <SRS0=abcd=XY=bank-example.com=service@gmail.com>\n"
                             "From: service@bank-example.com\n").empty());
  envelope.mail_from = "bounces@interieur.gouv.fr";
  EXPECT_FALSE(scan(org(), "From: dg@prefecture-exemple.gouv.fr\n", envelope).has("RETURN_PATH_DIVERGES"));
}

TEST(ImpersonationTest, OurOwnPostsComingBackFromAListAreBenign) {
  EXPECT_TRUE(scan(org(), "Return-Path: <dev-admin@lists.example.net>\nFrom: dg@prefecture-exemple.gouv.fr\n"
                          "To: dev@lists.example.net\nList-Id: <dev.lists.example.net>\n").empty());
  EXPECT_TRUE(scan(org(), "Return-Path: <bounces+123@esp.example>\nFrom: news@prefecture-exemple.gouv.fr\n"
                          "List-Unsubscribe: <https://esp.example/u>\n").empty());
}

TEST(ImpersonationTest, ColleagueUsingTheirConfiguredPersonalMailboxIsBenign) {
  EXPECT_TRUE(scan(org(), "From: jeanne.dupont@prefecture-exemple.gouv.fr\nSender: jeanne.dupont@laposte.net\n"
                          "Reply-To: jeanne.dupont@laposte.net\nReturn-Path: <jeanne.dupont@laposte.net>\n")
                  .empty());
}

TEST(ImpersonationTest, ProfileChecksAreSilentWithoutProfile) {
  EXPECT_TRUE(scan(Config{}, "From: Jeanne Dupont <jeanne.dupont.dg@gmail.com>\n").empty());
}

TEST(ImpersonationTest, FromAddressWithForgedSyntax) {
  for (const char* from : {
           "From: x@<noreply@bank.example>\n",
           "From: Service client <user@'host.example>\n",
           "From: no-reply@%Domain.example\n",
           "From: \"Banque\" <a@b%c.example>\n",
       }) {
    const Scan s = scan(Config{}, from);
    const Finding* f = s.get("FROM_ADDRESS_FORGED_SYNTAX");
    ASSERT_NE(f, nullptr) << from;
    EXPECT_EQ(f->score, 3.0) << from;
    EXPECT_EQ(f->evidence[0].field, "header:From") << from;
  }
}

TEST(ImpersonationTest, OrdinaryAddressSyntaxIsNotForged) {
  for (const char* from : {
           "From: Jean Martin <jean.martin@example.fr>\n",
           "From: \"Martin, Jean\" <jean.o'brien+news@mail_relay.example.com>\n",
           "From: jean@[192.0.2.1]\n",
           "From: =?UTF-8?Q?Fran=C3=A7ois?= <francois@exemple.fr>\n",
           "From: user@bücher.example\n",
           "From: \"jean@example.fr\" <jean@example.fr>\n",
           "From: jean@example.fr (Jean Martin)\n",
       }) {
    EXPECT_FALSE(scan(Config{}, from).has("FROM_ADDRESS_FORGED_SYNTAX")) << from;
  }
}

}  // namespace
}  // namespace vigie
