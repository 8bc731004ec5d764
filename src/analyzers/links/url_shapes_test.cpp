// url_shapes: the URL readings the links analyzer relies on.
#include "analyzers/links/url_shapes.h"

#include <gtest/gtest.h>

namespace vigie::analyzers::links {
namespace {

TEST(UrlShapesTest, PathAndQuery) {
  EXPECT_EQ(url_path("https://a.example/x/y?q=1#f"), "/x/y");
  EXPECT_EQ(url_path("https://a.example?q=1"), "");
  EXPECT_EQ(url_query("https://a.example/x?q=1&r=2#f"), "q=1&r=2");
  EXPECT_EQ(url_query("https://a.example/x"), "");
}

TEST(UrlShapesTest, EmbeddedUrls) {
  EXPECT_EQ(embedded_url("https%3A%2F%2Fevil.example%2Flogin").value_or(""), "https://evil.example/login");
  EXPECT_EQ(embedded_url("https%253A%252F%252Fevil.example").value_or(""), "https://evil.example");
  EXPECT_EQ(embedded_url("//evil.example/x").value_or(""), "http://evil.example/x");
  EXPECT_FALSE(embedded_url("12345678").has_value());
  EXPECT_FALSE(embedded_url("newsletter").has_value());
  EXPECT_TRUE(is_redirect_parameter("RedirectUrl"));
  EXPECT_FALSE(is_redirect_parameter("utm_source"));
}

TEST(UrlShapesTest, ObfuscatedIpv4) {
  EXPECT_EQ(raw_host("http://user@3232235777:8080/x"), "3232235777");
  EXPECT_TRUE(is_obfuscated_ipv4("3232235777"));
  EXPECT_TRUE(is_obfuscated_ipv4("0xc0.0xa8.0.1"));
  EXPECT_TRUE(is_obfuscated_ipv4("0300.0250.0.1"));
  EXPECT_TRUE(is_obfuscated_ipv4("192.168.257"));
  EXPECT_FALSE(is_obfuscated_ipv4("192.168.1.1"));
  EXPECT_FALSE(is_obfuscated_ipv4("[2001:db8::1]"));
}

TEST(UrlShapesTest, DisplayedHost) {
  EXPECT_EQ(displayed_host("https://www.PayPal.com/signin"), "www.paypal.com");
  EXPECT_EQ(displayed_host("  www.impots.gouv.fr "), "www.impots.gouv.fr");
  EXPECT_EQ(displayed_host("paypal.com."), "paypal.com");
  EXPECT_EQ(displayed_host("<http://bank.co.uk>"), "bank.co.uk");
  EXPECT_EQ(displayed_host("Click here"), "");
  EXPECT_EQ(displayed_host("Go to paypal.com now"), "");
  EXPECT_EQ(displayed_host("report.pdf"), "");
  EXPECT_EQ(displayed_host("setup.py"), "");
  EXPECT_EQ(displayed_host("invoice.zip"), "");
  EXPECT_EQ(displayed_host("support@paypal.com"), "");
  EXPECT_EQ(displayed_host("v2.0"), "");
}

TEST(UrlShapesTest, Ipfs) {
  EXPECT_TRUE(looks_like_ipfs("ipfs.io", "/ipfs/QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"));
  EXPECT_TRUE(looks_like_ipfs("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi.ipfs.dweb.link", "/"));
  EXPECT_FALSE(looks_like_ipfs("docs.ipfs.tech", "/concepts/"));
  EXPECT_FALSE(looks_like_ipfs("example.com", "/ipfs/x"));
}

TEST(UrlShapesTest, ScriptAndDataUrls) {
  bool strong = false;
  EXPECT_FALSE(is_meaningful_javascript("javascript:void(0);", strong));
  EXPECT_FALSE(is_meaningful_javascript("javascript:", strong));
  EXPECT_TRUE(is_meaningful_javascript("javascript:window.location='https://evil.example'", strong));
  EXPECT_TRUE(strong);
  EXPECT_TRUE(is_meaningful_javascript("javascript:showMenu(3)", strong));
  EXPECT_FALSE(strong);
  EXPECT_TRUE(is_active_data_url("data:text/html;base64,PGh0bWw+"));
  EXPECT_TRUE(is_active_data_url("data:image/svg+xml,<svg onload=x>"));
  EXPECT_FALSE(is_active_data_url("data:image/png;base64,iVBOR"));
}

}  // namespace
}  // namespace vigie::analyzers::links
