// MS-OVBA decompression, `dir` records and VBA projects in compound files (see ovba.h).
#include "objects/ovba/ovba.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/byte_reader.h"
#include "parse/encoding/charset.h"

namespace vigie::objects::ovba {
namespace {

using bytes::le16;
using bytes::le32;

constexpr std::size_t kChunkSize = 4096;  // decompressed bytes per chunk (2.4.1.1.3)

// 2.4.1.3.19.1: the width of a copy token's offset grows with the position in the chunk.
unsigned offset_bits(std::size_t difference) {
  unsigned bits = 4;
  while (bits < 12 && (std::size_t{1} << bits) < difference) ++bits;
  return bits;
}

std::string in_code_page(std::string_view bytes, std::uint16_t code_page) {
  std::string out;
  parse::convert_to_utf8(bytes, code_page_charset(code_page), out);
  return out;
}

// Record ids of the `dir` stream (2.3.4.2) that this reader uses.
enum Record : std::uint16_t {
  kCodePage = 0x0003,
  kProjectName = 0x0004,
  kProjectVersion = 0x0009,  // its Size field says 4, but 6 bytes follow
  kDirTerminator = 0x0010,
  kModuleName = 0x0019,
  kModuleStreamName = 0x001A,
  kModuleTypeProcedural = 0x0021,
  kModuleTypeDocument = 0x0022,
  kModuleTerminator = 0x002B,
  kModuleOffset = 0x0031,
  kModuleStreamNameUnicode = 0x0032,
  kModuleNameUnicode = 0x0047,
};

}  // namespace

Decompressed decompress(std::string_view c, std::size_t max_out) {
  Decompressed d;
  if (c.empty() || c[0] != 0x01) {
    d.error = "no compressed container signature";
    return d;
  }
  if (max_out == 0) {  // nothing may be written: every push below checks after writing
    d.cut = c.size() > 1;
    return d;
  }
  std::string& out = d.bytes;
  const auto full = [&] {
    if (out.size() < max_out) return false;
    d.cut = true;
    return true;
  };
  std::size_t pos = 1;
  while (pos < c.size()) {
    if (pos + 2 > c.size()) {
      d.error = "chunk header cut off";
      return d;
    }
    const std::uint16_t header = le16(c, pos);
    if (((header >> 12) & 0x7) != 0x3) {
      d.error = "bad chunk signature at byte " + std::to_string(pos);
      return d;
    }
    const std::size_t chunk_end = std::min(c.size(), pos + (header & 0x0FFF) + 3);
    const bool compressed = (header & 0x8000) != 0;
    const std::size_t chunk_start = out.size();
    std::size_t p = pos + 2;
    if (!compressed) {
      const std::size_t take = std::min({kChunkSize, chunk_end - p, max_out - out.size()});
      out.append(c.substr(p, take));
      if (full()) return d;
    } else {
      while (p < chunk_end) {
        const auto flags = static_cast<unsigned char>(c[p++]);
        for (unsigned bit = 0; bit < 8 && p < chunk_end; ++bit) {
          if ((flags & (1u << bit)) == 0) {
            out.push_back(c[p++]);
            if (full()) return d;
            continue;
          }
          if (p + 2 > chunk_end) {
            d.error = "copy token cut off at byte " + std::to_string(p);
            return d;
          }
          const std::uint16_t token = le16(c, p);
          p += 2;
          const std::size_t difference = out.size() - chunk_start;
          const unsigned bits = offset_bits(difference);
          const std::size_t length = (token & (0xFFFFu >> bits)) + 3;
          const std::size_t offset = (static_cast<std::size_t>(token) >> (16 - bits)) + 1;
          if (offset > difference) {
            d.error = "copy token reaches before its chunk at byte " + std::to_string(p - 2);
            return d;
          }
          for (std::size_t i = 0; i < length; ++i) {
            out.push_back(out[out.size() - offset]);
            if (full()) return d;
          }
        }
      }
    }
    pos = chunk_end;
  }
  return d;
}

std::string code_page_charset(std::uint16_t code_page) {
  if (code_page == 65001) return "UTF-8";
  if (code_page == 10000) return "macintosh";
  if (code_page == 874 || (code_page >= 1250 && code_page <= 1258)) return "windows-" + std::to_string(code_page);
  return "cp" + std::to_string(code_page);
}

DirInfo parse_dir(std::string_view dir, std::size_t max_modules) {
  DirInfo info;
  ModuleRecord current;
  bool in_module = false;
  const auto close_module = [&] {
    if (!in_module) return;
    in_module = false;
    if (info.modules.size() >= max_modules) {
      info.modules_cut = true;
    } else {
      info.modules.push_back(std::move(current));
    }
    current = {};
  };
  std::size_t pos = 0;
  while (pos + 6 <= dir.size()) {
    const std::uint16_t id = le16(dir, pos);
    std::size_t length = le32(dir, pos + 2);
    pos += 6;
    if (id == kProjectVersion) length = 6;
    if (length > dir.size() - pos) {
      info.error = "record 0x" + std::string{ascii::hex_digit(id >> 12, true), ascii::hex_digit(id >> 8, true),
                                             ascii::hex_digit(id >> 4, true), ascii::hex_digit(id, true)} +
                   " runs past the end of the dir stream";
      break;
    }
    const std::string_view data = dir.substr(pos, length);
    pos += length;
    switch (id) {
      case kCodePage:
        if (data.size() >= 2) info.code_page = le16(data, 0);
        break;
      case kProjectName:
        info.project_name = in_code_page(data, info.code_page);
        break;
      case kModuleName:
        close_module();
        in_module = true;
        current.name = in_code_page(data, info.code_page);
        break;
      case kModuleNameUnicode:
        if (in_module && !data.empty()) current.name = cfb::utf16le_to_utf8(data);
        break;
      case kModuleStreamName:
        if (in_module) current.stream_name = in_code_page(data, info.code_page);
        break;
      case kModuleStreamNameUnicode:
        if (in_module && !data.empty()) current.stream_name = cfb::utf16le_to_utf8(data);
        break;
      case kModuleOffset:
        if (in_module && data.size() >= 4) current.text_offset = le32(data, 0);
        break;
      case kModuleTypeDocument:
        current.document_module = true;
        break;
      case kModuleTypeProcedural:
        current.document_module = false;
        break;
      case kModuleTerminator:
        close_module();
        break;
      case kDirTerminator:
        close_module();
        return info;
      default:
        break;
    }
  }
  if (info.error.empty() && pos < dir.size()) info.error = "dir stream ends inside a record";
  close_module();
  return info;
}

std::vector<const cfb::Entry*> find_vba_storages(const cfb::CompoundFile& file) {
  // From each `dir` stream up to its storage: one pass, whatever the number of entries.
  std::vector<const cfb::Entry*> out;
  const std::vector<cfb::Entry>& entries = file.entries();
  for (const cfb::Entry& e : entries) {
    if (e.type != cfb::EntryType::kStream || !ascii::iequals(e.name, "dir") || e.parent >= entries.size()) continue;
    const cfb::Entry& storage = entries[e.parent];
    if (storage.type == cfb::EntryType::kStorage && ascii::iequals(storage.name, "VBA") &&
        (out.empty() || out.back() != &storage) && std::find(out.begin(), out.end(), &storage) == out.end()) {
      out.push_back(&storage);
    }
  }
  return out;
}

Project read_project(const cfb::CompoundFile& file, const cfb::Entry& vba_storage, const ProjectLimits& limits) {
  Project project;
  if (vba_storage.parent != cfb::Entry::kNoParent && vba_storage.parent != 0) {
    project.storage_path = file.entries().at(vba_storage.parent).path;
  }
  const auto child = [&](std::string_view name) -> const cfb::Entry* {
    for (const cfb::Entry* e : file.children(vba_storage)) {
      if (e->type == cfb::EntryType::kStream && ascii::iequals(e->name, name)) return e;
    }
    return nullptr;
  };
  const cfb::Entry* dir_entry = child("dir");
  if (dir_entry == nullptr) {
    project.error = "no dir stream";
    return project;
  }
  auto dir_bytes = file.read(*dir_entry, limits.max_stream_bytes);
  if (!dir_bytes) {
    project.error = dir_bytes.error().message;
    return project;
  }
  const Decompressed dir = decompress(*dir_bytes, limits.max_stream_bytes);
  project.dir = parse_dir(dir.bytes, limits.max_modules);
  if (project.dir.error.empty() && !dir.error.empty()) project.dir.error = "dir stream: " + dir.error;

  std::size_t left = limits.max_total_bytes;
  const auto keep = [&](std::size_t bytes) {
    left -= std::min(left, bytes);
    project.bytes_kept += bytes;
  };
  if (const cfb::Entry* identifiers = child("_VBA_PROJECT")) {
    if (auto bytes = file.read(*identifiers, std::min(limits.max_source_bytes, left))) {
      project.vba_project = std::move(*bytes);
      keep(project.vba_project.size());
    }
  }

  for (const ModuleRecord& record : project.dir.modules) {
    Module& module = project.modules.emplace_back();
    module.record = record;
    const cfb::Entry* stream = child(record.stream_name);
    if (stream == nullptr) {
      module.error = "module stream '" + record.stream_name + "' is missing";
      continue;
    }
    module.stream_found = true;
    module.stream_size = stream->size;
    auto bytes = file.read(*stream, limits.max_stream_bytes);
    if (!bytes) {
      module.error = bytes.error().message;
      continue;
    }
    const std::string_view content = *bytes;
    module.compiled = std::string(content.substr(
        0, std::min<std::size_t>({record.text_offset, content.size(), limits.max_source_bytes, left})));
    keep(module.compiled.size());
    if (record.text_offset >= content.size()) {
      module.error = "the source offset lies beyond the module stream: no source";
      continue;
    }
    const std::size_t budget = std::min(limits.max_source_bytes, left);
    const Decompressed source = decompress(content.substr(record.text_offset), budget);
    keep(source.bytes.size());
    module.source = in_code_page(source.bytes, project.dir.code_page);
    module.source_cut = source.cut;
    if (source.cut && budget < limits.max_source_bytes) project.total_cut = true;
    module.error = source.error;
  }
  return project;
}

}  // namespace vigie::objects::ovba
