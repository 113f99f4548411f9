// The plugin contract, checked for every core-items type from its own examples: expected credits,
// key-flip invariance, deterministic presentation, and solve earning full credit.
#include <set>

#include "core_items_test_util.hpp"
#include "extended_text.hpp"
#include "match.hpp"
#include "multiple_choice.hpp"
#include "numeric.hpp"
#include "order.hpp"
#include "single_choice.hpp"
#include "text_entry.hpp"

using namespace core_items_test;
using namespace assay::core_items;

namespace {

std::set<std::string> secret_params(const json& schema) {
  std::set<std::string> out;
  for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
    if (it->value("x-assay-secret", false)) out.insert(it.key());
  }
  return out;
}

}  // namespace

#define CORE_ITEM_TYPES SingleChoice, MultipleChoice, Numeric, TextEntry, Order, Match, ExtendedText

TEMPLATE_TEST_CASE("core-items examples earn the credit written beside them", "[core-items][contract]", CORE_ITEM_TYPES) {
  auto criteria = TestType::criteria();
  auto examples = TestType::examples();
  REQUIRE_FALSE(examples.empty());
  for (const auto& ex : examples) {
    CAPTURE(ex.name);
    auto item = TestType::prepare(ex.params);
    REQUIRE(ex.responses.size() >= 2);
    for (const auto& r : ex.responses) {
      CAPTURE(r.label);
      auto credits = item.score(ex.seed, r.response);
      REQUIRE(credits.size() == criteria.size());
      REQUIRE(r.expected.size() == criteria.size());
      for (std::size_t i = 0; i < criteria.size(); ++i) {
        if (!criteria[i].rated) REQUIRE(frac(credits[i]) == frac(r.expected[i]));
      }
      REQUIRE_FALSE(item.feedback(ex.seed, r.response).empty());
    }
  }
}

TEMPLATE_TEST_CASE("core-items examples declare malformed responses that score refuses with a message",
                   "[core-items][contract][malformed]", CORE_ITEM_TYPES) {
  std::size_t declared = 0;
  for (const auto& ex : TestType::examples()) {
    CAPTURE(ex.name);
    auto item = TestType::prepare(ex.params);
    for (const auto& m : ex.malformed) {
      CAPTURE(m.label, m.response.dump());
      ++declared;
      std::string message;
      try {
        item.score(ex.seed, m.response);
      } catch (const sdk::ResponseError& e) {
        message = e.what();
      }
      REQUIRE_FALSE(message.empty());
      REQUIRE_THROWS_AS(item.feedback(ex.seed, m.response), sdk::ResponseError);
    }
  }
  REQUIRE(declared > 0);
}

TEMPLATE_TEST_CASE("core-items presentations do not change when the key does", "[core-items][contract]", CORE_ITEM_TYPES) {
  auto secrets = secret_params(TestType::schema());
  for (const auto& ex : TestType::examples()) {
    CAPTURE(ex.name);
    for (auto it = ex.alt_secret.begin(); it != ex.alt_secret.end(); ++it) {
      CAPTURE(it.key());
      REQUIRE(secrets.count(it.key()) == 1);
      REQUIRE(ex.params.value(it.key(), json()) != *it);  // the alternative really is another key
    }
    auto item = TestType::prepare(ex.params);
    auto flipped = TestType::prepare(patched(ex.params, ex.alt_secret));
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
      CAPTURE(seed);
      REQUIRE(item.present(seed).dump() == flipped.present(seed).dump());
    }
  }
}

TEMPLATE_TEST_CASE("core-items presentations repeat for a seed and follow presentation v1", "[core-items][contract]",
                   CORE_ITEM_TYPES) {
  for (const auto& ex : TestType::examples()) {
    CAPTURE(ex.name);
    auto item = TestType::prepare(ex.params);
    auto again = TestType::prepare(ex.params);
    for (std::uint64_t seed : {0ull, 1ull, 42ull, 18446744073709551615ull}) {
      auto p = item.present(seed);
      REQUIRE(p.dump() == item.present(seed).dump());
      REQUIRE(p.dump() == again.present(seed).dump());
      REQUIRE(p["presentation"] == 1);
      REQUIRE(p["prompt"] == ex.params["prompt"]);
      REQUIRE(p["interactions"].size() == 1);
      REQUIRE(p["interactions"][0]["id"] == "answer");
    }
  }
}

TEMPLATE_TEST_CASE("core-items solve earns full credit for every seed", "[core-items][contract]", CORE_ITEM_TYPES) {
  auto criteria = TestType::criteria();
  for (const auto& ex : TestType::examples()) {
    CAPTURE(ex.name);
    for (const auto& params : {ex.params, patched(ex.params, ex.alt_secret)}) {
      auto item = TestType::prepare(params);
      for (std::uint64_t seed = 0; seed < 300; ++seed) {
        CAPTURE(seed);
        auto answer = json::parse(item.solve(seed).dump());  // as it travels
        auto credits = item.score(seed, answer);
        REQUIRE(credits.size() == criteria.size());
        for (std::size_t i = 0; i < criteria.size(); ++i) {
          if (!criteria[i].rated) REQUIRE(frac(credits[i]) == "1/1");
        }
      }
    }
  }
}

TEST_CASE("core-items marks exactly the answer key of each type secret", "[core-items][contract]") {
  using Set = std::set<std::string>;
  CHECK(secret_params(SingleChoice::schema()) ==
        Set{"correct", "credit", "unsafe"});  // which wrong options are unsafe is key too
  CHECK(secret_params(MultipleChoice::schema()) == Set{"correct", "credit"});
  CHECK(secret_params(Numeric::schema()) == Set{"answer", "partial"});
  CHECK(secret_params(TextEntry::schema()) == Set{"accepted", "patterns"});
  CHECK(secret_params(Order::schema()) == Set{"correct_order"});
  CHECK(secret_params(Match::schema()) == Set{"pairs", "weights"});  // which pairs weigh most is key too
  CHECK(secret_params(ExtendedText::schema()).empty());
}

TEST_CASE("core-items declares one criterion per type, rated only for extended text", "[core-items][contract]") {
  for (const auto& criteria :
       {MultipleChoice::criteria(), Numeric::criteria(), TextEntry::criteria(), Order::criteria(), Match::criteria()}) {
    REQUIRE(criteria.size() == 1);
    CHECK(criteria[0].id == "correct");
    CHECK_FALSE(criteria[0].rated);
    CHECK_FALSE(criteria[0].safety);
  }
  // Single choice adds the safety criterion 'safe', lost only by an option listed as unsafe.
  auto single = SingleChoice::criteria();
  REQUIRE(single.size() == 2);
  CHECK(single[0].id == "correct");
  CHECK_FALSE(single[0].safety);
  CHECK(single[1].id == "safe");
  CHECK(single[1].safety);
  auto rated = ExtendedText::criteria();
  REQUIRE(rated.size() == 1);
  CHECK(rated[0].id == "quality");
  CHECK(rated[0].rated);
}
