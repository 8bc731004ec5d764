// Calendar items read with libical (see calendar.h).
#include "parse/calendar/calendar.h"

#include <libical/ical.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "parse/encoding/transfer_decoding.h"
#include "parse/html/html_extract.h"
#include "parse/url/url.h"

namespace vigie::parse {
namespace {

constexpr std::size_t kMaxErrors = 8;        // errors kept for the analyst; the rest are counted
constexpr std::size_t kMaxErrorBytes = 200;  // libical's messages quote the offending line

// libical's error handling is a process-wide switch; built with ICAL_ERRORS_ARE_FATAL it would
// abort() on malformed data. Debian builds it non-fatal; say so once rather than rely on it.
void make_libical_errors_non_fatal() {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

struct ParserDeleter {
  void operator()(icalparser* parser) const { icalparser_free(parser); }
};
struct ComponentDeleter {
  void operator()(icalcomponent* component) const { icalcomponent_free(component); }
};

// The name of a content line as libical's parser finds it (icalparser.c, parser_get_prop_name):
// up to the first ';' or ':' that is outside double quotes, not after a backslash and not the
// first byte, trailing whitespace removed. Mirrored exactly so that the BEGIN/END counted here are
// the ones libical acts on; nullopt when libical finds no name.
std::optional<std::string_view> content_line_name(std::string_view line) {
  bool quoted = false;
  char previous = '\0';
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (previous != '\0' && previous != '\\') {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == ';' || c == ':')) {
        std::string_view name = line.substr(0, i);
        while (!name.empty() && ascii::is_space(name.back())) name.remove_suffix(1);
        return name;
      }
    }
    previous = c;
  }
  return std::nullopt;
}

// "mailto:x@y" → "x@y" (RFC 5545 §3.3.3 cal-address; the scheme in any case).
std::string_view without_mailto(std::string_view address) {
  address = ascii::trim_blanks(address);
  if (ascii::istarts_with(address, "mailto:")) address.remove_prefix(7);
  return address;
}

