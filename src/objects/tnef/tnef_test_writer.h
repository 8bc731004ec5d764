// Test helper: writes small TNEF streams ([MS-OXTNEF]) for the reader's and the analyzer's tests,
// so no winmail.dat from real mail is committed. Only what the tests need: attributes, and MAPI
// property blocks with strings, booleans and named properties of PSETID_Common.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigie::objects::tnef::testing {

inline void put16(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
inline void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}
inline void pad4(std::string& out, std::size_t n) { out.append((4 - n % 4) % 4, '\0'); }

// UTF-16LE with a terminating NUL, from UTF-8 text of the Basic Multilingual Plane.
inline std::string utf16(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(utf8[i + k])); };
    std::uint32_t code = b(0);
    std::size_t length = 1;
    if (code >= 0xE0 && i + 2 < utf8.size()) {
      code = (code & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
      length = 3;
    } else if (code >= 0xC0 && i + 1 < utf8.size()) {
      code = (code & 0x1F) << 6 | (b(1) & 0x3F);
      length = 2;
    }
    put16(out, code);
    i += length;
  }
  put16(out, 0);
  return out;
}

inline constexpr std::string_view kPsetidCommon{"\x08\x20\x06\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16};

// A MAPI property list: add properties, then block() is the attribute's data.
class Properties {
 public:
  void unicode(std::uint16_t id, std::string_view text) { variable(0x001F, id, utf16(text)); }
  void named_unicode(std::uint32_t lid, std::string_view text) {
    named(0x001F, lid);
    value(utf16(text));
  }
  void named_boolean(std::uint32_t lid, bool flag) {
    named(0x000B, lid);
    put32(body_, flag ? 1 : 0);
  }
  void binary(std::uint16_t id, std::string_view bytes) { variable(0x0102, id, std::string(bytes)); }
  std::string block() const {
    std::string out;
    put32(out, count_);
    return out + body_;
  }

 private:
  void named(std::uint16_t type, std::uint32_t lid) {
    ++count_;
    put16(body_, type);
    put16(body_, 0x8000 + count_);
    body_.append(kPsetidCommon);
    put32(body_, 0);
    put32(body_, lid);
  }
  void variable(std::uint16_t type, std::uint16_t id, const std::string& data) {
    ++count_;
    put16(body_, type);
    put16(body_, id);
    value(data);
  }
  void value(const std::string& data) {
    put32(body_, 1);
    put32(body_, static_cast<std::uint32_t>(data.size()));
    body_ += data;
    pad4(body_, data.size());
  }
  std::uint32_t count_ = 0;
  std::string body_;
};

class Stream {
 public:
  Stream() {
    put32(out_, 0x223E9F78);
    put16(out_, 0x0001);
  }
  Stream& attribute(std::uint8_t level, std::uint32_t id, std::string_view data) {
    out_.push_back(static_cast<char>(level));
    put32(out_, id);
    put32(out_, static_cast<std::uint32_t>(data.size()));
    out_.append(data);
    std::uint32_t sum = 0;
    for (char c : data) sum += static_cast<unsigned char>(c);
    put16(out_, sum & 0xFFFF);
    return *this;
  }
  Stream& message_class(std::string_view name) { return attribute(1, 0x00078008, std::string(name) + '\0'); }
  Stream& message_properties(const Properties& p) { return attribute(1, 0x00069003, p.block()); }
  Stream& file(std::string_view title, std::string_view data) {
    attribute(2, 0x00069002, std::string(14, '\0'));
    attribute(2, 0x00018010, std::string(title) + '\0');
    return attribute(2, 0x0006800F, data);
  }
  Stream& attachment_properties(const Properties& p) { return attribute(2, 0x00069005, p.block()); }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// The CVE-2023-23397 appointment: reminder override on, sound on `path`.
inline std::string reminder_on(std::string_view path) {
  Properties p;
  p.named_boolean(0x8503, true);  // PidLidReminderSet
  p.named_boolean(0x851C, true);  // PidLidReminderOverride
  p.named_boolean(0x851E, true);  // PidLidReminderPlaySound
  p.named_unicode(0x851F, path);  // PidLidReminderFileParameter
  return Stream().message_class("IPM.Appointment").message_properties(p).bytes();
}

}  // namespace vigie::objects::tnef::testing
