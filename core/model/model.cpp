// The public entry points of the model and the small helpers of its types.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "detail.hpp"

namespace assay::model {

std::string_view to_string(Kind kind) { return kind == Kind::kPractice ? "practice" : "screening"; }

SourcePos SourceMap::find(std::string_view key_path) const {
  std::string path(key_path);
  while (true) {
    if (auto it = map_.find(path); it != map_.end()) return it->second;
    if (path.empty()) return {};
    // Drop the last segment: "[n]", ".\"quoted key\"" or ".key".
    if (path.back() == ']') {
      path.erase(path.rfind('['));
    } else if (path.back() == '"' && path.size() >= 2) {
      auto open = path.rfind('"', path.size() - 2);
      path.erase(open == std::string::npos || open == 0 ? 0 : open - 1);
    } else {
      auto dot = path.rfind('.');
      path.erase(dot == std::string::npos ? 0 : dot);
    }
  }
}

std::int64_t Item::max_points() const {
  std::int64_t sum = 0;
  for (const auto& c : criteria)
    if (c.points > 0) sum += c.points;
  return sum;
}

const Item* Assessment::find_item(std::string_view item_id) const {
  auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == item_id; });
  return it == items.end() ? nullptr : &*it;
}

const Section* Assessment::find_section(std::string_view section_id) const {
  auto it = std::find_if(sections.begin(), sections.end(), [&](const Section& s) { return s.id == section_id; });
  return it == sections.end() ? nullptr : &*it;
}

const Competency* Assessment::find_competency(std::string_view competency_id) const {
  auto it = std::find_if(competencies.begin(), competencies.end(), [&](const Competency& c) { return c.id == competency_id; });
  return it == competencies.end() ? nullptr : &*it;
}

const OutlineArea* Assessment::find_area(std::string_view area_id) const {
  auto it = std::find_if(outline.begin(), outline.end(), [&](const OutlineArea& o) { return o.id == area_id; });
  return it == outline.end() ? nullptr : &*it;
}

std::string_view Assessment::area_of(const Item& item) const {
  if (!item.area.empty()) return item.area;
  const Section* section = find_section(item.section);
  return section == nullptr ? std::string_view() : std::string_view(section->area);
}

std::ptrdiff_t Assessment::item_index(std::string_view item_id) const {
  auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.id == item_id; });
  return it == items.end() ? -1 : it - items.begin();
}

std::string pointer_to_key_path(std::string_view prefix, std::string_view pointer, const nlohmann::json& params) {
  std::string out(prefix);
  const nlohmann::json* cur = &params;
  std::size_t i = 0;
  if (pointer.empty()) return out;
  if (pointer.front() == '/') i = 1;
  while (i <= pointer.size()) {
    auto slash = pointer.find('/', i);
    std::string_view raw = pointer.substr(i, slash == std::string_view::npos ? std::string_view::npos : slash - i);
    std::string token;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '~' && k + 1 < raw.size() && (raw[k + 1] == '0' || raw[k + 1] == '1')) {
        token += raw[k + 1] == '0' ? '~' : '/';
        ++k;
      } else {
        token += raw[k];
      }
    }
    bool numeric = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric && (cur == nullptr || cur->is_array())) {
      out += "[" + token + "]";
      std::size_t n = token.size() < 10 ? std::stoul(token) : SIZE_MAX;
      cur = cur != nullptr && n < cur->size() ? &(*cur)[n] : nullptr;
    } else {
      bool bare = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
      });
      out += "." + (bare ? token : nlohmann::json(token).dump());
      if (cur != nullptr && cur->is_object()) {
        auto it = cur->find(token);
        cur = it == cur->end() ? nullptr : &*it;
      } else {
        cur = nullptr;
      }
    }
    if (slash == std::string_view::npos) break;
    i = slash + 1;
  }
  return out;
}

Expected<Assessment> try_load_assessment(const std::filesystem::path& path) {
  auto st = detail::load(path);
  if (!st.unreadable) detail::check_structure(st.assessment, st.item_ok, st.diagnostics);
  detail::sort_by_position(st.diagnostics);
  if (!st.diagnostics.empty()) return std::move(st.diagnostics);
  return std::move(st.assessment);
}

Diagnostics validate_assessment(const Assessment& assessment, const plugins::Registry& registry) {
  Diagnostics out;
  detail::check_structure(assessment, {}, out);
  detail::check_plugins(assessment, {}, {}, registry, out, nullptr);
  detail::sort_by_position(out);
  return out;
}

Expected<LoadedAssessment> try_prepare_assessment(Assessment assessment, const plugins::Registry& registry) {
  LoadedAssessment loaded;
  Diagnostics out;
  detail::check_structure(assessment, {}, out);
  detail::check_plugins(assessment, {}, {}, registry, out, &loaded);
  detail::sort_by_position(out);
  if (!out.empty()) return out;
  loaded.assessment = std::move(assessment);
  return loaded;
}

Expected<LoadedAssessment> try_load_and_prepare(const std::filesystem::path& path, const plugins::Registry& registry) {
  auto a = try_load_assessment(path);
  if (!a) return std::move(a.error());
  return try_prepare_assessment(std::move(a.value()), registry);
}

FileReport validate_file(const std::filesystem::path& path, const plugins::Registry& registry) {
  auto st = detail::load(path);
  FileReport report;
  report.unreadable = st.unreadable;
  if (!st.unreadable) {
    detail::check_structure(st.assessment, st.item_ok, st.diagnostics);
    detail::check_plugins(st.assessment, st.item_ok, st.params_ok, registry, st.diagnostics, nullptr);
    detail::check_critical_safety(st.assessment, st.item_ok, registry, st.diagnostics);
    // Shares are computed only for a file without errors: a missing item or section would
    // change them.
    if (error_count(st.diagnostics) == 0) {
      auto shares = outline_shares(st.assessment);
      detail::check_outline_shares(st.assessment, shares, st.diagnostics);
      for (const auto& share : shares) report.outline.push_back(describe_share(st.assessment, share));
    }
  }
  detail::sort_by_position(st.diagnostics);
  report.items = st.assessment.items.size();
  report.sha256 = st.assessment.sha256;
  report.diagnostics = std::move(st.diagnostics);
  return report;
}

std::string media_type_of_picture(std::string_view b) {
  auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
  };
  if (starts(std::string_view("\x89PNG\r\n\x1a\n", 8))) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  return "";
}

void add_figure_paths(nlohmann::json& presentation, const Assessment& assessment, const Item& item) {
  auto material = presentation.find("material");
  if (material == presentation.end() || !material->is_array()) return;
  for (auto& m : *material) {
    if (!m.is_object() || m.value("kind", "") != "image") continue;
    auto k = m.value("figure", std::size_t{0});
    if (k >= 1 && k <= item.figures.size())
      m["path"] = (assessment.path.parent_path() / item.figures[k - 1].file).lexically_normal().string();
  }
}

std::string figure_material(const Item& item) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t k = 0; k < item.figures.size(); ++k) {
    const auto& f = item.figures[k];
    nlohmann::json m = {{"kind", "image"}, {"figure", k + 1}, {"media_type", f.media_type}, {"alt", f.alt}};
    if (!f.caption.empty()) m["caption"] = f.caption;
    out.push_back(std::move(m));
  }
  return out.dump();
}

}  // namespace assay::model
