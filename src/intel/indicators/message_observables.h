// The message's observables: the one definition of what a message shows that a partner's
// indicator could name, read by the intelligence analyzer (to match them) and by the exports (to
// share them back). The addresses and domains of every sender identity (From, Sender, Reply-To,
// Return-Path, the envelope sender), the client and every Received hop's IP and reverse name,
// every link (URL and host), every file's hashes and name at any depth, the subject.
#pragma once

#include <string>
#include <vector>

#include "facts/message_facts.h"
#include "intel/indicators/indicator.h"
#include "vigie/object.h"

namespace vigie::intel {

// One observable and where the analyst finds it.
struct MessageObservable {
  ObservableType type;
  std::string value;
  ObjectId object = kMessageObject;
  std::string field;  // "header:From", "envelope:client", "url", "sha256", "filename"...
};

// Which digests of each file to list: all of them (exports), or SHA-256 alone when nothing asks
// for the others (the matcher of an index without MD5 or SHA-1 values): two digests fewer over
// every attachment.
enum class FileDigests { kAll, kSha256 };

// In a stable order: identities, client and hops, links in reading order, files in object order
// (SHA-256, SHA-1, MD5, name), the subject. Values may repeat (a domain in From and in a link).
std::vector<MessageObservable> message_observables(const facts::MessageFacts& facts, const ObjectTree& objects,
                                                   FileDigests digests = FileDigests::kAll);

}  // namespace vigie::intel
