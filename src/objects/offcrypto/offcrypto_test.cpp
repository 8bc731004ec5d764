// The OOXML decryption against files an independent encryptor made (tests/data/offcrypto, see its
// README: officecrypto-tool, agile and standard, password "2025"), the key derivation against
// values Python's hashlib computes, and hostile descriptors and packages.
#include "objects/offcrypto/offcrypto.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "objects/cfb/cfb.h"

namespace vigie::objects::offcrypto {
namespace {

std::string data_file(std::string_view path) {
  const std::string full = std::string(VIGIE_SOURCE_DIR) + "/tests/data/" + std::string(path);
  std::ifstream in(full, std::ios::binary);
  if (!in) throw std::runtime_error("missing test file " + full);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

struct Streams {
  std::string info;
  std::string package;
};
Streams streams_of(const std::string& file) {
  auto cfb = cfb::CompoundFile::open(file);
  EXPECT_TRUE(cfb.has_value());
  if (!cfb) return {};
  Streams s;
  s.info = cfb->read(*cfb->find("EncryptionInfo"), 1 << 20).value();
  s.package = cfb->read(*cfb->find("EncryptedPackage"), 1 << 20).value();
  return s;
}

// Expected values from Python: hashlib over salt + password in UTF-16LE, the iterator chain, the
// block key ([MS-OFFCRYPTO] 2.3.4.11 and 2.3.4.7).
TEST(OffcryptoTest, KeyDerivationKnownAnswers) {
  std::string salt;
  for (int i = 0; i < 16; ++i) salt.push_back(static_cast<char>(i));
  EXPECT_EQ(hex(derive_hash(Hash::kSha512, salt, utf16le("2025"), 100000, std::string_view("\xfe\xa7\xd2\x76\x3b\x4b\x9e\x79", 8))),
            "ddf384be3a2109939927595c1cbea26d90240b83e2c201e9c1a1c548b3b67d2bfb38ababec8bbf31d305f8c7cadff57d26a4fbee5"
            "4d18e7bbd794171ccaea5ad");
  EXPECT_EQ(hex(derive_hash(Hash::kSha1, salt, utf16le("Mot de passe \xC3\xA9"), 50000, std::string_view("\0\0\0\0", 4))),
            "371e0d35ad9d1d5992a31bce76ed721c003621c4");
  EXPECT_EQ(hex(utf16le("a\xC3\xA9")), "6100e900");
}

void expect_opens(std::string_view fixture, std::string_view description) {
  const Streams s = streams_of(data_file(fixture));
  auto info = read_encryption_info(s.info);
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_EQ(info->description, description);
  EXPECT_TRUE(info->unsupported.empty());

  EXPECT_FALSE(package_key(*info, "2024").has_value());
  EXPECT_FALSE(package_key(*info, "").has_value());
  const std::optional<std::string> key = package_key(*info, "2025");
  ASSERT_TRUE(key.has_value());
  const std::string original = data_file("office/autoopen.docm");
  EXPECT_EQ(declared_package_size(s.package), original.size());
  auto package = decrypt_package(*info, *key, s.package, 1 << 20);
  ASSERT_TRUE(package.has_value()) << package.error().message;
  EXPECT_EQ(*package, original);

  // A bound below the package's size: its first bytes only.
  auto head = decrypt_package(*info, *key, s.package, 100);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(*head, original.substr(0, 100));
  // Cut short: an error, not a read past the end.
  EXPECT_FALSE(decrypt_package(*info, *key, std::string_view(s.package).substr(0, 1000), 1 << 20).has_value());
  EXPECT_FALSE(decrypt_package(*info, *key, std::string_view(s.package).substr(0, 7), 1 << 20).has_value());
}

TEST(OffcryptoTest, OpensAgileWithTheRightPasswordOnly) {
  expect_opens("offcrypto/autoopen_agile_2025.docm", "agile encryption, AES-256-CBC, SHA-512, 100000 spins");
}

TEST(OffcryptoTest, OpensStandardWithTheRightPasswordOnly) {
  expect_opens("offcrypto/autoopen_standard_2025.docm", "standard encryption, AES-128-ECB, SHA-1, 50000 spins");
}

TEST(OffcryptoTest, TruncatedEncryptionInfoIsAnErrorOrUnusable) {
  for (std::string_view fixture : {"offcrypto/autoopen_agile_2025.docm", "offcrypto/autoopen_standard_2025.docm"}) {
    const Streams s = streams_of(data_file(fixture));
    for (std::size_t size = 0; size < s.info.size(); ++size) {
      auto info = read_encryption_info(std::string_view(s.info).substr(0, size));
      // A cut descriptor either fails or lost its password key encryptor; never a usable key.
      if (info && info->unsupported.empty() && info->scheme == Scheme::kAgile) {
        EXPECT_FALSE(info->encrypted_key.empty()) << size;
      }
    }
  }
  EXPECT_FALSE(read_encryption_info("\x04\x00").has_value());
}

TEST(OffcryptoTest, CorruptFieldsAreErrors) {
  const Streams s = streams_of(data_file("offcrypto/autoopen_standard_2025.docm"));
  std::string bad = s.info;
  bad[8] = '\x7F';  // header size past the stream
  EXPECT_FALSE(read_encryption_info(bad).has_value());
  bad = s.info;
  bad[28] = '\x40';  // key size 64 for AES-128
  EXPECT_FALSE(read_encryption_info(bad).has_value());

  // A corrupt package decrypts to other bytes, without harm.
  auto info = read_encryption_info(s.info);
  ASSERT_TRUE(info.has_value());
  const std::optional<std::string> key = package_key(*info, "2025");
  ASSERT_TRUE(key.has_value());
  std::string package = s.package;
  package[100] = static_cast<char>(package[100] ^ 0x55);
  auto out = decrypt_package(*info, *key, package, 1 << 20);
  ASSERT_TRUE(out.has_value());
  EXPECT_NE(*out, data_file("office/autoopen.docm"));
  // A declared size far beyond what the stream holds.
  package.replace(0, 8, std::string("\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x7F", 8));
  EXPECT_FALSE(decrypt_package(*info, *key, package, 1 << 20).has_value());
  package.replace(0, 8, std::string(8, '\xFF'));
  EXPECT_FALSE(decrypt_package(*info, *key, package, UINT64_MAX).has_value());
}

std::string agile_info(std::string_view encrypted_key_attributes) {
  return std::string("\x04\x00\x04\x00\x40\x00\x00\x00", 8) +
         "<?xml version=\"1.0\"?><encryption xmlns=\"http://schemas.microsoft.com/office/2006/encryption\" "
         "xmlns:p=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\">"
         "<keyData saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm=\"AES\" "
         "cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"RYXGx2HJLaARmOUaQG0juQ==\"/>"
         "<keyEncryptors><keyEncryptor uri=\"http://schemas.microsoft.com/office/2006/keyEncryptor/password\">"
         "<p:encryptedKey " +
         std::string(encrypted_key_attributes) + "/></keyEncryptor></keyEncryptors></encryption>";
}
constexpr std::string_view kKeyFields =
    " saltSize=\"16\" blockSize=\"16\" keyBits=\"256\" hashSize=\"64\" cipherAlgorithm=\"AES\" "
    "cipherChaining=\"ChainingModeCBC\" hashAlgorithm=\"SHA512\" saltValue=\"3MpLpc0Pp/V6ekTr912MTQ==\" "
    "encryptedVerifierHashInput=\"m7yVAUP/mjE+QhKEQYxNig==\" "
    "encryptedVerifierHashValue=\"VvsOmZyJzsHF+4BkX42V5IW87YHchFfhn14OtuTjdx0BoNUKf/48ZdvqcV6YEBRITHQLg4q+nYA95zHMmKdQew==\" "
    "encryptedKeyValue=\"uI29UnfgOGW5JvUfCp7C9/HpvwtxIPLwxuRV6My5nFw=\"";

TEST(OffcryptoTest, AbsurdSpinCountIsRefusedNotSpun) {
  auto info = read_encryption_info(agile_info("spinCount=\"4000000000\"" + std::string(kKeyFields)));
  ASSERT_TRUE(info.has_value()) << info.error().message;
  EXPECT_TRUE(info->spin_count_refused);
  EXPECT_NE(info->unsupported.find("spin count 4000000000 above the bound"), std::string::npos);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(package_key(*info, "2025").has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));

  // The crafted descriptor with the fixture's own values and 100000 spins does open: the parser
  // read what the encryptor wrote.
  auto normal = read_encryption_info(agile_info("spinCount=\"100000\"" + std::string(kKeyFields)));
  ASSERT_TRUE(normal.has_value());
  EXPECT_TRUE(package_key(*normal, "2025").has_value());
}

TEST(OffcryptoTest, UnsupportedSchemesAreSaidNotGuessed) {
  std::string des(kKeyFields);
  des.replace(des.find("\"AES\""), 5, "\"DES\"");
  auto info = read_encryption_info(agile_info("spinCount=\"100000\"" + des));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->unsupported, "cipher DES");
  EXPECT_FALSE(package_key(*info, "2025").has_value());

  EXPECT_FALSE(read_encryption_info(agile_info("spinCount=\"many\"" + std::string(kKeyFields))).has_value());
  EXPECT_FALSE(read_encryption_info(agile_info("spinCount=\"100000\"")).has_value());

  auto extensible = read_encryption_info(std::string("\x04\x00\x03\x00\x00\x00\x00\x00", 8));
  ASSERT_TRUE(extensible.has_value());
  EXPECT_EQ(extensible->unsupported, "extensible encryption");

  // A standard header whose flags say RC4 (fCryptoAPI without fAES).
  std::string rc4 = std::string("\x03\x00\x02\x00\x04\x00\x00\x00\x20\x00\x00\x00", 12) + std::string(32, '\0') +
                    std::string(100, '\0');
  rc4[20] = '\x01';
  rc4[21] = '\x68';
  auto rc4_info = read_encryption_info(rc4);
  ASSERT_TRUE(rc4_info.has_value());
  EXPECT_EQ(rc4_info->unsupported, "RC4 CryptoAPI encryption");
}

}  // namespace
}  // namespace vigie::objects::offcrypto
