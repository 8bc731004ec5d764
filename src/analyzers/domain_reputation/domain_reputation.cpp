// domain_reputation: the sender's domains (From, Reply-To, Return-Path and the envelope sender)
// and the link targets, checked against the suffixes where throw-away registrations for spam and
// phishing dominate (data/abused_suffixes.tsv). Weak evidence alone: honest sites exist under
// every suffix; it tells the verdict the infrastructure is the cheap, disposable kind campaigns
// use. Owns nothing but the loaded list.
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "intel/abused_suffixes/abused_suffixes.h"
#include "intel/identity/domains.h"

namespace vigie::analyzers::domain_reputation {
namespace {

using verdict::FindingId;

// Links named in the evidence; one is enough for the finding, a few show the pattern.
constexpr std::size_t kMaxLinkEvidence = 5;

class ReputationState final : public AnalyzerState {
 public:
  explicit ReputationState(intel::AbusedSuffixes suffixes) : suffixes_(std::move(suffixes)) {}
  const intel::AbusedSuffixes& suffixes() const { return suffixes_; }

 private:
  intel::AbusedSuffixes suffixes_;
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const Config& config) {
  Result<intel::AbusedSuffixes> suffixes = intel::AbusedSuffixes::load(
      data_dir(config) + "/abused_suffixes.tsv", config.lists.abused_suffixes);
  if (!suffixes) return fail(suffixes.error());
  return std::make_shared<const ReputationState>(std::move(*suffixes));
}

std::string describe(std::string_view what, const intel::AbusedSuffixes::Entry& entry) {
  return std::string(what) + " (under ." + entry.suffix + ", " + entry.source + ")";
}

void analyze(const ParsedMessage& message, const ScanContext& context, const AnalyzerState* state,
             FindingSink& sink) {
  const intel::AbusedSuffixes& suffixes = static_cast<const ReputationState&>(*state).suffixes();

  std::vector<Evidence> senders;
  const auto check_address = [&](std::string_view address, std::string location) {
    const std::string lower = ascii::lowercase(address);
    const std::string domain = intel::identity::normalize_domain(intel::identity::address_domain(lower));
    if (const intel::AbusedSuffixes::Entry* entry = suffixes.match(domain)) {
      senders.push_back({std::move(location), describe(lower, *entry)});
    }
  };
  for (const std::string_view field : {"From", "Reply-To", "Return-Path"}) {
    for (const Mailbox& m : message.addresses(field).mailboxes) {
      check_address(m.address(), "header:" + std::string(field));
    }
  }
  check_address(context.envelope.mail_from, "envelope:MAIL FROM");
  if (!senders.empty()) sink.emit(FindingId::SENDER_ON_ABUSED_SUFFIX, std::move(senders));

  std::vector<Evidence> links;
  for (const Url& url : message.urls()) {
    // What the reader can follow or submit to; images and style sheets load on their own.
    if (url.source != UrlSource::kHref && url.source != UrlSource::kFormAction &&
        url.source != UrlSource::kMetaRefresh && url.source != UrlSource::kText) {
      continue;
    }
    if (url.host_ascii().empty() || url.host_is_ip) continue;
    if (const intel::AbusedSuffixes::Entry* entry = suffixes.match(url.host_ascii())) {
      links.push_back({"part:" + std::to_string(url.part), describe(url.normalized(), *entry)});
      if (links.size() == kMaxLinkEvidence) break;
    }
  }
  if (!links.empty()) sink.emit(FindingId::LINK_ON_ABUSED_SUFFIX, std::move(links));
}

constexpr std::array kEmits = {FindingId::SENDER_ON_ABUSED_SUFFIX, FindingId::LINK_ON_ABUSED_SUFFIX};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "domain_reputation",
      "Sender domains and link targets under domain suffixes dominated by throw-away "
      "registrations",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::domain_reputation
