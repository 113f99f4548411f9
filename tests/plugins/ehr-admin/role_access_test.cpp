#include <catch2/catch.hpp>

#include <set>

#include "properties.hpp"
#include "role_access.hpp"

using assay::ehr::RoleAccess;
using assay::sdk::Credit;
using assay::sdk::json;

namespace {

json params() {
  json permissions = json::array();
  for (auto id : {"p1", "p2", "p3", "p4", "p5", "p6"})
    permissions.push_back({{"id", id}, {"text", std::string("permission ") + id}});
  return {{"permissions", permissions},
          {"roles", {{{"id", "clerk"}, {"title", "Clerk"}, {"description", "Registers patients."}}}},
          {"key", {{"clerk", {{"required", {"p1", "p2"}}, {"allowed", {"p3"}}, {"forbidden", {"p5", "p6"}}}}}}};
}

}  // namespace

TEST_CASE("role-access scores required, forbidden and minimum necessary separately", "[ehr][role-access]") {
  auto item = RoleAccess::prepare(params());
  // required {p1, p2}; allowed {p3}; forbidden {p5, p6}; p4 is neither (not needed).
  auto [grant, credits] = GENERATE(table<std::vector<std::string>, std::vector<Credit>>({
      {{"p1", "p2"}, {{1, 1}, {1, 1}, {1, 1}}},
      {{"p1", "p2", "p3"}, {{1, 1}, {1, 1}, {1, 1}}},  // allowed costs nothing
      {{"p1", "p2", "p4"}, {{1, 1}, {1, 1}, {2, 3}}},  // not needed: not minimal
      {{"p1", "p5"}, {{1, 2}, {1, 2}, {1, 2}}},
      {{"p1", "p2", "p3", "p4", "p5", "p6"}, {{1, 1}, {0, 2}, {3, 6}}},
      {{"p4"}, {{0, 2}, {2, 2}, {0, 1}}},
      {{}, {{0, 2}, {2, 2}, {0, 1}}},  // nothing granted is no answer, and nothing forbidden granted
  }));
  CHECK(RoleAccess::criteria()[1].id == "none-forbidden");
  CHECK(RoleAccess::criteria()[1].safety);  // only granting a forbidden permission loses it
  CHECK_FALSE(RoleAccess::criteria()[0].safety);
  CAPTURE(grant);
  REQUIRE(item.score(1, {{"grant", grant}}) == credits);
}

TEST_CASE("role-access feedback names what is missing, forbidden and unneeded, by the permissions' text", "[ehr][role-access]") {
  auto p = params();
  p["key"]["clerk"]["notes"] = {{"p5", "clinical notes are not part of registration"}};
  auto item = RoleAccess::prepare(p);
  auto fb = item.feedback(1, {{"grant", {"p1", "p4", "p5"}}});
  REQUIRE(fb ==
          "the job needs, but was not granted (over-cautious, not unsafe): \"permission p2\"\n"
          "granted, but this role must not have (the unsafe error): \"permission p5\"\n"
          "granted, but more than the job needs: \"permission p4\"\n"
          "  \"permission p5\": clinical notes are not part of registration\n");
  REQUIRE(item.feedback(1, {{"grant", {"p1", "p2"}}}) ==
          "the minimum necessary: every permission the job needs, nothing it must not have\n");
  REQUIRE_THROWS_AS(item.score(1, {{"grant", "p1"}}), assay::sdk::ResponseError);
  REQUIRE_THROWS_AS(item.score(1, {{"grant", {1}}}), assay::sdk::ResponseError);
  // A permission the system does not have was ignored before; it cannot be granted, so it is
  // refused with the permissions there are.
  REQUIRE_THAT(ehr_test::malformed_message(item, 1, {{"grant", {"p1", "unknown"}}}),
               Catch::Matchers::StartsWith("permissions to grant: \"unknown\" is not one of the options; choose "));
}

