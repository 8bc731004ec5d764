// A detection as the exports share it: what vigie saw in one message (its observables, the
// partners' indicators it matched) and what it decided, as plain values that outlive the scan.
// `vigie scan --export` builds one from each ScanResult; the event store keeps one per recorded
// detection as a compact JSON record (detection_record) that `vigie intel export` reads back; a
// retro-hunt builds them from its results. The STIX and MISP builders (stix_export.h,
// misp_export.h) read only this.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "facts/message_facts.h"
#include "facts/organisation_profile.h"
#include "intel/indicators/message_observables.h"
#include "vigie/engine.h"
#include "vigie/finding.h"
#include "vigie/result.h"
#include "vigie/verdict.h"

namespace vigie::intel::sharing {

struct Detection {
  std::string message_id;  // the Message-ID header as written; empty when none
  std::string subject;
  std::string sender;      // the author's address (first From mailbox); empty when none
  // The sender's domain is one of ours or a partner's: a forged address of a colleague is no
  // indicator to hand out, so the exports derive none from it.
  bool sender_known_domain = false;
  bool multipart = false;  // the message's top-level content type is multipart/*
  std::int64_t seen_at = 0;  // unix seconds: when vigie scanned it
  Action action = Action::kAccept;
  double score = 0;
  std::vector<std::string> reasons;  // finding ids, highest contribution first
  std::vector<MessageObservable> observables;
  std::vector<IndicatorSighting> sightings;  // every INTEL_MATCH sighting
};

// Worth sharing: the verdict is warn or stronger, or a partner's indicator matched. The event
// store keeps the record of these only; the exports leave the others out.
bool worth_exporting(Action action, bool indicator_matched);
bool worth_exporting(const Detection& detection);
bool worth_exporting(const ScanResult& result);

// The detection of a scan: `facts` are the message facts of result.message (the observables are
// message_observables of them and of result.objects).
Detection detection_of(const ScanResult& result, const facts::MessageFacts& facts, std::int64_t seen_at);
// The same, building the message facts from the envelope and the organisation's profile.
Detection detection_of(const ScanResult& result, const Envelope& envelope, const facts::OrganisationProfile& profile,
                       std::int64_t seen_at);

// The detection as one line of compact JSON, and back. The record is versioned ("v": 1); a record
// that is not one (another version, malformed JSON, a missing key) is an error saying why.
std::string detection_record(const Detection& detection);
Result<Detection> detection_from_record(std::string_view json);

}  // namespace vigie::intel::sharing
