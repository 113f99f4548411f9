#include <nlohmann/json.hpp>

#include "assay/delivery.hpp"

namespace assay::delivery {

using json = nlohmann::json;

namespace {

std::string type_of(const json& j) {
  if (j.is_number_integer() || j.is_number_unsigned()) return "an integer";
  if (j.is_number_float()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_null()) return "null";
  if (j.is_array()) return "an array";
  return "an object";
}

std::string found(const json& j) {
  if (j.is_string() || j.is_number() || j.is_boolean() || j.is_null()) return j.dump();
  return type_of(j);
}

struct Reader {
  std::vector<std::string> errors;

  const json* member(const json& obj, const std::string& path, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) errors.push_back(path + (path.empty() ? "" : ".") + key + ": missing");
      return nullptr;
    }
    return &*it;
  }

  std::string string(const json& obj, const std::string& path, const char* key, bool required = true) {
    const json* v = member(obj, path, key, required);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      errors.push_back(path + (path.empty() ? "" : ".") + key + ": expected a string, found " + found(*v));
      return {};
    }
    return v->get<std::string>();
  }

  std::uint64_t seed(const json& v, const std::string& where) {
    if (v.is_string()) {
      if (auto s = parse_seed(v.get_ref<const std::string&>())) return *s;
    }
    errors.push_back(where + ": expected a decimal string of an unsigned 64-bit seed, found " + found(v));
    return 0;
  }

  std::optional<TimePoint> time(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    TimePoint t;
    if (!it->is_string() || !parse_time(it->get<std::string>(), t)) {
      errors.push_back(std::string(key) + ": expected an RFC 3339 UTC time (\"2026-03-01T09:00:00Z\"), found " + found(*it));
      return std::nullopt;
    }
    return t;
  }
};

}  // namespace

std::optional<std::uint64_t> parse_seed(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  __extension__ typedef unsigned __int128 U;
  U v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<U>(c - '0');
  }
  if (v > UINT64_MAX) return std::nullopt;
  return static_cast<std::uint64_t>(v);
}

json to_json(const Attempt& a) {
  json j = json::object();
  j["attempt"] = 1;
  j["attempt_id"] = a.attempt_id;
  j["candidate_id"] = a.candidate_id;
  j["assessment"] = {{"id", a.assessment_id}, {"version", a.assessment_version}, {"sha256", a.assessment_sha256}};
  j["seed"] = std::to_string(a.seed);
  json form = json::array();
  for (const auto& it : a.form.items) form.push_back({{"item", it.item_id}, {"seed", std::to_string(it.seed)}});
  j["form"] = std::move(form);
  json answers = json::object();
  for (const auto& [item, text] : a.answers) answers[item] = json::parse(text);
  j["answers"] = std::move(answers);
  json ratings = json::object();
  for (const auto& [item, by_criterion] : a.ratings)
    for (const auto& [criterion, level] : by_criterion) ratings[item][criterion] = level;
  j["ratings"] = std::move(ratings);
  auto time_or_null = [](const std::optional<TimePoint>& t) { return t ? json(format_time(*t)) : json(nullptr); };
  j["started"] = time_or_null(a.started);
  j["deadline"] = time_or_null(a.deadline);
  j["submitted"] = time_or_null(a.submitted);
  j["mode"] = a.mode;
  return j;
}

Expected<Attempt, std::vector<std::string>> try_attempt_from_json(const json& j) {
  Reader r;
  Attempt a;
  if (!j.is_object()) return std::vector<std::string>{"expected an attempt object, found " + found(j)};
  if (auto it = j.find("attempt"); it == j.end()) {
    r.errors.push_back("attempt: missing (the schema version, 1)");
  } else if (!(it->is_number_integer() && it->get<std::int64_t>() == 1)) {
    r.errors.push_back("attempt: expected schema version 1, found " + found(*it));
  }
  a.attempt_id = r.string(j, "", "attempt_id");
  a.candidate_id = r.string(j, "", "candidate_id");
  if (const json* as = r.member(j, "", "assessment", true)) {
    if (!as->is_object()) {
      r.errors.push_back("assessment: expected an object, found " + found(*as));
    } else {
      a.assessment_id = r.string(*as, "assessment", "id");
      a.assessment_version = r.string(*as, "assessment", "version");
      a.assessment_sha256 = r.string(*as, "assessment", "sha256");
    }
  }
  if (const json* s = r.member(j, "", "seed", true)) a.seed = r.seed(*s, "seed");
  if (const json* f = r.member(j, "", "form", true)) {
    if (!f->is_array()) {
      r.errors.push_back("form: expected an array, found " + found(*f));
    } else {
      for (std::size_t i = 0; i < f->size(); ++i) {
        const json& e = (*f)[i];
        std::string path = "form[" + std::to_string(i) + "]";
        if (!e.is_object()) {
          r.errors.push_back(path + ": expected an object, found " + found(e));
          continue;
        }
        FormItem fi;
        fi.item_id = r.string(e, path, "item");
        if (const json* s = r.member(e, path, "seed", true)) fi.seed = r.seed(*s, path + ".seed");
        a.form.items.push_back(std::move(fi));
      }
    }
  }
  if (auto it = j.find("answers"); it != j.end()) {
    if (!it->is_object()) {
      r.errors.push_back("answers: expected an object, found " + found(*it));
    } else {
      // A response that is not an object is kept as given: the plugin refuses it for that item
      // only, and the other answers are still scored.
      for (const auto& [item, response] : it->items()) a.answers.emplace(item, response.dump());
    }
  }
  if (auto it = j.find("ratings"); it != j.end()) {
    if (!it->is_object()) {
      r.errors.push_back("ratings: expected an object, found " + found(*it));
    } else {
      for (const auto& [item, by_criterion] : it->items()) {
        if (!by_criterion.is_object()) {
          r.errors.push_back("ratings." + item + ": expected an object, found " + found(by_criterion));
          continue;
        }
        for (const auto& [criterion, level] : by_criterion.items()) {
          if (!level.is_string()) {
            r.errors.push_back("ratings." + item + "." + criterion + ": expected a level name, found " + found(level));
            continue;
          }
          a.ratings[item][criterion] = level.get<std::string>();
        }
      }
    }
  }
  a.started = r.time(j, "started");
  a.deadline = r.time(j, "deadline");
  a.submitted = r.time(j, "submitted");
  if (auto it = j.find("mode"); it != j.end()) {
    if (!it->is_string() || (*it != "screening" && *it != "practice"))
      r.errors.push_back("mode: expected \"screening\" or \"practice\", found " + found(*it));
    else
      a.mode = it->get<std::string>();
  }
  if (!r.errors.empty()) return r.errors;
  return a;
}

}  // namespace assay::delivery
