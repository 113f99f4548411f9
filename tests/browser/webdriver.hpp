// A small W3C WebDriver client (https://www.w3.org/TR/webdriver2/) over cpp-httplib, enough to
// drive Debian's chromedriver: sessions, navigation, elements, scripts, screenshots.
// Every call fails the running Catch2 test with the driver's message when the driver refuses.
#pragma once

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace webdriver {

using nlohmann::json;

// The key under which WebDriver returns an element reference (W3C, "web element identifier").
inline constexpr const char* kElement = "element-6066-11e4-a52e-4f735466cecf";

/// base64 → bytes (screenshots arrive as base64 PNG).
inline std::string decode_base64(const std::string& in) {
  static const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    auto pos = chars.find(c);
    if (pos == std::string::npos) continue;  // '=' padding and newlines
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

class Session {
 public:
  /// Opens a browser session on the chromedriver listening on 127.0.0.1:`port`.
  Session(int port, const json& capabilities) : http_("127.0.0.1", port) {
    http_.set_read_timeout(std::chrono::seconds(60));
    auto r = call("POST", "/session", {{"capabilities", capabilities}});
    id_ = r.at("sessionId").get<std::string>();
    call("POST", path("/timeouts"), {{"implicit", 0}, {"pageLoad", 30000}, {"script", 30000}});
  }
  ~Session() {
    if (!id_.empty()) http_.Delete(("/session/" + id_).c_str());
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void go(const std::string& url) { call("POST", path("/url"), {{"url", url}}); }
  /// The cookies of the current page's site, as WebDriver gives them ("expiry" set on persistent ones).
  json cookies() { return call("GET", path("/cookie")); }
  void add_cookie(const json& cookie) { call("POST", path("/cookie"), {{"cookie", cookie}}); }
  void refresh() { call("POST", path("/refresh"), json::object()); }
  std::string url() { return call("GET", path("/url")).get<std::string>(); }

  /// Runs `script` (a function body; `arguments` holds `args`) in the page and returns its value.
  json exec(const std::string& script, const json& args = json::array()) {
    return call("POST", path("/execute/sync"), {{"script", script}, {"args", args}});
  }

  /// Waits until `script` returns a truthy value (polling), then returns that value.
  json wait_until(const std::string& script, const std::string& what, const json& args = json::array(),
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    json v;
    for (;;) {
      v = exec(script, args);
      bool truthy = !(v.is_null() || (v.is_boolean() && !v.get<bool>()) || (v.is_string() && v.get<std::string>().empty()) ||
                      (v.is_number() && v.get<double>() == 0));
      if (truthy) return v;
      if (std::chrono::steady_clock::now() > until)
        FAIL("timed out waiting for " << what << "; page: " << url() << "\n"
                                      << body_text() << "\nconsole: " << browser_log().dump(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  /// The element matching `css`, waiting for it to appear.
  std::string find(const std::string& css, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    wait_until("return document.querySelector(arguments[0]) !== null", "element " + css, json::array({css}), timeout);
    auto r = call("POST", path("/element"), {{"using", "css selector"}, {"value", css}});
    return r.at(kElement).get<std::string>();
  }
  bool exists(const std::string& css) {
    return exec("return document.querySelector(arguments[0]) !== null", json::array({css})).get<bool>();
  }

  /// Clicks the element matching `css`. A page that redraws itself when its data changes (the
  /// staff pages do, core/serve/web/live.js) may replace the element between finding and clicking
  /// it: it is then found again, as a person would click the new one.
  void click(const std::string& css) {
    for (int tries = 1;; ++tries) {
      auto r = send("POST", path("/element/" + find(css) + "/click"), json::object());
      if (r.status == 404 && r.error == "stale element reference" && tries < 5) continue;
      value_of("POST", "click " + css, r);
      return;
    }
  }
  void type(const std::string& css, const std::string& text) {
    call("POST", path("/element/" + find(css) + "/value"), {{"text", text}});
  }
  void clear(const std::string& css) { call("POST", path("/element/" + find(css) + "/clear"), json::object()); }
  std::string text(const std::string& css) { return call("GET", path("/element/" + find(css) + "/text")).get<std::string>(); }
  json property(const std::string& css, const std::string& name) {
    return call("GET", path("/element/" + find(css) + "/property/" + name));
  }
  std::string body_text() {
    auto v = exec("return document.body ? document.body.innerText : ''");
    return v.is_string() ? v.get<std::string>() : "";
  }
  /// Waits until the page's visible text contains `needle`.
  void wait_for_text(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    wait_until("return document.body && document.body.innerText.includes(arguments[0])", "text \"" + needle + "\"",
               json::array({needle}), timeout);
  }
  /// Chooses the <option> with `value` in the <select> matching `css`, as a user would.
  void choose(const std::string& css, const std::string& value) { click(css + " option[value=\"" + value + "\"]"); }

  /// Saves a PNG of the viewport to `file`.
  void screenshot(const std::string& file) {
    auto png = decode_base64(call("GET", path("/screenshot")).get<std::string>());
    std::ofstream(file, std::ios::binary) << png;
  }
  void window_size(int width, int height) { call("POST", path("/window/rect"), {{"width", width}, {"height", height}}); }

  /// Presses each key in turn in the focused element (W3C key actions; "\uE004" is Tab,
  /// "\uE015" ArrowDown, "\uE007" Enter).
  void keys(const std::vector<std::string>& keys) {
    json seq = json::array();
    for (const auto& k : keys) {
      seq.push_back({{"type", "keyDown"}, {"value", k}});
      seq.push_back({{"type", "keyUp"}, {"value", k}});
    }
    call("POST", path("/actions"), {{"actions", json::array({{{"type", "key"}, {"id", "keyboard"}, {"actions", seq}}})}});
  }

  /// Holds `modifier` (such as "\uE008", Shift) while pressing `key`: Shift-Tab.
  void chord(const std::string& modifier, const std::string& key) {
    json seq = json::array({{{"type", "keyDown"}, {"value", modifier}},
                            {{"type", "keyDown"}, {"value", key}},
                            {{"type", "keyUp"}, {"value", key}},
                            {{"type", "keyUp"}, {"value", modifier}}});
    call("POST", path("/actions"), {{"actions", json::array({{{"type", "key"}, {"id", "keyboard"}, {"actions", seq}}})}});
  }

  /// Types `text` key by key into the focused element (ASCII: one key per byte).
  void type_keys(const std::string& text) {
    std::vector<std::string> each;
    for (char c : text) each.emplace_back(1, c);
    keys(each);
  }

  /// The accessible name Chromium computes for an element (W3C "Get Computed Label"): what a
  /// screen reader announces. `element` is a reference as returned by find_all or exec.
  std::string computed_label(const json& element) {
    return call("GET", path("/element/" + element.at(kElement).get<std::string>() + "/computedlabel")).get<std::string>();
  }

  /// Opens a new tab, stays there for `pause`, closes it and returns to this page, as a
  /// candidate looking something up would.
  void visit_other_tab(std::chrono::milliseconds pause) {
    auto here = call("GET", path("/window")).get<std::string>();
    auto tab = call("POST", path("/window/new"), {{"type", "tab"}}).at("handle").get<std::string>();
    call("POST", path("/window"), {{"handle", tab}});
    std::this_thread::sleep_for(pause);
    call("DELETE", path("/window"));
    call("POST", path("/window"), {{"handle", here}});
  }

  /// The browser console's entries since the last call (chromedriver's log endpoint).
  json browser_log() { return call("POST", path("/se/log"), {{"type", "browser"}}); }

 private:
  std::string path(const std::string& rest) const { return "/session/" + id_ + rest; }

  /// chromedriver's answer: its status, the WebDriver error ("" on success) and the whole body.
  struct Reply {
    int status = 0;
    std::string error;
    json body;
  };

  Reply send(const std::string& method, const std::string& p, const json& body = nullptr) {
    httplib::Result r = method == "GET"    ? http_.Get(p.c_str())
                        : method == "POST" ? http_.Post(p.c_str(), body.dump(), "application/json")
                                           : http_.Delete(p.c_str());
    if (!r) FAIL("chromedriver did not answer " << method << " " << p << ": " << httplib::to_string(r.error()));
    auto j = json::parse(r->body, nullptr, false);
    if (j.is_discarded()) FAIL("chromedriver: " << method << " " << p << ": not JSON: " << r->body.substr(0, 300));
    std::string error;
    if (r->status != 200) {
      const json& v = j.contains("value") ? j["value"] : j;
      error = v.is_object() ? v.value("error", "") : "";
    }
    return {r->status, error, std::move(j)};
  }

  /// The reply's value; the test fails on a refusal.
  json value_of(const std::string& method, const std::string& p, const Reply& r) {
    if (r.status != 200) {
      const json& v = r.body.contains("value") ? r.body["value"] : r.body;
      FAIL("chromedriver refused " << method << " " << p << " (" << r.status << "): " << r.error << ": "
                                   << (v.is_object() ? v.value("message", "") : std::string()).substr(0, 600));
    }
    return r.body.contains("value") ? r.body["value"] : json(nullptr);
  }

  json call(const std::string& method, const std::string& p, const json& body = nullptr) {
    return value_of(method, p, send(method, p, body));
  }

  httplib::Client http_;
  std::string id_;
};

}  // namespace webdriver
