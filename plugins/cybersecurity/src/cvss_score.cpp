#include "cvss_score.hpp"

#include <algorithm>
#include <map>

#include "response.hpp"

namespace assay::cyber {

namespace {

using sdk::json;

const std::vector<std::string> kParts = {"vector", "score", "severity", "temporal-score"};
const std::vector<std::string> kSeverities = {"none", "low", "medium", "high", "critical"};

bool within(sdk::Decimal answer, sdk::Decimal key, sdk::Decimal tolerance) { return (answer - key).abs() <= tolerance; }

}  // namespace

json CvssScore::schema() {
  json metric_pools = {{"type", "object"},
                       {"description",
                        "value pools per metric abbreviation for generated vectors, e.g. {\"AV\": [\"N\", \"A\"]}; "
                        "base metrics not listed take every value, temporal metrics not listed stay X"},
                       {"additionalProperties", {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}}}};
  // With 'generate', the vector is drawn from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"task", {{"enum", {"rate", "score"}}, {"description", "rate: description -> vector/scores; score: vector -> scores"}}},
       {"description", {{"type", "string"}, {"description", "the vulnerability as the candidate reads it"}}},
       {"vector", sdk::secret({{"type", "string"}, {"description", "rate: the true CVSS:3.1 vector (the key)"}})},
       {"shown_vector", {{"type", "string"}, {"description", "score: a fixed vector shown to the candidate"}}},
       {"generate", metric_pools},
       {"ask",
        {{"type", "array"},
         {"items", {{"enum", kParts}}},
         {"description", "what the candidate answers; default rate: vector, score, severity; score: score, severity"}}},
       // The tolerance is part of the marking scheme, like the vector: it never reaches the material.
       {"score_tolerance",
        sdk::secret({{"type", {"string", "number"}}, {"description", "accepted distance from the key's scores, default 0"}})}},
      {"task"}));
}

std::vector<sdk::Criterion> CvssScore::criteria() {
  return {{"vector", "base metrics correct, 1/8 per metric (full when the item does not ask for the vector)"},
          {"score", "base score equals the key within score_tolerance (full when not asked)"},
          {"severity", "severity band of the base score (full when not asked)"},
          {"temporal-score", "temporal score equals the key within score_tolerance (full when not asked)"}};
}

CvssScore CvssScore::prepare(const json& params) {
  sdk::Params p(params);
  for (const auto& [key, value] : p.members()) {
    static const std::vector<std::string> known = {"task",     "description", "vector",         "shown_vector",
                                                   "generate", "ask",         "score_tolerance"};
    if (std::find(known.begin(), known.end(), key) == known.end()) value.fail("unknown parameter '" + key + "'");
  }
  CvssScore item;
  item.task_ = p.at("task").one_of({"rate", "score"}) == "rate" ? Task::kRate : Task::kScore;
  if (auto d = p.find("description")) item.description_ = d->str();
  if (auto t = p.find("score_tolerance")) {
    item.tolerance_ = t->decimal();
    if (item.tolerance_.sign() < 0) t->fail("expected a tolerance of 0 or more, found " + item.tolerance_.to_string());
  }
  auto parse_vector = [](const sdk::Params& at) {
    auto parsed = cvss::try_parse(at.str());
    if (!parsed) at.fail(parsed.error.message);
    return *parsed.vector;
  };
  if (item.task_ == Task::kRate) {
    if (!p.has("description")) p.fail("a rate task needs 'description', the text the candidate rates");
    item.vector_ = parse_vector(p.at("vector"));
    if (auto s = p.find("shown_vector")) s->fail("a rate task shows no vector; use task = \"score\" to show one");
    if (auto g = p.find("generate")) g->fail("a rate task has a fixed key; use task = \"score\" to generate vectors");
  } else {
    if (auto v = p.find("vector")) v->fail("a score task derives its key; give the vector as 'shown_vector'");
    if (auto s = p.find("shown_vector")) {
      item.vector_ = parse_vector(*s);
      if (auto g = p.find("generate")) g->fail("give either 'shown_vector' or 'generate', not both");
    } else {
      const auto& defs = cvss::metrics();
      item.pools_.resize(defs.size());
      for (std::size_t i = 0; i < defs.size(); ++i) {
        if (defs[i].group == cvss::Group::kBase) {
          for (auto v : defs[i].values) item.pools_[i].emplace_back(v);
        } else {
          item.pools_[i] = {"X"};
        }
      }
      if (auto g = p.find("generate")) {
        for (const auto& [name, pool] : g->members()) {
          const auto* def = cvss::find_metric(name);
          if (def == nullptr) pool.fail("unknown metric '" + name + "'");
          if (def->group == cvss::Group::kEnvironmental)
            pool.fail("environmental metric '" + name + "' is not scored by this type");
          if (pool.size() == 0) pool.fail("expected at least one value for metric '" + name + "'");
          std::vector<std::string> values;
          for (const auto& v : pool.items()) {
            auto s = v.str();
            if (std::find(def->values.begin(), def->values.end(), s) == def->values.end()) {
              v.fail("metric '" + name + "' has no value '" + s + "'");
            }
            values.push_back(s);
          }
          item.pools_[static_cast<std::size_t>(def - defs.data())] = values;
        }
      }
    }
  }
  if (auto a = p.find("ask")) {
    if (a->size() == 0) a->fail("expected at least one of 'vector', 'score', 'severity', 'temporal-score'");
    for (const auto& e : a->items()) {
      auto part = e.one_of(kParts);
      if (part == "vector" && item.task_ == Task::kScore) e.fail("a score task shows the vector, so it cannot ask for it");
      if (std::find(item.ask_.begin(), item.ask_.end(), part) != item.ask_.end()) e.fail("'" + part + "' is listed twice");
      item.ask_.push_back(part);
    }
  } else {
    item.ask_ = item.task_ == Task::kRate ? std::vector<std::string>{"vector", "score", "severity"}
                                          : std::vector<std::string>{"score", "severity"};
  }
  return item;
}

