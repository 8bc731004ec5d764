// OpenSSL 3 EVP calls for DKIM (see crypto.h). Every OpenSSL object is owned by a smart pointer
// and every return value is checked; OpenSSL's error queue is cleared after a failed call so that
// one bad key does not leave errors for unrelated code on this thread.
#include "auth/dkim/crypto.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace vigie::auth::dkim {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

const EVP_MD* md_of(Hash hash) { return hash == Hash::kSha1 ? EVP_sha1() : EVP_sha256(); }

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::string digest(Hash hash, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out, &size, md_of(hash), nullptr) != 1) {
    ERR_clear_error();
    return {};
  }
  return std::string(reinterpret_cast<const char*>(out), size);
}

tl::expected<PublicKey, LocalizedText> PublicKey::load(KeyType type, std::string_view bytes) {
  auto unusable = [](LocalizedText why) { return tl::unexpected<LocalizedText>(std::move(why)); };
  EVP_PKEY* raw = nullptr;
  if (type == KeyType::kEd25519) {
    if (bytes.size() != 32) {
      const std::string size = std::to_string(bytes.size());
      return unusable({"an Ed25519 key is 32 bytes, p= has " + size, "une clé Ed25519 fait 32 octets, p= en a " + size});
    }
    raw = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes_of(bytes), bytes.size());
  } else {
    if (bytes.size() > 4096) return unusable({"p= is too long for an RSA key", "p= est trop long pour une clé RSA"});
    const unsigned char* p = bytes_of(bytes);
    raw = d2i_PUBKEY(nullptr, &p, static_cast<long>(bytes.size()));
    if (raw != nullptr && p != bytes_of(bytes) + bytes.size()) {
      EVP_PKEY_free(raw);  // trailing bytes after the DER structure
      raw = nullptr;
    }
    if (raw == nullptr) {
      p = bytes_of(bytes);
      raw = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(bytes.size()));
    }
    if (raw != nullptr && EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA) {
      EVP_PKEY_free(raw);
      ERR_clear_error();
      return unusable({"p= holds a key that is not RSA", "p= contient une clé qui n'est pas RSA"});
    }
  }
  if (raw == nullptr) {
    ERR_clear_error();
    return unusable(type == KeyType::kRsa
                        ? LocalizedText{"p= is not an RSA public key", "p= n'est pas une clé publique RSA"}
                        : LocalizedText{"p= is not an Ed25519 public key", "p= n'est pas une clé publique Ed25519"});
  }
  PublicKey key;
  key.key_ = std::shared_ptr<evp_pkey_st>(raw, EVP_PKEY_free);
  key.type_ = type;
  const int bits = EVP_PKEY_get_bits(raw);
  key.bits_ = type == KeyType::kEd25519 ? 256u : static_cast<unsigned>(bits > 0 ? bits : 0);
  return key;
}

bool PublicKey::verify(Hash hash, std::string_view data, std::string_view signature) const {
  if (!key_) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  int ok = 0;
  if (type_ == KeyType::kEd25519) {
    // RFC 8463 §3: the signature is computed over the SHA-256 hash of the header data.
    const std::string hashed = digest(Hash::kSha256, data);
    ok = EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(hashed),
                          hashed.size()) == 1;
  } else {
    ok = EVP_DigestVerifyInit(ctx.get(), nullptr, md_of(hash), nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(data),
                          data.size()) == 1;
  }
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace vigie::auth::dkim
