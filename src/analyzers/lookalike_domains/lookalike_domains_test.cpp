// lookalike_domains: each technique fires against the organisation's and brands' domains; the real
// domains, their subdomains, partners, free-mail providers and unrelated domains do not. The
// French-government fixture below holds the visual tricks and the ordinary-word domains of issue 12.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "vigie/engine.h"

namespace vigie {
namespace {

class LookalikeDomainsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Config config;
    config.organisation.protected_domains = {"exemple.gouv.fr", "ministere-exemple.fr"};
    config.organisation.partner_domains = {"partenaire-defense.fr"};
    engine_ = new Engine(config);
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  // The finding of this analyzer present for a sender address, or "" when none.
  static const Finding* scan_from(std::string_view address, ScanResult& r) {
    r = engine_->scan(std::make_shared<const std::string>("From: Someone <" + std::string(address) +
                                                          ">\nSubject: hello\n\nhello\n"),
                      Envelope{});
    return first(r);
  }
  static const Finding* scan_link(std::string_view url, ScanResult& r) {
    r = engine_->scan(std::make_shared<const std::string>(
                          "From: a@sender.test\nContent-Type: text/html\n\n<a href=\"" +
                          std::string(url) + "\">open</a>\n"),
                      Envelope{});
    return first(r);
  }
  static const Finding* first(const ScanResult& r) {
    for (const Finding& f : r.findings) {
      if (f.analyzer == "lookalike_domains") return &f;
    }
    return nullptr;
  }
  static Engine* engine_;
};
Engine* LookalikeDomainsTest::engine_ = nullptr;

struct Case {
  const char* input;
  const char* id;
  double min_confidence;
};

TEST_F(LookalikeDomainsTest, SenderTechniques) {
  const Case cases[] = {
      {"agent@exemple-gouv.fr", "LOOKALIKE_ORGANISATION_DOMAIN", 0.9},   // suffix as a word
      {"agent@exemple.fr", "LOOKALIKE_ORGANISATION_DOMAIN", 0.8},        // other suffix
      {"agent@exemp1e.gouv.fr", "LOOKALIKE_ORGANISATION_DOMAIN", 0.9},   // 1 for l
      {"agent@ministere-exernple.fr", "LOOKALIKE_ORGANISATION_DOMAIN", 0.9},  // rn for m
      {"agent@ministere-exmeple.fr", "LOOKALIKE_ORGANISATION_DOMAIN", 0.9},   // swap
      {"achats@partenaire-defence.fr", "LOOKALIKE_ORGANISATION_DOMAIN", 0.9}, // one letter
      {"service@paypa1.com", "LOOKALIKE_BRAND_DOMAIN", 0.85},
      {"security@rnicrosoft.com", "LOOKALIKE_BRAND_DOMAIN", 0.85},
      {"security@micorsoft.com", "LOOKALIKE_BRAND_DOMAIN", 0.8},
      {"support@paypal-secure-login.com", "LOOKALIKE_BRAND_DOMAIN", 0.85},
      {"support@paypalsecure.com", "LOOKALIKE_BRAND_DOMAIN", 0.75},
      {"service@paypa1-secure.com", "LOOKALIKE_BRAND_DOMAIN", 0.9},            // 1 for l, and a word
      {"agent@exemp1e-gouv.fr", "LOOKALIKE_ORGANISATION_DOMAIN", 0.9},         // the same, ours
      {"alert@coinbase-wallet-support.net", "LOOKALIKE_BRAND_DOMAIN", 0.85},
      {"agent@p\xD0\xB0ypal.com", "LOOKALIKE_BRAND_DOMAIN", 0.95},  // Cyrillic а
  };
  for (const Case& c : cases) {
    ScanResult r;
    const Finding* f = scan_from(c.input, r);
    ASSERT_NE(f, nullptr) << c.input;
    EXPECT_EQ(f->id, c.id) << c.input;
    EXPECT_GE(f->confidence, c.min_confidence) << c.input << ": " << f->evidence.front().value;
  }
}

TEST_F(LookalikeDomainsTest, LinkTechniques) {
  const Case cases[] = {
      {"https://exemple.gouv.fr.secure-login.net/auth", "LOOKALIKE_ORGANISATION_DOMAIN", 0.95},
      {"https://paypal.com.account-check.example/x", "LOOKALIKE_BRAND_DOMAIN", 0.9},
      {"https://docs.google.com.spreadsheets.d.1abc.actor.example/", "LOOKALIKE_BRAND_DOMAIN", 0.9},
      {"https://microsoft-verify.sharepoint.com/x", "LOOKALIKE_BRAND_DOMAIN", 0.75},
      {"https://xn--pypal-4ve.com/", "LOOKALIKE_BRAND_DOMAIN", 0.95},
      {"https://shop.ex\xD0\xB0mple-store.com/", "CONFUSABLE_DOMAIN", 0.8},
  };
  for (const Case& c : cases) {
    ScanResult r;
    const Finding* f = scan_link(c.input, r);
    ASSERT_NE(f, nullptr) << c.input;
    EXPECT_EQ(f->id, c.id) << c.input;
    EXPECT_GE(f->confidence, c.min_confidence) << c.input << ": " << f->evidence.front().value;
  }
}

TEST_F(LookalikeDomainsTest, DomainWrittenInDisplayName) {
  const ScanResult r = engine_->scan(
      std::make_shared<const std::string>(
          "From: \"service@paypa1.com\" <x@mailer.example>\nSubject: hi\n\nhello\n"),
      Envelope{});
  const Finding* f = first(r);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.front().field, "display name:From");
}

