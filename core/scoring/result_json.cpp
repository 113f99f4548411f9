#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>

#include "assay/delivery.hpp"
#include "assay/results.hpp"

namespace assay::scoring {

using json = nlohmann::json;

const char* to_string(ItemStatus status) {
  switch (status) {
    case ItemStatus::kScored:
      return "scored";
    case ItemStatus::kUnanswered:
      return "unanswered";
    case ItemStatus::kInvalid:
      return "invalid";
    case ItemStatus::kExcluded:
      return "excluded";
    case ItemStatus::kFailed:
      return "failed";
  }
  return "scored";
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kPending:
      return "pending";
  }
  return "pending";
}

namespace {

json reason_json(const Reason& r, bool with_criterion) {
  json j = {{"code", r.code}, {"text", r.text}};
  if (!r.item.empty()) j["item"] = r.item;
  if (with_criterion && !r.criterion.empty()) j["criterion"] = r.criterion;
  if (!r.competency.empty()) j["competency"] = r.competency;
  return j;
}

json total_json(const Total& t) {
  json j = {{"id", t.id},
            {"title", t.title},
            {"points", t.points.to_string()},
            {"max", t.max.to_string()},
            {"percent", t.percent.to_string()},
            {"percent_display", t.percent.to_decimal(1)}};
  if (t.min_percent) j["min_percent"] = t.min_percent->to_string();
  return j;
}

json reasons_json(const std::vector<Reason>& rs, bool with_criterion) {
  json a = json::array();
  for (const auto& r : rs) a.push_back(reason_json(r, with_criterion));
  return a;
}

json build(const ScoreResult& r, bool full) {
  json j = json::object();
  j["result"] = 1;
  j["view"] = full ? "full" : "candidate";
  j["attempt_id"] = r.attempt_id;
  j["candidate_id"] = r.candidate_id;
  j["assessment"] = {
      {"id", r.assessment_id}, {"version", r.assessment_version}, {"sha256", r.assessment_sha256}, {"title", r.assessment_title}};
  j["mode"] = r.mode;
  if (full) j["plugins"] = r.plugins;
  j["outcome"] = to_string(r.outcome);
  j["level"] = r.level.empty() ? json(nullptr) : json(r.level);
  j["points"] = r.points.to_string();
  j["max"] = r.max.to_string();
  j["percent"] = r.percent.to_string();
  j["percent_display"] = r.percent.to_decimal(1);
  j["pass_percent"] = r.pass_percent.to_string();
  j["reasons"] = reasons_json(r.reasons, full);
  j["pending"] = reasons_json(r.pending, full);
  j["problems"] = reasons_json(r.problems, full);
  json excluded = json::array();
  for (const auto& e : r.excluded) excluded.push_back({{"item", e.item}, {"reason", e.reason}});
  j["excluded"] = std::move(excluded);
  json sections = json::array();
  for (const auto& t : r.sections) sections.push_back(total_json(t));
  j["sections"] = std::move(sections);
  json competencies = json::array();
  for (const auto& t : r.competencies) competencies.push_back(total_json(t));
  j["competencies"] = std::move(competencies);
  json items = json::array();
  for (const auto& it : r.items) {
    json i = {{"id", it.id},
              {"section", it.section},
              {"competency", it.competency},
              {"type", it.type},
              {"seed", std::to_string(it.seed)},
              {"status", to_string(it.status)},
              {"critical", it.critical},
              {"weight", it.weight.to_string()},
              {"points", it.points.to_string()},
              {"max", it.max.to_string()},
              {"pending", it.pending}};
    if (it.status == ItemStatus::kExcluded) i["exclusion"] = it.exclusion;
    if (full) {
      json cs = json::array();
      for (const auto& c : it.criteria) {
        json cj = {{"id", c.id},
                   {"points", c.points},
                   {"critical", c.critical},
                   {"rated", c.rated},
                   {"credit", c.credit ? json(c.credit->to_string()) : json(nullptr)},
                   {"earned", c.earned.to_string()}};
        if (!c.level.empty()) cj["level"] = c.level;
        cs.push_back(std::move(cj));
      }
      i["criteria"] = std::move(cs);
      if (!it.response.empty()) {
        // A response that is not JSON cannot reach scoring (attempts are JSON), but stay safe.
        json parsed = json::parse(it.response, nullptr, false);
        i["response"] = parsed.is_discarded() ? json(it.response) : parsed;
      }
      if (!it.feedback.empty()) i["feedback"] = it.feedback;
      if (!it.title.empty()) i["title"] = it.title;
    }
    items.push_back(std::move(i));
  }
  j["items"] = std::move(items);
  return j;
}

struct Reader {
  std::vector<std::string> errors;

