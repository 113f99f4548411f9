// TOML -> Assessment. Every error of the file is collected; nothing stops at the first.
#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/sha256.hpp"
#include "assay/utf8.hpp"
#include "detail.hpp"
#include "toml_text.hpp"

namespace assay::model {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using namespace toml_text;

// Far above any real message or picture; small enough that an assessment stays a file to mail.
constexpr std::uintmax_t kMaxIncludedBytes = 16u << 20;
constexpr std::uintmax_t kMaxFigureBytes = 2u << 20;

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

class Loader {
 public:
  Loader(const fs::path& path, detail::LoadState& st) : path_(path), st_(st), a_(st.assessment) {
    file_ = path.string();
    a_.path = path;
  }

  void run() {
    std::string bytes;
    {
      std::ifstream in(path_, std::ios::binary);
      if (!in) {
        st_.unreadable = true;
        st_.diagnostics.push_back(
            error_at(file_, "cannot read the file: " + std::string(std::strerror(errno)), {"check the path and permissions"}));
        return;
      }
      std::ostringstream ss;
      ss << in.rdbuf();
      bytes = ss.str();
    }
    // The engine's one UTF-8 check, before toml++'s own: one message for every reader of outside text.
    if (auto bad = find_utf8_error(bytes)) {
      Diagnostic d;
      d.file = file_;
      d.line = static_cast<int>(bad->line);
      d.column = static_cast<int>(bad->column);
      d.message = "expected UTF-8 text, found " + bad->bytes();
      d.hints.push_back("save the file as UTF-8");
      st_.diagnostics.push_back(std::move(d));
      return;
    }
    toml::table root;
    try {
      root = toml::parse(bytes, file_);
    } catch (const toml::parse_error& e) {
      Diagnostic d;
      d.file = file_;
      d.line = static_cast<int>(e.source().begin.line);
      d.column = static_cast<int>(e.source().begin.column);
      describe_parse_error(bytes, std::string(e.description()), d);
      st_.diagnostics.push_back(std::move(d));
      return;
    }
    read_root(root);
    util::Sha256 h;
    h.update(bytes);
    for (const auto& content : included_) {
      std::uint8_t len[8];
      auto n = static_cast<std::uint64_t>(content.size());
      for (int i = 0; i < 8; ++i) len[i] = static_cast<std::uint8_t>(n >> (56 - 8 * i));
      h.update(len, 8);
      h.update(content);
    }
    a_.sha256 = h.hex();
  }

 private:
  // ---- diagnostics ---------------------------------------------------------------------------
  void error(const toml::source_region& where, const std::string& path, std::string what, std::vector<std::string> hints = {}) {
    Diagnostic d;
    d.file = file_;
    d.line = static_cast<int>(where.begin.line);
    d.column = static_cast<int>(where.begin.column);
    d.message = scope_ + (path.empty() ? "" : path + ": ") + what;
    d.hints = std::move(hints);
    st_.diagnostics.push_back(std::move(d));
    ++errors_;
  }

  void mark(const std::string& path, const toml::source_region& where) {
    a_.source_map.add(path, SourcePos{file_, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column)});
  }

  void wrong_type(const toml::node& n, const std::string& path, const std::string& expected, const std::string& hint = {}) {
    std::vector<std::string> hints;
    if (!hint.empty()) hints.push_back(hint);
    error(n.source(), path, "expected " + expected + ", found " + describe(n), hints);
  }

  void missing(const toml::table& t, const std::string& table_path, std::string_view key, const std::string& expected) {
    error(t.source(), key_join(table_path, key), "expected " + expected + ", found nothing",
          {"add " + std::string(key) + " = ... to " + (table_path.empty() ? "the top of the file" : table_path)});
  }

  /// Unknown keys, each with the nearest known one.
  void check_keys(const toml::table& t, const std::string& path, const std::vector<std::string>& known) {
    for (auto&& [k, v] : t) {
      std::string key(k.str());
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::vector<std::string> hints;
      if (auto near = nearest(key, known); !near.empty()) {
        hints.push_back("did you mean '" + near + "'?");
      } else {
        std::string list;
        for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
        hints.push_back("the keys here are: " + list);
      }
      error(k.source(), key_join(path, key), "unknown key '" + key + "'", hints);
    }
  }

