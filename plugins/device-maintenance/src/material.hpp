// Presentation v1 building blocks (docs/formats.md) and response readers shared by the types.
#pragma once

#include <assay/sdk.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace device {

using assay::sdk::json;

/// {"presentation": 1, "prompt": ..., "material": [], "interactions": []}.
json presentation(const std::string& prompt);
json text_material(const std::string& text);
json table_material(const std::vector<std::string>& columns, const std::vector<std::vector<std::string>>& rows);
/// A choice interaction; `options` are (id, text) pairs.
json choice(const std::string& id, const std::string& prompt, const std::vector<std::pair<std::string, std::string>>& options,
            bool multiple = false);
/// The pass/fail options every verdict uses.
const std::vector<std::pair<std::string, std::string>>& pass_fail();

using Options = std::vector<std::pair<std::string, std::string>>;

/// The option a single choice holds (`["pass"]`, or a bare "pass"), nullopt when unanswered
/// (absent, null or []). An option that is not offered, or more than one, is malformed
/// (sdk::ResponseError naming `label`); an option's id or text in any case is that option.
std::optional<std::string> single_choice(const json& response, const std::string& id, const Options& options,
                                         const std::string& label);

/// The option ids a multiple choice holds (empty when unanswered); an id that is not offered is
/// malformed, naming `label`.
std::set<std::string> multiple_choice(const json& response, const std::string& id, const Options& options,
                                      const std::string& label);

/// A column of a table interaction as the candidate sees it: options (answered by id), or free
/// text whose expected form `form` states ("a number of µA, such as 500").
struct Column {
  std::string id, label;
  Options options;
  std::string form;
};

/// The cells of a table interaction's answer, row id -> column id -> text (trimmed; for an
/// option column, the option's id). nullopt when the table is unanswered: absent, null, or no
/// cell filled. Once any cell is filled, every cell is required: an empty one is malformed
/// ("cell Verdict of Point 2 is empty: choose Within tolerance or Out of tolerance"), as are a
/// row or column the table does not have and an option that is not offered. `rows` are (id,
/// label) pairs.
using TableAnswer = std::map<std::string, std::map<std::string, std::string>>;
std::optional<TableAnswer> table_answer(const json& response, const std::string& interaction, const Options& rows,
                                        const std::vector<Column>& columns);

/// "cell <column> of <row>": how messages name a cell.
std::string cell_name(const Options& rows, const std::string& row, const Column& column);

/// "pass" / "fail".
inline const char* verdict_id(bool pass) { return pass ? "pass" : "fail"; }

/// What the candidate's overall verdict (`given`: "pass", "fail" or "" when none) was against the
/// key, naming the kind of error: a pass for a failing device is unsafe, a fail for a passing
/// one over-cautious. Starts with "; " and ends with a period.
std::string overall_feedback(bool device_passes, const std::string& given);

}  // namespace device
