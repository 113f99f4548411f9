#include "mpi_duplicates.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "common.hpp"

namespace assay::ehr {

using sdk::json;

namespace {

std::string iso_date_or_fail(const sdk::Params& p) {
  auto s = p.str();
  bool ok = s.size() == 10 && s[4] == '-' && s[7] == '-';
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) ok = ok && i < s.size() && s[i] >= '0' && s[i] <= '9';
  if (ok) {
    int m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    ok = m >= 1 && m <= 12 && d >= 1 && d <= 31;
  }
  if (!ok) p.fail("expected a date as \"YYYY-MM-DD\", found \"" + s + "\"");
  return s;
}

struct PairAnswer {
  std::map<std::string, std::string> group;  ///< record id -> normalised label (non-empty only)
  std::set<std::string> survivors;
  std::set<std::string> review;  ///< records sent to review as possible duplicates
};

PairAnswer read_pair_answer(const json& response) {
  PairAnswer a;
  TextRule rule;
  for (auto& [row, text] : table_column(response, "records", "group", "a group label")) {
    auto label = rule.apply(text);
    if (!label.empty()) a.group[row] = label;
  }
  for (auto& [row, option] : table_column(response, "records", "survivor", "an option id"))
    if (option == "yes") a.survivors.insert(row);
  for (auto& [row, option] : table_column(response, "records", "review", "an option id"))
    if (option == "yes") a.review.insert(row);
  return a;
}

mpi::Truth groups_of(const PairAnswer& a) {
  std::map<std::string, std::vector<std::string>> by;
  for (auto& [id, label] : a.group) by[label].push_back(id);
  mpi::Truth out;
  for (auto& [label, ids] : by)
    if (ids.size() > 1) out.push_back(ids);
  return out;
}

}  // namespace

json MpiDuplicates::schema() {
  json record = {{"type", "object"},
                 {"properties",
                  {{"id", {{"type", "string"}}},
                   {"mrn", {{"type", "string"}}},
                   {"family", {{"type", "string"}}},
                   {"given", {{"type", "string"}}},
                   {"dob", {{"type", "string"}}},
                   {"sex", {{"type", "string"}}},
                   {"zip", {{"type", "string"}}},
                   {"created", {{"type", "string"}}}}},
                 {"required", {"id", "mrn", "family", "given", "dob", "sex", "zip", "created"}},
                 {"additionalProperties", false}};
  json range = {{"type", "object"},
                {"properties", {{"min", {{"type", "integer"}}}, {"max", {{"type", "integer"}}}}},
                {"required", {"min", "max"}},
                {"additionalProperties", false}};
  // The patient records can be generated from the item seed.
  return sdk::generated_material(sdk::object_schema(
      {{"prompt", {{"type", "string"}}},
       {"persons", range},
       {"duplicates", range},
       {"twins", {{"type", "boolean"}}},
       {"namesakes",
        {{"type", "boolean"},
         {"description", "add a father and son with one name and address, born a generation apart: not duplicates"}}},
       {"variations", {{"type", "array"}, {"items", {{"enum", mpi::variation_kinds()}}}, {"minItems", 1}}},
       {"survivor", {{"enum", {"earliest-created", "latest-created"}}, {"description", "local merge policy"}}},
       {"records", {{"type", "array"}, {"items", record}, {"minItems", 2}}},
       {"truth", sdk::secret({{"type", "array"},
                              {"items", {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 2}}},
                              {"description", "with fixed records: the groups of record ids that are one person"}})}}));
}

std::vector<sdk::Criterion> MpiDuplicates::criteria() {
  return {{"precision", "duplicate pairs claimed that are true duplicates, out of all pairs claimed"},
          {"recall", "true duplicate pairs found, out of all true duplicate pairs"},
          {"survivor", "duplicate groups whose survivor (and only it) is marked, out of all duplicate groups"},
          {"review",
           "records sent to review as possible duplicates that should be (a father and son of one name and address), out "
           "of the records that should be or are sent; full when there are neither"}};
}

