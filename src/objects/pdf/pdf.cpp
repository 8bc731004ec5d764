// PDF reading with qpdf: a breadth-first walk from the trailer over at most max_pdf_objects
// objects, recording actions with the trigger they were reached by, embedded files, and form
// fields. See pdf.h for what is bounded and why.
#include "objects/pdf/pdf.h"

#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <deque>
#include <limits>
#include <optional>
#include <map>
#include <set>
#include <stdexcept>

namespace vigie::objects::pdf {
namespace {

// Warnings qpdf keeps while repairing a damaged file; each costs memory until read, so they are
// read (and dropped) as the walk goes, and a file that produces this many stops the walk.
constexpr std::size_t kMaxWarnings = 10000;
// Form fields named in the result, and characters kept of a name or address.
constexpr std::size_t kMaxNamedFields = 16;
constexpr std::size_t kMaxText = 4096;
// /Ff bit 14 of a text field ("Password", ISO 32000-1 table 228).
constexpr long long kPasswordFlag = 1 << 13;

// Thrown by BoundedSink when a stream decodes past its budget: qpdf's pipeStreamData catches it
// (as any std::exception from a pipeline), stops the decoder and reports failure.
class StreamBudgetExceeded : public std::runtime_error {
 public:
  StreamBudgetExceeded() : std::runtime_error("decoded stream larger than max_pdf_stream_bytes") {}
};

class BoundedSink final : public Pipeline {
 public:
  BoundedSink(std::string& out, std::size_t budget) : Pipeline("vigie bounded sink", nullptr), out_(out), budget_(budget) {}
  void write(unsigned char const* data, size_t length) override {
    const std::size_t room = budget_ - out_.size();
    if (length > room) {
      out_.append(reinterpret_cast<const char*>(data), room);
      exceeded_ = true;
      throw StreamBudgetExceeded();
    }
    out_.append(reinterpret_cast<const char*>(data), length);
  }
  void finish() override {}
  bool exceeded() const { return exceeded_; }

 private:
  std::string& out_;
  std::size_t budget_;
  bool exceeded_ = false;
};

int strength(Trigger t) {
  switch (t) {
    case Trigger::kOpen: return 4;
    case Trigger::kDocumentScript: return 3;
    case Trigger::kEvent: return 2;
    case Trigger::kClick: return 1;
    case Trigger::kUnreferenced: return 0;
  }
  return 0;
}

std::string clipped(std::string s) {
  if (s.size() > kMaxText) s.resize(kMaxText);
  return s;
}

// Additional-action events that run without the reader doing anything (ISO 32000-1 tables
// 194-197): a page opened or closed, an annotation's page opened or shown, the document closed,
// saved or printed. The others are keystrokes, focus, mouse and field calculations.
bool runs_by_itself(std::string_view event, bool of_page) {
  if (event == "/C") return of_page;
  for (std::string_view e : {"/O", "/PO", "/PV", "/WC", "/WS", "/DS", "/WP", "/DP"}) {
    if (event == e) return true;
  }
  return false;
}

struct Item {
  QPDFObjectHandle object;
  Trigger trigger = Trigger::kUnreferenced;
  std::string event;
  bool additional_actions = false;  // the object is an /AA dictionary: its values run on events
  bool of_page = false;             // ... of a page (where /C is the page closing, not a calculation)
  bool script_tree = false;         // inside the /Names /JavaScript tree: scripts run on opening
};

class Walker {
 public:
  Walker(QPDF& qpdf, const Limits& limits, PdfContent& out) : qpdf_(qpdf), limits_(limits), out_(out) {}

