// Cross-reference, blueprint and plugin checks of a loaded assessment.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "assay/json_schema.hpp"
#include "detail.hpp"

namespace assay::model::detail {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "'" : ", '") + x + "'";
  return s;
}

std::string first_defined(const Assessment& a, const std::string& key_path) {
  auto pos = a.source_map.find(key_path);
  return pos.line > 0 ? "the first is on line " + std::to_string(pos.line) : "ids must be unique";
}

template <class T>
void unique_ids(const Assessment& a, const std::vector<T>& v, const std::string& base, const std::string& what,
                Diagnostics& out) {
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].id.empty()) continue;
    auto [it, fresh] = seen.emplace(v[i].id, i);
    if (!fresh) {
      std::string scope = base == "item" ? item_scope(a, i) : "";
      out.push_back(at(a, idx(base, i) + ".id", scope + idx(base, i) + ".id: duplicate " + what + " id '" + v[i].id + "'",
                       {first_defined(a, idx(base, it->second) + ".id")}));
    }
  }
}

template <class T>
std::vector<std::string> ids_of(const std::vector<T>& v) {
  std::vector<std::string> ids;
  for (const auto& x : v)
    if (!x.id.empty()) ids.push_back(x.id);
  return ids;
}

std::vector<std::string> did_you_mean(const std::string& word, const std::vector<std::string>& known, const std::string& what) {
  if (auto near = nearest(word, known); !near.empty()) return {"did you mean '" + near + "'?"};
  if (known.empty()) return {"no " + what + " is defined"};
  return {"the " + what + " ids are: " + join(known)};
}

}  // namespace

std::string item_scope(const Assessment& a, std::size_t index) {
  if (index >= a.items.size() || a.items[index].id.empty()) return "";
  return "item '" + a.items[index].id + "': ";
}

Diagnostic at(const Assessment& a, const std::string& key_path, std::string message, std::vector<std::string> hints) {
  SourcePos pos = a.source_map.find(key_path);
  Diagnostic d;
  d.file = pos.file.empty() ? a.path.string() : pos.file;
  d.line = pos.line;
  d.column = pos.column;
  d.message = std::move(message);
  d.hints = std::move(hints);
  return d;
}

void sort_by_position(Diagnostics& d) {
  std::stable_sort(d.begin(), d.end(), [](const Diagnostic& x, const Diagnostic& y) {
    if (x.file != y.file) return false;
    return std::pair(x.line, x.column) < std::pair(y.line, y.column);
  });
}

