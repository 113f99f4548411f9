#include "role_access.hpp"

#include <algorithm>

#include "common.hpp"

namespace assay::ehr {

using sdk::json;

namespace {

const char* kRolePrompt =
    "A new user needs an EHR account for the job described below. Grant the minimum necessary permissions: everything the "
    "job needs and nothing more (HIPAA Privacy Rule, 45 CFR 164.502(b) and 164.514(d)(2)).";

// The seed draws the role first, then the order the permissions are shown in.
struct Draw {
  std::size_t role;
  std::vector<std::size_t> order;
};

Draw draw(std::uint64_t seed, std::size_t roles, std::size_t permissions) {
  sdk::Rng rng(seed);
  Draw d{static_cast<std::size_t>(rng.below(roles)), {}};
  for (std::size_t i = 0; i < permissions; ++i) d.order.push_back(i);
  rng.shuffle(d.order);
  return d;
}

std::set<std::string> read_grant(const json& response) {
  std::set<std::string> out;
  if (auto g = response_member(response, "grant", json::value_t::array)) {
    for (auto& x : *g) {
      if (!x.is_string())
        throw sdk::ResponseError("interaction 'grant': expected permission ids, found " + std::string(sdk::json_kind(x)));
      out.insert(x.get<std::string>());
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

json RoleAccess::schema() {
  json perm = {{"type", "object"},
               {"properties", {{"id", {{"type", "string"}}}, {"text", {{"type", "string"}}}}},
               {"required", {"id", "text"}},
               {"additionalProperties", false}};
  json role = {
      {"type", "object"},
      {"properties", {{"id", {{"type", "string"}}}, {"title", {{"type", "string"}}}, {"description", {{"type", "string"}}}}},
      {"required", {"id", "title", "description"}},
      {"additionalProperties", false}};
  json ids = {{"type", "array"}, {"items", {{"type", "string"}}}};
  json key = {{"type", "object"},
              {"properties",
               {{"required", ids},
                {"allowed", ids},
                {"forbidden", ids},
                {"notes", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}}},
              {"required", {"required", "forbidden"}},
              {"additionalProperties", false}};
  // The seed draws the role asked about and the order of the permissions.
  return sdk::generated_material(sdk::object_schema(
      {{"prompt", {{"type", "string"}}},
       {"permissions", {{"type", "array"}, {"items", perm}, {"minItems", 2}, {"maxItems", 60}}},
       {"roles",
        {{"type", "array"},
         {"items", role},
         {"minItems", 1},
         {"maxItems", 30},
         {"description", "role templates: one is drawn per seed (a single role is a fixed item)"}}},
       {"key", sdk::secret({{"type", "object"},
                            {"additionalProperties", key},
                            {"description", "per role id: the permissions its job requires, may have, must not have"}})}},
      {"permissions", "roles", "key"}));
}

std::vector<sdk::Criterion> RoleAccess::criteria() {
  return {{"required-granted", "permissions the job requires that are granted, out of all it requires"},
          {"none-forbidden",
           "forbidden permissions withheld, out of all forbidden permissions (a safety criterion: granting less never loses "
           "it)",
           false, true},
          {"minimum-necessary", "granted permissions the job requires or may have, out of all granted"}};
}

RoleAccess RoleAccess::prepare(const json& params) {
  sdk::Params p(params);
  RoleAccess item;
  static const std::set<std::string> kKnown = {"prompt", "permissions", "roles", "key"};
  for (auto& [k, v] : p.members())
    if (!kKnown.count(k)) v.fail("unknown parameter '" + k + "'");
  item.prompt_ = p.has("prompt") ? p.at("prompt").str() : kRolePrompt;
  std::set<std::string> perms;
  auto pl = p.at("permissions");
  for (auto& x : pl.items()) {
    Permission perm{read_id(x.at("id")), x.at("text").str()};
    if (!perms.insert(perm.id).second) x.at("id").fail("duplicate permission id \"" + perm.id + "\"");
    if (perm.text.empty()) x.at("text").fail("expected a description of what the permission allows");
    item.permissions_.push_back(perm);
  }
  if (item.permissions_.size() < 2) pl.fail("expected at least two permissions to choose from");
  std::set<std::string> role_ids;
  auto rl = p.at("roles");
  for (auto& x : rl.items()) {
    Role r{read_id(x.at("id")), x.at("title").str(), x.at("description").str()};
    if (!role_ids.insert(r.id).second) x.at("id").fail("duplicate role id \"" + r.id + "\"");
    if (r.description.empty()) x.at("description").fail("expected the job description the candidate reads");
    item.roles_.push_back(r);
  }
  if (item.roles_.empty()) rl.fail("expected at least one role");
  auto kp = p.at("key");
  for (auto& [role, entry] : kp.members()) {
    if (!role_ids.count(role)) entry.fail("no role with id \"" + role + "\"");
    Key k;
    std::map<std::string, std::string> where;  // permission -> the list it is in
    auto read_list = [&](const char* name, std::set<std::string>& out) {
      auto list = entry.find(name);
      if (!list) return;
      for (auto& x : list->items()) {
        auto id = x.str();
        if (!perms.count(id)) x.fail("no permission with id \"" + id + "\"");
        auto [it, fresh] = where.emplace(id, name);
        if (!fresh) x.fail("\"" + id + "\" is already in '" + it->second + "'");
        out.insert(id);
      }
    };
    for (auto& [k2, v2] : entry.members())
      if (k2 != "required" && k2 != "allowed" && k2 != "forbidden" && k2 != "notes") v2.fail("unknown key '" + k2 + "'");
    if (!entry.has("required")) entry.fail("missing required key 'required'");
    if (!entry.has("forbidden")) entry.fail("missing required key 'forbidden'");
    read_list("required", k.required);
    read_list("allowed", k.allowed);
    read_list("forbidden", k.forbidden);
    if (k.required.empty()) entry.at("required").fail("expected at least one permission the job requires");
    if (auto n = entry.find("notes")) {
      for (auto& [id, text] : n->members()) {
        if (!perms.count(id)) text.fail("no permission with id \"" + id + "\"");
        k.notes[id] = text.str();
      }
    }
    item.keys_[role] = k;
  }
  for (auto& r : item.roles_)
    if (!item.keys_.count(r.id)) kp.fail("missing the key of role \"" + r.id + "\"");
  return item;
}

const RoleAccess::Role& RoleAccess::role(std::uint64_t seed) const {
  return roles_[draw(seed, roles_.size(), permissions_.size()).role];
}

const RoleAccess::Key& RoleAccess::key(std::uint64_t seed) const { return keys_.at(role(seed).id); }

json RoleAccess::present(std::uint64_t seed) const {
  auto d = draw(seed, roles_.size(), permissions_.size());
  const Role& r = roles_[d.role];
  json rows = json::array(), options = json::array();
  for (auto i : d.order) {
    rows.push_back({permissions_[i].id, permissions_[i].text});
    options.push_back({{"id", permissions_[i].id}, {"text", permissions_[i].id + ": " + permissions_[i].text}});
  }
  json material = json::array({json{{"kind", "text"}, {"text", "Role: " + r.title + "\n" + r.description}},
                               json{{"kind", "table"}, {"columns", {"Permission", "What it allows"}}, {"rows", rows}}});
  json interactions = json::array({json{{"id", "grant"},
                                        {"type", "choice"},
                                        {"prompt", "Permissions to grant"},
                                        {"multiple", true},
                                        {"min", 0},
                                        {"options", options}}});
  return presentation(prompt_, material, interactions);
}

std::vector<sdk::Credit> RoleAccess::score(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  const Key& k = key(seed);
  auto granted = read_grant(checked);
  std::uint64_t required = 0, forbidden = 0, justified = 0;
  for (auto& g : granted) {
    required += k.required.count(g);
    forbidden += k.forbidden.count(g);
    justified += k.required.count(g) + k.allowed.count(g);
  }
  sdk::Credit req = sdk::Credit::fraction(required, k.required.size());
  sdk::Credit none =
      k.forbidden.empty() ? sdk::Credit::full() : sdk::Credit::fraction(k.forbidden.size() - forbidden, k.forbidden.size());
  // Granting nothing is not minimal, it is no answer: no credit on this criterion either.
  sdk::Credit minimal = granted.empty() ? sdk::Credit::none() : sdk::Credit::fraction(justified, granted.size());
  return {req, none, minimal};
}

json RoleAccess::solve(std::uint64_t seed) const {
  const Key& k = key(seed);
  return json{{"grant", std::vector<std::string>(k.required.begin(), k.required.end())}};
}

std::string RoleAccess::feedback(std::uint64_t seed, const json& response) const {
  const json checked = checked_response(present(seed), response);
  const Key& k = key(seed);
  auto granted = read_grant(checked);
  std::vector<std::string> missing, forbidden, extra;
  for (auto& r : k.required)
    if (!granted.count(r)) missing.push_back(r);
  for (auto& g : granted) {
    if (k.forbidden.count(g))
      forbidden.push_back(g);
    else if (!k.required.count(g) && !k.allowed.count(g))
      extra.push_back(g);
  }
  // Permissions are named by the text the candidate saw, never by their ids.
  auto texts = [&](const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const auto& id : ids) out.push_back("\"" + text_of(id) + "\"");
    return joined(out);
  };
  std::string out;
  if (!missing.empty()) out += "the job needs, but was not granted (over-cautious, not unsafe): " + texts(missing) + "\n";
  if (!forbidden.empty()) out += "granted, but this role must not have (the unsafe error): " + texts(forbidden) + "\n";
  if (!extra.empty()) out += "granted, but more than the job needs: " + texts(extra) + "\n";
  if (out.empty()) out = "the minimum necessary: every permission the job needs, nothing it must not have\n";
  std::set<std::string> mentioned(missing.begin(), missing.end());
  mentioned.insert(forbidden.begin(), forbidden.end());
  mentioned.insert(extra.begin(), extra.end());
  for (auto& [id, note] : k.notes)
    if (mentioned.count(id)) out += "  \"" + text_of(id) + "\": " + note + "\n";
  return out;
}

std::string RoleAccess::text_of(const std::string& id) const {
  for (const auto& p : permissions_)
    if (p.id == id) return p.text;
  return id;
}

std::vector<sdk::Example> RoleAccess::examples() {
  json permissions = json::array({
      json{{"id", "schedule-read"}, {"text", "view appointment schedules"}},
      json{{"id", "schedule-write"}, {"text", "book, move and cancel appointments"}},
      json{{"id", "demographics-edit"}, {"text", "edit patient demographics and insurance"}},
      json{{"id", "chart-read"}, {"text", "read clinical notes, results and medications"}},
      json{{"id", "orders-write"}, {"text", "enter clinical orders"}},
      json{{"id", "billing-post"}, {"text", "post charges and payments"}},
      json{{"id", "break-glass"}, {"text", "open restricted records in an emergency"}},
      json{{"id", "user-admin"}, {"text", "create users and assign roles"}},
  });
  json roles = json::array({json{{"id", "scheduler"},
                                 {"title", "Outpatient scheduler"},
                                 {"description",
                                  "Books, moves and cancels clinic appointments by phone and updates a caller's address and "
                                  "insurance when they change. Takes no part in clinical care or billing."}}});
  json key = {{"scheduler",
               {{"required", {"schedule-read", "schedule-write", "demographics-edit"}},
                {"allowed", json::array()},
                {"forbidden", {"chart-read", "orders-write", "break-glass", "user-admin"}},
                {"notes", {{"chart-read", "a scheduler does not need clinical content to book a visit"}}}}}};
  sdk::Example fixed;
  fixed.name = "one role, hand-checked";
  fixed.params = {{"permissions", permissions}, {"roles", roles}, {"key", key}};
  json alt = key;
  alt["scheduler"]["required"] = {"schedule-read"};
  alt["scheduler"]["forbidden"] = json::array();
  fixed.alt_secret = {{"key", alt}};
  fixed.seed = 1;
  fixed.responses = {
      {"exactly the three the job needs",
       {{"grant", {"schedule-read", "schedule-write", "demographics-edit"}}},
       {sdk::Credit::full(), sdk::Credit::full(), sdk::Credit::full()}},
      {"the chart and billing added, demographics forgotten",
       {{"grant", {"schedule-read", "schedule-write", "chart-read", "billing-post"}}},
       {sdk::Credit::fraction(2, 3), sdk::Credit::fraction(3, 4), sdk::Credit::fraction(2, 4)}},
  };
  fixed.malformed = {{"a permission the system does not have", {{"grant", {"schedule-read", "schedule-admin"}}}}};
  sdk::Example gen;
  gen.name = "two role templates, one drawn per seed";
  json roles2 = roles;
  roles2.push_back({{"id", "coder"},
                    {"title", "Inpatient coder"},
                    {"description", "Assigns diagnosis and procedure codes from discharged inpatients' documentation."}});
  json key2 = key;
  key2["coder"] = {{"required", {"chart-read"}}, {"allowed", {"schedule-read"}}, {"forbidden", {"orders-write", "user-admin"}}};
  gen.params = {{"permissions", permissions}, {"roles", roles2}, {"key", key2}};
  json alt2 = key2;
  alt2["coder"]["required"] = {"billing-post"};
  gen.alt_secret = {{"key", alt2}};
  gen.seed = 4;
  gen.responses = {{"nothing granted", json::object(), {sdk::Credit::none(), sdk::Credit::full(), sdk::Credit::none()}}};
  return {fixed, gen};
}

}  // namespace assay::ehr
