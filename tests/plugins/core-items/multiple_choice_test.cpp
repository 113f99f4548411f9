#include "multiple_choice.hpp"

#include "core_items_test_util.hpp"

using namespace core_items_test;
using assay::core_items::MultipleChoice;

namespace {

// Four options, three of them correct: C = 3.
json abcd(bool partial) {
  return {
      {"prompt", "Pick all that apply"},
      {"options",
       {{{"id", "a"}, {"text", "A"}}, {{"id", "b"}, {"text", "B"}}, {{"id", "c"}, {"text", "C"}}, {{"id", "d"}, {"text", "D"}}}},
      {"correct", {"a", "b", "c"}},
      {"partial_credit", partial}};
}

}  // namespace

TEST_CASE("multiple-choice items give all or nothing by default", "[core-items][multiple-choice]") {
  auto item = MultipleChoice::prepare(abcd(false));
  auto [response, credit] = GENERATE(table<std::string, std::string>({
      {R"({"answer": ["a", "b", "c"]})", "1/1"},
      {R"({"answer": ["c", "a", "b"]})", "1/1"},  // order does not matter
      {R"({"answer": ["a", "b"]})", "0/1"},
      {R"({"answer": ["a", "b", "c", "d"]})", "0/1"},
      {R"({"answer": ["d"]})", "0/1"},
      {R"({"answer": []})", "0/1"},
      {R"({})", "0/1"},
  }));
  CAPTURE(response);
  REQUIRE(score(item, response) == credit);
}

TEST_CASE("multiple-choice partial credit is max(0, right - wrong) / correct", "[core-items][multiple-choice]") {
  auto item = MultipleChoice::prepare(abcd(true));
  auto [response, credit] = GENERATE(table<std::string, std::string>({
      {R"({"answer": ["a", "b", "c"]})", "1/1"},       // R=3 W=0
      {R"({"answer": ["a", "b"]})", "2/3"},            // R=2 W=0
      {R"({"answer": ["c"]})", "1/3"},                 // R=1 W=0
      {R"({"answer": ["a", "b", "d"]})", "1/3"},       // R=2 W=1
      {R"({"answer": ["a", "b", "c", "d"]})", "2/3"},  // R=3 W=1
      {R"({"answer": ["a", "d"]})", "0/1"},            // R=1 W=1
      {R"({"answer": ["d"]})", "0/1"},                 // R=0 W=1, floored at 0
      {R"({"answer": []})", "0/1"},
  }));
  CAPTURE(response);
  REQUIRE(score(item, response) == credit);
}

TEST_CASE("multiple-choice items refuse malformed responses", "[core-items][multiple-choice]") {
  auto item = MultipleChoice::prepare(patched(abcd(true), {{"min", 2}, {"max", 3}}));
  auto [response, message] = GENERATE(table<std::string, std::string>({
      {R"({"answer": "a"})", "expected an array of option ids, found a string"},
      {R"({"answer": ["a", "a"]})", "option \"a\" is selected twice"},
      {R"({"answer": ["a", "x"]})", "unknown option id \"x\", expected one of \"a\", \"b\", \"c\", \"d\""},
      {R"({"answer": [null]})", "expected option ids as strings, found nothing"},
      {R"({"answer": ["a"]})", "expected at least 2 options, found 1"},
      {R"({"answer": ["a", "b", "c", "d"]})", "expected at most 3 options, found 4"},
  }));
  CAPTURE(response);
  REQUIRE(response_error(item, response) == message);
}

TEST_CASE("multiple-choice items refuse bad params at their JSON Pointer", "[core-items][multiple-choice]") {
  auto [patch, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"correct", json::array()}}, "/correct", "expected at least one correct option id"},
      {{{"correct", "a"}}, "/correct", "expected an array, found a string"},
      {{{"correct", {"a", "e"}}}, "/correct/1", "expected one of the option ids 'a', 'b', 'c', 'd', found \"e\""},
      {{{"correct", {"a", "b", "a"}}}, "/correct/2", "option id 'a' is listed twice"},
      {{{"partial_credit", 1}}, "/partial_credit", "expected a boolean, found an integer"},
      {{{"min", 0}}, "/min", "expected an integer from 1 to 4, found 0"},
      {{{"max", 5}}, "/max", "expected an integer from 1 to 4, found 5"},
      {{{"min", 3}, {"max", 2}}, "/max", "expected max >= min (3), found 2"},
      {{{"max", 2}}, "/max", "max 2 is below the number of correct options (3)"},
      {{{"min", 4}}, "/min", "min 4 exceeds the number of correct options (3)"},
  }));
  CAPTURE(patch);
  auto r = refusal<MultipleChoice>(patched(abcd(false), patch));
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}

TEST_CASE("multiple-choice items refuse more options than a selection mask holds", "[core-items][multiple-choice]") {
  json options = json::array();
  for (int i = 0; i < 65; ++i) options.push_back({{"id", "o" + std::to_string(i)}, {"text", "option"}});
  auto r = refusal<MultipleChoice>(patched(abcd(false), {{"options", options}, {"correct", {"o1"}}}));
  CHECK(r.pointer == "/options");
  CHECK(r.message == "expected at most 64 options, found 65");
}

