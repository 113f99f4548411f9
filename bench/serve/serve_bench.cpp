// Screening server under a campaign's load: hundreds of candidates hold a connection open (most
// idle, as candidates reading a question are), a few dozen save answers as fast as the server
// acknowledges them. Reports acknowledged answers per second with p50/p99 latency, next to a
// trivial route of the same server (an embedded page) under the same connections in the same run;
// then a burst of candidates opening their links within one second.
//
// Run on SQLite (one server, each --durability), and, when ASSAY_BENCH_PG_URL names an empty
// PostgreSQL database (scripts/run-bench.sh starts a throwaway cluster for it), on two servers
// sharing that database, every candidate's requests alternating between them as a load balancer
// without sticky sessions sends them.
//
// scripts/run-bench.sh runs it a second time with the database on a CPU of its own (taskset), as
// several servers are meant to be deployed.
//
//   bench_serve PLUGIN_DIR [CANDIDATES] [ACTIVE] [SECONDS] [BURST]
//
// ASSAY_BENCH_PLUGIN_WORKERS=N gives each server N plugin worker processes (--plugin-workers N);
// ASSAY_BENCH_PG_POOL=N each PostgreSQL server N connections.
#include <fmt/format.h>
#include <httplib.h>
#include <sched.h>
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

/// One browser: a keep-alive connection to each server, used in turn, and the cookies they set.
struct Browser {
  explicit Browser(const std::vector<int>& ports) {
    for (int port : ports) {
      auto& http = *servers.emplace_back(std::make_unique<httplib::Client>("127.0.0.1", port));
      http.set_keep_alive(true);
      // As browsers do: without it a PUT's body waits for the ACK of its headers (Nagle against
      // delayed ACK, 40 ms on Linux), which would measure the client, not the server.
      http.set_tcp_nodelay(true);
      http.set_read_timeout(30, 0);
    }
  }
  std::vector<std::unique_ptr<httplib::Client>> servers;
  std::size_t next = 0;
  std::string cookie, csrf;

