// Item statistics over results or a plain persons x items matrix: classical item analysis,
// distractor analysis with flags, reliability, and the Rasch model (docs/formats.md, "Stats v1").
// Knows no plugin and no item type: it reads points, maxima and the responses results carry.
#pragma once

#include <cstddef>
#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "assay/diagnostic.hpp"
#include "assay/expected.hpp"
#include "assay/results.hpp"

namespace assay::stats {

/// A cell of an item that was not presented to the person.
inline constexpr double kNotPresented = std::numeric_limits<double>::quiet_NaN();

/// Persons x items: the points each person earned on each item, or kNotPresented.
struct Matrix {
  std::vector<std::string> items;    // item ids, in column order
  std::vector<double> max;           // per item: the most points it gives (> 0)
  std::vector<std::string> persons;  // person (candidate) ids, in row order
  std::vector<double> cells;         // row-major, persons.size() x items.size()
  /// Per item, per person: the one option chosen when the item is answered by a single choice
  /// (see results_matrix), "" otherwise. Empty when no item has choices.
  std::vector<std::vector<std::string>> choices;
  /// Per person: 1 passed, 0 failed, -1 pending; empty when unknown (a matrix).
  std::vector<int> passed;
  /// The pass mark in percent of the maximum, when known (results carry it).
  std::optional<double> pass_percent;
  /// The criteria of items with two criteria or more (performance tasks), each with the points
  /// earned per person (kNotPresented when the item was not, or the criterion awaits a rating).
  struct Criterion {
    std::size_t item = 0;  // column of its item
    std::string id;
    double max = 0;  // the criterion's points (> 0: penalty criteria are left out)
    std::vector<double> earned;
  };
  std::vector<Criterion> criteria;

