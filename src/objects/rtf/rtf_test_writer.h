// Test-side builders of RTF documents with embedded OLE1 objects ([MS-OLEDS] §2.2.4), for the
// scanner's and the rtf analyzer's tests. Not part of the engine.
#pragma once

#include <cstdint>
#include <string>

namespace vigie::objects::rtf::testing {

inline void put32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
inline void lpas(std::string& out, const std::string& s) {
  put32(out, static_cast<std::uint32_t>(s.size() + 1));
  out += s;
  out += '\0';
}

// An embedded OLE1 object: version, FormatID 2, class, empty topic and item, native data.
inline std::string ole1(const std::string& class_name, const std::string& native) {
  std::string out;
  put32(out, 0x00000501);
  put32(out, 2);
  lpas(out, class_name);
  lpas(out, "");
  lpas(out, "");
  put32(out, static_cast<std::uint32_t>(native.size()));
  return out + native;
}

// The Packager's native data for a file.
inline std::string package(const std::string& label, const std::string& path, const std::string& data) {
  std::string out("\x02\x00", 2);
  out += label + '\0' + path + '\0';
  out += std::string("\x00\x00\x03\x00", 4);
  put32(out, static_cast<std::uint32_t>(path.size() + 1));
  out += path + '\0';
  put32(out, static_cast<std::uint32_t>(data.size()));
  return out + data;
}

// Hexadecimal, `line` digits per line.
inline std::string hex(const std::string& bytes, std::size_t line = 64) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out += kDigits[static_cast<unsigned char>(bytes[i]) >> 4];
    out += kDigits[static_cast<unsigned char>(bytes[i]) & 0xF];
    if (line != 0 && (2 * (i + 1)) % line == 0) out += "\r\n";
  }
  return out;
}

// A document with one \object group around `objdata` (already written as RTF text).
inline std::string document(const std::string& object_group_body) {
  return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\pard Rapport annuel\\par\n"
         "{\\object\\objemb" + object_group_body + "}\\par}\n";
}

}  // namespace vigie::objects::rtf::testing
