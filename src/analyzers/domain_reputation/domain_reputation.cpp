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
#include "config/section.h"
#include "intel/abused_suffixes/abused_suffixes.h"

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

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  // [analyzers.domain_reputation] lists: the organisation's own suffix lists, after the shipped one.
  std::vector<std::string> extra;
  setup.settings.files("lists", extra);
  Result<intel::AbusedSuffixes> suffixes =
      intel::AbusedSuffixes::load(data_dir(setup.config) + "/abused_suffixes.tsv", extra);
  if (!suffixes) return fail(suffixes.error());
  return std::make_shared<const ReputationState>(std::move(*suffixes));
}

LocalizedText describe(std::string_view what, const intel::AbusedSuffixes::Entry& entry) {
  const std::string suffix = "." + entry.suffix + ", " + entry.source + ")";
  return {std::string(what) + " (under " + suffix, std::string(what) + " (sous " + suffix};
}

void analyze(const ParsedMessage& /*message*/, const ScanContext& context, const AnalyzerState* state,
             FindingSink& sink) {
  const intel::AbusedSuffixes& suffixes = static_cast<const ReputationState&>(*state).suffixes();

  std::vector<Evidence> senders;
  for (const facts::Identity& identity : context.facts.identities()) {
    if (identity.field == facts::IdentityField::kSender) continue;  // the sending service, not the sender
    if (const intel::AbusedSuffixes::Entry* entry = suffixes.match(identity.domain)) {
      senders.push_back({facts::identity_location(identity.field), describe(identity.address, *entry)});
    }
  }
  if (!senders.empty()) sink.emit(FindingId::SENDER_ON_ABUSED_SUFFIX, std::move(senders));

  std::vector<Evidence> links;
  for (const Url* url : context.facts.followable_links()) {
    if (url->host_is_ip) continue;
    if (const intel::AbusedSuffixes::Entry* entry = suffixes.match(url->host_ascii())) {
      links.push_back({context.objects.of_url(*url), "url", describe(url->normalized(), *entry)});
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
