#include "order.hpp"

namespace assay::core_items {

json Order::schema() {
  return sdk::object_schema(
      {{"prompt", {{"type", "string"}, {"minLength", 1}, {"description", "the question"}}},
       {"options", option_list_schema(2)},
       {"correct_order",
        sdk::secret(
            {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "every option id, in the correct order"}})},
       {"scoring",
        {{"enum", {"exact", "adjacent-pairs"}},
         {"default", "exact"},
         {"description", "exact: all or nothing; adjacent-pairs: credit per correctly ordered neighbouring pair"}}}},
      {"prompt", "options", "correct_order"});
}

std::vector<sdk::Criterion> Order::criteria() { return {{"correct", "the options are in the correct order"}}; }

std::vector<sdk::Example> Order::examples() {
  json options = {{{"id", "mg"}, {"text", "milligram"}},
                  {{"id", "g"}, {"text", "gram"}},
                  {{"id", "kg"}, {"text", "kilogram"}},
                  {{"id", "ug"}, {"text", "microgram"}}};
  json prompt = "Order these masses from smallest to largest.";
  json key = {"ug", "mg", "g", "kg"};
  json flipped = {"kg", "g", "mg", "ug"};
  return {{"exact",
           {{"prompt", prompt}, {"options", options}, {"correct_order", key}},
           {{"correct_order", flipped}},
           21,
           {{"correct", {{"answer", key}}, {sdk::Credit::full()}}, {"reversed", {{"answer", flipped}}, {sdk::Credit::none()}}},
           {{"an option left out", {{"answer", {"ug", "mg", "g"}}}},
            {"an option placed twice", {{"answer", {"ug", "mg", "g", "g", "kg"}}}}}},
          {"adjacent pairs",
           {{"prompt", prompt}, {"options", options}, {"correct_order", key}, {"scoring", "adjacent-pairs"}},
           {{"correct_order", flipped}},
           22,
           {{"correct", {{"answer", key}}, {sdk::Credit::full()}},
            {"first two swapped", {{"answer", {"mg", "ug", "g", "kg"}}}, {sdk::Credit::fraction(1, 3)}},
            {"largest moved to the front", {{"answer", {"kg", "ug", "mg", "g"}}}, {sdk::Credit::fraction(2, 3)}},
            {"reversed", {{"answer", flipped}}, {sdk::Credit::none()}}}}};
}

Order Order::prepare(const json& params) {
  sdk::Params p(params);
  check_keys(p, {"prompt", "options", "correct_order", "scoring"});
  Order item;
  item.prompt_ = required_text(p, "prompt");
  item.options_ = parse_options(p.at("options"), 2);
  auto n = item.options_.size();
  auto correct = p.at("correct_order");
  auto ids = correct.items();
  item.position_.assign(n, n);
  for (std::size_t place = 0; place < ids.size(); ++place) {
    auto index = option_index(ids[place], item.options_);
    if (item.position_[index] != n) ids[place].fail("option id '" + item.options_[index].id + "' is listed twice");
    item.position_[index] = place;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (item.position_[i] == n) correct.fail("option id '" + item.options_[i].id + "' is missing; list every option id once");
  }
  if (auto scoring = p.find("scoring")) item.adjacent_ = scoring->one_of({"exact", "adjacent-pairs"}) == "adjacent-pairs";
  return item;
}

json Order::present(std::uint64_t seed) const {
  return presentation(
      prompt_,
      {{"id", kAnswer}, {"type", "order"}, {"options", options_json(options_, presentation_order(options_.size(), seed, true))}});
}

std::vector<std::size_t> Order::sequence(const json& response) const {
  const json* answer = answer_of(response);
  if (answer == nullptr) return {};
  if (!answer->is_array())
    throw sdk::ResponseError(std::string("expected an array of option ids, found ") + sdk::json_kind(*answer));
  if (answer->empty()) return {};
  std::vector<std::size_t> seq;
  seq.reserve(answer->size());
  std::uint64_t seen = 0;
  for (const auto& value : *answer) {
    auto index = response_option(value, options_);
    auto bit = std::uint64_t{1} << index;
    if ((seen & bit) != 0) throw sdk::ResponseError("option " + quote(options_[index].id) + " appears twice");
    seen |= bit;
    seq.push_back(index);
  }
  for (std::size_t i = 0; i < options_.size(); ++i) {
    if (((seen >> i) & 1u) == 0) throw sdk::ResponseError("option " + quote(options_[i].id) + " is missing; order every option");
  }
  return seq;
}

std::uint64_t Order::adjacent_pairs(const std::vector<std::size_t>& seq) const {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i + 1 < seq.size(); ++i) n += position_[seq[i + 1]] == position_[seq[i]] + 1;
  return n;
}

std::vector<sdk::Credit> Order::score(std::uint64_t, const json& response) const {
  auto seq = sequence(response);
  if (seq.empty()) return {sdk::Credit::none()};
  auto pairs = adjacent_pairs(seq);
  auto max = static_cast<std::uint64_t>(options_.size() - 1);
  if (adjacent_) return {sdk::Credit::fraction(pairs, max)};
  return {sdk::Credit::of(pairs == max)};
}

json Order::solve(std::uint64_t) const {
  std::vector<std::string> ids(options_.size());
  for (std::size_t i = 0; i < options_.size(); ++i) ids[position_[i]] = options_[i].id;
  return {{kAnswer, ids}};
}

std::string Order::feedback(std::uint64_t, const json& response) const {
  auto seq = sequence(response);
  if (seq.empty()) return "no order was given";
  auto pairs = adjacent_pairs(seq);
  auto max = options_.size() - 1;
  if (pairs == max) return "correct: every option is in the right place";
  return "incorrect: " + std::to_string(pairs) + " of " + std::to_string(max) + " neighbouring pairs are in the right order";
}

}  // namespace assay::core_items
