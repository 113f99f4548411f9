#include "single_choice.hpp"

namespace assay::core_items {

json SingleChoice::schema() {
  return sdk::object_schema(
      {{"prompt", {{"type", "string"}, {"minLength", 1}, {"description", "the question"}}},
       {"options", option_list_schema(2)},
       {"correct", sdk::secret({{"type", "string"}, {"description", "id of the correct option"}})},
       {"shuffle",
        {{"type", "boolean"}, {"default", true}, {"description", "show the options in an order drawn from the item seed"}}}},
      {"prompt", "options", "correct"});
}

std::vector<sdk::Criterion> SingleChoice::criteria() { return {{"correct", "the correct option is chosen"}}; }

std::vector<sdk::Example> SingleChoice::examples() {
  json params = {
      {"prompt", "Which SI unit measures electrical resistance?"},
      {"options", {{{"id", "a"}, {"text", "ohm"}}, {{"id", "b"}, {"text", "farad"}}, {{"id", "c"}, {"text", "henry"}}}},
      {"correct", "a"}};
  return {
      {"three options, shuffled",
       params,
       {{"correct", "c"}},
       42,
       {{"correct", {{"answer", {"a"}}}, {sdk::Credit::full()}},
        {"wrong", {{"answer", {"b"}}}, {sdk::Credit::none()}},
        {"unanswered", json::object(), {sdk::Credit::none()}}},
       {{"an option that is not offered", {{"answer", {"d"}}}}, {"two options where one is asked", {{"answer", {"a", "b"}}}}}}};
}

SingleChoice SingleChoice::prepare(const json& params) {
  sdk::Params p(params);
  check_keys(p, {"prompt", "options", "correct", "shuffle"});
  SingleChoice item;
  item.prompt_ = required_text(p, "prompt");
  item.options_ = parse_options(p.at("options"), 2);
  item.correct_ = option_index(p.at("correct"), item.options_);
  item.shuffle_ = optional_flag(p, "shuffle", true);
  return item;
}

json SingleChoice::present(std::uint64_t seed) const {
  return presentation(prompt_, {{"id", kAnswer},
                                {"type", "choice"},
                                {"multiple", false},
                                {"options", options_json(options_, presentation_order(options_.size(), seed, shuffle_))}});
}

int SingleChoice::chosen(const json& response) const {
  const json* answer = answer_of(response);
  if (answer == nullptr) return -1;
  if (!answer->is_array())
    throw sdk::ResponseError(std::string("expected an array of option ids, found ") + sdk::json_kind(*answer));
  if (answer->empty()) return -1;
  if (answer->size() != 1) throw sdk::ResponseError("expected one option id, found " + std::to_string(answer->size()));
  return static_cast<int>(response_option((*answer)[0], options_));
}

std::vector<sdk::Credit> SingleChoice::score(std::uint64_t, const json& response) const {
  return {sdk::Credit::of(chosen(response) == static_cast<int>(correct_))};
}

json SingleChoice::solve(std::uint64_t) const { return {{kAnswer, {options_[correct_].id}}}; }

std::string SingleChoice::feedback(std::uint64_t, const json& response) const {
  int index = chosen(response);
  if (index < 0) return "no option was chosen";
  const auto& text = quote(options_[static_cast<std::size_t>(index)].text);
  if (index == static_cast<int>(correct_)) return "correct: " + text + " is the right option";
  return "incorrect: " + text + " is not the right option";
}

}  // namespace assay::core_items
