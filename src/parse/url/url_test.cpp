#include "parse/url/url.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigie::parse {
namespace {

using Strings = std::vector<std::string>;

TEST(UrlTest, LowercasesSchemeAndHostAddsRootPath) {
  const Url u = normalize_url("  HTTPS://WWW.Example.COM  ", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.raw, "HTTPS://WWW.Example.COM");
  EXPECT_EQ(u.scheme, "https");
  EXPECT_EQ(u.host_ascii, "www.example.com");
  EXPECT_EQ(u.host_unicode, "www.example.com");
  EXPECT_EQ(u.registrable_domain, "example.com");
  EXPECT_EQ(u.normalized, "https://www.example.com/");
  EXPECT_EQ(u.port, -1);
  EXPECT_FALSE(u.host_is_ip);
  EXPECT_EQ(u.source, UrlSource::kHref);
}

TEST(UrlTest, BareWwwIsHttp) {
  const Url u = normalize_url("www.Example.org/a?b=c", UrlSource::kText);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.scheme, "http");
  EXPECT_EQ(u.host_ascii, "www.example.org");
  EXPECT_EQ(u.normalized, "http://www.example.org/a?b=c");
}

TEST(UrlTest, UserinfoDeceptionKeepsUserinfoAndRealHost) {
  const Url u = normalize_url("http://paypal.com@evil.example/login", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.userinfo, "paypal.com");
  EXPECT_EQ(u.host_ascii, "evil.example");
  EXPECT_EQ(u.normalized, "http://evil.example/login");
  // The last '@' ends the userinfo, as in WHATWG URL.
  const Url v = normalize_url("http://a@b@c.example/", UrlSource::kHref);
  EXPECT_EQ(v.userinfo, "a@b");
  EXPECT_EQ(v.host_ascii, "c.example");
  const Url w = normalize_url("https://user:pass@www.bank.example:8443/x", UrlSource::kHref);
  EXPECT_EQ(w.userinfo, "user:pass");
  EXPECT_EQ(w.host_ascii, "www.bank.example");
  EXPECT_EQ(w.port, 8443);
}

TEST(UrlTest, IdnToPunycodeAndBack) {
  const Url u = normalize_url("http://пример.com/", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.host_ascii, "xn--e1afmkfd.com");
  EXPECT_EQ(u.host_unicode, "пример.com");
  EXPECT_EQ(u.normalized, "http://xn--e1afmkfd.com/");

  const Url p = normalize_url("http://xn--80ak6aa92e.com/", UrlSource::kHref);
  EXPECT_TRUE(p.valid);
  EXPECT_EQ(p.host_ascii, "xn--80ak6aa92e.com");
  EXPECT_EQ(p.host_unicode, "аррӏе.com");  // Cyrillic look-alike of apple.com
  EXPECT_EQ(p.registrable_domain, "xn--80ak6aa92e.com");

  const Url back = normalize_url("http://аррӏе.com/", UrlSource::kHref);
  EXPECT_EQ(back.host_ascii, "xn--80ak6aa92e.com");
}

TEST(UrlTest, Uts46MappingNonTransitionalAndFullwidthDots) {
  // UTS #46 maps case and fullwidth forms; non-transitional keeps ß (IDNA2008), as browsers do.
  EXPECT_EQ(normalize_url("http://FAß.de/", UrlSource::kHref).host_ascii, "xn--fa-hia.de");
  EXPECT_EQ(normalize_url("http://ｅｘａｍｐｌｅ。com/", UrlSource::kHref).host_ascii, "example.com");
  EXPECT_EQ(normalize_url("http://Bücher.example/", UrlSource::kHref).host_ascii,
            "xn--bcher-kva.example");
}

