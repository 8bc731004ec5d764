// Files uuencoded in text become objects below their part, and the queue's limits hold.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"

namespace vigie::analyzers {
namespace {

// "begin 644 name" + the uuencoding of "hello\n" + "end".
std::string uuencoded(const std::string& name) { return "begin 644 " + name + "\n&:&5L;&\\*\n`\nend\n"; }

TEST(UuencodedFilesTest, EachFileIsAChildOfItsTextPart) {
  const AnalyzerHarness harness("uuencoded_files");
  const auto run = harness.run("From: a@example.org\n\nsee below\n" + uuencoded("a.exe") + uuencoded("b.txt"));
  ASSERT_EQ(run.objects.size(), 4u);  // message, text part, two files
  const Object& first = run.objects.at(2);
  EXPECT_EQ(first.origin, ObjectOrigin::kUuencoded);
  EXPECT_EQ(first.parent, 1u);
  EXPECT_EQ(first.filename, "a.exe");
  EXPECT_EQ(first.bytes(), "hello\n");
  EXPECT_TRUE(first.is_file());
  EXPECT_EQ(run.objects.path(first.id), "part 0 > a.exe");
  EXPECT_TRUE(run.limits_reached.empty());
}

TEST(UuencodedFilesTest, FilesBeyondTheCountAreRecordedNotLost) {
  Config config;
  config.limits.max_extracted_objects = 2;
  const AnalyzerHarness harness("uuencoded_files", config);
  const auto run = harness.run("From: a@example.org\n\n" + uuencoded("1") + uuencoded("2") + uuencoded("3") +
                               uuencoded("4"));
  EXPECT_EQ(run.objects.size(), 4u);  // message, text, two files
  ASSERT_EQ(run.limits_reached.size(), 1u);
  const LimitCrossing& crossing = run.limits_reached.front();
  EXPECT_EQ(crossing.limit, "max_extracted_objects");
  EXPECT_EQ(crossing.stage, "objects");
  EXPECT_EQ(crossing.not_examined, "2 files beyond the count not extracted");
  EXPECT_EQ(crossing.object, 1u);
  EXPECT_TRUE(run.objects.at(1).flags & kObjectNotExamined);
}

TEST(UuencodedFilesTest, DepthIsBounded) {
  Config config;
  config.limits.max_object_depth = 1;  // the text part is at depth 1: nothing below it
  const AnalyzerHarness harness("uuencoded_files", config);
  const auto run = harness.run("From: a@example.org\n\n" + uuencoded("deep.bin"));
  EXPECT_EQ(run.objects.size(), 2u);
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached.front().limit, "max_object_depth");
}

}  // namespace
}  // namespace vigie::analyzers
