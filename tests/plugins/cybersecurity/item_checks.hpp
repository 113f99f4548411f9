// Checks every cybersecurity item type must pass, run directly on the class (what
// `assay plugin-check` runs through the ABI): examples score as declared, the presentation is
// identical when the secret params are swapped (key-flip invariance), solve earns full credit,
// and everything is deterministic for a seed.
#pragma once

#include <assay/sdk.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace cyber_test {

using assay::sdk::Credit;
using assay::sdk::json;

template <class T>
std::string prepare_error(const json& params, std::string* pointer = nullptr) {
  try {
    (void)T::prepare(params);
  } catch (const assay::sdk::ParamError& e) {
    if (pointer != nullptr) *pointer = e.pointer();
    return e.what();
  }
  return "";
}

inline bool all_full(const std::vector<Credit>& credits) {
  for (auto c : credits) {
    if (!(c == Credit::full())) return false;
  }
  return true;
}

/// The message score() refuses `response` with; empty when it scores it.
template <class T>
std::string malformed_message(const T& item, std::uint64_t seed, const json& response) {
  try {
    (void)item.score(seed, response);
  } catch (const assay::sdk::ResponseError& e) {
    return e.what();
  }
  return "";
}

template <class T>
void check_examples() {
  std::size_t malformed = 0;
  for (const auto& ex : T::examples()) {
    CAPTURE(ex.name);
    auto item = T::prepare(ex.params);
    for (const auto& m : ex.malformed) {
      CAPTURE(m.label, m.response.dump());
      ++malformed;
      REQUIRE_FALSE(malformed_message(item, ex.seed, m.response).empty());
      REQUIRE_THROWS_AS(item.feedback(ex.seed, m.response), assay::sdk::ResponseError);
    }
    for (const auto& r : ex.responses) {
      CAPTURE(r.label);
      auto credits = item.score(ex.seed, r.response);
      REQUIRE(credits.size() == T::criteria().size());
      REQUIRE(r.expected.size() == credits.size());
      for (std::size_t i = 0; i < credits.size(); ++i) {
        CAPTURE(i, credits[i].num, credits[i].den);
        REQUIRE(credits[i] == r.expected[i]);
      }
      REQUIRE_FALSE(item.feedback(ex.seed, r.response).empty());
    }
    json flipped = ex.params;
    for (auto it = ex.alt_secret.begin(); it != ex.alt_secret.end(); ++it) flipped[it.key()] = it.value();
    auto other = T::prepare(flipped);
    if (!ex.alt_secret.empty()) {
      // The alternative set must change the key, or the key-flip check proves nothing.
      bool key_changed = item.solve(ex.seed).dump() != other.solve(ex.seed).dump();
      for (const auto& r : ex.responses) {
        auto a = item.score(ex.seed, r.response);
        auto b = other.score(ex.seed, r.response);
        for (std::size_t i = 0; i < a.size(); ++i) key_changed = key_changed || !(a[i] == b[i]);
      }
      REQUIRE(key_changed);
    }
    for (std::uint64_t seed : {ex.seed, std::uint64_t{1}, std::uint64_t{99}, ~std::uint64_t{0}}) {
      CAPTURE(seed);
      REQUIRE(item.present(seed).dump() == other.present(seed).dump());
      REQUIRE(all_full(item.score(seed, item.solve(seed))));
      REQUIRE(item.present(seed).dump() == item.present(seed).dump());
      REQUIRE(item.solve(seed).dump() == item.solve(seed).dump());
    }
  }
  REQUIRE(malformed > 0);  // every type declares what it refuses (ABI 1.1)
}

}  // namespace cyber_test
