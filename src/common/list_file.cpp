#include "common/list_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace vigie {

std::string file_problem(const std::string& path) {
  if (path.empty()) return "is empty: no file named";
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) return "does not exist";
  if (ec) return "cannot be read: " + ec.message();
  if (status.type() == std::filesystem::file_type::directory) return "is a directory, not a file";
  if (status.type() != std::filesystem::file_type::regular) return "is not a regular file";
  if (!std::ifstream(path, std::ios::binary)) return "cannot be read (permission denied?)";
  return "";
}

std::string directory_problem(const std::string& path) {
  if (path.empty()) return "is empty: no directory named";
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) return "does not exist";
  if (ec) return "cannot be read: " + ec.message();
  if (status.type() != std::filesystem::file_type::directory) return "is a file, not a directory";
  return "";
}

Result<std::string> read_config_file(const std::string& path, std::uint64_t max_bytes) {
  if (const std::string problem = file_problem(path); !problem.empty()) {
    return fail(Error::config(path + ": " + problem));
  }
  // Sized from the file, one byte past the limit at most: a buffer of the limit itself would be
  // zeroed for every small list (16 MiB each, many files at start-up).
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  std::string text;
  text.resize(static_cast<std::size_t>(std::min(ec ? max_bytes : size, max_bytes)) + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return fail(Error::config(path + ": read error"));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_bytes) {
    return fail(Error::config(path + ": larger than " + std::to_string(max_bytes) + " bytes"));
  }
  return text;
}

}  // namespace vigie
