// Test-side writer of small PDFs: numbered object bodies, a cross-reference table with the right
// offsets and a trailer, so that each test states the document it attacks with in PDF syntax.
// Not part of the engine.
#pragma once

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFWriter.hh>

#include <cstdio>
#include <string>
#include <vector>

namespace vigie::objects::pdf::testing {

// A stream object's body: the dictionary entries, /Length, and the data.
inline std::string stream(const std::string& entries, const std::string& data) {
  return "<< " + entries + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

// Object i+1 is bodies[i]; the catalog is object 1. `trailer_extra` adds trailer entries
// (an /Encrypt reference...).
inline std::string write_pdf(const std::vector<std::string>& bodies, const std::string& trailer_extra = "") {
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + bodies[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(bodies.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(bodies.size() + 1) + " /Root 1 0 R " + trailer_extra +
         " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

// The usual frame: catalog (with `catalog_extra`), pages, one page (with `page_extra`), then
// `more` as objects 4, 5...
inline std::string one_page_pdf(const std::string& catalog_extra, const std::string& page_extra,
                                const std::vector<std::string>& more) {
  std::vector<std::string> bodies{
      "<< /Type /Catalog /Pages 2 0 R " + catalog_extra + " >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + page_extra + " >>",
  };
  bodies.insert(bodies.end(), more.begin(), more.end());
  return write_pdf(bodies);
}

// The same PDF encrypted by qpdf's writer (AES-256, R6) with a user password.
inline std::string encrypted(const std::string& pdf, const std::string& user_password) {
  QPDF in;
  in.processMemoryFile("test", pdf.data(), pdf.size());
  QPDFWriter writer(in);
  writer.setOutputMemory();
  writer.setR6EncryptionParameters(user_password.c_str(), "owner-secret", true, true, true, true, true, true,
                                   qpdf_r3p_full, true);
  writer.write();
  const std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace vigie::objects::pdf::testing
