// The two readers of attempt lines (core/delivery) on any text: parse_attempt_line, whose fast
// path reads a plainly valid line with simdjson, and the full reader alone (parse_json_line, then
// try_attempt_from_json). They must decide every line the same way and read the same attempt;
// responses are compared as JSON values (the fast path keeps them as written).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "assay/delivery.hpp"
#include "assay/io.hpp"
#include "harness.hpp"

namespace {

using assay::delivery::Attempt;
using nlohmann::json;

std::optional<Attempt> read_full(const std::string& file, const assay::io::Line& line) {
  auto j = assay::io::parse_json_line(file, line);
  if (!j) return std::nullopt;
  auto a = assay::delivery::try_attempt_from_json(j.value());
  if (!a) return std::nullopt;
  return std::move(a.value());
}

}  // namespace

ASSAY_FUZZ_TARGET(attempt_line) {
  const std::string file = "attempts.jsonl";
  for (const auto& line : assay::io::split_lines(assay::fuzz::as_text(data, size))) {
    auto read = assay::delivery::parse_attempt_line(file, line);
    auto full = read_full(file, line);
    ASSAY_FUZZ_CHECK(read.attempt.has_value() == full.has_value(), "the readers disagree on accepting: " + line.text);
    if (!read.attempt) {
      ASSAY_FUZZ_CHECK(read.json_error.has_value() != !read.errors.empty(), "a line refused without one reason");
      continue;
    }
    Attempt fast = *read.attempt;
    Attempt slow = *full;
    ASSAY_FUZZ_CHECK(fast.answers.size() == slow.answers.size(), "the readers read different answers: " + line.text);
    for (auto f = fast.answers.begin(), s = slow.answers.begin(); f != fast.answers.end(); ++f, ++s) {
      ASSAY_FUZZ_CHECK(f->first == s->first, "the readers read different items answered: " + line.text);
      json fv = json::parse(f->second, nullptr, false), sv = json::parse(s->second, nullptr, false);
      ASSAY_FUZZ_CHECK(!fv.is_discarded() && fv == sv, "the readers read different responses: " + f->second + " / " + s->second);
    }
    fast.answers.clear();
    slow.answers.clear();
    ASSAY_FUZZ_CHECK(fast == slow, "the readers read different attempts: " + line.text);
  }
}
