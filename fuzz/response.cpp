// Response v1 as `assay serve` receives it and `assay take` reads it at the keyboard, for each
// interaction type of presentation v1 (core/presentation). The first line names an interaction of
// the fixed item below (empty: the rest is a whole response document); the rest is its answer, as
// JSON and as a line typed at the keyboard. A typed answer that parses is a valid response value,
// and the keys shown for it read back as the same value.
#include <nlohmann/json.hpp>
#include <string>

#include "assay/presentation.hpp"
#include "harness.hpp"

namespace {

using nlohmann::json;
namespace pr = assay::presentation;

const json& item() {
  static const json presentation = json::parse(R"({
    "presentation": 1,
    "prompt": "Answer each part.",
    "material": [{"kind": "lines", "lines": [{"id": "l1", "text": "a"}, {"id": "l2", "text": "b"}, {"id": "l3", "text": "c"}]}],
    "interactions": [
      {"id": "choice", "type": "choice", "multiple": false, "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]},
      {"id": "choices", "type": "choice", "multiple": true, "min": 0, "max": 2,
       "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}]},
      {"id": "text", "type": "text", "max_length": 40},
      {"id": "extended-text", "type": "extended-text"},
      {"id": "numeric", "type": "numeric", "units": ["mA", "uA"]},
      {"id": "order", "type": "order", "options": [{"id": "x", "text": "X"}, {"id": "y", "text": "Y"}, {"id": "z", "text": "Z"}]},
      {"id": "match", "type": "match", "left": [{"id": "l", "text": "L"}, {"id": "m", "text": "M"}],
       "right": [{"id": "r", "text": "R"}, {"id": "s", "text": "S"}]},
      {"id": "select-lines", "type": "select-lines", "material": 0},
      {"id": "fields", "type": "fields", "fields": [{"id": "pid-5", "label": "Name"}, {"id": "pid-7", "label": "Born"}]},
      {"id": "table", "type": "table", "rows": [{"id": "r1", "label": "Row 1"}, {"id": "r2", "label": "Row 2"}],
       "columns": [{"id": "ok", "label": "OK", "options": [{"id": "y", "text": "yes"}, {"id": "n", "text": "no"}]}]}
    ]
  })");
  return presentation;
}

const json* interaction(std::string_view id) {
  for (const auto& i : item()["interactions"])
    if (i["id"] == id) return &i;
  return nullptr;
}

}  // namespace

ASSAY_FUZZ_TARGET(response) {
  auto [id, rest] = assay::fuzz::cut(assay::fuzz::as_text(data, size), '\n');
  json value = json::parse(rest, nullptr, false);
  if (id.empty()) {
    if (value.is_discarded()) return;
    (void)pr::check_response(value, item());
    if (value.is_object())
      for (const auto& [key, member] : value.items())
        if (const json* i = interaction(key)) (void)pr::keys_typed(*i, item(), member);
    return;
  }
  const json* in = interaction(id);
  if (in == nullptr) return;
  if (!value.is_discarded()) {
    (void)pr::check_response(json{{std::string(id), value}}, item());
    (void)pr::keys_typed(*in, item(), value);
  }
  auto typed = pr::parse_answer(*in, item(), rest);
  if (!typed) {
    ASSAY_FUZZ_CHECK(!typed.error().empty(), "a typed answer refused without a reason");
    return;
  }
  auto problem = pr::check_response(json{{std::string(id), typed.value()}}, item());
  ASSAY_FUZZ_CHECK(problem.empty(), "a typed answer is not a valid response: " + problem);
  std::string keys = pr::keys_typed(*in, item(), typed.value());
  if (keys == "- (none)") keys = "-";  // shown with its meaning; typed as "-"
  auto again = pr::parse_answer(*in, item(), keys);
  ASSAY_FUZZ_CHECK(again && again.value() == typed.value(), "the keys shown, '" + keys + "', do not read back");
}
