// `assay serve`: the screening server (docs/serve.md). The HTTP library stays behind this
// header: callers see a server they bind, run and stop.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "assay/clock.hpp"
#include "assay/expected.hpp"
#include "assay/store.hpp"

namespace assay::plugins {
class Registry;
}

namespace assay::serve {

/// Sending each final result to a learning record store as xAPI statements (docs/serve.md,
/// "Sending results to a learning record store").
struct XapiOptions {
  std::string endpoint;                  // the LRS's xAPI base URL ("https://lrs.example/xapi/"); "" = not sent
  std::string username, password;        // HTTP Basic credentials ("" = none)
  std::string home_page;                 // the actors' account home page (xapi::Options::home_page)
  std::string activity_base;             // where the activity IRIs live ("" = home_page)
  bool items = false;                    // also one statement per item
  std::chrono::milliseconds poll{1000};  // how often the outbox is looked at
  std::chrono::seconds retry{30};        // the wait after a first failure, doubling up to an hour
  std::chrono::seconds timeout{10};      // for connecting, and for the LRS's answer
};

struct ServerOptions {
  /// Where campaigns' assessments are looked up (catalog::assessment_dirs of these).
  std::vector<std::filesystem::path> assessment_dirs;
  /// PEM files: both set means HTTPS.
  std::filesystem::path tls_cert, tls_key;
  /// Request bodies above this size are refused with 413.
  std::size_t max_body = 256 * 1024;
  /// One attempt's saved answers together (bytes of their JSON): a save past it is refused with
  /// 413. Each interaction's own bounds are in response.schema.json (docs/formats.md, "Bounds").
  std::size_t max_attempt_answers = 2 * 1024 * 1024;
  /// Workers that run the /api/ routes (a route may wait for its commit); 0 = 64. Connections
  /// themselves cost no thread.
  std::size_t threads = 0;
  /// Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: exact IPv4 or IPv6
  /// addresses, as canonical_address() writes them. A request from one of them counts against
  /// the right-most X-Forwarded-For address that is not itself a trusted proxy; a request from
  /// any other peer counts against the peer, whatever it sends. Empty: no proxy is trusted.
  std::vector<std::string> trusted_proxies;
  /// A connection with no request for this long is closed. Idle connections cost no thread, so
  /// this follows what browsers keep (a candidate reads a question for a minute or two).
  std::chrono::seconds idle_timeout{120};
  /// Reading one request once its first byte has arrived (its header, then its body), and writing
  /// one response: a client that sends half a request is cut off after this.
  std::chrono::seconds transfer_timeout{30};
  /// Where an internal error (a 500) is written, with its reference and the request's method and
  /// path (link tokens left out); called from any worker. Empty: not written.
  std::function<void(const std::string&)> error_log;
  XapiOptions xapi;
};

class Server {
 public:
  /// `store`, `registry` and `clock` must outlive the server.
  Server(Store& store, const plugins::Registry& registry, const Clock& clock, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// When no account exists yet: a new one-time set-up token for the administrator (the link is
  /// BASE/setup#TOKEN). Otherwise "".
  std::string ensure_setup_token();

  /// Deletes the candidates (data and attempts) of campaigns whose retention period has run out
  /// since they closed; logged in each campaign. Also done whenever staff list the campaigns.
  void purge_expired();

  /// Binds the listening socket; port 0 picks a free port. The port bound, or the message.
  Expected<int, std::string> bind(const std::string& host, int port);
  /// Serves until stop(); call after bind().
  void run();
  /// Stops run() from any thread.
  void stop();
  /// Whether run() is accepting connections.
  bool running() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// "HOST:PORT" → host and port; false when malformed.
bool parse_listen(const std::string& text, std::string& host, int& port);

/// An IPv4 or IPv6 address in its canonical text ("::1" for "0:0:0:0:0:0:0:1"); "" when `text`
/// is not exactly one address (a name, a range, a port are refused).
std::string canonical_address(const std::string& text);

/// The address a request counts against (docs/serve.md, reverse proxy): `peer` unless it is one
/// of `trusted`; then the right-most address of `forwarded_for` (X-Forwarded-For, comma-separated)
/// that is not trusted, or the left-most one when all are.
std::string client_address(const std::string& peer, const std::string& forwarded_for, const std::vector<std::string>& trusted);

}  // namespace assay::serve
