// The browser UI of `assay serve`, end to end in Debian's headless Chromium (docs/serve.md,
// "Browser pages"): the administrator sets up through the printed link and creates staff
// accounts; a manager creates a campaign for an assessment with every interaction type
// (tests/fixtures/browser/every-interaction.toml) and invites two candidates, one by the form and
// one by CSV; both take it in their own browsers, answering every interaction, one reloading
// mid-way; a rater rates the extended answers; the manager reads the ranking, an item-level
// result, excludes an item and downloads the CSV. Along the way it holds the pages to their
// accessibility claims: the second candidate uses the keyboard alone at 200 % zoom, every control
// of every page visited has an accessible name, focus is always visible, the timer's warnings are
// said once in a polite live region, and the sign-in page explains the server's lock-out.
// Screenshots of the main pages are kept in ASSAY_BROWSER_ARTEFACTS for people to look at.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "browser_pages.hpp"

namespace {

using namespace browser_test;

/// Waits until the current question's answer is acknowledged by the server.
void wait_saved(webdriver::Session& b) {
  b.wait_until("const s = document.querySelector('#save-state'); return s && s.dataset.state === 'saved'", "answer saved");
}

void go_question(webdriver::Session& b, int n) {
  b.click(".qnav li:nth-child(" + std::to_string(n) + ") button");
  b.wait_for_text("Question " + std::to_string(n) + " of 9");
}

/// The cells of the table row matching `css`, each trimmed, joined with '|'.
std::string row_cells(webdriver::Session& b, const std::string& css) {
  return b
      .exec("return [...document.querySelector(arguments[0]).cells].map(c => c.innerText.trim()).join('|')", json::array({css}))
      .get<std::string>();
}

std::vector<std::string> shown_order(webdriver::Session& b) {
  return b.exec("return [...document.querySelectorAll('.order-text')].map(e => e.textContent)").get<std::vector<std::string>>();
}

/// Puts the steps of the order question in `want` with the Up buttons, as a candidate would.
void arrange(webdriver::Session& b, const std::vector<std::string>& want) {
  for (std::size_t i = 0; i < want.size(); ++i) {
    auto now = shown_order(b);
    auto at = static_cast<std::size_t>(std::find(now.begin(), now.end(), want[i]) - now.begin());
    REQUIRE(at < now.size());
    std::string id =
        b.exec("return [...document.querySelectorAll('.order-list li')][arguments[0]].querySelector('button').dataset.id",
               json::array({at}))
            .get<std::string>();
    for (; at > i; --at) b.click("button[data-id=\"" + id + "\"][data-move=up]");
  }
  if (shown_order(b) == want && !b.exec("return document.querySelector('#save-state').dataset.state === 'saved'").get<bool>())
    b.click("fieldset.order button.secondary");  // already in order: say so
  REQUIRE(shown_order(b) == want);
}

// W3C WebDriver key values (https://www.w3.org/TR/webdriver2/#keyboard-actions).
constexpr const char* kTab = "\uE004";
constexpr const char* kShift = "\uE008";
constexpr const char* kEnter = "\uE007";
constexpr const char* kSpace = "\uE00D";
constexpr const char* kArrowDown = "\uE015";

// The focused element, described for messages, whether it shows a focus indicator (an outline
// of at least 2 px or a box shadow), whether it matches arguments[0], and whether this walk met
// it before.
constexpr const char* kFocusScript = R"(
  const e = document.activeElement;
  if (!e || e === document.body) return {what: 'the page itself', ring: true, match: false, again: false};
  const s = getComputedStyle(e);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
  const name = (e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].textContent : '') ||
                e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 50);
  const what = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.type ? `[type=${e.type}]` : '') + ` "${name}"`;
  window.assaySeen = window.assaySeen || new WeakSet();
  const again = window.assaySeen.has(e);
  window.assaySeen.add(e);
  return {what, ring, match: arguments[0] !== '' && e.matches(arguments[0]), again};
)";

/// A person using only the keyboard: Tab and Shift-Tab to move, keys to act, never a click.
/// Every element focus passes through must show where the focus is; those that do not are
/// collected for one check at the end.
class Keyboard {
 public:
  explicit Keyboard(webdriver::Session& b) : b_(b) {}

  /// Presses Tab until the focused element matches `css`, or Shift-Tab where it comes before
  /// the focused one.
  void tab_to(const std::string& css) {
    bool backwards = b_.exec(R"(
      const t = document.querySelector(arguments[0]), a = document.activeElement;
      return Boolean(t && a && a !== document.body && (t.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING));
    )",
                             json::array({css}))
                         .get<bool>();
    for (int i = 0; i < 60; ++i) {
      if (backwards)
        b_.chord(kShift, kTab);
      else
        b_.keys({kTab});
      if (note(css).value("match", false)) return;
    }
    FAIL("Tab never reached " << css << "; page:\n" << b_.body_text());
  }

  /// Tabs through every focusable element of the page once, from the focused one round to it.
  std::vector<std::string> walk() {
    b_.exec("window.assaySeen = new WeakSet()");
    std::vector<std::string> met;
    for (int i = 0; i < 150; ++i) {
      b_.keys({kTab});
      auto f = note("");
      if (f.value("again", false)) return met;
      met.push_back(f.value("what", ""));
    }
    FAIL("Tab does not come round on this page; met: " << json(met).dump());
    return met;
  }

  void press(const std::vector<std::string>& keys) { b_.keys(keys); }
  void type(const std::string& text) { b_.type_keys(text); }
  /// The focused element matches `css`.
  bool at(const std::string& css) {
    return b_.exec("return document.activeElement.matches(arguments[0])", json::array({css})).get<bool>();
  }

  /// Focused elements that showed no focus indicator.
  const std::set<std::string>& without_indicator() const { return no_ring_; }

 private:
  json note(const std::string& css) {
    auto f = b_.exec(kFocusScript, json::array({css}));
    if (!f.value("ring", true)) no_ring_.insert(f.value("what", ""));
    return f;
  }

  webdriver::Session& b_;
  std::set<std::string> no_ring_;
};

