// Archives built in memory for the tests (see test_archives.h).
#include "objects/archive/test_archives.h"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <openssl/evp.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace vigie::objects::archive::testing {
namespace {

struct WriterDeleter {
  void operator()(struct archive* a) const { archive_write_free(a); }
};

la_ssize_t append(struct archive* /*a*/, void* out, const void* buffer, std::size_t length) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

void check(struct archive* a, int r, const char* what) {
  if (r < ARCHIVE_WARN) {
    const char* error = archive_error_string(a);
    throw std::runtime_error(std::string(what) + ": " + (error != nullptr ? error : "libarchive error"));
  }
}

void put_le(std::string& out, std::uint64_t v, int width) {
  for (int i = 0; i < width; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
std::uint64_t get_le(std::string_view bytes, std::size_t at, int width) {
  std::uint64_t v = 0;
  for (int i = width; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(bytes.at(at + static_cast<std::size_t>(i)));
  return v;
}

}  // namespace

// libarchive's writers take names in the current locale; the tests write UTF-8 names, as a
// Windows or Linux archiver of today does, whatever locale the test runs in.
class Utf8Locale {
 public:
  Utf8Locale() : locale_(newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr))) {
    if (locale_ != static_cast<locale_t>(nullptr)) previous_ = uselocale(locale_);
  }
  ~Utf8Locale() {
    if (locale_ == static_cast<locale_t>(nullptr)) return;
    uselocale(previous_);
    freelocale(locale_);
  }
  Utf8Locale(const Utf8Locale&) = delete;
  Utf8Locale& operator=(const Utf8Locale&) = delete;

 private:
  locale_t locale_;
  locale_t previous_ = static_cast<locale_t>(nullptr);
};

std::string write_archive(std::string_view format, const std::vector<TestFile>& files, const WriteOptions& options) {
  const Utf8Locale locale;
  std::unique_ptr<struct archive, WriterDeleter> writer(archive_write_new());
  struct archive* a = writer.get();
  check(a, archive_write_set_format_by_name(a, std::string(format).c_str()), "format");
  if (!options.filter.empty()) check(a, archive_write_add_filter_by_name(a, options.filter.c_str()), "filter");
  if (!options.options.empty()) check(a, archive_write_set_options(a, options.options.c_str()), "options");
  if (!options.passphrase.empty()) check(a, archive_write_set_passphrase(a, options.passphrase.c_str()), "passphrase");
  // Without this, tar output is padded to 10 KiB blocks.
  archive_write_set_bytes_in_last_block(a, 1);
  std::string out;
  check(a, archive_write_open(a, &out, nullptr, append, nullptr), "open");
  for (const TestFile& file : files) {
    std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> entry(archive_entry_new(),
                                                                                archive_entry_free);
    struct archive_entry* e = entry.get();
    archive_entry_copy_pathname(e, file.name.c_str());
    archive_entry_set_mtime(e, 1700000000, 0);
    switch (file.kind) {
      case TestFile::Kind::kFile:
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, static_cast<la_int64_t>(file.content.size()));
        break;
      case TestFile::Kind::kDirectory:
        archive_entry_set_filetype(e, AE_IFDIR);
        archive_entry_set_perm(e, 0755);
        break;
      case TestFile::Kind::kSymlink:
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_perm(e, 0777);
        archive_entry_copy_symlink(e, file.link_target.c_str());
        break;
    }
    check(a, archive_write_header(a, e), "header");
    if (file.kind == TestFile::Kind::kFile && !file.content.empty()) {
      const la_ssize_t written = archive_write_data(a, file.content.data(), file.content.size());
      if (written < 0) check(a, static_cast<int>(written), "data");
    }
  }
  check(a, archive_write_close(a), "close");
  return out;
}

