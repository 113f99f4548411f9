// Shared helpers of the core-items tests: score a response written as JSON text, catch refusals.
#pragma once

#include <assay/sdk.hpp>
#include <catch2/catch.hpp>
#include <numeric>
#include <string>

namespace core_items_test {

namespace sdk = assay::sdk;
using sdk::json;

/// A credit as reduced text ("2/3", "0/1"), so tables read naturally and failures print clearly.
inline std::string frac(sdk::Credit c) {
  auto g = std::gcd(c.num, c.den);
  if (g == 0) g = 1;
  return std::to_string(c.num / g) + "/" + std::to_string(c.den / g);
}

/// The credit on the type's first criterion (its only one, or `correct`), or on criterion `index`.
template <class T>
std::string score(const T& item, const std::string& response, std::uint64_t seed = 1, std::size_t index = 0) {
  auto credits = item.score(seed, json::parse(response));
  REQUIRE(credits.size() == T::criteria().size());
  REQUIRE(index < credits.size());
  return frac(credits[index]);
}

struct Refusal {
  std::string pointer;
  std::string message;
};

/// What prepare() says about params it must refuse.
template <class T>
Refusal refusal(const json& params) {
  try {
    T::prepare(params);
  } catch (const sdk::ParamError& e) {
    return {e.pointer(), e.what()};
  }
  FAIL("the params were accepted: " << params.dump());
  return {};
}

/// What score() says about a response it must refuse.
template <class T>
std::string response_error(const T& item, const std::string& response) {
  try {
    item.score(1, json::parse(response));
  } catch (const sdk::ResponseError& e) {
    return e.what();
  }
  FAIL("the response was accepted: " << response);
  return {};
}

/// `params` with the members of `patch` replacing its own.
inline json patched(json params, const json& patch) {
  for (auto it = patch.begin(); it != patch.end(); ++it) params[it.key()] = *it;
  return params;
}

/// `params` without the member `key`.
inline json without(json params, const std::string& key) {
  params.erase(key);
  return params;
}

}  // namespace core_items_test