// Markup a calendar application renders as HTML: Google Calendar writes DESCRIPTION in HTML
// (<p>, <a href>, <br />) without saying so.
bool looks_like_html(std::string_view text) {
  for (std::size_t at = text.find('<'); at != std::string_view::npos && at + 1 < text.size();
       at = text.find('<', at + 1)) {
    const char next = text[at + 1];
    if ((ascii::is_alpha(next) || next == '/' || next == '!') && text.find('>', at) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

class CalendarReader {
 public:
  explicit CalendarReader(const Limits& limits) : limits_(limits) {}

  CalendarContent read(std::string_view text) {
    make_libical_errors_non_fatal();
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (text.size() > limits_.max_calendar_bytes) {
      // Recorded, not a stop: what fits within the limit is still read.
      out_.limit = CalendarContent::LimitCrossed{"max_calendar_bytes", text.size(), limits_.max_calendar_bytes};
      text = text.substr(0, limits_.max_calendar_bytes);
      // The line the limit cut through is left out whole.
      const std::size_t last_break = text.rfind('\n');
      if (last_break != std::string_view::npos) text = text.substr(0, last_break + 1);
    }
    parser_.reset(icalparser_new());
    if (!parser_) {
      error("libical could not create a parser");
      return std::move(out_);
    }
    for_each_content_line(text);
    // Components left open (input cut by a limit, END lines missing) are closed by libical, which
    // keeps the tree it returns and frees it with the parser.
    if (icalcomponent* open = icalparser_clean(parser_.get())) collect(open);
    parser_.reset();
    if (!out_.found) error("no calendar component (BEGIN:VCALENDAR)");
    if (errors_beyond_kept_ > 0) {
      out_.errors.push_back("and " + std::to_string(errors_beyond_kept_) + " more");
    }
    return std::move(out_);
  }

 private:
  void for_each_content_line(std::string_view text) {
    parse::for_each_content_line(text, [this](std::string& line) {
      content_line(line);
      return !stopped_;
    });
  }

  // Counts the line against the limits, then hands it to libical.
  void content_line(std::string& line) {
    // libical reads a line as a C string: what follows a NUL does not exist for it, nor for us.
    if (const std::size_t nul = line.find('\0'); nul != std::string::npos) line.resize(nul);
    while (!line.empty() && ascii::is_space(line.back())) line.pop_back();
    if (ascii::trim_blanks(line).empty()) return;
    const std::optional<std::string_view> name = content_line_name(line);
    if (name && ascii::iequals(*name, "BEGIN")) {
      if (depth_ + 1 > limits_.max_calendar_depth) {
        cross("max_calendar_depth", depth_ + 1, limits_.max_calendar_depth);
        return;
      }
      if (out_.components + 1 > limits_.max_calendar_components) {
        cross("max_calendar_components", out_.components + 1, limits_.max_calendar_components);
        return;
      }
      ++out_.components;
      ++depth_;
      out_.found = true;
      icalparser_add_line(parser_.get(), line.data());
      return;
    }
    if (name && ascii::iequals(*name, "END")) {
      // libical 3.0 writes "Encountered END before BEGIN" to stderr and resets itself: such a line
      // never reaches it.
      if (depth_ == 0) {
        error("END without BEGIN");
        return;
      }
      --depth_;
      if (icalcomponent* done = icalparser_add_line(parser_.get(), line.data())) {
        const std::unique_ptr<icalcomponent, ComponentDeleter> owned(done);
        collect(done);
      }
      return;
    }
    if (depth_ == 0) {
      error("a line outside any component");  // libical would drop it too
      return;
    }
    if (out_.properties + 1 > limits_.max_calendar_properties) {
      cross("max_calendar_properties", out_.properties + 1, limits_.max_calendar_properties);
      return;
    }
    ++out_.properties;
    icalparser_add_line(parser_.get(), line.data());
  }

  void cross(std::string_view limit, std::uint64_t observed, std::uint64_t allowed) {
    stopped_ = true;
    if (!out_.limit) out_.limit = CalendarContent::LimitCrossed{std::string(limit), observed, allowed};
  }

  void error(std::string_view what) {
    if (out_.errors.size() >= kMaxErrors) {
      ++errors_beyond_kept_;
      return;
    }
    std::string kept(what.substr(0, kMaxErrorBytes));
    if (what.size() > kMaxErrorBytes) kept += "...";
    out_.errors.push_back(std::move(kept));
  }

  // Every component of a tree, without recursion: the tree is at most max_calendar_depth deep,
  // but a stack of our own costs nothing.
  void collect(icalcomponent* root) {
    std::vector<icalcomponent*> pending{root};
    while (!pending.empty()) {
      icalcomponent* component = pending.back();
      pending.pop_back();
      for (icalproperty* property = icalcomponent_get_first_property(component, ICAL_ANY_PROPERTY);
           property != nullptr; property = icalcomponent_get_next_property(component, ICAL_ANY_PROPERTY)) {
        read_property(property);
      }
      for (icalcomponent* child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT);
           child != nullptr; child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)) {
        pending.push_back(child);
      }
    }
  }

  // The parameters of one property that matter here.
  struct Parameters {
    std::string common_name, sent_by, email, format_type, filename, alternative;
    bool base64 = false;
  };

  static Parameters parameters_of(icalproperty* property) {
    Parameters out;
    const auto text = [](const char* value) { return value == nullptr ? std::string() : std::string(value); };
    for (icalparameter* p = icalproperty_get_first_parameter(property, ICAL_ANY_PARAMETER); p != nullptr;
         p = icalproperty_get_next_parameter(property, ICAL_ANY_PARAMETER)) {
      switch (icalparameter_isa(p)) {
        case ICAL_CN_PARAMETER: out.common_name = text(icalparameter_get_cn(p)); break;
        case ICAL_SENTBY_PARAMETER: out.sent_by = text(icalparameter_get_sentby(p)); break;
        case ICAL_EMAIL_PARAMETER: out.email = text(icalparameter_get_email(p)); break;
        case ICAL_FMTTYPE_PARAMETER: out.format_type = ascii::lowercase(text(icalparameter_get_fmttype(p))); break;
        case ICAL_FILENAME_PARAMETER: out.filename = text(icalparameter_get_filename(p)); break;
        case ICAL_ALTREP_PARAMETER: out.alternative = text(icalparameter_get_altrep(p)); break;
        case ICAL_ENCODING_PARAMETER: out.base64 = icalparameter_get_encoding(p) == ICAL_ENCODING_BASE64; break;
        case ICAL_X_PARAMETER: {
          const char* name = icalparameter_get_xname(p);
          if (name != nullptr && out.filename.empty() &&
              (ascii::iequals(name, "X-FILENAME") || ascii::iequals(name, "X-APPLE-FILENAME"))) {
            out.filename = text(icalparameter_get_xvalue(p));
          }
          break;
        }
        default: break;
      }
    }
    return out;
  }

  void read_property(icalproperty* property) {
    const icalproperty_kind kind = icalproperty_isa(property);
    const icalvalue* value = icalproperty_get_value(property);
    if (kind == ICAL_XLICERROR_PROPERTY) {
      const char* message = value != nullptr ? icalvalue_get_text(value) : nullptr;
      // Components a limit left open are closed by libical with a "Missing END tag" error: the
      // cut is ours, already said by `limit`, not a fault of the calendar.
      if (out_.limit && message != nullptr && std::string_view(message).starts_with("Missing END tag")) return;
      // An empty property ("LOCATION:" in every Google Calendar invitation without a place) is
      // dropped by libical and harms nothing: not worth an anomaly on genuine invitations.
      if (message != nullptr && std::string_view(message).starts_with("No value for ")) return;
      error(message != nullptr ? message : "unreadable content");
      return;  // its text quotes the line libical could not read, which no application shows
    }
    if (value == nullptr || kind == ICAL_TZURL_PROPERTY) return;
    const Parameters parameters = parameters_of(property);
    if (!parameters.alternative.empty()) link(parameters.alternative, UrlSource::kCalendarProperty);
    switch (kind) {
      case ICAL_METHOD_PROPERTY: {
        const char* method = icalproperty_get_value_as_string(property);
        if (method != nullptr && out_.method.empty()) {
          out_.method = method;
          for (char& c : out_.method) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
        }
        return;
      }
      case ICAL_ORGANIZER_PROPERTY:
      case ICAL_ATTENDEE_PROPERTY:
        party(kind == ICAL_ORGANIZER_PROPERTY ? CalendarParty::Role::kOrganizer : CalendarParty::Role::kAttendee,
              value, parameters);
        return;
      default:
        break;
    }
    const UrlSource uri_source = kind == ICAL_IMAGE_PROPERTY ? UrlSource::kSrc : UrlSource::kCalendarProperty;
    switch (icalvalue_isa(value)) {
      case ICAL_ATTACH_VALUE:
      case ICAL_BINARY_VALUE:
        attachment(icalvalue_get_attach(value), parameters, uri_source);
        break;
      case ICAL_URI_VALUE:
        if (const char* uri = icalvalue_get_uri(value)) link(uri, uri_source);
        break;
      case ICAL_TEXT_VALUE:
        if (const char* text = icalvalue_get_text(value)) read_text(text, parameters);
        break;
      case ICAL_X_VALUE:
        if (const char* text = icalvalue_get_x(value)) read_text(text, parameters);
        break;
      case ICAL_STRING_VALUE:
        if (const char* text = icalvalue_get_string(value)) read_text(text, parameters);
        break;
      default:  // dates, durations, numbers, recurrence rules: no links
        break;
    }
  }

  void party(CalendarParty::Role role, const icalvalue* value, const Parameters& parameters) {
    CalendarParty party;
    party.role = role;
    const char* address = icalvalue_isa(value) == ICAL_CALADDRESS_VALUE ? icalvalue_get_caladdress(value) : nullptr;
    const std::string_view written = address != nullptr ? std::string_view(address) : std::string_view();
    // A cal-address may be any URI (urn:uuid:..., a directory entry); RFC 7986 EMAIL then gives the
    // mail address. A vCalendar 1.0 ATTENDEE is "Name <address>".
    if (ascii::istarts_with(ascii::trim_blanks(written), "mailto:") || written.find('@') != std::string_view::npos) {
      std::string_view mail = without_mailto(written);
      if (const std::size_t open = mail.rfind('<'); open != std::string_view::npos) {
        const std::size_t close = mail.find('>', open);
        if (party.common_name.empty()) party.common_name = std::string(ascii::trim_blanks(mail.substr(0, open)));
        mail = mail.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
      }
      party.address = std::string(mail);
    } else if (!parameters.email.empty()) {
      party.address = std::string(without_mailto(parameters.email));
    }
    if (!parameters.common_name.empty()) party.common_name = parameters.common_name;
    party.sent_by = std::string(without_mailto(parameters.sent_by));
    out_.parties.push_back(std::move(party));
  }

  void attachment(icalattach* attach, const Parameters& parameters, UrlSource uri_source) {
    if (attach == nullptr) return;
    if (icalattach_get_is_url(attach)) {
      if (const char* uri = icalattach_get_url(attach)) link(uri, uri_source);
      return;
    }
    const char* data = reinterpret_cast<const char*>(icalattach_get_data(attach));
    if (data == nullptr) return;
    CalendarFile file;
    file.filename = parameters.filename;
    file.declared_type = parameters.format_type;
    auto content = std::make_shared<std::string>();
    // RFC 5545 §3.2.7: inline binary is base64; a value without ENCODING is taken as written.
    if (parameters.base64) {
      const DecodeStats stats = decode_base64(data, *content, limits_.max_part_decoded_bytes);
      if (stats.truncated) error("inline file larger than max_part_decoded_bytes: cut");
    } else {
      content->assign(std::string_view(data).substr(0, limits_.max_part_decoded_bytes));
    }
    file.content = std::move(content);
    out_.files.push_back(std::move(file));
  }

  void read_text(std::string_view text, const Parameters& parameters) {
    if (parameters.format_type == "text/html" || looks_like_html(text)) {
      HtmlContent html = extract_html(text, limits_);
      for (Url& url : html.links) add(std::move(url));
      text_links(html.visible_text);
      return;
    }
    text_links(text);
  }

  void text_links(std::string_view text) {
    if (out_.links.size() >= limits_.max_urls) return;
    for (const std::string_view raw : find_urls_in_text(text, limits_.max_urls - out_.links.size())) {
      add(normalize_url(raw, UrlSource::kText));
    }
  }

  void link(std::string_view uri, UrlSource source) {
    uri = ascii::trim_blanks(uri);
    // cid: names a MIME part of the same message (RFC 2392), which is an object of its own.
    if (uri.empty() || ascii::istarts_with(uri, "cid:")) return;
    add(normalize_url(uri, source));
  }

  void add(Url url) {
    if (out_.links.size() >= limits_.max_urls) return;
    out_.links.push_back(std::move(url));
  }

  const Limits& limits_;
  CalendarContent out_;
  std::unique_ptr<icalparser, ParserDeleter> parser_;
  std::uint32_t depth_ = 0;
  bool stopped_ = false;
  std::size_t errors_beyond_kept_ = 0;
};

}  // namespace

CalendarContent read_calendar(std::string_view text, const Limits& limits) {
  return CalendarReader(limits).read(text);
}

bool looks_like_calendar(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  while (!bytes.empty() && ascii::is_space(bytes.front())) bytes.remove_prefix(1);
  return ascii::istarts_with(bytes, "BEGIN:VCALENDAR");
}

void for_each_content_line(std::string_view text, const std::function<bool(std::string& line)>& line) {
  std::string logical;
  bool pending = false;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t end = text.find('\n', position);
    std::string_view physical = text.substr(position, end == std::string_view::npos ? std::string_view::npos
                                                                                     : end - position);
    position = end == std::string_view::npos ? text.size() : end + 1;
    if (physical.ends_with('\r')) physical.remove_suffix(1);
    if (pending && !physical.empty() && (physical.front() == ' ' || physical.front() == '\t')) {
      logical.append(physical.substr(1));
      continue;
    }
    if (pending && !line(logical)) return;
    logical.assign(physical);
    pending = true;
  }
  if (pending) line(logical);
}

}  // namespace vigie::parse