  void walk() {
    push(Item{qpdf_.getTrailer(), Trigger::kUnreferenced, {}, false, false, false});
    while (!queue_.empty()) {
      if (out_.objects_visited >= limits_.max_pdf_objects) {
        limit("max_pdf_objects", out_.objects_visited + queue_.size(), limits_.max_pdf_objects);
        return;
      }
      if (qpdf_.numWarnings() > 0) {
        warnings_ += qpdf_.getWarnings().size();
        if (warnings_ > kMaxWarnings) {
          out_.error = "too many damaged objects (" + std::to_string(warnings_) + " qpdf warnings)";
          return;
        }
      }
      ++out_.objects_visited;
      Item item = std::move(queue_.front());
      queue_.pop_front();
      visit(item);
    }
  }

 private:
  void limit(std::string_view key, std::uint64_t observed, std::uint64_t allowed) {
    for (LimitCrossed& l : out_.limits) {
      if (l.limit == key) return;
    }
    out_.limits.push_back(LimitCrossed{std::string(key), observed, allowed});
  }

  // Each indirect object is visited once; reached again by a path that runs it sooner (an action
  // first met in an orphan array, then as the /OpenAction), its action takes the stronger trigger.
  void push(Item item) {
    if (item.object.isIndirect()) {
      const auto [reached, first] = reached_.try_emplace(item.object.getObjGen(), item.trigger, item.event);
      if (!first) {
        if (strength(item.trigger) > strength(reached->second.first)) {
          reached->second = {item.trigger, item.event};
          if (const auto a = action_of_.find(reached->first); a != action_of_.end()) {
            out_.actions[a->second].trigger = item.trigger;
            out_.actions[a->second].event = item.event;
          }
        }
        return;
      }
    }
    // Budget the queue too: an array of a million references must not become a million entries.
    if (out_.objects_visited + queue_.size() >= limits_.max_pdf_objects) {
      limit("max_pdf_objects", out_.objects_visited + queue_.size() + 1, limits_.max_pdf_objects);
      return;
    }
    queue_.push_back(std::move(item));
  }

  void visit(Item& item) {
    QPDFObjectHandle object = item.object;
    if (object.isIndirect()) {  // the strongest trigger it was reached by while it waited
      const auto& [trigger, event] = reached_.at(object.getObjGen());
      item.trigger = trigger;
      item.event = event;
    }
    if (object.isArray()) {
      for (QPDFObjectHandle element : object.aitems()) {
        if (element.isArray() || element.isDictionary() || element.isStream()) {
          push(Item{element, item.trigger, item.event, false, false, item.script_tree});
        }
      }
      return;
    }
    QPDFObjectHandle dictionary = object.isStream() ? object.getDict() : object;
    if (!dictionary.isDictionary()) return;
    record_action(dictionary, item, object);
    record_embedded_file(dictionary);
    record_field(dictionary);
    for (auto [key, value] : dictionary.ditems()) {
      if (!(value.isArray() || value.isDictionary() || value.isStream())) continue;
      Item child{value, Trigger::kUnreferenced, {}, false, false, false};
      if (item.additional_actions) {
        child.trigger = runs_by_itself(key, item.of_page) ? Trigger::kEvent : Trigger::kClick;
        child.event = key;
      } else if (key == "/OpenAction") {
        child.trigger = Trigger::kOpen;
      } else if (key == "/AA") {
        child.additional_actions = true;
        QPDFObjectHandle type = dictionary.getKey("/Type");
        child.of_page = type.isName() && type.getName() == "/Page";
      } else if (key == "/A") {
        child.trigger = Trigger::kClick;
      } else if (key == "/Next") {
        child.trigger = item.trigger;
        child.event = item.event;
      } else if (key == "/JavaScript" && !value.isStream()) {
        child.trigger = Trigger::kDocumentScript;
        child.script_tree = true;
      } else if (item.script_tree && (key == "/Names" || key == "/Kids")) {
        child.trigger = Trigger::kDocumentScript;
        child.script_tree = true;
      }
      push(std::move(child));
    }
  }

  std::string text_of(QPDFObjectHandle value) {
    if (value.isString()) return clipped(value.getUTF8Value());
    if (value.isName()) return clipped(value.getName());
    return {};
  }

