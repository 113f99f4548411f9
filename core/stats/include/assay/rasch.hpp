// The Rasch model for dichotomous items by conditional maximum likelihood (CML), on complete and
// incomplete (pooled-form) data: item difficulties with standard errors, infit and outfit, and
// person estimates by Warm's weighted likelihood (WLE) and by expected a posteriori (EAP).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace assay::stats {

/// A persons x items 0/1 matrix; a cell below 0 is an item not presented.
struct Binary {
  std::size_t persons = 0;
  std::size_t items = 0;
  std::vector<signed char> cells;  // row-major; 1, 0, or -1 for not presented
  int at(std::size_t p, std::size_t i) const { return cells[p * items + i]; }
};

/// The items a model can fit, as eRm chooses them: presented to someone, answered right by some
/// and not by all. Per input item, why it is left out ("not_presented", "all_correct",
/// "none_correct"; "" when fitted) and its place among the fitted items (-1 when left out).
struct FittedItems {
  std::vector<std::size_t> fitted;  // input item of each fitted item
  std::vector<std::int64_t> index;
  std::vector<std::string> left_out;
  std::vector<std::size_t> seen, right;  // per input item: persons presented with it, and right
};
FittedItems fitted_items(const Binary& data);

struct RaschOptions {
  int max_iterations = 100;
  double tolerance = 1e-10;  // largest Newton step in logits that counts as converged
};

struct RaschFit {
  /// Per item of the input: fitted or why not ("" when fitted, else "all_correct",
  /// "none_correct" or "not_presented"); left-out items have no estimates.
  std::vector<std::string> left_out;
  std::vector<double> b;       // difficulty, logits; the fitted items sum to 0 (eRm's sum0)
  std::vector<double> se_b;    // from the inverse of the conditional information
  std::vector<double> infit;   // information-weighted mean square over persons with a finite ML estimate
  std::vector<double> outfit;  // unweighted mean square, same persons
  std::vector<double> theta;   // per person: WLE (Warm 1989) on the items fitted and presented; NaN when none
  std::vector<double> se_theta;
  /// Per person: the EAP, the mean of the posterior of ability given the items fitted and presented
  /// and the difficulties, under a normal prior N(prior_mean, prior_sd^2); and the posterior SD.
  /// NaN when no item fitted was presented. The prior's mean and SD are the marginal maximum
  /// likelihood estimates of the persons' ability distribution with the CML difficulties held
  /// fixed (EM over a grid of abilities 0.1 logit apart, until neither moves by 1e-10; at most
  /// 2000 cycles, eap_converged), so the prior is the persons' own, not a standard normal.
  std::vector<double> eap, se_eap;
  double prior_mean = std::numeric_limits<double>::quiet_NaN();  // NaN when no EAP was given
  double prior_sd = std::numeric_limits<double>::quiet_NaN();
  bool eap_converged = false;
  double person_separation = 0;  // (var(WLE) - mean(SE^2)) / var(WLE) over persons with a WLE, at least 0
  double log_likelihood = 0;     // conditional
  bool converged = false;
  int iterations = 0;
};

/// Fits the Rasch model by CML: Newton-Raphson on the conditional likelihood, which takes each
/// person's raw score on the items presented to them as given and so needs no distribution of
/// ability. Elementary symmetric functions are computed per distinct pattern of presented items.
/// Items everyone presented with got right (or wrong) have no finite estimate and are left out,
/// as eRm does; persons are then scored on the remaining items.
RaschFit fit_rasch(const Binary& data, const RaschOptions& options = {});

/// The elementary symmetric functions gamma_0..gamma_n of eps (gamma_r = sum over subsets of size r
/// of the product of their eps).
std::vector<double> elementary_symmetric(const std::vector<double>& eps);

}  // namespace assay::stats
