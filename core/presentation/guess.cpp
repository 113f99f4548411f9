// Wrong answers for generated cohorts (`assay cohort`), made from what the candidate sees.
#include <assay/sdk/rng.hpp>

#include "detail.hpp"

namespace assay::presentation {

namespace detail {

json garble(const json& correct) {
  if (correct.is_string()) return correct.get<std::string>().empty() ? std::string("?") : correct.get<std::string>() + "?";
  return correct;
}

json guess_cells(const json& interaction, const json& correct, sdk::Rng& rng) {
  // Keep some cells right and get the others wrong: the usual shape of a partial answer.
  json out = correct.is_object() ? correct : json::object();
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

}  // namespace detail

nlohmann::json guess_answer(const nlohmann::json& interaction, const nlohmann::json& presentation, const nlohmann::json& correct,
                            sdk::Rng& rng) {
  const std::string type = interaction.value("type", "");
  if (const auto* t = find_interaction_type(type)) return t->guess(interaction, presentation, correct, rng);
  return detail::garble(correct);
}

}  // namespace assay::presentation
