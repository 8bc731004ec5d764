// The TNEF reader on streams written here (tnef_test_writer.h): the reminder properties of
// CVE-2023-23397, attached files with their long names, and truncated or hostile streams, which
// end cleanly with what could be read.
#include "objects/tnef/tnef.h"

#include <gtest/gtest.h>

#include "objects/tnef/tnef_test_writer.h"

namespace vigie::objects::tnef {
namespace {

using testing::Properties;
using testing::Stream;

TEST(TnefReaderTest, ReadsTheReminderPropertiesOfAnAppointment) {
  const std::string stream = testing::reminder_on("\\\\203.0.113.7\\share\\alarm.wav");
  ASSERT_TRUE(looks_like_tnef(stream));
  const Content c = read(stream, 4096);
  EXPECT_TRUE(c.errors.empty()) << c.errors.front();
  EXPECT_EQ(c.message_class, "IPM.Appointment");
  ASSERT_TRUE(c.reminder_file.has_value());
  EXPECT_EQ(*c.reminder_file, "\\\\203.0.113.7\\share\\alarm.wav");
  EXPECT_EQ(c.reminder_override, true);
  EXPECT_EQ(c.reminder_play_sound, true);
}

TEST(TnefReaderTest, ReadsAttachedFilesWithTheirLongNames) {
  Properties names;
  names.unicode(0x3707, "Ordre du jour détaillé.pdf");
  names.unicode(0x370E, "application/PDF");
  const std::string stream = Stream()
                                 .message_class("IPM.Note")
                                 .file("ORDRED~1.PDF", "%PDF-1.4 body")
                                 .attachment_properties(names)
                                 .file("note.txt", "hello")
                                 .bytes();
  const Content c = read(stream, 4096);
  ASSERT_EQ(c.attachments.size(), 2u);
  EXPECT_EQ(c.attachments[0].filename, "Ordre du jour détaillé.pdf");
  EXPECT_EQ(c.attachments[0].mime_type, "application/pdf");
  EXPECT_EQ(c.attachments[0].data, "%PDF-1.4 body");
  EXPECT_EQ(c.attachments[1].filename, "note.txt");
  EXPECT_EQ(c.attachments[1].data, "hello");
  EXPECT_FALSE(c.reminder_file.has_value());
}

TEST(TnefReaderTest, AStringReminderPropertyOfAnotherSetIsNotTheReminder) {
  Properties p;
  p.unicode(0x851F, "\\\\host\\share\\x.wav");  // a plain property id, not the named one
  const Content c = read(Stream().message_properties(p).bytes(), 4096);
  EXPECT_FALSE(c.reminder_file.has_value());
}

TEST(TnefReaderTest, TruncatedAndHostileStreamsEndCleanly) {
  const std::string whole = testing::reminder_on("\\\\host\\share\\a.wav");
  for (std::size_t cut = 0; cut < whole.size(); ++cut) {
    const Content c = read(std::string_view(whole).substr(0, cut), 4096);
    // Cut inside an attribute: an error; at an attribute's end: what came before, without the
    // reminder (its property block is the last attribute).
    EXPECT_TRUE(!c.errors.empty() || !c.reminder_file.has_value()) << cut;
  }
  // A property count and value sizes far beyond the data.
  std::string block;
  testing::put32(block, 0xFFFFFFFF);
  testing::put16(block, 0x101F);  // multi-valued Unicode
  testing::put16(block, 0x0037);
  testing::put32(block, 0x7FFFFFFF);
  const Content c = read(Stream().attribute(1, 0x00069003, block).bytes(), 4096);
  EXPECT_FALSE(c.errors.empty());
  // An attribute longer than the stream.
  std::string long_attribute = Stream().bytes();
  long_attribute += '\x01';
  testing::put32(long_attribute, 0x00069003);
  testing::put32(long_attribute, 0xFFFFFFF0);
  EXPECT_FALSE(read(long_attribute, 4096).errors.empty());
  EXPECT_FALSE(looks_like_tnef("PK\x03\x04"));
}

TEST(TnefReaderTest, TheAttributeLimitStopsTheReading) {
  Stream s;
  for (int i = 0; i < 50; ++i) s.file("f" + std::to_string(i), "x");
  const Content c = read(s.bytes(), 20);
  EXPECT_TRUE(c.limit_reached);
  EXPECT_EQ(c.attributes, 20u);
  EXPECT_LE(c.attachments.size(), 7u);
}

}  // namespace
}  // namespace vigie::objects::tnef
