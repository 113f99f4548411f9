// The rater's day on the shipped content, in headless Chromium: a server over the repository's
// own assessments/, one screening campaign per role, a candidate in each who writes the
// screening's rated answer (the incident summary, the downtime notice, the service report) and
// submits. A rater signs in, sees each written answer beside its prompt and the rubric's levels
// with their descriptors (and no candidate's name), rates each, and the results leave "pending".
// While the ratings page stays open, a new written answer arrives on it by itself, without a
// reload. The candidates answer through the candidate API: the candidate pages have their own
// test (browser_test.cpp).
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "browser_pages.hpp"

namespace {

using namespace browser_test;

/// The position and interaction id of every written (extended-text) answer on a form: the rated
/// item's, and any a performance task takes as free text (a firewall rule set, say).
std::vector<std::pair<int, std::string>> written_items(const json& state) {
  std::vector<std::pair<int, std::string>> out;
  for (const auto& it : state.at("items"))
    for (const auto& i : it.at("presentation").value("interactions", json::array()))
      if (i.value("type", "") == "extended-text") out.emplace_back(it.at("n").get<int>(), i.at("id").get<std::string>());
  INFO(state.dump());
  REQUIRE_FALSE(out.empty());
  return out;
}

}  // namespace

TEST_CASE("a rater rates the written answers of every shipped screening in Chromium", "[browser-rater]") {
  const fs::path artefacts = fs::path(ASSAY_BROWSER_ARTEFACTS).parent_path() / "artefacts-rater";
  const fs::path shots = artefacts / "screenshots";
  const fs::path work = artefacts / "run";
  fs::remove_all(artefacts);
  fs::create_directories(shots);
  fs::create_directories(work);
  Rig rig(work, std::string(ASSAY_SOURCE_DIR) + "/assessments");
  webdriver::Session staff(rig.driver_port, capabilities(artefacts / "downloads"));

  auto sign_in = [&](const std::string& user, const std::string& password) {
    if (staff.exists("#sign-out")) staff.click("#sign-out");
    staff.find("#login-form");
    staff.type("#login-form input[name=username]", user);
    staff.type("#login-form input[name=password]", password);
    staff.click("#login-form button[type=submit]");
    staff.wait_until("return document.querySelector('#sign-out') !== null", "signed in as " + user);
  };

  staff.go(rig.setup_link);
  staff.type("#setup-form input[name=username]", "admin");
  staff.type("#setup-form input[name=password]", "correct horse battery");
  staff.type("#setup-form input[name=password2]", "correct horse battery");
  staff.click("#setup-form button[type=submit]");
  staff.wait_for_text("Accounts");
  REQUIRE(staff_api(staff, "POST", "/api/users", {{"username", "rater1"}, {"password", "rater1-password"}, {"role", "rater"}})
              .at("status") == 201);

  // One screening campaign per shipped role, one candidate in each.
  const auto now = std::chrono::system_clock::now();
  json assessments = staff_api(staff, "GET", "/api/assessments").at("body");
  std::vector<std::string> campaigns;
  std::vector<std::string> links;
  for (const auto& a : assessments) {
    if (a.at("kind") != "screening") continue;
    json c = staff_api(staff, "POST", "/api/campaigns",
                       {{"title", "Intake: " + a.at("title").get<std::string>()},
                        {"assessment", a.at("id")},
                        {"opens", iso_utc(now - std::chrono::minutes(5))},
                        {"closes", iso_utc(now + std::chrono::hours(24))}});
    REQUIRE(c.at("status") == 201);
    campaigns.push_back(std::to_string(c.at("body").at("id").get<long long>()));
    json inv = staff_api(staff, "POST", "/api/campaigns/" + campaigns.back() + "/candidates",
                         {{"name", "Candidate " + std::to_string(campaigns.size())}});
    REQUIRE(inv.at("status") == 201);
    links.push_back(inv.at("body").at("link").get<std::string>());
  }
  REQUIRE(campaigns.size() == 3);  // cybersecurity analyst, EHR administrator, biomedical technician

  // Each candidate writes only the rated answer and submits: the rest scores 0.
  auto write_and_submit = [&](const std::string& link, const std::string& text) {
    Candidate cand(rig.base, link);
    for (const auto& [n, interaction] : written_items(cand.start())) cand.answer(n, {{interaction, text}});
    cand.submit();
  };
  for (std::size_t i = 0; i < links.size(); ++i)
    write_and_submit(links[i], "Written answer " + std::to_string(i + 1) + ": what happened, what was done, what comes next.");

  // The rater's queue: three written answers, each with its prompt and the shipped rubric.
  // Pages look for changes every second in this test (20 s by default), read when a page loads.
  staff.exec("localStorage.setItem('assay-refresh-ms', '1000')");
  staff.refresh();
  staff.find("#sign-out");  // the reloaded page knows who is signed in
  sign_in("rater1", "rater1-password");
  staff.go(rig.base + "/staff#ratings");
  staff.wait_until("return document.querySelectorAll('article.rating').length === 3", "three written answers awaiting a level");
  std::string page = staff.body_text();
  for (int i = 1; i <= 3; ++i) CHECK(page.find("Written answer " + std::to_string(i)) != std::string::npos);
  CHECK(page.find("Candidate 1") == std::string::npos);  // rated blind
  json articles = staff.exec(R"(
    return [...document.querySelectorAll('article.rating')].map((a) => ({
      attempt: a.dataset.attempt,
      prompt: (a.querySelector('.prompt') || {}).textContent || '',
      levels: [...a.querySelectorAll('input[type=radio]')].map((r) => r.value),
      descriptors: a.querySelectorAll('.descriptor').length}));
  )");
  for (const auto& a : articles) {
    INFO(a.dump());
    CHECK(a.at("prompt").get<std::string>().size() > 40);  // the task as the candidate read it
    CHECK(a.at("levels").size() >= 3);                     // a rubric a rater can apply
    CHECK(a.at("descriptors").get<std::size_t>() == a.at("levels").size());
  }
  shot(staff, shots, "ratings-1280");
  shot(staff, shots, "ratings-640", 640);
  check_names(staff, "the ratings page on the shipped screenings");

  // Rates each: the best level for the first, the lowest for the others.
  std::map<std::string, std::string> given;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const auto& a = articles[i];
    std::string id = a.at("attempt").get<std::string>();
    std::string level = i == 0 ? a.at("levels").front().get<std::string>() : a.at("levels").back().get<std::string>();
    std::string article = "article.rating[data-attempt=\"" + id + "\"]";
    staff.click(article + " input[value=\"" + level + "\"]");
    staff.click(article + " button[type=submit]");
    staff.wait_until("return document.querySelector(arguments[0]) === null", "rating saved", json::array({article}));
    given[id] = level;
  }
  staff.wait_for_text("Nothing awaits a rating.");
  CHECK(console_errors(staff).empty());

  // The page stays open: a fourth written answer appears on it by itself, with no reload.
  staff.exec("window.assayStillHere = true");
  json extra = staff_api(staff, "POST", "/api/campaigns/" + campaigns[0] + "/candidates", {{"name", "Candidate 4"}});
  // A rater cannot invite: the refusal shows the role boundary holds on the way.
  CHECK(extra.at("status") == 403);
  sign_in("admin", "correct horse battery");
  extra = staff_api(staff, "POST", "/api/campaigns/" + campaigns[0] + "/candidates", {{"name", "Candidate 4"}});
  REQUIRE(extra.at("status") == 201);
  sign_in("rater1", "rater1-password");
  staff.go(rig.base + "/staff#ratings");
  staff.wait_for_text("Nothing awaits a rating.");
  staff.exec("window.assayStillHere = true");
  write_and_submit(extra.at("body").at("link").get<std::string>(), "Written answer 4, sent while the rater's page was open.");
  staff.wait_until("return document.querySelectorAll('article.rating').length === 1 && window.assayStillHere === true",
                   "the new answer shown without a reload", json::array(), std::chrono::seconds(15));
  CHECK(staff.body_text().find("Written answer 4") != std::string::npos);

  // The manager's view: each rated attempt has left "pending" and carries the level given.
  sign_in("admin", "correct horse battery");
  for (const auto& [attempt, level] : given) {
    json a = staff_api(staff, "GET", "/api/attempts/" + attempt).at("body");
    INFO(a.dump());
    const json& result = a.at("result");
    CHECK(result.at("outcome") != "pending");
    bool found = false;
    for (const auto& it : result.at("items"))
      for (const auto& c : it.at("criteria"))
        if (c.at("rated").get<bool>()) {
          found = true;
          CHECK(c.value("level", "") == level);
        }
    CHECK(found);
  }
}
