// The two-parameter logistic model by marginal maximum likelihood: Bock and Aitkin's (1981) EM
// over a fixed quadrature of a standard normal ability distribution, on complete and incomplete
// (pooled-form) data; standard errors from the observed information (Louis 1982); EAP person
// estimates.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "assay/rasch.hpp"

namespace assay::stats {

struct TwoPlOptions {
  int max_iterations = 2000;
  double tolerance = 1e-6;     // largest change of any a or d between EM cycles that counts as converged
  int quadrature_points = 61;  // equally spaced on [-6, 6], weights from the normal density (as mirt)
  bool standard_errors = true;
};

struct TwoPlFit {
  /// Per item: "" when fitted, else "all_correct", "none_correct" or "not_presented".
  std::vector<std::string> left_out;
  // P(right | theta) = 1 / (1 + exp(-(a theta + d))); b = -d / a (NaN for a left-out item).
  std::vector<double> a, se_a, d, se_d, b, se_b;
  std::vector<double> eap, se_eap;  // per person: posterior mean and SD; NaN with no item fitted
  double marginal_reliability = 0;  // var(EAP) / (var(EAP) + mean(posterior variance))
  double log_likelihood = 0;        // marginal
  bool converged = false;
  int iterations = 0;
};

TwoPlFit fit_2pl(const Binary& data, const TwoPlOptions& options = {});

}  // namespace assay::stats