TEST_F(LookalikeDomainsTest, RealDomainsAndNeighboursAreClean) {
  for (const char* address :
       {"agent@exemple.gouv.fr", "agent@mail.exemple.gouv.fr", "x@ministere-exemple.fr",
        "achats@partenaire-defense.fr", "someone@gmail.com", "someone@outlook.com",
        "noreply@accountprotection.microsoft.com", "service@paypal.fr", "x@wikipedia.org",
        "x@lemonde.fr", "x@slashdot.org", "x@sourceforge.net", "x@apple-history.example",
        "x@orange-county.example", "x@cnet.com", "x@finance.example"}) {
    ScanResult r;
    const Finding* f = scan_from(address, r);
    EXPECT_EQ(f, nullptr) << address << ": " << (f ? f->evidence.front().value : "");
  }
  for (const char* url :
       {"https://login.microsoftonline.com/", "https://www.office.com/", "https://docs.google.com/d/x",
        "https://www.paypalobjects.com/logo.png", "https://exemple.gouv.fr/", "https://github.com/x",
        "https://x.blogspot.com/", "http://www.apple.com/", "https://www.notif-colissimo-laposte.info/",
        // Brands' auxiliary domains (issue 12): assets, sign-in and user content of the brand itself.
        "https://github.githubassets.com/assets/app.js", "https://avatars.githubusercontent.com/u/1",
        "https://aadcdn.msauthimages.net/logo.png", "https://login.microsoftonline-p.com/",
        "https://www.gstatic.com/x.png", "https://r1.gvt1.com/x", "https://cvws.icloud-content.com/B/x",
        "https://gateway.icloud.apple-cloudkit.com/x"}) {
    ScanResult r;
    const Finding* f = scan_link(url, r);
    EXPECT_EQ(f, nullptr) << url << ": " << (f ? f->evidence.front().value : "");
  }
}

