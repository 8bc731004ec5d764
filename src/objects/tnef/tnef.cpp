// TNEF reading ([MS-OXTNEF] §2.1.3): see tnef.h.
#include "objects/tnef/tnef.h"

#include <algorithm>
#include <array>

#include "common/ascii.h"
#include "common/byte_reader.h"
#include "parse/encoding/charset.h"

namespace vigie::objects::tnef {
namespace {

constexpr std::uint32_t kSignature = 0x223E9F78;
constexpr std::size_t kMaxErrors = 4;
constexpr std::size_t kMaxStringBytes = 64 * 1024;  // a kept string (class, file name, path)

// Attribute ids (§2.1.3.3), with their type in the high word.
constexpr std::uint32_t kAttMessageClass = 0x00078008;
constexpr std::uint32_t kAttMsgProps = 0x00069003;
constexpr std::uint32_t kAttAttachRendData = 0x00069002;
constexpr std::uint32_t kAttAttachTitle = 0x00018010;
constexpr std::uint32_t kAttAttachData = 0x0006800F;
constexpr std::uint32_t kAttAttachment = 0x00069005;

// Property types ([MS-OXCDATA] §2.11.1).
constexpr std::uint16_t kMultiValued = 0x1000;
constexpr std::uint16_t kPtString8 = 0x001E;
constexpr std::uint16_t kPtUnicode = 0x001F;
constexpr std::uint16_t kPtBinary = 0x0102;
constexpr std::uint16_t kPtObject = 0x000D;
constexpr std::uint16_t kPtBoolean = 0x000B;

// Property ids.
constexpr std::uint16_t kPrMessageClass = 0x001A;
constexpr std::uint16_t kPrAttachDataBin = 0x3701;
constexpr std::uint16_t kPrAttachLongFilename = 0x3707;
constexpr std::uint16_t kPrAttachFilename = 0x3704;
constexpr std::uint16_t kPrAttachMimeTag = 0x370E;

// PSETID_Common {00062008-0000-0000-C000-000000000046} as stored (little-endian GUID).
constexpr std::array<unsigned char, 16> kPsetidCommon{0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
                                                      0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
constexpr std::uint32_t kLidReminderOverride = 0x851C;
constexpr std::uint32_t kLidReminderPlaySound = 0x851E;
constexpr std::uint32_t kLidReminderFileParameter = 0x851F;

using bytes::ByteReader;

// Values are padded to a multiple of 4 bytes (§2.1.3.4); padding cut off at the end is no error.
void skip_padding(ByteReader& r, std::size_t n) {
  const std::size_t pad = (4 - n % 4) % 4;
  r.skip(std::min(pad, r.remaining()));
}

std::string bounded_string(std::string_view bytes) {
  bytes = bytes.substr(0, kMaxStringBytes);
  while (!bytes.empty() && bytes.back() == '\0') bytes.remove_suffix(1);
  return std::string(bytes);
}

std::string utf16_to_utf8(std::string_view bytes) {
  bytes = bytes.substr(0, kMaxStringBytes);
  while (bytes.size() >= 2 && bytes[bytes.size() - 1] == '\0' && bytes[bytes.size() - 2] == '\0') bytes.remove_suffix(2);
  std::string out;
  parse::convert_to_utf8(bytes, "UTF-16LE", out);
  return out;
}

// Size of one fixed-size value in a property block, 0 for a variable-size or unknown type.
std::size_t fixed_size(std::uint16_t type) {
  switch (type) {
    case 0x0002: case 0x0003: case 0x0004: case 0x000A: case kPtBoolean: return 4;  // 16-bit ones padded
    case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040: return 8;
    case 0x0048: return 16;
    default: return 0;
  }
}

bool is_variable(std::uint16_t type) {
  return type == kPtString8 || type == kPtUnicode || type == kPtBinary || type == kPtObject;
}

class Parser {
 public:
  Parser(std::string_view bytes, std::uint32_t max_attributes) : bytes_(bytes), max_(max_attributes) {}

  Content run() {
    ByteReader r(bytes_);
    if (r.u32() != kSignature) {
      error("no TNEF signature");
      return std::move(out_);
    }
    r.u16();  // legacy key
    while (!r.at_end()) {
      if (!count()) return std::move(out_);
      const std::uint8_t level = r.u8();
      const std::uint32_t id = r.u32();
      const std::uint32_t length = r.u32();
      const std::string_view data = r.take(length);
      r.u16();  // checksum: not checked, a wrong one does not stop Outlook either
      if (r.failed()) {
        error("attribute 0x" + hex(id) + " runs past the end of the stream");
        return std::move(out_);
      }
      if (level != 1 && level != 2) {
        error("attribute level " + std::to_string(level) + " is neither message nor attachment");
        return std::move(out_);
      }
      attribute(id, data);
    }
    return std::move(out_);
  }

 private:
  static std::string hex(std::uint32_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(8, '0');
    for (int i = 7; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
    return out;
  }

  void error(std::string text) {
    if (out_.errors.size() < kMaxErrors) out_.errors.push_back(std::move(text));
  }

  bool count() {
    if (out_.attributes >= max_) {
      out_.limit_reached = true;
      return false;
    }
    ++out_.attributes;
    return true;
  }

  void attribute(std::uint32_t id, std::string_view data) {
    switch (id) {
      case kAttMessageClass: out_.message_class = bounded_string(data); break;
      case kAttAttachRendData: out_.attachments.emplace_back(); break;
      case kAttAttachTitle:
        if (!out_.attachments.empty() && out_.attachments.back().filename.empty()) {
          out_.attachments.back().filename = bounded_string(data);
        }
        break;
      case kAttAttachData:
        if (out_.attachments.empty()) out_.attachments.emplace_back();  // data without its rendering header
        out_.attachments.back().data = data;
        break;
      case kAttMsgProps: properties(data, nullptr); break;
      case kAttAttachment:
        if (!out_.attachments.empty()) properties(data, &out_.attachments.back());
        break;
      default: break;
    }
  }

  // A MAPI property list (§2.1.3.5): count, then each property's tag, name if named, and value.
  void properties(std::string_view block, Attachment* attachment) {
    ByteReader r(block);
    const std::uint32_t n = r.u32();
    for (std::uint32_t i = 0; i < n && !r.failed(); ++i) {
      if (!count()) return;
      const std::uint16_t type = r.u16();
      const std::uint16_t id = r.u16();
      bool common = false;
      std::uint32_t lid = 0;
      if (id >= 0x8000) {
        const std::string_view guid = r.take(16);
        common = guid.size() == 16 && std::equal(kPsetidCommon.begin(), kPsetidCommon.end(),
                                                 reinterpret_cast<const unsigned char*>(guid.data()));
        const std::uint32_t kind = r.u32();
        if (kind == 0) {
          lid = r.u32();
        } else {
          const std::uint32_t name_length = r.u32();
          r.take(name_length);
          skip_padding(r, name_length);
          common = false;
        }
      }
      const std::uint16_t base = static_cast<std::uint16_t>(type & ~kMultiValued);
      const bool multi = (type & kMultiValued) != 0;
      std::uint32_t values = 1;
      if (multi || is_variable(base)) values = r.u32();
      if (fixed_size(base) == 0 && !is_variable(base)) {
        error("property 0x" + hex(static_cast<std::uint32_t>(type) << 16 | id) + " of unknown type: rest of the list not read");
        return;
      }
      for (std::uint32_t v = 0; v < values && !r.failed(); ++v) {
        if (!is_variable(base)) {
          const std::string_view value = r.take(fixed_size(base));
          if (common && base == kPtBoolean && !multi && value.size() == 4) {
            const bool flag = value[0] != 0 || value[1] != 0;
            if (lid == kLidReminderOverride) out_.reminder_override = flag;
            if (lid == kLidReminderPlaySound) out_.reminder_play_sound = flag;
          }
          continue;
        }
        if (values > r.remaining()) {  // each value takes at least its 4-byte size
          error("property value count past the end of the list");
          return;
        }
        const std::uint32_t size = r.u32();
        const std::string_view value = r.take(size);
        skip_padding(r, size);
        if (r.failed() || multi) continue;
        keep(id, base, common, lid, value, attachment);
      }
    }
    if (r.failed()) error("property list cut short");
  }

  void keep(std::uint16_t id, std::uint16_t type, bool common, std::uint32_t lid, std::string_view value,
            Attachment* attachment) {
    const auto text = [&] { return type == kPtUnicode ? utf16_to_utf8(value) : bounded_string(value); };
    if (common && lid == kLidReminderFileParameter && (type == kPtUnicode || type == kPtString8)) {
      out_.reminder_file = text();
      return;
    }
    if (id >= 0x8000) return;
    if (attachment == nullptr) {
      if (id == kPrMessageClass && (type == kPtUnicode || type == kPtString8) && out_.message_class.empty()) {
        out_.message_class = text();
      }
      return;
    }
    if ((id == kPrAttachLongFilename || (id == kPrAttachFilename && attachment->filename.empty())) &&
        (type == kPtUnicode || type == kPtString8)) {
      attachment->filename = text();
    } else if (id == kPrAttachMimeTag && (type == kPtUnicode || type == kPtString8)) {
      attachment->mime_type = ascii::lowercase(text());
    } else if (id == kPrAttachDataBin && type == kPtBinary && attachment->data.empty()) {
      attachment->data = value;
    }
  }

  std::string_view bytes_;
  std::uint32_t max_;
  Content out_;
};

}  // namespace

bool looks_like_tnef(std::string_view bytes) {
  return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("\x78\x9F\x3E\x22", 4);
}

Content read(std::string_view bytes, std::uint32_t max_attributes) { return Parser(bytes, max_attributes).run(); }

}  // namespace vigie::objects::tnef
