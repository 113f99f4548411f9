// The HTTP layer of `assay serve`, on Boost.Beast: the only file of the server that knows HTTP
// on the wire. A few threads run every connection asynchronously, so an open, idle candidate
// costs a socket and a buffer, not a thread; requests under /api/ run on a pool of workers
// because a route may wait for the commit of its answer.
#include "assay/serve.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <thread>

#include "api.hpp"
#include "assets.hpp"
#include "xapi_outbox.hpp"

namespace assay::serve {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

/// Percent-decoding of a request path (RFC 3986, 2.1); "+" stays as it is. Nullopt when an
/// escape is malformed.
std::optional<std::string> decode_path(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] != '%') {
      out += path[i];
      continue;
    }
    if (i + 2 >= path.size()) return std::nullopt;
    int hi = hex(path[i + 1]), lo = hex(path[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

/// Every value of a header that may come several times, joined by commas (RFC 9110, 5.3).
template <class Name>
std::string all_values(const Request& req, Name name, std::string_view separator = ",") {
  std::string out;
  auto [first, last] = req.equal_range(name);
  for (auto it = first; it != last; ++it) {
    if (!out.empty()) out += separator;
    out += it->value();
  }
  return out;
}

std::string header(const Request& req, http::field name) {
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

std::string header(const Request& req, std::string_view name) {
  auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

/// The proxy says the client reached it over HTTPS (nginx: X-Forwarded-Proto $scheme).
bool forwarded_https(const Request& req) {
  auto proto = header(req, "X-Forwarded-Proto");
  proto.erase(std::remove_if(proto.begin(), proto.end(), [](char c) { return c == ' ' || c == '\t'; }), proto.end());
  std::transform(proto.begin(), proto.end(), proto.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return proto == "https";
}

Response json_error(int status, const char* error, const char* message, unsigned version) {
  Response res{static_cast<http::status>(status), version};
  res.set(http::field::content_type, "application/json");
  res.body() = fmt::format(R"({{"error":"{}","message":"{}"}})", error, message);
  return res;
}

}  // namespace

struct Server::Impl {
  Store& store;
  const Clock& clock;
  Api api;
  ServerOptions options;
  std::optional<asio::ssl::context> tls;  // outlives the connections using it
  std::string tls_problem;
  asio::io_context io;
  std::optional<asio::thread_pool> workers;
  tcp::acceptor acceptor{io};
  asio::steady_timer accept_pause{io};
  std::atomic<bool> listening{false};
  std::size_t io_threads = 1;
  std::optional<detail::XapiSender> xapi;  // while the server runs, when statements go to an LRS

  Impl(Store& store, const plugins::Registry& registry, const Clock& clock, ServerOptions opts)
      : store(store),
        clock(clock),
        api(store, registry, clock,
            ApiOptions{opts.assessment_dirs, !opts.tls_cert.empty(), opts.max_attempt_answers, opts.error_log, opts.xapi}),
        options(std::move(opts)) {
    for (auto& a : options.trusted_proxies)
      if (auto c = canonical_address(a); !c.empty()) a = c;
    io_threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    // Workers wait on commits, not on the CPU: answers saved at the same moment share one
    // commit only if that many requests can wait for it together.
    workers.emplace(options.threads != 0 ? options.threads : std::size_t{64});
    if (!options.tls_cert.empty()) {
      tls.emplace(asio::ssl::context::tls_server);
      boost::system::error_code ec;
      tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                           asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1,
                       ec);
      if (!ec) tls->use_certificate_chain_file(options.tls_cert.string(), ec);
      if (!ec) tls->use_private_key_file(options.tls_key.string(), asio::ssl::context::pem, ec);
      if (ec) tls_problem = ec.message();
    }
  }

  ~Impl() {
    io.stop();
    workers->join();
  }

  bool trusted(const std::string& peer) const {
    const auto& t = options.trusted_proxies;
    return !t.empty() && std::find(t.begin(), t.end(), canonical_address(peer)) != t.end();
  }

  /// The answer to one request; runs on a worker for /api/, on the network thread otherwise.
  Response respond(const Request& req, const std::string& peer) {
    Response res = route(req, peer);
    res.version(req.version());
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("X-Frame-Options", "DENY");
    if (res.find("Content-Security-Policy") == res.end())
      res.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
    res.keep_alive(req.keep_alive());
    if (req.method() == http::verb::head) {
      auto size = res.body().size();
      res.body().clear();
      res.content_length(size);
    } else {
      res.prepare_payload();
    }
    return res;
  }

  Response route(const Request& req, const std::string& peer) {
    auto target = std::string_view(req.target().data(), req.target().size());
    auto path = decode_path(target.substr(0, target.find('?')));
    if (!path) return json_error(400, "bad_path", "the request path is not valid", req.version());
    if (path->rfind("/api/", 0) == 0) {
      HttpRequest r;
      r.method = std::string(req.method_string());
      r.path = *path;
      if (auto q = target.find('?'); q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
      r.body = req.body();
      r.content_type = header(req, http::field::content_type);
      r.cookie = all_values(req, http::field::cookie, "; ");
      r.csrf = header(req, "X-CSRF-Token");
      r.host = header(req, http::field::host);
      r.origin = header(req, http::field::origin);
      r.fetch_site = header(req, "Sec-Fetch-Site");
      r.remote = client_address(peer, all_values(req, "X-Forwarded-For"), options.trusted_proxies);
      r.https = tls.has_value() || (trusted(peer) && forwarded_https(req));
      auto out = api.handle(r);
      Response res{static_cast<http::status>(out.status), req.version()};
      for (auto& [k, v] : out.headers) res.insert(k, v);
      res.set(http::field::cache_control, "no-store");
      if (!out.content_type.empty()) {
        res.set(http::field::content_type, out.content_type);
        res.body() = std::move(out.body);
      }
      return res;
    }
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      auto res = json_error(405, "method_not_allowed", "only GET is served outside /api/", req.version());
      res.set(http::field::allow, "GET, HEAD");
      return res;
    }
    // The UI's pages are one document whose script reads the path (/, /setup, /c/TOKEN).
    const Asset* asset = find_asset(*path);
    if (asset == nullptr && (*path == "/" || *path == "/setup" || path->rfind("/c/", 0) == 0 || path->rfind("/staff", 0) == 0))
      asset = find_asset("/index.html");
    Response res{asset == nullptr ? http::status::not_found : http::status::ok, req.version()};
    if (asset == nullptr) {
      res.set(http::field::content_type, "text/plain; charset=utf-8");
      res.body() = "not found\n";
      return res;
    }
    res.set(http::field::content_type, asset->media_type);
    res.set(http::field::cache_control, "no-cache");
    res.body() = std::string(asset->data);
    return res;
  }

  template <class Stream>
  class Session;

  void accept();
};

/// One connection: reads requests one after another (HTTP/1.1 keep-alive), answers each in turn.
template <class Stream>
class Server::Impl::Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  template <class... Args>
  Session(Impl& server, std::string peer, tcp::socket&& socket, Args&... args)
      : server_(server), peer_(std::move(peer)), stream_(std::move(socket), args...) {}

  void start() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      read();
    } else {
      beast::get_lowest_layer(stream_).expires_after(server_.options.transfer_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->read();
      });
    }
  }

 private:
  Impl& server_;
  std::string peer_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  std::unique_ptr<std::array<char, 64 * 1024>> drain_buffer_;  // only while draining a refused body

  void read() {
    parser_.emplace();
    parser_->body_limit(server_.options.max_body);
    parser_->header_limit(64 * 1024);
    if (buffer_.size() > 0) return read_header();  // the next request has begun (pipelined)
    // Idle until the first byte of the next request; from then on it must arrive within the transfer time,
    // so a client that sends half a request holds the connection that long, not the idle time.
    beast::get_lowest_layer(stream_).expires_after(server_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->fail(ec);
      self->buffer_.commit(n);
      self->read_header();
    });
  }

  void read_header() {
    beast::get_lowest_layer(stream_).expires_after(server_.options.transfer_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return fail(ec);
    beast::get_lowest_layer(stream_).expires_after(server_.options.transfer_timeout);
    const auto& req = parser_->get();
    auto expect = req.find(http::field::expect);
    if (expect != req.end() && beast::iequals(expect->value(), "100-continue")) {
      // The client waits for this before sending its body (curl does for larger uploads).
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
      http::async_write(stream_, *cont, [self = this->shared_from_this(), cont](beast::error_code wec, std::size_t) {
        if (wec) return self->close();
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return fail(ec);
    auto req = std::make_shared<Request>(parser_->release());
    auto target = std::string_view(req->target().data(), req->target().size());
    if (target.rfind("/api/", 0) != 0) return write(server_.respond(*req, peer_));
    // The route may wait for a commit: a worker runs it, the connection's strand writes the answer.
    asio::post(*server_.workers, [self = this->shared_from_this(), req] {
      auto res = std::make_shared<Response>(self->server_.respond(*req, self->peer_));
      asio::post(self->stream_.get_executor(), [self, res] { self->write(std::move(*res)); });
    });
  }

  void fail(beast::error_code ec) {
    unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      auto res = json_error(431, "too_large", "the request headers are larger than the server accepts", version);
      res.keep_alive(false);
      res.prepare_payload();
      return write(std::move(res));
    }
    if (ec == http::error::body_limit) {
      auto res = json_error(413, "too_large", "the request body is larger than the server accepts", version);
      res.keep_alive(false);
      res.prepare_payload();
      return write(std::move(res), true);
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category() && ec != http::error::end_of_stream &&
        ec != http::error::partial_message) {
      auto res = json_error(400, "http_400", "the request was refused", version);
      res.keep_alive(false);
      res.prepare_payload();
      return write(std::move(res));
    }
    close();  // the client left, went quiet, or the connection broke
  }

  void write(Response res, bool drain = false) {
    response_ = std::move(res);
    beast::get_lowest_layer(stream_).expires_after(server_.options.transfer_timeout);
    http::async_write(stream_, response_, [self = this->shared_from_this(), drain](beast::error_code ec, std::size_t) {
      if (!ec && drain) return self->drain_then_close();
      if (ec || !self->response_.keep_alive()) return self->close();
      self->read();
    });
  }

  /// A lingering close after refusing a body: the client may still be sending the body it was
  /// refused, and closing with its bytes unread would reset the connection before it reads the
  /// 413. Reads and drops up to 64 MiB for at most 5 s, then closes.
  void drain_then_close() {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      stream_.expires_after(std::chrono::seconds(5));
      drain_buffer_ = std::make_unique<std::array<char, 64 * 1024>>();
      drain_some(0);
    } else {
      close();
    }
  }

  void drain_some(std::size_t dropped) {
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      stream_.async_read_some(asio::buffer(*drain_buffer_),
                              [self = this->shared_from_this(), dropped](beast::error_code ec, std::size_t n) {
                                if (ec || dropped + n > 64 * 1024 * 1024) {
                                  beast::error_code ignored;
                                  self->stream_.socket().close(ignored);
                                  return;
                                }
                                self->drain_some(dropped + n);
                              });
    }
  }

  void close() {
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    } else {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    }
  }
};

