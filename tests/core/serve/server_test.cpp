// assay serve over real HTTP: staff sign-in, CSRF and roles, a campaign from invitation to
// ranked result, the candidate link's guarantees, and the no-leak test (bad requests and bounds:
// bounds_test.cpp; proxies and link guessing: proxy_test.cpp).
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "assay/json_schema.hpp"
#include "assay/model.hpp"
#include "assay/report.hpp"
#include "assay/results.hpp"
#include "harness.hpp"

using namespace serve_test;
using Catch::Matchers::Contains;

namespace {

/// The answer to an item of the fixtures, by its prompt: the key when `correct`, else a wrong one.
json answer_for(const json& presentation, bool correct) {
  auto prompt = presentation.at("prompt").get<std::string>();
  auto p = [&](const char* start) { return prompt.rfind(start, 0) == 0; };
  json a;
  if (p("Which SI unit measures"))
    a = correct ? json::array({"ohm"}) : json::array({"farad"});
  else if (p("Which are SI base units"))
    a = correct ? json::array({"ampere", "kelvin"}) : json::array({"volt"});
  else if (p("A 10 V source drives a 2 kilohm"))
    a = {{"value", correct ? "5" : "50"}, {"unit", "mA"}};
  else if (p("A 10 V source drives a resistor"))
    a = {{"value", correct ? "7.0731" : "3"}, {"unit", "mA"}};
  else if (p("Name the SI unit of frequency"))
    a = correct ? "hertz" : "second";
  else if (p("Put the steps in order"))
    a = correct ? json::array({"safe", "repair", "test"}) : json::array({"repair", "safe", "test"});
  else if (p("Match each quantity"))
    a = correct ? json{{"current", "A"}, {"charge", "C"}} : json{{"current", "C"}, {"charge", "A"}};
  else if (p("What do you do with a device"))
    a = "Isolate it, tag it out of service and report it to the biomedical engineering lead.";
  else
    FAIL("no answer for the prompt: " + prompt);
  return {{"answer", a}};
}

/// Starts (or resumes) the attempt and saves an answer to every item; `correct_items` says how
/// many of the first items get the key (the rest a wrong answer). Returns every reply.
std::vector<Reply> take(Browser& b, const std::string& token, std::size_t correct_items) {
  std::vector<Reply> replies;
  replies.push_back(b.get("/api/c/" + token));
  REQUIRE(replies.back().status == 200);
  replies.push_back(b.post("/api/c/" + token + "/start"));
  REQUIRE(replies.back().status == 200);
  auto state = replies.back().body;
  std::size_t n = 0;
  for (const auto& item : state.at("items")) {
    ++n;
    auto r = b.put(fmt::format("/api/c/{}/answers/{}", token, n), answer_for(item.at("presentation"), n <= correct_items).dump());
    CAPTURE(n, r.text);
    REQUIRE(r.status == 200);
    REQUIRE(r.body.at("saved") == true);
    replies.push_back(r);
  }
  replies.push_back(b.get("/api/c/" + token + "/attempt"));
  REQUIRE(replies.back().status == 200);
  return replies;
}

/// The campaign's results as the JSON Lines export gives them.
std::vector<assay::scoring::ScoreResult> results_of(Browser& manager, std::int64_t campaign) {
  std::vector<assay::scoring::ScoreResult> out;
  std::stringstream in(manager.get(fmt::format("/api/campaigns/{}/results.jsonl", campaign)).text);
  for (std::string line; std::getline(in, line);) out.push_back(assay::scoring::try_result_from_json(json::parse(line)).value());
  return out;
}

Reply submit(Browser& b, const std::string& token) {
  auto r = b.post("/api/c/" + token + "/submit");
  REQUIRE(r.status == 200);
  return r;
}

/// The $defs entry of sdk/schemas/candidate.schema.json that describes a reply of a candidate
/// route, chosen by route and status; "" for the one reply without a body (204 to signals).
/// Fails for any reply no schema describes.
std::string candidate_reply_schema(const Reply& r, const std::string& mode) {
  CAPTURE(r.method, r.path, r.status, r.text);
  const std::string prefix = "/api/c/";
  REQUIRE(r.path.rfind(prefix, 0) == 0);
  auto slash = r.path.find('/', prefix.size());
  std::string rest = slash == std::string::npos ? "" : r.path.substr(slash);  // after the token
  auto route = r.method + " " + rest;
  if (r.status == 204 && route == "POST /signals") return "";
  if (r.status == 409 && route == "GET " && r.body.is_object() && r.body.value("error", "") == "not_open") return "not-open";
  if (r.status >= 400) return "error";
  if (r.status == 200) {
    if (route == "GET ") return "link-info";
    if (route == "POST /start" || route == "GET /attempt") return "state";
    if (r.method == "PUT" && rest.rfind("/answers/", 0) == 0) return "answer-saved";
    if (route == "POST /submit" || route == "GET /outcome") return "outcome-" + mode;
  }
  FAIL("no candidate-facing schema describes this reply");
  return "";
}

/// Every candidate reply is exactly what candidate.schema.json allows: a member it does not list
/// (a leak) fails, as does a reply no schema describes.
void require_candidate_schema(const Reply& r, const std::string& mode) {
  auto def = candidate_reply_schema(r, mode);
  CAPTURE(r.method, r.path, r.status, r.text, def);
  if (def.empty()) {
    REQUIRE(r.text.empty());
    return;
  }
  REQUIRE(r.headers.find("Content-Type")->second == "application/json");
  std::string problems;
  for (const auto& v : assay::validate_json({{"$ref", "urn:assay:schema:candidate:1#/$defs/" + def}}, r.body))
    problems += "#" + v.pointer + ": " + v.message + "\n";
  CAPTURE(problems);
  REQUIRE(problems.empty());
}

}  // namespace

