// Message facts (see message_facts.h).
#include "facts/message_facts.h"

#include "common/ascii.h"
#include "parse/url/url.h"

namespace vigie::facts {
namespace {

bool is_navigation(UrlSource source) {
  return source == UrlSource::kHref || source == UrlSource::kFormAction ||
         source == UrlSource::kMetaRefresh || source == UrlSource::kText ||
         source == UrlSource::kCalendarProperty;
}

Identity make_identity(IdentityField field, Mailbox mailbox, const OrganisationProfile& profile) {
  Identity identity;
  identity.field = field;
  if (!mailbox.domain.empty()) {
    identity.host = parse::normalize_host(mailbox.domain);
    identity.domain = identity.host.empty() ? ascii::lowercase(mailbox.domain) : identity.host;
    identity.registrable = parse::registrable_domain(identity.domain, parse::WithoutRegistrable::kHost);
    identity.standing = profile.standing(identity.domain);
    identity.address = ascii::lowercase(mailbox.local_part) + "@" + identity.domain;
  } else {
    identity.address = ascii::lowercase(mailbox.local_part);
  }
  identity.mailbox = std::move(mailbox);
  return identity;
}

}  // namespace

std::string_view identity_field_name(IdentityField field) {
  switch (field) {
    case IdentityField::kFrom: return "From";
    case IdentityField::kSender: return "Sender";
    case IdentityField::kReplyTo: return "Reply-To";
    case IdentityField::kReturnPath: return "Return-Path";
    case IdentityField::kEnvelopeFrom: return "MAIL FROM";
  }
  return "From";
}

std::string identity_location(IdentityField field) {
  return (field == IdentityField::kEnvelopeFrom ? "envelope:" : "header:") +
         std::string(identity_field_name(field));
}

bool is_followable(const Url& url) {
  if (!is_navigation(url.source) || !url.valid || url.host_ascii().empty()) return false;
  const std::string_view scheme = url.scheme();
  return scheme == "http" || scheme == "https" || scheme == "ftp";
}

MessageFacts::MessageFacts(const ParsedMessage& message, const Envelope& envelope,
                           const OrganisationProfile& profile, const ObjectTree* objects)
    : message_(message), envelope_(envelope), profile_(profile), objects_(objects) {}

std::span<const Identity> MessageFacts::identities() const {
  if (identities_) return *identities_;
  std::vector<Identity>& out = identities_.emplace();
  constexpr std::pair<IdentityField, std::string_view> kHeaderFields[] = {
      {IdentityField::kFrom, "From"},
      {IdentityField::kSender, "Sender"},
      {IdentityField::kReplyTo, "Reply-To"},
      {IdentityField::kReturnPath, "Return-Path"},
  };
  for (const auto& [field, name] : kHeaderFields) {
    for (const Mailbox& mailbox : message_.addresses(name).mailboxes) {
      out.push_back(make_identity(field, mailbox, profile_));
    }
  }
  if (const std::string& mail_from = envelope_.mail_from; !mail_from.empty()) {
    Mailbox mailbox;
    const std::size_t at = mail_from.rfind('@');
    mailbox.local_part = mail_from.substr(0, at);
    if (at != std::string::npos) mailbox.domain = mail_from.substr(at + 1);
    out.push_back(make_identity(IdentityField::kEnvelopeFrom, std::move(mailbox), profile_));
  }
  return out;
}

std::vector<const Identity*> MessageFacts::identities(IdentityField field) const {
  std::vector<const Identity*> out;
  for (const Identity& identity : identities()) {
    if (identity.field == field) out.push_back(&identity);
  }
  return out;
}

const Identity* MessageFacts::author() const {
  const std::span<const Identity> all = identities();
  return !all.empty() && all.front().field == IdentityField::kFrom ? &all.front() : nullptr;
}

std::vector<ReadableText> visible_texts(const ParsedMessage& message) {
  std::vector<ReadableText> out;
  for (const PartId leaf : message.leaves()) {
    const Part& part = message.part(leaf);
    ReadableText readable;
    readable.part = leaf;
    readable.attachment = part.is_attachment();
    if (const HtmlContent* html = message.html(leaf)) {
      readable.html = html;
      readable.text = html->visible_text;
    } else if (part.is_text()) {
      readable.text = message.text(leaf);
    } else {
      continue;
    }
    out.push_back(readable);
  }
  return out;
}

std::span<const ReadableText> MessageFacts::readable_texts() const {
  if (readable_) return *readable_;
  std::vector<ReadableText>& out = readable_.emplace(visible_texts(message_));
  for (ReadableText& readable : out) {
    if (readable.html == nullptr || readable.html->hidden.empty()) continue;
    std::string& hidden = hidden_storage_.emplace_back();
    for (const HiddenText& h : readable.html->hidden) (hidden += h.text) += '\n';
    readable.hidden = hidden;
  }
  return out;
}

void MessageFacts::collect_links() const {
  if (links_done_) return;
  links_done_ = true;
  const std::span<const Url> in_text = message_.urls();
  const std::span<const Url> in_objects = objects_ != nullptr ? objects_->urls() : std::span<const Url>();
  reading_order_.reserve(in_text.size() + in_objects.size());
  for (const std::span<const Url> urls : {in_text, in_objects}) {
    for (const Url& url : urls) {
      if (is_followable(url)) {
        followable_.push_back(&url);
        reading_order_.push_back(&url);
      }
    }
  }
  for (const std::span<const Url> urls : {in_text, in_objects}) {
    for (const Url& url : urls) {
      if (!is_followable(url)) reading_order_.push_back(&url);
    }
  }
}

std::span<const Url* const> MessageFacts::followable_links() const {
  collect_links();
  return followable_;
}

std::span<const Url* const> MessageFacts::urls_in_reading_order() const {
  collect_links();
  return reading_order_;
}

}  // namespace vigie::facts