// Protected names that are ordinary words (interieur, defense, diplomatie, elysee, numerique), a
// distinctive one (institut-strategie) and a short acronym (ssi).
class GovernmentLookalikeTest : public LookalikeDomainsTest {
 protected:
  static void SetUpTestSuite() {
    Config config;
    config.organisation.protected_domains = {"interieur.gouv.fr", "defense.gouv.fr", "diplomatie.gouv.fr",
                                             "elysee.fr", "numerique.gouv.fr", "ssi.gouv.fr",
                                             "institut-strategie.example"};
    engine_ = new Engine(config);
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
};

TEST_F(GovernmentLookalikeTest, VisualTricksAreOrganisationLookalikes) {
  const char* hosts[] = {
      "inte\xC5\x95ieu\xCA\x80.gouv.fr",                 // ŕ, small capital ʀ
      "d\xC3\xAA\xC6\x92\xC3\xAAns\xC3\xAA.gouv.fr",      // ê, ƒ
      "\xE1\xB8\x8Dipl\xE1\xB4\x8Fmatie.gouv.fr",           // ḍ, small capital ᴏ
      "\xC4\x9Bl\xE1\xBA\x8Fs\xC4\x9B" "e.fr",              // ě, ẏ
      "\xD1\x95\xD1\x95\xD1\x96.gouv.fr",                  // Cyrillic ѕѕі
      "interi.eur.gouv.fr",                             // a dot added
      "inter.ieur.gouv.fr",
      "institut-strat\xC3\xA9gie.example",               // é
      "int\xC3\xA9rieur-gouv.fr",                        // é and a hyphen for a dot
      "interleur-gouv.fr",                              // l for i and a hyphen for a dot
      "\xD1\x96nterieur-gouv.fr",                        // Cyrillic і and a hyphen for a dot
      "d\xC3\xA9" "fence.gouv.fr",                       // é and one letter changed
      "i\xEA\x9E\x91terie\xCA\x89r.gouv.fr",               // ꞑ (n with descender), ʉ (u bar)
      "\xD4\x81\xD1\x96\xD1\x80\xD3\x8F\xD0\xBE\xD0\xBC\xD0\xB0\xD1\x82\xD1\x96\xD0\xB5.gouv.fr",  // Cyrillic
  };
  for (const char* host : hosts) {
    for (bool link : {false, true}) {
      ScanResult r;
      const Finding* f = link ? scan_link("https://" + std::string(host) + "/connexion", r)
                              : scan_from("agent@" + std::string(host), r);
      ASSERT_NE(f, nullptr) << host;
      EXPECT_EQ(f->id, "LOOKALIKE_ORGANISATION_DOMAIN") << host << ": " << f->evidence.front().value;
      EXPECT_GE(f->confidence, 0.85) << host << ": " << f->evidence.front().value;
    }
  }
}

TEST_F(GovernmentLookalikeTest, EvidenceShowsUnicodeBesidePunycodeAndNamesTheTrick) {
  ScanResult r;
  const Finding* f = scan_from("agent@inte\xC5\x95ieu\xCA\x80.gouv.fr", r);
  ASSERT_NE(f, nullptr);
  const std::string& what = f->evidence.front().value;
  EXPECT_NE(what.find("inte\xC5\x95ieu\xCA\x80.gouv.fr (xn--"), std::string::npos) << what;
  EXPECT_NE(what.find("imitates interieur.gouv.fr"), std::string::npos) << what;
  EXPECT_NE(what.find("\xC5\x95 (U+0155) imitates r, \xCA\x80 (U+0280) imitates r"), std::string::npos) << what;
}

TEST_F(GovernmentLookalikeTest, EvidenceIsWrittenInFrenchToo) {
  ScanResult r;
  const Finding* f = scan_from("agent@inte\xC5\x95ieu\xCA\x80.gouv.fr", r);
  ASSERT_NE(f, nullptr);
  const std::string& what = f->evidence.front().value_fr;
  EXPECT_NE(what.find("inte\xC5\x95ieu\xCA\x80.gouv.fr (xn--"), std::string::npos) << what;
  EXPECT_NE(what.find("imite interieur.gouv.fr (organisation) : "), std::string::npos) << what;
  EXPECT_NE(what.find("\xC5\x95 (U+0155) imite r, \xCA\x80 (U+0280) imite r"), std::string::npos) << what;
  EXPECT_EQ(what.find("imitates"), std::string::npos) << what;

  const Finding* moved = scan_from("agent@interieur-gouv.fr", r);
  ASSERT_NE(moved, nullptr);
  EXPECT_NE(moved->evidence.front().value_fr.find("son domaine avec un point ou un tiret déplacé"), std::string::npos)
      << moved->evidence.front().value_fr;
}

TEST_F(GovernmentLookalikeTest, DomainsAddingWordsToAnOrdinaryWordAreNotLookalikes) {
  for (const char* host :
       {"deco-interieur.fr", "architecte-interieur.com", "interieur-design.fr", "mon-interieur-cosy.fr",
        "decointerieur.fr", "avocat-defense.fr", "defense-consommateurs.org", "self-defense-paris.fr",
        "ecole-diplomatie.org", "diplomatie-economique.fr", "hotel-elysee-paris.fr", "elysee-coiffure.fr",
        "theatre-elysee.com", "champs-elysees-immobilier.fr", "observatoire-numerique.fr",
        "numerique-territoires.fr", "agence-numerique.fr", "espace-numerique.fr", "interieur.maison-deco.fr",
        "numerique.campus-example.fr", "mail.numerique.campus-example.fr", "interieur-services.fr",
        "ssi-conseil.fr", "support-poste.dsi.example.fr"}) {
    for (bool link : {false, true}) {
      ScanResult r;
      const Finding* f = link ? scan_link("https://" + std::string(host) + "/", r)
                              : scan_from("contact@" + std::string(host), r);
      EXPECT_EQ(f, nullptr) << host << ": " << (f ? f->evidence.front().value : "");
    }
  }
}

TEST_F(GovernmentLookalikeTest, OrdinaryWordsNextToOfficialOrSignInWordsAreStillLookalikes) {
  for (const char* host :
       {"interieur-gouv.fr", "interieur-gouv-fr.com", "secure-interieur.gouv.fr.evil.example",
        "interieurgouv.fr", "defense-gouv.fr", "login-defense.fr", "diplomatie-gouv.fr.example.net",
        "elysee-fr.com", "webmail-elysee.fr", "numerique.gouv-portail.com", "ssi-gouv.fr",
        "institut-strategie-login.com", "payment-elysee.fr", "elysee-update.fr", "access-interieur.fr"}) {
    ScanResult r;
    const Finding* f = scan_link("https://" + std::string(host) + "/", r);
    ASSERT_NE(f, nullptr) << host;
    EXPECT_EQ(f->id, "LOOKALIKE_ORGANISATION_DOMAIN") << host;
    EXPECT_GE(f->confidence, 0.65) << host << ": " << f->evidence.front().value;
  }
}

}  // namespace
}  // namespace vigie

