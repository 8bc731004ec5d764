// Names of the DNS vocabulary shared by every Resolver implementation (recorded, live, and the
// decorators over them), for logs, error messages and test output.
#include "auth/dns/resolver.h"

namespace vigie::auth::dns {

std::string_view to_string(RecordType type) {
  switch (type) {
    case RecordType::kA: return "A";
    case RecordType::kAaaa: return "AAAA";
    case RecordType::kTxt: return "TXT";
    case RecordType::kMx: return "MX";
    case RecordType::kPtr: return "PTR";
    case RecordType::kCname: return "CNAME";
  }
  return "?";
}

std::string_view to_string(DnsStatus status) {
  switch (status) {
    case DnsStatus::kRecords: return "records";
    case DnsStatus::kNoData: return "no data";
    case DnsStatus::kNxDomain: return "NXDOMAIN";
    case DnsStatus::kTempError: return "temporary error";
  }
  return "?";
}

}  // namespace vigie::auth::dns