MpiDuplicates MpiDuplicates::prepare(const json& params) {
  sdk::Params p(params);
  MpiDuplicates item;
  static const std::set<std::string> kKnown = {"prompt",     "persons",  "duplicates", "twins", "namesakes",
                                               "variations", "survivor", "records",    "truth"};
  for (auto& [k, v] : p.members())
    if (!kKnown.count(k)) v.fail("unknown parameter '" + k + "'");
  if (auto s = p.find("survivor")) item.earliest_ = s->one_of({"earliest-created", "latest-created"}) == "earliest-created";
  item.prompt_ = p.has("prompt")
                     ? p.at("prompt").str()
                     : std::string(
                           "These patient records come from a master patient index. Give records that are the same person the "
                           "same group label (leave unique records blank), and mark the survivor of each merge: the record "
                           "created ") +
                           (item.earliest_ ? "earliest" : "latest") +
                           ". Send to review, without grouping them, records that may be the same person but need a check "
                           "before any merge.";
  if (auto r = p.find("records")) {
    for (auto k : {"persons", "duplicates", "twins", "namesakes", "variations"})
      if (p.has(k)) p.at(k).fail(std::string("'") + k + "' shapes generated records; remove it or remove 'records'");
    mpi::Material m;
    std::set<std::string> ids;
    for (auto& x : r->items()) {
      mpi::Record rec;
      rec.id = read_id(x.at("id"));
      if (!ids.insert(rec.id).second) x.at("id").fail("duplicate record id \"" + rec.id + "\"");
      rec.mrn = x.at("mrn").str();
      rec.family = x.at("family").str();
      rec.given = x.at("given").str();
      rec.dob = iso_date_or_fail(x.at("dob"));
      rec.sex = x.at("sex").str();
      rec.zip = x.at("zip").str();
      rec.created = iso_date_or_fail(x.at("created"));
      m.records.push_back(rec);
    }
    if (m.records.size() < 2) r->fail("expected at least two records");
    if (!p.has("truth")) p.fail("missing required key 'truth' (the duplicate groups of the fixed records)");
    std::set<std::string> used;
    for (auto& g : p.at("truth").items()) {
      std::vector<std::string> group;
      for (auto& id : g.items()) {
        auto s = id.str();
        if (!ids.count(s)) id.fail("no record with id \"" + s + "\"");
        if (!used.insert(s).second) id.fail("record \"" + s + "\" is in two groups");
        group.push_back(s);
      }
      if (group.size() < 2) g.fail("expected a group of at least two record ids");
      m.truth.push_back(group);
    }
    item.fixed_ = m;
  } else {
    if (p.has("truth")) p.at("truth").fail("'truth' goes with fixed 'records'; generated records carry their own");
    read_range(p, "persons", 3, 20, item.gen_.min_persons, item.gen_.max_persons);
    read_range(p, "duplicates", 1, 12, item.gen_.min_duplicates, item.gen_.max_duplicates);
    if (auto t = p.find("twins")) item.gen_.twins = t->boolean();
    if (auto ns = p.find("namesakes")) item.gen_.namesakes = ns->boolean();
    if (auto v = p.find("variations")) {
      item.gen_.variations.clear();
      for (auto& x : v->items()) item.gen_.variations.push_back(x.one_of(mpi::variation_kinds()));
      if (item.gen_.variations.empty()) v->fail("expected at least one variation");
    }
  }
  return item;
}

mpi::Material MpiDuplicates::material(std::uint64_t seed) const {
  if (fixed_) return *fixed_;
  sdk::Rng rng(seed);
  return mpi::generate(gen_, rng);
}

json MpiDuplicates::present(std::uint64_t seed) const {
  auto m = material(seed);
  json rows = json::array(), table_rows = json::array();
  for (auto& r : m.records) {
    rows.push_back({r.id, r.mrn, r.family, r.given, r.dob, r.sex, r.zip, r.created});
    table_rows.push_back({{"id", r.id}, {"label", r.id + "  " + r.family + ", " + r.given}});
  }
  json material =
      json::array({json{{"kind", "table"},
                        {"columns", {"Record", "MRN", "Family name", "Given name", "Birth date", "Sex", "ZIP", "Created"}},
                        {"rows", rows}}});
  json columns = json::array(
      {json{{"id", "group"}, {"label", "Group label"}},
       json{{"id", "survivor"}, {"label", "Survivor"}, {"options", json::array({json{{"id", "yes"}, {"text", "survivor"}}})}},
       json{{"id", "review"},
            {"label", "Review"},
            {"options", json::array({json{{"id", "yes"}, {"text", "possible duplicate: send to review"}}})}}});
  json interactions = json::array({table_interaction("records", table_rows, columns)});
  return presentation(prompt_, material, interactions);
}