void check_structure(const Assessment& a, const std::vector<bool>& item_ok, Diagnostics& out) {
  unique_ids(a, a.competencies, "competency", "competency", out);
  unique_ids(a, a.sections, "section", "section", out);
  unique_ids(a, a.items, "item", "item", out);

  const auto competency_ids = ids_of(a.competencies);
  const auto section_ids = ids_of(a.sections);
  // An id that could not be read is already reported; references to it would only add noise.
  const bool all_competencies = competency_ids.size() == a.competencies.size();
  const bool all_sections = section_ids.size() == a.sections.size();
  // Likewise an item whose section or competency is missing or unknown is already reported; the
  // pool, "has no items" and blueprint checks would count it wrongly and repeat the mistake.
  bool items_placed = true;
  for (const Item& item : a.items) {
    if (item.section.empty() || a.find_section(item.section) == nullptr || item.competency.empty() ||
        a.find_competency(item.competency) == nullptr)
      items_placed = false;
  }
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    const Item& item = a.items[i];
    const std::string p = idx("item", i);
    const std::string scope = item_scope(a, i);
    if (all_sections && !item.section.empty() && a.find_section(item.section) == nullptr)
      out.push_back(at(a, p + ".section", scope + p + ".section: unknown section '" + item.section + "'",
                       did_you_mean(item.section, section_ids, "section")));
    if (all_competencies && !item.competency.empty() && a.find_competency(item.competency) == nullptr)
      out.push_back(at(a, p + ".competency", scope + p + ".competency: unknown competency '" + item.competency + "'",
                       did_you_mean(item.competency, competency_ids, "competency")));
    unique_ids(a, item.criteria, p + ".criteria", "criterion", out);
    // unique_ids scopes only top-level items; criteria messages need the item's scope too.
    for (auto it = out.end(); it != out.begin();) {
      --it;
      if (!it->message.starts_with(p + ".criteria")) break;
      it->message = scope + it->message;
    }
    bool positive = false;
    for (std::size_t j = 0; j < item.criteria.size(); ++j) {
      const CriterionSpec& c = item.criteria[j];
      positive = positive || c.points > 0;
      for (std::size_t k = 0; k < c.levels.size(); ++k) {
        const auto& level = c.levels[k];
        std::int64_t lo = std::min<std::int64_t>(0, c.points), hi = std::max<std::int64_t>(0, c.points);
        if (level.points < lo || level.points > hi) {
          std::string lp = idx(idx(p + ".criteria", j) + ".levels", k) + ".points";
          out.push_back(at(a, lp,
                           scope + lp + ": expected " + std::to_string(lo) + " to " + std::to_string(hi) +
                               " (the criterion's points), found integer " + std::to_string(level.points)));
        }
      }
    }
    // A criterion whose points could not be read counts 0 here; its error is already reported.
    const bool read_ok = i >= item_ok.size() || item_ok[i];
    if (read_ok && !item.criteria.empty() && !positive)
      out.push_back(at(a, p + ".criteria",
                       scope + p + ".criteria: expected at least one criterion with positive points, found none",
                       {"an item must be worth something: give its main criterion points above 0"}));
  }

  check_outline(a, out);
  if (!items_placed) return;

  // Pools and draw counts.
  for (std::size_t s = 0; s < a.sections.size(); ++s) {
    const Section& sec = a.sections[s];
    if (sec.id.empty()) continue;
    auto pool = static_cast<std::int64_t>(
        std::count_if(a.items.begin(), a.items.end(), [&](const Item& it) { return it.section == sec.id; }));
    const std::string p = idx("section", s);
    if (pool == 0) {
      out.push_back(at(a, p, p + ": section '" + sec.id + "' has no items",
                       {"give items section = \"" + sec.id + "\", or remove the section"}));
    } else if (sec.draw > pool) {
      out.push_back(at(a, p + ".draw",
                       p + ".draw: expected at most " + std::to_string(pool) + " (the items in section '" + sec.id +
                           "'), found integer " + std::to_string(sec.draw),
                       {"add items to the section or lower its draw (0 draws all)"}));
    }
  }

  // Every competency has items; the blueprint: a competency with a minimum is on every form.
  for (std::size_t c = 0; c < a.competencies.size(); ++c) {
    const Competency& comp = a.competencies[c];
    if (comp.id.empty()) continue;
    const std::string p = idx("competency", c);
    bool has_items = std::any_of(a.items.begin(), a.items.end(), [&](const Item& it) { return it.competency == comp.id; });
    if (!has_items) {
      out.push_back(at(a, p, p + ": competency '" + comp.id + "' has no items",
                       {"give items competency = \"" + comp.id + "\", or remove the competency"}));
      continue;
    }
    if (!comp.min_percent) continue;
    // A form draws `draw` items from each pool. The competency is certain to appear iff, in some
    // section, the draw exceeds the number of that pool's items of other competencies.
    bool guaranteed = false;
    std::vector<std::string> holding;
    for (const Section& sec : a.sections) {
      std::int64_t pool = 0, other = 0;
      for (const Item& it : a.items) {
        if (it.section != sec.id) continue;
        ++pool;
        if (it.competency != comp.id) ++other;
      }
      if (pool == other) continue;
      std::int64_t draw = sec.draw == 0 ? pool : std::min(sec.draw, pool);
      if (draw > other) guaranteed = true;
      holding.push_back("section '" + sec.id + "' draws " + std::to_string(draw) + " of " + std::to_string(pool) + " items, " +
                        std::to_string(other) + " of them from other competencies");
    }
    if (!guaranteed) {
      std::vector<std::string> hints = holding;
      hints.push_back("draw more items than a section holds of other competencies, so every form has one of '" + comp.id + "'");
      out.push_back(at(a, p + ".min_percent",
                       p + ".min_percent: competency '" + comp.id + "' has a minimum but some forms have none of its items",
                       hints));
    }
  }
}

