// text-entry: a short typed answer compared with accepted answers after normalisation.
#pragma once

#include <memory>

#include <re2/re2.h>

#include "common.hpp"
#include "text_normalise.hpp"

namespace assay::core_items {

/// Params: `prompt`; secret `accepted` (one or more answers, each a text earning full credit or
/// { text, credit } earning that percent; the best matching one counts); secret `patterns` (optional RE2
/// regular expressions, each matched against the whole normalised answer in time linear in its
/// length, ignoring case unless `case_sensitive`; a pattern holding a character no normalised
/// answer can hold, as "ß" or "ﬁ", is refused, naming the form to write); `case_sensitive`
/// (default false), `collapse_whitespace` (default true), `ignore_punctuation` (default false):
/// the rules of normalise() in text_normalise.hpp (Unicode NFKC_Casefold, or NFKC when
/// case-sensitive), applied alike to the accepted answers and the response; `max_length` (code
/// points as typed, optional). Response: `{"answer": "text"}`; an answer that is empty after
/// normalisation earns nothing.
class TextEntry {
 public:
  static constexpr const char* kName = "text-entry";
  static constexpr const char* kSummary = "a short typed answer, compared after case, space and punctuation normalisation";
  static constexpr bool kSeedFreeScore = true;  // the key is in the params alone
  static json schema();
  static std::vector<sdk::Criterion> criteria();
  static std::vector<sdk::Example> examples();
  static TextEntry prepare(const json& params);
  json present(std::uint64_t seed) const;
  std::vector<sdk::Credit> score(std::uint64_t seed, const json& response) const;
  json solve(std::uint64_t seed) const;
  std::string feedback(std::uint64_t seed, const json& response) const;

 private:
  /// The normalised answer; nullopt when unanswered.
  std::optional<std::string> answer(const json& response) const;
  /// The credit the normalised answer earns, in units of kFullCredit: a pattern or a full accepted
  /// answer all of it, a listed one its credit, anything else 0.
  std::int64_t credit(const std::string& normalised) const;

  std::string prompt_;
  NormaliseRules rules_;
  std::vector<std::string> accepted_;                 // normalised
  std::vector<std::int64_t> credit_;                  // each accepted answer's, in units of kFullCredit
  std::string first_accepted_;                        // as written, for solve
  std::vector<std::shared_ptr<const RE2>> patterns_;  // shared: items are copied, RE2 is not
  std::int64_t max_length_ = 0;                       // 0: none
};

}  // namespace assay::core_items
