// Reports over results (result v1): a terminal summary, a self-contained HTML page, and one
// candidate's review with feedback and explanations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "assay/diagnostic.hpp"
#include "assay/html_escape.hpp"
#include "assay/results.hpp"

namespace assay::model {
struct LoadedAssessment;
}
namespace assay::stats {
struct Analysis;
}

namespace assay::report {

/// Reads a results file (JSON Lines of result v1, full view): each bad line is reported with its
/// number and skipped.
struct Results {
  std::vector<scoring::ScoreResult> results;
  Diagnostics errors;
};
Results read_results(const std::string& file, std::string_view text);

/// The terminal summary, one block per assessment (id and version) in order of first
/// appearance: ranking, pass rate, score distribution, competency averages (over decided results),
/// reasons for failing.
/// Percents are truncated to one decimal, like every display of a score.
std::string summary_text(const std::vector<scoring::ScoreResult>& results, bool color);

/// One HTML page with no external resource: inline CSS (print-friendly) and inline SVG charts
/// (score distribution, per-candidate competency profile, reasons for failing). Every text from
/// the results is HTML-escaped.
/// `heading`, when given (a campaign's title), titles the page; each assessment is then a section.
/// An assessment with at least 30 results (stats::Options::min_n) gains the item-analysis section
/// (item_analysis_html) with the Rasch model fitted.
std::string summary_html(const std::vector<scoring::ScoreResult>& results, std::string_view heading = "");

/// The item-analysis section of an HTML page, under an <h2> of `heading`: the item table with
/// flags (an item too few saw says so, with no figure), the reliability figures each named, the
/// item characteristic curves and the test information function as inline SVG when a model was
/// fitted, and the share of each option of judged single-choice items as bars. Every chart has a
/// <title>, a <desc> and a table beside it. Only aggregates: no person's id or answer appears.
/// `section` numbers the section on its page, keeping the charts' element ids apart.
std::string item_analysis_html(const stats::Analysis& analysis, std::string_view heading, std::size_t section = 0);

/// `assay stats --html`: a self-contained page (no script, no external resource) of one
/// item-analysis section per analysis, each under its title.
std::string stats_html(const std::vector<stats::Analysis>& analyses);

/// One candidate's report: outcome and reasons, then each item with its points, the plugin's
/// feedback on the response and the item's explanation and source from the assessment.
/// `assessment` may be null (feedback and explanations are then left out, and the report says so).
std::string candidate_text(const scoring::ScoreResult& result, const model::LoadedAssessment* assessment, bool color);

/// The ranking of results, as indices into `results`: highest exact percent first; ties by
/// candidate id, the numbers in ids compared by value ("c-9" before "c-10"), then by the ids'
/// text. Pending results are ranked by their percent so far, like the others: a caller that lists
/// them apart leaves them out. Both summaries and `assay serve`'s results rank this way.
std::vector<std::size_t> rank(const std::vector<const scoring::ScoreResult*>& results);

using assay::html_escape;  // &, <, >, " and ' as entities (assay/html_escape.hpp)

/// Counts of results in ten bins of 10 percentage points ([0, 10), ..., [90, 100]); a negative
/// percent counts in the first bin. Pending results are left out.
std::vector<std::size_t> distribution(const std::vector<const scoring::ScoreResult*>& results);

}  // namespace assay::report
