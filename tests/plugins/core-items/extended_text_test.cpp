#include "extended_text.hpp"

#include "core_items_test_util.hpp"

using namespace core_items_test;
using assay::core_items::ExtendedText;

TEST_CASE("extended-text items leave the credit to a rater", "[core-items][extended-text]") {
  auto item = ExtendedText::prepare({{"prompt", "Explain"}, {"max_length", 30}});
  auto criteria = ExtendedText::criteria();
  REQUIRE(criteria.size() == 1);
  CHECK(criteria[0].rated);
  CHECK(score(item, R"({"answer": "a careful answer"})") == "0/1");
  CHECK(score(item, R"({})") == "0/1");
}

TEST_CASE("extended-text items refuse malformed responses", "[core-items][extended-text]") {
  auto item = ExtendedText::prepare({{"prompt", "Explain"}, {"max_length", 5}});
  CHECK(response_error(item, R"({"answer": 3})") == "expected a string, found an integer");
  CHECK(response_error(item, R"({"answer": "too long"})") == "expected at most 5 characters, found 8");
}

TEST_CASE("extended-text items refuse bad params at their JSON Pointer", "[core-items][extended-text]") {
  auto [params, pointer, message] = GENERATE(table<json, std::string, std::string>({
      {{{"max_length", 10}}, "", "missing required key 'prompt'"},
      {{{"prompt", "Explain"}, {"max_length", 0}}, "/max_length", "expected an integer from 1 to 1000000, found 0"},
      {{{"prompt", "Explain"}, {"max_length", "10"}}, "/max_length", "expected an integer, found a string"},
      {{{"prompt", "Explain"}, {"rubric", "x"}}, "/rubric", "unknown key 'rubric'"},
  }));
  CAPTURE(params);
  auto r = refusal<ExtendedText>(params);
  CHECK(r.pointer == pointer);
  CHECK(r.message == message);
}

TEST_CASE("extended-text presents a text box and solves within its length", "[core-items][extended-text]") {
  auto item = ExtendedText::prepare({{"prompt", "Explain"}, {"max_length", 12}});
  CHECK(item.present(4) == json({{"presentation", 1},
                                 {"prompt", "Explain"},
                                 {"material", json::array()},
                                 {"interactions", {{{"id", "answer"}, {"type", "extended-text"}, {"max_length", 12}}}}}));
  auto solved = item.solve(4);
  REQUIRE(solved["answer"].is_string());
  CHECK_FALSE(solved["answer"].get<std::string>().empty());
  CHECK(solved["answer"].get<std::string>().size() <= 12);
  CHECK(score(item, solved.dump()) == "0/1");  // well formed: no ResponseError
  CHECK(item.feedback(4, json::parse(R"({"answer": "two words"})")) ==
        "your answer has 2 words; a rater will assess it against the rubric");
}