TEST_CASE("the set-up link creates the administrator once, and staff sign in", "[serve]") {
  TestServer server;
  REQUIRE(server.setup_token.size() == 43);  // 256 bits in base64url
  auto b = server.browser();

  SECTION("a wrong token is refused and creates nothing") {
    auto r = b.post("/api/setup", {{"token", "not-the-token"}, {"username", "admin"}, {"password", "password-admin"}});
    REQUIRE(r.status == 404);
    REQUIRE(r.body["message"] == "this set-up link has been used or is not valid");
    REQUIRE(server.store->user_count() == 0);
  }
  SECTION("the link works once") {
    auto body = json{{"token", server.setup_token}, {"username", "admin"}, {"password", "password-admin"}};
    REQUIRE(b.get("/api/setup").body == json{{"open", true}});
    REQUIRE(b.post("/api/setup", body).status == 200);
    REQUIRE(b.get("/api/setup").body == json{{"open", false}});
    body["username"] = "intruder";
    REQUIRE(b.post("/api/setup", body).status == 404);
    REQUIRE(server.store->user_count() == 1);
    REQUIRE(server.server->ensure_setup_token().empty());  // no new link once an account exists
  }
  SECTION("sign-in sets an HttpOnly SameSite=Strict cookie and gives the CSRF token") {
    REQUIRE(b.post("/api/setup", {{"token", server.setup_token}, {"username", "admin"}, {"password", "password-admin"}}).status ==
            200);
    auto wrong = b.post("/api/login", {{"username", "admin"}, {"password", "password-wrong"}});
    REQUIRE(wrong.status == 401);
    REQUIRE(wrong.body["message"] == "the user name or the password is wrong");
    auto r = b.post("/api/login", {{"username", "admin"}, {"password", "password-admin"}});
    REQUIRE(r.status == 200);
    REQUIRE(r.body["role"] == "administrator");
    auto cookie = r.headers.find("Set-Cookie")->second;
    REQUIRE_THAT(cookie, Contains("HttpOnly") && Contains("SameSite=Strict"));
    auto me = b.get("/api/me");
    REQUIRE(me.status == 200);
    REQUIRE(me.body["csrf"] == r.body["csrf"]);
    // The password is stored as an Argon2id hash, never as given.
    auto user = server.store->find_user("admin");
    REQUIRE(user->password_hash.rfind("$argon2id$", 0) == 0);
  }
  SECTION("a weak password is refused") {
    auto r = b.post("/api/setup", {{"token", server.setup_token}, {"username", "admin"}, {"password", "short"}});
    REQUIRE(r.status == 400);
    REQUIRE(r.body["message"] == "the password must have at least 10 characters");
  }
}

TEST_CASE("staff changes without the session's CSRF token are refused and change nothing", "[serve]") {
  TestServer server;
  auto admin = server.staff();
  json body = {{"title", "t"},
               {"assessment", "fixture-take-screening"},
               {"opens", "2026-03-01T09:00:00Z"},
               {"closes", "2026-03-02T09:00:00Z"}};
  auto missing = admin.send("POST", "/api/campaigns", body.dump(), "application/json", /*with_csrf=*/false);
  REQUIRE(missing.status == 403);
  REQUIRE(missing.body["error"] == "csrf");
  auto forged = server.browser();
  forged.cookies_ = admin.cookies_;
  forged.csrf = "forged-token-forged-token-forged-token-forg";
  REQUIRE(forged.post("/api/campaigns", body).body["error"] == "csrf");
  REQUIRE(admin.get("/api/campaigns").body.empty());
  REQUIRE(admin.post("/api/campaigns", body).status == 201);
}