  httplib::Result send(const char* method, const std::string& path, const std::string& body = "",
                       const char* type = "application/json") {
    httplib::Headers h;
    if (!cookie.empty()) h.emplace("Cookie", cookie);
    if (!csrf.empty()) h.emplace("X-CSRF-Token", csrf);
    auto& http = *servers[next++ % servers.size()];
    auto r = std::string(method) == "GET"   ? http.Get(path.c_str(), h)
             : std::string(method) == "PUT" ? http.Put(path.c_str(), h, body, type)
                                            : http.Post(path.c_str(), h, body, type);
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
  Figures answers, trivial, burst;
  std::size_t background = 0;  // answers the idle candidates saved meanwhile
  double burst_last_s = 0;     // from the first link opened to the last candidate admitted
};

/// Invites `n` candidates with one CSV import; their link tokens.
std::vector<std::string> invite(Browser& staff, const std::string& campaign, std::size_t n, std::size_t from) {
  std::string csv = "name,email,external_ref\n";
  for (std::size_t c = 0; c < n; ++c) csv += fmt::format("Candidate {},,\n", from + c);
  auto r = staff.send("POST", "/api/campaigns/" + campaign + "/candidates.csv", csv, "text/csv");
  std::vector<std::string> tokens;
  if (!r || r->status != 200) {
    fmt::print(stderr, "cannot invite: {}\n", r ? r->body : "no reply");
    return tokens;
  }
  std::size_t pos = r->body.find('\n') + 1;  // after the header row
  while (pos < r->body.size()) {
    auto end = r->body.find('\n', pos);
    auto line = r->body.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    tokens.push_back(line.substr(line.rfind('/') + 1));
    pos = end == std::string::npos ? r->body.size() : end + 1;
  }
  return tokens;
}

/// `burst` candidates open their links within one second (one every 1/burst s): each in a new
/// browser, reading the link's page and starting the attempt. Each one's time to be admitted.
Figures open_links(const std::vector<int>& ports, const std::vector<std::string>& tokens, double& last_s) {
  const std::size_t n = tokens.size();
  const std::size_t threads_n = std::min<std::size_t>(n, 200);
  std::vector<Figures> per(threads_n);
  std::vector<double> finished(threads_n, 0);
  std::vector<std::thread> threads;
  auto t0 = Steady::now() + std::chrono::milliseconds(50);
  for (std::size_t t = 0; t < threads_n; ++t)
    threads.emplace_back([&, t] {
      for (std::size_t c = t; c < n; c += threads_n) {
        auto at = t0 + std::chrono::duration_cast<Steady::duration>(
                           std::chrono::duration<double>(static_cast<double>(c) / static_cast<double>(n)));
        std::this_thread::sleep_until(at);
        Browser b(ports);
        b.next = c;  // the balancer spreads new browsers over the servers
        auto s = Steady::now();
        auto started = b.send("GET", "/api/c/" + tokens[c]);
        if (started && started->status == 200) started = b.send("POST", "/api/c/" + tokens[c] + "/start");
        auto done = Steady::now();
        if (started && started->status == 200) {
          ++per[t].done;
          per[t].latency_ms.push_back(std::chrono::duration<double, std::milli>(done - s).count());
          finished[t] = std::max(finished[t], std::chrono::duration<double>(done - t0).count());
        } else {
          ++per[t].failed;
          if (per[t].failed == 1)
            fmt::print(stderr, "  a candidate was not admitted: {}\n",
                       started ? fmt::format("{} {}", started->status, started->body) : httplib::to_string(started.error()));
        }
      }
    });
  for (auto& th : threads) th.join();
  Figures all;
  all.seconds = 1;
  for (std::size_t t = 0; t < threads_n; ++t) {
    all.done += per[t].done;
    all.failed += per[t].failed;
    all.latency_ms.insert(all.latency_ms.end(), per[t].latency_ms.begin(), per[t].latency_ms.end());
    last_s = std::max(last_s, finished[t]);
  }
  return all;
}

/// One server per store, on one database, each with its registry (its own plugin workers, as each
/// `assay serve` process has): a campaign, every candidate started and connected, the two drives,
/// then the burst of new candidates.
std::optional<Run> run(const fs::path& dir, const std::vector<const assay::plugins::Registry*>& registries,
                       std::vector<std::unique_ptr<assay::serve::Store>> stores, std::size_t candidates, std::size_t active,
                       double seconds, std::size_t burst) {
  auto clock = assay::make_clock();
  assay::serve::ServerOptions options;
  options.assessment_dirs = {dir / "assessments"};
  std::vector<std::unique_ptr<assay::serve::Server>> servers;
  std::vector<std::thread> serving;
  std::vector<int> ports;
  struct Stop {  // stops and joins the servers on every way out
    std::vector<std::unique_ptr<assay::serve::Server>>& servers;
    std::vector<std::thread>& threads;
    ~Stop() {
      for (auto& s : servers) s->stop();
      for (auto& t : threads) t.join();
    }
  } stop_at_exit{servers, serving};
  std::string setup;
  for (std::size_t i = 0; i < stores.size(); ++i) {
    auto& server = *servers.emplace_back(std::make_unique<assay::serve::Server>(*stores[i], *registries.at(i), *clock, options));
    if (setup.empty()) setup = server.ensure_setup_token();
    auto bound = server.bind("127.0.0.1", 0);
    if (!bound) {
      fmt::print(stderr, "{}\n", bound.error());
      return std::nullopt;
    }
    ports.push_back(bound.value());
    serving.emplace_back([&server] { server.run(); });
    while (!server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  // A manager's campaign with every candidate invited and started.
  Browser staff(ports);
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
                                  {"closes", "2199-01-01T00:00:00Z"}}
                                 .dump());
  if (!campaign || campaign->status != 201) {
    fmt::print(stderr, "cannot create the campaign: {}\n", campaign ? campaign->body : "no reply");
    return std::nullopt;
  }
  auto id = json::parse(campaign->body).at("id").dump();
  auto tokens = invite(staff, id, candidates, 0);
  if (tokens.size() != candidates) return std::nullopt;
  std::vector<Browser> browsers;
  browsers.reserve(candidates);
  for (std::size_t c = 0; c < candidates; ++c) {
    browsers.emplace_back(ports);
    auto started = browsers.back().send("POST", "/api/c/" + tokens[c] + "/start");
    if (!started || started->status != 200) {
      fmt::print(stderr, "candidate {} cannot start: {}\n", c, started ? started->body : "no reply");
      return std::nullopt;
    }
    // The attempt read once through every other server, as pages opened during a screening reach
    // them all: the figures are of servers in their steady state, none of them cold.
    for (std::size_t other = 1; other < ports.size(); ++other) {
      auto read = browsers.back().send("GET", "/api/c/" + tokens[c] + "/attempt");
      if (!read || read->status != 200) {
        fmt::print(stderr, "candidate {} cannot read the attempt: {}\n", c, read ? read->body : "no reply");
        return std::nullopt;
      }
    }
  }
  // Every candidate's connections are open. The idle ones answer now and then, as candidates
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
    // As the browser sends them: each save of an item the next revision of it.
    auto r = b.send("PUT", fmt::format("/api/c/{}/answers/{}?revision={}", tokens[a], 1 + i % kItems, 1 + i / kItems), body);
    return r && r->status == 200;
  });
  out.trivial = drive(browsers, active, seconds, [&](Browser& b, std::size_t) {
    auto r = b.send("GET", "/");
    return r && r->status == 200;
  });
  quiet = true;
  idle.join();
  out.background = background.load();
  if (burst > 0) {
    auto more = invite(staff, id, burst, candidates);
    if (more.size() != burst) return std::nullopt;
    out.burst = open_links(ports, more, out.burst_last_s);
  }
  return out;
}

