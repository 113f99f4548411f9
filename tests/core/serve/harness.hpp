// A real `assay serve` on 127.0.0.1 (ephemeral port) in this process, with a temporary
// database and a clock the test moves, and a cpp-httplib client that keeps cookies like a
// browser. Included only by tests/core/serve/*_test.cpp (compiled with httplib's flags).
#pragma once

#include <fmt/format.h>
#include <httplib.h>

#include <unistd.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "assay/clock.hpp"
#include "assay/plugins.hpp"
#include "assay/serve.hpp"
#include "assay/store.hpp"
#include "core/serve/sqlite_direct.hpp"
#include "core/store/backends.hpp"

namespace serve_test {

namespace fs = std::filesystem;
using nlohmann::json;

/// The shipped plugins, called in worker processes as `assay serve` calls them.
inline const assay::plugins::Registry& registry() {
  static const auto r = [] {
    auto loaded = assay::plugins::Registry::load({ASSAY_TEST_PLUGIN_DIR});
    loaded.isolate({4, 10});
    return loaded;
  }();
  return r;
}

inline assay::TimePoint at(const char* text) {
  assay::TimePoint t;
  REQUIRE(assay::parse_time(text, t));
  return t;
}

/// The test clock: moved by the test thread, read by the server's threads.
class SharedClock : public assay::Clock {
 public:
  explicit SharedClock(assay::TimePoint t) : s_(t.time_since_epoch().count()) {}
  assay::TimePoint now() const override { return assay::TimePoint(std::chrono::seconds(s_.load())); }
  void advance(std::chrono::seconds by) { s_ += by.count(); }

 private:
  std::atomic<long long> s_;
};

struct Reply {
  std::string method, path;  // the request
  int status = 0;
  std::string text;
  json body;  // null when the body is not JSON
  httplib::Headers headers;
};

/// One browser: its own cookies; the CSRF token of its staff session once signed in.
class Browser {
 public:
  explicit Browser(int port, bool tls = false)
      : http_((tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port)) {
    http_.set_keep_alive(true);
    if (tls) http_.enable_server_certificate_verification(false);  // the tests' self-signed certificate
  }

  Reply send(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& type = "application/json", bool with_csrf = true) {
    httplib::Headers h = headers;
    std::string cookie;
    for (const auto& [k, v] : cookies_) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    if (with_csrf && !csrf.empty()) h.emplace("X-CSRF-Token", csrf);
    auto r = method == "GET"      ? http_.Get(path.c_str(), h)
             : method == "POST"   ? http_.Post(path.c_str(), h, body, type.c_str())
             : method == "DELETE" ? http_.Delete(path.c_str(), h)
                                  : http_.Put(path.c_str(), h, body, type.c_str());
    REQUIRE(r);
    Reply out;
    out.method = method;
    out.path = path;
    out.status = r->status;
    out.text = r->body;
    out.headers = r->headers;
    out.body = json::parse(r->body, nullptr, false);
    if (out.body.is_discarded()) out.body = nullptr;
    for (const auto& [k, v] : r->headers) {
      if (k != "Set-Cookie") continue;
      auto eq = v.find('='), semi = v.find(';');
      auto value = v.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
      if (value.empty())
        cookies_.erase(v.substr(0, eq));
      else
        cookies_[v.substr(0, eq)] = value;
    }
    return out;
  }
  Reply get(const std::string& path) { return send("GET", path); }
  Reply post(const std::string& path, const json& body = json::object()) { return send("POST", path, body.dump()); }
  Reply put(const std::string& path, const std::string& body) { return send("PUT", path, body); }

  /// Signs in and keeps the CSRF token.
  void login(const std::string& user, const std::string& password) {
    auto r = post("/api/login", {{"username", user}, {"password", password}});
    REQUIRE(r.status == 200);
    csrf = r.body.at("csrf").get<std::string>();
  }

  std::string csrf;
  std::map<std::string, std::string> cookies_;
  /// Sent with every request, as a reverse proxy would add them (X-Forwarded-For, ...).
  httplib::Headers headers;

 private:
  httplib::Client http_;
};

/// The server, its store and clock, torn down at the end of a test.
struct TestServer {
  fs::path dir;
  std::optional<store_test::Database> database;  // the PostgreSQL one, when the run is for PostgreSQL
  std::unique_ptr<assay::serve::Store> store;
  SharedClock clock{at("2026-03-01T08:00:00Z")};
  std::unique_ptr<assay::serve::Server> server;
  std::thread thread;
  int port = 0;
  std::string setup_token;
  std::mutex errors_mu;
  std::vector<std::string> errors;  // what the server wrote to its error log (ServerOptions::error_log)