TEST_CASE("staff routes refuse unauthenticated and under-privileged requests", "[serve]") {
  TestServer server;
  auto admin = server.staff();
  auto campaign = make_campaign(admin, "fixture-take-screening");
  auto [who, method, path, status] = GENERATE_COPY(table<std::string, std::string, std::string, int>({
      {"nobody", "GET", "/api/campaigns", 401},
      {"nobody", "GET", "/api/campaigns/1/results", 401},
      {"nobody", "POST", "/api/users", 401},
      {"rater", "POST", "/api/campaigns", 403},
      {"rater", "GET", "/api/campaigns/1/results", 403},
      {"rater", "POST", "/api/campaigns/1/candidates", 403},
      {"rater", "GET", "/api/users", 403},
      {"manager", "POST", "/api/users", 403},
      {"manager", "GET", "/api/users", 403},
  }));
  CAPTURE(who, method, path);
  REQUIRE(campaign == 1);
  auto b = server.browser();
  if (who != "nobody") b.login(who, "password-" + who);
  auto r = b.send(method, path, R"({"name": "x", "username": "x", "role": "rater", "password": "password-xxxx"})");
  REQUIRE(r.status == status);
  REQUIRE(r.body["error"] == (status == 401 ? "login_required" : "forbidden"));
  REQUIRE(server.store->users().size() == 3);
  REQUIRE(server.store->candidates(1).empty());
}

