#include "plugin_harness.hpp"

#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "assay/json_schema.hpp"
#include "assay/presentation.hpp"
#include "harness.hpp"
#include "shipped_plugins.hpp"

namespace assay::fuzz {

namespace {

using nlohmann::json;

std::string why(const plugins::CallError& e) { return std::string(plugins::status_name(e.status)) + ": " + e.message; }

}  // namespace

void fuzz_plugin(std::string_view plugin_name, const std::uint8_t* data, std::size_t size) {
  const plugins::Plugin* plugin = shipped_plugins().find(plugin_name);
  if (plugin == nullptr) std::abort();
  auto [head, rest] = cut(as_text(data, size), '\n');
  auto [type_name, seed_text] = cut(head, ' ');
  auto [params, response] = cut(rest, '\0');
  const plugins::ItemType* type = plugin->find_type(type_name);
  if (type == nullptr) return;
  const auto& raw = type->raw();
  std::uint64_t seed = raw.n_examples > 0 ? raw.examples[0]->seed : 1;
  if (!seed_text.empty() && std::from_chars(seed_text.data(), seed_text.data() + seed_text.size(), seed).ec != std::errc{})
    return;
  std::string params_json(params);
  if (params_json.empty() && raw.n_examples > 0) params_json = raw.examples[0]->params_json;

  auto prepared = type->prepare(params_json);
  if (!prepared) {
    const auto& e = prepared.error();
    ASSAY_FUZZ_CHECK(e.status == ASSAY_STATUS_INVALID_PARAMS, "prepare failed: " + why(e));
    ASSAY_FUZZ_CHECK(!e.message.empty(), "params refused without a message");
    return;
  }
  const plugins::PreparedItem& item = prepared.value();

  auto presented = item.present(seed);
  ASSAY_FUZZ_CHECK(presented.ok(), "present failed: " + why(presented.error()));
  json presentation = json::parse(presented.value(), nullptr, false);
  ASSAY_FUZZ_CHECK(!presentation.is_discarded(), "present wrote no JSON: " + presented.value());
  auto violations = validate_json(builtin_schema("presentation"), presentation);
  ASSAY_FUZZ_CHECK(violations.empty(),
                   "not a presentation v1: #" + (violations.empty() ? "" : violations[0].pointer + ": " + violations[0].message));
  (void)presentation::render_presentation(presentation, false, 80);

  auto solved = item.solve(seed);
  ASSAY_FUZZ_CHECK(solved.ok(), "solve failed: " + why(solved.error()));
  json key = json::parse(solved.value(), nullptr, false);
  ASSAY_FUZZ_CHECK(!key.is_discarded(), "solve wrote no JSON: " + solved.value());
  auto problem = presentation::check_response(key, presentation);
  ASSAY_FUZZ_CHECK(problem.empty(), "the solved response does not answer the presentation: " + problem);
  auto credits = item.score_verbose(seed, solved.value());
  ASSAY_FUZZ_CHECK(credits.ok(), "scoring the solved response failed: " + why(credits.error()));
  for (std::size_t i = 0; i < type->n_criteria(); ++i) {
    if (type->criteria()[i].rated) continue;
    const auto& c = credits.value()[i];
    ASSAY_FUZZ_CHECK(c.numerator == c.denominator, "the solved response earns " + std::to_string(c.numerator) + "/" +
                                                       std::to_string(c.denominator) + " on '" + type->criteria()[i].id +
                                                       "': " + solved.value());
  }

  if (response.data() == nullptr) return;
  auto scored = item.score_verbose(seed, response);
  ASSAY_FUZZ_CHECK(scored.ok() || scored.error().status == ASSAY_STATUS_INVALID_RESPONSE, "score failed: " + why(scored.error()));
  auto feedback = item.feedback(seed, response);
  ASSAY_FUZZ_CHECK(feedback.ok() || feedback.error().status == ASSAY_STATUS_INVALID_RESPONSE,
                   "feedback failed: " + why(feedback.error()));
}

}  // namespace assay::fuzz