  std::size_t rows() const { return persons.size(); }
  std::size_t cols() const { return items.size(); }
  double at(std::size_t person, std::size_t item) const { return cells[person * items.size() + item]; }
  bool presented(std::size_t person, std::size_t item) const;
  /// Every person was presented every item.
  bool complete() const;
};

/// Reads a matrix from CSV text (RFC 4180): a header row of item ids, then one row per person
/// of points (decimal numbers from 0), an empty cell for an item not presented. A first header
/// cell "person", "candidate_id" or "judge" makes that column the person ids. An item's maximum is the
/// most points anyone earned on it (1 for an item nobody scored on). Errors name the file, line
/// and column: a row with more or fewer cells than the header, a cell that is not a number from 0,
/// a duplicate item id, no rows.
Expected<Matrix, Diagnostic> try_read_matrix(const std::string& file, std::string_view text);

/// The results of one assessment (id and version), as a matrix.
struct Cohort {
  std::string assessment_id;
  std::string assessment_version;
  std::string title;
  Matrix matrix;
};

/// Results read from a results file (JSON Lines of result v1, full view), one cohort per
/// assessment id and version in order of first appearance; each bad line is reported and skipped.
struct ResultsRead {
  std::vector<Cohort> cohorts;
  Diagnostics errors;
};
ResultsRead read_results(const std::string& file, std::string_view text);

/// The matrix of results of one assessment: one row per result, one column per item id in order
/// of first appearance. An item is presented when it is on the result and counts (status other
/// than excluded, not pending, max above 0); its cell is its points. An item whose every response
/// holds exactly one member, an array of one option id, is a single choice: `choices` keeps the
/// option each person chose ("" when unanswered).
Matrix results_matrix(const std::vector<const scoring::ScoreResult*>& results);

enum class Model { kNone, kRasch, k2pl };

struct Options {
  std::size_t min_n = 30;              // fewer candidates than this: too few to judge
  Model model = Model::kNone;          // kRasch: fit_rasch below; k2pl is not available yet
  std::optional<double> pass_percent;  // overrides the matrix's pass mark
  double ci_level = 0.95;              // alpha's confidence interval
};

/// One option of a single-choice item.
struct OptionStats {
  std::string id;
  std::size_t n = 0;        // chose it
  double share = 0;         // n / candidates presented with the item
  double mean_rest = 0;     // mean rest score (proportion of points on the other items) of its choosers
  bool key = false;         // the option that earns the item's points
  bool functioning = true;  // chosen by at least 5 % (distractors only)
};

/// An item's parameters under the model fitted.
struct ModelItem {
  double b = 0;  // difficulty (logits); Rasch: the items fitted sum to 0; 2PL: -d / a
  double se_b = 0;
  std::optional<double> a, se_a;        // 2PL: the slope
  std::optional<double> infit, outfit;  // Rasch: information-weighted and unweighted mean squares
};

struct ItemStats {
  std::string id;
  std::size_t n = 0;  // candidates presented with it
  double max = 0;
  bool judged = false;                     // n >= Options::min_n: the figures below are given
  std::optional<double> facility;          // mean proportion of the item's points
  std::optional<double> r_it;              // corrected item-total (item-rest) correlation
  std::optional<double> discrimination;    // upper 27 % minus lower 27 %, in proportion of points
  std::optional<double> alpha_if_deleted;  // complete designs only
  std::vector<OptionStats> options;        // single-choice items
  std::vector<std::string> flags;          // see kFlag* in stats.cpp and docs/formats.md
  std::optional<ModelItem> model;
  std::string left_out;  // "all_correct", "none_correct" or "not_presented" when left out of the fit
};

struct Reliability {
  std::optional<double> alpha;                        // Cronbach's alpha (KR-20 for 0/1 items)
  std::optional<std::pair<double, double>> alpha_ci;  // Feldt (1965)
  std::optional<double> sem;                          // raw points: SD x sqrt(1 - alpha)
  std::optional<double> csem_at_cut;                  // Lord's binomial error model, raw points
  std::optional<double> cut;                          // raw points: the pass mark on the total
  std::optional<double> decision_consistency;         // Subkoviak (1976), proportion of consistent decisions
  std::optional<double> person_separation;            // Rasch: reliability of the WLE person estimates
  std::optional<double> marginal_reliability;         // 2PL: var(EAP) / (var(EAP) + mean posterior variance)
  // With a model: the scale's figures for a typical form (the median number of fitted items
  // presented to a person, of average information): the ability at the pass mark and the
  // conditional SEM there (logits), and the test information function on a grid of abilities.
  std::optional<double> theta_cut;
  std::optional<double> model_csem_at_cut;
  std::size_t typical_form_items = 0;
  std::vector<std::pair<double, double>> test_information;  // (theta, information), theta -4 to 4 by 0.5
  std::string note;                                         // why a figure is missing
};

struct ModelSummary {
  bool converged = false;
  int iterations = 0;
  double log_likelihood = 0;  // Rasch: conditional; 2PL: marginal
  std::size_t persons = 0;    // persons in the fit (with at least two items fitted)
  std::size_t items = 0;      // items in the fit
};

/// One criterion of a performance task: the item figures on the criterion's points, the rest score
/// leaving out the whole item.
struct CriterionStats {
  std::string item, id;
  std::size_t n = 0;
  double max = 0;
  bool judged = false;
  std::optional<double> facility, r_it, discrimination;
  std::vector<std::string> flags;
};

/// A person's ability estimates under the model fitted (logits); NaN when not given.
struct PersonEstimate {
  std::string id;
  double wle = std::numeric_limits<double>::quiet_NaN();  // Rasch: Warm's weighted likelihood estimate
  double se_wle = std::numeric_limits<double>::quiet_NaN();
  double eap = std::numeric_limits<double>::quiet_NaN();     // posterior mean (Rasch and 2PL)
  double se_eap = std::numeric_limits<double>::quiet_NaN();  // posterior SD
};

struct Analysis {
  std::string title;
  std::size_t persons = 0;
  std::size_t min_n = 0;
  bool complete = false;     // every person was presented every item
  bool dichotomous = false;  // every cell is 0 or the item's maximum 1
  std::vector<ItemStats> items;
  std::vector<CriterionStats> criteria;
  Reliability reliability;
  Model model = Model::kNone;
  std::optional<ModelSummary> fit;
  /// With a model: one per person with at least one item fitted presented, in row order. The EAP's
  /// prior: Rasch, N(mean, sd^2) estimated from the persons (rasch.hpp); 2PL, the standard normal.
  std::vector<PersonEstimate> persons_estimated;
  double eap_prior_mean = 0, eap_prior_sd = 1;
};

/// Every figure for `matrix`. Pure and deterministic.
Analysis analyse(const Matrix& matrix, const Options& options);

/// Stats v1 (docs/formats.md): stable member names, numbers as JSON numbers, null when not given.
/// `persons`: with `person_estimates`, one entry per person (candidate id and ability estimates);
/// without, that member is left out, as where only the items' figures are wanted (`assay serve`).
nlohmann::json to_json(const Analysis& analysis, bool persons = false);

/// The terminal tables: items with flags, distractors of flagged items, reliability.
std::string to_text(const Analysis& analysis);

}  // namespace assay::stats
