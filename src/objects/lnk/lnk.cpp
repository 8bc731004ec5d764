// [MS-SHLLINK] reader: header (§2.1), LinkTargetIDList (§2.2), LinkInfo (§2.3), StringData (§2.4)
// and ExtraData (§2.5), each through a checked cursor over the caller's buffer.
#include "objects/lnk/lnk.h"

#include <array>
#include <cstring>
#include <optional>

#include "common/byte_reader.h"
#include "parse/encoding/charset.h"

namespace vigie::objects::lnk {
namespace {

using bytes::fits;
using bytes::le16;
using bytes::le32;

constexpr std::uint32_t kHasLinkTargetIdList = 0x1;
constexpr std::uint32_t kHasLinkInfo = 0x2;
constexpr std::uint32_t kHasName = 0x4;
constexpr std::uint32_t kHasRelativePath = 0x8;
constexpr std::uint32_t kHasWorkingDir = 0x10;
constexpr std::uint32_t kHasArguments = 0x20;
constexpr std::uint32_t kHasIconLocation = 0x40;
constexpr std::uint32_t kIsUnicode = 0x80;

constexpr std::size_t kHeaderSize = 0x4C;
// {00021401-0000-0000-C000-000000000046}, as stored (little-endian fields).
constexpr std::string_view kShellLinkClsid{"\x01\x14\x02\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16};

constexpr std::uint32_t kEnvironmentVariableBlock = 0xA0000001;
constexpr std::uint32_t kIconEnvironmentBlock = 0xA0000007;
// TargetAnsi (260 bytes) then TargetUnicode (520 bytes) after the 8-byte block header (§2.5.4).
constexpr std::size_t kEnvironmentBlockSize = 0x314;

std::string from_utf16le(std::string_view bytes) {
  std::string out;
  parse::convert_to_utf8(bytes, "UTF-16LE", out);
  return out;
}
std::string from_ansi(std::string_view bytes) {
  std::string out;
  parse::convert_to_utf8(bytes, "windows-1252", out);
  return out;
}

// A NUL-terminated ANSI string at `at`, inside `b`; nullopt when it runs off the end.
std::optional<std::string> ansi_z(std::string_view b, std::size_t at) {
  if (at >= b.size()) return std::nullopt;
  const std::size_t end = b.find('\0', at);
  if (end == std::string_view::npos) return std::nullopt;
  return from_ansi(b.substr(at, end - at));
}
// A NUL-terminated UTF-16LE string at `at`.
std::optional<std::string> unicode_z(std::string_view b, std::size_t at) {
  for (std::size_t i = at; fits(b, i, 2); i += 2) {
    if (le16(b, i) == 0) return from_utf16le(b.substr(at, i - at));
  }
  return std::nullopt;
}

class Reader {
 public:
  Reader(std::string_view bytes, Shortcut& out) : b_(bytes), out_(out) {}

  void read() {
    if (!fits(b_, 0, kHeaderSize) || le32(b_, 0) != kHeaderSize || b_.substr(4, 16) != kShellLinkClsid) return;
    out_.valid = true;
    out_.flags = le32(b_, 0x14);
    out_.icon_index = static_cast<std::int32_t>(le32(b_, 0x38));
    out_.show_command = le32(b_, 0x3C);
    pos_ = kHeaderSize;
    if ((out_.flags & kHasLinkTargetIdList) && !read_id_list()) return;
    if ((out_.flags & kHasLinkInfo) && !read_link_info()) return;
    const bool unicode = out_.flags & kIsUnicode;
    for (const auto& [flag, field] : std::array<std::pair<std::uint32_t, std::string*>, 5>{{
             {kHasName, &out_.name},
             {kHasRelativePath, &out_.relative_path},
             {kHasWorkingDir, &out_.working_dir},
             {kHasArguments, &out_.arguments},
             {kHasIconLocation, &out_.icon_location},
         }}) {
      if (!(out_.flags & flag)) continue;
      if (!read_string_data(unicode, *field)) return;
    }
    read_extra_data();
  }

 private:
  void error(std::string what) { out_.errors.push_back(std::move(what)); }

  // §2.2: IDListSize, then ItemIDs (each ItemIDSize + data) up to a zero TerminalID. The names of
  // the file-system items (type 0x3X, §2.2.2 of [MS-SHLLINK] leaves their layout to the shell:
  // [MS-SHLLINK] only bounds them) give the target when LinkInfo is absent, as in many
  // hand-made malicious shortcuts.
  bool read_id_list() {
    if (!fits(b_, pos_, 2)) return error("LinkTargetIDList cut short"), false;
    const std::size_t size = le16(b_, pos_);
    pos_ += 2;
    if (!fits(b_, pos_, size)) return error("LinkTargetIDList larger than the file"), false;
    const std::string_view list = b_.substr(pos_, size);
    pos_ += size;
    std::size_t at = 0;
    std::string path;
    while (fits(list, at, 2)) {
      const std::size_t item_size = le16(list, at);
      if (item_size == 0) break;
      if (item_size < 3 || !fits(list, at, item_size)) {
        error("shell item overruns the LinkTargetIDList");
        break;
      }
      append_item_name(list.substr(at, item_size), path);
      at += item_size;
    }
    out_.id_list_path = std::move(path);
    return true;
  }

  static void append_item_name(std::string_view item, std::string& path) {
    const auto type = static_cast<unsigned char>(item[2]);
    if ((type & 0x70) == 0x20 && item.size() > 3) {  // a volume: "C:\"
      const std::size_t end = item.find('\0', 3);
      path = from_ansi(item.substr(3, end == std::string_view::npos ? item.size() - 3 : end - 3));
      return;
    }
    if ((type & 0x70) != 0x30 || item.size() <= 14) return;  // a file or folder entry
    // Size(2) type(1) unknown(1) file size(4) modified(4) attributes(2), then the primary name,
    // UTF-16 when bit 0x04 of the type says so.
    std::optional<std::string> name =
        (type & 0x04) ? unicode_z(item, 14) : ansi_z(item, 14);
    if (!name || name->empty()) return;
    if (!path.empty() && path.back() != '\\') path += '\\';
    path += *name;
  }

  // §2.3: the paths the link resolves to on a local volume and on a network share.
  bool read_link_info() {
    if (!fits(b_, pos_, 4)) return error("LinkInfo cut short"), false;
    const std::size_t size = le32(b_, pos_);
    if (size < 0x1C || !fits(b_, pos_, size)) return error("LinkInfo size out of bounds"), false;
    const std::string_view info = b_.substr(pos_, size);
    pos_ += size;
    const std::size_t header_size = le32(info, 4);
    const std::uint32_t info_flags = le32(info, 8);
    const std::size_t local_base = le32(info, 0x10);
    const std::size_t network_offset = le32(info, 0x14);
    const std::size_t suffix_offset = le32(info, 0x18);
    const bool unicode_offsets = header_size >= 0x24 && fits(info, 0x1C, 8);
    std::string suffix;
    if (unicode_offsets && le32(info, 0x20) != 0) {
      suffix = unicode_z(info, le32(info, 0x20)).value_or("");
    } else if (suffix_offset != 0) {
      suffix = ansi_z(info, suffix_offset).value_or("");
    }
    if (info_flags & 0x1) {  // VolumeIDAndLocalBasePath
      std::optional<std::string> base;
      if (unicode_offsets && le32(info, 0x1C) != 0) base = unicode_z(info, le32(info, 0x1C));
      if (!base) base = ansi_z(info, local_base);
      if (!base) error("LinkInfo local base path out of bounds");
      out_.local_base_path = base.value_or("") + suffix;
    }
    if ((info_flags & 0x2) && fits(info, network_offset, 0x14)) {  // CommonNetworkRelativeLink
      const std::string_view link = info.substr(network_offset);
      const std::size_t link_size = le32(link, 0);
      const std::size_t net_name = le32(link, 8);
      std::optional<std::string> name;
      if (net_name > 0x14 && fits(link, 0x14, 4) && link_size <= link.size()) {
        name = unicode_z(link.substr(0, link_size), le32(link, 0x14));
      }
      if (!name && link_size <= link.size()) name = ansi_z(link.substr(0, link_size), net_name);
      if (!name) {
        error("LinkInfo network name out of bounds");
      } else {
        out_.network_path = *name;
        if (!suffix.empty()) out_.network_path += (name->ends_with('\\') ? "" : "\\") + suffix;
      }
    }
    return true;
  }

  // §2.4: CountCharacters (16 bits), then that many characters.
  bool read_string_data(bool unicode, std::string& field) {
    if (!fits(b_, pos_, 2)) return error("StringData cut short"), false;
    const std::size_t count = le16(b_, pos_);
    pos_ += 2;
    const std::size_t bytes = unicode ? 2 * count : count;
    if (!fits(b_, pos_, bytes)) return error("StringData larger than the file"), false;
    const std::string_view text = b_.substr(pos_, bytes);
    field = unicode ? from_utf16le(text) : from_ansi(text);
    pos_ += bytes;
    return true;
  }

  // §2.5: blocks of BlockSize (32 bits, ≥ 4 or the terminal block) and BlockSignature.
  void read_extra_data() {
    while (fits(b_, pos_, 4)) {
      const std::size_t size = le32(b_, pos_);
      if (size < 4) return;
      if (size < 8 || !fits(b_, pos_, size)) return error("ExtraData block overruns the file");
      const std::string_view block = b_.substr(pos_, size);
      pos_ += size;
      const std::uint32_t signature = le32(block, 4);
      if ((signature == kEnvironmentVariableBlock || signature == kIconEnvironmentBlock) &&
          size >= kEnvironmentBlockSize) {
        std::string target = unicode_z(block.substr(0, kEnvironmentBlockSize), 8 + 260).value_or("");
        if (target.empty()) target = ansi_z(block.substr(0, 8 + 260), 8).value_or("");
        if (signature == kEnvironmentVariableBlock) {
          out_.environment_target = std::move(target);
        } else if (out_.icon_location.empty()) {
          out_.icon_location = std::move(target);
        }
      }
    }
  }

  std::string_view b_;
  Shortcut& out_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string_view Shortcut::target() const {
  for (const std::string* s : {&local_base_path, &network_path, &environment_target, &id_list_path, &relative_path}) {
    if (!s->empty()) return *s;
  }
  return {};
}

Shortcut read_shortcut(std::string_view bytes) {
  Shortcut out;
  Reader(bytes, out).read();
  return out;
}

}  // namespace vigie::objects::lnk
