// What the browser tests share: a server and chromedriver started for a test, screenshots, the
// accessibility checks every page visited is held to, and staff API calls made from a signed-in
// page.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"
#include "webdriver.hpp"

namespace browser_test {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

inline int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  close(s);
  return port;
}

/// The page's full height, then a screenshot of all of it at `width` CSS pixels.
inline void shot(webdriver::Session& b, const fs::path& dir, const std::string& name, int width = 1280) {
  b.window_size(width, 900);
  int height = b.exec("return Math.ceil(document.documentElement.scrollHeight)").get<int>();
  b.window_size(width, std::min(std::max(height + 100, 600), 5000));
  std::this_thread::sleep_for(150ms);
  b.screenshot((dir / (name + ".png")).string());
  b.window_size(1280, 900);
}

inline json capabilities(const fs::path& downloads) {
  json args = {"--headless=new", "--disable-gpu", "--window-size=1280,900", "--lang=en-GB", "--disable-dev-shm-usage"};
  if (geteuid() == 0) args.push_back("--no-sandbox");  // Chromium refuses to sandbox as root
  const char* binary = std::getenv("ASSAY_CHROMIUM");
  json chrome = {{"args", args},
                 {"prefs",
                  {{"download.default_directory", downloads.string()},
                   {"download.prompt_for_download", false},
                   {"intl.accept_languages", "en-GB"}}}};
  chrome["binary"] = binary != nullptr && *binary != '\0' ? binary : "/usr/bin/chromium";
  return {
      {"alwaysMatch", {{"browserName", "chrome"}, {"goog:chromeOptions", chrome}, {"goog:loggingPrefs", {{"browser", "ALL"}}}}}};
}

/// Console errors (script errors, CSP refusals) the page logged since the last call.
inline std::vector<std::string> console_errors(webdriver::Session& b) {
  std::vector<std::string> out;
  for (const auto& e : b.browser_log())
    if (e.value("level", "") == "SEVERE") {
      std::string m = e.value("message", "");
      // A refused API request (the candidate's second browser, a 4xx the page handles) is
      // logged by Chromium as a failed resource load; those are expected and checked elsewhere.
      if (m.find("Failed to load resource") == std::string::npos) out.push_back(m);
    }
  return out;
}

/// Waits for a file to appear complete in `dir` and returns its content.
inline std::string wait_download(const fs::path& file) {
  for (int i = 0; i < 100; ++i) {
    fs::path partial = file;
    partial += ".crdownload";
    if (fs::exists(file) && !fs::exists(partial) && fs::file_size(file) > 0) return slurp(file);
    std::this_thread::sleep_for(100ms);
  }
  FAIL("no download " << file);
  return {};
}

inline std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

/// Every visible input, select, textarea and button without an accessible name: none from a
/// <label>, aria-label or aria-labelledby (a button: its text), or none in Chromium's own
/// computation, the name a screen reader announces. Each is described for the message.
inline std::vector<std::string> unnamed_controls(webdriver::Session& b) {
  json controls = b.exec(R"(
    const text = (el) => (el ? el.textContent : '').trim();
    return [...document.querySelectorAll('input, select, textarea, button')]
      .filter((e) => e.type !== 'hidden' && e.getClientRects().length > 0)
      .map((e) => {
        const by = (e.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
          .map((id) => text(document.getElementById(id))).join(' ').trim();
        const own = (e.getAttribute('aria-label') || '').trim() || by ||
          [...(e.labels || [])].map(text).join(' ').trim() || (e.tagName === 'BUTTON' ? text(e) : '');
        return {el: e, own: own !== '', what: e.outerHTML.slice(0, 160)};
      });
  )");
  std::vector<std::string> out;
  for (const auto& c : controls) {
    std::string computed = b.computed_label(c.at("el"));
    if (!c.value("own", false) || computed.find_first_not_of(" \t\n") == std::string::npos)
      out.push_back(c.value("what", "") + " (computed name \"" + computed + "\")");
  }
  return out;
}

/// Checks that every control of the page in `b` has an accessible name.
inline void check_names(webdriver::Session& b, const std::string& page) {
  INFO("controls without an accessible name on " << page);
  CHECK(unnamed_controls(b) == std::vector<std::string>{});
}

/// At 200 % zoom of a 1280-pixel window (a 640-pixel viewport) the page itself does not scroll
/// sideways; wide tables scroll inside their own box.
inline void check_reflows(webdriver::Session& b, const std::string& page) {
  json w = b.exec("const d = document.documentElement; return [d.scrollWidth, d.clientWidth]");
  INFO(page << ": page " << w[0] << " px wide in a " << w[1] << "-px viewport");
  CHECK(w[0].get<int>() <= w[1].get<int>());
}

/// Sends a staff API request from the signed-in staff page, with its CSRF token; returns
/// {status, body}.
inline json staff_api(webdriver::Session& b, const std::string& method, const std::string& path, const json& body = nullptr) {
  b.exec(R"(
    const [method, path, body] = arguments;
    window.assayReply = null;
    fetch('/api/me').then((r) => r.json())
      .then((me) => fetch(path, {method, headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf},
                                 body: body === null ? undefined : JSON.stringify(body)}))
      .then(async (r) => { window.assayReply = {status: r.status, body: await r.json()}; },
            (e) => { window.assayReply = {status: 0, body: String(e)}; });
  )",
         json::array({method, path, body}));
  return b.wait_until("return window.assayReply", method + " " + path);
}