std::vector<sdk::Credit> MpiDuplicates::score(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  auto m = material(seed);
  auto a = read_pair_answer(checked);
  auto truth = mpi::pairs_of(m.truth);
  auto claimed = mpi::pairs_of(groups_of(a));
  std::uint64_t both = 0;
  for (auto& p : claimed) both += truth.count(p);
  sdk::Credit precision = claimed.empty() ? sdk::Credit::of(truth.empty()) : sdk::Credit::fraction(both, claimed.size());
  sdk::Credit recall = truth.empty() ? sdk::Credit::full() : sdk::Credit::fraction(both, truth.size());
  std::uint64_t right = 0;
  for (auto& g : m.truth) {
    auto keep = mpi::survivor(m.records, g, earliest_);
    std::set<std::string> marked;
    for (auto& id : g)
      if (a.survivors.count(id)) marked.insert(id);
    right += marked == std::set<std::string>{keep} ? 1 : 0;
  }
  sdk::Credit surv = m.truth.empty() ? sdk::Credit::of(a.survivors.empty()) : sdk::Credit::fraction(right, m.truth.size());
  std::set<std::string> either = m.review;
  either.insert(a.review.begin(), a.review.end());
  std::uint64_t agreed = 0;
  for (auto& id : a.review) agreed += m.review.count(id);
  sdk::Credit review = either.empty() ? sdk::Credit::full() : sdk::Credit::fraction(agreed, either.size());
  return {precision, recall, surv, review};
}

json MpiDuplicates::solve(std::uint64_t seed) const {
  auto m = material(seed);
  json rows = json::object();
  for (std::size_t g = 0; g < m.truth.size(); ++g) {
    auto keep = mpi::survivor(m.records, m.truth[g], earliest_);
    for (auto& id : m.truth[g]) {
      rows[id] = {{"group", "p" + std::to_string(g + 1)}};
      if (id == keep) rows[id]["survivor"] = "yes";
    }
  }
  for (auto& id : m.review) rows[id]["review"] = "yes";
  return json{{"records", rows}};
}

namespace {

/// What two records share and how they differ, as a registration clerk reads them.
std::string compared(const std::vector<mpi::Record>& records, const mpi::Pair& pair) {
  auto find = [&](const std::string& id) {
    return *std::find_if(records.begin(), records.end(), [&](const mpi::Record& r) { return r.id == id; });
  };
  const auto &a = find(pair.first), &b = find(pair.second);
  std::vector<std::string> same, differ;
  (a.family == b.family ? same : differ)
      .push_back(a.family == b.family ? "family name" : "family names " + a.family + " and " + b.family);
  if (a.given == b.given) {
    same.push_back("given name");
  } else if (mpi::nickname(a.given) == b.given || mpi::nickname(b.given) == a.given) {
    differ.push_back(a.given + " and " + b.given + " (one is the short form of the other)");
  } else {
    differ.push_back("given names " + a.given + " and " + b.given);
  }
  if (a.dob == b.dob) {
    same.push_back("birth date");
  } else if (a.dob.size() == 10 && b.dob.size() == 10 && a.dob.substr(0, 4) == b.dob.substr(0, 4) &&
             a.dob.substr(5, 2) == b.dob.substr(8, 2) && a.dob.substr(8, 2) == b.dob.substr(5, 2)) {
    differ.push_back("birth dates " + a.dob + " and " + b.dob + " (day and month swapped, same year)");
  } else if (a.dob.size() == 10 && b.dob.size() == 10 && a.dob.substr(0, 8) == b.dob.substr(0, 8) && a.dob[8] == b.dob[9] &&
             a.dob[9] == b.dob[8]) {
    differ.push_back("birth dates " + a.dob + " and " + b.dob + " (the day's digits swapped)");
  } else {
    differ.push_back("birth dates " + a.dob + " and " + b.dob);
  }
  (a.sex == b.sex ? same : differ).push_back(a.sex == b.sex ? "sex" : "sex " + a.sex + " and " + b.sex);
  (a.zip == b.zip ? same : differ).push_back(a.zip == b.zip ? "ZIP" : "ZIPs " + a.zip + " and " + b.zip);
  auto list = [](const std::vector<std::string>& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i == 0 ? "" : i + 1 == v.size() ? " and " : ", ") + v[i];
    return out;
  };
  std::string out;
  if (!same.empty()) out += "same " + list(same);
  if (!differ.empty()) out += (out.empty() ? "" : "; ") + list(differ);
  return out;
}

}  // namespace

