#include <catch2/catch.hpp>
#include <string>

#include "assay/sha256.hpp"

using assay::util::Sha256;
using assay::util::sha256_hex;

// FIPS 180-2, appendix B (SHA-256 examples), and the empty message.
TEST_CASE("sha256 matches the FIPS 180-2 test vectors", "[sha256]") {
  auto [message, digest] = GENERATE(table<std::string, std::string>({
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  }));
  CAPTURE(message);
  REQUIRE(sha256_hex(message) == digest);
}

TEST_CASE("sha256 gives the same digest however the input is split", "[sha256]") {
  // One million 'a' (FIPS 180-2 B.3), fed in uneven pieces across block boundaries.
  Sha256 h;
  std::string piece(997, 'a');
  std::size_t left = 1000000;
  while (left > 0) {
    std::size_t n = std::min(left, piece.size());
    h.update(piece.data(), n);
    left -= n;
  }
  REQUIRE(h.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