  // A file specification (ISO 32000-1 §7.11): a string, or a dictionary with /UF, /F or the
  // platform keys.
  std::string file_of(QPDFObjectHandle spec) {
    if (spec.isString()) return text_of(spec);
    if (!spec.isDictionary()) return {};
    for (const char* key : {"/UF", "/F", "/DOS", "/Unix", "/Mac"}) {
      if (std::string s = text_of(spec.getKey(key)); !s.empty()) return s;
    }
    return {};
  }

  // Decodes a stream up to max_pdf_stream_bytes; false when it was cut or its filters failed.
  bool read_stream(QPDFObjectHandle stream, std::string& out) {
    // Scripts and files together stay within what the object tree may hold at all.
    if (decoded_ >= limits_.max_extracted_bytes) {
      limit("max_extracted_bytes", decoded_ + 1, limits_.max_extracted_bytes);
      return false;
    }
    BoundedSink sink(out, std::min<std::uint64_t>(limits_.max_pdf_stream_bytes, limits_.max_extracted_bytes - decoded_));
    bool attempted = false;
    const bool ok = stream.pipeStreamData(&sink, &attempted, 0, qpdf_dl_generalized, true, false);
    decoded_ += out.size();
    if (sink.exceeded()) {
      if (out.size() >= limits_.max_pdf_stream_bytes) {
        limit("max_pdf_stream_bytes", limits_.max_pdf_stream_bytes + 1, limits_.max_pdf_stream_bytes);
      } else {
        limit("max_extracted_bytes", decoded_ + 1, limits_.max_extracted_bytes);
      }
      return false;
    }
    return ok;
  }

  void record_action(QPDFObjectHandle dictionary, const Item& item, QPDFObjectHandle object) {
    QPDFObjectHandle type = dictionary.getKey("/S");
    const bool has_script = dictionary.hasKey("/JS");
    if (!type.isName() && !has_script) return;
    const std::string name = type.isName() ? type.getName() : "";
    Action action;
    action.trigger = item.trigger;
    action.event = item.event;
    if (has_script) {
      action.kind = ActionKind::kJavaScript;
      QPDFObjectHandle script = dictionary.getKey("/JS");
      if (script.isStream()) {
        read_stream(script, action.script);
      } else {
        action.script = text_of(script);
      }
    } else if (name == "/URI") {
      action.kind = ActionKind::kUri;
      action.target = text_of(dictionary.getKey("/URI"));
    } else if (name == "/Launch") {
      action.kind = ActionKind::kLaunch;
      action.target = file_of(dictionary.getKey("/F"));
      QPDFObjectHandle windows = dictionary.getKey("/Win");
      if (windows.isDictionary()) {
        if (action.target.empty()) action.target = text_of(windows.getKey("/F"));
        action.parameters = text_of(windows.getKey("/P"));
      }
    } else if (name == "/SubmitForm") {
      action.kind = ActionKind::kSubmitForm;
      action.target = file_of(dictionary.getKey("/F"));
    } else if (name == "/GoToR") {
      action.kind = ActionKind::kGoToRemote;
      action.target = file_of(dictionary.getKey("/F"));
    } else if (name == "/GoToE") {
      action.kind = ActionKind::kGoToEmbedded;
      action.target = file_of(dictionary.getKey("/F"));
    } else if (name == "/ImportData") {
      action.kind = ActionKind::kImportData;
      action.target = file_of(dictionary.getKey("/F"));
    } else {
      return;
    }
    if (object.isIndirect()) action_of_[object.getObjGen()] = out_.actions.size();
    out_.actions.push_back(std::move(action));
  }