void check_plugins(const Assessment& a, const std::vector<bool>& item_ok, const std::vector<bool>& params_ok,
                   const plugins::Registry& registry, Diagnostics& out, LoadedAssessment* keep) {
  std::vector<std::string> plugin_names;
  for (const auto& p : registry.plugins()) plugin_names.push_back(p->name());
  std::set<std::string> unlisted_reported;

  for (const auto& req : a.requirements) {
    std::string kp = "assessment.requires." + req.plugin;
    const plugins::Plugin* plugin = registry.find(req.plugin);
    if (plugin == nullptr) {
      std::vector<std::string> hints = did_you_mean(req.plugin, plugin_names, "loaded plugin");
      hints.push_back("install the plugin, or pass --plugin-dir DIR where it is");
      out.push_back(at(a, kp, kp + ": plugin '" + req.plugin + "' is not loaded", hints));
      continue;
    }
    auto range = VersionRange::parse(req.range);
    if (range && !range->satisfied_by(plugin->version()))
      out.push_back(at(a, kp,
                       kp + ": expected a version of plugin '" + req.plugin + "' matching \"" + req.range + "\", found \"" +
                           plugin->version() + "\" (" + plugin->path().string() + ")",
                       {"install a matching version of the plugin, or change the range"}));
  }

  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (i < params_ok.size() && !params_ok[i]) continue;
    // The item's other mistakes are reported already; its criteria checks would only repeat them.
    const bool read_ok = i >= item_ok.size() || item_ok[i];
    const Item& item = a.items[i];
    const std::string p = idx("item", i);
    const std::string scope = item_scope(a, i);
    auto slash = item.type.find('/');
    if (slash == std::string::npos) continue;
    std::string plugin_name = item.type.substr(0, slash);
    const plugins::Plugin* plugin = registry.find(plugin_name);
    if (plugin == nullptr) {
      std::vector<std::string> hints = did_you_mean(plugin_name, plugin_names, "loaded plugin");
      if (plugin_names.empty()) hints = {"no plugins are loaded: pass --plugin-dir DIR, or set ASSAY_PLUGIN_PATH"};
      out.push_back(at(a, p + ".type", scope + p + ".type: unknown plugin '" + plugin_name + "'", hints));
      continue;
    }
    const plugins::ItemType* type = registry.find_type(item.type);
    if (type == nullptr) {
      std::vector<std::string> names;
      for (const auto& t : plugin->item_types()) names.push_back(t->qualified_name());
      out.push_back(at(a, p + ".type", scope + p + ".type: unknown item type '" + item.type + "'",
                       did_you_mean(item.type, names, "item type")));
      continue;
    }
    bool listed =
        std::any_of(a.requirements.begin(), a.requirements.end(), [&](const Requirement& r) { return r.plugin == plugin_name; });
    if (!listed && unlisted_reported.insert(plugin_name).second) {
      std::string major = plugin->version().substr(0, plugin->version().find('.'));
      out.push_back(at(a, p + ".type", scope + p + ".type: plugin '" + plugin_name + "' is not listed in [assessment] requires",
                       {"add requires = { " + plugin_name + " = \"^" + major + ".0\" } to [assessment]"}));
    }

    // Criteria: exactly the declared ones, each with points; rated ones with rubric levels.
    std::vector<std::string> declared;
    for (const auto& c : type->criteria()) declared.push_back(c.id);
    std::vector<std::size_t> slots;
    bool criteria_ok = true;
    for (std::size_t j = 0; read_ok && j < item.criteria.size(); ++j) {
      const CriterionSpec& c = item.criteria[j];
      const std::string cp = idx(p + ".criteria", j);
      auto it = std::find(declared.begin(), declared.end(), c.id);
      if (it == declared.end()) {
        std::vector<std::string> hints;
        if (auto near = nearest(c.id, declared); !near.empty()) hints.push_back("did you mean '" + near + "'?");
        hints.push_back("'" + item.type + "' scores: " + join(declared));
        out.push_back(at(a, cp + ".id", scope + cp + ".id: unknown criterion '" + c.id + "' for '" + item.type + "'", hints));
        criteria_ok = false;
        continue;
      }
      auto slot = static_cast<std::size_t>(it - declared.begin());
      slots.push_back(slot);
      bool rated = type->criteria()[slot].rated;
      if (rated && c.levels.empty()) {
        out.push_back(at(a, cp,
                         scope + cp + ": criterion '" + c.id + "' is rated by a person: expected rubric levels, found none",
                         {"add [[item.criteria.levels]] tables with name, points and descriptor"}));
        criteria_ok = false;
      } else if (!rated && !c.levels.empty()) {
        out.push_back(at(a, cp + ".levels",
                         scope + cp + ".levels: criterion '" + c.id + "' is scored by the plugin: expected no levels",
                         {"rubric levels apply only to criteria a person rates"}));
        criteria_ok = false;
      }
    }
    // A declared criterion the item does not list scores nothing on this item: a type with
    // several modes (rate a description, or score a given vector) is scored on the criteria
    // that apply. Listing none is still an error (an item must be worth something).
    // Every params mistake the schema shows, each at its key; prepare runs only on params the
    // schema accepts, and would only repeat the first of them.
    nlohmann::json params = nlohmann::json::parse(item.params_json);
    auto violations = validate_json(type->params_schema(), params);
    for (const auto& v : violations) {
      std::string kp = pointer_to_key_path(p + ".params", v.pointer, params);
      std::vector<std::string> hints;
      if (!v.hint.empty()) hints.push_back(v.hint);
      out.push_back(at(a, kp, scope + kp + ": " + v.message, std::move(hints)));
    }
    if (!violations.empty()) continue;
    auto prepared = type->prepare(item.params_json);
    if (!prepared) {
      const auto& err = prepared.error();
      std::string kp = pointer_to_key_path(p + ".params", err.pointer, params);
      out.push_back(at(a, kp, scope + kp + ": " + err.message));
      continue;
    }
    if (keep != nullptr && criteria_ok && read_ok) {
      if (!item.figures.empty()) prepared.value().add_material(figure_material(item));
      keep->prepared.push_back(std::move(prepared.value()));
      keep->slots.push_back(std::move(slots));
    }
  }
}

