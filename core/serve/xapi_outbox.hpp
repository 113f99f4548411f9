// Sends the xAPI outbox to the learning record store (docs/serve.md, "Sending results to a
// learning record store"): each statement by PUT /statements?statementId=ID, which an LRS stores
// once however often it arrives; what fails for a while is tried again with a growing wait, and
// what the LRS refuses for good is kept with its answer. The outbox is in the store, so a server
// that stops loses nothing, and servers sharing a database each take different statements.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "assay/clock.hpp"
#include "assay/serve.hpp"
#include "assay/store.hpp"

namespace assay::serve::detail {

class XapiSender {
 public:
  XapiSender(Store& store, const Clock& clock, XapiOptions options, std::function<void(const std::string&)> log);
  ~XapiSender();
  XapiSender(const XapiSender&) = delete;
  XapiSender& operator=(const XapiSender&) = delete;

  /// Sends in a thread of its own until stop(), every XapiOptions::poll.
  void start();
  void stop();
  /// One pass over what is due now; how many statements the LRS took.
  std::size_t send_due();

 private:
  Store& store_;
  const Clock& clock_;
  XapiOptions options_;
  std::function<void(const std::string&)> log_;
  std::string origin_, path_;  // of the endpoint: "https://lrs.example:8443", "/xapi/statements"
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};  // also read between sends: stopping waits for one send at most
  std::thread thread_;
};

}  // namespace assay::serve::detail
