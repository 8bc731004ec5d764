// Fuzz target for the DNS answer parsers of the live resolver (src/auth/dns/rdata.h): RDATA and
// names arrive from the network, i.e. from any server on the path, so they must survive any bytes.
// The first byte picks the record type (A, AAAA, TXT, MX, PTR, CNAME) the rest is parsed as; the
// same bytes are also parsed as a wire name. Checks: a parsed record has the asked type, a name's
// presentation form stays within 4 × 255 bytes (255 on the wire, each byte at most a \DDD escape),
// a TXT record has at least one string and no more bytes than its RDATA.
#include <cstddef>
#include <cstdint>
#include <span>

#include "auth/dns/rdata.h"
#include "fuzz_support.h"

namespace {
constexpr std::size_t kMaxPresentationName = 4 * 255;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using vigie::auth::dns::RecordType;
  static constexpr RecordType kTypes[] = {RecordType::kA,   RecordType::kAaaa, RecordType::kTxt,
                                          RecordType::kMx,  RecordType::kPtr,  RecordType::kCname};
  const RecordType type = kTypes[data[0] % 6];
  const std::span<const std::uint8_t> rdata(data + 1, size - 1);
  if (const auto record = vigie::auth::dns::parse_rdata(type, rdata)) {
    vigie::fuzz::require(record->type == type, "record of another type");
    vigie::fuzz::require(record->name.size() <= kMaxPresentationName, "name over 4 x 255 bytes");
    if (type == RecordType::kTxt) {
      std::size_t bytes = 0;
      for (const auto& s : record->strings) bytes += s.size();
      vigie::fuzz::require(!record->strings.empty() && bytes <= rdata.size(), "TXT strings");
    }
    vigie::fuzz::consume(record->name);
  }
  if (const auto name = vigie::auth::dns::parse_wire_name(rdata)) {
    vigie::fuzz::require(name->size() <= kMaxPresentationName, "wire name over 4 x 255 bytes");
  }
  return 0;
}
