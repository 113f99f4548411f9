#include "reading_check.hpp"

#include <algorithm>
#include <array>

namespace example {

namespace {

using sdk::json;

constexpr std::array<const char*, 4> kKeys = {"quantity", "unit", "range", "limit"};

/// The verdict in a response: "" when unanswered. A response that cannot be read as a verdict
/// (the wrong shape, two options, an option that is not offered) is malformed: the message says
/// what form is expected and never whether the answer is right, since the candidate sees it
/// while they can still fix the answer.
std::string verdict_of(const json& response) {
  auto it = response.find("verdict");
  if (it == response.end()) return "";
  if (!it->is_array() || it->size() > 1 || (it->size() == 1 && !(*it)[0].is_string())) {
    throw sdk::ResponseError("verdict: expected one option, \"within\" or \"over\"");
  }
  if (it->empty()) return "";
  auto id = (*it)[0].get<std::string>();
  if (id != "within" && id != "over") {
    throw sdk::ResponseError("verdict: \"" + id + "\" is not an option; choose \"within\" or \"over\"");
  }
  return id;
}

}  // namespace

json ReadingCheck::schema() {
  // The reading is drawn from the seed: declared, so plugin-check keeps an example that shows it.
  return sdk::generated_material(sdk::object_schema(
      {
          {"quantity", {{"type", "string"}, {"minLength", 1}, {"description", "what was measured; shown to the candidate"}}},
          {"unit", {{"type", "string"}, {"minLength", 1}, {"description", "unit of the reading and the limit"}}},
          {"range",
           {{"type", "object"},
            {"description", "the reading is drawn from [min, max] with the item seed"},
            {"properties", {{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}},
            {"required", json::array({"min", "max"})},
            {"additionalProperties", false}}},
          {"limit", sdk::secret({{"type", json::array({"string", "integer"})},
                                 {"description", "the highest acceptable reading, as decimal text (the key)"}})},
      },
      {"quantity", "unit", "range", "limit"}));
}

std::vector<sdk::Criterion> ReadingCheck::criteria() {
  return {
      {"verdict", "says whether the reading is within the limit"},
      {"reason", "names the limit that applies and explains the verdict", /*rated=*/true},
  };
}

std::vector<sdk::Example> ReadingCheck::examples() {
  const auto none = sdk::Credit::none();
  const auto full = sdk::Credit::full();
  // Every reading in [11, 19] is over a limit of 10, whatever the seed, so the expected credits
  // hold for any seed. The alternative limit flips the key; `present` must not change with it.
  sdk::Example over;
  over.name = "a reading over the limit";
  over.params = {{"quantity", "Example reading"}, {"unit", "mA"}, {"range", {{"min", 11}, {"max", 19}}}, {"limit", "10"}};
  over.alt_secret = {{"limit", "25"}};
  over.seed = 42;
  over.responses = {
      {"correct", {{"verdict", json::array({"over"})}, {"reason", "above the limit"}}, {full, none}},
      {"wrong verdict", {{"verdict", json::array({"within"})}}, {none, none}},
      {"unanswered", json::object(), {none, none}},
  };
  // Responses that cannot be read as an answer: `score` must refuse them (ABI 1.1).
  over.malformed = {
      {"an option that is not offered", {{"verdict", json::array({"fail"})}}},
      {"both options", {{"verdict", json::array({"within", "over"})}}},
  };
  sdk::Example within;
  within.name = "a reading within the limit";
  within.params = {{"quantity", "Example reading"}, {"unit", "mA"}, {"range", {{"min", 1}, {"max", 9}}}, {"limit", "9.5"}};
  within.alt_secret = {{"limit", "0.5"}};
  within.seed = 7;
  within.responses = {
      {"correct", {{"verdict", json::array({"within"})}}, {full, none}},
      {"wrong verdict", {{"verdict", json::array({"over"})}}, {none, none}},
  };
  return {over, within};
}

ReadingCheck ReadingCheck::prepare(const json& params) {
  sdk::Params p(params);
  for (const auto& [key, value] : p.members()) {
    if (std::find(kKeys.begin(), kKeys.end(), key) == kKeys.end()) value.fail("unexpected key '" + key + "'");
  }
  ReadingCheck r;
  r.quantity_ = p.at("quantity").str();
  r.unit_ = p.at("unit").str();
  auto range = p.at("range");
  r.min_ = range.at("min").integer();
  r.max_ = range.at("max").integer();
  if (r.max_ < r.min_) {
    range.at("max").fail("expected at least min (" + std::to_string(r.min_) + "), found " + std::to_string(r.max_));
  }
  r.limit_ = p.at("limit").decimal();
  return r;
}

std::int64_t ReadingCheck::reading(std::uint64_t seed) const {
  sdk::Rng rng(seed);  // the only source of randomness: the same on every platform
  return rng.between(min_, max_);
}

bool ReadingCheck::within(std::uint64_t seed) const { return sdk::Decimal(reading(seed)) <= limit_; }

json ReadingCheck::present(std::uint64_t seed) const {
  // Built from the seed and non-secret params only: never limit_.
  json material = json::array({
      {{"kind", "table"},
       {"columns", json::array({"Quantity", "Reading"})},
       {"rows", json::array({json::array({quantity_, std::to_string(reading(seed)) + " " + unit_})})}},
  });
  json options = json::array({{{"id", "within"}, {"text", "Within the limit"}}, {{"id", "over"}, {"text", "Over the limit"}}});
  json interactions = json::array({
      {{"id", "verdict"}, {"type", "choice"}, {"prompt", "Verdict"}, {"multiple", false}, {"options", options}},
      {{"id", "reason"}, {"type", "extended-text"}, {"prompt", "Which limit applies, and why?"}, {"max_length", 2000}},
  });
  return {{"presentation", 1},
          {"prompt", "Is this reading within the limit that applies?"},
          {"material", material},
          {"interactions", interactions}};
}

std::vector<sdk::Credit> ReadingCheck::score(std::uint64_t seed, const json& response) const {
  auto verdict = verdict_of(response);
  auto expected = within(seed) ? "within" : "over";
  // One credit per criterion, in declaration order; the rated "reason" is left to a rater.
  return {sdk::Credit::of(verdict == expected), sdk::Credit::none()};
}

json ReadingCheck::solve(std::uint64_t seed) const {
  return {{"verdict", json::array({within(seed) ? "within" : "over"})},
          {"reason", "the reading is " + std::to_string(reading(seed)) + " " + unit_ + "; the limit is " + limit_.to_string() +
                         " " + unit_}};
}

std::string ReadingCheck::feedback(std::uint64_t seed, const json& response) const {
  auto verdict = verdict_of(response);
  std::string fact = "the reading, " + std::to_string(reading(seed)) + " " + unit_ + ", is " +
                     (within(seed) ? "within" : "over") + " the limit of " + limit_.to_string() + " " + unit_;
  if (verdict.empty()) return "no verdict was given: " + fact;
  return (verdict == (within(seed) ? "within" : "over") ? "right: " : "not quite: ") + fact;
}

}  // namespace example
