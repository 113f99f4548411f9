// Screening server under a campaign's load: hundreds of candidates hold a connection open (most
// idle, as candidates reading a question are), a few dozen save answers as fast as the server
// acknowledges them. Reports acknowledged answers per second with p50/p99 latency, next to a
// trivial route of the same server (an embedded page) under the same connections in the same run.
//
//   bench_serve PLUGIN_DIR [CANDIDATES] [ACTIVE] [SECONDS]
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../core_items_toml.hpp"
#include "assay/clock.hpp"
#include "assay/plugins.hpp"
#include "assay/serve.hpp"
#include "assay/store.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int kItems = 20;

std::string assessment_toml() {
  std::string t = bench::assessment_head("bench-serve", "Benchmark: twenty choices");
  for (int i = 0; i < kItems; ++i)
    t += bench::item_head(i, "core-items/single-choice") +
         "prompt = \"Pick b\"\noptions = [{id = \"a\", text = \"A\"}, {id = \"b\", text = \"B\"}, "
         "{id = \"c\", text = \"C\"}]\ncorrect = \"b\"\n[[item.criteria]]\nid = \"correct\"\npoints = 1\n";
  return t;
}

/// One browser: a keep-alive connection and the cookies the server set.
struct Browser {
  explicit Browser(int port) : http("127.0.0.1", port) {
    http.set_keep_alive(true);
    // As browsers do: without it a PUT's body waits for the ACK of its headers (Nagle against
    // delayed ACK, 40 ms on Linux), which would measure the client, not the server.
    http.set_tcp_nodelay(true);
    http.set_read_timeout(30, 0);
  }
  httplib::Client http;
  std::string cookie, csrf;

  httplib::Result send(const char* method, const std::string& path, const std::string& body = "") {
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    if (!csrf.empty()) h.emplace("X-CSRF-Token", csrf);
    auto r = std::string(method) == "GET"   ? http.Get(path.c_str(), h)
             : std::string(method) == "PUT" ? http.Put(path.c_str(), h, body, "application/json")
                                            : http.Post(path.c_str(), h, body, "application/json");
    if (r) {
      for (const auto& [k, v] : r->headers) {
        if (k != "Set-Cookie") continue;
        std::string pair = v.substr(0, v.find(';'));
        cookie = cookie.empty() ? pair : cookie + "; " + pair;
      }
    }
    return r;
  }
};

struct Figures {
  std::size_t done = 0, failed = 0;
  double seconds = 0;
  std::vector<double> latency_ms;
  double percentile(double p) {
    if (latency_ms.empty()) return 0;
    std::sort(latency_ms.begin(), latency_ms.end());
    return latency_ms[std::min(latency_ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(latency_ms.size())))];
  }
};

