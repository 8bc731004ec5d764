// terminal_safe: what a terminal would act on is shown, everything else is left as written.
#include "outputs/terminal_text.h"

#include <gtest/gtest.h>

namespace vigie::outputs {
namespace {

TEST(TerminalTextTest, PrintableTextIsUnchanged) {
  EXPECT_EQ(terminal_safe("Réunion du comité — jeudi 😀 C:\\Users\\a"),
            "Réunion du comité — jeudi 😀 C:\\Users\\a");
  EXPECT_EQ(terminal_safe(""), "");
}

TEST(TerminalTextTest, EscapeSequencesAreShownNotSent) {
  // An OSC that retitles the window, then an SGR that recolours the text.
  EXPECT_EQ(terminal_safe("\x1b]0;pwned\x07Invoice \x1b[31mURGENT\x1b[0m"),
            "\\x1b]0;pwned\\x07Invoice \\x1b[31mURGENT\\x1b[0m");
  EXPECT_EQ(terminal_safe(std::string_view("a\0b\x7f", 4)), "a\\x00b\\x7f");
}

TEST(TerminalTextTest, LineBreaksAreEscapedInAFieldAndKeptInABlock) {
  // A Subject that forges a line of vigie's own output.
  EXPECT_EQ(terminal_safe("hello\r\n  verdict: ACCEPT\tx"), "hello\\x0d\\x0a  verdict: ACCEPT\\x09x");
  EXPECT_EQ(terminal_safe("line 1\nline\r 2\n", LineBreaks::kKeep), "line 1\nline\\x0d 2\n");
  EXPECT_EQ(terminal_safe("\x1b[2J\n", LineBreaks::kKeep), "\\x1b[2J\n");
}

TEST(TerminalTextTest, C1ControlsAreShownAsCodePoints) {
  // U+009B is the 8-bit CSI, U+009D the 8-bit OSC, U+0085 NEL (a line break for some terminals).
  EXPECT_EQ(terminal_safe("a\u009b31mb\u009d0;t\u0085c"), "a\\u009b31mb\\u009d0;t\\u0085c");
  // U+00A0 (no-break space) and U+00E9 sit just above the C1 range and stay.
  EXPECT_EQ(terminal_safe("\u00a0\u00e9"), "\u00a0\u00e9");
}

TEST(TerminalTextTest, BidiControlsAreShownSoTheLineKeepsItsOrder) {
  // "invoice\u202Efdp.exe" displays as "invoiceexe.pdf" when the override is honoured.
  EXPECT_EQ(terminal_safe("invoice\u202efdp.exe"), "invoice\\u202efdp.exe");
  EXPECT_EQ(terminal_safe("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c"),
            "\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c");
  EXPECT_EQ(terminal_safe("a\u2028b\u2029c"), "a\\u2028b\\u2029c");
  // Neighbours of those ranges are ordinary characters.
  EXPECT_EQ(terminal_safe("\u2010\u2065\u206a\u2027\u202f"), "\u2010\u2065\u206a\u2027\u202f");
}

TEST(TerminalTextTest, BytesThatAreNotUtf8AreShownAsBytes) {
  // A raw 0x9b is a CSI for a terminal in an 8-bit mode.
  EXPECT_EQ(terminal_safe("a\x9b" "31mb"), "a\\x9b31mb");
  EXPECT_EQ(terminal_safe("\xc3"), "\\xc3");                     // truncated sequence
  EXPECT_EQ(terminal_safe("\xc0\x9b"), "\\xc0\\x9b");            // overlong form of U+001B
  EXPECT_EQ(terminal_safe("\xe0\x82\x9b"), "\\xe0\\x82\\x9b");   // overlong form of U+009B
  EXPECT_EQ(terminal_safe("\xed\xa0\x80"), "\\xed\\xa0\\x80");   // a UTF-16 surrogate
  EXPECT_EQ(terminal_safe("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(terminal_safe("\xe2\x80" "a"), "\\xe2\\x80a");       // cut short by an ASCII byte
}

}  // namespace
}  // namespace vigie::outputs
