// Message facts: what several analyzers need to know about one message, worked out once, by one
// rule, and remembered for the scan. Before this layer each analyzer re-derived them with rules
// of its own (which text is readable, which link a reader can follow, which domain a sender
// has), so two detectors could disagree about the same message.
//
//   identities()            From, Sender, Reply-To, Return-Path and the envelope sender, each
//                           parsed once, its domain normalised and placed against the profile
//   readable_texts()        the text a reader sees in each text leaf, attachments included
//   followable_links()      the links a reader can follow, in document order, then those read
//                           inside attachments (ObjectTree::urls)
//   urls_in_reading_order() every URL, the followable links first, then resources (images,
//                           style sheets) that load on their own
//
// Everything is computed on first use (a scan that never asks for readable text never builds
// it). A MessageFacts belongs to one scan on one thread, like its ParsedMessage; the views it
// returns live as long as both.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "facts/organisation_profile.h"
#include "vigie/engine.h"
#include "vigie/message.h"
#include "vigie/object.h"

namespace vigie::facts {

enum class IdentityField : std::uint8_t { kFrom, kSender, kReplyTo, kReturnPath, kEnvelopeFrom };
// "From", "Sender", "Reply-To", "Return-Path", "MAIL FROM".
std::string_view identity_field_name(IdentityField field);
// Where an identity was read, as evidence names it: "header:From", "envelope:MAIL FROM".
std::string identity_location(IdentityField field);

// One sender identity of the message.
struct Identity {
  IdentityField field = IdentityField::kFrom;
  Mailbox mailbox;          // as parsed: display name decoded, domain as written
  std::string address;      // lowercase "local@domain" with the normalised domain
  std::string host;         // parse::normalize_host of the domain as written: lowercase ASCII,
                            // IDNs in punycode; empty when it is not a usable host name
  std::string domain;       // `host`, else the domain as written in lowercase (never lost); empty
                            // for a mailbox without a domain ("<>")
  std::string registrable;  // registrable domain of `domain`, the domain itself when it has none
  DomainStanding standing = DomainStanding::kOutside;
};

// The text of one text leaf as the reader sees it.
struct ReadableText {
  PartId part = kNoPart;
  std::string_view text;          // the visible text of an HTML leaf, the UTF-8 text of another
  std::string_view hidden;        // an HTML leaf's text hidden from the reader, one piece a line
  const HtmlContent* html = nullptr;  // the HTML reading, nullptr for other text leaves
  bool attachment = false;        // a file the reader opens (Part::is_attachment), not the body
};

// The text of each text leaf by the rule of MessageFacts::readable_texts, without the hidden text
// (ReadableText::hidden stays empty): for an object analyzer, which runs before the message facts
// are built (an extractor looking in the body for the password of an encrypted archive).
std::vector<ReadableText> visible_texts(const ParsedMessage& message);

// A link the reader can follow: written in an href, a form action, a meta refresh, the text itself
// or a calendar property an invitation offers to open (not an image or style sheet, which load on
// their own), to a web address with a host.
bool is_followable(const Url& url);

class MessageFacts {
 public:
  // `objects`, when given, adds the links its objects' analyzers read (a PDF's, a calendar's) to
  // the message's own.
  MessageFacts(const ParsedMessage& message, const Envelope& envelope,
               const OrganisationProfile& profile, const ObjectTree* objects = nullptr);
  MessageFacts(const MessageFacts&) = delete;
  MessageFacts& operator=(const MessageFacts&) = delete;

  const ParsedMessage& message() const { return message_; }
  const Envelope& envelope() const { return envelope_; }
  const OrganisationProfile& profile() const { return profile_; }

  std::span<const Identity> identities() const;
  // The identities read from one field, in order.
  std::vector<const Identity*> identities(IdentityField field) const;
  // The first From mailbox: who the reader believes wrote; nullptr without a From mailbox.
  const Identity* author() const;

  std::span<const ReadableText> readable_texts() const;
  std::span<const Url* const> followable_links() const;
  std::span<const Url* const> urls_in_reading_order() const;

 private:
  void collect_links() const;

  const ParsedMessage& message_;
  const Envelope& envelope_;
  const OrganisationProfile& profile_;
  const ObjectTree* objects_;
  mutable std::optional<std::vector<Identity>> identities_;
  mutable std::optional<std::vector<ReadableText>> readable_;
  mutable std::deque<std::string> hidden_storage_;  // stable addresses for ReadableText::hidden
  mutable bool links_done_ = false;
  mutable std::vector<const Url*> followable_;
  mutable std::vector<const Url*> reading_order_;
};

}  // namespace vigie::facts
