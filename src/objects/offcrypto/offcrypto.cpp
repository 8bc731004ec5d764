// Decryption of password-encrypted OOXML packages (see offcrypto.h).
#include "objects/offcrypto/offcrypto.h"

#include <openssl/evp.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <stdexcept>
#include <vector>

#include "objects/ooxml/xml_scan.h"
#include "parse/encoding/transfer_decoding.h"

namespace vigie::objects::offcrypto {
namespace {

constexpr std::size_t kSegmentBytes = 4096;      // agile: one IV per segment of the package
constexpr std::size_t kMaxDescriptorBytes = 64 << 10;
constexpr std::size_t kMaxFieldBytes = 1024;     // decoded salts, verifiers and keys are far smaller
constexpr std::size_t kMaxSaltBytes = 64;
constexpr std::string_view kPasswordEncryptor = "http://schemas.microsoft.com/office/2006/keyEncryptor/password";

// The block keys of [MS-OFFCRYPTO] 2.3.4.13 (verifier input, verifier hash, package key).
constexpr std::string_view kVerifierInputBlock{"\xfe\xa7\xd2\x76\x3b\x4b\x9e\x79", 8};
constexpr std::string_view kVerifierHashBlock{"\xd7\xaa\x0f\x6d\x30\x61\x34\x4e", 8};
constexpr std::string_view kKeyValueBlock{"\x14\x6e\x0b\xe7\xab\xac\xd0\xd6", 8};

std::uint16_t u16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}
std::uint32_t u32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(u16(b, at)) | (static_cast<std::uint32_t>(u16(b, at + 2)) << 16);
}
std::string le32(std::uint32_t v) {
  return {static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF), static_cast<char>((v >> 16) & 0xFF),
          static_cast<char>((v >> 24) & 0xFF)};
}

const EVP_MD* evp(Hash hash) {
  switch (hash) {
    case Hash::kSha1: return EVP_sha1();
    case Hash::kSha256: return EVP_sha256();
    case Hash::kSha384: return EVP_sha384();
    case Hash::kSha512: return EVP_sha512();
  }
  return EVP_sha1();
}
std::size_t digest_size(Hash hash) {
  switch (hash) {
    case Hash::kSha1: return 20;
    case Hash::kSha256: return 32;
    case Hash::kSha384: return 48;
    case Hash::kSha512: return 64;
  }
  return 20;
}
std::string_view hash_name(Hash hash) {
  switch (hash) {
    case Hash::kSha1: return "SHA-1";
    case Hash::kSha256: return "SHA-256";
    case Hash::kSha384: return "SHA-384";
    case Hash::kSha512: return "SHA-512";
  }
  return "?";
}

// A digest context reused across the spin loop: allocating one per round would double its cost.
class Digest {
 public:
  explicit Digest(Hash hash) : md_(evp(hash)), ctx_(EVP_MD_CTX_new()) {
    if (ctx_ == nullptr) throw std::bad_alloc();
  }
  ~Digest() { EVP_MD_CTX_free(ctx_); }
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;

  // out = H(a + b); out holds EVP_MAX_MD_SIZE bytes.
  void hash(const void* a, std::size_t a_size, const void* b, std::size_t b_size, unsigned char* out) {
    unsigned int size = 0;
    if (EVP_DigestInit_ex(ctx_, md_, nullptr) != 1 || EVP_DigestUpdate(ctx_, a, a_size) != 1 ||
        EVP_DigestUpdate(ctx_, b, b_size) != 1 || EVP_DigestFinal_ex(ctx_, out, &size) != 1) {
      throw std::runtime_error("OpenSSL digest failed");
    }
  }
  std::string hash(std::string_view a, std::string_view b = {}) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    hash(a.data(), a.size(), b.data(), b.size(), out.data());
    return {reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(EVP_MD_get_size(md_))};
  }

 private:
  const EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

// `bytes` cut or padded with 0x36 to `size` ([MS-OFFCRYPTO] 2.3.4.11 and 2.3.4.12).
std::string fitted(std::string bytes, std::size_t size) {
  bytes.resize(size, '\x36');
  return bytes;
}

