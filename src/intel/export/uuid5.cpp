// UUIDv5 with OpenSSL's SHA-1 (see uuid5.h).
#include "intel/export/uuid5.h"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace vigie::intel::sharing {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string uuid5(std::string_view namespace_uuid, std::string_view name) {
  std::vector<unsigned char> input;
  input.reserve(16 + name.size());
  int high = -1;
  for (const char c : namespace_uuid) {
    if (c == '-') continue;
    const int v = hex_value(c);
    if (v < 0) throw std::invalid_argument("uuid5: namespace is not a UUID");
    if (high < 0) {
      high = v;
    } else {
      input.push_back(static_cast<unsigned char>(high * 16 + v));
      high = -1;
    }
  }
  if (input.size() != 16 || high >= 0) throw std::invalid_argument("uuid5: namespace is not a UUID");
  input.insert(input.end(), name.begin(), name.end());
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(input.data(), input.size(), digest.data(), &size, EVP_sha1(), nullptr) != 1 || size < 16) {
    throw std::runtime_error("uuid5: SHA-1 failed");
  }
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0f]);
  }
  return out;
}

}  // namespace vigie::intel::sharing
