#include <fmt/format.h>

#include <pthread.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include "assay/catalog.hpp"
#include "assay/plugins.hpp"
#include "assay/serve.hpp"
#include "assay/store.hpp"
#include "assay/store_migrate.hpp"
#include "assay/take.hpp"
#include "commands.hpp"

namespace assay::app {

namespace {

struct ServeArgs {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir;
  std::string db;
  std::vector<std::string> assessment_dirs;
  std::string tls_cert, tls_key;
  std::string backup;
  std::string migrate_from;
  std::string durability = "full";
  std::vector<std::string> trusted_proxies;
  unsigned plugin_workers = 0;
  double plugin_timeout = 10;
  std::string xapi_endpoint, xapi_auth, xapi_home, xapi_activity_base;
  bool xapi_items = false;
};

/// SIGINT and SIGTERM, blocked in this thread and so in every thread started after it: a thread of
/// our own waits for them and stops the server, outside any signal handler.
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void add_serve(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "run screening campaigns in the browser (HTTP server, SQLite or PostgreSQL store)");
  cmd->add_option("--listen", args->listen, "HOST:PORT to listen on (port 0 picks a free one)")->capture_default_str();
  cmd->add_option("--data-dir", args->data_dir, "where the database is kept (default: ~/.local/share/assay)");
  cmd->add_option("--db", args->db,
                  "the SQLite database file (default: DATA_DIR/serve.db), or a PostgreSQL URL postgresql://... "
                  "(default: $ASSAY_DB_URL when set)");
  cmd->add_option("--assessments", args->assessment_dirs, "look for assessments here (repeatable)");
  cmd->add_option("--tls-cert", args->tls_cert, "serve HTTPS with this PEM certificate (with --tls-key)");
  cmd->add_option("--tls-key", args->tls_key, "the PEM private key of --tls-cert");
  cmd->add_option("--backup", args->backup, "copy the database into FILE while it is in use, then exit");
  cmd->add_option("--migrate-from", args->migrate_from,
                  "copy this SQLite database into the empty PostgreSQL database of --db, check every table, then exit")
      ->type_name("FILE");
  cmd->add_option("--durability", args->durability,
                  "full: every acknowledged answer survives a power loss (default); normal: faster, survives a "
                  "crash of the server but not a power loss")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  cmd->add_option("--trusted-proxy", args->trusted_proxies,
                  "believe X-Forwarded-For and X-Forwarded-Proto from this proxy's address (repeatable; default: none)");
  cmd->add_option("--plugin-workers", args->plugin_workers, "the most plugin worker processes at once (default: one per core)")
      ->type_name("N");
  cmd->add_option("--plugin-timeout", args->plugin_timeout,
                  "seconds one plugin call may take; past it the call fails and its worker is replaced (default: 10)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.001, 86400.0));
  auto config = std::make_shared<std::string>();
  cmd->add_option("--xapi-endpoint", args->xapi_endpoint,
                  "send each final result as xAPI statements to this learning record store (its xAPI base URL)")
      ->type_name("URL");
  cmd->add_option("--xapi-auth", args->xapi_auth, "with --xapi-endpoint: a file whose first line is USER:PASSWORD (HTTP Basic)")
      ->type_name("FILE");
  cmd->add_option("--xapi-home", args->xapi_home,
                  "with --xapi-endpoint: the home page of this screening service (the actors' account)")
      ->type_name("URL");
  cmd->add_option("--xapi-activity-base", args->xapi_activity_base,
                  "with --xapi-endpoint: where assessment activity IRIs live (default: --xapi-home)")
      ->type_name("IRI");
  cmd->add_flag("--xapi-items", args->xapi_items, "with --xapi-endpoint: also one \"answered\" statement per item");
  cmd->add_option("--config", *config,
                  "read options from this TOML file, one 'name = value' per long option: listen = \"0.0.0.0:8443\", "
                  "require-signed = true, trusted-keys = [\"/etc/assay/trusted-keys\"] (the command line wins)")
      ->type_name("FILE")
      ->configurable(false);
  cmd->callback([&ctx, args, cmd, config] {
    namespace fs = std::filesystem;
    if (!config->empty()) apply_config(*cmd, *config);
    fs::path data_dir = args->data_dir.empty() ? take::default_data_dir() : fs::path(args->data_dir);
    if (const char* url = std::getenv("ASSAY_DB_URL"); args->db.empty() && url != nullptr && *url != '\0') args->db = url;
    // A PostgreSQL URL selects that store; anything else names the SQLite file.
    const bool postgres = serve::is_postgres_url(args->db);
    fs::path db = args->db.empty() ? data_dir / "serve.db" : fs::path(args->db);
    std::string db_name = postgres ? serve::redact_url(args->db) : db.string();
    std::string host;
    int port = 0;
    if (!serve::parse_listen(args->listen, host, port))
      problem(Exit::kUsage, fmt::format("assay serve: error: --listen: expected HOST:PORT, found \"{}\"", args->listen));
    if (args->tls_cert.empty() != args->tls_key.empty())
      problem(Exit::kUsage, "assay serve: error: --tls-cert and --tls-key go together");
    std::vector<std::string> trusted_proxies;
    for (const auto& a : args->trusted_proxies) {
      auto address = serve::canonical_address(a);
      if (address.empty())
        problem(Exit::kUsage, fmt::format("assay serve: error: --trusted-proxy: expected an IPv4 or IPv6 address, found \"{}\"\n"
                                          "  hint: give each proxy's exact address, one --trusted-proxy for each",
                                          a));
      trusted_proxies.push_back(address);
    }
    serve::XapiOptions xapi;
    if (!args->xapi_endpoint.empty()) {
      const auto& e = args->xapi_endpoint;
      if (e.rfind("http://", 0) != 0 && e.rfind("https://", 0) != 0)
        problem(Exit::kUsage, fmt::format("assay serve: error: --xapi-endpoint: expected an http(s) URL, found \"{}\"", e));
      auto authority = e.substr(e.find("://") + 3);
      if (authority.substr(0, authority.find('/')).find('@') != std::string::npos)
        problem(Exit::kUsage,
                "assay serve: error: --xapi-endpoint: a user name or password in the URL would be printed and logged\n"
                "  hint: put USER:PASSWORD in a file and give it with --xapi-auth FILE");
      xapi.endpoint = e;
      xapi.home_page = args->xapi_home;
      xapi.activity_base = args->xapi_activity_base;
      xapi.items = args->xapi_items;
      check_xapi_options("assay serve", "--xapi-endpoint", {xapi.home_page, xapi.activity_base, xapi.items});
      if (!args->xapi_auth.empty()) {
        std::ifstream in(args->xapi_auth);
        std::string line;
        if (!in || !std::getline(in, line) || line.find(':') == std::string::npos)
          problem(Exit::kIo,
                  fmt::format("{}: error: expected a first line USER:PASSWORD for the learning record store", args->xapi_auth));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        xapi.username = line.substr(0, line.find(':'));
        xapi.password = line.substr(line.find(':') + 1);
      }
    } else if (!args->xapi_home.empty() || !args->xapi_auth.empty() || args->xapi_items || !args->xapi_activity_base.empty()) {
      problem(Exit::kUsage, "assay serve: error: the --xapi options go with --xapi-endpoint URL");
    }
    if (!args->migrate_from.empty()) {
      if (!postgres)
        problem(Exit::kUsage, "assay serve: error: --migrate-from copies into PostgreSQL\n  hint: give --db postgresql://...");
      std::error_code ec;
      if (!fs::is_regular_file(args->migrate_from, ec))
        problem(Exit::kIo, fmt::format("{}: error: no database to copy here", args->migrate_from));
      auto copied = serve::copy_sqlite_to_postgres(args->migrate_from, args->db);
      if (!copied) problem(Exit::kIo, copied.error());
      for (const auto& t : copied.value()) *ctx.out << fmt::format("{:<12} {:>9} rows  sha256 {}\n", t.name, t.rows, t.sha256);
      *ctx.out << fmt::format("copied {} into {}: the rows and digest of every table match\n", args->migrate_from, db_name);
      return;
    }
    if (!args->backup.empty() && postgres) {
      problem(Exit::kIo, fmt::format("{}: error: --backup copies SQLite databases only\n  hint: back up a PostgreSQL database "
                                     "with pg_dump: pg_dump --format=custom --file={} '{}'",
                                     args->backup, args->backup, db_name));
    } else if (!args->backup.empty()) {
      // A backup reads an existing database and writes a new file: it creates and replaces nothing.
      std::error_code ec;
      if (!fs::is_regular_file(db, ec))
        problem(Exit::kIo,
                fmt::format("{}: error: no database to back up here\n  hint: give the server's --data-dir or --db", db.string()));
      if (fs::exists(args->backup, ec))
        problem(Exit::kIo, fmt::format("{}: error: already exists; a backup never replaces a file\n  hint: give a new file name",
                                       args->backup));
    } else if (args->db.empty() && !postgres) {
      std::error_code ec;
      fs::create_directories(data_dir, ec);
      if (ec) problem(Exit::kIo, fmt::format("{}: error: cannot create the data directory: {}", data_dir.string(), ec.message()));
    }
    // Every open candidate connection is a file descriptor: take all the system allows.
    if (rlimit files{}; args->backup.empty() && ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
      files.rlim_cur = files.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &files);
    }
    // Blocked before the store starts its checkpointing thread, so that no thread but the waiter
    // below ever takes them.
    auto signals = stop_signals();
    sigset_t before;
    pthread_sigmask(args->backup.empty() ? SIG_BLOCK : SIG_UNBLOCK, &signals, &before);
    struct Restore {
      sigset_t mask;
      ~Restore() { pthread_sigmask(SIG_SETMASK, &mask, nullptr); }
    } restore{before};
    // Plugins load, and their worker processes start, while this is the only thread: every
    // plugin call then runs in a worker, and one that crashes or hangs costs that call alone.
    std::optional<plugins::Registry> registry;
    if (args->backup.empty()) {
      registry = load_plugins(ctx);
      for (const auto& r : registry->refused()) *ctx.err << r.message << "\n";
      std::string loaded;
      for (const auto& p : registry->plugins())
        loaded += fmt::format("{}{} {}", loaded.empty() ? "" : ", ", p->name(), p->version());
      *ctx.err << fmt::format("assay serve: plugins loaded: {}{}\n", loaded.empty() ? "none" : loaded,
                              ctx.require_signed && !loaded.empty() ? " (each signed by a trusted key)" : "");
      // Every assessment on offer is checked now, its params against their types' schemas
      // included, so that a mistake shows at start and not when a campaign first opens it.
      std::vector<fs::path> dirs(args->assessment_dirs.begin(), args->assessment_dirs.end());
      if (auto problems = catalog::validate_all(catalog::assessment_dirs(dirs), *registry); !problems.empty()) {
        *ctx.err << format_all(problems)
                 << fmt::format(
                        "assay serve: {} error{} in the assessments: a campaign cannot open a file with errors "
                        "('assay validate' checks one)\n",
                        problems.size(), problems.size() == 1 ? "" : "s");
      }
      try {
        registry->isolate({args->plugin_workers, args->plugin_timeout});
      } catch (const std::runtime_error& e) {
        problem(Exit::kIo, fmt::format("assay serve: error: {}", e.what()));
      }
    }
    auto store = serve::open_store(postgres ? args->db : db.string(),
                                   args->durability == "normal" ? serve::Durability::kNormal : serve::Durability::kFull);
    if (!store) problem(Exit::kIo, store.error());
    if (!args->backup.empty()) {
      try {
        store.value()->backup(args->backup);
      } catch (const serve::StoreError& e) {
        problem(Exit::kIo, e.what());
      }
      *ctx.out << fmt::format("backup written: {}\n", args->backup);
      return;
    }
    for (const auto& repair : store.value()->repair_out_of_range())
      *ctx.err << "assay serve: repaired a value out of range: " << repair << '\n';
    serve::ServerOptions options;
    auto log_mutex = std::make_shared<std::mutex>();
    options.error_log = [&ctx, log_mutex](const std::string& line) {
      std::lock_guard lock(*log_mutex);
      *ctx.err << line << '\n' << std::flush;
    };
    for (const auto& d : args->assessment_dirs) options.assessment_dirs.emplace_back(d);
    options.tls_cert = args->tls_cert;
    options.tls_key = args->tls_key;
    options.trusted_proxies = trusted_proxies;
    options.xapi = xapi;
    serve::Server server(*store.value(), *registry, *ctx.clock, options);
    server.purge_expired();
    auto bound = server.bind(host, port);
    if (!bound) problem(Exit::kIo, "assay serve: " + bound.error());
    std::string scheme = args->tls_cert.empty() ? "http" : "https";
    std::string base =
        fmt::format("{}://{}:{}", scheme, host.find(':') != std::string::npos ? "[" + host + "]" : host, bound.value());
    *ctx.out << fmt::format("assay serve: listening on {} (database {})\n", base, db_name);
    if (!xapi.endpoint.empty()) {
      auto counts = store.value()->outbox_counts();
      *ctx.err << fmt::format(
          "assay serve: final results go to the learning record store at {} ({} statements waiting, {} refused)\n", xapi.endpoint,
          counts.waiting, counts.refused);
    }
    if (auto token = server.ensure_setup_token(); !token.empty())
      *ctx.out << fmt::format("no account yet: open this link once to create the administrator:\n  {}/setup#{}\n", base, token);
    *ctx.out << std::flush;
    std::thread waiter([&server, signals] {
      int received = 0;
      sigwait(&signals, &received);
      server.stop();
    });
    server.run();
    pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter if the server stopped by itself
    waiter.join();
  });
}

}  // namespace assay::app