TEST_CASE("a screening runs from invitation through rating to a ranked result", "[serve]") {
  TestServer server;
  auto admin = server.staff();
  auto manager = server.browser();
  manager.login("manager", "password-manager");
  auto campaign = make_campaign(manager, "fixture-take-screening");

  // Two candidates from CSV; the reply is the links for the mail system.
  auto csv = manager.send(
      "POST", fmt::format("/api/campaigns/{}/candidates.csv", campaign),
      "name,email,external_ref\r\nAda Lovelace,ada@example.org,ATS-1\r\n\"Hopper, Grace\",grace@example.org,ATS-2\r\n",
      "text/csv");
  REQUIRE(csv.status == 200);
  std::vector<std::string> lines;
  std::stringstream ss(csv.text);
  for (std::string line; std::getline(ss, line);) lines.push_back(line);
  REQUIRE(lines.size() == 3);
  REQUIRE_THAT(lines[0], Contains("name,email,external_ref,candidate_id,link"));
  REQUIRE_THAT(lines[2], Contains("\"Hopper, Grace\",grace@example.org,ATS-2,2,http://127.0.0.1:"));
  auto token_a = token_of(lines[1].substr(0, lines[1].size() - 1));
  auto token_b = token_of(lines[2].substr(0, lines[2].size() - 1));

  server.clock.advance(std::chrono::hours(1));  // 09:00: the campaign opens
  auto ada = server.browser(), grace = server.browser();
  take(ada, token_a, 7);
  take(grace, token_b, 1);
  REQUIRE(grace.post("/api/c/" + token_b + "/signals", {{"kind", "focus_lost"}, {"n", 3}}).status == 204);
  REQUIRE(grace.post("/api/c/" + token_b + "/signals", {{"kind", "copy"}}).status == 400);
  auto statuses = manager.get(fmt::format("/api/campaigns/{}/candidates", campaign)).body;
  REQUIRE(statuses[0]["status"] == "started");
  REQUIRE(submit(ada, token_a).body ==
          json{{"status", "received"}, {"campaign", "March intake"}, {"submitted", "2026-03-01T09:00:00Z"}});
  submit(grace, token_b);
  REQUIRE(manager.get(fmt::format("/api/campaigns/{}/candidates", campaign)).body[1]["status"] == "submitted");

  // The essay awaits a rater: both results are pending.
  auto results = manager.get(fmt::format("/api/campaigns/{}/results", campaign)).body;
  REQUIRE(results["pending"] == 2);
  REQUIRE(results["ranking"][0]["outcome"] == "pending");
  auto rater = server.browser();
  rater.login("rater", "password-rater");
  auto pending = rater.get(fmt::format("/api/campaigns/{}/ratings", campaign));
  REQUIRE(pending.status == 200);
  REQUIRE(pending.body.size() == 2);
  REQUIRE(pending.body[0]["criterion"] == "quality");
  REQUIRE(pending.body[0]["levels"][0]["name"] == "good");
  auto bad_level = rater.post(fmt::format("/api/attempts/{}/ratings", pending.body[0]["attempt_id"].get<std::string>()),
                              {{"item", "essay"}, {"criterion", "quality"}, {"level", "excellent"}});
  REQUIRE(bad_level.status == 400);
  REQUIRE(bad_level.body["message"] == "criterion 'quality' has no level 'excellent'; its levels: good; weak");
  for (const auto& p : pending.body) {
    bool is_ada = p == pending.body[0];
    auto r = rater.post(fmt::format("/api/attempts/{}/ratings", p["attempt_id"].get<std::string>()),
                        {{"item", "essay"}, {"criterion", "quality"}, {"level", is_ada ? "good" : "weak"}});
    REQUIRE(r.status == 200);
    // A rater judges the answer, not the candidate: no outcome in the reply, and no second rating.
    CHECK(r.body == json{{"rated", true}, {"item", "essay"}, {"criterion", "quality"}, {"level", is_ada ? "good" : "weak"}});
    auto again = rater.post(fmt::format("/api/attempts/{}/ratings", p["attempt_id"].get<std::string>()),
                            {{"item", "essay"}, {"criterion", "quality"}, {"level", "good"}});
    CHECK(again.status == 409);
    CHECK(again.body["error"] == "already_rated");
  }

  // Hand-checked: Ada earns every point, 9 of 9 (100 %, Proficient); Grace only the single
  // choice (1 point) and a weak essay (0), 1 of 9 = 11.1 %, below the 70 % pass mark.
  results = manager.get(fmt::format("/api/campaigns/{}/results", campaign)).body;
  REQUIRE(results["pending"] == 0);
  const auto& first = results["ranking"][0];
  const auto& second = results["ranking"][1];
  REQUIRE(first["name"] == "Ada Lovelace");
  REQUIRE(first["rank"] == 1);
  REQUIRE(first["outcome"] == "pass");
  REQUIRE(first["percent"] == "100");
  REQUIRE(first["level"] == "Proficient");
  REQUIRE(second["name"] == "Hopper, Grace");
  REQUIRE(second["outcome"] == "fail");
  REQUIRE(second["percent"] == "100/9");
  REQUIRE(second["percent_display"] == "11.1");
  // Integrity signals are shown as flags, never as a reason to fail.
  REQUIRE(second["flags"] == json::array({{{"kind", "focus_lost"}, {"detail", "item 3"}, {"at", "2026-03-01T09:00:00Z"}}}));
  REQUIRE(first["flags"].empty());
  REQUIRE(second["reasons"] ==
          json::array({{{"code", "below_pass_mark"}, {"text", "scored 11.1%, below the pass mark of 70%"}}}));
  // Staff read each answer as a person wrote it: the option's text, not its id.
  auto view = manager.get(fmt::format("/api/attempts/{}", first["attempt_id"].get<std::string>())).body;
  REQUIRE(view["responses_text"]["single"] == "ohm");
  REQUIRE(view["responses_text"]["multiple"] == "ampere; kelvin");
  // ... beside the question each item asked this candidate.
  CHECK(view["prompts"]["single"] == "Which SI unit measures electrical resistance?");
  CHECK(view["prompts"].size() == view["attempt"]["form"].size());
  REQUIRE(pending.body[0]["response_text"].is_string());

  // Exports in assay score's shapes.
  auto summary = manager.get(fmt::format("/api/campaigns/{}/results.csv", campaign));
  REQUIRE(summary.status == 200);
  REQUIRE(summary.text.rfind("\xEF\xBB\xBF"
                             "candidate_id,name,email,external_ref,attempt_id,assessment_id,assessment_version,outcome,level,"
                             "points,max,percent",
                             0) == 0);
  auto html = manager.get(fmt::format("/api/campaigns/{}/report.html", campaign));
  REQUIRE(html.status == 200);
  // assay report's page over the exported results, each candidate named as staff know them.
  auto named = results_of(manager, campaign);
  std::map<std::string, std::string> names;
  for (const auto& row : results["ranking"])
    names[fmt::format("c-{}", row["candidate_id"].get<int>())] = row["name"].get<std::string>();
  for (auto& r : named) r.candidate_id = names.at(r.candidate_id) + " (" + r.candidate_id + ")";
  REQUIRE(html.text == assay::report::summary_html(named, "March intake"));
  REQUIRE_THAT(html.text, Contains("<title>March intake</title>"));
  REQUIRE_THAT(html.text, Contains("Ada Lovelace (c-"));
  // Its own policy replaces the default one (which would block its inline style), and it is the
  // only policy sent: browsers enforce every one they get.
  REQUIRE(html.headers.count("Content-Security-Policy") == 1);
  REQUIRE(html.headers.find("Content-Security-Policy")->second ==
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'");
  auto jsonl = manager.get(fmt::format("/api/campaigns/{}/results.jsonl", campaign));
  std::stringstream js(jsonl.text);
  int n = 0;
  for (std::string line; std::getline(js, line); ++n) {
    auto doc = json::parse(line);
    REQUIRE(doc["result"] == 1);
    REQUIRE(doc["view"] == "full");
    REQUIRE(assay::validate_json(assay::builtin_schema("result"), doc).empty());
  }
  REQUIRE(n == 2);

  // Excluding the multiple-choice item rescores both and is logged: Ada 7 of 7; Grace 1 of 7.
  auto excluded = manager.post(fmt::format("/api/campaigns/{}/exclusions", campaign),
                               {{"item", "multiple"}, {"reason", "two keys defensible"}});
  REQUIRE(excluded.body == json{{"rescored", 2}});
  results = manager.get(fmt::format("/api/campaigns/{}/results", campaign)).body;
  REQUIRE(results["ranking"][1]["percent"] == "100/7");
  auto log = manager.get(fmt::format("/api/campaigns/{}/log", campaign)).body;
  REQUIRE(log.back()["action"] == "exclude");
  REQUIRE(log.back()["detail"] == "item multiple: two keys defensible; 2 attempts rescored");
  REQUIRE(log.back()["user"] == "manager");
}

TEST_CASE("a CSV import with a bad row names its line and invites no one", "[serve][csv]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto [csv, message] = GENERATE(table<std::string, std::string>({
      {"", "line 1: expected the header row 'name,email,external_ref'"},
      {"email\r\nada@example.org\r\n", "line 1: the header row has no 'name' column"},
      {"name,email\r\nAda,ada@example.org\r\nGrace\r\n", "line 3: expected 2 fields, found 1"},
      {"name,email\r\n,ada@example.org\r\n", "line 2: the name is empty"},
      // Lines are the file's: a quoted field over two lines moves the next record to line 4.
      {"name,email\r\n\"Ada\r\nLovelace\",ada@example.org\r\nGrace\r\n", "line 4: expected 2 fields, found 1"},
      {"\r\nemail\r\nada@example.org\r\n", "line 2: the header row has no 'name' column"},
  }));
  CAPTURE(csv);
  auto r = manager.send("POST", fmt::format("/api/campaigns/{}/candidates.csv", campaign), csv, "text/csv");
  REQUIRE(r.status == 400);
  REQUIRE(r.body["error"] == "bad_csv");
  REQUIRE(r.body["message"] == message);
  REQUIRE(server.store->candidates(campaign).empty());
}

