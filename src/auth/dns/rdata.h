// Reading DNS resource data in wire format (RFC 1035 §3.3, RFC 3596 §2.2) into DnsRecord, for the
// live resolver: libunbound hands over each record of an answer as its bare RDATA bytes. This file
// owns the checks on those bytes. Every read is bounds-checked and a malformed record is rejected
// (nullopt), never read past; the caller decides what a rejected record means for the answer.
//
// Names come out in the form the rest of the auth code uses: lowercase ASCII, no trailing dot, the
// root as "". A label byte that would change the meaning of the text form — '.', '\\', or anything
// outside printable ASCII — is written as a presentation-format escape (RFC 4343 §2.1: "\\." and
// "\\DDD"), so that a name read here and queried again means the same labels. Compression pointers
// are refused: unbound stores rdata names uncompressed, so one here means corrupt input.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "auth/dns/resolver.h"

namespace vigie::auth::dns {

// The DNS TYPE code of a record type (A 1, CNAME 5, PTR 12, MX 15, TXT 16, AAAA 28).
std::uint16_t type_code(RecordType type);

// One record of `type` from its RDATA. TXT keeps its character-strings apart (an empty RDATA is
// not a valid TXT record, RFC 1035 §3.3.14 requires at least one string).
std::optional<DnsRecord> parse_rdata(RecordType type, std::span<const std::uint8_t> rdata);

// A domain name in uncompressed wire format filling exactly `wire`; nullopt when malformed
// (truncated, a compression pointer, longer than 255 bytes, bytes after the root label).
std::optional<std::string> parse_wire_name(std::span<const std::uint8_t> wire);

}  // namespace vigie::auth::dns
