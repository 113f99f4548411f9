// Ed25519 signatures (RFC 8032) through libsodium's crypto_sign_*: the signatures a plugin
// provider puts beside a plugin library, and the keys a hospital trusts. Base64 (RFC 4648, with
// padding) is the text form of keys and signatures.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace assay::util {

using Ed25519PublicKey = std::array<std::uint8_t, 32>;
using Ed25519SecretKey = std::array<std::uint8_t, 64>;  // libsodium's form: seed, then public key
using Ed25519Signature = std::array<std::uint8_t, 64>;

struct Ed25519KeyPair {
  Ed25519PublicKey public_key{};
  Ed25519SecretKey secret_key{};
};

/// A new key pair from the system's random source.
Ed25519KeyPair ed25519_generate();
/// The public half of a secret key.
Ed25519PublicKey ed25519_public_of(const Ed25519SecretKey& secret_key);
/// A detached signature of `message`.
Ed25519Signature ed25519_sign(std::string_view message, const Ed25519SecretKey& secret_key);
/// True when `signature` is `public_key`'s signature of exactly `message`.
bool ed25519_verify(std::string_view message, const Ed25519Signature& signature, const Ed25519PublicKey& public_key);

std::string base64_encode(std::span<const std::uint8_t> bytes);
/// The bytes of standard base64 text (padding required, no white space), or nullopt.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

/// Clears memory that held a secret (sodium_memzero: not optimised away).
void wipe(std::span<std::uint8_t> bytes);

}  // namespace assay::util
