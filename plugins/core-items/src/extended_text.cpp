#include "extended_text.hpp"

namespace assay::core_items {

namespace {

constexpr std::string_view kSolveText = "A written answer for the rater to assess against the rubric.";

std::size_t words(std::string_view text) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

/// 2,000 characters and more: a whole procedure pasted where an answer of at most 2,000 was asked.
std::string pasted_document() {
  std::string out;
  while (out.size() <= 2000) out += "Report the suspected breach to the privacy officer within one hour. ";
  return out;
}

}  // namespace

json ExtendedText::schema() {
  return sdk::object_schema(
      {{"prompt", {{"type", "string"}, {"minLength", 1}, {"description", "the question"}}},
       {"max_length", {{"type", "integer"}, {"minimum", 1}, {"description", "most characters a candidate may write"}}}},
      {"prompt"});
}

std::vector<sdk::Criterion> ExtendedText::criteria() {
  return {{"quality", "the answer, rated by a person against the rubric levels of the assessment", true}};
}

std::vector<sdk::Example> ExtendedText::examples() {
  return {
      {"rated answer",
       {{"prompt", "Describe how you would report a suspected data breach."}, {"max_length", 2000}},
       json::object(),
       1,
       {{"an answer", {{"answer", "I would tell the security team at once and write down what I saw."}}, {sdk::Credit::none()}},
        {"unanswered", json::object(), {sdk::Credit::none()}}},
       {{"a pasted document longer than allowed", {{"answer", pasted_document()}}}}}};
}

ExtendedText ExtendedText::prepare(const json& params) {
  sdk::Params p(params);
  check_keys(p, {"prompt", "max_length"});
  ExtendedText item;
  item.prompt_ = required_text(p, "prompt");
  item.max_length_ = optional_count(p, "max_length", 1, 1'000'000);
  return item;
}

json ExtendedText::present(std::uint64_t) const {
  json interaction = {{"id", kAnswer}, {"type", "extended-text"}};
  if (max_length_ != 0) interaction["max_length"] = max_length_;
  return presentation(prompt_, std::move(interaction));
}

std::string_view ExtendedText::text(const json& response) const {
  const json* answer = answer_of(response);
  if (answer == nullptr) return {};
  if (!answer->is_string()) throw sdk::ResponseError(std::string("expected a string, found ") + sdk::json_kind(*answer));
  const auto& text = answer->get_ref<const std::string&>();
  if (max_length_ != 0) {
    auto n = sdk::utf8_length(text);
    if (n > static_cast<std::size_t>(max_length_)) {
      throw sdk::ResponseError("expected at most " + std::to_string(max_length_) + " characters, found " + std::to_string(n));
    }
  }
  return text;
}

std::vector<sdk::Credit> ExtendedText::score(std::uint64_t, const json& response) const {
  text(response);  // refuses a malformed response; the credit comes from the rater
  return {sdk::Credit::none()};
}

json ExtendedText::solve(std::uint64_t) const {
  auto sample = kSolveText;
  if (max_length_ != 0) sample = sample.substr(0, static_cast<std::size_t>(max_length_));  // ASCII: bytes are characters
  return {{kAnswer, std::string(sample)}};
}

std::string ExtendedText::feedback(std::uint64_t, const json& response) const {
  auto t = text(response);
  auto n = words(t);
  if (n == 0) return "no answer was written; a rater will assess this item against the rubric";
  return "your answer has " + std::to_string(n) + (n == 1 ? " word" : " words") + "; a rater will assess it against the rubric";
}

}  // namespace assay::core_items