/// `active` threads, each with its own browser, call `request(browser, i)` until `seconds` pass.
template <class Request>
Figures drive(std::vector<Browser>& browsers, std::size_t active, double seconds, Request request) {
  std::vector<Figures> per(active);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto t0 = Steady::now();
  for (std::size_t a = 0; a < active; ++a) {
    threads.emplace_back([&, a] {
      for (std::size_t i = 0; !stop.load(); ++i) {
        auto s = Steady::now();
        bool ok = request(browsers[a], i);
        double ms = std::chrono::duration<double, std::milli>(Steady::now() - s).count();
        if (ok) {
          ++per[a].done;
          per[a].latency_ms.push_back(ms);
        } else {
          ++per[a].failed;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  Figures all;
  all.seconds = std::chrono::duration<double>(Steady::now() - t0).count();
  for (auto& f : per) {
    all.done += f.done;
    all.failed += f.failed;
    all.latency_ms.insert(all.latency_ms.end(), f.latency_ms.begin(), f.latency_ms.end());
  }
  return all;
}

void print(const char* what, Figures f) {
  fmt::print("  {:<28} {:>9.0f} /s   p50 {:6.2f} ms   p99 {:6.2f} ms   ({} done, {} failed)\n", what,
             static_cast<double>(f.done) / f.seconds, f.percentile(0.50), f.percentile(0.99), f.done, f.failed);
}

struct Run {
  Figures answers, trivial;
  std::size_t background = 0;  // answers the idle candidates saved meanwhile
};

/// One server with its own database at `durability`: a campaign, every candidate started and
/// connected, then the two drives.
std::optional<Run> run(const fs::path& dir, const assay::plugins::Registry& registry, assay::serve::Durability durability,
                       std::size_t candidates, std::size_t active, double seconds) {
  auto store = assay::serve::open_sqlite_store(dir / "serve.db", durability);
  if (!store) {
    fmt::print(stderr, "{}\n", store.error());
    return std::nullopt;
  }
  auto clock = assay::make_clock();
  assay::serve::ServerOptions options;
  options.assessment_dirs = {dir / "assessments"};
  assay::serve::Server server(*store.value(), registry, *clock, options);
  std::string setup = server.ensure_setup_token();
  auto bound = server.bind("127.0.0.1", 0);
  if (!bound) {
    fmt::print(stderr, "{}\n", bound.error());
    return std::nullopt;
  }
  int port = bound.value();
  std::thread serving([&] { server.run(); });
  struct Stop {  // stops and joins the server on every way out
    assay::serve::Server& server;
    std::thread& thread;
    ~Stop() {
      server.stop();
      thread.join();
    }
  } stop_at_exit{server, serving};
  while (!server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  // A manager's campaign with every candidate invited and started.
  Browser staff(port);
  staff.send("POST", "/api/setup", json{{"token", setup}, {"username", "admin"}, {"password", "bench-password"}}.dump());
  auto login = staff.send("POST", "/api/login", json{{"username", "admin"}, {"password", "bench-password"}}.dump());
  if (!login || login->status != 200) {
    fmt::print(stderr, "cannot sign in\n");
    return std::nullopt;
  }
  staff.csrf = json::parse(login->body).at("csrf").get<std::string>();
  auto campaign = staff.send("POST", "/api/campaigns",
                             json{{"title", "Benchmark"},
                                  {"assessment", "bench-serve"},
                                  {"opens", "2000-01-01T00:00:00Z"},
                                  {"closes", "2999-01-01T00:00:00Z"}}
                                 .dump());
  if (!campaign || campaign->status != 201) {
    fmt::print(stderr, "cannot create the campaign: {}\n", campaign ? campaign->body : "no reply");
    return std::nullopt;
  }
  auto id = json::parse(campaign->body).at("id").dump();
  std::vector<Browser> browsers;
  browsers.reserve(candidates);
  std::vector<std::string> tokens;
  for (std::size_t c = 0; c < candidates; ++c) {
    auto r = staff.send("POST", "/api/campaigns/" + id + "/candidates",
                        json{{"name", fmt::format("Candidate {}", c)}, {"email", ""}, {"external_ref", ""}}.dump());
    std::string link = json::parse(r->body).at("link").get<std::string>();
    tokens.push_back(link.substr(link.rfind('/') + 1));
    browsers.emplace_back(port);
    auto started = browsers.back().send("POST", "/api/c/" + tokens.back() + "/start");
    if (!started || started->status != 200) {
      fmt::print(stderr, "candidate {} cannot start: {}\n", c, started ? started->body : "no reply");
      return std::nullopt;
    }
  }
  // Every candidate's connection is open. The idle ones answer now and then, as candidates
  // reading a question do: each saves an answer every 10 s, spread out, on its own connection.
  std::atomic<bool> quiet{false};
  std::atomic<std::size_t> background{0};
  std::thread idle([&] {
    auto period = std::chrono::duration<double>(10.0 / static_cast<double>(std::max<std::size_t>(1, candidates - active)));
    for (std::size_t i = 0; !quiet.load(); ++i) {
      std::size_t a = active + i % std::max<std::size_t>(1, candidates - active);
      if (a >= candidates) break;
      auto r = browsers[a].send("PUT", fmt::format("/api/c/{}/answers/{}", tokens[a], 1 + i % kItems), R"({"answer":["c"]})");
      if (r && r->status == 200) ++background;
      std::this_thread::sleep_for(period);
    }
  });
  Run out;
  out.answers = drive(browsers, active, seconds, [&](Browser& b, std::size_t i) {
    std::size_t a = static_cast<std::size_t>(&b - browsers.data());
    std::string body = i % 2 == 0 ? R"({"answer":["b"]})" : R"({"answer":["a"]})";
    auto r = b.send("PUT", fmt::format("/api/c/{}/answers/{}", tokens[a], 1 + i % kItems), body);
    return r && r->status == 200;
  });
  out.trivial = drive(browsers, active, seconds, [&](Browser& b, std::size_t) {
    auto r = b.send("GET", "/");
    return r && r->status == 200;
  });
  quiet = true;
  idle.join();
  out.background = background.load();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_serve PLUGIN_DIR [CANDIDATES] [ACTIVE] [SECONDS]\n");
    return 2;
  }
  std::size_t candidates = argc > 2 ? std::stoul(argv[2]) : 300;
  std::size_t active = argc > 3 ? std::stoul(argv[3]) : 32;
  double seconds = argc > 4 ? std::stod(argv[4]) : 5;
  active = std::min(active, candidates);
  auto in_process = assay::plugins::Registry::load({argv[1]});
  auto registry = assay::plugins::Registry::load({argv[1]});
  registry.isolate({});  // while this is the only thread, as `assay serve` does
  fmt::print("assay serve on loopback: {} candidates connected, {} of them busy, {:.0f} s per run\n", candidates, active,
             seconds);
  bool met = false;
  struct Setting {
    assay::serve::Durability durability;
    const assay::plugins::Registry* plugins;
  };
  for (auto [durability, plugins] :
       {Setting{assay::serve::Durability::kFull, &registry}, Setting{assay::serve::Durability::kNormal, &registry},
        Setting{assay::serve::Durability::kFull, &in_process}}) {
    bool full = durability == assay::serve::Durability::kFull;
    bool isolated = plugins->isolated();
    fs::path dir = fs::temp_directory_path() / ("assay-bench-serve-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "assessments");
    { std::ofstream(dir / "assessments" / "bench.toml") << assessment_toml(); }
    auto r = run(dir, *plugins, durability, candidates, active, seconds);
    fs::remove_all(dir);
    if (!r) return 1;
    fmt::print("--durability {}, plugins {}\n", full ? "full (synchronous=FULL, the default)" : "normal (synchronous=NORMAL)",
               isolated ? "in worker processes (as assay serve runs)" : "in-process (for comparison)");
    print("answers acknowledged", r->answers);
    print("trivial route (GET /)", r->trivial);
    fmt::print("  {:<28} {:>9} answers from the {} idle candidates meanwhile\n", "", r->background, candidates - active);
    if (full && isolated)
      met = static_cast<double>(r->answers.done) / r->answers.seconds >= 5000 && r->answers.percentile(0.99) <= 20;
  }
  fmt::print("target with the default: >= 5000 acknowledged answers/s with p99 <= 20 ms: {}\n", met ? "met" : "missed");
  return 0;
}