const EVP_CIPHER* aes(std::size_t key_bytes, bool cbc) {
  switch (key_bytes) {
    case 16: return cbc ? EVP_aes_128_cbc() : EVP_aes_128_ecb();
    case 24: return cbc ? EVP_aes_192_cbc() : EVP_aes_192_ecb();
    case 32: return cbc ? EVP_aes_256_cbc() : EVP_aes_256_ecb();
    default: return nullptr;
  }
}

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

// AES decryption without padding of whole blocks; nullopt for a key or length AES refuses.
class AesDecryptor {
 public:
  AesDecryptor(std::string_view key, bool cbc) : cipher_(aes(key.size(), cbc)), ctx_(EVP_CIPHER_CTX_new()), key_(key) {
    if (!ctx_) throw std::bad_alloc();
  }
  bool usable() const { return cipher_ != nullptr; }

  // Appends the decryption of `data` (a multiple of 16 bytes) to `out`.
  bool decrypt(std::string_view iv, std::string_view data, std::string& out) {
    if (cipher_ == nullptr || data.size() % 16 != 0 || (EVP_CIPHER_get_iv_length(cipher_) != 0 && iv.size() != 16)) {
      return false;
    }
    const auto* key = reinterpret_cast<const unsigned char*>(key_.data());
    const auto* vector = iv.empty() ? nullptr : reinterpret_cast<const unsigned char*>(iv.data());
    if (EVP_DecryptInit_ex(ctx_.get(), cipher_, nullptr, key, vector) != 1) return false;
    EVP_CIPHER_CTX_set_padding(ctx_.get(), 0);
    const std::size_t at = out.size();
    out.resize(at + data.size() + 16);
    int written = 0;
    int last = 0;
    auto* target = reinterpret_cast<unsigned char*>(out.data() + at);
    // EVP takes an int length: the package is decrypted in pieces well below it.
    if (EVP_DecryptUpdate(ctx_.get(), target, &written, reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size())) != 1 ||
        EVP_DecryptFinal_ex(ctx_.get(), target + written, &last) != 1) {
      out.resize(at);
      return false;
    }
    out.resize(at + static_cast<std::size_t>(written + last));
    return true;
  }
  std::optional<std::string> decrypt(std::string_view iv, std::string_view data) {
    std::string out;
    if (!decrypt(iv, data, out)) return std::nullopt;
    return out;
  }

 private:
  const EVP_CIPHER* cipher_;
  CipherContext ctx_;
  std::string key_;
};

// ---- The agile descriptor ----------------------------------------------------------------------

