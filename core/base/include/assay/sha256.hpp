// SHA-256 (FIPS 180-4) through libsodium's crypto_hash_sha256: the assessment digest recorded in
// every attempt, and the hashes under which the server keeps tokens.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace assay::util {

/// Incremental SHA-256: update() any number of times, then hex() or digest() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  /// The 32-byte digest; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> digest();
  /// The digest as 64 lowercase hex digits.
  std::string hex();

 private:
  struct State;  // libsodium's crypto_hash_sha256_state, kept out of this header
  std::unique_ptr<State> state_;
};

/// SHA-256 of `bytes` as lowercase hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace assay::util
