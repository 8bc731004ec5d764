// Decryption of password-encrypted Office Open XML packages ([MS-OFFCRYPTO] 2.3.4): the compound
// file that holds an EncryptionInfo stream (how the key is derived and checked) and an
// EncryptedPackage stream (the .docx/.xlsx/.pptx zip, encrypted). Two schemes are decrypted:
//   - agile encryption (version 4.4, an XML descriptor): the password key encryptor's salt and
//     spin count derive keys (SHA-1/SHA-256/SHA-384/SHA-512) that decrypt a verifier and the
//     package's key (AES-CBC); the package is decrypted in 4096-byte segments, each with its IV;
//   - standard encryption (versions 2.2, 3.2, 4.2, a binary header): SHA-1 with 50000 spins
//     derives an AES key that decrypts a verifier and the package (AES-ECB).
// Extensible encryption, RC4 CryptoAPI and ciphers other than AES are read as "not supported".
// The password is checked against the verifier before any of the package is decrypted. Every
// field is hostile: sizes are checked before use, the spin count is refused above kMaxSpinCount
// (the cost of one try is linear in it), the package is decrypted up to the caller's byte bound.
// The descriptor is read with the OOXML tag scanner (objects/ooxml/xml_scan.h), the cryptography
// is OpenSSL's libcrypto. Malformed input is an error value, never an exception.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "vigie/result.h"

namespace vigie::objects::offcrypto {

// Office writes 100000 (agile) and the standard scheme fixes 50000; [MS-OFFCRYPTO] allows up to
// 10,000,000, which would cost about a second per password tried. A descriptor above this bound
// is refused, not tried: it is built to make a scanner spin.
inline constexpr std::uint32_t kMaxSpinCount = 1'000'000;
inline constexpr std::uint32_t kStandardSpinCount = 50'000;

enum class Scheme : std::uint8_t { kAgile, kStandard, kExtensible, kUnknown };

enum class Hash : std::uint8_t { kSha1, kSha256, kSha384, kSha512 };

// What EncryptionInfo says; the fields the derivation reads, as decoded bytes.
struct EncryptionInfo {
  Scheme scheme = Scheme::kUnknown;
  std::uint16_t major = 0;
  std::uint16_t minor = 0;
  // For the analyst: "agile encryption, AES-256-CBC, SHA512, 100000 spins".
  std::string description;
  // Why this file cannot be decrypted here ("extensible encryption", "RC4 CryptoAPI", "spin count
  // 5000000 above the bound 1000000"); empty when it can.
  std::string unsupported;
  bool spin_count_refused = false;  // `unsupported` is the spin-count bound

  // The package's key data (agile keyData; for standard the derived key encrypts the package).
  std::uint32_t key_bits = 0;
  std::uint32_t block_size = 16;
  Hash hash = Hash::kSha1;
  std::string salt;
  // The password key encryptor (agile p:encryptedKey; standard EncryptionVerifier).
  std::uint32_t password_key_bits = 0;
  Hash password_hash = Hash::kSha1;
  std::string password_salt;
  std::uint32_t spin_count = 0;
  std::string encrypted_verifier;       // agile encryptedVerifierHashInput
  std::string encrypted_verifier_hash;  // agile encryptedVerifierHashValue
  std::string encrypted_key;            // agile encryptedKeyValue; empty for standard
};

// Reads an EncryptionInfo stream. An error when it is too short or malformed; a scheme this
// reader cannot decrypt is not an error but EncryptionInfo::unsupported.
[[nodiscard]] Result<EncryptionInfo> read_encryption_info(std::string_view bytes);

// The key that decrypts the package when `password` (UTF-8, converted to UTF-16LE as Office does)
// passes the verifier; nullopt when it does not (or when `info` is unsupported).
std::optional<std::string> package_key(const EncryptionInfo& info, std::string_view password);

// The size the EncryptedPackage stream declares for the decrypted package (its first 8 bytes).
std::optional<std::uint64_t> declared_package_size(std::string_view encrypted_package);

// The decrypted package: at most `max_bytes` of it (the caller's bound, checked against
// declared_package_size before calling). An error when the stream is shorter than it declares.
[[nodiscard]] Result<std::string> decrypt_package(const EncryptionInfo& info, std::string_view key,
                                                  std::string_view encrypted_package, std::uint64_t max_bytes);

// The hash chain both schemes share ([MS-OFFCRYPTO] 2.3.4.7 and 2.3.4.11): H0 = H(salt +
// password), Hn = H(iterator + Hn-1) for `spin_count` rounds, then H(Hn + block_key). Exposed
// for the known-answer tests.
std::string derive_hash(Hash hash, std::string_view salt, std::string_view password_utf16le,
                        std::uint32_t spin_count, std::string_view block_key);

// UTF-8 as UTF-16LE (the password as Office hashes it); invalid sequences become U+FFFD.
std::string utf16le(std::string_view utf8);

}  // namespace vigie::objects::offcrypto