  /// With `tls`, a self-signed certificate is made with the openssl command and served over HTTPS.
  /// `trusted_proxies` is ServerOptions::trusted_proxies (--trusted-proxy).
  /// `max_attempt_answers`, when not 0, replaces ServerOptions::max_attempt_answers.
  /// `plugins`, when given, replaces the shipped ones; `assessments` adds assessment directories.
  /// `tune`, when given, changes the options last (timeouts, ...).
  explicit TestServer(bool tls = false, std::vector<std::string> trusted_proxies = {}, std::size_t max_attempt_answers = 0,
                      const assay::plugins::Registry* plugins = nullptr, const std::vector<fs::path>& assessments = {},
                      const std::function<void(assay::serve::ServerOptions&)>& tune = {})
      : tls_(tls) {
    static int counter = 0;
    dir = fs::temp_directory_path() / ("assay-serve-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    // SQLite in dir/serve.db, or a database of its own on the PostgreSQL test cluster when the run
    // asks for it (tests/core/store/backends.hpp).
    if (store_test::postgres_requested()) {
      database.emplace(true);
      store = database->store();
    } else {
      auto s = assay::serve::open_sqlite_store(dir / "serve.db");
      if (!s) FAIL(s.error());
      store = std::move(s.value());
    }
    assay::serve::ServerOptions options;
    options.assessment_dirs = {fs::path(ASSAY_TEST_FIXTURES) / "assessments", fs::path(ASSAY_TEST_FIXTURES) / "serve"};
    options.assessment_dirs.insert(options.assessment_dirs.end(), assessments.begin(), assessments.end());
    options.threads = 8;
    options.error_log = [this](const std::string& line) {
      std::lock_guard lock(errors_mu);
      errors.push_back(line);
    };
    options.trusted_proxies = std::move(trusted_proxies);
    if (max_attempt_answers != 0) options.max_attempt_answers = max_attempt_answers;
    if (tls) {
      options.tls_cert = dir / "cert.pem";
      options.tls_key = dir / "key.pem";
      auto cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -days 1 -keyout " + options.tls_key.string() +
                 " -out " + options.tls_cert.string() + " 2>/dev/null";
      REQUIRE(std::system(cmd.c_str()) == 0);
    }
    if (tune) tune(options);
    server = std::make_unique<assay::serve::Server>(*store, plugins != nullptr ? *plugins : registry(), clock, options);
    setup_token = server->ensure_setup_token();
    auto bound = server->bind("127.0.0.1", 0);
    if (!bound) FAIL(bound.error());
    port = bound.value();
    thread = std::thread([this] { server->run(); });
    for (int i = 0; i < 200 && !server->running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  ~TestServer() {
    server->stop();
    thread.join();
    server.reset();
    store.reset();
    database.reset();
    fs::remove_all(dir);
  }

  /// Runs `sql` on the server's database behind the store's back: what an earlier release or a
  /// damaged disk may have left there.
  void exec_sql(const std::string& sql) {
#if ASSAY_TEST_WITH_POSTGRES
    if (database) {
      store_test::pg_exec(database->location(), sql);
      return;
    }
#endif
    serve_test::exec_sql(dir / "serve.db", sql);
  }

  Browser browser() { return Browser(port, tls_); }
  bool tls_ = false;

  /// The administrator "admin", a manager "manager" and a rater "rater", each with the
  /// password "password-" + name; returns the administrator's browser, signed in.
  Browser staff() {
    auto admin = browser();
    REQUIRE(admin.post("/api/setup", {{"token", setup_token}, {"username", "admin"}, {"password", "password-admin"}}).status ==
            200);
    admin.login("admin", "password-admin");
    for (const char* role : {"manager", "rater"}) {
      auto r = admin.post("/api/users", {{"username", role}, {"role", role}, {"password", std::string("password-") + role}});
      REQUIRE(r.status == 201);
    }
    return admin;
  }
};

/// The token at the end of a candidate link ("http://HOST/c/TOKEN").
inline std::string token_of(const std::string& link) { return link.substr(link.rfind('/') + 1); }

/// A campaign on `assessment` open from 09:00 to 17:00 on 2026-03-01; returns its id.
inline std::int64_t make_campaign(Browser& manager, const std::string& assessment, json extra = json::object()) {
  json body = {{"title", "March intake"},
               {"assessment", assessment},
               {"opens", "2026-03-01T09:00:00Z"},
               {"closes", "2026-03-01T17:00:00Z"},
               {"privacy_notice", "We keep your answers for the hiring decision only."}};
  body.update(extra);
  auto r = manager.post("/api/campaigns", body);
  REQUIRE(r.status == 201);
  return r.body.at("id").get<std::int64_t>();
}

struct Invite {
  std::int64_t id;
  std::string token;
};

inline Invite invite(Browser& manager, std::int64_t campaign, const std::string& name) {
  auto r = manager.post("/api/campaigns/" + std::to_string(campaign) + "/candidates",
                        {{"name", name}, {"email", name + "@example.org"}});
  REQUIRE(r.status == 201);
  return {r.body.at("candidate").at("id").get<std::int64_t>(), token_of(r.body.at("link").get<std::string>())};
}

/// A screening's TOML up to its items: competency "c", section "s", core-items required.
inline std::string screening_header(const std::string& id, const std::string& title, int pass_percent) {
  return fmt::format(R"(schema = 1
[assessment]
id = "{}"
title = "{}"
version = "1.0"
kind = "screening"
roles = ["biomedical-technician"]
requires = {{ core-items = ">=1.0" }}
[outcome]
pass_percent = {}
[[competency]]
id = "c"
title = "C"
[[section]]
id = "s"
title = "S"
)",
                     id, title, pass_percent);
}

/// Three single-choice items keyed "b", one point each; 60 % passes (two right).
inline std::string three_choice_assessment() {
  std::string t = screening_header("fixture-evidence", "Fixture: three choices", 60);
  for (int i = 1; i <= 3; ++i)
    t += fmt::format(R"([[item]]
id = "q{0}"
section = "s"
competency = "c"
type = "core-items/single-choice"
[item.params]
prompt = "Question {0}"
options = [ {{ id = "a", text = "A" }}, {{ id = "b", text = "B" }} ]
correct = "b"
shuffle = false
[[item.criteria]]
id = "correct"
points = 1
)",
                     i);
  return t;
}

}  // namespace serve_test