namespace vigie::analyzers {
namespace {

// Many hidden image hosts before the real link must not use up the hosts checked: links are
// examined in the order a reader follows them, resources after.
TEST(LookalikeReadingOrderTest, HiddenImageHostsBeforeTheLinkDoNotHideIt) {
  Config config;
  config.organisation.protected_domains = {"exemple.gouv.fr"};
  config.limits.max_hosts_checked = 64;
  const AnalyzerHarness harness("lookalike_domains", config);
  std::string html = "<div style=\"display:none\">";
  for (int i = 0; i < 64; ++i) html += "<img src=\"https://img" + std::to_string(i) + ".tracker.example/p.gif\">";
  html += "</div><a href=\"https://exemple-gouv.fr/connexion\">Votre espace</a>";
  const auto run = harness.run("From: a@sender.test\nContent-Type: text/html\n\n" + html + "\n");
  const Finding* found = AnalyzerHarness::find(run.findings, "LOOKALIKE_ORGANISATION_DOMAIN");
  ASSERT_NE(found, nullptr);
  EXPECT_NE(found->evidence.at(0).value.find("exemple-gouv.fr"), std::string::npos);
  // The limit was reached (the sender and the link used two of the 64): it says what was left out.
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_hosts_checked");
  EXPECT_EQ(run.limits_reached[0].stage, "lookalike_domains");
  EXPECT_EQ(run.limits_reached[0].not_examined, "2 hosts not checked for look-alikes");
}

}  // namespace
}  // namespace vigie::analyzers
