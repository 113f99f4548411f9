// `assay preview`: one item for one seed, as the candidate sees it, and optionally its key and
// the credit a response earns.
#include <nlohmann/json.hpp>

#include "assay/model.hpp"
#include "assay/presentation.hpp"

namespace assay::model {

namespace {

using nlohmann::json;
__extension__ typedef __int128 Int128;

std::string int128_text(Int128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  if (neg) v = -v;
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return neg ? "-" + s : s;
}

Int128 gcd(Int128 a, Int128 b) {
  if (a < 0) a = -a;
  while (b != 0) {
    Int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// num/den in lowest terms, "3/2" or "2".
std::string fraction_text(Int128 num, Int128 den) {
  Int128 a = gcd(num, den);
  if (a > 1) {
    num /= a;
    den /= a;
  }
  return den == 1 ? int128_text(num) : int128_text(num) + "/" + int128_text(den);
}

std::string plugin_error(const Item& item, const std::string& what, const plugins::CallError& e) {
  return "item '" + item.id + "': " + item.type + ": " + what + " failed: " + e.message;
}

}  // namespace

Expected<std::string> preview_item(const LoadedAssessment& loaded, std::string_view item_id, const PreviewOptions& options) {
  const Assessment& a = loaded.assessment;
  const std::string file = a.path.string();
  auto index = a.item_index(item_id);
  if (index < 0) {
    std::vector<std::string> ids;
    for (const auto& it : a.items) ids.push_back(it.id);
    std::vector<std::string> hints;
    if (auto near = nearest(std::string(item_id), ids); !near.empty())
      hints.push_back("did you mean '" + near + "'?");
    else
      hints.push_back("the assessment has " + std::to_string(ids.size()) + " items; 'assay validate' lists none of this id");
    return Diagnostics{error_at(file, "no item '" + std::string(item_id) + "' in assessment '" + a.id + "'", hints)};
  }
  const auto i = static_cast<std::size_t>(index);
  const Item& item = a.items[i];
  const plugins::PreparedItem& prepared = loaded.prepared[i];

  std::string out = "item '" + item.id + "' (" + item.type + "), seed " + std::to_string(options.seed) + "\n\n";
  auto presentation = prepared.present(options.seed);
  if (!presentation) return Diagnostics{error_at(file, plugin_error(item, "present", presentation.error()))};
  json doc = json::parse(presentation.value(), nullptr, false);
  if (doc.is_discarded())
    return Diagnostics{error_at(file, "item '" + item.id + "': " + item.type + ": present wrote text that is not JSON",
                                {"run 'assay plugin-check' on the plugin"})};
  add_figure_paths(doc, a, item);
  out += presentation::render_presentation(doc, options.color);

  if (options.key) {
    auto key = prepared.solve(options.seed);
    if (!key) return Diagnostics{error_at(file, plugin_error(item, "solve", key.error()))};
    out += "\nkey: " + key.value() + "\n";
  }
  if (options.response) {
    json response = json::parse(*options.response, nullptr, false);
    if (response.is_discarded() || !response.is_object())
      return Diagnostics{error_at("--response", "expected a response v1 JSON object, found " + json(*options.response).dump(),
                                  {"for example --response '{\"answer\": [\"b\"]}'"})};
    auto credits = prepared.score_verbose(options.seed, response.dump());
    if (!credits) return Diagnostics{error_at(file, plugin_error(item, "score", credits.error()))};
    out += "\ncredit for " + response.dump() + ":\n";
    const auto& declared = prepared.type().criteria();
    std::size_t w = 0;
    for (const auto& c : item.criteria) w = std::max(w, c.id.size());
    Int128 num = 0, den = 1;
    for (std::size_t j = 0; j < item.criteria.size(); ++j) {
      const CriterionSpec& c = item.criteria[j];
      std::size_t slot = loaded.slots[i][j];
      std::string id = c.id + std::string(w - c.id.size(), ' ');
      if (declared[slot].rated) {
        out += "  " + id + "  rated by a person (" + std::to_string(c.levels.size()) + " levels), not scored here\n";
        continue;
      }
      const assay_credit& cr = credits.value()[slot];
      Int128 cn = static_cast<Int128>(cr.numerator) * c.points, cd = cr.denominator == 0 ? 1 : cr.denominator;
      out += "  " + id + "  " + fraction_text(cr.numerator, cd) + " x " + std::to_string(c.points) +
             " points = " + fraction_text(cn, cd) + "\n";
      num = num * cd + cn * den;
      den *= cd;
      Int128 g = gcd(num, den);
      if (g > 1) {
        num /= g;
        den /= g;
      }
    }
    if (!a.outcome.allow_negative && num < 0) num = 0;
    out += "  item total " + fraction_text(num, den) + " of " + std::to_string(item.max_points()) + " points";
    if (item.weight != Decimal(1)) out += " (weight " + item.weight.to_string() + ")";
    out += "\n";
    auto feedback = prepared.feedback(options.seed, response.dump());
    if (feedback && !feedback.value().empty()) out += "  feedback: " + feedback.value() + "\n";
  }
  return out;
}

}  // namespace assay::model
