// The RTF scanner: one pass over the bytes with a bounded group stack, decoding only the
// destinations that matter (\objdata, \objclass, \*\template, \*\fldinst); everything else is
// skipped to the next '{', '}' or '\'.
#include "objects/rtf/rtf.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/byte_reader.h"
#include "objects/word_fields.h"

namespace vigie::objects::rtf {
namespace {

using bytes::fits;
using bytes::le32;

// The specification bounds a control word at 32 letters and its parameter at a signed 16-bit
// value; Word reads longer ones, which exploit builders use to break other parsers.
constexpr std::size_t kMaxControlWordLetters = 32;
constexpr std::size_t kMaxDestinationText = 2048;  // \objclass and \*\template text kept
constexpr std::size_t kMaxOle1String = 4096;       // an OLE1 class, topic or item name
constexpr std::size_t kMaxFields = 256;            // field instructions kept (a letter has a few)

enum class Destination : std::uint8_t { kNone, kObjData, kObjClass, kTemplate, kFieldInstruction, kIgnored };

struct GroupState {
  Destination destination = Destination::kNone;
  bool opens_field = false;     // this group's \fldinst began a field: it ends with the group
  int object = -1;              // index in Building, -1 outside an \object
  bool ignorable_next = false;  // "\*" was just read: the next control word is an optional destination
};

struct Building {
  OleObject object;
  std::string data;
  int high_nibble = -1;
  bool decode = true;  // false beyond max_rtf_objects: counted, not decoded
};

// [MS-OLEDS] §2.1.4 LengthPrefixedAnsiString: a 32-bit length (NUL included), then the bytes.
bool read_lpas(std::string_view b, std::size_t& at, std::string& out) {
  if (!fits(b, at, 4)) return false;
  const std::size_t length = le32(b, at);
  at += 4;
  if (length > kMaxOle1String || !fits(b, at, length)) return false;
  std::string_view s = b.substr(at, length);
  if (const std::size_t nul = s.find('\0'); nul != std::string_view::npos) s = s.substr(0, nul);
  out.assign(s);
  at += length;
  return true;
}

// The Packager's native data (undocumented, stable since Windows 3.1): a 16-bit signature, the
// label and the original path (NUL-terminated), a 32-bit marker, the length and bytes of the
// temporary path, then the length and bytes of the file.
void read_package(std::string_view native, OleObject& object) {
  std::size_t at = 2;
  const auto z = [&](std::string& out) {
    if (at >= native.size()) return false;
    const std::size_t end = native.find('\0', at);
    if (end == std::string_view::npos || end - at > kMaxOle1String) return false;
    out.assign(native.substr(at, end - at));
    at = end + 1;
    return true;
  };
  std::string temp_path;
  if (!z(object.package_label) || !z(object.package_path)) return;
  at += 4;
  if (!fits(native, at, 4)) return;
  const std::size_t temp_length = le32(native, at);
  at += 4;
  if (!fits(native, at, temp_length)) return;
  at += temp_length;
  if (!fits(native, at, 4)) return;
  const std::size_t size = le32(native, at);
  at += 4;
  const std::size_t available = std::min(size, native.size() - at);
  object.package_data = std::make_shared<const std::string>(native.substr(at, available));
}

class Scanner {
 public:
  Scanner(std::string_view bytes, const Limits& limits) : b_(bytes), limits_(limits) {}

  RtfScan scan() {
    out_.rtf = b_.starts_with("{\\rt");
    if (!out_.rtf) return std::move(out_);
    stack_.reserve(std::min<std::size_t>(limits_.max_rtf_depth, 64) + 1);
    stack_.push_back(GroupState{});
    std::size_t i = 0;
    while (i < b_.size()) {
      const char c = b_[i];
      if (c == '{') {
        open_group(i);
        ++i;
      } else if (c == '}') {
        close_group();
        ++i;
      } else if (c == '\\') {
        i = control(i);
      } else {
        i = text(i);
      }
    }
    finish();
    return std::move(out_);
  }

 private:
  GroupState& top() { return stack_.back(); }

  void limit(std::string_view key, std::uint64_t observed, std::uint64_t allowed) {
    for (LimitCrossed& l : out_.limits) {
      if (l.limit == key) {
        l.observed = std::max(l.observed, observed);
        return;
      }
    }
    out_.limits.push_back(LimitCrossed{std::string(key), observed, allowed});
  }

  void open_group(std::size_t /*at*/) {
    const std::uint32_t depth = static_cast<std::uint32_t>(stack_.size()) + overflow_;
    out_.max_depth = std::max(out_.max_depth, depth);
    if (stack_.size() >= limits_.max_rtf_depth) {
      // Deeper groups share their parent's state: the text still reaches the destination it is
      // in, and the stack stays bounded.
      ++overflow_;
      limit("max_rtf_depth", depth + 1, limits_.max_rtf_depth);
      return;
    }
    GroupState inner = top();
    inner.ignorable_next = false;
    inner.opens_field = false;
    stack_.push_back(inner);
  }