void Server::Impl::accept() {
  acceptor.async_accept(asio::make_strand(io), [this](boost::system::error_code ec, tcp::socket socket) {
    if (!acceptor.is_open()) return;
    if (ec) {
      // Out of file descriptors (or another passing failure): the pending connection stays in
      // the backlog; try again shortly instead of failing at once in a loop.
      accept_pause.expires_after(std::chrono::milliseconds(100));
      accept_pause.async_wait([this](boost::system::error_code) { accept(); });
      return;
    }
    socket.set_option(tcp::no_delay(true), ec);
    boost::system::error_code peer_ec;
    auto peer = socket.remote_endpoint(peer_ec);
    std::string address = peer_ec ? std::string() : peer.address().to_string();
    if (tls)
      std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(*this, std::move(address), std::move(socket), *tls)
          ->start();
    else
      std::make_shared<Session<beast::tcp_stream>>(*this, std::move(address), std::move(socket))->start();
    accept();
  });
}

Server::Server(Store& store, const plugins::Registry& registry, const Clock& clock, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, registry, clock, std::move(options))) {}

Server::~Server() { stop(); }

std::string Server::ensure_setup_token() { return impl_->api.ensure_setup_token(); }

void Server::purge_expired() { impl_->api.purge_expired(); }

Expected<int, std::string> Server::bind(const std::string& host, int port) {
  if (!impl_->tls_problem.empty()) return fmt::format("error: cannot read the TLS certificate or key: {}", impl_->tls_problem);
  boost::system::error_code ec;
  tcp::resolver resolver(impl_->io);
  auto found = resolver.resolve(host, std::to_string(port), tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || found.empty()) return fmt::format("error: cannot listen on {}:{}: {}", host, port, ec ? ec.message() : "no address");
  auto endpoint = found.begin()->endpoint();
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    a.close();
    return fmt::format("error: cannot listen on {}:{}: {}", host, port, ec.message());
  }
  return static_cast<int>(a.local_endpoint().port());
}

void Server::run() {
  auto& impl = *impl_;
  if (!impl.acceptor.is_open()) return;
  impl.accept();
  std::vector<std::thread> others;
  for (std::size_t i = 1; i < impl.io_threads; ++i) others.emplace_back([&impl] { impl.io.run(); });
  if (!impl.options.xapi.endpoint.empty()) {
    impl.xapi.emplace(impl.store, impl.clock, impl.options.xapi, impl.options.error_log);
    impl.xapi->start();
  }
  impl.listening = true;
  impl.io.run();
  impl.listening = false;
  for (auto& t : others) t.join();
  impl.xapi.reset();
}

void Server::stop() {
  if (!impl_) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
    impl->io.stop();
  });
  impl_->io.stop();
}

bool Server::running() const { return impl_->listening; }

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