  // ---- typed reads ---------------------------------------------------------------------------
  const toml::node* get(const toml::table& t, const std::string& path, std::string_view key, bool required,
                        const std::string& expected) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required) missing(t, path, key, expected);
      return nullptr;
    }
    mark(key_join(path, key), n->source());
    return n;
  }

  bool read_string(const toml::table& t, const std::string& path, std::string_view key, bool required, std::string& out) {
    const toml::node* n = get(t, path, key, required, "a string");
    if (n == nullptr) return !required;
    if (!n->is_string()) {
      wrong_type(*n, key_join(path, key), "a string", n->is_number() ? "put the value in quotes" : "");
      return false;
    }
    out = *n->value<std::string>();
    return true;
  }

  bool read_id(const toml::table& t, const std::string& path, std::string_view key, std::string& out) {
    const toml::node* n = get(t, path, key, true, "an id");
    if (n == nullptr) return false;
    if (!n->is_string() || !valid_id(*n->value<std::string>())) {
      std::string hint = "write the id in quotes";
      if (n->is_string()) {
        // Suggest the id with each other character replaced by '-': "ohms law" -> "ohms-law".
        std::string fixed = *n->value<std::string>();
        for (char& c : fixed)
          if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '-';
        hint = fixed.empty() ? "give a non-empty id" : "for example " + quote(fixed);
      }
      wrong_type(*n, key_join(path, key), "an id (letters, digits, '-', '_' or '.')", hint);
      return false;
    }
    out = *n->value<std::string>();
    return true;
  }

  bool read_int(const toml::table& t, const std::string& path, std::string_view key, bool required, std::int64_t& out) {
    const toml::node* n = get(t, path, key, required, "an integer");
    if (n == nullptr) return !required;
    if (!n->is_integer()) {
      std::string hint;
      if (n->is_string() && Decimal::parse(*n->value<std::string>())) hint = "write the number without quotes";
      if (n->is_floating_point()) hint = "points are whole numbers";
      wrong_type(*n, key_join(path, key), "an integer", hint);
      return false;
    }
    out = *n->value<std::int64_t>();
    return true;
  }

  bool read_bool(const toml::table& t, const std::string& path, std::string_view key, bool& out) {
    const toml::node* n = get(t, path, key, false, "a boolean");
    if (n == nullptr) return true;
    if (!n->is_boolean()) {
      wrong_type(*n, key_join(path, key), "true or false", n->is_string() ? "write true or false without quotes" : "");
      return false;
    }
    out = *n->value<bool>();
    return true;
  }

  /// A number as an exact decimal: integers exactly, floats through their shortest round-trip text.
  bool read_decimal(const toml::table& t, const std::string& path, std::string_view key, bool required,
                    std::optional<Decimal>& out, const std::string& expected) {
    const toml::node* n = get(t, path, key, required, expected);
    if (n == nullptr) return !required;
    std::optional<Decimal> d;
    if (n->is_integer()) d = Decimal(*n->value<std::int64_t>());
    if (n->is_floating_point() && std::isfinite(*n->value<double>())) d = Decimal::parse(shortest(*n->value<double>()));
    if (!d) {
      std::string hint;
      if (n->is_string() && Decimal::parse(*n->value<std::string>())) hint = "write the number without quotes";
      wrong_type(*n, key_join(path, key), expected, hint);
      return false;
    }
    out = d;
    return true;
  }

  bool read_percent(const toml::table& t, const std::string& path, std::string_view key, bool required,
                    std::optional<Decimal>& out) {
    const std::string expected = "a percentage from 0 to 100";
    std::optional<Decimal> d;
    if (!read_decimal(t, path, key, required, d, expected)) return false;
    if (d && (*d < Decimal(0) || *d > Decimal(100))) {
      error(t.get(key)->source(), key_join(path, key), "expected " + expected + ", found " + d->to_string());
      return false;
    }
    out = d;
    return true;
  }

  const toml::array* read_tables(const toml::table& t, const std::string& path, std::string_view key, bool required,
                                 const std::string& header) {
    const toml::node* n = get(t, path, key, required, "an array of tables ([[" + header + "]])");
    if (n == nullptr) return nullptr;
    const toml::array* arr = n->as_array();
    if (arr == nullptr || !arr->is_array_of_tables() || arr->empty()) {
      wrong_type(*n, key_join(path, key), "an array of tables ([[" + header + "]])");
      return nullptr;
    }
    return arr;
  }

  // ---- sections of the file -------------------------------------------------------------------
  void read_root(const toml::table& root) {
    a_.source_map.add("", SourcePos{file_, 1, 1});
    check_keys(root, "", {"schema", "assessment", "outcome", "competency", "outline", "section", "item"});
    std::int64_t schema = 0;
    if (read_int(root, "", "schema", true, schema)) {
      if (schema != 1) {
        error(root.get("schema")->source(), "schema",
              "expected 1 (the schema this assay reads), found integer " + std::to_string(schema));
      }
      a_.schema = schema;
    }
    if (const toml::node* n = get(root, "", "assessment", true, "a table ([assessment])")) {
      if (n->is_table())
        read_assessment(*n->as_table());
      else
        wrong_type(*n, "assessment", "a table ([assessment])");
    }
    if (const toml::node* n = get(root, "", "outcome", true, "a table ([outcome])")) {
      if (n->is_table())
        read_outcome(*n->as_table());
      else
        wrong_type(*n, "outcome", "a table ([outcome])");
    }
    if (const toml::array* arr = read_tables(root, "", "competency", true, "competency")) {
      for (std::size_t i = 0; i < arr->size(); ++i) read_competency(*(*arr)[i].as_table(), index_join("competency", i));
    }
    if (const toml::array* arr = read_tables(root, "", "outline", false, "outline")) {
      for (std::size_t i = 0; i < arr->size(); ++i) read_outline(*(*arr)[i].as_table(), index_join("outline", i));
    }
    if (const toml::array* arr = read_tables(root, "", "section", true, "section")) {
      for (std::size_t i = 0; i < arr->size(); ++i) read_section(*(*arr)[i].as_table(), index_join("section", i));
    }
    if (const toml::array* arr = read_tables(root, "", "item", true, "item")) {
      for (std::size_t i = 0; i < arr->size(); ++i) read_item(*(*arr)[i].as_table(), i);
    }
  }

  void read_assessment(const toml::table& t) {
    const std::string p = "assessment";
    mark(p, t.source());
    check_keys(t, p, {"id", "title", "version", "kind", "roles", "time_limit", "description", "requires"});
    read_id(t, p, "id", a_.id);
    read_string(t, p, "title", true, a_.title);
    read_string(t, p, "version", true, a_.version);
    std::string kind;
    if (read_string(t, p, "kind", true, kind) && !kind.empty()) {
      if (kind == "screening")
        a_.kind = Kind::kScreening;
      else if (kind == "practice")
        a_.kind = Kind::kPractice;
      else {
        std::vector<std::string> hints;
        if (auto near = nearest(kind, {"screening", "practice"}); !near.empty()) hints.push_back("did you mean '" + near + "'?");
        wrong_type(*t.get("kind"), p + ".kind", "\"screening\" or \"practice\"", hints.empty() ? "" : hints[0]);
      }
    }
    if (const toml::node* n = get(t, p, "roles", false, "an array of strings")) {
      const toml::array* arr = n->as_array();
      if (arr == nullptr) {
        wrong_type(*n, p + ".roles", "an array of strings");
      } else {
        for (std::size_t i = 0; i < arr->size(); ++i) {
          const toml::node& r = (*arr)[i];
          if (r.is_string())
            a_.roles.push_back(*r.value<std::string>());
          else
            wrong_type(r, index_join(p + ".roles", i), "a string");
        }
      }
    }
    if (const toml::node* n = get(t, p, "time_limit", false, "a duration")) {
      std::int64_t s = n->is_string() ? parse_duration(*n->value<std::string>()) : -1;
      if (s <= 0)
        wrong_type(*n, p + ".time_limit", "a duration like \"40m\", \"1h30m\" or \"90s\"");
      else
        a_.time_limit_seconds = s;
    }
    read_string(t, p, "description", false, a_.description);
    if (const toml::node* n = get(t, p, "requires", false, "a table of plugin = \"version range\"")) {
      if (!n->is_table()) {
        wrong_type(*n, p + ".requires", "a table of plugin = \"version range\"", "write requires = { core-items = \">=1.0\" }");
      } else {
        for (auto&& [k, v] : *n->as_table()) {
          std::string kp = key_join(p + ".requires", k.str());
          mark(kp, v.source());
          if (!v.is_string()) {
            wrong_type(v, kp, "a version range like \">=1.0\"");
            continue;
          }
          // Recorded even when the range is wrong, so its items are not also reported as
          // needing a plugin the file does not list; the version check skips a range it cannot read.
          auto range = VersionRange::parse(*v.value<std::string>());
          if (!range) error(v.source(), kp, range.error(), {"see \"Plugin versions\" in docs/authoring.md"});
          a_.requirements.push_back({std::string(k.str()), *v.value<std::string>()});
        }
      }
    }
  }

  void read_outcome(const toml::table& t) {
    const std::string p = "outcome";
    mark(p, t.source());
    check_keys(t, p, {"pass_percent", "levels", "allow_negative"});
    std::optional<Decimal> pass;
    if (read_percent(t, p, "pass_percent", true, pass) && pass) a_.outcome.pass_percent = *pass;
    read_bool(t, p, "allow_negative", a_.outcome.allow_negative);
    if (const toml::node* n = get(t, p, "levels", false, "an array of tables")) {
      const toml::array* arr = n->as_array();
      if (arr == nullptr || !arr->is_array_of_tables()) {
        wrong_type(*n, p + ".levels", "an array of tables",
                   "write levels = [ { name = \"Proficient\", min_percent = 85 }, ... ]");
        return;
      }
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const toml::table& lt = *(*arr)[i].as_table();
        std::string lp = index_join(p + ".levels", i);
        mark(lp, lt.source());
        check_keys(lt, lp, {"name", "min_percent"});
        PerformanceLevel level;
        read_string(lt, lp, "name", true, level.name);
        std::optional<Decimal> min;
        if (read_percent(lt, lp, "min_percent", true, min) && min) {
          level.min_percent = *min;
          if (!a_.outcome.levels.empty() && !(*min < a_.outcome.levels.back().min_percent)) {
            error(lt.get("min_percent")->source(), lp + ".min_percent",
                  "expected less than " + a_.outcome.levels.back().min_percent.to_string() +
                      " (levels run from the highest to the lowest), found " + min->to_string());
          }
        }
        a_.outcome.levels.push_back(std::move(level));
      }
    }
  }

  void read_competency(const toml::table& t, const std::string& p) {
    mark(p, t.source());
    check_keys(t, p, {"id", "title", "framework", "min_percent"});
    Competency c;
    read_id(t, p, "id", c.id);
    read_string(t, p, "title", true, c.title);
    read_string(t, p, "framework", false, c.framework);
    read_percent(t, p, "min_percent", false, c.min_percent);
    a_.competencies.push_back(std::move(c));
  }

  void read_outline(const toml::table& t, const std::string& p) {
    mark(p, t.source());
    check_keys(t, p, {"id", "title", "weight", "tolerance", "source"});
    OutlineArea area;
    read_id(t, p, "id", area.id);
    read_string(t, p, "title", true, area.title);
    std::optional<Decimal> weight, tolerance;
    if (read_percent(t, p, "weight", true, weight) && weight) area.weight = *weight;
    if (read_percent(t, p, "tolerance", true, tolerance) && tolerance) area.tolerance = *tolerance;
    read_string(t, p, "source", true, area.source);
    a_.outline.push_back(std::move(area));
  }

  void read_section(const toml::table& t, const std::string& p) {
    mark(p, t.source());
    check_keys(t, p, {"id", "title", "draw", "shuffle", "area"});
    Section s;
    read_id(t, p, "id", s.id);
    read_string(t, p, "title", true, s.title);
    if (read_int(t, p, "draw", false, s.draw) && s.draw < 0) {
      error(t.get("draw")->source(), p + ".draw", "expected a count of items (0 = all), found integer " + std::to_string(s.draw));
      s.draw = 0;
    }
    read_bool(t, p, "shuffle", s.shuffle);
    if (t.get("area") != nullptr) read_id(t, p, "area", s.area);
    a_.sections.push_back(std::move(s));
  }

  void read_item(const toml::table& t, std::size_t index) {
    const std::string p = index_join("item", index);
    mark(p, t.source());
    Item item;
    std::size_t before = errors_;
    scope_.clear();
    if (const toml::node* id = t.get("id"); id != nullptr && id->is_string())
      scope_ = "item '" + *id->value<std::string>() + "': ";
    check_keys(t, p,
               {"id", "title", "section", "competency", "area", "type", "criteria", "critical", "weight", "source", "explanation",
                "figure", "params"});
    read_id(t, p, "id", item.id);
    read_string(t, p, "title", false, item.title);
    read_id(t, p, "section", item.section);
    read_id(t, p, "competency", item.competency);
    if (t.get("area") != nullptr) read_id(t, p, "area", item.area);
    const std::size_t before_type = errors_;
    if (read_string(t, p, "type", true, item.type) && !item.type.empty()) {
      auto slash = item.type.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == item.type.size() ||
          item.type.find('/', slash + 1) != std::string::npos) {
        wrong_type(*t.get("type"), p + ".type", "\"plugin/type\"", "for example type = \"core-items/single-choice\"");
      }
    }
    const bool type_ok = errors_ == before_type;
    read_bool(t, p, "critical", item.critical);
    std::optional<Decimal> weight;
    if (read_decimal(t, p, "weight", false, weight, "a positive number") && weight) {
      if (weight->sign() <= 0)
        error(t.get("weight")->source(), p + ".weight", "expected a positive number, found " + weight->to_string());
      else
        item.weight = *weight;
    }
    read_string(t, p, "source", false, item.source);
    read_string(t, p, "explanation", false, item.explanation);
    // Included files are read in key order within an item (docs/authoring.md, digest): figure, params.
    read_figures(t, p, item);
    if (const toml::array* arr = read_tables(t, p, "criteria", true, "item.criteria")) {
      for (std::size_t i = 0; i < arr->size(); ++i)
        item.criteria.push_back(read_criterion(*(*arr)[i].as_table(), index_join(p + ".criteria", i)));
    }
    json params = json::object();
    const std::size_t before_params = errors_;
    if (const toml::node* n = get(t, p, "params", false, "a table")) {
      if (!n->is_table())
        wrong_type(*n, p + ".params", "a table ([item.params])");
      else
        params = convert(*n, p + ".params");
    }
    item.params_json = params.dump();
    scope_.clear();
    a_.items.push_back(std::move(item));
    st_.item_ok.push_back(errors_ == before);
    st_.params_ok.push_back(type_ok && errors_ == before_params);
  }

  CriterionSpec read_criterion(const toml::table& t, const std::string& p) {
    mark(p, t.source());
    check_keys(t, p, {"id", "points", "critical", "levels"});
    CriterionSpec c;
    read_id(t, p, "id", c.id);
    read_int(t, p, "points", true, c.points);
    read_bool(t, p, "critical", c.critical);
    if (const toml::node* n = get(t, p, "levels", false, "an array of tables")) {
      const toml::array* arr = n->as_array();
      if (arr == nullptr || !arr->is_array_of_tables()) {
        wrong_type(*n, p + ".levels", "an array of tables ([[item.criteria.levels]])");
        return c;
      }
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const toml::table& lt = *(*arr)[i].as_table();
        std::string lp = index_join(p + ".levels", i);
        mark(lp, lt.source());
        check_keys(lt, lp, {"name", "points", "descriptor"});
        RubricLevel level;
        read_string(lt, lp, "name", true, level.name);
        read_int(lt, lp, "points", true, level.points);
        read_string(lt, lp, "descriptor", false, level.descriptor);
        c.levels.push_back(std::move(level));
      }
    }
    return c;
  }

  // ---- params -> JSON ------------------------------------------------------------------------
  json convert(const toml::node& n, const std::string& path) {
    mark(path, n.source());
    switch (n.type()) {
      case toml::node_type::string:
        return *n.value<std::string>();
      case toml::node_type::integer:
        return *n.value<std::int64_t>();
      case toml::node_type::boolean:
        return *n.value<bool>();
      case toml::node_type::floating_point: {
        double d = *n.value<double>();
        if (!std::isfinite(d)) {
          wrong_type(n, path, "a finite number");
          return nullptr;
        }
        return shortest(d);
      }
      case toml::node_type::date:
        return format_date(*n.value<toml::date>());
      case toml::node_type::time:
        return format_time(*n.value<toml::time>());
      case toml::node_type::date_time:
        return format_date_time(*n.value<toml::date_time>());
      case toml::node_type::array: {
        json out = json::array();
        const toml::array& arr = *n.as_array();
        for (std::size_t i = 0; i < arr.size(); ++i) out.push_back(convert(arr[i], index_join(path, i)));
        return out;
      }
      case toml::node_type::table: {
        const toml::table& t = *n.as_table();
        if (t.size() == 1 && t.get("file") != nullptr && t.get("file")->is_string()) return include(*t.get("file"), path);
        json out = json::object();
        for (auto&& [k, v] : t) out[std::string(k.str())] = convert(v, key_join(path, k.str()));
        return out;
      }
      default:
        return nullptr;
    }
  }

  /// `{ file = "msg.hl7" }`: the file's content, read relative to the TOML file, inside its tree.
  json include(const toml::node& file_node, const std::string& path) {
    std::string kp = path + ".file";
    mark(kp, file_node.source());
    auto content = read_beside(file_node, kp);
    if (!content) return nullptr;
    if (!valid_utf8(*content)) {
      error(file_node.source(), kp,
            "expected UTF-8 text in file " + quote(*file_node.value<std::string>()) + ", found other bytes");
      return nullptr;
    }
    included_.push_back(*content);
    return *content;
  }

  /// The bytes of a file named relative to the TOML file, inside its folder, at most `limit` of
  /// them; recorded as included (the digest covers it) by the caller.
  std::optional<std::string> read_beside(const toml::node& file_node, const std::string& kp,
                                         std::uintmax_t limit = kMaxIncludedBytes) {
    std::string name = *file_node.value<std::string>();
    fs::path dir = path_.parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    fs::path root = fs::weakly_canonical(dir, ec);
    fs::path target = fs::weakly_canonical(dir / name, ec);
    auto rel = target.lexically_relative(root);
    if (name.empty() || fs::path(name).is_absolute() || rel.empty() || *rel.begin() == "..") {
      error(file_node.source(), kp, "expected a file in the assessment's folder or below it, found " + quote(name),
            {"the path is relative to the folder of the TOML file: move the file there"});
      return std::nullopt;
    }
    std::ifstream in(target, std::ios::binary);
    if (!in || fs::is_directory(target, ec)) {
      error(file_node.source(), kp, "cannot read file " + quote(name) + ": " + std::strerror(errno ? errno : ENOENT),
            {"the path is relative to the folder of the TOML file"});
      return std::nullopt;
    }
    if (auto size = fs::file_size(target, ec); !ec && size > limit) {
      error(file_node.source(), kp,
            "file " + quote(name) + " is " + std::to_string(size) + " bytes, more than the " + std::to_string(limit) +
                " a file of an assessment may have",
            {"make it smaller"});
      return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    a_.included_files.push_back(target);
    return ss.str();
  }

  /// `[[item.figure]]`: a picture beside the TOML, with the text that says what it shows.
  void read_figures(const toml::table& t, const std::string& p, Item& item) {
    const toml::array* arr = read_tables(t, p, "figure", false, "item.figure");
    if (arr == nullptr) return;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const toml::table& f = *(*arr)[i].as_table();
      const std::string fp = index_join(p + ".figure", i);
      mark(fp, f.source());
      check_keys(f, fp, {"file", "alt", "caption"});
      Figure fig;
      if (read_string(f, fp, "alt", true, fig.alt) && blank(fig.alt))
        error(f.get("alt")->source(), fp + ".alt", "expected a text saying what the picture shows, found an empty one",
              {"a candidate who cannot see the picture reads this instead"});
      read_string(f, fp, "caption", false, fig.caption);
      if (!read_string(f, fp, "file", true, fig.file)) continue;
      auto bytes = read_beside(*f.get("file"), fp + ".file", kMaxFigureBytes);
      if (!bytes) continue;
      fig.media_type = media_type_of_picture(*bytes);
      if (fig.media_type.empty()) {
        error(f.get("file")->source(), fp + ".file",
              "expected a PNG, JPEG, GIF or WebP picture in file " + quote(fig.file) + ", found other bytes",
              {"save the picture as PNG or JPEG (SVG is not accepted: it can carry scripts)"});
        continue;
      }
      included_.push_back(*bytes);
      fig.bytes = std::move(*bytes);
      item.figures.push_back(std::move(fig));
    }
  }

  fs::path path_;
  std::string file_;
  detail::LoadState& st_;
  Assessment& a_;
  std::string scope_;
  std::size_t errors_ = 0;
  std::vector<std::string> included_;
};

}  // namespace

namespace detail {

LoadState load(const fs::path& path) {
  LoadState st;
  Loader(path, st).run();
  return st;
}

}  // namespace detail

}  // namespace assay::model
