// links: each technique fires on a message written for it, and the look-alike benign cases
// (newsletter click trackers, the same site, a partner's domain, mailto: links, the provider's own
// home page, the sender's own file-sharing service) stay silent.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "analyzers/analyzer_harness.h"
#include "vigie/engine.h"

namespace vigie {
namespace {

struct Seen {
  double confidence = 0;
  double score = 0;
  std::string evidence;
  std::string evidence_fr;  // the same lines as --lang fr shows them
};

std::map<std::string, Seen> seen_findings(const analyzers::AnalyzerHarness& harness, std::string_view message) {
  std::map<std::string, Seen> out;
  for (const Finding& f : harness.analyze(std::string(message))) {
    Seen s{f.confidence, f.score, {}, {}};
    for (const Evidence& e : f.evidence) {
      s.evidence += e.field + " " + e.value + "\n";
      s.evidence_fr += e.field + " " + e.value_in_french() + "\n";
    }
    out[f.id] = s;
  }
  return out;
}

std::map<std::string, Seen> scan_with(const Config& config, std::string_view message) {
  return seen_findings(analyzers::AnalyzerHarness("links", config), message);
}

std::map<std::string, Seen> scan(std::string_view message) {
  static const analyzers::AnalyzerHarness harness("links");
  return seen_findings(harness, message);
}

std::string html_mail(std::string_view body, std::string_view from = "news@sender.example") {
  return "From: " + std::string(from) +
         "\nTo: a@org.example\nSubject: x\nContent-Type: text/html; charset=utf-8\n\n<html><body>" +
         std::string(body) + "</body></html>\n";
}

std::string text_mail(std::string_view body, std::string_view from = "someone@sender.example") {
  return "From: " + std::string(from) + "\nTo: a@org.example\nSubject: x\n\n" + std::string(body) + "\n";
}

TEST(LinksTest, LinkTextShowsAnotherDomain) {
  const auto f = scan(html_mail(
      "<a href=\"http://secure-login.evil-verify.com/paypal\">https://www.paypal.com/signin</a>"));
  ASSERT_TRUE(f.contains("LINK_TEXT_DOMAIN_MISMATCH"));
  EXPECT_NE(f.at("LINK_TEXT_DOMAIN_MISMATCH").evidence.find("text shows www.paypal.com"), std::string::npos);
  // Alone, a mismatch is weak (newsletter trackers do it too)...
  EXPECT_LT(f.at("LINK_TEXT_DOMAIN_MISMATCH").score, 2.0);
  // ...but strong when the link goes to a host of a kind lures use.
  const auto g = scan(html_mail("<a href=\"https://paypal-resolution.web.app/signin\">https://www.paypal.com/signin</a>"));
  ASSERT_TRUE(g.contains("LINK_TEXT_DOMAIN_MISMATCH"));
  EXPECT_GE(g.at("LINK_TEXT_DOMAIN_MISMATCH").score, 3.0);
  EXPECT_TRUE(g.contains("LINK_FREE_HOSTING"));
}

TEST(LinksTest, SameSiteAndRegionalSiteAreNotMismatches) {
  EXPECT_TRUE(scan(html_mail("<a href=\"https://example.com/page\">www.example.com</a>"
                             "<a href=\"https://shop.example.com/\">example.com</a>"
                             "<a href=\"https://www.amazon.co.uk/\">www.amazon.com</a>"
                             "<a href=\"https://example.com/\">Click here</a>"))
                  .empty());
}

TEST(LinksTest, NewsletterClickTrackerIsWeakAtMost) {
  // The sender's mailing provider tracks clicks: text shows the shop, link goes to the tracker.
  const auto f = scan(html_mail(
      "<a href=\"https://shop.us5.list-manage.com/track/click?u=abc&id=123&e=456\">www.shop.com</a>"
      "<a href=\"https://click.shop.com/?qs=abcdef\">www.brand-partner.com</a>",
      "news@shop.com"));
  ASSERT_TRUE(f.contains("LINK_TEXT_DOMAIN_MISMATCH"));
  EXPECT_LT(f.at("LINK_TEXT_DOMAIN_MISMATCH").score, 1.0);
  EXPECT_FALSE(f.contains("LINK_REDIRECT"));
}

TEST(LinksTest, TrackerRedirectToTheNamedSiteIsNotAMismatch) {
  const auto f = scan(html_mail(
      "<a href=\"http://click.linksynergy.com/fs-bin/click?id=1&offerid=2&RD_PARM1=http%3A%2F%2Fwww.store.com%2Fitem\">"
      "www.store.com</a>"));
  EXPECT_TRUE(f.empty());
}

TEST(LinksTest, PartnerDomainIsNotReported) {
  Config config;
  config.organisation.protected_domains = {"ministere.example.fr"};
  config.organisation.partner_domains = {"partner.fr"};
  const auto f = scan_with(config, html_mail(
      "<a href=\"https://extranet.partner.fr/login\">https://www.partner.fr/</a>"
      "<a href=\"https://files.partner.fr:8443/x\">files</a>"));
  EXPECT_TRUE(f.empty());
  // Our own domain shown over someone else's link: always full confidence.
  const auto g = scan_with(config, html_mail(
      "<a href=\"https://ministere-example.click.com/\">https://intranet.ministere.example.fr</a>"));
  ASSERT_TRUE(g.contains("LINK_TEXT_DOMAIN_MISMATCH"));
  EXPECT_DOUBLE_EQ(g.at("LINK_TEXT_DOMAIN_MISMATCH").confidence, 1.0);
}

TEST(LinksTest, MailtoLinksAreNotReported) {
  EXPECT_TRUE(scan(html_mail("<a href=\"mailto:contact@example.com\">contact@example.com</a>"
                             "<a href=\"mailto:press@example.org?subject=hi\">www.example.org</a>"))
                  .empty());
}

TEST(LinksTest, TunnelWebhookMockIpfsDynamicDns) {
  const auto f = scan(html_mail(
      "<a href=\"https://3f2a-81-2-69-142.ngrok-free.app/owa/\">OWA</a>"
      "<a href=\"https://webhook.site/0b8a3c6e-5f2e-4c8e-9d0e-1f2a3b4c5d6e\">photo</a>"
      "<a href=\"https://run.mocky.io/v3/9f1e2d3c-aaaa-bbbb-cccc-123456789abc\">doc</a>"
      "<a href=\"https://ipfs.io/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG\">invoice</a>"
      "<a href=\"http://mail-gov.duckdns.org/\">mail</a>"));
  EXPECT_TRUE(f.contains("LINK_TUNNEL_SERVICE"));
  EXPECT_TRUE(f.contains("LINK_WEBHOOK_SERVICE"));
  EXPECT_NE(f.at("LINK_WEBHOOK_SERVICE").evidence.find("mock_api"), std::string::npos);
  EXPECT_TRUE(f.contains("LINK_IPFS"));
  EXPECT_TRUE(f.contains("LINK_DYNAMIC_DNS"));
  EXPECT_NE(f.at("LINK_TUNNEL_SERVICE").evidence.find("source: https://ngrok.com/"), std::string::npos);
}

TEST(LinksTest, ProviderHomePageIsNotAUse) {
  EXPECT_TRUE(scan(html_mail("<a href=\"https://www.duckdns.org/\">DuckDNS</a>"
                             "<a href=\"https://bitly.com/\">Bitly</a>"
                             "<a href=\"https://www.weebly.com/features\">Weebly</a>"))
                  .empty());
}

TEST(LinksTest, FreeHostingFormBuilderFileSharingShortener) {
  const auto f = scan(text_mail(
      "Log in: https://secure-owa-update.web.app/index.html\n"
      "Survey: https://forms.gle/AbCdEf123\n"
      "Files: https://we.tl/t-AbCdEf\n"
      "Short: https://bit.ly/3xYzAbc\n"));
  EXPECT_TRUE(f.contains("LINK_FREE_HOSTING"));
  EXPECT_TRUE(f.contains("LINK_FORM_BUILDER"));
  EXPECT_TRUE(f.contains("LINK_FILE_SHARING"));
  EXPECT_TRUE(f.contains("LINK_SHORTENER"));
}

TEST(LinksTest, PageInAStorageBucketOrOnACdn) {
  const auto f = scan(html_mail(
      "<a href=\"https://storage.googleapis.com/bucket-x/office365/index.html#user\">Update your account</a>"));
  ASSERT_TRUE(f.contains("LINK_FREE_HOSTING"));
  EXPECT_DOUBLE_EQ(f.at("LINK_FREE_HOSTING").confidence, 1.0);
  const auto g = scan(html_mail("<a href=\"https://d15k2d11r6t6rl.cloudfront.net/public/x/y/zz33.shtml\">Enjoy</a>"));
  EXPECT_TRUE(g.contains("LINK_FREE_HOSTING"));
}

TEST(LinksTest, SendersOwnServiceIsNotReported) {
  // Dropbox's own notification links to dropbox.com.
  EXPECT_TRUE(scan(text_mail("Jeanne shared a file: https://www.dropbox.com/s/abc/report.pdf",
                             "no-reply@dropbox.com"))
                  .empty());
}

TEST(LinksTest, BlogLinksAreWeak) {
  const auto f = scan(text_mail("My post: http://someone.blogspot.com/2002/09/post.html"));
  ASSERT_TRUE(f.contains("LINK_FREE_HOSTING"));
  EXPECT_LT(f.at("LINK_FREE_HOSTING").score, 2.0);
}

TEST(LinksTest, ImagesOnImageHostsOnlyCountAsImages) {
  const auto f = scan(html_mail("<img src=\"https://i.imgur.com/abc.png\">"));
  EXPECT_TRUE(f.contains("LINK_IMAGE_HOSTING"));
  // The same host in a storage bucket image is not a landing page.
  EXPECT_TRUE(scan(html_mail("<img src=\"https://storage.googleapis.com/b/logo.png\">")).empty());
}

TEST(LinksTest, IpLiterals) {
  const auto f = scan(text_mail("http://3232235777/login and http://0xC0.0xA8.0.1/x"));
  ASSERT_TRUE(f.contains("LINK_IP_LITERAL"));
  EXPECT_DOUBLE_EQ(f.at("LINK_IP_LITERAL").confidence, 1.0);
  const auto g = scan(text_mail("see http://203.0.113.7/owa/"));
  ASSERT_TRUE(g.contains("LINK_IP_LITERAL"));
  EXPECT_LT(g.at("LINK_IP_LITERAL").confidence, 1.0);
  Config config;
  config.organisation.internal_networks = {"203.0.113.0/24"};
  EXPECT_FALSE(scan_with(config, text_mail("see http://203.0.113.7/owa/")).contains("LINK_IP_LITERAL"));
}

TEST(LinksTest, UnusualPortAndUserinfo) {
  const auto f = scan(text_mail("http://login.example.net:8081/a and http://www.paypal.com@evil.example.net/login"));
  EXPECT_TRUE(f.contains("LINK_UNUSUAL_PORT"));
  ASSERT_TRUE(f.contains("LINK_USERINFO_TRICK"));
  EXPECT_DOUBLE_EQ(f.at("LINK_USERINFO_TRICK").confidence, 1.0);
  EXPECT_FALSE(scan(text_mail("https://www.example.org:443/x")).contains("LINK_UNUSUAL_PORT"));
}

TEST(LinksTest, ScriptAndDataAddresses) {
  const auto f = scan(html_mail(
      "<a href=\"javascript:window.location='https://evil.example/'+atob('eA==')\">open</a>"
      "<a href=\"data:text/html;base64,PGh0bWw+PC9odG1sPg==\">invoice</a>"));
  ASSERT_TRUE(f.contains("LINK_SCRIPT_OR_DATA_URI"));
  EXPECT_DOUBLE_EQ(f.at("LINK_SCRIPT_OR_DATA_URI").confidence, 1.0);
  EXPECT_TRUE(scan(html_mail("<a href=\"javascript:void(0)\">menu</a>"
                             "<img src=\"data:image/png;base64,iVBORw0KGgo=\">"))
                  .empty());
}

TEST(LinksTest, EvidenceIsWrittenInFrenchToo) {
  const auto mismatch = scan(html_mail(
      "<a href=\"http://secure-login.evil-verify.com/paypal\">https://www.paypal.com/signin</a>"));
  ASSERT_TRUE(mismatch.contains("LINK_TEXT_DOMAIN_MISMATCH"));
  EXPECT_NE(mismatch.at("LINK_TEXT_DOMAIN_MISMATCH")
                .evidence_fr.find("le texte affiche www.paypal.com, le lien mène à secure-login.evil-verify.com : "
                                  "http://secure-login.evil-verify.com/paypal"),
            std::string::npos)
      << mismatch.at("LINK_TEXT_DOMAIN_MISMATCH").evidence_fr;

  const auto redirect = scan(html_mail(
      "<a href=\"https://www.google.com/url?q=https%3A%2F%2Fevil-owa.example.net%2Flogin&sa=D\">Read</a>"));
  ASSERT_TRUE(redirect.contains("LINK_REDIRECT"));
  EXPECT_NE(redirect.at("LINK_REDIRECT").evidence_fr.find("(renvoie vers evil-owa.example.net ; redirection ouverte ; "
                                                          "source : "),
            std::string::npos)
      << redirect.at("LINK_REDIRECT").evidence_fr;

  const auto download = scan(html_mail(
      "<a href=\"https://cdn.files-share.example/u/Invoice_0612.PDF.ExE\">Invoice</a>"));
  ASSERT_TRUE(download.contains("LINK_DANGEROUS_DOWNLOAD"));
  EXPECT_NE(download.at("LINK_DANGEROUS_DOWNLOAD")
                .evidence_fr.find("programme ou script Invoice_0612.PDF.ExE, fin du chemin ; double extension : "
                                  "se présente comme .pdf, Windows masquant la vraie extension"),
            std::string::npos)
      << download.at("LINK_DANGEROUS_DOWNLOAD").evidence_fr;

  const auto form = scan(html_mail(
      "<form action=\"https://owa-verify.000webhostapp.com/post.php\" method=post>"
      "<input name=user><input type=password name=pass><input type=submit></form>"));
  ASSERT_TRUE(form.contains("CREDENTIAL_FORM"));
  EXPECT_EQ(form.at("CREDENTIAL_FORM").evidence_fr,
            "form champ de mot de passe ; le formulaire envoie à https://owa-verify.000webhostapp.com/post.php\n");
  ASSERT_TRUE(form.contains("FORM_EXTERNAL_ACTION"));
  EXPECT_NE(form.at("FORM_EXTERNAL_ACTION").evidence_fr.find("form envoie à https://owa-verify.000webhostapp.com/post.php"),
            std::string::npos)
      << form.at("FORM_EXTERNAL_ACTION").evidence_fr;
}

TEST(LinksTest, OpenRedirectOnAWellKnownSite) {
  const auto f = scan(html_mail(
      "<a href=\"https://www.google.com/url?q=https%3A%2F%2Fevil-owa.example.net%2Flogin&sa=D\">"
      "Read the document</a>"));
  ASSERT_TRUE(f.contains("LINK_REDIRECT"));
  EXPECT_DOUBLE_EQ(f.at("LINK_REDIRECT").confidence, 1.0);
  // Through the redirect to a tunnel: the tunnel is reported too.
  const auto g = scan(text_mail("https://www.google.com/url?q=https://abc.trycloudflare.com/x"));
  EXPECT_TRUE(g.contains("LINK_REDIRECT"));
  EXPECT_TRUE(g.contains("LINK_TUNNEL_SERVICE"));
  // A site redirecting to itself is not a redirect to elsewhere.
  EXPECT_TRUE(scan(text_mail("https://www.example.com/login?next=https://www.example.com/home")).empty());
}

TEST(LinksTest, RedirectsDeeperThanTheLimitAreNotFollowedAndSaySo) {
  // A tunnel behind Facebook's and Google's redirectors, then behind Reddit's too.
  const std::string two =
      "https://www.google.com/url?q=https%3A%2F%2Fl.facebook.com%2Fl.php%3Fu%3Dhttps%253A%252F%252F"
      "abc.trycloudflare.com%252Fx";
  const std::string three =
      "https://out.reddit.com/t3?url=https%3A%2F%2Fwww.google.com%2Furl%3Fq%3Dhttps%253A%252F%252F"
      "l.facebook.com%252Fl.php%253Fu%253Dhttps%25253A%25252F%25252Fabc.trycloudflare.com%25252Fx";
  const auto mail = [](const std::string& url) { return html_mail("<a href=\"" + url + "\">document</a>"); };
  const analyzers::AnalyzerHarness harness("links");
  const auto within = harness.run(mail(two));
  EXPECT_NE(analyzers::AnalyzerHarness::find(within.findings, "LINK_TUNNEL_SERVICE"), nullptr);
  EXPECT_TRUE(within.limits_reached.empty());

  const auto beyond = harness.run(mail(three));
  EXPECT_EQ(analyzers::AnalyzerHarness::find(beyond.findings, "LINK_TUNNEL_SERVICE"), nullptr);
  ASSERT_EQ(beyond.limits_reached.size(), 1u);
  EXPECT_EQ(beyond.limits_reached[0].limit, "max_redirect_depth");

  Config deeper;
  deeper.limits.max_redirect_depth = 3;
  const auto followed = analyzers::AnalyzerHarness("links", deeper).run(mail(three));
  EXPECT_NE(analyzers::AnalyzerHarness::find(followed.findings, "LINK_TUNNEL_SERVICE"), nullptr);
  EXPECT_TRUE(followed.limits_reached.empty());
}

TEST(LinksTest, SafeLinksAreUnwrapped) {
  const auto f = scan(html_mail(
      "<a href=\"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fabc.ngrok.io%2Fowa&data=x\">"
      "https://webmail.ministere.example</a>"));
  EXPECT_TRUE(f.contains("LINK_TUNNEL_SERVICE"));
  EXPECT_FALSE(f.contains("LINK_REDIRECT"));
  EXPECT_TRUE(scan(html_mail(
                       "<a href=\"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.example.com%2F&data=x\">"
                       "www.example.com</a>"))
                  .empty());
}

TEST(LinksTest, WindowsFileShares) {
  const auto f = scan(html_mail("<img src=\"\\\\203.0.113.9\\share\\logo.png\">"
                                "<a href=\"file://files.evil.example/doc/report.docx\">report</a>"));
  ASSERT_TRUE(f.contains("LINK_UNC_PATH"));
  EXPECT_NE(f.at("LINK_UNC_PATH").evidence.find("files.evil.example"), std::string::npos);
  EXPECT_TRUE(scan(html_mail("<img src=\"//cdn.example.com/logo.png\">"
                             "<a href=\"file:///C:/Users/me/report.docx\">local</a>")).empty());
}

// An unfilled mail-merge template (file://%s%s) has a host the URL parser marks invalid: no
// machine to send credentials to, so no file share; a valid host in the same shape still is one.
TEST(LinksTest, FileShareNeedsAUsableHost) {
  EXPECT_FALSE(scan(html_mail("<a href=\"file://%s%s\">open</a>"
                              "<a href=\"file://%s%s/doc/report.docx\">report</a>"
                              "<img src=\"\\\\%s%s\\share\\logo.png\">"))
                   .contains("LINK_UNC_PATH"));
  EXPECT_TRUE(scan(html_mail("<a href=\"file://files.evil.example/%s%s\">report</a>")).contains("LINK_UNC_PATH"));
  EXPECT_TRUE(scan(html_mail("<a href=\"file://attacker.example/share/x.lnk\">report</a>")).contains("LINK_UNC_PATH"));
}

TEST(LinksTest, UncPathsInPlainText) {
  const auto f = scan(text_mail("Le rapport est ici : \\\\203.0.113.9\\partage\\rapport.docx\n"));
  ASSERT_TRUE(f.contains("LINK_UNC_PATH"));
  EXPECT_EQ(f.at("LINK_UNC_PATH").confidence, 0.7);
  EXPECT_NE(f.at("LINK_UNC_PATH").evidence.find("file share on 203.0.113.9"), std::string::npos);
}

TEST(LinksTest, WebDavSharesNameTheirRealHost) {
  // file://host@SSL/ reads "host" as user information for a URL parser; Windows' WebDAV
  // redirector connects to it.
  const auto f = scan(html_mail("<a href=\"file://files.attacker.example@SSL/DavWWWRoot/doc.lnk\">doc</a>"));
  ASSERT_TRUE(f.contains("LINK_UNC_PATH"));
  EXPECT_NE(f.at("LINK_UNC_PATH").evidence.find("WebDAV share on files.attacker.example"), std::string::npos)
      << f.at("LINK_UNC_PATH").evidence;
}

TEST(LinksTest, ProtocolHandlersThatStartLocalTools) {
  const auto follina = scan(html_mail(
      "<a href=\"ms-msdt:/id PCWDiagnostic /skip force /param &quot;IT_RebrowseForFile=? IT_BrowseForFile=x&quot;\">"
      "Voir le document</a>"));
  ASSERT_TRUE(follina.contains("LINK_PROTOCOL_HANDLER"));
  EXPECT_EQ(follina.at("LINK_PROTOCOL_HANDLER").confidence, 1.0);
  EXPECT_NE(follina.at("LINK_PROTOCOL_HANDLER").evidence.find("Microsoft Support Diagnostic Tool; CVE-2022-30190 (Follina)"),
            std::string::npos)
      << follina.at("LINK_PROTOCOL_HANDLER").evidence;
  const auto search = scan(html_mail(
      "<meta http-equiv=\"refresh\" content=\"0;url=search-ms:query=facture&amp;crumb=location:%5C%5C203.0.113.5%5Cpartage&amp;displayname=Documents\">"));
  ASSERT_TRUE(search.contains("LINK_PROTOCOL_HANDLER"));
  EXPECT_NE(search.at("LINK_PROTOCOL_HANDLER").evidence.find("showing the share \\\\203.0.113.5\\partage"), std::string::npos)
      << search.at("LINK_PROTOCOL_HANDLER").evidence;
  const auto word = scan(html_mail("<a href=\"ms-word:ofe|u|https://files.example/contrat.docx\">Contrat</a>"));
  ASSERT_TRUE(word.contains("LINK_PROTOCOL_HANDLER"));
  EXPECT_EQ(word.at("LINK_PROTOCOL_HANDLER").confidence, 0.9);
  EXPECT_TRUE(scan(html_mail("<a href=\"ms-officecmd:{&quot;id&quot;:3}\">Ouvrir</a>")).contains("LINK_PROTOCOL_HANDLER"));
  EXPECT_TRUE(scan(html_mail("<a href=\"mk:@MSITStore:\\\\203.0.113.5\\x\\help.chm::/a.htm\">Aide</a>")).contains("LINK_PROTOCOL_HANDLER"));
}

TEST(LinksTest, ProtocolHandlersWrittenInPlainTextWeighLess) {
  const auto f = scan(text_mail("Pour corriger, collez ms-msdt:/id PCWDiagnostic /skip force dans Exécuter.\n"));
  ASSERT_TRUE(f.contains("LINK_PROTOCOL_HANDLER"));
  EXPECT_DOUBLE_EQ(f.at("LINK_PROTOCOL_HANDLER").confidence, 0.6);
}

TEST(LinksTest, OrdinarySchemesAreNotProtocolHandlers) {
  EXPECT_FALSE(scan(html_mail("<a href=\"tel:+33100000000\">Appeler</a><a href=\"mailto:a@example.org\">Écrire</a>"
                              "<a href=\"https://example.org/ms-msdt\">ms-msdt</a><a href=\"sms:+33600000000\">SMS</a>"
                              "<a href=\"webcal://calendar.example.org/a.ics\">Agenda</a>"))
                   .contains("LINK_PROTOCOL_HANDLER"));
}

TEST(LinksTest, LinkThatDownloadsAProgram) {
  const auto f = scan(html_mail("<a href=\"https://cdn.files-share.example/u/Facture_0612.exe\">Voir la facture</a>"));
  ASSERT_TRUE(f.contains("LINK_DANGEROUS_DOWNLOAD"));
  EXPECT_EQ(f.at("LINK_DANGEROUS_DOWNLOAD").confidence, 1.0);
  EXPECT_NE(f.at("LINK_DANGEROUS_DOWNLOAD").evidence.find("program or script Facture_0612.exe, end of the path"),
            std::string::npos)
      << f.at("LINK_DANGEROUS_DOWNLOAD").evidence;
  // Case does not matter; a double extension is named in the evidence.
  const auto disguised = scan(html_mail("<a href=\"https://cdn.files-share.example/u/Invoice_0612.PDF.ExE?dl=1#top\">Invoice</a>"));
  ASSERT_TRUE(disguised.contains("LINK_DANGEROUS_DOWNLOAD"));
  EXPECT_NE(disguised.at("LINK_DANGEROUS_DOWNLOAD").evidence.find("Invoice_0612.PDF.ExE, end of the path; double extension: shown as .pdf"),
            std::string::npos)
      << disguised.at("LINK_DANGEROUS_DOWNLOAD").evidence;
  // Written out in a plain-text message, through a redirect parameter, or named by the endpoint's
  // file= parameter: the same download.
  EXPECT_TRUE(scan(text_mail("Le document : http://203.0.113.7/doc/Scan%5F2024.js")).contains("LINK_DANGEROUS_DOWNLOAD"));
  EXPECT_TRUE(scan(html_mail("<a href=\"https://t.example.net/r?url=https%3A%2F%2Fevil.example%2Fupdate.hta\">Mettre à jour</a>"))
                  .contains("LINK_DANGEROUS_DOWNLOAD"));
  EXPECT_TRUE(scan(html_mail("<a href=\"https://files.example.org/download.php?id=4&file=Facture.exe\">facture</a>"))
                  .contains("LINK_DANGEROUS_DOWNLOAD"));
}

TEST(LinksTest, DownloadsAreGradedProgramThenDiskImageThenArchive) {
  const auto confidence = [](std::string_view file) {
    const auto f = scan(html_mail("<a href=\"https://dl.example.org/" + std::string(file) + "\">document</a>"));
    return f.contains("LINK_DANGEROUS_DOWNLOAD") ? f.at("LINK_DANGEROUS_DOWNLOAD").confidence : 0.0;
  };
  const double program = confidence("Document.lnk");
  const double image = confidence("Document.iso");
  const double archive = confidence("Document.zip");
  EXPECT_GT(program, image);
  EXPECT_GT(image, archive);
  EXPECT_GT(archive, 0);
}

TEST(LinksTest, DiskImagesAndArchivesWrittenOutAreWeakerThanHidden) {
  // A distribution's ISO quoted in a mailing-list discussion is not a lure; the same file behind
  // "View the invoice" is. A program stays as strong written out.
  const auto confidence = [](const std::string& message) {
    const auto f = scan(message);
    return f.contains("LINK_DANGEROUS_DOWNLOAD") ? f.at("LINK_DANGEROUS_DOWNLOAD").confidence : 0.0;
  };
  const double iso_written = confidence(text_mail("Try ftp://ftp.suse.example/pub/evaluation-7.0.iso"));
  const double iso_hidden = confidence(html_mail("<a href=\"https://dl.example.org/Invoice.iso\">View the invoice</a>"));
  EXPECT_GT(iso_written, 0);
  EXPECT_LT(iso_written * 6, 4) << "alone, below tag_at";
  EXPECT_GT(iso_hidden, iso_written);
  EXPECT_LT(confidence(text_mail("See http://example.org/mylog/hosts.zip")),
            confidence(html_mail("<a href=\"https://example.org/mylog/hosts.zip\">hosts</a>")));
  EXPECT_EQ(confidence(text_mail("Run http://dl.example.org/Invoice.exe")), 1.0);
}

TEST(LinksTest, ExeInTheTextOrInAWordOfThePathIsNoDownload) {
  // The link text names a program, the link opens a page; a guide about programs; an image; a
  // plain document.
  const auto f = scan(html_mail("<a href=\"https://www.example.org/support\">setup.exe</a>"
                                "<a href=\"https://www.example.org/docs/exe-guide.html\">guide</a>"
                                "<img src=\"https://www.example.org/img/logo.exe\">"
                                "<a href=\"https://www.example.org/files/report.pdf\">report.pdf</a>"));
  EXPECT_FALSE(f.contains("LINK_DANGEROUS_DOWNLOAD"));
  EXPECT_FALSE(scan(text_mail("Run setup.exe from the CD, then read http://www.example.org/docs/exe-guide.html"))
                   .contains("LINK_DANGEROUS_DOWNLOAD"));
}

TEST(LinksTest, CredentialFormInBody) {
  const auto f = scan(html_mail(
      "<form action=\"https://owa-verify.000webhostapp.com/post.php\" method=post>"
      "<input name=user><input type=password name=pass><input type=submit></form>"));
  EXPECT_TRUE(f.contains("CREDENTIAL_FORM"));
  ASSERT_TRUE(f.contains("FORM_EXTERNAL_ACTION"));
  EXPECT_DOUBLE_EQ(f.at("FORM_EXTERNAL_ACTION").confidence, 1.0);
  EXPECT_TRUE(f.contains("LINK_FREE_HOSTING"));
}

TEST(LinksTest, SearchBoxOfTheSenderIsNotReported) {
  EXPECT_TRUE(scan(html_mail("<form action=\"https://www.sender.example/search\"><input name=q></form>")).empty());
}

// A log-in page attached: its form is the links analyzer's (the page itself is html_attachment's).
TEST(LinksTest, FormsOfHtmlAttachments) {
  const std::string login =
      "From: a@sender.example\nTo: b@org.example\nSubject: voicemail\n"
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nlisten\n"
      "--b\nContent-Type: text/html; name=\"Voicemail.htm\"\n"
      "Content-Disposition: attachment; filename=\"Voicemail.htm\"\n\n"
      "<html><form action=\"https://collect.example.net/p\"><input name=e>"
      "<input type=\"password\" name=p></form></html>\n--b--\n";
  const auto g = scan(login);
  EXPECT_TRUE(g.contains("CREDENTIAL_FORM"));
  EXPECT_FALSE(g.contains("HTML_ATTACHMENT_PHISHING"));
}

TEST(LinksTest, TemporaryMailReplyTo) {
  const auto f = scan("From: Director <director@gmail.com>\nReply-To: dir.office@yopmail.com\n"
                      "To: a@org.example\nSubject: urgent\n\nPlease reply.\n");
  ASSERT_TRUE(f.contains("LINK_TEMPORARY_MAIL"));
  EXPECT_DOUBLE_EQ(f.at("LINK_TEMPORARY_MAIL").confidence, 1.0);
}

TEST(LinksTest, BrokenExtraListStopsTheEngine) {
  const std::string path = ::testing::TempDir() + "/vigie_links_bad.tsv";
  {
    std::ofstream out(path);
    out << "# extra\ngood.example\tshortener\thttps://good.example/\nbad entry here\n";
  }
  Config config;
  config.lists.link_categories = {path};
  try {
    const Engine engine{config};
    ADD_FAILURE() << "the engine started with a broken list";
  } catch (const EngineConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ":3"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

TEST(LinksTest, ExtraListAddsEntries) {
  const std::string path = ::testing::TempDir() + "/vigie_links_extra.tsv";
  {
    std::ofstream out(path);
    out << "lure-host.example\ttunnel\tCERT-FR advisory CERTFR-2025-CTI-007\n";
  }
  Config config;
  config.lists.link_categories = {path};
  EXPECT_TRUE(scan_with(config, text_mail("https://x.lure-host.example/a")).contains("LINK_TUNNEL_SERVICE"));
  std::remove(path.c_str());
}

// A SharePoint share notification as Microsoft sends it: from its notification domain, Reply-To the
// colleague who shared, links to the tenant's SharePoint and to Microsoft's own sites.
std::string sharepoint_notification(std::string_view from, std::string_view link_host) {
  const std::string link = "https://" + std::string(link_host) + "/:x:/s/Finances/EaBcD1234efGhIjKl?e=Ab1Cd2";
  return "From: \"Jean Dupont (via SharePoint)\" <" + std::string(from) +
         ">\nReply-To: Jean Dupont <jean.dupont@contoso.example>\nTo: Marie Martin <marie.martin@contoso.example>\n"
         "Subject: =?utf-8?q?Jean_Dupont_a_partag=C3=A9_=C2=AB_Budget_2025=2Exlsx_=C2=BB_avec_vous?=\n"
         "Message-ID: <a1b2c3d4@odspnotify>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
         "<html><body><p><b>Jean Dupont</b> a partag\xC3\xA9 un fichier avec vous</p>"
         "<p>Voici le classeur dont nous avons parl\xC3\xA9 en r\xC3\xA9union.</p>"
         "<p><img src=\"https://res.cdn.office.net/assets/item-types/48/xlsx.png\" alt=\"\">"
         "<a href=\"" + link + "\">Budget 2025.xlsx</a></p><p><a href=\"" + link + "\">Ouvrir</a></p>"
         "<p><a href=\"https://go.microsoft.com/fwlink/?LinkId=521839\">D\xC3\xA9" "claration de confidentialit\xC3\xA9</a></p>"
         "<p>Microsoft Corporation, One Microsoft Way, Redmond, WA 98052</p></body></html>\n";
}

TEST(LinksTest, ShareNotificationIsJudgedByWhereItsLinksLead) {
  // Issue 12: Microsoft's own notification, whose links stay on Microsoft's service, is no
  // file-sharing lure, and the message as a whole is accepted.
  const std::string genuine = sharepoint_notification("no-reply@sharepointonline.com", "contoso.sharepoint.com");
  EXPECT_FALSE(scan(genuine).contains("LINK_FILE_SHARING"));
  const Engine engine{Config{}};
  const ScanResult r = engine.scan(std::make_shared<const std::string>(genuine), Envelope{});
  EXPECT_EQ(r.verdict.action, Action::kAccept) << r.verdict.score;
  // The same words from a sender that is no brand's domain, or from Microsoft's domain with a link
  // to another file-sharing service, still are.
  EXPECT_TRUE(scan(sharepoint_notification("no-reply@sharepoint-notify.example", "contoso.sharepoint.com"))
                  .contains("LINK_FILE_SHARING"));
  EXPECT_TRUE(scan(sharepoint_notification("no-reply@sharepointonline.com", "www.dropbox.com"))
                  .contains("LINK_FILE_SHARING"));
}

}  // namespace
}  // namespace vigie
