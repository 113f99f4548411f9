// Properties every ehr-admin item type keeps over many seeds.
#ifndef ASSAY_TESTS_EHR_PROPERTIES_HPP
#define ASSAY_TESTS_EHR_PROPERTIES_HPP

#include <assay/sdk.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "../sdk/seed_count.hpp"

namespace ehr_test {

using assay::sdk::Credit;
using assay::sdk::json;

/// Seeds 0, 2^64-1 and `n` more drawn from a fixed generator.
inline std::vector<std::uint64_t> seeds(std::size_t n) {
  std::vector<std::uint64_t> out = {0, UINT64_MAX, 1};
  assay::sdk::Rng rng(20260301);
  for (std::size_t i = 0; i < n; ++i) out.push_back(rng.next());
  return out;
}

/// For each of seeds(n) (fewer under the sanitizers: seed_count): presenting twice gives the same
/// bytes; presenting with the secret params replaced by `alt_secret` gives the same bytes; solve()
/// earns full credit on every criterion, twice in a row; an empty response earns less than full
/// credit; feedback runs.
template <class T>
void check_properties(const json& params, const json& alt_secret, std::size_t n = 300) {
  json flipped = params;
  for (auto& [k, v] : alt_secret.items()) flipped[k] = v;
  auto item = T::prepare(params);
  auto alt = T::prepare(flipped);
  for (auto seed : seeds(assay::test::seed_count(n))) {
    CAPTURE(seed);
    auto shown = item.present(seed).dump();
    REQUIRE(shown == item.present(seed).dump());
    REQUIRE(shown == alt.present(seed).dump());
    auto solved = item.solve(seed);
    auto credits = item.score(seed, solved);
    for (auto c : credits) REQUIRE(c == Credit::full());
    REQUIRE(item.score(seed, solved) == credits);
    auto empty = item.score(seed, json::object());
    bool all_full = true;
    for (auto c : empty) all_full = all_full && c == Credit::full();
    REQUIRE_FALSE(all_full);
    REQUIRE_NOTHROW(item.feedback(seed, solved));
    REQUIRE_NOTHROW(item.feedback(seed, json::object()));
  }
}

/// The JSON Pointer and message `prepare` refuses `params` with.
template <class T>
std::pair<std::string, std::string> refusal(const json& params) {
  try {
    T::prepare(params);
  } catch (const assay::sdk::ParamError& e) {
    return {e.pointer(), e.what()};
  }
  return {"<accepted>", ""};
}

/// Runs each example's responses and compares with the credits the example expects; the
/// same check `assay plugin-check` makes, here without loading the module.
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
  for (auto& ex : T::examples()) {
    CAPTURE(ex.name);
    auto item = T::prepare(ex.params);
    for (auto& m : ex.malformed) {
      CAPTURE(m.label, m.response.dump());
      ++malformed;
      REQUIRE_FALSE(malformed_message(item, ex.seed, m.response).empty());
      REQUIRE_THROWS_AS(item.feedback(ex.seed, m.response), assay::sdk::ResponseError);
    }
    json flipped = ex.params;
    for (auto& [k, v] : ex.alt_secret.items()) flipped[k] = v;
    REQUIRE(T::prepare(flipped).present(ex.seed) == item.present(ex.seed));
    for (auto& r : ex.responses) {
      CAPTURE(r.label);
      REQUIRE(item.score(ex.seed, r.response) == r.expected);
    }
    for (auto c : item.score(ex.seed, item.solve(ex.seed))) REQUIRE(c == Credit::full());
  }
  REQUIRE(malformed > 0);  // every type declares what it refuses (ABI 1.1)
}

}  // namespace ehr_test

#endif