/// Puts the steps of the order question in `want` from the keyboard: Tab to a step's Up button,
/// Enter until it is in place. The focus stays with the step moved; its new place is announced.
void arrange_by_keyboard(Keyboard& kb, webdriver::Session& b, const std::vector<std::string>& want) {
  bool moved = false;
  for (std::size_t i = 0; i < want.size(); ++i) {
    auto now = shown_order(b);
    auto at = static_cast<std::size_t>(std::find(now.begin(), now.end(), want[i]) - now.begin());
    REQUIRE(at < now.size());
    if (at == i) continue;
    std::string id =
        b.exec("return [...document.querySelectorAll('.order-list li')][arguments[0]].querySelector('button').dataset.id",
               json::array({at}))
            .get<std::string>();
    kb.tab_to("button[data-id=\"" + id + "\"][data-move=up]");
    for (; at > i; --at) kb.press({kEnter});
    moved = true;
    CHECK(kb.at("button[data-id=\"" + id + "\"]"));
    CHECK(b.exec("return document.querySelector('fieldset.order [aria-live]').textContent").get<std::string>() ==
          "\"" + want[i] + "\" is now number " + std::to_string(i + 1) + " of " + std::to_string(want.size()));
  }
  if (!moved) {  // already in order: say so
    kb.tab_to("fieldset.order button.secondary");
    kb.press({kEnter});
  }
}

}  // namespace