bool CvssScore::asks(const std::string& part) const { return std::find(ask_.begin(), ask_.end(), part) != ask_.end(); }

cvss::Vector CvssScore::key_vector(std::uint64_t seed) const {
  if (vector_) return *vector_;
  sdk::Rng rng(seed);
  cvss::Vector v;
  const auto& defs = cvss::metrics();
  for (std::size_t i = 0; i < defs.size(); ++i) v.set(defs[i].abbr, rng.pick(pools_[i]));
  return v;
}

json CvssScore::present(std::uint64_t seed) const {
  json material = json::array();
  std::string prompt;
  if (task_ == Task::kRate) {
    prompt = "Rate this vulnerability with CVSS v3.1.";
    material.push_back({{"kind", "text"}, {"text", description_}});
  } else {
    prompt = "Compute the CVSS v3.1 scores of this vector.";
    if (!description_.empty()) material.push_back({{"kind", "text"}, {"text", description_}});
    material.push_back({{"kind", "code"}, {"language", "cvss"}, {"text", key_vector(seed).to_string()}});
  }
  json interactions = json::array();
  if (asks("vector")) {
    interactions.push_back({{"id", "vector"},
                            {"type", "text"},
                            {"prompt", "CVSS v3.1 vector string, e.g. CVSS:3.1/AV:?/AC:?/PR:?/UI:?/S:?/C:?/I:?/A:?"},
                            {"max_length", 200}});
  }
  if (asks("score")) interactions.push_back({{"id", "score"}, {"type", "numeric"}, {"prompt", "Base score (one decimal)"}});
  if (asks("severity")) {
    json options = json::array();
    for (const auto& s : kSeverities) {
      std::string text = s;
      text[0] = static_cast<char>(text[0] - 'a' + 'A');
      options.push_back({{"id", s}, {"text", text}});
    }
    interactions.push_back({{"id", "severity"},
                            {"type", "choice"},
                            {"prompt", "Severity of the base score"},
                            {"multiple", false},
                            {"options", options}});
  }
  if (asks("temporal-score")) {
    interactions.push_back({{"id", "temporal-score"}, {"type", "numeric"}, {"prompt", "Temporal score (one decimal)"}});
  }
  return {{"presentation", 1}, {"prompt", prompt}, {"material", material}, {"interactions", interactions}};
}

CvssScore::Answer CvssScore::read(const json& response) const {
  Answer a;
  if (asks("vector")) {
    if (auto text = text_answer(response, "vector"); text && !sdk::trim_typed(*text).empty()) {
      auto parsed = cvss::try_parse(*text, true);
      if (!parsed) {
        throw sdk::ResponseError("vector: " + parsed.error.message +
                                 "; write it as CVSS:3.1/AV:_/AC:_/PR:_/UI:_/S:_/C:_/I:_/A:_ with a value for each base metric");
      }
      a.vector = parsed.vector;
    }
  }
  // Scores are on CVSS's scale of 0.0 to 10.0 (§5); anything outside it is not a score.
  if (asks("score")) a.score = numeric_answer(response, "score", "base score", sdk::Decimal(0), sdk::Decimal(10));
  if (asks("severity")) a.severity = single_answer(response, "severity", kSeverities, "severity");
  if (asks("temporal-score")) {
    a.temporal = numeric_answer(response, "temporal-score", "temporal score", sdk::Decimal(0), sdk::Decimal(10));
  }
  return a;
}

