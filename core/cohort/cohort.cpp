#include "assay/cohort.hpp"

#include <fmt/format.h>

#include <assay/sdk/decimal.hpp>
#include <assay/sdk/rng.hpp>
#include <nlohmann/json.hpp>

#include "assay/model.hpp"

namespace assay::cohort {

using json = nlohmann::json;
using sdk::Rng;

namespace {

constexpr std::uint64_t kPercent = 100;

/// A guess at one interaction, made from what the candidate sees.
json guess(const json& interaction, const json& presentation, const json& correct, Rng& rng) {
  const std::string type = interaction.value("type", "");
  auto ids_of = [](const json& list) {
    std::vector<std::string> ids;
    if (list.is_array())
      for (const auto& o : list) ids.push_back(o.value("id", ""));
    return ids;
  };
  if (type == "choice") {
    auto ids = ids_of(interaction.value("options", json::array()));
    if (ids.empty()) return json::array();
    if (!interaction.value("multiple", false)) return json::array({rng.pick(ids)});
    json picked = json::array();
    for (const auto& id : ids)
      if (rng.chance(1, 2)) picked.push_back(id);
    if (picked.empty()) picked.push_back(rng.pick(ids));
    return picked;
  }
  if (type == "order") {
    auto ids = ids_of(interaction.value("options", json::array()));
    rng.shuffle(ids);
    return ids;
  }
  if (type == "match") {
    auto left = ids_of(interaction.value("left", json::array()));
    auto right = ids_of(interaction.value("right", json::array()));
    json out = json::object();
    if (right.empty()) return out;
    for (const auto& l : left) out[l] = rng.pick(right);
    return out;
  }
  if (type == "select-lines") {
    json out = json::array();
    auto index = interaction.value("material", std::size_t{0});
    const auto& material = presentation.value("material", json::array());
    if (index < material.size()) {
      for (const auto& line : material[index].value("lines", json::array()))
        if (rng.chance(1, 8)) out.push_back(line.value("id", ""));
    }
    return out;
  }
  if (type == "numeric") {
    json out = correct.is_object() ? correct : json::object();
    auto value = sdk::Decimal::from_json(out.value("value", json("0")));
    auto base = value ? *value : sdk::Decimal(0);
    auto percent = static_cast<std::int64_t>(rng.between(10, 30)) * (rng.chance(1, 2) ? 1 : -1);
    auto off = base * sdk::Decimal(percent).scaled(-2);
    if (off == sdk::Decimal(0)) off = sdk::Decimal(percent);
    out["value"] = (base + off).to_string();
    return out;
  }
  if (type == "fields" || type == "table") {
    // Keep some cells right and get the others wrong: the usual shape of a partial answer.
    json out = correct.is_object() ? correct : json::object();
    std::vector<std::string> column_options;
    for (auto& [key, value] : out.items()) {
      if (!rng.chance(1, 2)) continue;
      if (value.is_string()) {
        value = value.get<std::string>() + "x";
      } else if (value.is_object()) {
        for (auto& [col, cell] : value.items()) {
          if (!cell.is_string()) continue;
          std::vector<std::string> options;
          for (const auto& c : interaction.value("columns", json::array())) {
            if (c.value("id", "") == col) options = ids_of(c.value("options", json::array()));
          }
          cell = options.empty() ? json(cell.get<std::string>() + "x") : json(rng.pick(options));
        }
      }
    }
    return out;
  }
  if (type == "extended-text") return "I would check the device and report it.";
  // text and anything else: a garbled form of the right answer.
  if (correct.is_string()) return correct.get<std::string>().empty() ? std::string("?") : correct.get<std::string>() + "?";
  return correct;
}

}  // namespace

Expected<std::vector<delivery::Attempt>, std::string> generate(const model::LoadedAssessment& loaded, const Options& options) {
  const auto& a = loaded.assessment;
  std::string tag = "cohort:" + a.id;
  Rng rng(assay_mix64(options.seed ^ assay_fnv1a64(tag.data(), tag.size())));
  std::vector<delivery::Attempt> out;
  out.reserve(options.candidates);
  const auto sitting = std::chrono::seconds(a.time_limit_seconds > 0 ? a.time_limit_seconds * 3 / 4 : 1200);

  for (std::size_t i = 0; i < options.candidates; ++i) {
    std::uint64_t attempt_seed = rng.next();
    auto ability = static_cast<std::uint64_t>(rng.between(15, 98));
    delivery::Attempt attempt;
    attempt.attempt_id = fmt::format("{}-{:04}", a.id, i + 1);
    attempt.candidate_id = fmt::format("candidate-{:04}", i + 1);
    attempt.assessment_id = a.id;
    attempt.assessment_version = a.version;
    attempt.assessment_sha256 = a.sha256;
    attempt.seed = attempt_seed;
    attempt.form = delivery::draw_form(a, attempt_seed);
    attempt.mode = std::string(model::to_string(a.kind));
    attempt.started = options.start + std::chrono::seconds(static_cast<std::int64_t>(i) * 90);
    if (a.time_limit_seconds > 0) attempt.deadline = *attempt.started + std::chrono::seconds(a.time_limit_seconds);
    attempt.submitted = *attempt.started + sitting;

    for (const auto& fi : attempt.form.items) {
      auto index = a.item_index(fi.item_id);
      const auto& item = a.items[static_cast<std::size_t>(index)];
      const auto& prepared = loaded.prepared[static_cast<std::size_t>(index)];
      // Draw in a fixed order whatever is used, so one change does not shift every later answer.
      bool skip = rng.below(kPercent) < 3;
      auto solved = prepared.solve(fi.seed);
      if (!solved) return fmt::format("item '{}': solve failed: {}", item.id, solved.error().message);
      auto shown = prepared.present(fi.seed);
      if (!shown) return fmt::format("item '{}': present failed: {}", item.id, shown.error().message);
      json correct = json::parse(solved.value(), nullptr, false);
      json presentation = json::parse(shown.value(), nullptr, false);
      if (!correct.is_object() || !presentation.is_object())
        return fmt::format("item '{}': the plugin wrote malformed JSON", item.id);

      json response = json::object();
      for (const auto& interaction : presentation.value("interactions", json::array())) {
        std::string id = interaction.value("id", "");
        bool right = rng.below(kPercent) < ability;
        json wrong = guess(interaction, presentation, correct.value(id, json()), rng);
        if (!correct.contains(id)) continue;
        response[id] = right ? correct[id] : wrong;
      }
      for (const auto& criterion : item.criteria) {
        if (criterion.levels.empty()) continue;
        bool best = rng.below(kPercent) < ability;
        auto level = rng.below(criterion.levels.size());
        attempt.ratings[item.id][criterion.id] = criterion.levels[best ? 0 : level].name;
      }
      if (!skip) attempt.answers[item.id] = response.dump();
    }
    out.push_back(std::move(attempt));
  }
  return out;
}

}  // namespace assay::cohort