std::string repeated_zip(std::string_view content, std::size_t count, std::string_view prefix) {
  // The compressed bytes and CRC come from a one-member zip written by libarchive: its central
  // directory entry gives CRC, sizes and where the local header is.
  std::uint16_t method = 0;
  std::uint32_t crc = 0;
  std::string data;
  if (!content.empty()) {
    const std::string one = write_archive("zip", {TestFile{"x", std::string(content)}}, {"", "zip:compression-level=9", ""});
    const std::size_t central = one.rfind("PK\x01\x02");
    if (central == std::string::npos) throw std::runtime_error("no central directory");
    method = static_cast<std::uint16_t>(get_le(one, central + 10, 2));
    crc = static_cast<std::uint32_t>(get_le(one, central + 16, 4));
    const std::uint64_t compressed = get_le(one, central + 20, 4);
    const std::uint64_t local = get_le(one, central + 42, 4);
    const std::uint64_t start = local + 30 + get_le(one, local + 26, 2) + get_le(one, local + 28, 2);
    data = one.substr(start, compressed);
  }
  std::string out;
  std::string directory;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string name = std::string(prefix) + std::to_string(i);
    const std::uint64_t offset = out.size();
    const auto header = [&](std::string& to, bool central_entry) {
      to += central_entry ? "PK\x01\x02" : "PK\x03\x04";
      if (central_entry) put_le(to, 20, 2);  // made by
      put_le(to, 20, 2);                     // version needed
      put_le(to, 0, 2);                      // flags
      put_le(to, method, 2);
      put_le(to, 0, 4);  // time, date
      put_le(to, crc, 4);
      put_le(to, data.size(), 4);
      put_le(to, content.size(), 4);
      put_le(to, name.size(), 2);
      put_le(to, 0, 2);  // extra
      if (central_entry) {
        put_le(to, 0, 2);  // comment
        put_le(to, 0, 2);  // disk
        put_le(to, 0, 2);  // internal attributes
        put_le(to, 0, 4);  // external attributes
        put_le(to, offset, 4);
      }
      to += name;
    };
    header(out, false);
    out += data;
    header(directory, true);
  }
  const std::uint64_t directory_offset = out.size();
  out += directory;
  out += "PK\x05\x06";
  put_le(out, 0, 4);  // disk numbers
  put_le(out, count > 0xFFFF ? 0xFFFF : count, 2);
  put_le(out, count > 0xFFFF ? 0xFFFF : count, 2);
  put_le(out, directory.size(), 4);
  put_le(out, directory_offset, 4);
  put_le(out, 0, 2);
  return out;
}

std::string nested_zip(std::string_view content, std::size_t levels, std::size_t fan_out) {
  std::string inner = write_archive("zip", {TestFile{"payload.bin", std::string(content)}});
  for (std::size_t level = 1; level < levels; ++level) {
    std::vector<TestFile> copies;
    for (std::size_t i = 0; i < fan_out; ++i) copies.push_back(TestFile{"level" + std::to_string(level) + "_" + std::to_string(i) + ".zip", inner});
    inner = write_archive("zip", copies);
  }
  return inner;
}

void set_dos_attributes(std::string& zip, std::string_view member, std::uint8_t attributes) {
  for (std::size_t at = zip.find("PK\x01\x02"); at != std::string::npos; at = zip.find("PK\x01\x02", at + 4)) {
    const auto name_length = static_cast<std::size_t>(get_le(zip, at + 28, 2));
    if (std::string_view(zip).substr(at + 46, name_length) != member) continue;
    zip[at + 5] = '\0';  // version made by: MS-DOS
    zip.replace(at + 38, 4, std::string{static_cast<char>(attributes), '\0', '\0', '\0'});
    return;
  }
  throw std::runtime_error("no zip member named " + std::string(member));
}