  void close_group() {
    if (overflow_ > 0) {
      --overflow_;
      return;
    }
    if (stack_.size() <= 1) {
      ++out_.unbalanced_groups;
      return;
    }
    const GroupState closing = top();
    stack_.pop_back();
    if (closing.opens_field) {
      fields_.end(done_fields_);
      for (WordField& f : done_fields_) {
        if (out_.fields.size() < kMaxFields) out_.fields.push_back(std::move(f));
      }
      done_fields_.clear();
    }
    if (closing.destination == Destination::kTemplate && top().destination != Destination::kTemplate) {
      std::string target(ascii::trim_blanks(template_text_));
      while (!target.empty() && (target.back() == '\n' || target.back() == '\r')) target.pop_back();
      if (!target.empty()) out_.templates.push_back(std::move(target));
      template_text_.clear();
    }
  }

  Building* object_of(const GroupState& g) {
    return g.object >= 0 ? &building_[static_cast<std::size_t>(g.object)] : nullptr;
  }

  int new_object(std::size_t at) {
    ++objects_seen_;
    Building b;
    b.object.offset = at;
    if (objects_seen_ > limits_.max_rtf_objects) {
      limit("max_rtf_objects", objects_seen_, limits_.max_rtf_objects);
      if (!building_.empty() && !building_.back().decode) return static_cast<int>(building_.size() - 1);
      b.decode = false;
    }
    building_.push_back(std::move(b));
    return static_cast<int>(building_.size() - 1);
  }

  // A control word or symbol at `at` ('\'); returns the index after it.
  std::size_t control(std::size_t at) {
    std::size_t i = at + 1;
    if (i >= b_.size()) return i;
    const char c = b_[i];
    if (!ascii::is_alpha(c)) {
      ++i;
      if (c == '*') {
        top().ignorable_next = true;
      } else if (c == '\\' || c == '{' || c == '}') {  // an escaped literal
        if (top().destination == Destination::kObjData) {
          if (Building* o = object_of(top())) o->object.hex_junk += 1;
        } else {
          destination_char(c);
        }
      } else if (c == '\'') {
        // \'hh: a character given in hexadecimal; in \objdata it is junk to Word's hex reader.
        const bool hex = i + 1 < b_.size() && ascii::is_hex_digit(b_[i]) && ascii::is_hex_digit(b_[i + 1]);
        if (top().destination == Destination::kObjData) {
          if (Building* o = object_of(top())) o->object.hex_junk += 1;
        } else if (hex) {
          destination_char(static_cast<char>(ascii::hex_value(b_[i]) * 16 + ascii::hex_value(b_[i + 1])));
        }
        if (hex) i += 2;
      }
      return i;
    }
    const std::size_t word_start = i;
    while (i < b_.size() && ascii::is_alpha(b_[i])) ++i;
    const std::string_view word = b_.substr(word_start, i - word_start);
    if (word.size() > kMaxControlWordLetters) ++out_.overlong_control_words;
    bool negative = false;
    if (i < b_.size() && b_[i] == '-') {
      negative = true;
      ++i;
    }
    std::uint64_t parameter = 0;
    bool has_parameter = false;
    while (i < b_.size() && ascii::is_digit(b_[i])) {
      if (parameter < (1ull << 40)) parameter = parameter * 10 + static_cast<std::uint64_t>(b_[i] - '0');
      has_parameter = true;
      ++i;
    }
    if (i < b_.size() && b_[i] == ' ') ++i;  // the delimiter belongs to the control word
    if (word == "bin") return binary(i, has_parameter && !negative ? parameter : 0);
    apply(word, at);
    return i;
  }

  void apply(std::string_view word, std::size_t at) {
    GroupState& g = top();
    const bool ignorable = g.ignorable_next;
    g.ignorable_next = false;
    if (word == "object") {
      g.object = new_object(at);
    } else if (word == "objdata") {
      if (g.object < 0) g.object = new_object(at);
      g.destination = Destination::kObjData;
    } else if (word == "objclass") {
      g.destination = Destination::kObjClass;
    } else if (word == "template") {
      g.destination = Destination::kTemplate;
      template_text_.clear();
    } else if (word == "fldinst" && !g.opens_field) {
      g.destination = Destination::kFieldInstruction;
      g.opens_field = true;
      fields_.begin();
    } else if (word == "fldrslt") {
      // The result Word last displayed: text, not instruction (a nested QUOTE's shown result
      // would otherwise be read twice).
      g.destination = Destination::kIgnored;
    } else if (word == "objupdate" || word == "objautlink" || word == "objlink") {
      if (Building* o = object_of(g)) {
        if (word == "objupdate") o->object.auto_update = true;
        else o->object.linked = true;
      }
    } else if (word == "par" || word == "line") {
      destination_char('\n');
    } else if (word == "tab") {
      destination_char('\t');
    } else if (ignorable) {
      // An optional destination a reader does not know is skipped with its text: inside \objdata,
      // Word skips it too, which is how exploits hide junk among the hex digits.
      g.destination = Destination::kIgnored;
    }
  }