/// A fresh directory holding the benchmark's assessment; removed when it goes.
struct Workdir {
  Workdir() {
    fs::remove_all(path);
    fs::create_directories(path / "assessments");
    std::ofstream(path / "assessments" / "bench.toml") << assessment_toml();
  }
  ~Workdir() { fs::remove_all(path); }
  fs::path path = fs::temp_directory_path() / ("assay-bench-serve-" + std::to_string(::getpid()));
};

double rate(const Figures& f) { return static_cast<double>(f.done) / f.seconds; }

/// The CPUs this process may run on, as taskset lists them ("0-1", "0"); its servers, clients and
/// plugin workers share them. PostgreSQL runs where its cluster was started.
std::string cpus_of_this_process() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return "?";
  std::string out;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (!CPU_ISSET(c, &set)) continue;
    int last = c;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set)) ++last;
    out += (out.empty() ? "" : ",") + (last == c ? std::to_string(c) : fmt::format("{}-{}", c, last));
    c = last;
  }
  return out;
}

void report(const Run& r, std::size_t candidates, std::size_t active, std::size_t burst) {
  print("answers acknowledged", r.answers);
  print("trivial route (GET /)", r.trivial);
  fmt::print("  {:<28} {:>9} answers from the {} idle candidates meanwhile\n", "", r.background, candidates - active);
  if (burst > 0) {
    auto b = r.burst;
    fmt::print("  {:<28} {:>5} of {} admitted, {} refused; p50 {:.1f} ms, p99 {:.1f} ms, last at {:.2f} s\n",
               "burst: links opened in 1 s", b.done, burst, b.failed, b.percentile(0.50), b.percentile(0.99), r.burst_last_s);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_serve PLUGIN_DIR [CANDIDATES] [ACTIVE] [SECONDS] [BURST]\n");
    return 2;
  }
  std::size_t candidates = argc > 2 ? std::stoul(argv[2]) : 600;
  std::size_t active = argc > 3 ? std::stoul(argv[3]) : 64;
  double seconds = argc > 4 ? std::stod(argv[4]) : 5;
  std::size_t burst = argc > 5 ? std::stoul(argv[5]) : 1000;
  active = std::min(active, candidates);
  auto in_process = assay::plugins::Registry::load({argv[1]});
  // Each server's plugin worker processes: `assay serve --plugin-workers` (default one per core).
  assay::plugins::IsolationOptions isolation;
  if (const char* n = std::getenv("ASSAY_BENCH_PLUGIN_WORKERS")) isolation.workers = static_cast<unsigned>(std::stoul(n));
  auto registry = assay::plugins::Registry::load({argv[1]});
  registry.isolate(isolation);  // while this is the only thread, as `assay serve` does
  const char* pg = std::getenv("ASSAY_BENCH_PG_URL");
  const bool on_postgres = pg != nullptr && *pg != '\0';
  std::optional<assay::plugins::Registry> second_registry;  // the second server's, on PostgreSQL
  if (on_postgres) {
    second_registry.emplace(assay::plugins::Registry::load({argv[1]}));
    second_registry->isolate(isolation);
  }
  fmt::print(
      "assay serve on loopback: {} candidates connected, {} of them busy, {:.0f} s per run, on CPUs {} of {}, {} plugin "
      "workers per server\n",
      candidates, active, seconds, cpus_of_this_process(), std::thread::hardware_concurrency(), isolation.worker_count());
  bool met = false;
  double sqlite_rate = 0;
  struct Setting {
    assay::serve::Durability durability;
    const assay::plugins::Registry* plugins;
  };
  for (auto [durability, plugins] :
       {Setting{assay::serve::Durability::kFull, &registry}, Setting{assay::serve::Durability::kNormal, &registry},
        Setting{assay::serve::Durability::kFull, &in_process}}) {
    bool full = durability == assay::serve::Durability::kFull;
    bool isolated = plugins->isolated();
    Workdir dir;
    auto store = assay::serve::open_sqlite_store(dir.path / "serve.db", durability);
    if (!store) {
      fmt::print(stderr, "{}\n", store.error());
      return 1;
    }
    std::vector<std::unique_ptr<assay::serve::Store>> stores;
    stores.push_back(std::move(store.value()));
    auto r = run(dir.path, {plugins}, std::move(stores), candidates, active, seconds, full && isolated ? burst : 0);
    if (!r) return 1;
    fmt::print("one server on SQLite, --durability {}, plugins {}\n",
               full ? "full (synchronous=FULL, the default)" : "normal (synchronous=NORMAL)",
               isolated ? "in worker processes (as assay serve runs)" : "in-process (for comparison)");
    report(*r, candidates, active, full && isolated ? burst : 0);
    if (full && isolated) {
      sqlite_rate = rate(r->answers);
      met = sqlite_rate >= 5000 && r->answers.percentile(0.99) <= 20;
    }
  }
  fmt::print("target with the default: >= 5000 acknowledged answers/s with p99 <= 20 ms: {}\n", met ? "met" : "missed");

  if (!on_postgres) {
    fmt::print("two servers on PostgreSQL: skipped (ASSAY_BENCH_PG_URL is not set; `make bench` starts a cluster)\n");
    return 0;
  }
  Workdir dir;
  std::vector<std::unique_ptr<assay::serve::Store>> stores;
  for (int i = 0; i < 2; ++i) {
    assay::serve::PostgresOptions po;
    if (const char* n = std::getenv("ASSAY_BENCH_PG_POOL")) po.max_connections = std::stoul(n);
    auto store = assay::serve::open_postgres_store(pg, po);
    if (!store) {
      fmt::print(stderr, "{}\n", store.error());
      return 1;
    }
    stores.push_back(std::move(store.value()));
  }
  auto r = run(dir.path, {&registry, &*second_registry}, std::move(stores), candidates, active, seconds, burst);
  if (!r) return 1;
  fmt::print(
      "two servers on one PostgreSQL, each candidate's requests alternating between them, each server's plugins in worker "
      "processes of its own\n");
  report(*r, candidates, active, burst);
  bool pg_met = rate(r->answers) >= sqlite_rate && r->answers.percentile(0.99) <= 20;
  fmt::print("target: at least the single SQLite server's {:.0f} acknowledged answers/s with p99 <= 20 ms: {}\n", sqlite_rate,
             pg_met ? "met" : "missed");
  return 0;
}
