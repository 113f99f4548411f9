// Checks every device-maintenance item type must pass, over many seeds: presentation
// deterministic and unchanged when the secret params are swapped (key-flip), solve earns full
// credit, and each example response earns the credit it declares.
#pragma once

#include <assay/sdk.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace device::testing {

using assay::sdk::json;

/// params with the example's alternative secret members substituted.
inline json flipped(const json& params, const json& alt) {
  json out = params;
  for (auto it = alt.begin(); it != alt.end(); ++it) out[it.key()] = it.value();
  return out;
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
void check_examples_and_seeds(int seeds = 200) {
  std::size_t malformed = 0;
  for (auto& ex : T::examples()) {
    CAPTURE(ex.name);
    T item = T::prepare(ex.params);
    for (auto& m : ex.malformed) {
      CAPTURE(m.label, m.response.dump());
      ++malformed;
      REQUIRE_FALSE(malformed_message(item, ex.seed, m.response).empty());
      REQUIRE_THROWS_AS(item.feedback(ex.seed, m.response), assay::sdk::ResponseError);
    }
    for (auto& r : ex.responses) {
      CAPTURE(r.label);
      auto credits = item.score(ex.seed, r.response);
      REQUIRE(credits.size() == T::criteria().size());
      for (std::size_t i = 0; i < credits.size(); ++i) {
        CAPTURE(i);
        REQUIRE(credits[i] == r.expected[i]);
      }
    }
    T alt = T::prepare(flipped(ex.params, ex.alt_secret));
    bool any_differs = false;
    std::string first = item.present(1).dump();
    for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(seeds); ++seed) {
      CAPTURE(seed);
      auto shown = item.present(seed).dump();
      REQUIRE(shown == item.present(seed).dump());  // deterministic
      REQUIRE(shown == alt.present(seed).dump());   // secret params never shape the material
      any_differs = any_differs || shown != first;
      for (auto& c : item.score(seed, item.solve(seed))) REQUIRE(c == assay::sdk::Credit::full());
      REQUIRE(json::parse(shown)["presentation"] == 1);
    }
    // Generated material varies with the seed; fixed material cannot.
    if (ex.params.contains("ranges") || ex.params.contains("generate")) REQUIRE(any_differs);
  }
  REQUIRE(malformed > 0);  // every type declares what it refuses (ABI 1.1)
}

/// Runs prepare and returns the ParamError's pointer and message ("" when prepare succeeds).
template <class T>
std::pair<std::string, std::string> refusal(const json& params) {
  try {
    (void)T::prepare(params);
  } catch (const assay::sdk::ParamError& e) {
    return {e.pointer(), e.what()};
  }
  return {"", ""};
}

}  // namespace device::testing
