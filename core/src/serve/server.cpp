// cpp-httplib glue: the only file of the server that includes httplib.h.
#include "assay/serve.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <thread>

#include "serve/api.hpp"
#include "serve/assets.hpp"

namespace assay::serve {

struct Server::Impl {
  Api api;
  ServerOptions options;
  std::unique_ptr<httplib::Server> http;

  Impl(Store& store, const plugins::Registry& registry, const Clock& clock, ServerOptions opts)
      : api(store, registry, clock, ApiOptions{opts.assessment_dirs, !opts.tls_cert.empty()}), options(std::move(opts)) {
    for (auto& a : options.trusted_proxies)
      if (auto c = canonical_address(a); !c.empty()) a = c;
    if (!options.tls_cert.empty())
      http = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    else
      http = std::make_unique<httplib::Server>();
    // cpp-httplib serves a connection on one worker for as long as it stays open, idle or not, so
    // the pool must outnumber the open connections: a campaign has hundreds of candidates with a
    // page open. Idle threads cost address space, not memory or CPU.
    auto threads = options.threads != 0 ? options.threads : std::size_t{1024};
    http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // Responses go out as headers then body; without TCP_NODELAY, Nagle holds the body until the
    // client's delayed ACK (40 ms on Linux), which dominated every request's latency.
    http->set_tcp_nodelay(true);
    // A candidate saves an answer now and then: a connection idle for 5 s is closed (and its
    // worker freed); the browser opens a new one for the next answer.
    http->set_keep_alive_max_count(10000);
    http->set_keep_alive_timeout(5);
    http->set_read_timeout(30, 0);
    http->set_write_timeout(30, 0);
    http->set_payload_max_length(options.max_body);
    http->set_default_headers({{"X-Content-Type-Options", "nosniff"},
                               {"Referrer-Policy", "no-referrer"},
                               {"X-Frame-Options", "DENY"},
                               {"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"}});
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    http->Get(".*", handler);
    http->Post(".*", handler);
    http->Put(".*", handler);
    http->Delete(".*", handler);
    http->set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (res.status == 413)
        res.set_content(R"({"error":"too_large","message":"the request body is larger than the server accepts"})",
                        "application/json");
      else if (res.status >= 400)
        res.set_content(fmt::format(R"({{"error":"http_{}","message":"the request was refused"}})", res.status),
                        "application/json");
    });
  }

  bool trusted(const std::string& peer) const {
    const auto& t = options.trusted_proxies;
    return !t.empty() && std::find(t.begin(), t.end(), canonical_address(peer)) != t.end();
  }

  /// Every value of a header that may come several times, joined by commas (RFC 9110, 5.3).
  static std::string all_values(const httplib::Request& req, const char* name) {
    std::string out;
    for (std::size_t i = 0, n = req.get_header_value_count(name); i < n; ++i)
      out += (out.empty() ? "" : ",") + req.get_header_value(name, i);
    return out;
  }

  /// The proxy says the client reached it over HTTPS (nginx: X-Forwarded-Proto $scheme).
  static bool forwarded_https(const httplib::Request& req) {
    auto proto = req.get_header_value("X-Forwarded-Proto");
    proto.erase(std::remove_if(proto.begin(), proto.end(), [](char c) { return c == ' ' || c == '\t'; }), proto.end());
    std::transform(proto.begin(), proto.end(), proto.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return proto == "https";
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/api/", 0) == 0) {
      HttpRequest r;
      r.method = req.method;
      r.path = req.path;
      r.body = req.body;
      r.content_type = req.get_header_value("Content-Type");
      r.cookie = req.get_header_value("Cookie");
      r.csrf = req.get_header_value("X-CSRF-Token");
      r.host = req.get_header_value("Host");
      r.remote = client_address(req.remote_addr, all_values(req, "X-Forwarded-For"), options.trusted_proxies);
      r.https = !options.tls_cert.empty() || (trusted(req.remote_addr) && forwarded_https(req));
      auto out = api.handle(r);
      res.status = out.status;
      for (auto& [k, v] : out.headers) {
        if (k == "Content-Security-Policy") res.headers.erase(k);  // a route's own policy replaces the default
        res.set_header(k, v);
      }
      res.set_header("Cache-Control", "no-store");
      if (!out.content_type.empty()) res.set_content(out.body, out.content_type.c_str());
      return;
    }
    if (req.method != "GET") {
      res.status = 405;
      res.set_content(R"({"error":"method_not_allowed","message":"only GET is served outside /api/"})", "application/json");
      return;
    }
    // The UI's pages are one document whose script reads the path (/, /setup, /c/TOKEN).
    const Asset* asset = find_asset(req.path);
    if (asset == nullptr &&
        (req.path == "/" || req.path == "/setup" || req.path.rfind("/c/", 0) == 0 || req.path.rfind("/staff", 0) == 0))
      asset = find_asset("/index.html");
    if (asset == nullptr) {
      res.status = 404;
      res.set_content("not found\n", "text/plain; charset=utf-8");
      return;
    }
    res.set_content(std::string(asset->data), std::string(asset->media_type).c_str());
    res.set_header("Cache-Control", "no-cache");
  }
};

