// Helpers the core-items types share: option lists, presentation order, the presentation v1
// skeleton and reading the "answer" member of a response.
#pragma once

#include <assay/sdk.hpp>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace assay::core_items {

namespace sdk = assay::sdk;
using sdk::json;

/// The interaction id of every single-interaction type in this plugin.
inline constexpr const char* kAnswer = "answer";

/// Choice, order and match lists hold at most this many entries (selections fit a 64-bit mask).
inline constexpr std::size_t kMaxOptions = 64;

struct Option {
  std::string id;
  std::string text;
};

/// Refuses a member of the table `p` whose name is not in `allowed`, at that member's pointer:
/// "unknown key 'shufle'".
void check_keys(const sdk::Params& p, std::initializer_list<std::string_view> allowed);

/// A required non-empty string member: "expected a non-empty string".
std::string required_text(const sdk::Params& p, std::string_view key);

/// An optional boolean member, `fallback` when absent.
bool optional_flag(const sdk::Params& p, std::string_view key, bool fallback);

/// An optional integer member within [lo, hi], 0 when absent.
std::int64_t optional_count(const sdk::Params& p, std::string_view key, std::int64_t lo, std::int64_t hi);

/// JSON Schema of a list of {id, text} tables.
json option_list_schema(std::size_t min_items);

/// A list of {id, text} tables: at least `min_count`, at most kMaxOptions entries, each id a
/// non-empty string used once in the list. `noun` names the entries in messages ("option").
std::vector<Option> parse_options(const sdk::Params& p, std::size_t min_count, std::string_view noun = "option");

/// Index of `id` in `options`, or -1.
int find_option(const std::vector<Option>& options, std::string_view id);

/// Index of the option whose id is the string `p`; refuses any other value at `p`'s pointer.
std::size_t option_index(const sdk::Params& p, const std::vector<Option>& options, std::string_view noun = "option");

/// The order entries are shown in: as written, or shuffled with the item seed. It depends on the
/// seed and the count only, never on the key.
std::vector<std::size_t> presentation_order(std::size_t n, std::uint64_t seed, bool shuffle);

/// `[{id, text}, ...]` in the given order.
json options_json(const std::vector<Option>& options, const std::vector<std::size_t>& order);

/// A presentation v1 document with one interaction.
json presentation(const std::string& prompt, json interaction);

/// The response's "answer" member, or nullptr when the interaction was left unanswered (absent
/// or null).
const json* answer_of(const json& response);

/// The option id at `value`: a string naming one of `options`, else a ResponseError.
std::size_t response_option(const json& value, const std::vector<Option>& options, std::string_view noun = "option");

/// Credit in percent of the item, as other platforms give it per answer (Moodle's GIFT and XML,
/// QTI's mapResponse): -100 to 100 with at most five decimals ("33.33333"), held exactly in
/// units of 0.00001 %; kFullCredit is 100 %.
inline constexpr std::int64_t kFullCredit = 10'000'000;
/// The percent at `p` (a number or a decimal string) in those units; `allow_negative` false
/// refuses a negative one.
std::int64_t percent_credit(const sdk::Params& p, bool allow_negative);
/// JSON Schema of such a percent.
json percent_schema(const std::string& description);
/// Units of credit as a criterion's credit: a negative total counts 0 (an item never goes below
/// zero), a total over 100 % counts 100 %.
sdk::Credit credit_of_units(std::int64_t units);
/// "50 %", "33.33333 %", "-25 %".
std::string percent_text(std::int64_t units);

/// `"text"` with quotes and backslashes escaped, for feedback and messages.
std::string quote(std::string_view text);

}  // namespace assay::core_items