TEST_CASE("a screening campaign runs end to end in headless Chromium", "[browser]") {
  const fs::path artefacts = ASSAY_BROWSER_ARTEFACTS;
  const fs::path shots = artefacts / "screenshots";
  const fs::path downloads = artefacts / "downloads";
  const fs::path work = artefacts / "run";
  fs::remove_all(artefacts);
  fs::create_directories(shots);
  fs::create_directories(downloads);
  fs::create_directories(work);

  Rig rig(work, std::string(ASSAY_TEST_FIXTURES) + "/browser");
  const std::string& base = rig.base;
  const std::string& setup_link = rig.setup_link;
  const int driver_port = rig.driver_port;

  webdriver::Session staff(driver_port, capabilities(downloads));

  auto sign_in = [&](const std::string& user, const std::string& password) {
    if (staff.exists("#sign-out"))
      staff.click("#sign-out");
    else
      staff.go(base + "/staff");
    staff.find("#login-form");
    staff.type("#login-form input[name=username]", user);
    staff.type("#login-form input[name=password]", password);
    staff.click("#login-form button[type=submit]");
    staff.wait_until("return document.querySelector('#sign-out') !== null", "signed in as " + user);
  };

  // --- The administrator sets up through the printed link and creates the staff accounts.
  staff.go(setup_link);
  staff.find("#setup-form");
  shot(staff, shots, "01-setup");
  check_names(staff, "the set-up page");
  staff.type("#setup-form input[name=username]", "admin");
  staff.type("#setup-form input[name=password]", "correct horse battery");
  staff.type("#setup-form input[name=password2]", "correct horse battery");
  staff.click("#setup-form button[type=submit]");
  staff.wait_for_text("Accounts");
  auto create_account = [&](const std::string& user, const std::string& role) {
    staff.type("#create-user input[name=new-username]", user);
    staff.type("#create-user input[name=new-password]", user + "-password");
    staff.choose("#create-user select[name=new-role]", role);
    staff.click("#create-user button[type=submit]");
    staff.wait_until(
        "return document.querySelector('#users') && document.querySelector('#users').innerText.includes(arguments[0])",
        "account " + user, json::array({user}));
  };
  create_account("manager1", "manager");
  create_account("rater1", "rater");
  CHECK(staff.text("#users tbody").find("Manager") != std::string::npos);
  CHECK(staff.text("#users tbody").find("Rater") != std::string::npos);
  shot(staff, shots, "02-accounts");
  check_names(staff, "the accounts page");
  staff.click("button[aria-label=\"Reset the password of rater1\"]");
  check_names(staff, "the accounts page with a password being reset");
  staff.click("#users form button[type=button]");
  CHECK(console_errors(staff).empty());

  // The set-up link works once, and says so at once when opened again (no form to fill in vain).
  staff.go(setup_link);
  staff.wait_for_text("This set-up link has been used");
  CHECK_FALSE(staff.exists("#setup-form"));
  staff.go(base + "/staff#users");
  staff.find("#users");
  CHECK(staff.text("#users").find("intruder") == std::string::npos);

  // --- The manager creates the campaign and invites two candidates.
  sign_in("manager1", "manager1-password");
  staff.wait_for_text("Campaigns");
  staff.click("#new-campaign");
  staff.find("#campaign-form");
  staff.choose("#campaign-form select[name=assessment]", "browser-every-interaction");
  staff.type("#campaign-form input[name=title]", "Biomed techs, browser intake");
  staff.type("#campaign-form textarea[name=privacy_notice]",
             "Riverside Hospital keeps your answers for 12 months to assess your application. Contact hr@example.org.");
  shot(staff, shots, "03-new-campaign");
  check_names(staff, "the new-campaign form");
  staff.click("#campaign-form button[type=submit]");
  staff.find("#invite-form");
  staff.wait_for_text("Biomed techs, browser intake");

  staff.type("#invite-form input[name=name]", "Ada Lovelace");
  staff.type("#invite-form input[name=email]", "ada@example.org");
  staff.type("#invite-form input[name=external_ref]", "ATS-1");
  staff.click("#invite-form button[type=submit]");
  staff.wait_until("return document.querySelectorAll('#new-links tbody tr').length === 1", "one new link");
  staff.type("#import-form textarea[name=csv]", "name,email,external_ref\nBen Okafor,ben@example.org,@SUM(1)\n");
  staff.click("#import-form button[type=submit]");
  staff.wait_until("return document.querySelectorAll('#new-links tbody tr').length === 2", "two new links");
  CHECK(staff.text("#counts") == "2 invited: 2 not started, 0 started, 0 submitted, 0 revoked");
  const std::string link_ada = staff.property("#new-links tbody tr:nth-child(1) input", "value").get<std::string>();
  const std::string link_ben = staff.property("#new-links tbody tr:nth-child(2) input", "value").get<std::string>();
  REQUIRE(link_ada.rfind(base + "/c/", 0) == 0);
  REQUIRE(link_ben.rfind(base + "/c/", 0) == 0);
  REQUIRE(link_ada != link_ben);
  staff.click("#download-links");
  std::string links_csv = wait_download(downloads / "campaign-1-links.csv");
  CHECK(links_csv.rfind("name,email,external_ref,candidate_id,link\r\n", 0) == 0);
  CHECK(links_csv.find("Ada Lovelace,ada@example.org,ATS-1,") != std::string::npos);
  // A reference a spreadsheet would run as a formula is written as text, as the server's CSV does.
  CHECK(links_csv.find("Ben Okafor,ben@example.org,'@SUM(1),") != std::string::npos);
  CHECK(links_csv.find(link_ada) != std::string::npos);
  CHECK(links_csv.find(link_ben) != std::string::npos);
  // Ben has 10 minutes' extra time; a third candidate's link is revoked.
  staff.click("tr[data-candidate=\"2\"] button[aria-label=\"Extra time for Ben Okafor\"]");
  staff.clear("tr[data-candidate=\"2\"] form input[type=number]");
  staff.type("tr[data-candidate=\"2\"] form input[type=number]", "10");
  staff.type("tr[data-candidate=\"2\"] form input[type=text]", "reading accommodation");
  check_names(staff, "the campaign page with the extra-time form open");
  staff.click("tr[data-candidate=\"2\"] form button[type=submit]");
  staff.wait_for_text("10 min (manager1: reading accommodation)");
  staff.type("#invite-form input[name=name]", "Cy Withdrawn");
  staff.click("#invite-form button[type=submit]");
  staff.wait_until("return document.querySelectorAll('#new-links tbody tr').length === 3", "three new links");
  const std::string link_cy = staff.property("#new-links tbody tr:nth-child(3) input", "value").get<std::string>();
  staff.click("tr[data-candidate=\"3\"] button.danger");
  staff.click("tr[data-candidate=\"3\"] .confirm-inline button.danger");
  staff.wait_until("return document.querySelector('tr[data-candidate=\"3\"] .status-revoked') !== null", "Cy revoked");
  CHECK(staff.text("#counts") == "3 invited: 2 not started, 0 started, 0 submitted, 1 revoked");
  staff.click("tr[data-candidate=\"3\"] button[data-action=delete]");
  staff.click("tr[data-candidate=\"3\"] button[data-action=confirm-delete]");
  staff.wait_for_text("Cy Withdrawn's data deleted");
  CHECK(staff.text("#candidates").find("Cy Withdrawn") == std::string::npos);
  CHECK(staff.text("#new-links").find("Cy Withdrawn") == std::string::npos);
  shot(staff, shots, "04-campaign");
  staff.window_size(640, 900);
  check_reflows(staff, "the campaign page");
  shot(staff, shots, "04-campaign-at-200-percent", 640);
  Keyboard staff_kb(staff);
  CHECK(staff_kb.walk().size() > 15);

  // --- A practice campaign with a one-minute limit: Pat answers both questions, does not
  // submit, and the page shows the result when the server's clock runs out. Pat's minute runs
  // while the others take their attempts.
  staff.go(base + "/staff#campaigns/new");
  staff.find("#campaign-form");
  staff.choose("#campaign-form select[name=assessment]", "browser-practice");
  staff.type("#campaign-form input[name=title]", "Practice round");
  staff.clear("#campaign-form input[name=time_limit]");
  staff.type("#campaign-form input[name=time_limit]", "1");
  staff.click("#campaign-form button[type=submit]");
  staff.find("#invite-form");
  staff.wait_for_text("Practice: candidates see feedback");
  staff.type("#invite-form input[name=name]", "Pat Practice");
  staff.click("#invite-form button[type=submit]");
  staff.wait_until("return document.querySelectorAll('#new-links tbody tr').length === 1", "the practice link");
  const std::string link_pat = staff.property("#new-links tbody tr:nth-child(1) input", "value").get<std::string>();
  webdriver::Session pat(driver_port, capabilities(downloads));
  pat.go(link_pat);
  pat.wait_for_text("1 minute");
  pat.click("#start");
  pat.wait_for_text("Question 1 of 2");
  pat.click("input[value=farad]");
  wait_saved(pat);
  pat.click("#next");
  pat.wait_for_text("Question 2 of 2");
  pat.type("input.number", "5");
  pat.choose("fieldset[data-interaction=answer] select", "mA");
  wait_saved(pat);

  // --- Ada takes it: right answers, a reload mid-way, a paste and a switch to another tab.
  {
    webdriver::Session ada(driver_port, capabilities(downloads));
    // Pat's running attempt opened in Ada's browser: refused, and recorded against Pat.
    ada.go(link_pat);
    ada.wait_for_text("This attempt is open in another browser");
    ada.go(link_ada);
    ada.wait_for_text("Privacy notice");
    CHECK(ada.body_text().find("Riverside Hospital keeps your answers for 12 months") != std::string::npos);
    CHECK(ada.body_text().find("30 minutes") != std::string::npos);
    shot(ada, shots, "05-candidate-intro");
    ada.click("#start");
    ada.wait_for_text("Question 1 of 9");
    ada.wait_until(R"(return /^Time left (29|30):\d\d$/.test(document.querySelector('.timer').textContent))", "the timer");

    // The item's picture, loaded from the attempt's own route, with its description and caption.
    ada.wait_until(
        "const i = document.querySelector('figure.material.image img'); return i && i.complete && i.naturalWidth === 160",
        "the item's picture");
    CHECK(ada.exec("return document.querySelector('figure.material.image img').alt") ==
          "The zigzag symbol of a resistor between two leads");
    CHECK(ada.body_text().find("The component whose property is asked for") != std::string::npos);
    ada.click("input[value=ohm]");
    wait_saved(ada);
    shot(ada, shots, "06-question-single-choice");
    ada.click("#next");
    ada.wait_for_text("Question 2 of 9");
    ada.click("input[value=ampere]");
    ada.click("input[value=kelvin]");
    wait_saved(ada);
    ada.click("#next");
    ada.wait_for_text("Question 3 of 9");
    // What is not a number is said so beside the field, in words the candidate can act on, never
    // marked right or wrong; the candidate fixes it.
    ada.type("input.number", "five");
    ada.choose("fieldset[data-interaction=answer] select", "mA");
    ada.wait_for_text("\"five\" is not a decimal number: write it like 4.95");
    shot(ada, shots, "07-question-numeric-problem");
    ada.clear("input.number");
    ada.type("input.number", "5");
    wait_saved(ada);
    // Numbers as people paste them are read as the terminal reads them.
    CHECK(ada.exec("return import('/interactions.js').then((m) => ['\u22127.2', '11\u2009112', '+0.5', '1 2', ' 5 "
                   "'].map(m.plainNumber))") == json{"-7.2", "11112", "+0.5", "1 2", "5"});
    shot(ada, shots, "07-question-numeric");
    ada.click("#next");
    ada.type("fieldset.text input", "hertz");
    wait_saved(ada);
    ada.click("#next");
    ada.wait_for_text("Question 5 of 9");
    arrange(ada, {"make it safe", "repair", "test"});
    wait_saved(ada);

    // Reload: the page comes back at question 5 with every saved answer, the clock still running.
    ada.refresh();
    ada.wait_for_text("Question 5 of 9");
    wait_saved(ada);
    go_question(ada, 1);
    CHECK(ada.property("input[value=ohm]", "checked").get<bool>());
    go_question(ada, 3);
    CHECK(ada.property("input.number", "value").get<std::string>() == "5");
    go_question(ada, 4);
    CHECK(ada.property("fieldset.text input", "value").get<std::string>() == "hertz");

    // Ada closes the browser and opens it again: the session's cookies are gone, the attempt's
    // cookie (it lasts the attempt) is not, and the attempt comes back unflagged.
    {
      // The attempt cookie's path is the link's API: read the cookies there.
      ada.go(base + "/api/c/" + link_ada.substr(link_ada.rfind('/') + 1) + "/attempt");
      json kept = json::array();
      for (const auto& c : ada.cookies())
        if (c.contains("expiry")) kept.push_back(c);
      REQUIRE(kept.size() == 1);
      webdriver::Session reopened(driver_port, capabilities(downloads));
      reopened.go(base + "/staff");  // the site, without touching the attempt
      for (const auto& c : kept) reopened.add_cookie(c);
      reopened.go(link_ada);
      reopened.wait_for_text("Question ");
      go_question(reopened, 1);
      CHECK(reopened.property("input[value=ohm]", "checked").get<bool>());
      CHECK(reopened.body_text().find("open in another browser") == std::string::npos);
    }
    ada.go(link_ada);
    ada.wait_for_text("Question ");

    go_question(ada, 6);
    ada.choose("select[data-left=current]", "A");
    ada.choose("select[data-left=charge]", "C");
    wait_saved(ada);
    shot(ada, shots, "08-question-match");
    ada.click("#next");
    ada.wait_for_text("Question 7 of 9");
    // A paste into a text answer is recorded (a synthetic paste event: the headless clipboard is empty).
    ada.exec("document.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', {bubbles: true}))");
    ada.type("textarea", "Take it out of service at once, label it, and report it to the biomedical engineering lead.");
    wait_saved(ada);
    // Leaving for another tab hides the page: recorded as focus lost.
    ada.visit_other_tab(500ms);
    ada.click("#next");
    ada.wait_for_text("Question 8 of 9");
    ada.type("input[data-field=event]", "A01");
    ada.type("input[data-field=mrn]", "1358754");
    ada.type("input[data-field=class]", "I");
    wait_saved(ada);
    shot(ada, shots, "09-question-fields");
    ada.click("#next");
    ada.wait_for_text("Question 9 of 9");
    ada.click("fieldset[data-interaction=flagged] input[value=m1]");
    ada.choose("select[data-row=m1][data-col=defect]", "bad-datetime");
    wait_saved(ada);
    shot(ada, shots, "10-question-select-lines-table");
    // 200 % zoom of a 1280-pixel window is a 640-pixel viewport: the page reflows, no sideways scrolling.
    ada.window_size(640, 900);
    check_reflows(ada, "question 9");
    shot(ada, shots, "11-question-at-200-percent", 640);

    ada.click("#review");
    ada.wait_for_text("Review your answers");
    CHECK(ada.body_text().find("All 9 questions are answered.") != std::string::npos);
    shot(ada, shots, "12-review");
    // At 640 pixels the review still reads as a table: each "Go to" stays on one line.
    ada.window_size(640, 900);
    check_reflows(ada, "the review page");
    CHECK(ada.exec("return [...document.querySelectorAll('table.review button')].every((b) => b.getClientRects().length === 1)")
              .get<bool>());
    shot(ada, shots, "12-review-at-200-percent", 640);
    ada.click("#submit");
    ada.click("#confirm-submit");
    ada.wait_for_text("Your answers were received");
    CHECK(ada.body_text().find("Your result") == std::string::npos);  // a screening releases nothing more
    shot(ada, shots, "13-received");
    // Reopening the link after submission shows the receipt again, not the questions.
    ada.go(link_ada);
    ada.wait_for_text("Your answers were received");
    CHECK(console_errors(ada).empty());
  }

  // --- Tim's campaign has 10 minutes and 5 seconds: in 5 seconds the page announces "10
  // minutes left" in the polite live region, once, and not the seconds as they pass.
  json tim_campaign = staff_api(staff, "POST", "/api/campaigns",
                                {{"title", "Timer check"},
                                 {"assessment", "browser-practice"},
                                 {"opens", iso_utc(std::chrono::system_clock::now() - 1min)},
                                 {"closes", iso_utc(std::chrono::system_clock::now() + 24h)},
                                 {"time_limit", 605}});
  REQUIRE(tim_campaign.at("status") == 201);
  json tim_invite = staff_api(staff, "POST", "/api/campaigns/" + tim_campaign.at("body").at("id").dump() + "/candidates",
                              {{"name", "Tim Timer"}});
  REQUIRE(tim_invite.at("status") == 201);
  webdriver::Session tim(driver_port, capabilities(downloads));
  tim.go(tim_invite.at("body").at("link").get<std::string>());
  tim.click("#start");
  tim.wait_for_text("Question 1 of 2");
  tim.exec(R"(
    const s = document.getElementById('status');
    window.assayHeard = [];
    new MutationObserver(() => window.assayHeard.push({text: s.textContent, timer: document.querySelector('.timer').textContent}))
      .observe(s, {childList: true, characterData: true, subtree: true});
  )");
  CHECK(tim.exec("return document.getElementById('status').textContent").get<std::string>().find("minute") == std::string::npos);

  // --- Ben takes it in another browser at 200 % zoom with the keyboard alone: wrong answers.
  std::string ben_defect;  // the first defect in the table's list, whichever the plugin lists first
  {
    webdriver::Session ben(driver_port, capabilities(downloads));
    ben.go(link_cy);
    ben.wait_for_text("This link cannot be used");
    ben.window_size(640, 900);
    ben.go(link_ben);
    ben.wait_for_text("Privacy notice");
    CHECK(ben.body_text().find("40 minutes") != std::string::npos);  // 30 and 10 extra
    check_reflows(ben, "the candidate's first page");
    check_names(ben, "the candidate's first page");
    Keyboard kb(ben);
    kb.tab_to("#start");
    kb.press({kEnter});
    ben.wait_for_text("Question 1 of 9");
    ben.wait_until(R"(return /^Time left (39|40):\d\d$/.test(document.querySelector('.timer').textContent))", "the longer timer");
    auto next = [&](int n) {
      wait_saved(ben);
      check_reflows(ben, "question " + std::to_string(n - 1));
      check_names(ben, "question " + std::to_string(n - 1));
      kb.tab_to("#next");
      kb.press({kEnter});
      ben.wait_for_text("Question " + std::to_string(n) + " of 9");
      REQUIRE(kb.at("#qh"));  // the new question's heading has the focus
    };
    // Radio buttons: Tab reaches the first option, ArrowDown picks the next.
    kb.tab_to("input[value=ohm]");
    kb.press({kArrowDown});
    wait_saved(ben);
    CHECK(ben.property("input[value=farad]", "checked").get<bool>());
    next(2);  // check boxes: Space
    kb.tab_to("input[value=volt]");
    kb.press({kSpace});
    next(3);  // a number, and its unit chosen by typing its first letter
    kb.tab_to("input.number");
    kb.type("7");
    kb.tab_to("fieldset[data-interaction=answer] select");
    kb.type("A");
    wait_saved(ben);
    CHECK(ben.property("fieldset[data-interaction=answer] select", "value") == "A");
    next(4);
    kb.tab_to("fieldset.text input");
    kb.type("watt");
    next(5);
    arrange_by_keyboard(kb, ben, {"test", "repair", "make it safe"});
    wait_saved(ben);
    CHECK(shown_order(ben) == std::vector<std::string>{"test", "repair", "make it safe"});
    next(6);  // list boxes: ArrowDown
    kb.tab_to("select[data-left=current]");
    kb.press({kArrowDown, kArrowDown});
    kb.tab_to("select[data-left=charge]");
    kb.press({kArrowDown});
    next(7);
    kb.tab_to("textarea");
    kb.type("Keep using it.");
    next(8);  // fields, the last filled before the middle one, reached back with Shift-Tab
    // At 640 pixels the HL7 segments run past the listing's edge: the page says it scrolls.
    ben.wait_until("const s = document.querySelector('.material.code .scroll-hint'); return s && !s.hidden",
                   "the hint that the HL7 listing scrolls sideways");
    kb.tab_to("input[data-field=event]");
    kb.type("x");
    kb.tab_to("input[data-field=class]");
    kb.type("x");
    kb.tab_to("input[data-field=mrn]");
    kb.type("x");
    next(9);  // a line by Space, then its defect from the table's list box
    kb.tab_to("fieldset[data-interaction=flagged] input[value=m1]");
    kb.press({kSpace});
    kb.tab_to("select[data-row=m1][data-col=defect]");
    kb.press({kArrowDown});
    wait_saved(ben);
    ben_defect = ben.property("select[data-row=m1][data-col=defect]", "value").get<std::string>();
    CHECK(!ben_defect.empty());
    check_reflows(ben, "question 9");
    check_names(ben, "question 9");
    shot(ben, shots, "12b-keyboard-question-at-200-percent", 640);
    // The attempt bar stays at the top of the window: a control that takes the focus above the
    // view (Shift-Tab upwards) is scrolled to below the bar, not under it.
    ben.window_size(640, 500);
    ben.exec("window.scrollTo(0, document.documentElement.scrollHeight)");
    ben.exec("document.querySelector('fieldset[data-interaction=flagged] input').focus()");
    CHECK(ben.exec("const bar = document.querySelector('.attempt-bar').getBoundingClientRect();"
                   "return document.activeElement.getBoundingClientRect().top >= bar.bottom")
              .get<bool>());
    ben.window_size(640, 900);
    // Every focusable element of the question page, the question list and the skip link included.
    ben.exec("document.getElementById('qh').focus()");
    CHECK(kb.walk().size() > 20);
    kb.tab_to("#review");
    kb.press({kEnter});
    ben.wait_for_text("Review your answers");
    CHECK(ben.body_text().find("All 9 questions are answered.") != std::string::npos);
    check_reflows(ben, "the review");
    check_names(ben, "the review");
    kb.tab_to("#submit");
    kb.press({kEnter});
    REQUIRE(kb.at("#confirm-submit"));  // the question "Submit now?" takes the focus
    check_names(ben, "the confirmation");
    kb.press({kEnter});
    ben.wait_for_text("Your answers were received");
    check_reflows(ben, "the receipt");
    INFO("focused without a visible focus indicator");
    CHECK(kb.without_indicator() == std::set<std::string>{});
    CHECK(console_errors(ben).empty());
  }

  // Tim heard "10 minutes left" once, as the timer passed 10:00.
  {
    json heard = tim.wait_until("return window.assayHeard.some((h) => h.text.includes('10 minutes left')) && window.assayHeard",
                                "the 10-minute warning");
    CAPTURE(heard.dump());
    REQUIRE(heard.size() == 1);
    CHECK(heard[0].at("text") == "10 minutes left");
    CHECK(std::regex_match(heard[0].at("timer").get<std::string>(), std::regex(R"(Time left (10:00|9:5\d))")));
    CHECK(
        tim.exec("const s = document.getElementById('status'); return s.getAttribute('aria-live') + ' ' + s.getAttribute('role')")
            .get<std::string>() == "polite status");
    CHECK(tim.exec("return document.querySelector('.timer').getAttribute('aria-live')").is_null());  // seconds are not read out
  }

  // --- Tim's laptop fails mid-attempt: the manager lets him continue in another browser. The new
  // link continues the same attempt there; the old link no longer works.
  {
    const std::string old_link = tim_invite.at("body").at("link").get<std::string>();
    staff.go(base + "/staff#campaigns/" + tim_campaign.at("body").at("id").dump());
    staff.click("button[aria-label=\"Let Tim Timer continue in another browser\"]");
    staff.wait_until("return document.querySelectorAll('#new-links tbody tr').length === 1", "the hand-over link");
    const std::string handed = staff.property("#new-links tbody tr:nth-child(1) input", "value").get<std::string>();
    REQUIRE(handed != old_link);
    webdriver::Session elsewhere(driver_port, capabilities(downloads));
    elsewhere.go(handed);
    elsewhere.find("#start");
    CHECK(elsewhere.text("#start") == "Continue");
    elsewhere.click("#start");
    elsewhere.wait_for_text("Question 1 of 2");
    tim.go(old_link);
    tim.wait_for_text("This link cannot be used");
    CHECK(console_errors(elsewhere).empty());
  }

  // --- The rater rates both extended answers against the rubric.
  sign_in("rater1", "rater1-password");
  staff.go(base + "/staff#ratings");
  staff.wait_until("return document.querySelectorAll('article.rating').length === 2", "two answers awaiting a level");
  CHECK(staff.body_text().find("Take it out of service at once") != std::string::npos);
  CHECK(staff.body_text().find("isolates the device and reports it") != std::string::npos);
  CHECK(staff.body_text().find("Ada Lovelace") == std::string::npos);  // rated blind
  shot(staff, shots, "14-ratings");
  check_names(staff, "the ratings page");
  auto rate = [&](const std::string& answer_start, const std::string& level) {
    json id = staff.exec(
        "const a = [...document.querySelectorAll('article.rating')].find(x => x.innerText.includes(arguments[0]));"
        "return a ? a.dataset.attempt : null",
        json::array({answer_start}));
    REQUIRE(id.is_string());
    std::string article = "article.rating[data-attempt=\"" + id.get<std::string>() + "\"]";
    staff.click(article + " input[value=" + level + "]");
    staff.click(article + " button[type=submit]");
    staff.wait_until("return document.querySelector(arguments[0]) === null", "rating saved", json::array({article}));
  };
  rate("Take it out of service", "good");
  rate("Keep using it.", "weak");
  staff.wait_for_text("Nothing awaits a rating.");

  // --- The manager sees the ranking with every reason, an item-level result, excludes an item.
  sign_in("manager1", "manager1-password");
  staff.wait_until("return document.querySelector('#campaigns') !== null", "the campaign list");
  {
    std::string row = row_cells(staff, "#campaigns tbody tr");
    CAPTURE(row);
    CHECK(row.substr(row.rfind('|')) == "|2");  // Ada and Ben submitted
  }
  shot(staff, shots, "14b-campaigns");
  staff.window_size(640, 900);
  check_reflows(staff, "the campaign list");
  shot(staff, shots, "14b-campaigns-at-200-percent", 640);
  staff.go(base + "/staff#campaigns/1/results");
  staff.wait_until("return document.querySelectorAll('#ranking tbody tr').length === 2", "two results");
  std::string first = staff.text("#ranking tbody tr:nth-child(1)");
  std::string second = staff.text("#ranking tbody tr:nth-child(2)");
  CAPTURE(first, second);
  // Ada: 9 of the 9 core-items points (all right, essay rated good) plus whatever the generated
  // HL7 items gave her, of 18: at least 50 %, the pass mark. Ben: every core item wrong and the
  // essay rated weak, at most the 6 points of the HL7 defect item: 33.3 % at best, below 50 %.
  CHECK(first.find("Ada Lovelace") != std::string::npos);
  CHECK(first.find("Pass") != std::string::npos);
  CHECK(first.find("left the page") != std::string::npos);
  CHECK(first.find("left the page ×") == std::string::npos);  // the reload is not counted as leaving
  CHECK(first.find("pasted text") != std::string::npos);
  CHECK(second.find("Ben Okafor") != std::string::npos);
  CHECK(second.find("Fail") != std::string::npos);
  CHECK(second.find("below the pass mark of 50%") != std::string::npos);
  shot(staff, shots, "15-results");
  check_names(staff, "the results page");
  CHECK(staff_kb.walk().size() > 10);
  staff.window_size(640, 900);
  check_reflows(staff, "the results page");
  shot(staff, shots, "15-results-at-200-percent", 640);

  // Ben's answers, given by keyboard alone, were saved as he gave them.
  {
    json results = staff_api(staff, "GET", "/api/campaigns/1/results");
    std::string ben_attempt;
    for (const auto& r : results.at("body").at("ranking"))
      if (r.value("name", "") == "Ben Okafor") ben_attempt = r.value("attempt_id", "");
    REQUIRE(!ben_attempt.empty());
    json attempt = staff_api(staff, "GET", "/api/attempts/" + ben_attempt);
    std::map<std::string, json> response;
    for (const auto& it : attempt.at("body").at("result").at("items")) response[it.at("id")] = it.at("response");
    CAPTURE(attempt.dump());
    CHECK(response["single"] == json::parse(R"({"answer": ["farad"]})"));
    CHECK(response["multiple"] == json::parse(R"({"answer": ["volt"]})"));
    CHECK(response["number"] == json::parse(R"({"answer": {"value": "7", "unit": "A"}})"));
    CHECK(response["text"] == json::parse(R"({"answer": "watt"})"));
    CHECK(response["order"] == json::parse(R"({"answer": ["test", "repair", "safe"]})"));
    CHECK(response["match"] == json::parse(R"({"answer": {"current": "C", "charge": "A"}})"));
    CHECK(response["essay"] == json::parse(R"({"answer": "Keep using it."})"));
    CHECK(response["fields"] == json::parse(R"({"fields": {"event": "x", "mrn": "x", "class": "x"}})"));
    CHECK(response["defects"] == json{{"flagged", {"m1"}}, {"defects", {{"m1", {{"defect", ben_defect}}}}}});
  }

  staff.click("#ranking tbody tr:nth-child(1) th a");
  staff.wait_for_text("item-level result");
  std::string items = staff.text("#items");
  CHECK(items.find("hertz") != std::string::npos);
  CHECK(items.find("quality: 2 of 2 (rated)") != std::string::npos);
  // Hand-checked from the fixture: SI units are single 1 + multiple 2 + number 1 + text 1 +
  // match 1 = 6 points, all right; safe practice is order 1 + essay 2 (rated good) = 3.
  CHECK(row_cells(staff, ".profile-table tbody tr:nth-child(1)") == "SI units|100.0%|6 / 6|—");
  CHECK(row_cells(staff, ".profile-table tbody tr:nth-child(2)") == "Safe practice|100.0%|3 / 3|—");
  // Partial credit makes exact points fractions ("392/33" of 50 on a shipped screening): the
  // pages write them as the terminal and the reports do, rounded half up to two places, never as "392/33".
  CHECK(staff.exec("return import('/results.js').then((m) => ['392/33', '7', '14/5', '-1/3', '1/200'].map(m.exact))") ==
        json{"11.88", "7", "2.8", "-0.33", "0.01"});
  // A table answer's rows read in their natural order, as the candidate saw them.
  CHECK(staff.exec("return import('/interactions.js').then((m) => m.describeResponse({cells: {a10: {x: '3'}, a2: {x: '2'}, "
                   "a1: {x: '1'}}}))") == "cells: {a1: {x: 1}; a2: {x: 2}; a10: {x: 3}}");
  std::string points =
      staff
          .exec(
              "return [...document.querySelectorAll('dl.facts dd, .profile-table td, #items td.num, #items .criteria li')]"
              ".map((e) => e.textContent).join('\\n')")
          .get<std::string>();
  CAPTURE(points);
  CHECK_FALSE(std::regex_search(points, std::regex(R"(\d+/\d+)")));
  // Each item's question is there to open beside the answer, as the candidate read it.
  staff.click("#items tbody tr:nth-child(1) details.question summary");
  CHECK(staff.exec("return document.querySelector('#items tbody tr:nth-child(1) details.question').textContent") ==
        "QuestionWhich SI unit measures electrical resistance?");
  shot(staff, shots, "16-attempt");
  check_names(staff, "the item-level result");
  staff.window_size(640, 900);
  check_reflows(staff, "the item-level result");
  shot(staff, shots, "16-attempt-at-200-percent", 640);

  staff.go(base + "/staff#campaigns/1/results");
  staff.find("#exclude-form");
  staff.choose("#exclude-form select[name=item]", "defects");
  staff.type("#exclude-form input[name=reason]", "generated defect list under review");
  // Every item of the assessment is offered, not only those of one candidate's form.
  CHECK(staff.exec("return document.querySelectorAll('#exclude-form select[name=item] option').length").get<int>() == 9);
  staff.click("#exclude-form button[type=submit]");
  // Nothing happens before the confirmation.
  staff.find("#confirm-exclude");
  CHECK(staff.text("#exclude-form").find("Exclude defects for everyone and rescore 2 attempts?") != std::string::npos);
  staff.click("#confirm-exclude");
  staff.wait_for_text("2 attempts rescored");
  staff.wait_for_text("generated defect list under review");  // in the log
  // An exclusion can be undone, and redone.
  staff.find("#excluded-items button");
  staff.click("#excluded-items button");
  staff.wait_for_text("Item defects counts again; 2 attempts rescored");
  staff.find("#exclude-form");
  staff.choose("#exclude-form select[name=item]", "defects");
  staff.type("#exclude-form input[name=reason]", "generated defect list under review");
  staff.click("#exclude-form button[type=submit]");
  staff.click("#confirm-exclude");
  staff.wait_for_text("Item defects excluded; 2 attempts rescored");
  staff.click("#results-csv");
  std::string csv = wait_download(downloads / "campaign-1-results.csv");
  CAPTURE(csv);
  CHECK(count(csv, "\r\n") == 3);  // header and two results
  CHECK(csv.find(",pass,") != std::string::npos);
  CHECK(csv.find(",fail,") != std::string::npos);
  // Who each row is, as an applicant-tracking system imports it; a formula-like reference stays text.
  CHECK(csv.find(",Ada Lovelace,ada@example.org,ATS-1,") != std::string::npos);
  CHECK(csv.find(",Ben Okafor,ben@example.org,'@SUM(1),") != std::string::npos);
  CHECK(console_errors(staff).empty());
  // The report link leads to the server's HTML report of the same results.
  staff.click("#results-report");
  staff.wait_until("return location.pathname === '/api/campaigns/1/report.html' && document.readyState === 'complete'",
                   "the HTML report");
  CHECK(staff.body_text().find("2 candidates: 1 pass, 1 fail, 0 pending") != std::string::npos);
  CHECK(staff.exec("return document.title") == "Biomed techs, browser intake");
  console_errors(staff);  // the report is the server's page, not these scripts: see its own tests

  // --- Pat's minute is up: the server submitted the saved answers; the page shows the feedback.
  pat.wait_for_text("Your result", 90s);
  std::string page = pat.body_text();
  CAPTURE(page);
  CHECK(page.find("Time is up: your saved answers have been submitted.") != std::string::npos);
  // One of two points: 50.0 %, exactly the pass mark of 50 %, which passes.
  CHECK(page.find("Passed") != std::string::npos);
  CHECK(page.find("50.0% (1 of 2 points; pass mark 50%)") != std::string::npos);
  CHECK(page.find("Explanation: The ohm is the SI unit of electrical resistance.") != std::string::npos);
  CHECK(page.find("Source: SI Brochure, 9th edition (BIPM 2019), table 4") != std::string::npos);
  shot(pat, shots, "17-practice-feedback");
  check_names(pat, "the practice result");
  pat.window_size(640, 900);
  check_reflows(pat, "the practice result");
  shot(pat, shots, "17-practice-feedback-at-200-percent", 640);
  CHECK(console_errors(pat).empty());
  staff.go(base + "/staff#campaigns/2");
  staff.find("#candidates");
  CHECK(row_cells(staff, "#candidates tbody tr:nth-child(1)").find("Pat Practice|") == 0);
  CHECK(row_cells(staff, "#candidates tbody tr:nth-child(1)").find("|Submitted|—|second browser|") != std::string::npos);

  // --- Too many failed sign-ins from one address: after ten, the sign-in page shows the server's
  // refusal and when to try again. Last, as it locks this address out for the rest of the window
  // (minutes, or seconds when the window is nearly over).
  staff.click("#sign-out");
  staff.find("#login-form");
  check_names(staff, "the sign-in page");
  std::string said;
  int wrong = 0;
  for (int i = 0; i < 25 && said.find("too many") == std::string::npos; ++i) {
    // A new name each time: one account's failures slow that account (seconds), the address's lock it out.
    staff.clear("#login-form input[name=username]");
    staff.type("#login-form input[name=username]", "nobody-" + std::to_string(i));
    staff.clear("#login-form input[name=password]");
    staff.type("#login-form input[name=password]", "not the password " + std::to_string(i));
    staff.keys({kEnter});
    said = staff
               .wait_until("const e = document.querySelector('#login-form .error'); return e && e.textContent",
                           "the refusal of sign-in " + std::to_string(i + 1))
               .get<std::string>();
    if (said == "the user name or the password is wrong") ++wrong;
  }
  CAPTURE(said);
  CHECK(wrong >= 10);
  CHECK(std::regex_match(
      said, std::regex(R"(too many attempts from this address: try again later \(in (\d+ minutes?, at .+|\d+ seconds?)\))")));
  CHECK(staff.exec("return document.querySelector('#login-form .error').getAttribute('role')") == "alert");
  shot(staff, shots, "18-sign-in-refused");
  CHECK(console_errors(staff).empty());
}