TEST_CASE("a CSV import that is not UTF-8 names the line, column and field, and invites no one", "[serve][csv][utf8]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  const std::string hint = ": save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")";
  auto [csv, message] = GENERATE_REF(table<std::string, std::string>({
      {std::string("name,email\r\nA\xC0\x80"
                   "da,a@example.org\r\n"),
       "line 2, column 2: expected UTF-8 text in field 1, found bytes 0xC0 0x80" + hint},  // overlong
      {"name,email\r\nAda,a@example.org\r\nGrace,\xED\xA0\x80\r\n",
       "line 3, column 7: expected UTF-8 text in field 2, found bytes 0xED 0xA0 0x80" + hint},  // surrogate
      {"name,email\r\nAda,a@example.org\r\nGr\xE2\x82",
       "line 3, column 3: expected UTF-8 text in field 1, found bytes 0xE2 0x82" + hint},  // truncated
      {"name,email\r\n\"Ada\r\nLovelace\",\xF4\x90\x80\x80\r\n",
       "line 3, column 11: expected UTF-8 text in field 2, found bytes 0xF4 0x90 0x80 0x80" + hint},  // above U+10FFFF
      {"name,email\r\nJos\xE9,j@example.org\r\n",
       "line 2, column 4: expected UTF-8 text in field 1, found byte 0xE9" + hint},  // saved as Latin-1
  }));
  CAPTURE(csv);
  auto r = manager.send("POST", fmt::format("/api/campaigns/{}/candidates.csv", campaign), csv, "text/csv");
  REQUIRE(r.status == 400);
  REQUIRE(r.body["error"] == "bad_csv");
  REQUIRE(r.body["message"] == message);
  REQUIRE(server.store->candidates(campaign).empty());
  // The same people in UTF-8 are invited, named as written.
  auto ok = manager.send("POST", fmt::format("/api/campaigns/{}/candidates.csv", campaign),
                         "\xEF\xBB\xBFname,email\r\nJos\xC3\xA9,j@example.org\r\n", "text/csv");
  REQUIRE(ok.status == 200);
  REQUIRE(server.store->candidates(campaign).at(0).name == "Jos\xC3\xA9");
}

TEST_CASE("a JSON body that is not UTF-8 is refused before it is parsed", "[serve][utf8]") {
  TestServer server;
  auto manager = server.staff();
  auto [bytes, found] = GENERATE(table<std::string, std::string>({
      {std::string("\xC0\x80"), "bytes 0xC0 0x80"},       // overlong
      {"\xED\xA0\x80", "bytes 0xED 0xA0 0x80"},           // surrogate
      {"\xE2\x82", "bytes 0xE2 0x82"},                    // truncated
      {"\xF4\x90\x80\x80", "bytes 0xF4 0x90 0x80 0x80"},  // above U+10FFFF
  }));
  CAPTURE(found);
  auto r = manager.send("POST", "/api/campaigns",
                        R"({"title": ")" + bytes +
                            R"(", "assessment": "fixture-take-screening", )"
                            R"("opens": "2026-03-01T09:00:00Z", "closes": "2026-03-02T09:00:00Z"})");
  REQUIRE(r.status == 400);
  REQUIRE(r.body["error"] == "bad_json");
  REQUIRE(r.body["message"] == "the body is not UTF-8: found " + found + " (at byte 12)");
  REQUIRE(manager.get("/api/campaigns").body.empty());
}

