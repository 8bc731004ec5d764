// RecordedResolver: DNS answers from a YAML file instead of the network, for tests and for analysts
// who replay an old message against the DNS that existed when it was received (--dns-zone FILE).
//
// The layout is the `zonedata` of the RFC 7208 test suite (pyspf, openspf.org 2014.04): a mapping
// from a name to a list of records, each a one-key mapping `TYPE: value`, or the bare word TIMEOUT:
//
//   example.com:
//     - TXT:   v=spf1 mx -all              # a string, or a list of strings joined without space
//     - SPF:   v=spf1 -all                 # served as TXT when the name has no TXT entry at all
//     - TXT:   NONE                        # "no TXT here" (stops the SPF→TXT copy, adds nothing)
//     - A:     192.0.2.1
//     - AAAA:  2001:db8::1
//     - MX:    [10, mail.example.com]      # [preference, exchange]; "" is the null MX
//     - PTR:   host.example.com
//     - CNAME: alias.example.net
//     - TIMEOUT                            # queries time out, unless a record of the asked type
//                                          # came earlier in the list (the suite's convention)
//     - A: TIMEOUT                         # only queries of this type time out
//
// A file holds either that mapping directly or a mapping with a `zonedata:` key (so a scenario of
// the suite can be used as it is). The SPF→TXT copy reproduces the suite driver: RFC 7208 dropped
// the SPF RR type, and the suite relies on drivers to publish its SPF entries as TXT. Names are
// matched case-insensitively and without the trailing dot; a name absent from the file is
// NXDOMAIN, a listed name without the asked type is NODATA.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/dns/resolver.h"
#include "vigie/result.h"

namespace vigie::auth::dns {

class RecordedResolver final : public Resolver {
 public:
  // The TTL of every answer with records. The file has none, and a zone loaded for a run never
  // changes during it, so any TTL is right; an hour keeps caches above this resolver (the DKIM key
  // cache) behaving as they do over live DNS.
  static constexpr std::uint32_t kTtl = 3600;

  // One zone from a file holding exactly one YAML document. Errors name "path:line".
  static Result<RecordedResolver> from_file(const std::string& path);
  // Same from text; source_name stands for the file name in error messages.
  static Result<RecordedResolver> from_string(std::string_view yaml,
                                              std::string_view source_name = "<string>");
  // One zone per YAML document, in order, for multi-document files such as the RFC 7208 suite
  // where each scenario has its own zonedata. A document without zonedata gives an empty zone.
  static Result<std::vector<RecordedResolver>> all_from_file(const std::string& path);
  static Result<std::vector<RecordedResolver>> all_from_string(
      std::string_view yaml, std::string_view source_name = "<string>");

  DnsAnswer lookup(std::string_view name, RecordType type) const override;

  std::size_t name_count() const { return zone_.size(); }

  // One line of the zone as loaded; public only so that the loader (a free function in the .cpp)
  // can build it.
  struct Entry {
    enum class Kind : std::uint8_t { kRecord, kNone, kTimeout };
    Kind kind = Kind::kRecord;
    bool any_type = false;  // a bare TIMEOUT applies to every type
    DnsRecord record;       // record.type is the type of kRecord, kNone and typed kTimeout
  };
  using Zone = std::unordered_map<std::string, std::vector<Entry>>;

  explicit RecordedResolver(Zone zone) : zone_(std::move(zone)) {}

 private:
  Zone zone_;
};

}  // namespace vigie::auth::dns
