#include "assay/ed25519.hpp"

#include <sodium.h>

#include <stdexcept>

namespace assay::util {

namespace {
void ready() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start (no random source)");
}
}  // namespace

Ed25519KeyPair ed25519_generate() {
  ready();
  Ed25519KeyPair keys;
  crypto_sign_keypair(keys.public_key.data(), keys.secret_key.data());
  return keys;
}

Ed25519PublicKey ed25519_public_of(const Ed25519SecretKey& secret_key) {
  Ed25519PublicKey pk{};
  crypto_sign_ed25519_sk_to_pk(pk.data(), secret_key.data());
  return pk;
}

Ed25519Signature ed25519_sign(std::string_view message, const Ed25519SecretKey& secret_key) {
  ready();
  Ed25519Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_key.data());
  return sig;
}

bool ed25519_verify(std::string_view message, const Ed25519Signature& signature, const Ed25519PublicKey& public_key) {
  ready();
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     public_key.data()) == 0;
}

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) !=
          0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(len);
  return out;
}

void wipe(std::span<std::uint8_t> bytes) { sodium_memzero(bytes.data(), bytes.size()); }

}  // namespace assay::util
