// [MS-OVBA] readers: the compression of VBA source and of the `dir` stream (2.4.1), the `dir`
// stream's records (2.3.4.2: project information, then PROJECTMODULES with each module's name,
// stream name and text offset), and a VBA project read out of a compound file: each module's
// source as UTF-8 (converted from the project's code page) beside the compiled part of its stream.
// Inputs are hostile: the decompressor writes at most the caller's budget and refuses a copy that
// reaches before its chunk; the record reader never reads past the stream; module counts are
// bounded. Errors are values: a partial project keeps what was read, with the reason it stopped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "objects/cfb/cfb.h"

namespace vigie::objects::ovba {

struct Decompressed {
  std::string bytes;
  bool cut = false;   // the output reached max_out: the rest was not decompressed
  std::string error;  // why decompression stopped early on malformed input; "" when it did not
};
// 2.4.1.3.1: a CompressedContainer (signature byte 0x01, then chunks) to at most max_out bytes.
Decompressed decompress(std::string_view container, std::size_t max_out);

struct ModuleRecord {
  std::string name;         // MODULENAMEUNICODE when present, else MODULENAME in the code page
  std::string stream_name;  // the same for MODULESTREAMNAME
  std::uint32_t text_offset = 0;  // MODULEOFFSET: where the compressed source starts in the stream
  bool document_module = false;   // MODULETYPE 0x22 (ThisDocument, ThisWorkbook, sheets)
};

struct DirInfo {
  std::uint16_t code_page = 1252;  // PROJECTCODEPAGE
  std::string project_name;
  std::vector<ModuleRecord> modules;
  bool modules_cut = false;  // more modules than max_modules
  std::string error;         // why reading stopped early; "" when the stream was read to its end
};
// The records of a decompressed `dir` stream.
DirInfo parse_dir(std::string_view dir, std::size_t max_modules);

// A code page number as a charset name ICU knows ("windows-1252", "UTF-8").
std::string code_page_charset(std::uint16_t code_page);

struct Module {
  ModuleRecord record;
  bool stream_found = false;
  std::uint64_t stream_size = 0;
  std::string compiled;      // the stream before text_offset: PerformanceCache (p-code), bounded
  std::string source;        // the decompressed source as UTF-8; "" when absent
  bool source_cut = false;   // cut at max_source_bytes
  std::string error;         // why the source could not be read; "" when it could
};

struct Project {
  std::string storage_path;       // "Macros", "_VBA_PROJECT_CUR", "" for a vbaProject.bin
  DirInfo dir;
  std::vector<Module> modules;
  std::string vba_project;        // the _VBA_PROJECT stream (identifier table), bounded
  std::string error;              // why the project could not be read at all ("" when it was)
  std::size_t bytes_kept = 0;     // vba_project + every module's compiled part and source
  bool total_cut = false;         // ProjectLimits::max_total_bytes stopped the reading
};

struct ProjectLimits {
  std::size_t max_modules = 256;
  std::size_t max_source_bytes = 2u << 20;  // decompressed source per module
  std::size_t max_stream_bytes = 16u << 20; // any stream read from the file
  // What the project keeps in memory, all modules together (decompressed sources, compiled parts,
  // _VBA_PROJECT): a file of many modules each at max_source_bytes is bounded as a whole.
  std::size_t max_total_bytes = 16u << 20;
};

// Every storage holding a VBA project: a storage named VBA with a `dir` stream, at any depth, once
// each, in directory order.
std::vector<const cfb::Entry*> find_vba_storages(const cfb::CompoundFile& file);
// The project whose VBA storage is `vba_storage`.
Project read_project(const cfb::CompoundFile& file, const cfb::Entry& vba_storage, const ProjectLimits& limits);

}  // namespace vigie::objects::ovba