std::string MpiDuplicates::feedback(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  auto m = material(seed);
  auto a = read_pair_answer(checked);
  auto truth = mpi::pairs_of(m.truth);
  auto claimed = mpi::pairs_of(groups_of(a));
  std::string out;
  for (auto& p : truth)
    if (!claimed.count(p))
      out += p.first + " and " + p.second + " are the same person; not grouped (" + compared(m.records, p) +
             ": a registration slip, not a second person)\n";
  for (auto& p : claimed)
    if (!truth.count(p)) {
      bool twins = false;
      for (auto& r : m.records)
        for (auto& q : m.records)
          if (r.id == p.first && q.id == p.second && r.dob == q.dob && r.family == q.family && r.given != q.given &&
              mpi::nickname(r.given) != q.given && mpi::nickname(q.given) != r.given)
            twins = true;
      out += p.first + " and " + p.second + " were grouped but are different people (" + compared(m.records, p) + ")" +
             (twins ? ": twins share a birth date and a family name, and a given name that is not a short form tells them apart"
                    : "") +
             "\n";
    }
  for (auto& g : m.truth) {
    auto keep = mpi::survivor(m.records, g, earliest_);
    if (!a.survivors.count(keep))
      out += keep + " should survive the merge of its group (created " + (earliest_ ? "earliest" : "latest") +
             ", as the survivor policy says)\n";
    for (auto& id : g)
      if (id != keep && a.survivors.count(id)) out += id + " is marked as a survivor but " + keep + " is\n";
  }
  for (auto& id : m.review)
    if (!a.review.count(id))
      out += id + " shares name and address with a record born a generation apart: send both to review, never merge them\n";
  for (auto& id : a.review)
    if (!m.review.count(id)) out += id + " was sent to review, but nothing makes it a possible duplicate\n";
  if (out.empty()) out = "every duplicate pair found, no false match, survivors right\n";
  return out;
}

std::vector<sdk::Example> MpiDuplicates::examples() {
  json records = json::array({
      json{{"id", "r1"},
           {"mrn", "1000001"},
           {"family", "Dawson"},
           {"given", "William"},
           {"dob", "1967-04-12"},
           {"sex", "M"},
           {"zip", "04512"},
           {"created", "2011-03-02"}},
      json{{"id", "r2"},
           {"mrn", "1000002"},
           {"family", "Dawson"},
           {"given", "Bill"},
           {"dob", "1967-04-12"},
           {"sex", "M"},
           {"zip", "04512"},
           {"created", "2019-07-30"}},
      json{{"id", "r3"},
           {"mrn", "1000003"},
           {"family", "Dawson"},
           {"given", "Henry"},
           {"dob", "1967-04-12"},
           {"sex", "M"},
           {"zip", "04512"},
           {"created", "2012-01-15"}},
      json{{"id", "r4"},
           {"mrn", "1000004"},
           {"family", "Kowalski"},
           {"given", "Irene"},
           {"dob", "1980-11-03"},
           {"sex", "F"},
           {"zip", "61020"},
           {"created", "2015-05-05"}},
      json{{"id", "r5"},
           {"mrn", "1000005"},
           {"family", "Kowalksi"},
           {"given", "Irene"},
           {"dob", "1980-03-11"},
           {"sex", "F"},
           {"zip", "61020"},
           {"created", "2009-09-09"}},
  });
  sdk::Example fixed;
  fixed.name = "a nickname, a twin, a typo with a transposed date";
  fixed.params = {{"records", records}, {"truth", json::array({json::array({"r1", "r2"}), json::array({"r4", "r5"})})}};
  fixed.alt_secret = {{"truth", json::array({json::array({"r1", "r3"})})}};
  fixed.seed = 1;
  fixed.responses = {
      {"both pairs, right survivors",
       {{"records",
         {{"r1", {{"group", "A"}, {"survivor", "yes"}}},
          {"r2", {{"group", "a "}}},
          {"r4", {{"group", "B"}}},
          {"r5", {{"group", "B"}, {"survivor", "yes"}}}}}},
       {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full()}},
      {"the twin merged in, the typo missed",
       {{"records", {{"r1", {{"group", "A"}, {"survivor", "yes"}}}, {"r2", {{"group", "A"}}}, {"r3", {{"group", "A"}}}}}},
       {sdk::Credit::fraction(1, 3), sdk::Credit::fraction(1, 2), sdk::Credit::fraction(1, 2), sdk::Credit::full()}},
  };
  fixed.malformed = {{"a record the index does not list", {{"records", {{"r1", {{"group", "A"}}}, {"r12", {{"group", "A"}}}}}}},
                     {"\"no\" in the survivor column", {{"records", {{"r1", {{"group", "A"}, {"survivor", "no"}}}}}}}};
  sdk::Example gen;
  gen.name = "generated records";
  gen.params = {{"persons", {{"min", 6}, {"max", 8}}}, {"duplicates", {{"min", 2}, {"max", 4}}}};
  gen.seed = 5;
  gen.responses = {
      {"nothing grouped", json::object(), {sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::full()}}};
  sdk::Example namesakes;
  namesakes.name = "generated records with a father and son of one name and address";
  namesakes.params = {{"persons", {{"min", 5}, {"max", 6}}}, {"duplicates", {{"min", 1}, {"max", 2}}}, {"namesakes", true}};
  namesakes.seed = 7;
  namesakes.responses = {{"nothing grouped or sent to review",
                          json::object(),
                          {sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::none(), sdk::Credit::none()}}};
  return {fixed, gen, namesakes};
}

}  // namespace assay::ehr