TEST_CASE("role-access shows the job and every permission, never the key", "[ehr][role-access]") {
  auto ex = RoleAccess::examples()[1];
  auto item = RoleAccess::prepare(ex.params);
  std::set<std::string> roles_seen;
  for (auto seed : ehr_test::seeds(200)) {
    CAPTURE(seed);
    auto shown = item.present(seed);
    auto text = shown["material"][0]["text"].get<std::string>();
    REQUIRE(text.rfind("Role: " + item.role(seed).title + "\n", 0) == 0);
    roles_seen.insert(item.role(seed).id);
    auto& options = shown["interactions"][0]["options"];
    REQUIRE(options.size() == ex.params["permissions"].size());
    std::set<std::string> ids;
    for (auto& o : options) ids.insert(o["id"].get<std::string>());
    REQUIRE(ids.size() == options.size());
    REQUIRE(shown.dump().find("required") == std::string::npos);
    REQUIRE(shown.dump().find("forbidden") == std::string::npos);
  }
  REQUIRE(roles_seen == std::set<std::string>{"coder", "scheduler"});
}

TEST_CASE("role-access refuses bad params with the key path", "[ehr][role-access]") {
  auto set = [](json p, const std::string& ptr, json v) {
    p[json::json_pointer(ptr)] = std::move(v);
    return p;
  };
  auto base = params();
  auto without = [](json p, const std::string& ptr) {
    json::json_pointer jp(ptr);
    p[jp.parent_pointer()].erase(jp.back());
    return p;
  };
  auto [bad, pointer, message] = GENERATE_COPY(table<json, std::string, std::string>({
      {set(base, "/permissions/1/id", "p1"), "/permissions/1/id", "duplicate permission id \"p1\""},
      {set(base, "/permissions/1/id", "P 2"), "/permissions/1/id",
       "expected an id of lowercase letters, digits, '-' and '_', found \"P 2\""},
      {set(base, "/permissions", json::array({{{"id", "p1"}, {"text", "x"}}})), "/permissions",
       "expected at least two permissions to choose from"},
      {set(base, "/roles/0/description", ""), "/roles/0/description", "expected the job description the candidate reads"},
      {set(base, "/key/nurse", {{"required", {"p1"}}, {"forbidden", json::array()}}), "/key/nurse", "no role with id \"nurse\""},
      {set(base, "/key/clerk/required/1", "p9"), "/key/clerk/required/1", "no permission with id \"p9\""},
      {set(base, "/key/clerk/forbidden/0", "p1"), "/key/clerk/forbidden/0", "\"p1\" is already in 'required'"},
      {set(base, "/key/clerk/required", json::array()), "/key/clerk/required",
       "expected at least one permission the job requires"},
      {without(base, "/key/clerk/forbidden"), "/key/clerk", "missing required key 'forbidden'"},
      {set(base, "/key/clerk/notes", {{"p7", "x"}}), "/key/clerk/notes/p7", "no permission with id \"p7\""},
      {set(base, "/roles/1", {{"id", "nurse"}, {"title", "Nurse"}, {"description", "Cares."}}), "/key",
       "missing the key of role \"nurse\""},
      {without(base, "/key"), "", "missing required key 'key'"},
      {set(base, "/colour", 1), "/colour", "unknown parameter 'colour'"},
  }));
  CAPTURE(bad.dump());
  auto [ptr, msg] = ehr_test::refusal<RoleAccess>(bad);
  REQUIRE(ptr == pointer);
  REQUIRE(msg == message);
}

TEST_CASE("role-access keeps its properties over many seeds", "[ehr][role-access][property]") {
  for (auto& ex : RoleAccess::examples()) {
    CAPTURE(ex.name);
    ehr_test::check_properties<RoleAccess>(ex.params, ex.alt_secret);
  }
}

TEST_CASE("role-access examples earn the credits they declare", "[ehr][role-access]") { ehr_test::check_examples<RoleAccess>(); }
