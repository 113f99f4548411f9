// Standard setting by the (modified) Angoff method: judges estimate, item by item, the
// probability that a minimally competent candidate answers correctly; a judge's cut score is the
// mean of their estimates over the items they rated, the recommended cut the mean over judges,
// with its standard error across judges (docs/formats.md, "Stats v1").
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "assay/diagnostic.hpp"
#include "assay/expected.hpp"
#include "assay/stats.hpp"

namespace assay::stats {

struct Angoff {
  std::vector<std::string> judges;
  std::vector<double> judge_cut;  // percent
  std::vector<std::string> items;
  std::vector<double> item_mean;  // the judges' mean estimate per item (0..1)
  std::vector<double> item_sd;    // their spread (0 with one judge)
  double cut = 0;                 // percent: the recommended pass mark
  double sd = 0;                  // across judges' cuts
  double se = 0;                  // sd / sqrt(judges); 0 with one judge
};

/// The ratings as a judges x items matrix (try_read_matrix; a first column "judge" names them),
/// each estimate from 0 to 1, an empty cell for an item a judge did not rate. Refuses an
/// estimate above 1 or a judge who rated nothing, naming the file.
Expected<Angoff, Diagnostic> angoff(const Matrix& ratings, const std::string& file);

std::string to_text(const Angoff& a);
nlohmann::json to_json(const Angoff& a);

}  // namespace assay::stats
