#include "assay/cohort.hpp"

#include <fmt/format.h>

#include <assay/sdk/decimal.hpp>
#include <assay/sdk/rng.hpp>
#include <nlohmann/json.hpp>

#include "assay/model.hpp"
#include "assay/presentation.hpp"

namespace assay::cohort {

using json = nlohmann::json;
using sdk::Rng;

namespace {

constexpr std::uint64_t kPercent = 100;

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
        json wrong = presentation::guess_answer(interaction, presentation, correct.value(id, json()), rng);
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
