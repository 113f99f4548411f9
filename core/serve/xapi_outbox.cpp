#include "xapi_outbox.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>

#include "assay/utf8.hpp"

namespace assay::serve::detail {

namespace {

constexpr std::size_t kBatch = 50;
constexpr std::chrono::seconds kLongestWait{3600};

}  // namespace

XapiSender::XapiSender(Store& store, const Clock& clock, XapiOptions options, std::function<void(const std::string&)> log)
    : store_(store), clock_(clock), options_(std::move(options)), log_(std::move(log)) {
  // "https://lrs.example/xapi/" is the origin "https://lrs.example" and the path "/xapi/statements".
  const auto& e = options_.endpoint;
  auto scheme = e.find("://");
  auto slash = scheme == std::string::npos ? std::string::npos : e.find('/', scheme + 3);
  origin_ = slash == std::string::npos ? e : e.substr(0, slash);
  path_ = slash == std::string::npos ? "/" : e.substr(slash);
  if (path_.back() != '/') path_ += '/';
  path_ += "statements";
}

XapiSender::~XapiSender() { stop(); }

void XapiSender::start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      try {
        while (!stopping_ && send_due() == kBatch) {
        }
      } catch (const std::exception& e) {
        if (log_) log_(fmt::format("assay serve: xAPI outbox: {}", e.what()));
      }
      lock.lock();
      cv_.wait_for(lock, options_.poll, [this] { return stopping_.load(); });
    }
  });
}

void XapiSender::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::size_t XapiSender::send_due() {
  auto now = clock_.now();
  // Taken for longer than the batch's sends can last (each at most its connect and read time):
  // a server that dies holding them gives them back, and no other takes them meanwhile.
  auto lease = std::max<std::chrono::seconds>(std::chrono::seconds(60), static_cast<std::int64_t>(2 * kBatch) * options_.timeout);
  auto due = store_.claim_statements(now, now + lease, kBatch);
  if (due.empty()) return 0;
  httplib::Client http(origin_);
  http.set_connection_timeout(options_.timeout);
  http.set_read_timeout(options_.timeout);
  http.set_write_timeout(options_.timeout);
  if (!options_.username.empty()) http.set_basic_auth(options_.username, options_.password);
  const httplib::Headers headers{{"X-Experience-API-Version", "1.0.3"}};
  std::size_t sent = 0;
  for (const auto& st : due) {
    // Stopping: the statements not tried go back to the outbox when their lease ends.
    if (stopping_) break;
    auto r = http.Put(path_ + "?statementId=" + st.id, headers, st.statement, "application/json");
    auto at = clock_.now();
    if (r && (r->status == 200 || r->status == 204)) {
      store_.statement_sent(st.id, at);
      ++sent;
      continue;
    }
    // Refused for good only when the statement itself is at fault: 400 (malformed), 409 (the LRS
    // holds another statement under this id), 413 (too large). Anything else (no answer, a
    // redirect, 401 or 403 after a password change, 404 for a mistyped endpoint, 408, 429, 5xx)
    // is the LRS's or its set-up's, and the statement waits for it to be put right.
    bool refused = r && (r->status == 400 || r->status == 409 || r->status == 413);
    auto why = !r ? fmt::format("no answer from {}: {}", origin_, httplib::to_string(r.error()))
                  : fmt::format("{} {}", r->status, utf8_prefix(r->body, 300));
    auto wait =
        std::min<std::chrono::seconds>(kLongestWait, options_.retry * (std::int64_t{1} << std::min<std::int64_t>(st.tries, 16)));
    store_.statement_failed(st.id, at + wait, why, refused);
    if (log_)
      log_(refused ? fmt::format("assay serve: xAPI statement {} refused by the LRS ({}): kept, not sent again", st.id, why)
                   : fmt::format("assay serve: xAPI statement {} not sent ({}): tried again in {} s", st.id, why, wait.count()));
    if (!refused) break;  // the LRS is down or misconfigured: the rest wait for their lease to end
  }
  return sent;
}

}  // namespace assay::serve::detail
