// Fuzz target for the OOXML decryption (src/objects/offcrypto/offcrypto.h): the EncryptionInfo
// reader (agile XML descriptor through the OOXML tag scanner, standard binary header), the password
// check, and the package decryption with keys the input chooses. The input is a compound file
// (its EncryptionInfo and EncryptedPackage streams are used) or, otherwise, a two-byte length,
// that many bytes of EncryptionInfo, and the EncryptedPackage. The key derivation runs only for
// descriptors of at most kFuzzSpinCount spins (a real one costs tens of milliseconds, the whole
// budget of many inputs); the decryption runs on every input with a key cut from the input. It owns
// only the harness.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "objects/cfb/cfb.h"
#include "objects/offcrypto/offcrypto.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
namespace offcrypto = vigie::objects::offcrypto;

namespace {

constexpr std::uint32_t kFuzzSpinCount = 64;
constexpr std::uint64_t kMaxOut = 1 << 16;

void exercise(std::string_view info_bytes, std::string_view package) {
  auto info = offcrypto::read_encryption_info(info_bytes);
  if (!info) {
    consume(info.error().message);
    return;
  }
  consume(info->description);
  consume(info->unsupported);
  require(info->spin_count <= offcrypto::kMaxSpinCount || !info->unsupported.empty(),
          "a spin count above the bound is refused");
  if (info->unsupported.empty() && info->spin_count <= kFuzzSpinCount) {
    if (auto key = offcrypto::package_key(*info, "2025")) consume(*key);
  }
  // Decryption with keys of every AES size (and one AES refuses), cut from the package itself.
  for (std::size_t key_size : {16u, 24u, 32u, 5u}) {
    const std::string key(package.substr(0, key_size));
    auto out = offcrypto::decrypt_package(*info, key, package, kMaxOut);
    if (out) {
      require(out->size() <= kMaxOut, "decrypted bytes within the bound");
      require(offcrypto::declared_package_size(package).value_or(0) >= out->size(), "no more than declared");
      consume(*out);
    } else {
      consume(out.error().message);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (vigie::objects::cfb::has_signature(bytes)) {
    auto file = vigie::objects::cfb::CompoundFile::open(bytes, {64});
    if (!file) return 0;
    const auto* info = file->find("EncryptionInfo");
    const auto* package = file->find("EncryptedPackage");
    if (info == nullptr || package == nullptr) return 0;
    auto info_bytes = file->read(*info, 1 << 16);
    auto package_bytes = file->read(*package, kMaxOut + 4096);
    if (info_bytes && package_bytes) exercise(*info_bytes, *package_bytes);
    return 0;
  }
  if (size < 2) return 0;
  const std::size_t info_size =
      static_cast<std::size_t>(static_cast<unsigned char>(bytes[0])) | (static_cast<std::size_t>(static_cast<unsigned char>(bytes[1])) << 8);
  const std::string_view rest = bytes.substr(2);
  exercise(rest.substr(0, info_size), rest.substr(std::min(info_size, rest.size())));
  return 0;
}
