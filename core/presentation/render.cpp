// Presentation v1 as the terminal shows it: used by `assay preview` and `assay take`. The
// material is drawn here; each interaction by its type's entry.
#include "detail.hpp"

namespace assay::presentation {

namespace {

using namespace detail;

std::string render_material(const json& m, std::size_t index, const Style& st, std::size_t cols) {
  std::string kind = str(m, "kind");
  if (kind == "text") return wrap(str(m, "text"), cols, "", "");
  if (kind == "code") {
    std::string lang = str(m, "language");
    std::string out = st.dim("  [" + (lang.empty() ? std::string("code") : lang) + "]") + "\n";
    // Each line whole, or folded at a separator with a continuation mark in the gutter, never by
    // the terminal in the middle of a field.
    const std::string all = str(m, "text");
    std::string_view text = all;
    for (;;) {
      auto nl = text.find('\n');
      auto pieces = fold(text.substr(0, nl), cols > 4 ? cols - 4 : 0);
      for (std::size_t i = 0; i < pieces.size(); ++i) out += (i == 0 ? "  | " : st.dim("  ↪ ")) + pieces[i] + "\n";
      if (nl == std::string_view::npos) break;
      text.remove_prefix(nl + 1);
    }
    return out;
  }
  if (kind == "table") {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : list(m, "rows")) rows.push_back(strings(r));
    auto header = strings(list(m, "columns"));
    if (cols > 0 && header.size() >= 2 && table_width(header, rows) > cols) return render_records(header, rows, st, cols);
    return render_table(header, rows, st);
  }
  if (kind == "image") {
    // A terminal cannot show the picture: what it shows, its caption, and where to open it.
    std::string out = st.dim("  [picture " + std::to_string(m.value("figure", index + 1)) + "]") + "\n";
    out += wrap(str(m, "alt"), cols, "  ", "  ");
    if (!str(m, "caption").empty()) out += wrap(str(m, "caption"), cols, "  ", "  ");
    if (!str(m, "path").empty()) out += st.dim(wrap("open " + str(m, "path") + " to see it", cols, "  ", "  "));
    return out;
  }
  if (kind == "lines") {
    const json& lines = list(m, "lines");
    std::size_t digits = std::to_string(lines.size()).size();
    std::string out = st.dim("  [material " + std::to_string(index + 1) + ": numbered lines]") + "\n";
    std::size_t n = 0;
    const std::size_t gutter = 2 + digits + 2;
    for (const auto& l : lines) {
      std::string num = std::to_string(++n);
      auto pieces = fold(str(l, "text"), cols > gutter ? cols - gutter : 0);
      for (std::size_t i = 0; i < pieces.size(); ++i)
        out += (i == 0 ? "  " + std::string(digits - num.size(), ' ') + num + "  "
                       : std::string(gutter - 3, ' ') + st.dim("↪") + "  ") +
               pieces[i] + "\n";
    }
    return out;
  }
  return "";
}

std::string render_interaction(const json& in, const Style& st, std::size_t cols) {
  std::string type = str(in, "type");
  std::string out;
  if (!str(in, "prompt").empty()) out += styled(st, &Style::bold, wrap(str(in, "prompt"), cols, "", ""));
  if (const auto* t = find_interaction_type(type)) return out + t->render(in, st.color, cols);
  return out + how("interaction '" + type + "'", st, cols);
}

}  // namespace

std::string render_presentation(const nlohmann::json& presentation, bool color, std::size_t cols) {
  Style st{color};
  std::string out;
  if (!str(presentation, "prompt").empty()) out += styled(st, &Style::bold, wrap(str(presentation, "prompt"), cols, "", ""));
  const json& material = list(presentation, "material");
  for (std::size_t i = 0; i < material.size(); ++i) out += "\n" + render_material(material[i], i, st, cols);
  const json& interactions = list(presentation, "interactions");
  for (const auto& in : interactions) out += "\n" + render_interaction(in, st, cols);
  return out;
}

}  // namespace assay::presentation
