// The <meta> charset prescan: the declarations browsers honour, the ones they ignore, and its
// bounds.
#include "parse/html/html_charset.h"

#include <gtest/gtest.h>

#include <string>

namespace vigie::parse::html {
namespace {

TEST(MetaCharsetPrescan, FindsBothDeclarationForms) {
  EXPECT_EQ(prescan_meta_charset("<html><head><meta charset=\"KOI8-R\"><title>x</title>"), "koi8-r");
  EXPECT_EQ(prescan_meta_charset("<META CHARSET=gb2312>"), "gb2312");
  EXPECT_EQ(prescan_meta_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\">"),
            "big5");
  // Attribute order does not matter; quotes inside content do.
  EXPECT_EQ(prescan_meta_charset("<meta content='text/html; charset=\"shift_jis\"' http-equiv=content-type>"),
            "shift_jis");
  EXPECT_EQ(prescan_meta_charset("<meta/charset=euc-kr>"), "euc-kr");
  EXPECT_EQ(prescan_meta_charset("<meta charset = ' windows-1251 '>"), "windows-1251");
}

TEST(MetaCharsetPrescan, IgnoresWhatBrowsersIgnore) {
  // content without http-equiv="content-type" is not a declaration.
  EXPECT_EQ(prescan_meta_charset("<meta content=\"text/html; charset=big5\">"), "");
  EXPECT_EQ(prescan_meta_charset("<meta http-equiv=refresh content=\"0; charset=big5\">"), "");
  // Inside a comment, or inside another tag's attribute value.
  EXPECT_EQ(prescan_meta_charset("<!-- <meta charset=big5> --><p>"), "");
  EXPECT_EQ(prescan_meta_charset("<img alt=\"<meta charset=big5>\"><p>"), "");
  // A comment ends at its first "-->"; a later meta counts.
  EXPECT_EQ(prescan_meta_charset("<!--><meta charset=big5>"), "big5");
  // <metadata> is not <meta>.
  EXPECT_EQ(prescan_meta_charset("<metadata charset=big5>"), "");
  // The first attribute of a name wins.
  EXPECT_EQ(prescan_meta_charset("<meta charset=koi8-r charset=big5>"), "koi8-r");
  // "charsetx=" is not "charset=", but a later charset= in the same content is.
  EXPECT_EQ(prescan_meta_charset("<meta http-equiv=content-type content=\"a; charsetx=1; charset=big5\">"),
            "big5");
  EXPECT_EQ(prescan_meta_charset("<p>plain HTML</p>"), "");
  EXPECT_EQ(prescan_meta_charset(""), "");
}

TEST(MetaCharsetPrescan, Utf16AndUserDefinedAreMapped) {
  EXPECT_EQ(prescan_meta_charset("<meta charset=utf-16le>"), "utf-8");
  EXPECT_EQ(prescan_meta_charset("<meta charset=UTF-16>"), "utf-8");
  EXPECT_EQ(prescan_meta_charset("<meta charset=x-user-defined>"), "windows-1252");
}

// Browsers do not know UTF-7 or UTF-32: such a meta is passed over and a later one counts, so
// vigie never decodes UTF-7 text that the reader's client shows as it is.
TEST(MetaCharsetPrescan, LabelsBrowsersRefuseArePassedOver) {
  EXPECT_EQ(prescan_meta_charset("<meta charset=utf-7>"), "");
  EXPECT_EQ(prescan_meta_charset("<meta charset=\"UTF-7\"><meta charset=koi8-r>"), "koi8-r");
  EXPECT_EQ(prescan_meta_charset("<meta http-equiv=content-type content=\"text/html; charset=x-unicode-2-0-utf-7\">"), "");
  EXPECT_EQ(prescan_meta_charset("<meta charset=utf-32le>"), "");
  EXPECT_EQ(prescan_meta_charset("<meta charset=utf-8>"), "utf-8");
}

TEST(MetaCharsetPrescan, ReadsOnlyTheFirstKilobyte) {
  const std::string padding(kMetaPrescanBytes, ' ');
  EXPECT_EQ(prescan_meta_charset(padding + "<meta charset=big5>"), "");
  EXPECT_EQ(prescan_meta_charset(padding.substr(20) + "<meta charset=big5>"), "big5");
  // Cut inside the element: nothing, not a truncated label.
  EXPECT_EQ(prescan_meta_charset(padding.substr(14) + "<meta charset=big5>"), "");
}

TEST(MetaCharsetPrescan, UnterminatedConstructsEndTheScan) {
  EXPECT_EQ(prescan_meta_charset("<!-- never closed <meta charset=big5>"), "");
  EXPECT_EQ(prescan_meta_charset("<meta charset=\"big5"), "");
  EXPECT_EQ(prescan_meta_charset("<div title='x"), "");
  EXPECT_EQ(prescan_meta_charset("<"), "");
  EXPECT_EQ(prescan_meta_charset("<meta "), "");
}

}  // namespace
}  // namespace vigie::parse::html
