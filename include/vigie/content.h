// What vigie extracts from the content of text parts: links and forms from HTML and plain text,
// the visible text of HTML the way a browser renders it, text a browser would hide, and what a
// calendar item (text/calendar, RFC 5545) names and links to.
// Values own their strings (they are small relative to the message and kept as evidence).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/anomaly.h"

namespace vigie {

// Where a URL was found.
enum class UrlSource : std::uint8_t {
  kHref,         // <a href>, <area href>
  kSrc,          // <img src>, <iframe src>, <script src>...
  kSrcset,       // a candidate of srcset
  kFormAction,   // <form action>, <button formaction>
  kMetaRefresh,  // <meta http-equiv=refresh content="0;url=...">
  kCssUrl,       // url(...) in a style attribute or <style>
  kOtherAttribute,  // background=, poster=, data=, cite=...
  kText,         // plain text or visible HTML text (including bare www. forms)
  kCalendarProperty,  // the value of a calendar property a calendar application offers to open:
                      // URL, ATTACH, CONFERENCE, SOURCE, an ALTREP parameter (RFC 5545, 7986)
};

// A URL as written and as a browser would fetch it (parse::normalize_url builds them). The text
// fields are views into one buffer the Url owns: a message holds thousands of URLs, and one
// allocation per URL (rather than one per field) is a measurable share of a parse. A view is
// valid until the Url is changed, moved or destroyed.
struct Url {
  // Text fields, in the order assign_text takes them.
  enum class Field : std::uint8_t {
    kRaw,                // as written (after HTML entity decoding)
    kNormalized,         // scheme://host[:port]/path?query#fragment, lowercase scheme and host,
                         // host in ASCII (punycode), percent-decoding of unreserved characters
    kScheme,             // lowercase; "http" assumed for bare www. forms
    kHostAscii,          // IDNA ToASCII (UTS #46), lowercase; empty when the URL has no host
    kHostUnicode,        // IDNA ToUnicode, for display and confusable checks
    kRegistrableDomain,  // eTLD+1 via the public suffix list; empty for IP literals
    kUserinfo,           // text before '@' in the authority (a classic deception)
  };
  static constexpr std::size_t kFieldCount = 7;

  std::string_view raw() const { return field(Field::kRaw); }
  std::string_view normalized() const { return field(Field::kNormalized); }
  std::string_view scheme() const { return field(Field::kScheme); }
  std::string_view host_ascii() const { return field(Field::kHostAscii); }
  std::string_view host_unicode() const { return field(Field::kHostUnicode); }
  std::string_view registrable_domain() const { return field(Field::kRegistrableDomain); }
  std::string_view userinfo() const { return field(Field::kUserinfo); }

  // Replaces every text field, given in Field order.
  void assign_text(const std::array<std::string_view, kFieldCount>& fields);

  std::int32_t port = -1;   // explicit port, -1 when absent
  bool host_is_ip = false;  // IPv4/IPv6 literal (including decimal/hex/octal IPv4 forms)
  bool valid = true;        // false when the host could not be converted (bad IDNA, empty host)
  UrlSource source = UrlSource::kText;
  PartId part = kNoPart;    // the part it came from
  // The file it was read in (a PDF inside a zip), when an object analyzer found it; kNoObject for a
  // link of the part's own text (ObjectTree::of_url).
  ObjectId object = kNoObject;
  std::string anchor_text;  // for kHref: the visible text of the link (deceptive-link checks)

 private:
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  std::string_view field(Field f) const {
    const Span s = spans_[static_cast<std::size_t>(f)];
    return std::string_view(text_).substr(s.offset, s.length);
  }
  std::string text_;
  std::array<Span, kFieldCount> spans_{};
};

struct HtmlForm {
  std::string action;       // raw action attribute (empty: submits to the page itself)
  std::string method;       // lowercase
  bool has_password_input = false;
  std::uint32_t input_count = 0;
};

// Text a reader does not see but a filter would: display:none, visibility:hidden, zero font size,
// foreground colour equal to background, the hidden attribute, off-screen positioning.
struct HiddenText {
  std::string reason;   // "display:none", "font-size:0", "same-colour", "hidden-attribute"...
  std::string text;     // the hidden text (whitespace-collapsed, truncated to a few hundred bytes)
};

struct HtmlContent {
  std::string visible_text;   // what a browser shows, whitespace-collapsed, block elements → '\n'
  std::vector<Url> links;     // every URL-bearing attribute and CSS url(); in a ParsedMessage
                              // they are moved to ParsedMessage::urls()
  std::vector<HtmlForm> forms;
  std::vector<HiddenText> hidden;
  std::uint32_t script_count = 0;         // <script> elements (never executed)
  std::uint32_t event_handler_count = 0;  // on* attributes (onload, onerror...)
  std::string title;
  bool truncated = false;     // input was cut at max_html_bytes
};

// A calendar user a calendar item names: its ORGANIZER (RFC 5545 §3.8.4.3) or an ATTENDEE
// (§3.8.4.1), as written; nothing here is authenticated.
struct CalendarParty {
  enum class Role : std::uint8_t { kOrganizer, kAttendee };
  Role role = Role::kOrganizer;
  std::string address;      // the mail address: the cal-address without "mailto:" (or the EMAIL
                            // parameter, RFC 7986, when the cal-address is no mail address); as
                            // written, not normalised
  std::string common_name;  // CN: the name a calendar application shows
  std::string sent_by;      // SENT-BY without "mailto:": who acts on the user's behalf
};

// A file carried inside a calendar item (ATTACH or IMAGE with VALUE=BINARY, RFC 5545 §3.8.1.1).
struct CalendarFile {
  std::string filename;       // FILENAME, X-FILENAME or X-APPLE-FILENAME; "" when none
  std::string declared_type;  // FMTTYPE, lowercase; "" when none
  std::shared_ptr<const std::string> content;  // decoded from base64
};

// What a calendar item holds that matters for security. Calendar texts are read in full only up
// to the [limits] max_calendar_* limits; `limit` says which one stopped the reading.
struct CalendarContent {
  struct LimitCrossed {
    std::string limit;  // the [limits] key ("max_calendar_properties")
    std::uint64_t observed = 0;
    std::uint64_t allowed = 0;
  };
  bool found = false;          // at least one component (BEGIN:...) was read
  std::string method;          // METHOD, uppercase (REQUEST, REPLY, CANCEL, PUBLISH... RFC 5546
                               // §1.4); "" when absent
  std::vector<CalendarParty> parties;  // organizers and attendees of every component, in order
  std::vector<Url> links;      // in a ParsedMessage they are moved to ParsedMessage::urls()
  std::vector<CalendarFile> files;
  std::uint32_t components = 0;        // components read
  std::uint32_t properties = 0;        // properties read
  std::vector<std::string> errors;     // what could not be read, at most a few, for the analyst
  std::optional<LimitCrossed> limit;   // the limit that cut the reading, if any
};

}  // namespace vigie
