// Credit per answer, as other platforms give it (Moodle's GIFT and XML, QTI's mapped responses):
// per option of a single or multiple choice (negative credit kept within 0..100 % per item), per
// accepted text, per numeric band. Each is scored exactly as the credit table says, and a table
// that could not mean what its author wants is refused where it is wrong.
#include "core_items_test_util.hpp"
#include "multiple_choice.hpp"
#include "numeric.hpp"
#include "single_choice.hpp"
#include "text_entry.hpp"

using namespace core_items_test;
using assay::core_items::MultipleChoice;
using assay::core_items::Numeric;
using assay::core_items::SingleChoice;
using assay::core_items::TextEntry;
using Catch::Matchers::Contains;

namespace {

json four_options() {
  return {{{"id", "a"}, {"text", "A"}}, {{"id", "b"}, {"text", "B"}}, {{"id", "c"}, {"text", "C"}}, {{"id", "d"}, {"text", "D"}}};
}

}  // namespace

TEST_CASE("a single choice earns the chosen option's credit, never below zero", "[core-items][credit]") {
  json params = {{"prompt", "Pick one"},
                 {"options", four_options()},
                 {"correct", "a"},
                 {"credit", {{"b", "33.33333"}, {"c", -100}, {"d", "12.5"}}}};
  auto item = SingleChoice::prepare(params);
  CHECK(score(item, R"({"answer": ["a"]})") == "1/1");
  CHECK(score(item, R"({"answer": ["b"]})") == "3333333/10000000");
  CHECK(score(item, R"({"answer": ["d"]})") == "1/8");
  CHECK(score(item, R"({"answer": ["c"]})") == "0/1");
  CHECK(score(item, R"({})") == "0/1");
  CHECK_THAT(item.feedback(1, json::parse(R"({"answer": ["d"]})")), Contains("earns 12.5 %"));

  CHECK_THAT(refusal<SingleChoice>(patched(params, {{"credit", {{"a", 50}}}})).message, Contains("correct option earns 100 %"));
  CHECK(refusal<SingleChoice>(patched(params, {{"credit", {{"e", 50}}}})).pointer == "/credit/e");
  CHECK_THAT(refusal<SingleChoice>(patched(params, {{"credit", {{"b", 150}}}})).message, Contains("from -100 to 100"));
  CHECK_THAT(refusal<SingleChoice>(patched(params, {{"credit", {{"b", "0.000001"}}}})).message, Contains("five decimals"));
}

TEST_CASE("a multiple choice sums the selected options' credits within 0..100 %", "[core-items][credit]") {
  json params = {{"prompt", "Pick all that apply"},
                 {"options", four_options()},
                 {"correct", {"a", "b", "c"}},
                 {"credit", {{"a", "33.33333"}, {"b", "33.33333"}, {"c", "33.33334"}, {"d", -50}}}};
  auto item = MultipleChoice::prepare(params);
  CHECK(score(item, R"({"answer": ["a", "b", "c"]})") == "1/1");
  CHECK(score(item, R"({"answer": ["a", "b"]})") == "3333333/5000000");
  CHECK(score(item, R"({"answer": ["a", "b", "c", "d"]})") == "1/2");
  CHECK(score(item, R"({"answer": ["a", "d"]})") == "0/1");  // 33.33333 - 50 counts 0
  CHECK(score(item, R"({"answer": ["d"]})") == "0/1");

  CHECK_THAT(refusal<MultipleChoice>(patched(params, {{"credit", {{"a", 50}, {"b", 30}, {"c", 10}}}})).message,
             Contains("add up to 90 %, not 100 %"));
  CHECK_THAT(refusal<MultipleChoice>(patched(params, {{"credit", {{"a", 50}, {"b", 50}, {"d", 10}}}})).message,
             Contains("only the correct options earn more than 0 %"));
  CHECK_THAT(refusal<MultipleChoice>(patched(params, {{"credit", {{"a", 50}, {"b", 50}}}})).message,
             Contains("'c' has no credit"));
  CHECK_THAT(refusal<MultipleChoice>(patched(params, {{"partial_credit", true}})).message,
             Contains("either partial_credit or credit"));
}

TEST_CASE("a text answer earns the best credit of the accepted answers it matches", "[core-items][credit]") {
  json params = {{"prompt", "Name the segment"},
                 {"accepted", {"PID", {{"text", "PD1"}, {"credit", 25}}, {{"text", "pid segment"}, {"credit", 90}}}}};
  auto item = TextEntry::prepare(params);
  CHECK(score(item, R"({"answer": " pid "})") == "1/1");
  CHECK(score(item, R"({"answer": "PID Segment"})") == "9/10");
  CHECK(score(item, R"({"answer": "pd1"})") == "1/4");
  CHECK(score(item, R"({"answer": "OBX"})") == "0/1");
  CHECK(item.solve(1)["answer"] == "PID");  // solve gives a full-credit answer

  // The first accepted answer need not be the full one; one must be.
  auto later = TextEntry::prepare(patched(params, {{"accepted", {{{"text", "PD1"}, {"credit", 25}}, "PID"}}}));
  CHECK(later.solve(1)["answer"] == "PID");
  CHECK_THAT(refusal<TextEntry>(patched(params, {{"accepted", {{{"text", "PD1"}, {"credit", 25}}}}})).message,
             Contains("at least one accepted answer that earns 100 %"));
  CHECK_THAT(refusal<TextEntry>(patched(params, {{"accepted", {"PID", {{"text", "PD1"}, {"credit", -25}}}}})).message,
             Contains("from 0 to 100"));
  CHECK(refusal<TextEntry>(patched(params, {{"accepted", {"PID", {{"text", "PD1"}}}}})).pointer == "/accepted/1");
}

TEST_CASE("a numeric answer earns full credit within its tolerance, else the best band's", "[core-items][credit]") {
  json params = {{"prompt", "Current in mA?"},
                 {"answer", "5"},
                 {"tolerance", "0.1"},
                 {"unit", "mA"},
                 {"units", {"A"}},
                 {"partial",
                  {{{"value", "0.005"}, {"credit", 50}},
                   {{"min", "4"}, {"max", "6"}, {"credit", 25}},
                   {{"min", "5.5"}, {"max", "5.6"}, {"credit", 40}}}}};
  auto item = Numeric::prepare(params);
  auto answer = [](const char* v, const char* u) { return json({{"answer", {{"value", v}, {"unit", u}}}}).dump(); };
  CHECK(score(item, answer("4.9", "mA")) == "1/1");
  CHECK(score(item, answer("0.005", "A")) == "1/1");  // converted before comparing
  CHECK(score(item, answer("0.005", "mA")) == "1/2");
  CHECK(score(item, answer("5.55", "mA")) == "2/5");  // in two bands: the better one
  CHECK(score(item, answer("4", "mA")) == "1/4");     // bounds are inclusive
  CHECK(score(item, answer("6.01", "mA")) == "0/1");

  CHECK_THAT(refusal<Numeric>(patched(params, {{"partial", {{{"min", "6"}, {"max", "4"}, {"credit", 25}}}}})).message,
             Contains("max >= min"));
  CHECK_THAT(refusal<Numeric>(patched(params, {{"partial", {{{"value", "6"}, {"min", "4"}, {"credit", 25}}}}})).message,
             Contains("either value"));
  auto missing = refusal<Numeric>(patched(params, {{"partial", {{{"value", "6"}}}}}));
  CHECK(missing.pointer == "/partial/0");
  CHECK_THAT(missing.message, Contains("credit"));
}