TEST_CASE("candidates with the same percent are ranked by candidate id", "[serve][rank]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  std::vector<Invite> invited;
  for (int i = 1; i <= 10; ++i) invited.push_back(invite(manager, campaign, fmt::format("candidate {}", i)));
  REQUIRE(invited[8].id == 9);
  REQUIRE(invited[9].id == 10);
  server.clock.advance(std::chrono::hours(1));
  // Candidate 10 submits first; candidates 9 and 10 give the same answers, candidate 1 fewer right.
  for (std::size_t i : {9, 8, 0}) {
    auto b = server.browser();
    take(b, invited[i].token, i == 0 ? 1 : 7);
    submit(b, invited[i].token);
  }
  for (const auto& p : manager.get(fmt::format("/api/campaigns/{}/ratings", campaign)).body)
    REQUIRE(manager
                .post(fmt::format("/api/attempts/{}/ratings", p["attempt_id"].get<std::string>()),
                      {{"item", "essay"}, {"criterion", "quality"}, {"level", "good"}})
                .status == 200);
  auto ranking = manager.get(fmt::format("/api/campaigns/{}/results", campaign)).body["ranking"];
  REQUIRE(ranking.size() == 3);
  REQUIRE(ranking[0]["percent"] == ranking[1]["percent"]);
  // By the number, as staff read it: 9 before 10.
  REQUIRE(ranking[0]["candidate_id"] == 9);
  REQUIRE(ranking[0]["rank"] == 1);
  REQUIRE(ranking[1]["candidate_id"] == 10);
  REQUIRE(ranking[1]["rank"] == 2);
  REQUIRE(ranking[2]["candidate_id"] == 1);
  REQUIRE(ranking[2]["rank"] == 3);
}

TEST_CASE("a candidate link opens only its own attempt, in one browser", "[serve]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening");
  auto a = invite(manager, campaign, "a"), b = invite(manager, campaign, "b");
  server.clock.advance(std::chrono::hours(1));
  auto browser_a = server.browser(), browser_b = server.browser();
  take(browser_a, a.token, 7);
  auto started_b = browser_b.post("/api/c/" + b.token + "/start");
  REQUIRE(started_b.status == 200);
  // The browser sends the attempt cookie back only on this link's routes.
  // It outlives the browser session: until an hour after the attempt must end (10 minutes here).
  REQUIRE(started_b.headers.find("Set-Cookie")
              ->second.find("; Path=/api/c/" + b.token + "; Max-Age=4200; HttpOnly; SameSite=Strict") != std::string::npos);
  // Each candidate counts once as invited, whatever they have done since (one never starts).
  invite(manager, campaign, "idle");
  auto counts = manager.get(fmt::format("/api/campaigns/{}", campaign)).body.at("counts");
  CAPTURE(counts);
  REQUIRE(counts == json{{"invited", 3}, {"started", 2}, {"submitted", 0}, {"revoked", 0}});

  SECTION("A's browser cannot read or answer B's attempt") {
    auto r = browser_a.get("/api/c/" + b.token + "/attempt");
    REQUIRE(r.status == 409);
    REQUIRE(r.body["message"] == "this attempt is open in another browser");
    REQUIRE(browser_a.put("/api/c/" + b.token + "/answers/1", R"({"answer": ["ohm"]})").status == 409);
    auto state_b = browser_b.get("/api/c/" + b.token + "/attempt").body;
    for (const auto& item : state_b["items"]) REQUIRE(item["answer"].is_null());
  }
  SECTION("a second browser is refused and flagged; the first resumes") {
    auto other = server.browser();
    auto r = other.post("/api/c/" + a.token + "/start");
    REQUIRE(r.status == 409);
    REQUIRE(r.body["error"] == "other_browser");
    auto resumed = browser_a.post("/api/c/" + a.token + "/start");
    REQUIRE(resumed.status == 200);
    REQUIRE(resumed.body["items"][0]["answer"] == json{{"answer", json::array({"ohm"})}});
    auto flags = manager.get(fmt::format("/api/campaigns/{}/candidates", campaign)).body[0]["flags"];
    REQUIRE(flags.size() == 1);
    REQUIRE(flags[0]["kind"] == "second_browser");
  }
  SECTION("a revoked link is refused") {
    REQUIRE(manager.post(fmt::format("/api/candidates/{}/revoke", b.id)).status == 204);
    auto r = browser_b.get("/api/c/" + b.token + "/attempt");
    REQUIRE(r.status == 404);
    REQUIRE(r.body["message"] == "this link is not valid: ask the hospital for a new one");
  }
  SECTION("a submitted link takes no answers and starts nothing") {
    submit(browser_a, a.token);
    auto r = browser_a.put("/api/c/" + a.token + "/answers/1", R"({"answer": ["farad"]})");
    REQUIRE(r.status == 409);
    REQUIRE(r.body["message"] == "the attempt has been submitted: answers can no longer change");
    auto again = browser_a.post("/api/c/" + a.token + "/start");
    REQUIRE(again.status == 409);
    REQUIRE(again.body["message"] == "this link has been used: the attempt was submitted");
  }
  SECTION("after the campaign closes, a link is refused and a running attempt is submitted") {
    server.clock.advance(std::chrono::hours(8));  // 17:00
    auto r = browser_b.get("/api/c/" + b.token);
    REQUIRE(r.status == 410);
    REQUIRE(r.body["message"] == "this campaign has closed");
    REQUIRE(browser_b.post("/api/c/" + b.token + "/start").status == 410);
    auto candidates = manager.get(fmt::format("/api/campaigns/{}/candidates", campaign)).body;
    REQUIRE(candidates[1]["status"] == "submitted");
  }
}

