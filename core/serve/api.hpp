// The server's request handling, free of any HTTP library: server.cpp adapts Boost.Beast's
// requests to HttpRequest and back, so the routes are plain functions of the store and clock.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "assay/clock.hpp"
#include "assay/serve.hpp"
#include "assay/store.hpp"

namespace assay::plugins {
class Registry;
}

namespace assay::serve {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query
  std::string query;   // what follows the '?', undecoded ("" when none)
  std::string body;
  std::string content_type;
  std::string cookie;      // the Cookie header
  std::string csrf;        // the X-CSRF-Token header
  std::string host;        // the Host header, for links
  std::string origin;      // the Origin header ("" when absent)
  std::string fetch_site;  // the Sec-Fetch-Site header ("" when absent)
  std::string remote;      // the client address rate limits count against
  bool https = false;      // the client reached the server over HTTPS, directly or through a trusted proxy
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ApiOptions {
  std::vector<std::filesystem::path> assessment_dirs;
  bool tls = false;                                   // links are https, cookies Secure
  std::size_t max_attempt_answers = 2 * 1024 * 1024;  // ServerOptions::max_attempt_answers
  std::function<void(const std::string&)> error_log;  // ServerOptions::error_log
  XapiOptions xapi;                                   // ServerOptions::xapi: a final result queues its statements
};

class Api {
 public:
  Api(Store& store, const plugins::Registry& registry, const Clock& clock, ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  /// Answers one request under /api/. Never throws.
  HttpResponse handle(const HttpRequest& request);

  /// When no account exists: a new one-time set-up token (its hash stored beside those of
  /// other servers on the database, each valid until the first is used). Otherwise "".
  std::string ensure_setup_token();

  /// Deletes the candidates of campaigns whose retention period has run out (also done whenever
  /// staff list the campaigns).
  void purge_expired();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace assay::serve