  // A file specification with an /EF dictionary: the embedded file stream (/UF or /F).
  void record_embedded_file(QPDFObjectHandle dictionary) {
    QPDFObjectHandle ef = dictionary.getKey("/EF");
    if (!ef.isDictionary()) return;
    QPDFObjectHandle stream = ef.getKey("/UF");
    if (!stream.isStream()) stream = ef.getKey("/F");
    if (!stream.isStream()) return;
    if (stream.isIndirect() && !files_seen_.insert(stream.getObjGen()).second) return;
    EmbeddedFile file;
    file.name = file_of(dictionary);
    QPDFObjectHandle subtype = stream.getDict().getKey("/Subtype");
    if (subtype.isName()) file.declared_type = subtype.getName().substr(1);
    std::string content;
    file.truncated = !read_stream(stream, content);
    file.content = std::make_shared<const std::string>(std::move(content));
    out_.files.push_back(std::move(file));
  }

  void record_field(QPDFObjectHandle dictionary) {
    QPDFObjectHandle type = dictionary.getKey("/FT");
    if (!type.isName() || type.getName() != "/Tx") return;
    ++out_.text_fields;
    QPDFObjectHandle flags = dictionary.getKey("/Ff");
    if (!flags.isInteger() || (flags.getIntValue() & kPasswordFlag) == 0) return;
    if (out_.password_fields.size() < kMaxNamedFields) {
      std::string name = text_of(dictionary.getKey("/T"));
      out_.password_fields.push_back(name.empty() ? "(unnamed)" : std::move(name));
    }
  }