TEST_CASE("answers after the deadline are refused and the saved ones are submitted at it", "[serve]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take-screening", {{"time_limit", 600}});
  auto c = invite(manager, campaign, "c");
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  auto started = b.post("/api/c/" + c.token + "/start");
  REQUIRE(started.body["deadline"] == "2026-03-01T09:10:00Z");
  REQUIRE(started.body["remaining"] == 600);
  REQUIRE(b.put("/api/c/" + c.token + "/answers/1", R"({"answer": ["ohm"]})").status == 200);
  server.clock.advance(std::chrono::seconds(600));
  auto late = b.put("/api/c/" + c.token + "/answers/2", R"({"answer": ["ampere", "kelvin"]})");
  REQUIRE(late.status == 409);
  REQUIRE(late.body["error"] == "time_up");
  REQUIRE(late.body["message"] == "time is up: this answer came after the deadline and was not saved");
  auto attempt = server.store->attempts_of(c.id).at(0).attempt;
  REQUIRE(attempt.answers.size() == 1);
  REQUIRE(assay::format_time(*attempt.submitted) == "2026-03-01T09:10:00Z");

  SECTION("extra time granted to a candidate moves the deadline and records who granted it") {
    auto d = invite(manager, campaign, "d");
    auto r = manager.post(fmt::format("/api/candidates/{}/accommodation", d.id), {{"extra_time", 300}, {"note", "dyslexia"}});
    REQUIRE(r.status == 200);
    REQUIRE(r.body["extra_time_by"] == "admin");
    auto bd = server.browser();
    REQUIRE(bd.post("/api/c/" + d.token + "/start").body["remaining"] == 900);
  }
}