void set_iso_hidden(std::string& iso, std::string_view name) {
  std::string joliet;
  for (char c : name) joliet += std::string{'\0', c};
  const std::string upper = [&] {
    std::string u(name);
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  }();
  constexpr std::size_t kNameAt = 33;
  std::size_t marked = 0;
  for (const std::string& needle : {upper, std::string(name), joliet}) {
    for (std::size_t at = iso.find(needle); at != std::string::npos; at = iso.find(needle, at + 1)) {
      if (at < kNameAt) continue;
      const std::size_t record = at - kNameAt;
      const auto length = static_cast<unsigned char>(iso[record + 32]);
      const std::string_view stored = std::string_view(iso).substr(at, length);
      // The whole name, or the name and its version (";1"): not a longer name starting the same.
      if (stored != needle && stored != needle + ";1" && stored != needle + ".;1") continue;
      if (static_cast<unsigned char>(iso[record]) < kNameAt + length) continue;
      iso[record + 25] = static_cast<char>(iso[record + 25] | 0x01);
      ++marked;
    }
  }
  if (marked == 0) throw std::runtime_error("no ISO 9660 record named " + std::string(name));
}

namespace {

std::uint32_t crc32(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFF;
  for (char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// RAR 5's variable-length integers: 7 bits a byte, high bit set while more follow.
std::string vint(std::uint64_t v) {
  std::string out;
  do {
    out += static_cast<char>((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
    v >>= 7;
  } while (v != 0);
  return out;
}

// A RAR 5 block: CRC32 of the size and the header, the size, the header (type, flags, fields).
std::string rar5_block(const std::string& header) {
  const std::string sized = vint(header.size()) + header;
  std::string out;
  put_le(out, crc32(sized), 4);
  return out + sized;
}

}  // namespace

std::string rar_archive(int version, const std::vector<AttributedMember>& members) {
  std::string out;
  if (version == 5) {
    constexpr std::uint64_t kHasData = 0x0002;
    out = std::string("Rar!\x1A\x07\x01\x00", 8);
    out += rar5_block(vint(1) + vint(0) + vint(0));  // main header: no flags
    for (const AttributedMember& m : members) {
      // File header: data size, no file flags, unpacked size, attributes, compression info 0
      // (store, smallest dictionary), host 0 (Windows), the UTF-8 name.
      out += rar5_block(vint(2) + vint(kHasData) + vint(m.content.size()) + vint(0) + vint(m.content.size()) +
                        vint(m.attributes) + vint(0) + vint(0) + vint(m.name.size()) + m.name);
      out += m.content;
    }
    out += rar5_block(vint(5) + vint(0) + vint(0));  // end of archive
    return out;
  }
  // RAR 4: each block's CRC is the low half of the CRC32 of the block from its type on.
  const auto block = [&](std::uint8_t type, std::uint16_t flags, const std::string& fields) {
    std::string header;
    header += static_cast<char>(type);
    put_le(header, flags, 2);
    put_le(header, 2 + header.size() + 2 + fields.size(), 2);
    header += fields;
    std::string crc;
    put_le(crc, crc32(header) & 0xFFFF, 2);
    out += crc + header;
  };
  out = std::string("Rar!\x1A\x07\x00", 7);
  block(0x73, 0, std::string(6, '\0'));  // archive header: two reserved fields
  for (const AttributedMember& m : members) {
    std::string fields;
    put_le(fields, m.content.size(), 4);  // packed size
    put_le(fields, m.content.size(), 4);  // unpacked size
    fields += '\x02';                     // host: Win32
    put_le(fields, crc32(m.content), 4);
    put_le(fields, 0x21, 4);  // DOS time: 1980-01-01
    fields += '\x1D';        // version 2.9 to extract
    fields += '\x30';        // method: store
    put_le(fields, m.name.size(), 2);
    put_le(fields, m.attributes, 4);
    fields += m.name;
    block(0x74, 0x8000, fields);  // a file header always has a data area
    out += m.content;
  }
  block(0x7B, 0x4000, "");  // end of archive
  return out;
}

const std::vector<AttributedMember>& hidden_payload_lure() {
  static const std::vector<AttributedMember> kLure{{"Convocation.pdf.lnk", "L", 0x20},
                                            {"files\\update.dll", "MZ payload", 0x20 | 0x02},
                                            {"desktop.ini", "[.ShellClassInfo]", 0x20 | 0x02 | 0x04}};
  return kLure;
}

std::string cab_archive(const std::vector<AttributedMember>& members) {
  constexpr std::size_t kHeader = 36;
  constexpr std::size_t kFolder = 8;
  std::string files;
  std::string data;
  for (const AttributedMember& m : members) {
    put_le(files, m.content.size(), 4);  // cbFile
    put_le(files, data.size(), 4);       // uoffFolderStart
    put_le(files, 0, 2);                 // iFolder
    put_le(files, 0x21, 2);              // date: 1980-01-01
    put_le(files, 0, 2);                 // time
    put_le(files, m.attributes, 2);
    files += m.name + '\0';
    data += m.content;
  }
  const std::size_t data_at = kHeader + kFolder + files.size();
  std::string out("MSCF\0\0\0\0", 8);
  put_le(out, data_at + 8 + data.size(), 4);  // cbCabinet
  put_le(out, 0, 4);
  put_le(out, kHeader + kFolder, 4);  // coffFiles
  put_le(out, 0, 4);
  out += "\x03\x01";                           // version 1.3
  put_le(out, 1, 2);                           // cFolders
  put_le(out, members.size(), 2);              // cFiles
  put_le(out, 0, 2);                           // flags
  put_le(out, 0, 2);                           // setID
  put_le(out, 0, 2);                           // iCabinet
  put_le(out, data_at, 4);                     // CFFOLDER: coffCabStart
  put_le(out, 1, 2);                           // cCFData
  put_le(out, 0, 2);                           // typeCompress: none
  out += files;
  put_le(out, 0, 4);            // CFDATA: no checksum
  put_le(out, data.size(), 2);  // cbData
  put_le(out, data.size(), 2);  // cbUncomp
  return out + data;
}

bool have(const char* tool) { return std::system(("command -v " + std::string(tool) + " >/dev/null 2>&1").c_str()) == 0; }

std::string built_by_tool(const std::vector<TestFile>& files, std::string command) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vigie-archives-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "content");
  for (const TestFile& f : files) {
    const std::filesystem::path path = dir / "content" / f.name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << f.content;
  }
  const auto replace = [&](std::string_view token, const std::string& with) {
    if (const std::size_t at = command.find(token); at != std::string::npos) command.replace(at, token.size(), "'" + with + "'");
  };
  // With an extension, or 7z and zip add theirs.
  replace("{out}", (dir / "archive.out").string());
  replace("{in}", (dir / "content").string());
  const int status = std::system(("cd '" + (dir / "content").string() + "' && " + command + " >/dev/null 2>&1").c_str());
  std::ostringstream out;
  out << std::ifstream(dir / "archive.out", std::ios::binary).rdbuf();
  std::filesystem::remove_all(dir);
  if (status != 0) throw std::runtime_error("failed: " + command);
  return out.str();
}

std::string message_with_attachment(std::string_view body, std::string_view filename, std::string_view content,
                                    std::string_view type) {
  std::string encoded;
  constexpr std::size_t kLine = 57;  // bytes per 76-character base64 line
  for (std::size_t at = 0; at < content.size(); at += kLine) {
    const std::size_t n = std::min(kLine, content.size() - at);
    unsigned char line[80];
    const int length = EVP_EncodeBlock(line, reinterpret_cast<const unsigned char*>(content.data() + at), static_cast<int>(n));
    encoded.append(reinterpret_cast<const char*>(line), static_cast<std::size_t>(length));
    encoded += '\n';
  }
  return "From: Service comptable <compta@fournisseur.example>\nTo: agent@interieur.gouv.fr\n"
         "Subject: Facture\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=sep\n\n"
         "--sep\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" +
         std::string(body) + "\n--sep\nContent-Type: " + std::string(type) +
         "\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"" + std::string(filename) +
         "\"\n\n" + encoded + "--sep--\n";
}

}  // namespace vigie::objects::archive::testing