Server::Server(Store& store, const plugins::Registry& registry, const Clock& clock, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, registry, clock, std::move(options))) {}

Server::~Server() { stop(); }

std::string Server::ensure_setup_token() { return impl_->api.ensure_setup_token(); }

void Server::purge_expired() { impl_->api.purge_expired(); }

Result<int, std::string> Server::bind(const std::string& host, int port) {
  if (!impl_->http->is_valid()) return std::string("error: cannot read the TLS certificate or key");
  int bound =
      port == 0 ? impl_->http->bind_to_any_port(host.c_str()) : (impl_->http->bind_to_port(host.c_str(), port) ? port : -1);
  if (bound <= 0) return fmt::format("error: cannot listen on {}:{}: {}", host, port, std::strerror(errno));
  return bound;
}

void Server::run() { impl_->http->listen_after_bind(); }

void Server::stop() {
  if (impl_ && impl_->http) impl_->http->stop();
}

bool Server::running() const { return impl_->http->is_running(); }

bool parse_listen(const std::string& text, std::string& host, int& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto p = text.substr(colon + 1);
  if (p.empty() || p.size() > 5 || !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  port = std::stoi(p);
  return port <= 65535;
}

std::string canonical_address(const std::string& text) {
  char out[INET6_ADDRSTRLEN];
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return inet_ntop(AF_INET, &v4, out, sizeof out) ? out : "";
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return "";
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    // A dual-stack socket shows an IPv4 peer as ::ffff:a.b.c.d: the same client as a.b.c.d.
    std::memcpy(&v4, &v6.s6_addr[12], sizeof v4);
    return inet_ntop(AF_INET, &v4, out, sizeof out) ? out : "";
  }
  return inet_ntop(AF_INET6, &v6, out, sizeof out) ? out : "";
}

std::string client_address(const std::string& peer, const std::string& forwarded_for, const std::vector<std::string>& trusted) {
  auto is_trusted = [&](const std::string& address) {
    return !address.empty() && std::find(trusted.begin(), trusted.end(), address) != trusted.end();
  };
  if (!is_trusted(canonical_address(peer))) return peer;
  std::vector<std::string> hops;
  std::size_t pos = 0;
  while (pos <= forwarded_for.size()) {
    auto end = std::min(forwarded_for.find(',', pos), forwarded_for.size());
    auto hop = forwarded_for.substr(pos, end - pos);
    auto first = hop.find_first_not_of(" \t"), last = hop.find_last_not_of(" \t");
    if (first != std::string::npos) hops.push_back(hop.substr(first, last - first + 1));
    pos = end + 1;
  }
  // Each proxy appends the address it was connected from: the right-most entries are the trusted
  // chain's own, everything left of the first untrusted one is whatever the client wrote.
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto address = canonical_address(*it);
    if (!is_trusted(address)) return address.empty() ? *it : address;
  }
  if (!hops.empty()) return canonical_address(hops.front());  // the whole chain is trusted
  return peer;
}

}  // namespace assay::serve