std::optional<std::uint32_t> number(std::string_view attributes, std::string_view name) {
  const std::optional<std::string> text = ooxml::attribute(attributes, name);
  if (!text) return std::nullopt;
  std::uint32_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

std::optional<std::string> base64_field(std::string_view attributes, std::string_view name) {
  const std::optional<std::string> text = ooxml::attribute(attributes, name);
  if (!text || text->empty() || text->size() > kMaxFieldBytes * 4 / 3 + 4) return std::nullopt;
  std::string out;
  parse::decode_base64(*text, out, kMaxFieldBytes);
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<Hash> hash_named(std::string_view name) {
  if (name == "SHA1" || name == "SHA-1") return Hash::kSha1;
  if (name == "SHA256" || name == "SHA-256") return Hash::kSha256;
  if (name == "SHA384" || name == "SHA-384") return Hash::kSha384;
  if (name == "SHA512" || name == "SHA-512") return Hash::kSha512;
  return std::nullopt;
}

struct CipherFields {
  std::uint32_t key_bits = 0;
  std::uint32_t block_size = 0;
  Hash hash = Hash::kSha1;
  std::string salt;
};

// The attributes keyData and encryptedKey share. An error for what is malformed; `unsupported`
// set for an algorithm this reader does not decrypt.
Result<CipherFields> cipher_fields(std::string_view attributes, std::string_view element, std::string& unsupported) {
  const auto bad = [&](std::string_view what) {
    return fail(Error::invalid_argument("agile descriptor: " + std::string(element) + " " + std::string(what)));
  };
  CipherFields f;
  const std::optional<std::string> cipher = ooxml::attribute(attributes, "cipherAlgorithm");
  const std::optional<std::string> chaining = ooxml::attribute(attributes, "cipherChaining");
  const std::optional<std::string> hash = ooxml::attribute(attributes, "hashAlgorithm");
  const std::optional<std::uint32_t> key_bits = number(attributes, "keyBits");
  const std::optional<std::uint32_t> block_size = number(attributes, "blockSize");
  const std::optional<std::uint32_t> hash_size = number(attributes, "hashSize");
  std::optional<std::string> salt = base64_field(attributes, "saltValue");
  if (!cipher || !chaining || !hash || !key_bits || !block_size || !salt) return bad("lacks a cipher field");
  if (*cipher != "AES") {
    unsupported = "cipher " + *cipher;
  } else if (*chaining != "ChainingModeCBC") {
    unsupported = "chaining " + *chaining;
  }
  const std::optional<Hash> known = hash_named(*hash);
  if (!known) {
    if (unsupported.empty()) unsupported = "hash " + *hash;
    return f;
  }
  f.hash = *known;
  if (hash_size && *hash_size != digest_size(f.hash)) return bad("has a hashSize that is not its hash's");
  if (unsupported.empty()) {
    if (*key_bits != 128 && *key_bits != 192 && *key_bits != 256) return bad("has an AES key size that is not 128, 192 or 256");
    if (*block_size != 16) return bad("has an AES block size that is not 16");
  }
  if (salt->size() > kMaxSaltBytes) return bad("has an oversized salt");
  f.key_bits = *key_bits;
  f.block_size = *block_size;
  f.salt = std::move(*salt);
  return f;
}

Result<EncryptionInfo> read_agile(std::string_view xml, EncryptionInfo info) {
  info.scheme = Scheme::kAgile;
  if (xml.starts_with("\xEF\xBB\xBF")) xml.remove_prefix(3);
  xml = xml.substr(0, kMaxDescriptorBytes);
  ooxml::XmlScanner scanner(xml);
  ooxml::XmlTag tag;
  bool key_data = false;
  bool password_key = false;
  bool in_password_encryptor = false;
  std::string unsupported;
  while (scanner.next(tag)) {
    const std::string_view name = ooxml::local_name(tag.name);
    if (tag.closing) {
      if (name == "keyEncryptor") in_password_encryptor = false;
      continue;
    }
    if (name == "keyData" && !key_data) {
      auto f = cipher_fields(tag.attributes, "keyData", unsupported);
      if (!f) return fail(f.error());
      info.key_bits = f->key_bits;
      info.block_size = f->block_size;
      info.hash = f->hash;
      info.salt = std::move(f->salt);
      key_data = true;
    } else if (name == "keyEncryptor") {
      in_password_encryptor = ooxml::attribute(tag.attributes, "uri") == kPasswordEncryptor;
    } else if (name == "encryptedKey" && in_password_encryptor && !password_key) {
      auto f = cipher_fields(tag.attributes, "encryptedKey", unsupported);
      if (!f) return fail(f.error());
      const std::optional<std::uint32_t> spins = number(tag.attributes, "spinCount");
      auto verifier = base64_field(tag.attributes, "encryptedVerifierHashInput");
      auto verifier_hash = base64_field(tag.attributes, "encryptedVerifierHashValue");
      auto key = base64_field(tag.attributes, "encryptedKeyValue");
      if (!spins || !verifier || !verifier_hash || !key) {
        return fail(Error::invalid_argument("agile descriptor: encryptedKey lacks its spin count, verifier or key"));
      }
      info.password_key_bits = f->key_bits;
      info.password_hash = f->hash;
      info.password_salt = std::move(f->salt);
      info.spin_count = *spins;
      info.encrypted_verifier = std::move(*verifier);
      info.encrypted_verifier_hash = std::move(*verifier_hash);
      info.encrypted_key = std::move(*key);
      password_key = true;
    }
  }
  if (!key_data) return fail(Error::invalid_argument("agile descriptor without keyData"));
  if (!password_key) {
    // A package encrypted for certificates only: no password opens it.
    info.description = "agile encryption without a password key encryptor";
    info.unsupported = "no password key encryptor (certificate encryption)";
    return info;
  }
  info.description = "agile encryption, AES-" + std::to_string(info.key_bits) + "-CBC, " +
                     std::string(hash_name(info.password_hash)) + ", " + std::to_string(info.spin_count) + " spins";
  if (!unsupported.empty()) {
    info.description = "agile encryption, " + unsupported;
    info.unsupported = unsupported;
  } else if (info.spin_count > kMaxSpinCount) {
    info.unsupported = "spin count " + std::to_string(info.spin_count) + " above the bound " + std::to_string(kMaxSpinCount);
    info.spin_count_refused = true;
  }
  return info;
}

// ---- The standard header -----------------------------------------------------------------------

constexpr std::uint32_t kFlagExternal = 0x10;
constexpr std::uint32_t kFlagAes = 0x20;

Result<EncryptionInfo> read_standard(std::string_view b, EncryptionInfo info) {
  info.scheme = Scheme::kStandard;
  const auto bad = [](std::string_view what) {
    return fail(Error::invalid_argument("standard EncryptionInfo: " + std::string(what)));
  };
  if (b.size() < 12) return bad("too short for its header size");
  const std::uint32_t flags = u32(b, 4);
  const std::uint32_t header_size = u32(b, 8);
  if (header_size < 32 || header_size > b.size() - 12) return bad("header size out of the stream");
  const std::uint32_t alg = u32(b, 20);
  const std::uint32_t alg_hash = u32(b, 24);
  std::uint32_t key_bits = u32(b, 28);
  if ((flags & kFlagExternal) != 0) {
    info.description = "standard encryption with an external provider (extensible)";
    info.unsupported = "extensible encryption";
    return info;
  }
  if ((flags & kFlagAes) == 0 || alg == 0x6801) {
    info.description = "RC4 CryptoAPI encryption";
    info.unsupported = "RC4 CryptoAPI encryption";
    return info;
  }
  if (alg != 0 && alg != 0x660E && alg != 0x660F && alg != 0x6610) return bad("unknown AES algorithm id");
  if (alg_hash != 0 && alg_hash != 0x8004) return bad("hash is not SHA-1");
  if (key_bits == 0 && (alg == 0 || alg == 0x660E)) key_bits = 128;
  const std::uint32_t expected_bits = alg == 0x660F ? 192 : alg == 0x6610 ? 256 : 128;
  if (key_bits != expected_bits) return bad("key size does not match the algorithm");
  const std::size_t v = 12 + std::size_t{header_size};
  if (b.size() - v < 4 + 16 + 16 + 4 + 32) return bad("verifier cut short");
  if (u32(b, v) != 16) return bad("salt size is not 16");
  if (u32(b, v + 36) != 20) return bad("verifier hash size is not 20");
  info.key_bits = info.password_key_bits = key_bits;
  info.hash = info.password_hash = Hash::kSha1;
  info.salt = info.password_salt = std::string(b.substr(v + 4, 16));
  info.encrypted_verifier = std::string(b.substr(v + 20, 16));
  info.encrypted_verifier_hash = std::string(b.substr(v + 40, 32));
  info.spin_count = kStandardSpinCount;
  info.description = "standard encryption, AES-" + std::to_string(key_bits) + "-ECB, SHA-1, " +
                     std::to_string(kStandardSpinCount) + " spins";
  return info;
}

// [MS-OFFCRYPTO] 2.3.4.7: the AES key of the standard scheme from the final hash.
std::string standard_key(std::string_view final_hash, std::size_t key_bytes) {
  Digest sha1(Hash::kSha1);
  std::string inner(64, '\x36');
  std::string outer(64, '\x5c');
  for (std::size_t i = 0; i < final_hash.size(); ++i) {
    inner[i] = static_cast<char>(inner[i] ^ final_hash[i]);
    outer[i] = static_cast<char>(outer[i] ^ final_hash[i]);
  }
  return (sha1.hash(inner) + sha1.hash(outer)).substr(0, key_bytes);
}

// Hn of the hash chain (see derive_hash), the costly part: one buffer, one context.
std::string spun_hash(Digest& digest, Hash hash, std::string_view salt, std::string_view password_utf16le,
                      std::uint32_t spin_count) {
  const std::size_t size = digest_size(hash);
  std::array<unsigned char, EVP_MAX_MD_SIZE> h{};
  digest.hash(salt.data(), salt.size(), password_utf16le.data(), password_utf16le.size(), h.data());
  std::array<unsigned char, 4> iterator{};
  for (std::uint32_t i = 0; i < spin_count; ++i) {
    iterator = {static_cast<unsigned char>(i), static_cast<unsigned char>(i >> 8), static_cast<unsigned char>(i >> 16),
                static_cast<unsigned char>(i >> 24)};
    digest.hash(iterator.data(), iterator.size(), h.data(), size, h.data());
  }
  return {reinterpret_cast<const char*>(h.data()), size};
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::string utf16le(std::string_view utf8) {
  std::vector<UChar> wide(utf8.size() + 1);
  int32_t length = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strFromUTF8WithSub(wide.data(), static_cast<int32_t>(wide.size()), &length, utf8.data(),
                       static_cast<int32_t>(utf8.size()), 0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) return {};
  std::string out;
  out.reserve(static_cast<std::size_t>(length) * 2);
  for (int32_t i = 0; i < length; ++i) {
    out.push_back(static_cast<char>(wide[static_cast<std::size_t>(i)] & 0xFF));
    out.push_back(static_cast<char>(wide[static_cast<std::size_t>(i)] >> 8));
  }
  return out;
}

std::string derive_hash(Hash hash, std::string_view salt, std::string_view password_utf16le, std::uint32_t spin_count,
                        std::string_view block_key) {
  Digest digest(hash);
  return digest.hash(spun_hash(digest, hash, salt, password_utf16le, spin_count), block_key);
}

Result<EncryptionInfo> read_encryption_info(std::string_view bytes) {
  if (bytes.size() < 8) return fail(Error::invalid_argument("EncryptionInfo too short"));
  EncryptionInfo info;
  info.major = u16(bytes, 0);
  info.minor = u16(bytes, 2);
  if (info.major == 4 && info.minor == 4) return read_agile(bytes.substr(8), std::move(info));
  if ((info.major == 2 || info.major == 3 || info.major == 4) && info.minor == 2) {
    return read_standard(bytes, std::move(info));
  }
  const std::string version = std::to_string(info.major) + "." + std::to_string(info.minor);
  if ((info.major == 3 || info.major == 4) && info.minor == 3) {
    info.scheme = Scheme::kExtensible;
    info.description = "extensible encryption";
    info.unsupported = "extensible encryption";
    return info;
  }
  info.description = "EncryptionInfo version " + version;
  info.unsupported = "unknown EncryptionInfo version " + version;
  return info;
}

std::optional<std::string> package_key(const EncryptionInfo& info, std::string_view password) {
  if (!info.unsupported.empty() || info.spin_count > kMaxSpinCount) return std::nullopt;
  const std::string wide = utf16le(password);
  if (info.scheme == Scheme::kStandard) {
    const std::string key =
        standard_key(derive_hash(Hash::kSha1, info.password_salt, wide, info.spin_count, le32(0)), info.key_bits / 8);
    AesDecryptor ecb(key, false);
    const auto verifier = ecb.decrypt({}, info.encrypted_verifier);
    const auto verifier_hash = ecb.decrypt({}, info.encrypted_verifier_hash);
    if (!verifier || !verifier_hash) return std::nullopt;
    Digest sha1(Hash::kSha1);
    if (!constant_time_equal(sha1.hash(*verifier), verifier_hash->substr(0, 20))) return std::nullopt;
    return key;
  }
  if (info.scheme != Scheme::kAgile) return std::nullopt;
  const std::size_t key_bytes = info.password_key_bits / 8;
  // One spin loop gives the three keys: the loop is the cost, only the last hash differs.
  Digest digest(info.password_hash);
  const std::string spun = spun_hash(digest, info.password_hash, info.password_salt, wide, info.spin_count);
  const auto derived = [&](std::string_view block) { return fitted(digest.hash(spun, block), key_bytes); };
  const std::string iv = fitted(info.password_salt, info.block_size);
  const auto input = AesDecryptor(derived(kVerifierInputBlock), true).decrypt(iv, info.encrypted_verifier);
  const auto expected = AesDecryptor(derived(kVerifierHashBlock), true).decrypt(iv, info.encrypted_verifier_hash);
  if (!input || !expected || input->size() < info.password_salt.size()) return std::nullopt;
  const std::string actual = digest.hash(std::string_view(*input).substr(0, info.password_salt.size()));
  if (expected->size() < actual.size() || !constant_time_equal(actual, expected->substr(0, actual.size()))) {
    return std::nullopt;
  }
  const auto key = AesDecryptor(derived(kKeyValueBlock), true).decrypt(iv, info.encrypted_key);
  if (!key || key->size() < info.key_bits / 8) return std::nullopt;
  return key->substr(0, info.key_bits / 8);
}

std::optional<std::uint64_t> declared_package_size(std::string_view encrypted_package) {
  if (encrypted_package.size() < 8) return std::nullopt;
  return std::uint64_t{u32(encrypted_package, 0)} | (std::uint64_t{u32(encrypted_package, 4)} << 32);
}

Result<std::string> decrypt_package(const EncryptionInfo& info, std::string_view key, std::string_view encrypted_package,
                                    std::uint64_t max_bytes) {
  const std::optional<std::uint64_t> declared = declared_package_size(encrypted_package);
  if (!declared) return fail(Error::invalid_argument("EncryptedPackage too short"));
  const std::uint64_t wanted = std::min(*declared, max_bytes);
  const std::string_view data = encrypted_package.substr(8);
  // The ciphertext is whole AES blocks: the declared size rounded up to one (checked unrounded
  // first, so that a size near 2^64 cannot wrap).
  if (wanted > data.size() || (wanted + 15) / 16 * 16 > data.size()) {
    return fail(Error::invalid_argument("EncryptedPackage holds " + std::to_string(data.size()) +
                                        " encrypted bytes, fewer than the " + std::to_string(*declared) + " it declares"));
  }
  const std::size_t needed = static_cast<std::size_t>((wanted + 15) / 16 * 16);
  std::string out;
  out.reserve(needed);
  if (info.scheme == Scheme::kStandard) {
    AesDecryptor ecb(key, false);
    for (std::size_t at = 0; at < needed; at += kSegmentBytes) {
      if (!ecb.decrypt({}, data.substr(at, std::min(kSegmentBytes, needed - at)), out)) {
        return fail(Error::invalid_argument("EncryptedPackage: AES refused the key"));
      }
    }
  } else if (info.scheme == Scheme::kAgile) {
    AesDecryptor cbc(key, true);
    Digest digest(info.hash);
    for (std::size_t at = 0, segment = 0; at < needed; at += kSegmentBytes, ++segment) {
      const std::string iv = fitted(digest.hash(info.salt, le32(static_cast<std::uint32_t>(segment))), info.block_size);
      if (!cbc.decrypt(iv, data.substr(at, std::min(kSegmentBytes, needed - at)), out)) {
        return fail(Error::invalid_argument("EncryptedPackage: AES refused the key"));
      }
    }
  } else {
    return fail(Error::unsupported("not an encryption this reader decrypts"));
  }
  out.resize(static_cast<std::size_t>(wanted));
  return out;
}

}  // namespace vigie::objects::offcrypto
