// The evidence pages in headless Chromium: forty candidates sit a four-question screening (one
// question's key is wrong: the strong candidates choose another option) and most fill in the
// voluntary self-identification form; one more does it all in the browser. The administrator's
// item-analysis page shows the items with their flags, the wrong key among them, the
// reliability figures and the options of the flagged items, and the selection rates by group;
// the manager's shows the same without the selection rates.
#include <fstream>
#include <string>

#include "browser_pages.hpp"

namespace {

using namespace browser_test;

/// Four single-choice items, one point each: q1 easy, q2 and q3 harder, q4 keyed "a" although
/// the strong candidates choose "c" (a wrong key).
std::string four_items() {
  std::string t = R"(schema = 1
[assessment]
id = "fixture-evidence-browser"
title = "Fixture: four choices"
version = "1.0"
kind = "screening"
roles = ["biomedical-technician"]
requires = { core-items = ">=1.0" }
[outcome]
pass_percent = 50
[[competency]]
id = "c"
title = "C"
[[section]]
id = "s"
title = "S"
)";
  for (int i = 1; i <= 4; ++i)
    t += "[[item]]\nid = \"q" + std::to_string(i) + "\"\ntitle = \"Question " + std::to_string(i) +
         "\"\nsection = \"s\"\ncompetency = \"c\"\ntype = \"core-items/single-choice\"\n[item.params]\nprompt = \"Question " +
         std::to_string(i) +
         "\"\noptions = [ { id = \"a\", text = \"A\" }, { id = \"b\", text = \"B\" }, { id = \"c\", text = \"C\" } ]\n"
         "correct = \"" +
         (i == 4 ? "a" : "b") + "\"\nshuffle = false\n[[item.criteria]]\nid = \"correct\"\npoints = 1\n";
  return t;
}

/// What candidate `i` of 40 chooses for item `q`: the abler (higher i) know more.
std::string choice(int i, int q) {
  if (q == 4) return i >= 20 ? "c" : (i % 3 == 0 ? "a" : "b");
  int needed = q == 1 ? 5 : q == 2 ? 15 : 25;
  return i >= needed ? "b" : (i % 2 ? "a" : "c");
}

}  // namespace

