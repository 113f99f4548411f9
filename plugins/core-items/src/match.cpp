#include "match.hpp"

namespace assay::core_items {

json Match::schema() {
  return sdk::object_schema(
      {{"prompt", {{"type", "string"}, {"minLength", 1}, {"description", "the question"}}},
       {"left", option_list_schema(1)},
       {"right", option_list_schema(1)},
       {"pairs", sdk::secret({{"type", "object"},
                              {"additionalProperties", {{"type", "string"}}},
                              {"description", "the right id matching each left id"}})},
       {"shuffle",
        {{"type", "boolean"}, {"default", true}, {"description", "show the right side in an order drawn from the item seed"}}},
       {"weights", sdk::secret({{"type", "object"},
                                {"additionalProperties", {{"type", {"string", "number"}}}},
                                {"description",
                                 "a weight per left id (0 to 1000000, at most six decimals; 0 for one not listed): matching it "
                                 "correctly earns its weight over the sum of the weights (as QTI's mapResponse values a pair), "
                                 "instead of an equal share"}})},
       {"all_or_nothing",
        {{"type", "boolean"},
         {"default", false},
         {"description", "full credit only when every left entry is matched correctly (as QTI's match_correct)"}}}},
      {"prompt", "left", "right", "pairs"});
}

std::vector<sdk::Criterion> Match::criteria() { return {{"correct", "each left entry is paired with its match"}}; }

std::vector<sdk::Example> Match::examples() {
  return {{"quantities and units",
           {{"prompt", "Match each quantity with its SI unit."},
            {"left",
             {{{"id", "current"}, {"text", "electric current"}},
              {{"id", "charge"}, {"text", "electric charge"}},
              {{"id", "capacitance"}, {"text", "capacitance"}}}},
            {"right",
             {{{"id", "A"}, {"text", "ampere"}},
              {{"id", "C"}, {"text", "coulomb"}},
              {{"id", "F"}, {"text", "farad"}},
              {{"id", "H"}, {"text", "henry"}}}},
            {"pairs", {{"current", "A"}, {"charge", "C"}, {"capacitance", "F"}}}},
           {{"pairs", {{"current", "H"}, {"charge", "F"}, {"capacitance", "A"}}}},
           13,
           {{"correct", {{"answer", {{"current", "A"}, {"charge", "C"}, {"capacitance", "F"}}}}, {sdk::Credit::full()}},
            {"one swapped pair",
             {{"answer", {{"current", "A"}, {"charge", "F"}, {"capacitance", "C"}}}},
             {sdk::Credit::fraction(1, 3)}},
            {"one left out", {{"answer", {{"current", "A"}, {"charge", "C"}}}}, {sdk::Credit::fraction(2, 3)}},
            {"all wrong", {{"answer", {{"current", "H"}, {"charge", "H"}, {"capacitance", "H"}}}}, {sdk::Credit::none()}}},
           {{"a unit that is not offered", {{"answer", {{"current", "A"}, {"charge", "V"}}}}},
            {"a quantity that is not listed", {{"answer", {{"voltage", "A"}}}}}}},
          {"weights per pair",
           {{"prompt", "Match each quantity with its SI unit."},
            {"left", {{{"id", "current"}, {"text", "electric current"}}, {{"id", "charge"}, {"text", "electric charge"}}}},
            {"right", {{{"id", "A"}, {"text", "ampere"}}, {{"id", "C"}, {"text", "coulomb"}}}},
            {"pairs", {{"current", "A"}, {"charge", "C"}}},
            {"weights", {{"current", 2}, {"charge", "1"}}}},
           {{"pairs", {{"current", "C"}, {"charge", "A"}}}, {"weights", {{"current", 1}, {"charge", "0.5"}}}},
           13,
           {{"correct", {{"answer", {{"current", "A"}, {"charge", "C"}}}}, {sdk::Credit::full()}},
            {"one pair right", {{"answer", {{"current", "A"}, {"charge", "A"}}}}, {sdk::Credit::fraction(2, 3)}}}}};
}

Match Match::prepare(const json& params) {
  sdk::Params p(params);
  check_keys(p, {"prompt", "left", "right", "pairs", "shuffle", "weights", "all_or_nothing"});
  Match item;
  item.prompt_ = required_text(p, "prompt");
  item.left_ = parse_options(p.at("left"), 1, "left entry");
  item.right_ = parse_options(p.at("right"), 1, "right entry");
  auto pairs = p.at("pairs");
  constexpr std::size_t kNone = ~std::size_t{0};
  item.key_.assign(item.left_.size(), kNone);
  for (const auto& [left_id, right] : pairs.members()) {
    int left = find_option(item.left_, left_id);
    if (left < 0) {
      std::string list;
      for (const auto& o : item.left_) list += (list.empty() ? "'" : ", '") + o.id + "'";
      right.fail("expected one of the left entry ids " + list + ", found \"" + left_id + "\"");
    }
    item.key_[static_cast<std::size_t>(left)] = option_index(right, item.right_, "right entry");
  }
  for (std::size_t i = 0; i < item.left_.size(); ++i) {
    if (item.key_[i] == kNone) pairs.fail("left entry '" + item.left_[i].id + "' has no match; give every left id its right id");
  }
  item.shuffle_ = optional_flag(p, "shuffle", true);
  item.all_or_nothing_ = optional_flag(p, "all_or_nothing", false);
  if (auto weights = p.find("weights")) {
    if (item.all_or_nothing_) weights->fail("give either all_or_nothing or weights, not both");
    if (!weights->value().is_object()) weights->fail("expected a table of left id = weight");
    item.weights_.assign(item.left_.size(), 0);
    std::uint64_t total = 0;
    for (const auto& [id, value] : weights->members()) {
      int left = find_option(item.left_, id);
      if (left < 0) value.fail("expected a left entry id, found \"" + id + "\"");
      // Whole millionths, so that credit is an exact fraction of them.
      auto d = value.decimal();
      auto scaled = d.scaled(6);
      if (d.sign() < 0 || scaled.exponent() < 0 || d > sdk::Decimal(1'000'000))
        value.fail("expected a weight from 0 to 1000000 with at most six decimals, found \"" + d.to_string() + "\"");
      item.weights_[static_cast<std::size_t>(left)] = std::stoull(scaled.to_string());
      total += item.weights_[static_cast<std::size_t>(left)];
    }
    if (total == 0) weights->fail("expected a weight above 0 for at least one left entry");
  }
  return item;
}

json Match::present(std::uint64_t seed) const {
  std::vector<std::size_t> left_order(left_.size());
  for (std::size_t i = 0; i < left_.size(); ++i) left_order[i] = i;
  return presentation(prompt_, {{"id", kAnswer},
                                {"type", "match"},
                                {"left", options_json(left_, left_order)},
                                {"right", options_json(right_, presentation_order(right_.size(), seed, shuffle_))}});
}

std::vector<int> Match::chosen(const json& response) const {
  std::vector<int> out(left_.size(), kUnmatched);
  const json* answer = answer_of(response);
  if (answer == nullptr) return out;
  if (!answer->is_object()) {
    throw sdk::ResponseError(std::string("expected an object {left id: right id}, found ") + sdk::json_kind(*answer));
  }
  for (auto it = answer->begin(); it != answer->end(); ++it) {
    int left = find_option(left_, it.key());
    if (left < 0) {
      std::string list;
      for (const auto& o : left_) list += (list.empty() ? "" : ", ") + quote(o.id);
      throw sdk::ResponseError("unknown left entry id " + quote(it.key()) + ", expected one of " + list);
    }
    if (it->is_null()) continue;
    out[static_cast<std::size_t>(left)] = static_cast<int>(response_option(*it, right_, "right entry"));
  }
  return out;
}

std::vector<sdk::Credit> Match::score(std::uint64_t, const json& response) const {
  auto picks = chosen(response);
  std::uint64_t right = 0;
  std::uint64_t earned = 0, total = 0;
  for (std::size_t i = 0; i < picks.size(); ++i) {
    bool hit = picks[i] == static_cast<int>(key_[i]);
    right += hit;
    if (!weights_.empty()) total += weights_[i], earned += hit ? weights_[i] : 0;
  }
  if (all_or_nothing_) return {sdk::Credit::of(right == left_.size())};
  if (!weights_.empty()) return {sdk::Credit::fraction(earned, total)};
  return {sdk::Credit::fraction(right, left_.size())};
}

json Match::solve(std::uint64_t) const {
  json pairs = json::object();
  for (std::size_t i = 0; i < left_.size(); ++i) pairs[left_[i].id] = right_[key_[i]].id;
  return {{kAnswer, std::move(pairs)}};
}

std::string Match::feedback(std::uint64_t, const json& response) const {
  auto picks = chosen(response);
  std::string out;
  for (std::size_t i = 0; i < left_.size(); ++i) {
    out += quote(left_[i].text);
    if (picks[i] == kUnmatched) {
      out += ": not matched\n";
    } else {
      out += " -> " + quote(right_[static_cast<std::size_t>(picks[i])].text) +
             (picks[i] == static_cast<int>(key_[i]) ? ": correct\n" : ": not correct\n");
    }
  }
  out.pop_back();
  return out;
}

}  // namespace assay::core_items
