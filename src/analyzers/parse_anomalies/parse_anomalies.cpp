// parse_anomalies: turns the parser's anomalies into findings when they matter for security —
// structures on which a filter and the reader's client can disagree (several From headers,
// boundary tricks, encoded-words that forge an address, conflicting names), content the parser
// could not fully read because of a limit, and files hidden uuencoded in text. Purely structural
// oddities that legitimate mailers also produce are reported once, with a low score.
#include <string>

#include "analyzers/analyzer.h"

namespace vigie::analyzers::parse_anomalies {
namespace {

using verdict::FindingId;

// An anomaly of the top-level part is the message's; one of a part that is not an object (a
// multipart container) names the part in the field. The kind is an identifier and most details are
// data (a header name, a boundary); a detail in the parser's own words has a French rendering.
Evidence anomaly_evidence(const Anomaly& a, const ObjectTree& objects) {
  const ObjectId object = a.part == 0 ? kMessageObject : objects.of_part(a.part);
  std::string field = "structure";
  if (a.part != kNoPart && a.part != 0 && objects.at(object).part != a.part) {
    field += ":part " + std::to_string(a.part);
  }
  LocalizedText value{std::string(anomaly_name(a.kind)), std::string(anomaly_name(a.kind))};
  if (!a.detail.empty()) {
    // A detail that is data leaves the whole line data: no French rendering (value_fr stays empty).
    value.en += ": " + a.detail;
    value.fr += a.detail_fr.empty() ? ": " + a.detail : " : " + a.detail_fr;
  }
  if (a.limit != 0) {
    const std::string counts = " (" + std::to_string(a.observed) + " > " + std::to_string(a.limit) + ")";
    value.en += counts;
    value.fr += counts;
  }
  return Evidence{object, std::move(field), std::move(value)};
}

void analyze(const ParsedMessage& message, const ScanContext& context,
             const AnalyzerState* /*state*/, FindingSink& sink) {
  std::vector<Evidence> multiple_from, duplicates, boundary, conflicting, limits, malformed;
  for (const Anomaly& a : message.anomalies()) {
    switch (a.kind) {
      case AnomalyKind::kDuplicateHeader:
        (a.detail == "From" ? multiple_from : duplicates).push_back(anomaly_evidence(a, context.objects));
        break;
      case AnomalyKind::kNestedBoundaryPrefix:
      case AnomalyKind::kBoundaryWhitespace:
      case AnomalyKind::kBoundaryNotFound:
      case AnomalyKind::kEncodingOnMultipart:
        boundary.push_back(anomaly_evidence(a, context.objects));
        break;
      case AnomalyKind::kDuplicateContentType:
      case AnomalyKind::kFilenameConflict:
        conflicting.push_back(anomaly_evidence(a, context.objects));
        break;
      case AnomalyKind::kMessageTooLarge:
      case AnomalyKind::kDepthLimit:
      case AnomalyKind::kPartLimit:
      case AnomalyKind::kHeaderFieldLimit:
      case AnomalyKind::kDecodedSizeLimit:
      case AnomalyKind::kHtmlSizeLimit:
      case AnomalyKind::kUrlLimit:
      case AnomalyKind::kCalendarLimit:
        limits.push_back(anomaly_evidence(a, context.objects));
        break;
      case AnomalyKind::kNoHeader:
      case AnomalyKind::kNoHeaderBody:
      case AnomalyKind::kHeaderSyntax:
      case AnomalyKind::kMissingBoundary:
      case AnomalyKind::kInvalidContentType:
      case AnomalyKind::kUnknownTransferEncoding:
      case AnomalyKind::kNulByte:
        malformed.push_back(anomaly_evidence(a, context.objects));
        break;
      default:  // charset, encoding and calendar leniencies: common in legitimate mail, not a signal
        break;
    }
  }
  if (!multiple_from.empty()) sink.emit(FindingId::MULTIPLE_FROM, std::move(multiple_from));
  if (!duplicates.empty()) sink.emit(FindingId::DUPLICATE_IDENTITY_HEADER, std::move(duplicates));
  if (!boundary.empty()) sink.emit(FindingId::BOUNDARY_TRICK, std::move(boundary));
  if (!conflicting.empty()) sink.emit(FindingId::CONFLICTING_CONTENT_HEADERS, std::move(conflicting));
  if (!limits.empty()) sink.emit(FindingId::PARSE_LIMIT_EXCEEDED, std::move(limits));
  if (!malformed.empty()) sink.emit(FindingId::MALFORMED_STRUCTURE, std::move(malformed));

  std::vector<Evidence> forged;
  for (std::string_view field : {"From", "Reply-To", "Sender"}) {
    const AddressList list = message.addresses(field);
    if (!list.encoded_word_hides_address) continue;
    for (const Mailbox& m : list.mailboxes) {
      forged.push_back(Evidence{"header:" + std::string(field),
                                "\"" + m.display_name + "\" <" + m.address() + ">"});
    }
  }
  if (!forged.empty()) sink.emit(FindingId::ENCODED_WORD_ADDRESS_TRICK, std::move(forged));

  std::vector<Evidence> hidden_files;
  for (const EmbeddedFile& f : message.embedded_files()) {
    // The file's own object when the extractor put it in the tree, else its text part.
    ObjectId where = context.objects.of_part(f.part);
    for (const Object& object : context.objects) {
      if (object.origin == ObjectOrigin::kUuencoded && object.part == f.part && object.filename == f.filename &&
          object.size() == f.size) {
        where = object.id;
        break;
      }
    }
    const std::string size = std::to_string(f.size);
    hidden_files.push_back(Evidence{where, "uuencoded file",
                                    LocalizedText{f.filename + " (" + size + " bytes, sha256 " + f.hashes.sha256 + ")",
                                                  f.filename + " (" + size + " octets, sha256 " + f.hashes.sha256 +
                                                      ")"}});
  }
  if (!hidden_files.empty()) sink.emit(FindingId::UUENCODED_FILE_IN_TEXT, std::move(hidden_files));
}

constexpr FindingId kEmits[] = {
    FindingId::MULTIPLE_FROM,        FindingId::DUPLICATE_IDENTITY_HEADER,
    FindingId::BOUNDARY_TRICK,       FindingId::CONFLICTING_CONTENT_HEADERS,
    FindingId::PARSE_LIMIT_EXCEEDED, FindingId::MALFORMED_STRUCTURE,
    FindingId::ENCODED_WORD_ADDRESS_TRICK, FindingId::UUENCODED_FILE_IN_TEXT,
};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "parse_anomalies",
      "Parser anomalies that let a filter and a mail client see different messages",
      kEmits,
      nullptr,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::parse_anomalies
