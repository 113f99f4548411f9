#include <assay/plugin.h>

#include <algorithm>
#include <numeric>

#include "assay/delivery.hpp"
#include "assay/model.hpp"

namespace assay::delivery {

std::uint64_t section_seed(std::uint64_t attempt_seed, std::string_view section_id) {
  std::string key = "section:";
  key += section_id;
  return assay_mix64(attempt_seed ^ assay_fnv1a64(key.data(), key.size()));
}

Form draw_form(const model::Assessment& assessment, std::uint64_t attempt_seed) {
  Form form;
  for (const auto& section : assessment.sections) {
    std::vector<std::size_t> pool;  // indices into assessment.items, file order
    for (std::size_t i = 0; i < assessment.items.size(); ++i)
      if (assessment.items[i].section == section.id) pool.push_back(i);
    std::size_t n = pool.size();
    std::size_t take =
        (section.draw <= 0 || static_cast<std::size_t>(section.draw) >= n) ? n : static_cast<std::size_t>(section.draw);
    assay_rng rng = assay_rng_seed(section_seed(attempt_seed, section.id));
    bool drawing = take < n;
    if (drawing || section.shuffle) {
      // Partial Fisher–Yates from the front: position k takes a uniform pick of the rest.
      for (std::size_t k = 0; k < take && k + 1 < n; ++k) {
        std::size_t j = k + static_cast<std::size_t>(assay_rng_below(&rng, n - k));
        std::swap(pool[k], pool[j]);
      }
    }
    pool.resize(take);
    if (!section.shuffle) std::sort(pool.begin(), pool.end());
    for (std::size_t idx : pool) {
      const std::string& id = assessment.items[idx].id;
      form.items.push_back({id, assay_item_seed(attempt_seed, id.data(), id.size())});
    }
  }
  return form;
}

Attempt start_attempt(const model::Assessment& assessment, std::string attempt_id, std::string candidate_id, std::uint64_t seed,
                      const Clock& clock) {
  Attempt a;
  a.attempt_id = std::move(attempt_id);
  a.candidate_id = std::move(candidate_id);
  a.assessment_id = assessment.id;
  a.assessment_version = assessment.version;
  a.assessment_sha256 = assessment.sha256;
  a.seed = seed;
  a.form = draw_form(assessment, seed);
  a.started = clock.now();
  if (assessment.time_limit_seconds > 0) a.deadline = *a.started + std::chrono::seconds(assessment.time_limit_seconds);
  a.mode = assessment.kind == model::Kind::kPractice ? "practice" : "screening";
  return a;
}

}  // namespace assay::delivery
