// A main() for replaying inputs through a fuzz target without libFuzzer: every file named on the
// command line, and every regular file found (recursively, in sorted order) under every directory
// named, is read and passed once to LLVMFuzzerTestOneInput. This is what lets ctest re-check the
// committed seeds and regression inputs on each build, with any compiler. It owns only the driver;
// crash detection is the sanitizers' job (a report aborts the process with the input's name as the
// last line printed before it).
//
// Exit status: 0 when every input ran; 1 when a path is missing or unreadable, or when no input at
// all was found, because a replay that ran nothing would pass silently after a bad rename.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Optional in libFuzzer's contract; weak so that targets without it link.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;

bool collect(const fs::path& path, std::vector<fs::path>& inputs) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    inputs.push_back(path);
    return true;
  }
  if (!fs::is_directory(path, ec)) {
    std::fprintf(stderr, "replay: %s: not a file or directory\n", path.c_str());
    return false;
  }
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) found.push_back(it->path());
  }
  if (ec) {
    std::fprintf(stderr, "replay: %s: %s\n", path.c_str(), ec.message().c_str());
    return false;
  }
  // Directory order is filesystem-dependent; sorted order makes a failing run reproducible.
  std::sort(found.begin(), found.end());
  inputs.insert(inputs.end(), found.begin(), found.end());
  return true;
}

bool read_file(const fs::path& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
    return 1;
  }

  std::vector<fs::path> inputs;
  bool ok = true;
  for (int i = 1; i < argc; ++i) ok = collect(argv[i], inputs) && ok;
  if (!ok) return 1;
  if (inputs.empty()) {
    std::fprintf(stderr, "replay: no input found\n");
    return 1;
  }

  std::string bytes;
  for (const fs::path& input : inputs) {
    if (!read_file(input, bytes)) {
      std::fprintf(stderr, "replay: cannot read %s\n", input.c_str());
      return 1;
    }
    // Printed before running, and flushed, so that a sanitizer report that kills the process
    // follows the name of the input that caused it.
    std::fprintf(stderr, "Running: %s (%zu bytes)\n", input.c_str(), bytes.size());
    std::fflush(stderr);
    // Copied to a heap buffer of exactly its size, as libFuzzer does, so ASan sees a read one byte
    // past the end (std::string keeps a terminator there); never null, even for an empty file.
    auto data = std::make_unique<std::uint8_t[]>(bytes.size());
    std::copy(bytes.begin(), bytes.end(), data.get());
    LLVMFuzzerTestOneInput(data.get(), bytes.size());
  }
  std::printf("replay: %zu inputs ran without a sanitizer report\n", inputs.size());
  return 0;
}