  template <class T>
  T get(const json& obj, const std::string& path, const char* key, T fallback = T{}) {
    auto it = obj.find(key);
    std::string where = path.empty() ? key : path + "." + key;
    if (it == obj.end()) {
      errors.push_back(where + ": missing");
      return fallback;
    }
    try {
      return it->get<T>();
    } catch (const json::exception&) {
      errors.push_back(where + ": expected " + expected<T>() + ", found " + it->dump());
      return fallback;
    }
  }

  template <class T>
  static const char* expected() {
    if constexpr (std::is_same_v<T, bool>) return "a boolean";
    if constexpr (std::is_integral_v<T>) return "an integer";
    return "a string";
  }

  Fraction fraction(const json& obj, const std::string& path, const char* key) {
    std::string text = get<std::string>(obj, path, key, "0");
    auto f = Fraction::parse(text);
    if (!f) {
      errors.push_back((path.empty() ? key : path + "." + key) + std::string(": expected an exact number (\"7/2\"), found \"") +
                       text + "\"");
      return Fraction();
    }
    return *f;
  }

  std::vector<Reason> reasons(const json& obj, const char* key) {
    std::vector<Reason> out;
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_array()) {
      errors.push_back(std::string(key) + ": expected an array");
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& r = (*it)[i];
      std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      Reason reason;
      reason.code = get<std::string>(r, path, "code");
      reason.text = get<std::string>(r, path, "text");
      reason.item = r.value("item", "");
      reason.criterion = r.value("criterion", "");
      reason.competency = r.value("competency", "");
      out.push_back(std::move(reason));
    }
    return out;
  }

  std::vector<Total> totals(const json& obj, const char* key) {
    std::vector<Total> out;
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_array()) {
      errors.push_back(std::string(key) + ": expected an array");
      return out;
    }
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& t = (*it)[i];
      std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      Total total;
      total.id = get<std::string>(t, path, "id");
      total.title = get<std::string>(t, path, "title");
      total.points = fraction(t, path, "points");
      total.max = fraction(t, path, "max");
      total.percent = fraction(t, path, "percent");
      if (t.contains("min_percent")) total.min_percent = fraction(t, path, "min_percent");
      out.push_back(std::move(total));
    }
    return out;
  }
};

}  // namespace

json to_json(const ScoreResult& result) { return build(result, true); }

json candidate_view(const ScoreResult& result) { return build(result, false); }