TEST_CASE("no candidate-facing response carries a key, explanation, source or feedback", "[serve][leak]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "serve-sentinels");

  std::vector<Reply> replies;
  std::size_t first_candidate_replies = 0;
  auto keep = [&](const Reply& r) { replies.push_back(r); };
  // Before the campaign opens (08:00; it opens at 09:00).
  auto early = invite(manager, campaign, "early");
  auto early_browser = server.browser();
  keep(early_browser.get("/api/c/" + early.token));
  REQUIRE(replies.back().status == 409);
  keep(early_browser.post("/api/c/" + early.token + "/start"));
  REQUIRE(replies.back().status == 409);
  server.clock.advance(std::chrono::hours(1));

  std::string last_token;
  for (std::size_t correct : {std::size_t{7}, std::size_t{0}}) {
    first_candidate_replies = replies.size();
    auto c = invite(manager, campaign, "candidate-" + std::to_string(correct));
    last_token = c.token;
    auto b = server.browser();
    for (auto& r : take(b, c.token, correct)) keep(r);
    keep(b.post("/api/c/" + c.token + "/signals", {{"kind", "paste"}, {"n", 4}}));
    keep(b.post("/api/c/" + c.token + "/signals", {{"kind", "print"}}));
    keep(b.put("/api/c/" + c.token + "/answers/3", R"({"answer": {"value": "five"}})"));
    keep(b.put("/api/c/" + c.token + "/answers/42", R"({"answer": ["ohm"]})"));
    keep(b.put("/api/c/" + c.token + "/answers/1", R"({"answer": ")" + std::string(300 * 1024, 'x') + R"("})"));
    keep(b.get("/api/c/" + c.token + "/nothing"));
    keep(server.browser().get("/api/c/" + c.token + "/attempt"));  // another browser
    keep(b.get("/api/c/" + c.token + "/outcome"));                 // before submission
    keep(b.post("/api/c/" + c.token + "/submit"));
    keep(b.get("/api/c/" + c.token));
    keep(b.get("/api/c/" + c.token + "/outcome"));
    keep(b.get("/api/c/" + c.token + "/attempt"));
    keep(b.post("/api/c/" + c.token + "/signals", {{"kind", "paste"}}));
    keep(b.post("/api/c/" + c.token + "/start"));
    keep(b.put("/api/c/" + c.token + "/answers/1", R"({"answer": ["ohm"]})"));
    REQUIRE(replies.back().status == 409);
  }
  // After the campaign closes (17:00), then an address guessing links until it is refused.
  server.clock.advance(std::chrono::hours(8));
  auto late = server.browser();
  keep(late.get("/api/c/" + last_token));
  keep(late.post("/api/c/" + last_token + "/start"));
  keep(late.get("/api/c/" + last_token + "/outcome"));
  for (int i = 0; i < 21; ++i) keep(late.get("/api/c/" + std::string(43, static_cast<char>('a' + i))));
  REQUIRE(replies.back().status == 429);

  // Every reply is one of candidate.schema.json's, chosen by route and status, and every status
  // a candidate can meet was met.
  std::set<int> statuses;
  for (const auto& r : replies) {
    require_candidate_schema(r, "screening");
    statuses.insert(r.status);
  }
  REQUIRE(statuses == std::set<int>{200, 204, 400, 404, 409, 410, 413, 429});

  // Every presentation a candidate received is valid presentation v1.
  for (const auto& r : replies)
    if (r.body.is_object() && r.body.contains("items") && r.body["items"].is_array())
      for (const auto& item : r.body["items"])
        REQUIRE(assay::validate_json(assay::builtin_schema("presentation"), item["presentation"]).empty());

  // The secrets: every "sntnl" value of the fixture, anything of a result, and the plugins'
  // feedback on the answers given. The numeric key is secret from the candidate who did not
  // answer with it (the last one).
  std::vector<std::string> secrets = {"sntnl", "below_pass_mark", "criteria", "\"points\"", "\"outcome\""};
  auto loaded =
      assay::model::try_load_and_prepare(fs::path(ASSAY_TEST_FIXTURES) / "serve" / "sentinel-screening.toml", registry());
  REQUIRE(loaded);
  for (const auto& a : server.store->campaign_attempts(campaign))
    for (const auto& fi : a.attempt.form.items) {
      auto idx = static_cast<std::size_t>(loaded->assessment.item_index(fi.item_id));
      if (auto ans = a.attempt.answers.find(fi.item_id); ans != a.attempt.answers.end())
        if (auto fb = loaded->prepared[idx].feedback(fi.seed, ans->second); fb && fb.value().size() >= 12)
          secrets.push_back(fb.value());
    }
  REQUIRE(secrets.size() > 10);
  REQUIRE(replies.size() > 30);
  for (std::size_t i = first_candidate_replies; i < replies.size(); ++i) {
    CAPTURE(replies[i].text);
    REQUIRE(replies[i].text.find("7.0731") == std::string::npos);
  }
  for (const auto& r : replies) {
    std::string all = r.text;
    for (const auto& [k, v] : r.headers) all += "\n" + k + ": " + v;
    for (const auto& s : secrets) {
      CAPTURE(s, r.status, r.text);
      REQUIRE(all.find(s) == std::string::npos);
    }
  }
  // The staff side has them: the sentinels are live.
  auto results = manager.get(fmt::format("/api/campaigns/{}/results.jsonl", campaign));
  REQUIRE_THAT(results.text, Contains("sntnl-item-number"));
}

TEST_CASE("a practice campaign shows the candidate feedback after submission", "[serve]") {
  TestServer server;
  auto manager = server.staff();
  auto campaign = make_campaign(manager, "fixture-take");
  auto c = invite(manager, campaign, "learner");
  server.clock.advance(std::chrono::hours(1));
  auto b = server.browser();
  auto replies = take(b, c.token, 0);
  replies.push_back(submit(b, c.token));
  replies.push_back(b.get("/api/c/" + c.token + "/outcome"));
  REQUIRE(replies.back().status == 200);
  // Each reply, the outcome with its result and review included, is the practice one of
  // candidate.schema.json: nothing more.
  for (const auto& r : replies) require_candidate_schema(r, "practice");
  auto out = replies.back().body;
  REQUIRE(out["status"] == "received");
  REQUIRE(out["result"]["view"] == "candidate");
  REQUIRE_FALSE(out["result"]["items"][0].contains("criteria"));
  REQUIRE(out["review"].size() == out["result"]["items"].size());
  bool any_feedback = false;
  for (const auto& r : out["review"]) any_feedback = any_feedback || !r["feedback"].get<std::string>().empty();
  REQUIRE(any_feedback);
  REQUIRE_FALSE(out["review"][0]["explanation"].get<std::string>().empty());
}