void check_critical_safety(const Assessment& a, const std::vector<bool>& item_ok, const plugins::Registry& registry,
                           Diagnostics& out) {
  // Critical criteria fail a screening; a practice attempt only reports them.
  if (a.kind != Kind::kScreening) return;
  auto warn = [&](const std::string& key_path, std::string message, std::vector<std::string> hints) {
    Diagnostic d = at(a, key_path, std::move(message), std::move(hints));
    d.severity = Severity::kWarning;
    out.push_back(std::move(d));
  };
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (i < item_ok.size() && !item_ok[i]) continue;
    const Item& item = a.items[i];
    const plugins::ItemType* type = registry.find_type(item.type);
    if (type == nullptr) continue;  // check_plugins reports it
    const std::string p = idx("item", i);
    const std::string scope = item_scope(a, i);
    auto is_safety = [&](const std::string& id) {
      for (const auto& c : type->criteria())
        if (c.id == id) return c.safety;
      return true;  // an unknown criterion is check_plugins' error, not this warning
    };
    std::vector<std::string> safety;
    for (const auto& c : type->criteria())
      if (c.safety) safety.push_back(c.id);
    std::string offer = safety.empty() ? "'" + item.type + "' declares no safety criterion: mark none of its criteria critical"
                                       : "mark critical only a safety criterion of '" + item.type + "': " + join(safety);
    if (item.critical) {
      std::vector<std::string> mixed;
      for (const auto& c : item.criteria)
        if (c.points > 0 && !is_safety(c.id)) mixed.push_back(c.id);
      if (!mixed.empty())
        warn(p + ".critical",
             scope + p + ".critical: the whole item is critical, but " +
                 (mixed.size() == 1 ? "criterion " + join(mixed) + " is not a safety criterion"
                                    : "criteria " + join(mixed) + " are not safety criteria") +
                 ": an over-cautious answer can fail the screening",
             {offer});
    }
    for (std::size_t j = 0; j < item.criteria.size(); ++j) {
      const CriterionSpec& c = item.criteria[j];
      if (!c.critical || is_safety(c.id)) continue;
      const std::string cp = idx(p + ".criteria", j);
      warn(cp + ".critical",
           scope + cp + ".critical: criterion '" + c.id +
               "' is not a safety criterion: an over-cautious answer loses it, and fails the screening",
           {offer});
    }
  }
}

}  // namespace assay::model::detail
