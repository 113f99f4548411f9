// The browser UI works air-gapped: served by `assay serve` itself, every page path gives the one
// document, every script module and the stylesheet it loads come from the same server, and none
// of them points anywhere else. Plain HTTP, no browser needed.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "process.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> matches(const std::string& text, const std::regex& re) {
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) out.push_back((*it)[1].str());
  return out;
}

}  // namespace

TEST_CASE("the browser pages load only from the server that serves them", "[browser-assets]") {
  const fs::path work = fs::path(ASSAY_BROWSER_ARTEFACTS).parent_path() / "assets-run";
  fs::remove_all(work);
  fs::create_directories(work);
  browser_test::Child server({ASSAY_TEST_ASSAY_BIN, "--plugin-dir", ASSAY_TEST_PLUGIN_DIR, "serve", "--listen", "127.0.0.1:0",
                              "--data-dir", (work / "data").string()},
                             work / "serve.log");
  const std::string base =
      browser_test::wait_for_output(work / "serve.log", std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"), "address");
  httplib::Client http("127.0.0.1", std::stoi(base));

  std::string index;
  for (const char* page : {"/", "/setup", "/staff", "/c/not-a-real-token"}) {
    CAPTURE(page);
    auto r = http.Get(page);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/html; charset=utf-8");
    // The pages run under the server's policy: scripts, styles, images only from this origin.
    CHECK(r->get_header_value("Content-Security-Policy").rfind("default-src 'self'", 0) == 0);
    index = r->body;
  }
  // The document's own references: absolute paths on this server (or a fragment of itself).
  auto refs = matches(index, std::regex(R"re((?:src|href)="([^"]*)")re"));
  CHECK(refs == std::vector<std::string>{"/app.css", "/favicon.svg", "/app.js", "#main"});
  for (const auto& ref : refs) {
    CAPTURE(ref);
    REQUIRE(ref.size() > 1);
    CHECK((ref[0] == '#' || (ref[0] == '/' && ref[1] != '/')));
  }

  // Every module the page loads, followed through its imports: relative, and served as JavaScript.
  std::set<std::string> seen;
  std::vector<std::string> unvisited = {"/app.js"};
  while (!unvisited.empty()) {
    std::string path = unvisited.back();
    unvisited.pop_back();
    if (!seen.insert(path).second) continue;
    CAPTURE(path);
    auto r = http.Get(path.c_str());
    REQUIRE(r);
    REQUIRE(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    for (const auto& spec : matches(r->body, std::regex(R"re(from '([^']*)')re"))) {
      CAPTURE(spec);
      REQUIRE(spec.rfind("./", 0) == 0);
      unvisited.push_back("/" + spec.substr(2));
    }
    // No script reaches another origin: every request goes through the API's relative paths.
    CHECK(r->body.find("http://") == std::string::npos);
    CHECK(r->body.find("https://") == std::string::npos);
  }
  CHECK(seen == std::set<std::string>{"/app.js", "/api.js", "/candidate.js", "/dom.js", "/evidence.js", "/interactions.js",
                                      "/live.js", "/results.js", "/staff.js"});

  auto css = http.Get("/app.css");
  REQUIRE(css);
  CHECK(css->status == 200);
  CHECK(css->get_header_value("Content-Type") == "text/css; charset=utf-8");
  CHECK(css->body.find("url(") == std::string::npos);  // no fonts or images from anywhere
  CHECK(css->body.find("@import") == std::string::npos);
  CHECK(css->body.find("@font-face") == std::string::npos);
}