std::vector<sdk::Credit> CvssScore::score(std::uint64_t seed, const json& response) const {
  auto a = read(response);
  auto key = key_vector(seed);
  auto base = cvss::base_score(key);
  std::vector<sdk::Credit> credits(4, sdk::Credit::full());
  if (asks("vector")) {
    credits[0] = sdk::Credit::none();
    if (a.vector) {
      std::uint64_t right = 0;
      for (auto m : cvss::base_metrics()) right += a.vector->get(m) == key.get(m) ? 1 : 0;
      credits[0] = sdk::Credit::fraction(right, cvss::base_metrics().size());
    }
  }
  if (asks("score")) credits[1] = sdk::Credit::of(a.score && within(*a.score, base, tolerance_));
  if (asks("severity")) credits[2] = sdk::Credit::of(a.severity == cvss::severity(base));
  if (asks("temporal-score")) {
    credits[3] = sdk::Credit::of(a.temporal && within(*a.temporal, cvss::temporal_score(key), tolerance_));
  }
  return credits;
}

json CvssScore::solve(std::uint64_t seed) const {
  auto key = key_vector(seed);
  json out = json::object();
  if (asks("vector")) out["vector"] = key.to_string();
  if (asks("score")) out["score"] = {{"value", cvss::base_score(key).to_fixed(1)}};
  if (asks("severity")) out["severity"] = {cvss::severity(cvss::base_score(key))};
  if (asks("temporal-score")) out["temporal-score"] = {{"value", cvss::temporal_score(key).to_fixed(1)}};
  return out;
}

namespace {

/// A base metric value with its name from the CVSS v3.1 specification (section 2), "N (Network)".
std::string value_name(std::string_view metric, std::string_view value) {
  static const std::map<std::string, std::string> kNames = {
      {"AV:N", "Network"},  {"AV:A", "Adjacent"}, {"AV:L", "Local"}, {"AV:P", "Physical"}, {"AC:L", "Low"},
      {"AC:H", "High"},     {"PR:N", "None"},     {"PR:L", "Low"},   {"PR:H", "High"},     {"UI:N", "None"},
      {"UI:R", "Required"}, {"S:U", "Unchanged"}, {"S:C", "Changed"}};
  std::string v(value), key = std::string(metric) + ":" + v;
  auto it = kNames.find(key);
  if (it != kNames.end()) return v + " (" + it->second + ")";
  if (metric == "C" || metric == "I" || metric == "A") {
    if (v == "H") return v + " (High)";
    if (v == "L") return v + " (Low)";
    if (v == "N") return v + " (None)";
  }
  return v;
}

}  // namespace

std::string CvssScore::feedback(std::uint64_t seed, const json& response) const {
  auto a = read(response);
  auto key = key_vector(seed);
  auto base = cvss::base_score(key);
  std::string out;
  if (asks("vector")) {
    if (!a.vector) {
      out += "vector: not answered; the vector is " + key.to_string() + "\n";
    } else {
      for (auto m : cvss::base_metrics()) {
        auto given = a.vector->get(m);
        if (given != key.get(m)) {
          out += std::string(cvss::find_metric(m)->name) + " (" + std::string(m) + "): you gave " + value_name(m, given) +
                 ", the key is " + value_name(m, key.get(m)) + "\n";
        }
      }
      if (out.empty()) out += "vector: every base metric is right\n";
    }
  }
  auto numeric_line = [&](const std::optional<sdk::Decimal>& answer, const char* label, sdk::Decimal expected) {
    if (!answer) {
      out += std::string(label) + ": not answered; it is " + expected.to_fixed(1) + "\n";
    } else if (within(*answer, expected, tolerance_)) {
      out += std::string(label) + ": " + expected.to_fixed(1) + " is right\n";
    } else {
      out += std::string(label) + ": you gave " + answer->to_string() + ", it is " + expected.to_fixed(1) + "\n";
    }
  };
  if (asks("score")) numeric_line(a.score, "base score", base);
  if (asks("severity")) {
    auto expected = cvss::severity(base);
    if (a.severity == expected) {
      out += "severity: " + expected + " is right\n";
    } else {
      out += "severity: a base score of " + base.to_fixed(1) + " is " + expected + "\n";
    }
  }
  if (asks("temporal-score")) numeric_line(a.temporal, "temporal score", cvss::temporal_score(key));
  return out;
}