inline std::string iso_utc(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

/// `assay serve` on loopback over ASSAY_TEST_PLUGIN_DIR and `assessments`, and chromedriver on a
/// free port, both logging into `work`; stopped when this goes out of scope.
struct Rig {
  Child server;
  std::string base;        // http://127.0.0.1:PORT
  std::string setup_link;  // the set-up link the server printed
  int driver_port;
  Child driver;

  Rig(const fs::path& work, const std::string& assessments)
      : server({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "serve", "--listen", "127.0.0.1:0", "--data-dir",
                (work / "data").string(), "--assessments", assessments},
               work / "serve.log"),
        base(wait_for_output(work / "serve.log", std::regex(R"(listening on (http://127\.0\.0\.1:\d+))"), "address")),
        setup_link(wait_for_output(work / "serve.log", std::regex(R"((http://\S+/setup#\S+))"), "set-up link")),
        driver_port(free_port()),
        driver({driver_binary(), "--port=" + std::to_string(driver_port)}, work / "chromedriver.log") {
    httplib::Client probe("127.0.0.1", driver_port);
    bool ready = false;
    for (int i = 0; i < 100 && !ready; ++i) {
      auto r = probe.Get("/status");
      ready = r && r->status == 200 && json::parse(r->body, nullptr, false).value("value", json::object()).value("ready", false);
      if (!ready) std::this_thread::sleep_for(100ms);
    }
    INFO(slurp(work / "chromedriver.log"));
    REQUIRE(ready);
  }

  static std::string driver_binary() {
    const char* bin = std::getenv("ASSAY_CHROMEDRIVER");
    return bin != nullptr && *bin != '\0' ? bin : "/usr/bin/chromedriver";
  }
};

/// A candidate through the candidate API, as the candidate page would call it.
class Candidate {
 public:
  Candidate(const std::string& base, const std::string& link) : client_(base) {
    token_ = link.substr(link.rfind("/c/") + 3);
    client_.set_default_headers({{"Origin", base}});
  }

  /// Starts the attempt; returns its state.
  json start() {
    auto r = client_.Post(api("/start"), "{}", "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
    // The attempt cookie goes back on every later request, as a browser sends it.
    std::string cookie = r->get_header_value("Set-Cookie");
    cookie_ = cookie.substr(0, cookie.find(';'));
    return json::parse(r->body);
  }

  void answer(int n, const json& response) {
    auto r = client_.Put(api("/answers/" + std::to_string(n)), headers(), response.dump(), "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
  }

  void submit() {
    auto r = client_.Post(api("/submit"), headers(), "{}", "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
  }

  /// Answers the voluntary self-identification form after submitting.
  void self_identify(const json& answers) {
    auto r = client_.Put(api("/self-identification"), headers(), answers.dump(), "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 204);
  }

 private:
  std::string api(const std::string& rest) const { return "/api/c/" + token_ + rest; }
  httplib::Headers headers() const { return {{"Cookie", cookie_}}; }

  httplib::Client client_;
  std::string token_;
  std::string cookie_;
};

}  // namespace browser_test
