// The smuggling scanner on pages written here: the EnvyScout shape (a base64 string, atob, a Blob
// saved through an object URL and a clicked link), a byte array, a concatenated string, a data:
// URL with a download attribute; and the near-misses that must stay silent (a newsletter with an
// inline picture, a page using Blob for analytics, a short token).
#include "common/test_base64.h"
#include "objects/smuggling/smuggling.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace vigie::objects::smuggling {
namespace {

std::string base64_of(std::string_view bytes) { return test_support::base64(bytes, false); }

// A file of `size` bytes starting with `magic`.
std::string file_of(std::string_view magic, std::size_t size) {
  std::string out(magic);
  for (std::size_t i = out.size(); i < size; ++i) out.push_back(static_cast<char>(i * 7));
  return out;
}

std::string envy_scout(const std::string& payload, std::string_view name) {
  return "<html><body><script>\nvar d = '" + base64_of(payload) +
         "';\nvar b = atob(d); var a = new Uint8Array(b.length);\n"
         "for (var i = 0; i < b.length; i++) a[i] = b.charCodeAt(i);\n"
         "var blob = new Blob([a], {type: 'application/octet-stream'});\n"
         "var l = document.createElement('a'); l.href = window.URL.createObjectURL(blob);\n"
         "l.download = '" + std::string(name) + "'; l.click();\n</script></body></html>\n";
}

TEST(SmugglingScanTest, ABase64StringSavedThroughABlobIsDecoded) {
  const std::string payload = file_of("PK\x03\x04", 6000);
  const Report r = scan(envy_scout(payload, "invoice.zip"), {});
  ASSERT_TRUE(r.assembles_file());
  EXPECT_EQ(r.download_name, "invoice.zip");
  ASSERT_TRUE(r.largest->bytes);
  EXPECT_EQ(*r.largest->bytes, payload);
  EXPECT_EQ(r.largest->encoding, Encoding::kBase64Literal);
  const std::vector<std::string_view> names = api_names(r.apis);
  EXPECT_NE(std::find(names.begin(), names.end(), "atob"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "Blob"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "URL.createObjectURL"), names.end());
}

TEST(SmugglingScanTest, ConcatenatedStringsAreJoined) {
  const std::string payload = file_of("MZ", 4000);
  const std::string b64 = base64_of(payload);
  std::string page = "<script>var d = \"" + b64.substr(0, 1000) + "\" +\n  \"" + b64.substr(1000, 2000) + "\"\n + '" +
                     b64.substr(3000) + "';\nvar x = atob(d); var blob = new Blob([x]); "
                     "navigator.msSaveOrOpenBlob(blob, \"setup.exe\");</script>";
  const Report r = scan(page, {});
  ASSERT_TRUE(r.assembles_file());
  EXPECT_EQ(r.download_name, "setup.exe");
  EXPECT_EQ(*r.largest->bytes, payload);
}

TEST(SmugglingScanTest, AnArrayOfBytesIsDecoded) {
  const std::string payload = file_of("\x7F" "ELF", 1500);
  std::string array = "[";
  for (std::size_t i = 0; i < payload.size(); ++i) {
    if (i) array += i % 3 ? "," : ", ";
    array += i % 5 ? std::to_string(static_cast<unsigned char>(payload[i]))
                   : "0x" + std::string(1, "0123456789abcdef"[static_cast<unsigned char>(payload[i]) >> 4]) +
                         std::string(1, "0123456789abcdef"[static_cast<unsigned char>(payload[i]) & 15]);
  }
  array += "]";
  const std::string page = "<script>var a = new Uint8Array(" + array + ");\nvar u = URL.createObjectURL(new Blob([a]));"
                           "</script><a id=x download=\"tool.bin\">x</a>";
  const Report r = scan(page, {});
  ASSERT_TRUE(r.assembles_file());
  EXPECT_EQ(r.largest->encoding, Encoding::kNumberArray);
  EXPECT_EQ(*r.largest->bytes, payload);
  EXPECT_EQ(r.download_name, "tool.bin");
}

TEST(SmugglingScanTest, AHexStringIsDecodedAsHex) {
  const std::string payload = file_of("MZ", 2000);
  std::string hex;
  for (unsigned char c : payload) {
    hex += "0123456789abcdef"[c >> 4];
    hex += "0123456789abcdef"[c & 15];
  }
  const Report r = scan("<script>var h = '" + hex + "'; var a = new Uint8Array(h.length / 2);"
                        "for (var i = 0; i < a.length; i++) a[i] = parseInt(h.substr(i * 2, 2), 16);"
                        "navigator.msSaveOrOpenBlob(new Blob([a]), 'setup.exe');</script>", {});
  ASSERT_TRUE(r.assembles_file());
  EXPECT_EQ(r.largest->encoding, Encoding::kHexString);
  EXPECT_EQ(*r.largest->bytes, payload);
}

TEST(SmugglingScanTest, AnArrayBeyondBytesIsFoundButNotDecoded) {
  std::string array = "[";
  for (int i = 0; i < 1200; ++i) array += std::to_string(300 + i % 200) + ",";
  array += "1]";
  const Report r = scan("<script>var k = " + array + "; var s = String.fromCharCode.apply(null, k.map(x => x ^ 77));"
                        "var b = new Blob([s]); saveAs(URL.createObjectURL(b));</script>", {});
  ASSERT_TRUE(r.assembles_file());
  EXPECT_FALSE(r.largest->bytes);
}

TEST(SmugglingScanTest, ADataUrlWithADownloadAttributeIsAPayload) {
  const std::string payload = file_of(std::string(0x8001, '\0') + "CD001", 0x9000);
  const std::string page = "<a href=\"data:application/octet-stream;base64," + base64_of(payload) +
                           "\" download=\"scan.iso\">open</a>";
  const Report r = scan(page, {});
  ASSERT_TRUE(r.assembles_file());
  EXPECT_EQ(r.largest->encoding, Encoding::kDataUrl);
  EXPECT_EQ(r.download_name, "scan.iso");
  EXPECT_EQ(*r.largest->bytes, payload);
}

TEST(SmugglingScanTest, TheDecodedPayloadIsBounded) {
  const std::string payload = file_of("PK\x03\x04", 9000);
  const Report r = scan(envy_scout(payload, "a.zip"), ScanLimits{64, 4096});
  ASSERT_TRUE(r.largest && r.largest->bytes);
  EXPECT_EQ(r.largest->bytes->size(), 4096u);
  EXPECT_TRUE(r.largest->truncated);
}

TEST(SmugglingScanTest, CandidatesAreCounted) {
  std::string page = "<script>var b = new Blob([atob(x)]);";
  for (int i = 0; i < 5; ++i) page += "var s" + std::to_string(i) + " = '" + std::string(2100 + static_cast<std::size_t>(i), 'A') + "';\n";
  page += "</script>";
  const Report r = scan(page, ScanLimits{3, 1 << 20});
  EXPECT_TRUE(r.candidates_limited);
  ASSERT_TRUE(r.largest);
  EXPECT_EQ(r.largest->encoded_size, 2102u);  // the largest of the three measured
}

// ---- near-misses ----

TEST(SmugglingScanTest, ANewsletterWithAnInlinePictureIsNotSmuggling) {
  const std::string picture = file_of("\x89PNG\r\n\x1A\n", 9000);
  const std::string page = "<html><body><img src=\"data:image/png;base64," + base64_of(picture) +
                           "\"><p>Download our app: <a href=\"https://example.com/app\">here</a></p>"
                           "<script>var b = new Blob(['x']); navigator.sendBeacon('/t', b);</script></body></html>";
  const Report r = scan(page, {});
  EXPECT_FALSE(r.assembles_file());
}

TEST(SmugglingScanTest, AnalyticsUsingBlobWithoutPayloadIsNotSmuggling) {
  const std::string page =
      "<script>var worker = new Worker(URL.createObjectURL(new Blob(['onmessage=function(e){postMessage(e.data)}'])));"
      "var token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0'; var x = atob(token.split('.')[1]);</script>";
  const Report r = scan(page, {});
  EXPECT_FALSE(r.assembles_file());
  EXPECT_FALSE(r.largest.has_value());
}

TEST(SmugglingScanTest, ALargeStringWithNothingToSaveItIsNotScanned) {
  const std::string page = "<script>var d = '" + base64_of(file_of("MZ", 6000)) + "'; console.log(atob(d).length);</script>";
  const Report r = scan(page, {});
  EXPECT_FALSE(r.assembles_file());
  EXPECT_EQ(r.candidates, 0u);
}

TEST(SmugglingScanTest, HostileShapesEndCleanly) {
  for (const std::string& page : {std::string("'"), std::string("[1,2,"), std::string("[") + std::string(5000, '9'),
                                  std::string("Blob(\"") + std::string(3000, 'A'), std::string("base64,"),
                                  std::string("download='") + std::string(300, 'x')}) {
    const Report r = scan(page, {});
    EXPECT_FALSE(r.assembles_file());
  }
}

}  // namespace
}  // namespace vigie::objects::smuggling