TEST(UrlTest, InvalidIdnaIsInvalidNotCrash) {
  const Url bad_puny = normalize_url("http://xn--zz.com/", UrlSource::kHref);
  EXPECT_FALSE(bad_puny.valid);
  EXPECT_TRUE(bad_puny.registrable_domain.empty());
  // Bidi rule violation (RTL label mixing an LTR letter).
  EXPECT_FALSE(normalize_url("http://\xD7\x90" "a.com/", UrlSource::kHref).valid);
  // Invalid UTF-8 in the host.
  EXPECT_FALSE(normalize_url("http://ex\xff" "ample.com/", UrlSource::kHref).valid);
  // WHATWG skips any number of slashes after a special scheme: the host here is "path".
  EXPECT_EQ(normalize_url("http:///path", UrlSource::kHref).host_ascii, "path");
  EXPECT_FALSE(normalize_url("http://exa mple.com/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://example.com:99999/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://example.com:8o/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://[::1/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("", UrlSource::kHref).host_is_ip);
}

TEST(UrlTest, PercentEncodedHostIsDecodedFirst) {
  const Url u = normalize_url("http://%65%76%69%6C.example/", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.host_ascii, "evil.example");
  const Url idn = normalize_url("http://%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.com/", UrlSource::kHref);
  EXPECT_EQ(idn.host_ascii, "xn--e1afmkfd.com");
  EXPECT_EQ(idn.host_unicode, "пример.com");
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
    EXPECT_EQ(u.host_ascii, c.host) << c.in;
    EXPECT_EQ(u.host_unicode, c.host) << c.in;
    EXPECT_TRUE(u.registrable_domain.empty()) << c.in;
  }
  EXPECT_EQ(normalize_url("http://0x7f.1:8080/a", UrlSource::kHref).normalized,
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
  EXPECT_EQ(u.host_ascii, "[2001:db8::1]");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.normalized, "http://[2001:db8::1]:8080/x");
  EXPECT_TRUE(u.registrable_domain.empty());
  EXPECT_EQ(normalize_url("http://[::ffff:192.168.1.1]/", UrlSource::kHref).host_ascii,
            "[::ffff:c0a8:101]");
  EXPECT_EQ(normalize_url("http://[::1]/", UrlSource::kHref).host_ascii, "[::1]");
  EXPECT_EQ(normalize_url("http://[1:0:0:2:0:0:0:3]/", UrlSource::kHref).host_ascii,
            "[1:0:0:2::3]");
  EXPECT_FALSE(normalize_url("http://[1:2:3]/", UrlSource::kHref).valid);
  EXPECT_FALSE(normalize_url("http://[fe80::1%25eth0]/", UrlSource::kHref).valid);
}

TEST(UrlTest, PortsDefaultPortOmittedFromNormalized) {
  const Url u = normalize_url("http://example.com:80/", UrlSource::kHref);
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.normalized, "http://example.com/");
  const Url v = normalize_url("https://example.com:0443/", UrlSource::kHref);
  EXPECT_EQ(v.port, 443);
  EXPECT_EQ(v.normalized, "https://example.com/");
  const Url w = normalize_url("http://example.com:/", UrlSource::kHref);
  EXPECT_TRUE(w.valid);
  EXPECT_EQ(w.port, -1);
}

TEST(UrlTest, PathQueryDecodeOnlyUnreserved) {
  const Url u = normalize_url("http://example.com/%7Euser/%41%2f%2Fb%20c?q=%61%26%3d#%66%2e", UrlSource::kHref);
  EXPECT_EQ(u.normalized, "http://example.com/~user/A%2F%2Fb%20c?q=a%26%3D#f.");
  const Url dots = normalize_url("http://example.com/a/./b/../c/%2e%2E/d", UrlSource::kHref);
  EXPECT_EQ(dots.normalized, "http://example.com/a/d");
  const Url q = normalize_url("http://example.com?", UrlSource::kHref);
  EXPECT_EQ(q.normalized, "http://example.com/?");
}

