// Fuzz target for our use of qpdf (src/objects/pdf/pdf.h): the walk from the trailer, action and
// trigger reading, file specifications, bounded stream decoding, form fields, and the errors qpdf
// throws on what it cannot repair — none may escape read_pdf. Debian's qpdf is not instrumented:
// libFuzzer sees our side only, and a memory error inside qpdf shows as a crash or a hang. Each
// input is read with small limits (a few hundred objects, 64 KiB per stream) so that the bounds
// are what keep the time per input low. It owns only the harness.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"
#include "objects/pdf/pdf.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  vigie::Limits limits;
  limits.max_pdf_bytes = 1 << 20;
  limits.max_pdf_objects = 400;
  limits.max_pdf_stream_bytes = 64 << 10;
  const vigie::objects::pdf::PdfContent pdf = vigie::objects::pdf::read_pdf(bytes, limits);
  require(pdf.objects_visited <= limits.max_pdf_objects, "at most max_pdf_objects visited");
  require(!pdf.password_required || !pdf.opened, "a PDF that needs a password is not read");
  for (const auto& a : pdf.actions) {
    consume(a.target);
    consume(a.parameters);
    consume(a.event);
    require(a.script.size() <= limits.max_pdf_stream_bytes || a.script.size() <= size,
            "scripts within max_pdf_stream_bytes");
    consume(a.script);
  }
  for (const auto& f : pdf.files) {
    require(f.content != nullptr && f.content->size() <= limits.max_pdf_stream_bytes,
            "embedded files within max_pdf_stream_bytes");
    consume(*f.content);
    consume(f.name);
    consume(f.declared_type);
  }
  for (const auto& n : pdf.password_fields) consume(n);
  consume(pdf.error);
  return 0;
}
