// Fuzz target for DMARC (src/auth/dmarc/): the policy record comes from DNS, i.e. from whoever owns
// the From domain, so parse_record() and evaluate() must survive any bytes. It owns only the harness:
//
//   first byte   bits 0-1: the From domain (sub.example.org, example.org, a.b.example.co.uk, "");
//                bit 2: an aligned DKIM pass; bit 3: an SPF pass for example.org; bit 4: a valid
//                ARC chain sealed by the trusted sealer;
//   the rest     split on '\n' into up to 2 TXT records at _dmarc.example.org (0x1f separates the
//                character-strings of one record).
//
// Besides crashes it checks the promises of dmarc.h: a known result, a disposition that is one of
// the three policies and never stronger than the policy, pass only with an aligned identifier.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/dmarc/dmarc.h"
#include "auth/dns/recorded_resolver.h"
#include "fuzz_support.h"

namespace {

using vigie::ArcChainStatus;
using vigie::AuthResultCode;
using vigie::auth::dns::DnsRecord;
using vigie::auth::dns::RecordedResolver;
using vigie::auth::dns::RecordType;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  const std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);

  RecordedResolver::Zone zone;
  std::size_t start = 0;
  for (int line = 0; line < 2 && start <= payload.size(); ++line) {
    const std::size_t end = std::min(payload.find('\n', start), payload.size());
    DnsRecord record;
    record.type = RecordType::kTxt;
    std::string_view text = payload.substr(start, end - start);
    while (true) {
      const std::size_t cut = text.find('\x1f');
      record.strings.emplace_back(text.substr(0, cut));
      if (cut == std::string_view::npos) break;
      text.remove_prefix(cut + 1);
    }
    vigie::fuzz::consume(vigie::auth::dmarc::parse_record(payload.substr(start, end - start)).has_value());
    RecordedResolver::Entry entry;
    entry.record = std::move(record);
    zone["_dmarc.example.org"].push_back(std::move(entry));
    start = end + 1;
  }
  const RecordedResolver resolver(std::move(zone));

  static const char* const kFrom[] = {"sub.example.org", "example.org", "a.b.example.co.uk", ""};
  vigie::SpfAuthResult spf;
  spf.result = (control & 8) ? AuthResultCode::kPass : AuthResultCode::kFail;
  spf.domain = "example.org";
  std::vector<vigie::DkimAuthResult> dkim(1);
  dkim[0].result = (control & 4) ? AuthResultCode::kPass : AuthResultCode::kFail;
  dkim[0].domain = "example.org";
  vigie::ArcAuthResult arc;
  arc.result = (control & 16) ? ArcChainStatus::kPass : ArcChainStatus::kNone;
  arc.sealer = "sealer.example";
  const std::vector<std::string> trusted{"sealer.example"};

  vigie::auth::dmarc::DmarcInputs in;
  in.from_domain = kFrom[control & 3];
  in.spf = &spf;
  in.dkim = dkim;
  in.arc = &arc;
  in.trusted_arc_sealers = trusted;
  in.sample_key = payload.substr(0, 16);
  const vigie::DmarcAuthResult r = vigie::auth::dmarc::evaluate(resolver, in);

  const AuthResultCode res = r.result;
  vigie::fuzz::require(res == AuthResultCode::kPass || res == AuthResultCode::kFail ||
                           res == AuthResultCode::kNone || res == AuthResultCode::kTempError ||
                           res == AuthResultCode::kPermError,
                       "unknown DMARC result");
  vigie::fuzz::require(to_string(r.disposition) != "?", "the disposition is one of the policies");
  // DmarcPolicy is ordered from the weakest to the strongest.
  vigie::fuzz::require(!r.policy || r.disposition <= *r.policy,
                       "disposition stronger than the policy");
  vigie::fuzz::require(r.policy || r.disposition == vigie::DmarcPolicy::kNone,
                       "a disposition without a policy");
  vigie::fuzz::require(res != AuthResultCode::kPass || r.spf_aligned || r.dkim_aligned,
                       "pass without alignment");
  vigie::fuzz::consume(r.reason);
  return 0;
}