TEST_CASE("the item analysis and adverse impact pages, and the candidate's voluntary form, in Chromium", "[browser-evidence]") {
  const fs::path artefacts = fs::path(ASSAY_BROWSER_ARTEFACTS).parent_path() / "artefacts-evidence";
  const fs::path shots = artefacts / "screenshots";
  const fs::path work = artefacts / "run";
  fs::remove_all(artefacts);
  fs::create_directories(shots);
  fs::create_directories(work / "assessments");
  std::ofstream(work / "assessments" / "four.toml") << four_items();
  Rig rig(work, (work / "assessments").string());
  webdriver::Session staff(rig.driver_port, capabilities(artefacts / "downloads"));

  staff.go(rig.setup_link);
  staff.type("#setup-form input[name=username]", "admin");
  staff.type("#setup-form input[name=password]", "correct horse battery");
  staff.type("#setup-form input[name=password2]", "correct horse battery");
  staff.click("#setup-form button[type=submit]");
  staff.wait_for_text("Accounts");
  REQUIRE(
      staff_api(staff, "POST", "/api/users", {{"username", "manager1"}, {"password", "manager1-password"}, {"role", "manager"}})
          .at("status") == 201);

  const auto now = std::chrono::system_clock::now();
  json c = staff_api(staff, "POST", "/api/campaigns",
                     {{"title", "Spring intake"},
                      {"assessment", "fixture-evidence-browser"},
                      {"opens", iso_utc(now - std::chrono::minutes(5))},
                      {"closes", iso_utc(now + std::chrono::hours(24))}});
  REQUIRE(c.at("status") == 201);
  const std::string id = std::to_string(c.at("body").at("id").get<long long>());
  auto invite = [&](const std::string& name) {
    json inv = staff_api(staff, "POST", "/api/campaigns/" + id + "/candidates", {{"name", name}});
    REQUIRE(inv.at("status") == 201);
    return inv.at("body").at("link").get<std::string>();
  };

  // Forty through the API; all but five self-identify (the EEO-1 form, the default).
  for (int i = 0; i < 40; ++i) {
    Candidate cand(rig.base, invite("Candidate " + std::to_string(i)));
    cand.start();
    for (int q = 1; q <= 4; ++q) cand.answer(q, {{"answer", json::array({choice(i, q)})}});
    cand.submit();
    if (i >= 35) continue;
    cand.self_identify({{"race_ethnicity", i % 2 ? "Asian" : "White"}, {"sex", i % 3 ? "Female" : "Decline to answer"}});
  }

  // One more in the browser: after the receipt, the voluntary form, answered.
  {
    webdriver::Session cand(rig.driver_port, capabilities(artefacts / "downloads"));
    cand.go(invite("Browser Candidate"));
    cand.click("#start");
    for (int q = 1; q <= 4; ++q) {
      cand.wait_for_text("Question " + std::to_string(q) + " of 4");
      cand.click("input[value=b]");
      cand.wait_until("const s = document.querySelector('#save-state'); return s && s.dataset.state === 'saved'", "answer saved");
      if (q < 4) cand.click("#next");
    }
    cand.click("#review");
    cand.click("#submit");
    cand.click("#confirm-submit");
    cand.wait_for_text("Your answers were received");
    cand.find("#self-id-form");
    std::string page = cand.body_text();
    CHECK(page.find("Voluntary self-identification") != std::string::npos);
    CHECK(page.find("cannot change your result") != std::string::npos);
    check_names(cand, "the receipt with the voluntary form");
    shot(cand, shots, "candidate-self-identification", 640);
    cand.click("#self-id-form fieldset[data-question=race_ethnicity] input[value=\"Hispanic or Latino\"]");
    cand.click("#self-id-form fieldset[data-question=sex] input[value=\"Decline to answer\"]");
    cand.click("#self-id-form button[type=submit]");
    cand.wait_for_text("your answers were recorded");
    CHECK(console_errors(cand).empty());
  }

  // The administrator's page.
  staff.go(rig.base + "/staff#campaigns/" + id);
  staff.click("#evidence-link");
  staff.find("#item-stats");
  staff.find("#selection-rates");
  json rows = staff.exec(R"(
    return [...document.querySelectorAll('#item-stats tbody tr')].map((r) => ({
      item: r.querySelector('th').textContent,
      flags: [...r.querySelectorAll('li')].map((l) => l.textContent)}));
  )");
  INFO(rows.dump());
  REQUIRE(rows.size() == 4);
  for (const auto& r : rows) {
    bool miskey = std::find(r.at("flags").begin(), r.at("flags").end(), json("Possible miskey")) != r.at("flags").end();
    CHECK(miskey == (r.at("item").get<std::string>().find("q4") != std::string::npos));
  }
  CHECK(staff.exists("#reliability"));
  CHECK(staff.body_text().find("Options of the flagged items") != std::string::npos);
  json groups = staff.exec("return [...document.querySelectorAll('#selection-rates tbody th')].map((t) => t.textContent).sort()");
  CHECK(groups == json::array({"Asian", "White"}));  // Hispanic or Latino: one candidate, too few to show
  shot(staff, shots, "evidence-admin-1280");
  shot(staff, shots, "evidence-admin-640", 640);
  check_names(staff, "the item analysis page");
  check_reflows(staff, "the item analysis page at 1280 px");
  CHECK(console_errors(staff).empty());

  // The manager's: the same items, no selection rates.
  staff.click("#sign-out");
  staff.find("#login-form");
  staff.type("#login-form input[name=username]", "manager1");
  staff.type("#login-form input[name=password]", "manager1-password");
  staff.click("#login-form button[type=submit]");
  staff.wait_until("return document.querySelector('#sign-out') !== null", "signed in as manager1");
  staff.go(rig.base + "/staff#campaigns/" + id + "/evidence");
  staff.find("#item-stats");
  CHECK_FALSE(staff.exists("#adverse-impact"));
  CHECK(staff.body_text().find("Asian") == std::string::npos);
  CHECK(staff_api(staff, "GET", "/api/campaigns/" + id + "/adverse-impact").at("status") == 403);
}
