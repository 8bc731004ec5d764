#include "auth/spf/macro.h"

#include <gtest/gtest.h>

namespace vigie::auth::spf {
namespace {

// The context of the RFC 7208 §7.4 examples.
MacroContext rfc_context(const char* ip = "192.0.2.3") {
  MacroContext c;
  c.sender = "strong-bad@email.example.com";
  c.local_part = "strong-bad";
  c.sender_domain = "email.example.com";
  c.domain = "email.example.com";
  c.ip = *IpAddress::parse(ip);
  c.helo = "mx.example.org";
  c.receiver = "receiver.example.net";
  c.timestamp = 1700000000;
  return c;
}

std::string expand(std::string_view text, const MacroContext& c,
                   MacroScope scope = MacroScope::kDomainSpec) {
  auto out = expand_macros(text, scope, c);
  return out ? *out : "ERROR: " + out.error().message;
}

TEST(SpfMacroTest, Rfc7208Section74Examples) {
  const MacroContext c = rfc_context();
  EXPECT_EQ(expand("%{s}", c), "strong-bad@email.example.com");
  EXPECT_EQ(expand("%{o}", c), "email.example.com");
  EXPECT_EQ(expand("%{d}", c), "email.example.com");
  EXPECT_EQ(expand("%{d4}", c), "email.example.com");
  EXPECT_EQ(expand("%{d3}", c), "email.example.com");
  EXPECT_EQ(expand("%{d2}", c), "example.com");
  EXPECT_EQ(expand("%{d1}", c), "com");
  EXPECT_EQ(expand("%{dr}", c), "com.example.email");
  EXPECT_EQ(expand("%{d2r}", c), "example.email");
  EXPECT_EQ(expand("%{l}", c), "strong-bad");
  EXPECT_EQ(expand("%{l-}", c), "strong.bad");
  EXPECT_EQ(expand("%{lr}", c), "strong-bad");
  EXPECT_EQ(expand("%{lr-}", c), "bad.strong");
  EXPECT_EQ(expand("%{l1r-}", c), "strong");
  EXPECT_EQ(expand("%{ir}.%{v}._spf.%{d2}", c), "3.2.0.192.in-addr._spf.example.com");
  EXPECT_EQ(expand("%{lr-}.lp._spf.%{d2}", c), "bad.strong.lp._spf.example.com");
  EXPECT_EQ(expand("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", c),
            "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
  EXPECT_EQ(expand("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", c),
            "3.2.0.192.in-addr.strong.lp._spf.example.com");
  EXPECT_EQ(expand("%{d2}.trusted-domains.example.net", c),
            "example.com.trusted-domains.example.net");
}

TEST(SpfMacroTest, Ipv6NibblesAndReadableForm) {
  const MacroContext c = rfc_context("2001:db8::cb01");
  // Upper-case nibbles like pyspf (the suite's v-macro-ip6 explanation); RFC 7208 §7.4 prints
  // them in lower case, which DNS treats the same.
  EXPECT_EQ(expand("%{ir}.%{v}._spf.%{d2}", c),
            "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com");
  EXPECT_EQ(expand("%{c}", c, MacroScope::kExplanation), "2001:db8::cb01");
}

TEST(SpfMacroTest, EscapesAndUpperCaseUrlEncoding) {
  MacroContext c = rfc_context();
  EXPECT_EQ(expand("a%%b%_c%-d", c), "a%b c%20d");
  c.local_part = "~jack&jill=up-a_b3.c";
  EXPECT_EQ(expand("%{L}", c), "~jack%26jill%3Dup-a_b3.c");
  EXPECT_EQ(expand("%{l}", c), "~jack&jill=up-a_b3.c");
}

TEST(SpfMacroTest, MultipleDelimitersAndLargeDigits) {
  MacroContext c = rfc_context();
  c.local_part = "foo-bar+zip+quux";
  EXPECT_EQ(expand("%{l2r+-}", c), "bar.foo");
  EXPECT_EQ(expand("%{l}", c), "foo-bar+zip+quux");
  EXPECT_EQ(expand("%{d99999999999}", c), "email.example.com");  // saturates, all parts
}

TEST(SpfMacroTest, ExplanationOnlyLetters) {
  const MacroContext c = rfc_context();
  EXPECT_EQ(expand("%{c} %{r} %{t}", c, MacroScope::kExplanation),
            "192.0.2.3 receiver.example.net 1700000000");
  EXPECT_EQ(expand("%{r}.example.com", c),
            "ERROR: macro letter 'r' is not allowed here (c, r and t only in explanations, RFC "
            "7208 §7.1)");
  EXPECT_EQ(expand("has space", c), "ERROR: character 0x20 is not allowed in a macro-string");
}

TEST(SpfMacroTest, ValidatedNameIsLazy) {
  MacroContext c = rfc_context();
  int calls = 0;
  c.validated_name = [&calls] {
    ++calls;
    return std::string("mx.example.com");
  };
  EXPECT_EQ(expand("%{d}", c), "email.example.com");
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(expand("%{p}", c), "mx.example.com");
  EXPECT_EQ(calls, 1);
  c.validated_name = nullptr;
  EXPECT_EQ(expand("%{p}", c), "unknown");
}

TEST(SpfMacroTest, SyntaxErrors) {
  auto error = [](std::string_view text) {
    return check_macro_string(text, MacroScope::kDomainSpec).error;
  };
  EXPECT_EQ(error("%(ir).sbl.example.com"),
            "'%' must be followed by '{', '%', '_' or '-' (RFC 7208 §7.1)");
  EXPECT_EQ(error("foo%"), "'%' at the end of a macro-string");
  EXPECT_EQ(error("%{a}.example.com"), "macro letter 'a' is not allowed here");
  EXPECT_EQ(error("%{d0}"), "macro transformer 0 (must be nonzero)");
  EXPECT_EQ(error("%{d2x}"), "malformed macro (expected '}')");
  EXPECT_EQ(error("%{d"), "malformed macro (expected '}')");
  EXPECT_EQ(error("%{"), "unterminated macro");
  EXPECT_EQ(error(std::string_view("a\0b", 3)), "character 0x00 is not allowed in a macro-string");
  EXPECT_EQ(error("\x96"), "character 0x96 is not allowed in a macro-string");
}

TEST(SpfMacroTest, EndsWithMacro) {
  EXPECT_TRUE(check_macro_string("foo.%{d}", MacroScope::kDomainSpec).ends_with_macro);
  EXPECT_TRUE(check_macro_string("foo%-", MacroScope::kDomainSpec).ends_with_macro);
  EXPECT_FALSE(check_macro_string("%{d}.com", MacroScope::kDomainSpec).ends_with_macro);
}

TEST(SpfMacroTest, ExpansionIsBounded) {
  MacroContext c = rfc_context();
  const std::string sender(5000, 'x');
  c.sender = sender;
  EXPECT_EQ(expand("%{s}", c), sender);
  EXPECT_EQ(expand("%{s}%{s}", c), "ERROR: macro expansion too long");
}

}  // namespace
}  // namespace vigie::auth::spf
