#include "single_choice.hpp"

#include <algorithm>

namespace assay::core_items {

json SingleChoice::schema() {
  return sdk::object_schema(
      {{"prompt", {{"type", "string"}, {"minLength", 1}, {"description", "the question"}}},
       {"options", option_list_schema(2)},
       {"correct", sdk::secret({{"type", "string"}, {"description", "id of the correct option"}})},
       {"unsafe", sdk::secret({{"type", "array"},
                               {"items", {{"type", "string"}}},
                               {"description",
                                "ids of the options that are the unsafe error (return a failed device, skip a required notice); "
                                "only they lose the safe criterion, so an over-cautious option never does"}})},
       {"credit", sdk::secret({{"type", "object"},
                               {"additionalProperties", percent_schema("")},
                               {"description",
                                "partial credit per option id, in percent (-100 to 100, e.g. 50 or \"33.33333\"): the correct "
                                "option earns 100, options not listed 0, a negative credit counts 0 (as Moodle grades)"}})},
       {"shuffle",
        {{"type", "boolean"}, {"default", true}, {"description", "show the options in an order drawn from the item seed"}}}},
      {"prompt", "options", "correct"});
}

std::vector<sdk::Criterion> SingleChoice::criteria() {
  return {{"correct", "the correct option is chosen"},
          {"safe", "no option listed in unsafe is chosen (an over-cautious or unanswered item keeps it)", false, true}};
}

std::vector<sdk::Example> SingleChoice::examples() {
  json params = {
      {"prompt", "Which SI unit measures electrical resistance?"},
      {"options", {{{"id", "a"}, {"text", "ohm"}}, {{"id", "b"}, {"text", "farad"}}, {{"id", "c"}, {"text", "henry"}}}},
      {"correct", "a"}};
  json safety = {{"prompt", "A repaired monitor's protective earth measures 0.45 ohm against a 0.3 ohm limit. What now?"},
                 {"options",
                  {{{"id", "hold"}, {"text", "Keep it out of service and find the fault"}},
                   {{"id", "return"}, {"text", "Return it to service"}},
                   {{"id", "scrap"}, {"text", "Condemn it at once"}}}},
                 {"correct", "hold"},
                 {"unsafe", {"return"}}};
  json weighted = {
      {"prompt", "Which SI unit measures electrical resistance?"},
      {"options", {{{"id", "a"}, {"text", "ohm"}}, {{"id", "b"}, {"text", "ohm per metre"}}, {{"id", "c"}, {"text", "farad"}}}},
      {"correct", "a"},
      {"credit", {{"b", "33.33333"}, {"c", -50}}}};
  auto full = sdk::Credit::full();
  auto none = sdk::Credit::none();
  return {
      {"three options, shuffled",
       params,
       {{"correct", "c"}},
       42,
       {{"correct", {{"answer", {"a"}}}, {full, full}},
        {"wrong", {{"answer", {"b"}}}, {none, full}},
        {"unanswered", json::object(), {none, full}}},
       {{"an option that is not offered", {{"answer", {"d"}}}}, {"two options where one is asked", {{"answer", {"a", "b"}}}}}},
      {"an unsafe option and an over-cautious one",
       safety,
       {{"correct", "scrap"}, {"unsafe", {"hold"}}},
       7,
       {{"correct", {{"answer", {"hold"}}}, {full, full}},
        {"unsafe", {{"answer", {"return"}}}, {none, none}},
        {"over-cautious", {{"answer", {"scrap"}}}, {none, full}},
        {"unanswered", json::object(), {none, full}}}},
      {"credit per option, a negative one counting 0",
       weighted,
       {{"correct", "c"}, {"credit", {{"a", 25}}}},
       3,
       {{"correct", {{"answer", {"a"}}}, {full, full}},
        {"partly right", {{"answer", {"b"}}}, {sdk::Credit::fraction(3333333, 10000000), full}},
        {"negative", {{"answer", {"c"}}}, {none, full}},
        {"unanswered", json::object(), {none, full}}}}};
}

SingleChoice SingleChoice::prepare(const json& params) {
  sdk::Params p(params);
  check_keys(p, {"prompt", "options", "correct", "unsafe", "credit", "shuffle"});
  SingleChoice item;
  item.prompt_ = required_text(p, "prompt");
  item.options_ = parse_options(p.at("options"), 2);
  item.correct_ = option_index(p.at("correct"), item.options_);
  item.unsafe_.assign(item.options_.size(), false);
  if (auto unsafe = p.find("unsafe")) {
    for (const auto& id : unsafe->items()) {
      auto index = option_index(id, item.options_);
      if (item.unsafe_[index]) id.fail("option id '" + id.str() + "' is listed twice");
      if (index == item.correct_) id.fail("the correct option '" + id.str() + "' cannot be unsafe");
      item.unsafe_[index] = true;
    }
  }
  item.credit_.assign(item.options_.size(), 0);
  item.credit_[item.correct_] = kFullCredit;
  if (auto credit = p.find("credit")) {
    if (!credit->value().is_object()) credit->fail("expected a table of option id = percent");
    for (const auto& [id, value] : credit->members()) {
      int index = find_option(item.options_, id);
      if (index < 0) value.fail("'" + id + "' is not an option id");
      auto units = percent_credit(value, true);
      if (static_cast<std::size_t>(index) == item.correct_ && units != kFullCredit)
        value.fail("the correct option earns 100 %, found " + percent_text(units));
      item.credit_[static_cast<std::size_t>(index)] = units;
    }
  }
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
  int index = chosen(response);
  bool unsafe = index >= 0 && unsafe_[static_cast<std::size_t>(index)];
  return {index < 0 ? sdk::Credit::none() : credit_of_units(credit_[static_cast<std::size_t>(index)]), sdk::Credit::of(!unsafe)};
}

json SingleChoice::solve(std::uint64_t) const { return {{kAnswer, {options_[correct_].id}}}; }

std::string SingleChoice::feedback(std::uint64_t, const json& response) const {
  int index = chosen(response);
  if (index < 0) return "no option was chosen";
  const auto& text = quote(options_[static_cast<std::size_t>(index)].text);
  if (index == static_cast<int>(correct_)) return "correct: " + text + " is the right option";
  if (auto units = credit_[static_cast<std::size_t>(index)]; units > 0)
    return "partly right: " + text + " earns " + percent_text(units) + "; it is not the best option";
  if (unsafe_[static_cast<std::size_t>(index)])
    return "incorrect, and unsafe: " + text + " is the error this item guards against";
  if (std::find(unsafe_.begin(), unsafe_.end(), true) != unsafe_.end())
    return "incorrect, but not unsafe: " + text + " is more cautious than needed, and not the right option";
  return "incorrect: " + text + " is not the right option";
}

}  // namespace assay::core_items