std::vector<sdk::Example> CvssScore::examples() {
  std::vector<sdk::Example> out;
  {
    sdk::Example ex;
    ex.name = "rate an unauthenticated network RCE";
    ex.params = {{"task", "rate"},
                 {"description",
                  "An unauthenticated attacker on the network can send a crafted request to the PACS web viewer and run code as "
                  "its service account, with full control of the images it stores."},
                 {"vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}};
    ex.alt_secret = {{"vector", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"}};
    ex.seed = 7;
    ex.responses = {
        {"the key",
         {{"vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, {"score", {{"value", "9.8"}}}, {"severity", {"critical"}}},
         {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full()}},
        {"local instead of network, 7.8 high",
         {{"vector", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"}, {"score", {{"value", "7.8"}}}, {"severity", {"high"}}},
         {{6, 8}, sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::full()}},
        {"the key typed in lower case with spaces",
         {{"vector", " cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h "},
          {"score", {{"value", "9.8"}}},
          {"severity", {"critical"}}},
         {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full()}}};
    ex.malformed = {{"a metric twice and the others missing",
                     {{"vector", "CVSS:3.1/AV:N/AV:N/AC:L"}, {"score", {{"value", "9.8"}}}, {"severity", {"critical"}}}},
                    {"a value the metric does not have", {{"vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X"}}},
                    {"a base score above 10", {{"score", {{"value", "12"}}}}},
                    {"a base score with a decimal comma", {{"score", {{"value", "9,8"}}}}},
                    {"two severities", {{"severity", {"high", "critical"}}}}};
    out.push_back(ex);
  }
  {
    sdk::Example ex;
    ex.name = "score a generated vector with temporal metrics";
    ex.params = {{"task", "score"},
                 {"generate",
                  {{"AV", {"P"}},
                   {"AC", {"H"}},
                   {"PR", {"L"}},
                   {"UI", {"R"}},
                   {"S", {"U"}},
                   {"C", {"L"}},
                   {"I", {"L"}},
                   {"A", {"H"}},
                   {"E", {"H"}},
                   {"RL", {"U"}},
                   {"RC", {"U"}}}},
                 {"ask", {"score", "severity", "temporal-score"}}};
    // A score task derives its key from the vector it shows; the marking tolerance is its one secret.
    ex.alt_secret = {{"score_tolerance", "0.1"}};
    ex.seed = 11;
    // FIRST CVSS v3.1 User Guide §2.6: base 5.0, temporal 4.6.
    ex.responses = {{"the key",
                     {{"score", {{"value", "5.0"}}}, {"severity", {"medium"}}, {"temporal-score", {{"value", "4.6"}}}},
                     {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full()}},
                    {"a naive ceiling gives 4.7",
                     {{"score", {{"value", "5.0"}}}, {"severity", {"medium"}}, {"temporal-score", {{"value", "4.7"}}}},
                     {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::none()}}};
    ex.malformed = {{"a temporal score below 0", {{"temporal-score", {{"value", "-4.6"}}}}},
                    {"a severity that is not a band", {{"severity", {"moderate"}}}}};
    out.push_back(ex);
  }
  {
    // Material that really changes with the seed (the example above fixes every metric): attack
    // vector and privileges are drawn, the rest is fixed. Worked by hand (CVSS v3.1 §7.1, impact
    // 5.873 for C:H/I:H/A:H unchanged): AV:N/PR:N 9.8 critical; AV:A/PR:N and AV:N/PR:L 8.8 high;
    // AV:A/PR:L 8.0 high. So for every seed the score is 8.0 to 9.8 and the severity high or
    // critical, and these responses earn the same credits whatever the seed draws.
    sdk::Example ex;
    ex.name = "score a vector drawn per seed from two attack vectors and two privilege levels";
    ex.params = {{"task", "score"},
                 {"generate",
                  {{"AV", {"N", "A"}},
                   {"AC", {"L"}},
                   {"PR", {"N", "L"}},
                   {"UI", {"N"}},
                   {"S", {"U"}},
                   {"C", {"H"}},
                   {"I", {"H"}},
                   {"A", {"H"}}}},
                 {"ask", {"score", "severity"}}};
    ex.seed = 5;  // no secret param given, so no alternative set for the key flip
    ex.responses = {{"a medium score",
                     {{"score", {{"value", "5.0"}}}, {"severity", {"medium"}}},
                     {sdk::Credit::full(), sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::full()}},
                    {"a low severity, no score",
                     {{"severity", {"low"}}},
                     {sdk::Credit::full(), sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::full()}}};
    ex.malformed = {{"a base score above 10", {{"score", {{"value", "11"}}}}}};
    out.push_back(ex);
  }
  return out;
}

}  // namespace assay::cyber