TEST(UrlTest, BackslashesAreSlashesInSpecialUrls) {
  const Url u = normalize_url("http:\\\\evil.example\\path\\x", UrlSource::kHref);
  EXPECT_TRUE(u.valid);
  EXPECT_EQ(u.host_ascii, "evil.example");
  EXPECT_EQ(u.normalized, "http://evil.example/path/x");
  // A backslash ends the authority: the "@" after it is path, not userinfo.
  const Url v = normalize_url("https://good.example\\@evil.example/", UrlSource::kHref);
  EXPECT_EQ(v.host_ascii, "good.example");
  EXPECT_TRUE(v.userinfo.empty());
  const Url few = normalize_url("https:evil.example/x", UrlSource::kHref);
  EXPECT_EQ(few.host_ascii, "evil.example");
  const Url many = normalize_url("https:////evil.example/x", UrlSource::kHref);
  EXPECT_EQ(many.host_ascii, "evil.example");
}

TEST(UrlTest, TabsAndNewlinesInsideAreRemoved) {
  const Url u = normalize_url("ht\ttp://exa\nmple.com/p\r\nath", UrlSource::kHref);
  EXPECT_EQ(u.normalized, "http://example.com/path");
}

TEST(UrlTest, OpaqueSchemesHaveNoHost) {
  const Url d = normalize_url("DATA:text/html;base64,PHNjcmlwdD4=", UrlSource::kHref);
  EXPECT_TRUE(d.valid);
  EXPECT_EQ(d.scheme, "data");
  EXPECT_TRUE(d.host_ascii.empty());
  EXPECT_TRUE(d.registrable_domain.empty());
  EXPECT_EQ(d.normalized, "data:text/html;base64,PHNjcmlwdD4=");
  const Url j = normalize_url("JavaScript:alert(document.cookie)", UrlSource::kHref);
  EXPECT_EQ(j.scheme, "javascript");
  EXPECT_TRUE(j.host_ascii.empty());
  EXPECT_EQ(j.normalized, "javascript:alert(document.cookie)");
  const Url m = normalize_url("mailto:Someone@Example.com?subject=Hi", UrlSource::kHref);
  EXPECT_EQ(m.scheme, "mailto");
  EXPECT_TRUE(m.host_ascii.empty());
  EXPECT_EQ(m.normalized, "mailto:Someone@Example.com?subject=Hi");
}

TEST(UrlTest, FileAndRelativeAndSchemeRelative) {
  const Url f = normalize_url("file:///etc/passwd", UrlSource::kHref);
  EXPECT_TRUE(f.valid);
  EXPECT_TRUE(f.host_ascii.empty());
  EXPECT_EQ(f.normalized, "file:///etc/passwd");
  const Url smb = normalize_url("file://Server/share", UrlSource::kHref);
  EXPECT_EQ(smb.host_ascii, "server");
  EXPECT_EQ(normalize_url("file://C:/x", UrlSource::kHref).normalized, "file:///C:/x");
  const Url rel = normalize_url("/unsubscribe?id=1", UrlSource::kHref);
  EXPECT_TRUE(rel.scheme.empty());
  EXPECT_TRUE(rel.host_ascii.empty());
  EXPECT_EQ(rel.normalized, "/unsubscribe?id=1");
  const Url sr = normalize_url("//CDN.Example.net/a.png", UrlSource::kSrc);
  EXPECT_TRUE(sr.scheme.empty());
  EXPECT_EQ(sr.host_ascii, "cdn.example.net");
  EXPECT_EQ(sr.registrable_domain, "example.net");
  EXPECT_EQ(sr.normalized, "//cdn.example.net/a.png");
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
  EXPECT_EQ(normalize_url("https://a.b.example.co.uk/", UrlSource::kHref).registrable_domain,
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

TEST(UrlTest, RespectsMaxUrls) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "http://h" + std::to_string(i) + ".example/ ";
  EXPECT_EQ(find_urls_in_text(text, 7).size(), 7u);
  EXPECT_EQ(find_urls_in_text(text, 1000).size(), 50u);
  EXPECT_EQ(find_urls_in_text(text, 0).size(), 0u);
}

}  // namespace
}  // namespace vigie::parse
