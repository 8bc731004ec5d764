// smtp_envelope: what the SMTP envelope carries against the mail server itself. Exim expands
// "${...}" in a recipient address it bounces (CVE-2019-10149: "RCPT TO:<${run{...}}@domain>" runs
// a command as root), which Sandworm used against Exim servers in 2019-2020 (NSA, May 2020). No
// address has a reason to hold an expansion, so one in the envelope sender, a recipient or the
// HELO name is an exploitation attempt whatever MTA received it. The envelope comes from the
// milter, the HTTP headers or the command line; archived mail keeps it in Return-Path,
// Delivered-To, X-Original-To and Envelope-To, which are read as well. Owns only the markers.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"

namespace vigie::analyzers::smtp_envelope {
namespace {

using verdict::FindingId;

// Header fields in which an MTA records the envelope it received.
constexpr std::array<std::string_view, 4> kEnvelopeHeaders = {"Return-Path", "Delivered-To", "X-Original-To",
                                                               "Envelope-To"};
// Evidence shows at most this much of an address: the payload can be long.
constexpr std::size_t kMaxShownBytes = 200;

// "${" opens an Exim expansion; "run{" is the item of the published exploit, kept for addresses
// that lost their "$" to an intermediate quoting.
bool holds_expansion(std::string_view address) {
  return address.find("${") != std::string_view::npos || ascii::lowercase(address).find("run{") != std::string::npos;
}

std::string shown(std::string_view address) {
  std::string out(address.substr(0, kMaxShownBytes));
  if (address.size() > kMaxShownBytes) out += "…";
  return out;
}

void analyze(const ParsedMessage& message, const ScanContext& context, const AnalyzerState* /*state*/,
             FindingSink& sink) {
  std::vector<Evidence> evidence;
  const auto check = [&](std::string_view field, std::string_view address) {
    if (holds_expansion(address)) evidence.push_back({std::string(field), shown(address)});
  };
  check("envelope:helo", context.envelope.helo);
  check("envelope:mail_from", context.envelope.mail_from);
  for (const std::string& recipient : context.envelope.recipients) check("envelope:rcpt", recipient);
  for (const HeaderField& field : message.root().headers) {
    for (std::string_view name : kEnvelopeHeaders) {
      if (ascii::iequals(field.name, name)) check("header:" + std::string(name), field.value);
    }
  }
  if (!evidence.empty()) sink.emit(FindingId::MTA_EXPANSION_EXPLOIT, std::move(evidence));
}

constexpr std::array kEmits = {FindingId::MTA_EXPANSION_EXPLOIT};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "smtp_envelope",
      "Exploits of the mail server carried in the SMTP envelope (Exim string expansion, CVE-2019-10149)",
      kEmits,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::smtp_envelope
