#include <assay/sdk/params.hpp>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using assay::sdk::json;
using assay::sdk::ParamError;
using assay::sdk::Params;

namespace {

const std::vector<std::string> kKinds = {"typo", "swap", "nickname"};

/// The pointer and message id_list refuses `kinds` with.
std::pair<std::string, std::string> id_list_refusal(const json& kinds) {
  json params = {{"kinds", kinds}};
  try {
    (void)Params(params).at("kinds").id_list(kKinds, "kind");
  } catch (const ParamError& e) {
    return {e.pointer(), e.what()};
  }
  FAIL("id_list accepted " << kinds.dump());
  return {};
}

}  // namespace

TEST_CASE("id_list reads distinct ids from a fixed set in the author's order", "[sdk][params]") {
  json params = {{"kinds", {"swap", "typo"}}};
  CHECK(Params(params).at("kinds").id_list(kKinds, "kind") == std::vector<std::string>{"swap", "typo"});
}

TEST_CASE("id_list refuses an id list at the element it cannot take", "[sdk][params]") {
  auto [kinds, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {json::array(), "/kinds", "expected at least one kind"},
      {json{"typo", "swap", "typo"}, "/kinds/2", "duplicate kind \"typo\""},
      {json{"typo", "misspelling"}, "/kinds/1", "expected one of 'typo', 'swap', 'nickname', found \"misspelling\""},
      {json{"typo", 3}, "/kinds/1", "expected a string, found an integer"},
      {json("typo"), "/kinds", "expected an array, found a string"},
  }));
  CAPTURE(kinds.dump());
  auto [at, what] = id_list_refusal(kinds);
  CHECK(at == pointer);
  CHECK(what == message);
}
