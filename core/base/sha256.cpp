#include "assay/sha256.hpp"

#include <sodium.h>

namespace assay::util {

struct Sha256::State {
  crypto_hash_sha256_state s;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  [[maybe_unused]] static const int ready = sodium_init();  // once per process, thread-safe
  crypto_hash_sha256_init(&state_->s);
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(const void* data, std::size_t size) {
  crypto_hash_sha256_update(&state_->s, static_cast<const unsigned char*>(data), size);
}

std::array<std::uint8_t, 32> Sha256::digest() {
  std::array<std::uint8_t, 32> out{};
  crypto_hash_sha256_final(&state_->s, out.data());
  return out;
}

std::string Sha256::hex() {
  auto d = digest();
  char text[2 * 32 + 1];
  sodium_bin2hex(text, sizeof text, d.data(), d.size());
  return std::string(text, 2 * 32);
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

}  // namespace assay::util