  // \bin N: N raw bytes follow.
  std::size_t binary(std::size_t at, std::uint64_t count) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(count, b_.size() - at));
    if (top().destination == Destination::kObjData) {
      if (Building* o = object_of(top())) {
        o->object.binary = true;
        append_data(*o, b_.substr(at, n));
      }
    }
    return at + n;
  }

  void append_data(Building& o, std::string_view bytes) {
    if (!o.decode) return;
    const std::size_t room = limits_.max_rtf_object_bytes > o.data.size() ? limits_.max_rtf_object_bytes - o.data.size() : 0;
    if (bytes.size() > room) {
      o.object.data_truncated = true;
      limit("max_rtf_object_bytes", o.data.size() + bytes.size(), limits_.max_rtf_object_bytes);
      bytes = bytes.substr(0, room);
    }
    o.data.append(bytes);
  }

  void destination_char(char c) {
    switch (top().destination) {
      case Destination::kObjClass:
        if (Building* o = object_of(top()); o != nullptr && o->object.class_name.size() < kMaxDestinationText) {
          o->object.class_name += c;
        }
        break;
      case Destination::kTemplate:
        if (template_text_.size() < kMaxDestinationText) template_text_ += c;
        break;
      case Destination::kFieldInstruction:
        fields_.text(std::string_view(&c, 1));
        break;
      default:
        break;
    }
  }

  // Plain text from `at` up to the next '{', '}' or '\'.
  std::size_t text(std::size_t at) {
    std::size_t end = b_.find_first_of("{}\\", at);
    if (end == std::string_view::npos) end = b_.size();
    const std::string_view run = b_.substr(at, end - at);
    const GroupState& g = top();
    if (g.destination == Destination::kObjData) {
      if (Building* o = object_of(g)) hex(*o, run);
    } else if (g.destination == Destination::kObjClass || g.destination == Destination::kTemplate ||
               g.destination == Destination::kFieldInstruction) {
      for (char c : run) {
        if (c != '\r' && c != '\n') destination_char(c);
      }
    }
    return end;
  }

  void hex(Building& o, std::string_view run) {
    if (!o.decode) return;
    std::string decoded;
    decoded.reserve(run.size() / 2);
    for (char c : run) {
      if (ascii::is_hex_digit(c)) {
        if (o.high_nibble < 0) {
          o.high_nibble = ascii::hex_value(c);
        } else {
          decoded += static_cast<char>(o.high_nibble * 16 + ascii::hex_value(c));
          o.high_nibble = -1;
        }
      } else if (!ascii::is_space(c)) {
        ++o.object.hex_junk;
      }
    }
    append_data(o, decoded);
  }

  void finish() {
    for (Building& b : building_) {
      if (!b.decode) continue;
      OleObject& o = b.object;
      o.class_name = std::string(ascii::trim_blanks(o.class_name));
      if (!o.class_name.empty() && o.class_name.back() == ';') o.class_name.pop_back();
      if (!read_ole1(b.data, o) && !b.data.empty()) {
        o.native_data = std::make_shared<const std::string>(std::move(b.data));
      }
      if (o.class_name.empty()) o.class_name = o.header_class;
      out_.objects.push_back(std::move(o));
    }
  }

  std::string_view b_;
  const Limits& limits_;
  RtfScan out_;
  std::vector<GroupState> stack_;
  std::uint32_t overflow_ = 0;
  std::vector<Building> building_;
  std::uint32_t objects_seen_ = 0;
  std::string template_text_;
  WordFieldNesting fields_;
  std::vector<WordField> done_fields_;
};

}  // namespace

bool read_ole1(std::string_view data, OleObject& object) {
  if (!fits(data, 0, 8)) return false;
  const std::uint32_t format = le32(data, 4);
  if (format != 1 && format != 2) return false;
  std::size_t at = 8;
  std::string class_name, topic, item;
  if (!read_lpas(data, at, class_name) || !read_lpas(data, at, topic) || !read_lpas(data, at, item)) return false;
  object.format_id = format;
  object.header_class = class_name;
  if (format == 2 && fits(data, at, 4)) {
    const std::size_t size = le32(data, at);
    at += 4;
    const std::size_t available = std::min(size, data.size() - at);
    object.native_data = std::make_shared<const std::string>(data.substr(at, available));
    if (ascii::iequals(class_name, "Package")) read_package(*object.native_data, object);
  }
  return true;
}

RtfScan scan_rtf(std::string_view bytes, const Limits& limits) { return Scanner(bytes, limits).scan(); }

}  // namespace vigie::objects::rtf