  QPDF& qpdf_;
  const Limits& limits_;
  PdfContent& out_;
  std::deque<Item> queue_;
  std::map<QPDFObjGen, std::pair<Trigger, std::string>> reached_;  // indirect objects queued or visited
  std::set<QPDFObjGen> files_seen_;
  std::map<QPDFObjGen, std::size_t> action_of_;
  std::size_t warnings_ = 0;
  std::uint64_t decoded_ = 0;  // bytes of scripts and files decoded so far
};

// qpdf 11.3 inflates an object stream (/Type /ObjStm) or a cross-reference stream (/XRef) whole,
// in memory, when it first needs it, with no bound of its own (Pl_Flate has none before qpdf 12):
// a megabyte of deflated zeros would become a gigabyte. So before qpdf sees the file, the data of
// every stream whose type is one of those two (spelled plainly or with #-escapes) is inflated here
// into a scratch buffer and dropped, up to max_pdf_stream_bytes each and four times that in all.
// Returns the crossing, if any. A stream that does not inflate (another filter, encrypted data)
// is left to qpdf, which decodes it without this bound.
std::optional<LimitCrossed> check_structure_streams(std::string_view bytes, const Limits& limits) {
  std::vector<std::size_t> markers;
  for (std::string_view plain : {"/ObjStm", "/XRef"}) {
    for (std::size_t at = bytes.find(plain); at != std::string_view::npos; at = bytes.find(plain, at + 1)) {
      markers.push_back(at);
    }
  }
  // A name written with #-escapes (/Obj#53tm) is the same name to qpdf.
  for (std::size_t hash = bytes.find('#'); hash != std::string_view::npos; hash = bytes.find('#', hash + 1)) {
    const std::size_t from = hash > 24 ? hash - 24 : 0;
    std::size_t slash = bytes.substr(from, hash - from).rfind('/');
    if (slash == std::string_view::npos) continue;
    slash += from;
    std::string name;
    std::size_t i = slash + 1;
    while (i < bytes.size() && i - slash < 32 && std::string_view("/[]<>() \t\r\n%").find(bytes[i]) == std::string_view::npos) {
      if (bytes[i] == '#' && i + 2 < bytes.size() && std::isxdigit(static_cast<unsigned char>(bytes[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(bytes[i + 2]))) {
        name += static_cast<char>(std::stoi(std::string(bytes.substr(i + 1, 2)), nullptr, 16));
        i += 3;
      } else {
        name += bytes[i++];
      }
    }
    if (name == "ObjStm" || name == "XRef") markers.push_back(slash);
  }
  std::sort(markers.begin(), markers.end());
  std::uint64_t total = 0;
  std::size_t last_stream = std::string_view::npos;
  std::string scratch(64 << 10, '\0');
  for (std::size_t marker : markers) {
    // The stream keyword follows its dictionary closely; every search stays in a window, so that
    // a file full of markers costs linear time.
    const std::string_view window = bytes.substr(marker, 4096);
    std::size_t at = window.find("stream");
    while (at != std::string_view::npos && at >= 3 && window.substr(at - 3, 3) == "end") at = window.find("stream", at + 6);
    if (at == std::string_view::npos) continue;
    at += marker;
    if (at == last_stream) continue;
    last_stream = at;
    at += 6;
    if (at < bytes.size() && bytes[at] == '\r') ++at;
    if (at < bytes.size() && bytes[at] == '\n') ++at;
    z_stream z{};
    if (inflateInit(&z) != Z_OK) continue;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + at));
    z.avail_in = static_cast<uInt>(std::min<std::size_t>(bytes.size() - at, std::numeric_limits<uInt>::max()));
    std::uint64_t out = 0;
    int status = Z_OK;
    while (status == Z_OK) {
      z.next_out = reinterpret_cast<Bytef*>(scratch.data());
      z.avail_out = static_cast<uInt>(scratch.size());
      status = inflate(&z, Z_NO_FLUSH);
      out += scratch.size() - z.avail_out;
      if (out > limits.max_pdf_stream_bytes) break;
    }
    inflateEnd(&z);
    total += out;
    if (out > limits.max_pdf_stream_bytes) return LimitCrossed{"max_pdf_stream_bytes", out, limits.max_pdf_stream_bytes};
    if (total > 4 * limits.max_pdf_stream_bytes) {
      return LimitCrossed{"max_pdf_stream_bytes", total, 4 * limits.max_pdf_stream_bytes};
    }
  }
  return std::nullopt;
}

}  // namespace

PdfContent read_pdf(std::string_view bytes, const Limits& limits, const std::vector<std::string>& passwords) {
  PdfContent out;
  if (bytes.size() > limits.max_pdf_bytes) {
    out.limits.push_back(LimitCrossed{"max_pdf_bytes", bytes.size(), limits.max_pdf_bytes});
    return out;
  }
  if (std::optional<LimitCrossed> bomb = check_structure_streams(bytes, limits)) {
    out.limits.push_back(std::move(*bomb));
    out.error = "an object or cross-reference stream inflates beyond max_pdf_stream_bytes: not opened";
    return out;
  }
  // An encrypted PDF opens with the empty user password when it has one (most encrypted PDFs
  // restrict printing or copying only); otherwise qpdf throws qpdf_e_password, and the given
  // passwords are tried, each on a fresh QPDF.
  std::unique_ptr<QPDF> qpdf;
  for (std::size_t attempt = 0; attempt <= passwords.size(); ++attempt) {
    static const std::string kEmptyPassword;
    const std::string& password = attempt == 0 ? kEmptyPassword : passwords[attempt - 1];
    qpdf = std::make_unique<QPDF>();
    // Warnings are kept in the QPDF object (read and dropped by the walk), never printed.
    qpdf->setSuppressWarnings(true);
    try {
      qpdf->processMemoryFile("attachment", bytes.data(), bytes.size(), password.c_str());
      out.password_used = password;
      out.password_required = false;
      break;
    } catch (const QPDFExc& e) {
      if (e.getErrorCode() != qpdf_e_password) {
        out.error = e.what();
        return out;
      }
      out.encrypted = true;
      out.password_required = true;
    } catch (const std::runtime_error& e) {  // qpdf reports damage it cannot repair this way too
      out.error = e.what();
      return out;
    }
  }
  if (out.password_required) return out;
  out.opened = true;
  out.encrypted = qpdf->isEncrypted();
  try {
    Walker(*qpdf, limits, out).walk();
  } catch (const std::runtime_error& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace vigie::objects::pdf
