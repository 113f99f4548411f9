#include "multiple_choice.hpp"

#include <bit>

namespace assay::core_items {

json MultipleChoice::schema() {
  return sdk::object_schema(
      {{"prompt", {{"type", "string"}, {"minLength", 1}, {"description", "the question"}}},
       {"options", option_list_schema(2)},
       {"correct", sdk::secret({{"type", "array"},
                                {"minItems", 1},
                                {"items", {{"type", "string"}}},
                                {"description", "ids of the correct options"}})},
       {"shuffle",
        {{"type", "boolean"}, {"default", true}, {"description", "show the options in an order drawn from the item seed"}}},
       {"partial_credit",
        {{"type", "boolean"},
         {"default", false},
         {"description", "credit max(0, right selections - wrong selections) / number of correct options"}}},
       {"credit",
        sdk::secret({{"type", "object"},
                     {"additionalProperties", percent_schema("")},
                     {"description",
                      "credit per option id in percent (-100 to 100), summed over the options selected and kept within 0..100 "
                      "(as Moodle grades); the correct options' credits add up to 100; instead of partial_credit"}})},
       {"min", {{"type", "integer"}, {"minimum", 1}, {"description", "fewest options a candidate must select"}}},
       {"max", {{"type", "integer"}, {"minimum", 1}, {"description", "most options a candidate may select"}}}},
      {"prompt", "options", "correct"});
}

std::vector<sdk::Criterion> MultipleChoice::criteria() { return {{"correct", "the correct options are selected"}}; }

std::vector<sdk::Example> MultipleChoice::examples() {
  json options = {{{"id", "v"}, {"text", "volt"}},
                  {{"id", "a"}, {"text", "ampere"}},
                  {{"id", "kg"}, {"text", "kilogram"}},
                  {{"id", "l"}, {"text", "litre"}}};
  json prompt = "Which of these are SI base units?";
  return {{"all or nothing",
           {{"prompt", prompt}, {"options", options}, {"correct", {"a", "kg"}}},
           {{"correct", {"v", "l"}}},
           7,
           {{"correct", {{"answer", {"kg", "a"}}}, {sdk::Credit::full()}},
            {"one missing", {{"answer", {"a"}}}, {sdk::Credit::none()}},
            {"one extra", {{"answer", {"a", "kg", "v"}}}, {sdk::Credit::none()}}},
           {{"an option that is not offered", {{"answer", {"a", "m"}}}},
            {"an option selected twice", {{"answer", {"a", "kg", "a"}}}}}},
          {"partial credit per option",
           {{"prompt", prompt}, {"options", options}, {"correct", {"a", "kg"}}, {"partial_credit", true}},
           {{"correct", {"v"}}},
           8,
           {{"correct", {{"answer", {"a", "kg"}}}, {sdk::Credit::full()}},
            {"half", {{"answer", {"kg"}}}, {sdk::Credit::fraction(1, 2)}},
            {"one right one wrong", {{"answer", {"kg", "l"}}}, {sdk::Credit::none()}},
            {"everything", {{"answer", {"v", "a", "kg", "l"}}}, {sdk::Credit::none()}}}},
          {"credit per option, wrong ones negative",
           {{"prompt", prompt},
            {"options", options},
            {"correct", {"a", "kg"}},
            {"credit", {{"a", 50}, {"kg", 50}, {"v", "-50"}, {"l", -100}}}},
           {{"correct", {"v", "l"}}, {"credit", {{"v", 50}, {"l", 50}}}},
           9,
           {{"correct", {{"answer", {"a", "kg"}}}, {sdk::Credit::full()}},
            {"half", {{"answer", {"kg"}}}, {sdk::Credit::fraction(1, 2)}},
            {"one right one wrong", {{"answer", {"kg", "v"}}}, {sdk::Credit::none()}},
            {"below zero counts zero", {{"answer", {"a", "l"}}}, {sdk::Credit::none()}}}}};
}

MultipleChoice MultipleChoice::prepare(const json& params) {
  sdk::Params p(params);
  check_keys(p, {"prompt", "options", "correct", "shuffle", "partial_credit", "credit", "min", "max"});
  MultipleChoice item;
  item.prompt_ = required_text(p, "prompt");
  item.options_ = parse_options(p.at("options"), 2);
  auto correct = p.at("correct");
  auto ids = correct.items();
  if (ids.empty()) correct.fail("expected at least one correct option id");
  for (const auto& id : ids) {
    auto bit = std::uint64_t{1} << option_index(id, item.options_);
    if ((item.correct_ & bit) != 0) id.fail("option id '" + id.str() + "' is listed twice");
    item.correct_ |= bit;
  }
  item.n_correct_ = static_cast<std::uint64_t>(std::popcount(item.correct_));
  item.shuffle_ = optional_flag(p, "shuffle", true);
  item.partial_ = optional_flag(p, "partial_credit", false);
  if (auto credit = p.find("credit")) {
    if (item.partial_) credit->fail("give either partial_credit or credit, not both");
    if (!credit->value().is_object()) credit->fail("expected a table of option id = percent");
    item.credit_.assign(item.options_.size(), 0);
    std::int64_t right = 0;
    for (const auto& [id, value] : credit->members()) {
      int index = find_option(item.options_, id);
      if (index < 0) value.fail("'" + id + "' is not an option id");
      auto units = percent_credit(value, true);
      bool is_correct = ((item.correct_ >> index) & 1u) != 0;
      if (is_correct != (units > 0))
        value.fail(is_correct ? "a correct option earns more than 0 %"
                              : "only the correct options earn more than 0 %, found " + percent_text(units));
      item.credit_[static_cast<std::size_t>(index)] = units;
      if (units > 0) right += units;
    }
    for (std::size_t i = 0; i < item.options_.size(); ++i)
      if (((item.correct_ >> i) & 1u) != 0 && item.credit_[i] <= 0)
        credit->fail("the correct option '" + item.options_[i].id + "' has no credit");
    if (right != kFullCredit) credit->fail("the correct options' credits add up to " + percent_text(right) + ", not 100 %");
  }
  auto n = static_cast<std::int64_t>(item.options_.size());
  item.min_ = optional_count(p, "min", 1, n);
  item.max_ = optional_count(p, "max", 1, n);
  if (item.min_ != 0 && item.max_ != 0 && item.min_ > item.max_) {
    p.at("max").fail("expected max >= min (" + std::to_string(item.min_) + "), found " + std::to_string(item.max_));
  }
  auto c = static_cast<std::int64_t>(item.n_correct_);
  if (item.min_ > c) {
    p.at("min").fail("min " + std::to_string(item.min_) + " exceeds the number of correct options (" + std::to_string(c) + ")");
  }
  if (item.max_ != 0 && item.max_ < c) {
    p.at("max").fail("max " + std::to_string(item.max_) + " is below the number of correct options (" + std::to_string(c) + ")");
  }
  return item;
}

json MultipleChoice::present(std::uint64_t seed) const {
  json interaction = {{"id", kAnswer},
                      {"type", "choice"},
                      {"multiple", true},
                      {"options", options_json(options_, presentation_order(options_.size(), seed, shuffle_))}};
  if (min_ != 0) interaction["min"] = min_;
  if (max_ != 0) interaction["max"] = max_;
  return presentation(prompt_, std::move(interaction));
}

std::uint64_t MultipleChoice::selected(const json& response) const {
  const json* answer = answer_of(response);
  if (answer == nullptr) return 0;
  if (!answer->is_array())
    throw sdk::ResponseError(std::string("expected an array of option ids, found ") + sdk::json_kind(*answer));
  std::uint64_t mask = 0;
  for (const auto& value : *answer) {
    auto bit = std::uint64_t{1} << response_option(value, options_);
    if ((mask & bit) != 0)
      throw sdk::ResponseError("option " + quote(value.get_ref<const std::string&>()) + " is selected twice");
    mask |= bit;
  }
  auto n = static_cast<std::int64_t>(answer->size());
  if (n != 0 && min_ != 0 && n < min_) {
    throw sdk::ResponseError("expected at least " + std::to_string(min_) + " options, found " + std::to_string(n));
  }
  if (max_ != 0 && n > max_) {
    throw sdk::ResponseError("expected at most " + std::to_string(max_) + " options, found " + std::to_string(n));
  }
  return mask;
}

std::vector<sdk::Credit> MultipleChoice::score(std::uint64_t, const json& response) const {
  std::uint64_t mask = selected(response);
  if (!credit_.empty()) {
    std::int64_t units = 0;
    for (std::size_t i = 0; i < options_.size(); ++i)
      if (((mask >> i) & 1u) != 0) units += credit_[i];
    return {credit_of_units(units)};
  }
  if (!partial_) return {sdk::Credit::of(mask != 0 && mask == correct_)};
  auto right = static_cast<std::uint64_t>(std::popcount(mask & correct_));
  auto wrong = static_cast<std::uint64_t>(std::popcount(mask & ~correct_));
  return {sdk::Credit::fraction(right > wrong ? right - wrong : 0, n_correct_)};
}

json MultipleChoice::solve(std::uint64_t) const {
  json ids = json::array();
  for (std::size_t i = 0; i < options_.size(); ++i) {
    if ((correct_ >> i) & 1u) ids.push_back(options_[i].id);
  }
  return {{kAnswer, std::move(ids)}};
}

std::string MultipleChoice::feedback(std::uint64_t, const json& response) const {
  std::uint64_t mask = selected(response);
  if (mask == 0) return "no option was selected";
  if (mask == correct_) return "correct: every correct option and nothing else is selected";
  std::string out;
  for (std::size_t i = 0; i < options_.size(); ++i) {
    if (((mask >> i) & 1u) == 0) continue;
    out += quote(options_[i].text) + (((correct_ >> i) & 1u) != 0 ? ": correct\n" : ": not correct\n");
  }
  for (std::size_t i = 0; i < options_.size(); ++i) {
    if (((correct_ & ~mask) >> i & 1u) != 0) out += quote(options_[i].text) + ": correct, and not selected\n";
  }
  out.pop_back();
  return out;
}

}  // namespace assay::core_items