TEST_CASE("multiple-choice items with 64 options score the last one", "[core-items][multiple-choice]") {
  json options = json::array();
  for (int i = 0; i < 64; ++i) options.push_back({{"id", "o" + std::to_string(i)}, {"text", "option"}});
  auto item = MultipleChoice::prepare(patched(abcd(true), {{"options", options}, {"correct", {"o0", "o63"}}}));
  CHECK(score(item, R"({"answer": ["o63"]})") == "1/2");
  CHECK(score(item, R"({"answer": ["o0", "o63"]})") == "1/1");
  CHECK(score(item, R"({"answer": ["o0", "o63", "o62"]})") == "1/2");
}

TEST_CASE("multiple-choice items show min and max and mark the choice multiple", "[core-items][multiple-choice]") {
  auto item = MultipleChoice::prepare(patched(abcd(false), {{"min", 1}, {"max", 3}, {"shuffle", false}}));
  auto interaction = item.present(9)["interactions"][0];
  CHECK(interaction["type"] == "choice");
  CHECK(interaction["multiple"] == true);
  CHECK(interaction["min"] == 1);
  CHECK(interaction["max"] == 3);
  CHECK(interaction["options"][0] == json({{"id", "a"}, {"text", "A"}}));
  auto plain = MultipleChoice::prepare(abcd(false)).present(9)["interactions"][0];
  CHECK_FALSE(plain.contains("min"));
  CHECK_FALSE(plain.contains("max"));
}

TEST_CASE("multiple-choice feedback marks each selected option and names each correct one missed",
          "[core-items][multiple-choice]") {
  auto item = MultipleChoice::prepare(abcd(true));
  CHECK(item.feedback(1, json::parse(R"({"answer": ["a", "d"]})")) ==
        "\"A\": correct\n\"D\": not correct\n\"B\": correct, and not selected\n\"C\": correct, and not selected");
  CHECK(item.feedback(1, json::parse(R"({"answer": ["b", "a", "c"]})")) ==
        "correct: every correct option and nothing else is selected");
  CHECK(item.feedback(1, json::parse(R"({"answer": []})")) == "no option was selected");
}

TEST_CASE("batch scoring gives each candidate what scoring one by one gives", "[core-items][multiple-choice][batch]") {
  // Multiple-choice scores without its seed, so a batch scores each distinct response text once
  // and shares the credits: repeats, near-repeats and refused responses must still come out
  // exactly as one-by-one scoring gives them.
  using Tables = assay::sdk::detail::TypeTables<MultipleChoice>;
  const auto& d = Tables::instance().descriptor;
  std::string params = abcd(true).dump();
  assay_handle* h = nullptr;
  REQUIRE(d.prepare(params.data(), params.size(), &h, nullptr) == ASSAY_STATUS_OK);
  std::vector<std::string> texts = {R"({"answer": ["a", "b"]})",      R"({"answer": ["a", "b", "c"]})",
                                    R"({"answer": ["a", "b"]})",      R"({"answer":["a","b"]})",
                                    R"({"answer": ["x"]})",           "not json",
                                    R"({"answer": ["a", "b"]})",      R"({"answer": ["x"]})",
                                    R"({"answer": ["d", "a"]})",      "not json",
                                    R"({"answer": ["a", "b", "c"]})", R"({})"};
  // More distinct texts than the batch remembers, so the tail is scored one by one.
  for (int i = 0; i < 80; ++i) texts.push_back(R"({"answer": ["a"], "n": )" + std::to_string(i) + "}");
  texts.push_back(R"({"answer": ["a", "b"]})");
  std::size_t n = texts.size(), k = Tables::n_criteria();
  std::vector<std::uint64_t> seeds(n);
  std::vector<const char*> ptrs(n);
  std::vector<std::size_t> lens(n);
  for (std::size_t i = 0; i < n; ++i) {
    seeds[i] = 1000 + i;
    ptrs[i] = texts[i].data();
    lens[i] = texts[i].size();
  }
  std::vector<assay_credit> batch(n * k, assay_credit{9, 9});
  std::vector<assay_status> statuses(n, ASSAY_STATUS_INTERNAL);
  REQUIRE(d.score_batch(h, n, seeds.data(), ptrs.data(), lens.data(), batch.data(), statuses.data()) == ASSAY_STATUS_OK);
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(i, texts[i]);
    std::vector<assay_credit> one(k, assay_credit{9, 9});
    assay_status status = d.score(h, seeds[i], ptrs[i], lens[i], one.data(), nullptr);
    REQUIRE(statuses[i] == status);
    if (status != ASSAY_STATUS_OK) continue;
    for (std::size_t c = 0; c < k; ++c) {
      REQUIRE(batch[i * k + c].numerator == one[c].numerator);
      REQUIRE(batch[i * k + c].denominator == one[c].denominator);
    }
  }
  // The partial credits differ between answers, so shared credits cannot hide a mix-up.
  REQUIRE(batch[0].numerator * batch[1 * k].denominator != batch[1 * k].numerator * batch[0].denominator);
  REQUIRE(statuses[4] == ASSAY_STATUS_INVALID_RESPONSE);
  REQUIRE(statuses[5] == ASSAY_STATUS_INVALID_RESPONSE);
  d.release(h);
}