Expected<ScoreResult, std::vector<std::string>> try_result_from_json(const json& j) {
  if (!j.is_object()) return std::vector<std::string>{"expected a result object, found " + j.dump()};
  Reader rd;
  ScoreResult r;
  if (j.value("result", 0) != 1) rd.errors.push_back("result: expected schema version 1");
  if (j.value("view", "") != "full") rd.errors.push_back("view: expected \"full\" (a candidate view cannot be read back)");
  r.attempt_id = rd.get<std::string>(j, "", "attempt_id");
  r.candidate_id = rd.get<std::string>(j, "", "candidate_id");
  if (auto as = j.find("assessment"); as != j.end() && as->is_object()) {
    r.assessment_id = rd.get<std::string>(*as, "assessment", "id");
    r.assessment_version = rd.get<std::string>(*as, "assessment", "version");
    r.assessment_sha256 = rd.get<std::string>(*as, "assessment", "sha256");
    r.assessment_title = as->value("title", "");
  } else {
    rd.errors.push_back("assessment: expected an object");
  }
  r.mode = j.value("mode", "screening");
  if (auto p = j.find("plugins"); p != j.end() && p->is_object())
    for (const auto& [name, version] : p->items())
      if (version.is_string()) r.plugins[name] = version.get<std::string>();
  std::string outcome = rd.get<std::string>(j, "", "outcome");
  if (outcome == "pass")
    r.outcome = Outcome::kPass;
  else if (outcome == "fail")
    r.outcome = Outcome::kFail;
  else if (outcome == "pending")
    r.outcome = Outcome::kPending;
  else
    rd.errors.push_back("outcome: expected \"pass\", \"fail\" or \"pending\", found \"" + outcome + "\"");
  if (auto l = j.find("level"); l != j.end() && l->is_string()) r.level = l->get<std::string>();
  r.points = rd.fraction(j, "", "points");
  r.max = rd.fraction(j, "", "max");
  r.percent = rd.fraction(j, "", "percent");
  r.pass_percent = rd.fraction(j, "", "pass_percent");
  r.reasons = rd.reasons(j, "reasons");
  r.pending = rd.reasons(j, "pending");
  r.problems = rd.reasons(j, "problems");
  if (auto ex = j.find("excluded"); ex != j.end() && ex->is_array())
    for (const auto& e : *ex) r.excluded.push_back({e.value("item", ""), e.value("reason", "")});
  r.sections = rd.totals(j, "sections");
  r.competencies = rd.totals(j, "competencies");
  auto items = j.find("items");
  if (items == j.end() || !items->is_array()) {
    rd.errors.push_back("items: expected an array");
  } else {
    for (std::size_t i = 0; i < items->size(); ++i) {
      const json& it = (*items)[i];
      std::string path = "items[" + std::to_string(i) + "]";
      ItemResult ir;
      ir.id = rd.get<std::string>(it, path, "id");
      ir.section = rd.get<std::string>(it, path, "section");
      ir.competency = rd.get<std::string>(it, path, "competency");
      ir.type = rd.get<std::string>(it, path, "type");
      if (auto seed = delivery::parse_seed(it.value("seed", "")))
        ir.seed = *seed;
      else
        rd.errors.push_back(path + ".seed: expected a decimal string");
      std::string status = rd.get<std::string>(it, path, "status");
      if (status == "scored")
        ir.status = ItemStatus::kScored;
      else if (status == "unanswered")
        ir.status = ItemStatus::kUnanswered;
      else if (status == "invalid")
        ir.status = ItemStatus::kInvalid;
      else if (status == "failed")
        ir.status = ItemStatus::kFailed;
      else if (status == "excluded")
        ir.status = ItemStatus::kExcluded;
      else
        rd.errors.push_back(path + ".status: unknown status \"" + status + "\"");
      ir.critical = rd.get<bool>(it, path, "critical");
      ir.weight = rd.fraction(it, path, "weight");
      ir.points = rd.fraction(it, path, "points");
      ir.max = rd.fraction(it, path, "max");
      ir.pending = rd.get<bool>(it, path, "pending");
      ir.exclusion = it.value("exclusion", "");
      ir.feedback = it.value("feedback", "");
      ir.title = it.value("title", "");
      if (auto resp = it.find("response"); resp != it.end()) ir.response = resp->dump();
      if (auto cs = it.find("criteria"); cs != it.end() && cs->is_array()) {
        for (std::size_t k = 0; k < cs->size(); ++k) {
          const json& c = (*cs)[k];
          std::string cp = path + ".criteria[" + std::to_string(k) + "]";
          CriterionResult cr;
          cr.id = rd.get<std::string>(c, cp, "id");
          cr.points = rd.get<std::int64_t>(c, cp, "points");
          cr.critical = rd.get<bool>(c, cp, "critical");
          cr.rated = rd.get<bool>(c, cp, "rated");
          if (auto cj = c.find("credit"); cj != c.end() && !cj->is_null()) cr.credit = rd.fraction(c, cp, "credit");
          cr.earned = rd.fraction(c, cp, "earned");
          cr.level = c.value("level", "");
          ir.criteria.push_back(std::move(cr));
        }
      }
      r.items.push_back(std::move(ir));
    }
  }
  if (!rd.errors.empty()) return rd.errors;
  return r;
}

}  // namespace assay::scoring
