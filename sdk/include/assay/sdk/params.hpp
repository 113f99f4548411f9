// assay/sdk/params.hpp — reading params in prepare() with errors that carry their JSON Pointer,
// and the errors an item type throws (ParamError, ResponseError).
#ifndef ASSAY_SDK_PARAMS_HPP
#define ASSAY_SDK_PARAMS_HPP

#include <assay/sdk/decimal.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace assay::sdk {

using json = nlohmann::json;

/// Thrown by prepare(): the params at `pointer` (RFC 6901, "" for the whole) are refused.
class ParamError : public std::runtime_error {
 public:
  ParamError(std::string pointer, const std::string& message) : std::runtime_error(message), pointer_(std::move(pointer)) {}
  const std::string& pointer() const noexcept { return pointer_; }

 private:
  std::string pointer_;
};

/// Thrown by score()/feedback(): the response is malformed for this item.
class ResponseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A JSON number or decimal string as a Decimal; nullopt for anything else (Decimal::from_json).
inline std::optional<Decimal> decimal_from_json(const json& j) { return Decimal::from_json(j); }

// ---- helpers for prepare(): read params with errors that carry the JSON Pointer ------------

/// Escapes one reference token per RFC 6901.
inline std::string pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

inline std::string pointer_join(const std::string& base, std::string_view key) { return base + "/" + pointer_token(key); }
inline std::string pointer_join(const std::string& base, std::size_t index) { return base + "/" + std::to_string(index); }

inline const char* json_kind(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "nothing";
    case json::value_t::object:
      return "a table";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a float";
    default:
      return "a value";
  }
}

/// A view of a params object that knows its JSON Pointer, for precise errors.
class Params {
 public:
  Params(const json& value, std::string pointer = "") : v_(&value), ptr_(std::move(pointer)) {}
  const json& value() const { return *v_; }
  const std::string& pointer() const { return ptr_; }

  [[noreturn]] void fail(const std::string& message) const { throw ParamError(ptr_, message); }

  bool has(std::string_view key) const { return v_->is_object() && v_->contains(key); }

  /// The member `key`; missing is an error.
  Params at(std::string_view key) const {
    if (!v_->is_object()) fail(std::string("expected a table, found ") + json_kind(*v_));
    auto it = v_->find(key);
    if (it == v_->end()) throw ParamError(ptr_, "missing required key '" + std::string(key) + "'");
    return Params(*it, pointer_join(ptr_, key));
  }
  std::optional<Params> find(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    return at(key);
  }
  Params at(std::size_t index) const {
    if (!v_->is_array()) fail(std::string("expected an array, found ") + json_kind(*v_));
    return Params(v_->at(index), pointer_join(ptr_, index));
  }
  std::size_t size() const { return v_->is_array() || v_->is_object() ? v_->size() : 0; }

  std::vector<Params> items() const {
    if (!v_->is_array()) fail(std::string("expected an array, found ") + json_kind(*v_));
    std::vector<Params> out;
    for (std::size_t i = 0; i < v_->size(); ++i) out.emplace_back((*v_)[i], pointer_join(ptr_, i));
    return out;
  }
  std::vector<std::pair<std::string, Params>> members() const {
    if (!v_->is_object()) fail(std::string("expected a table, found ") + json_kind(*v_));
    std::vector<std::pair<std::string, Params>> out;
    for (auto it = v_->begin(); it != v_->end(); ++it) out.emplace_back(it.key(), Params(*it, pointer_join(ptr_, it.key())));
    return out;
  }

  std::string str() const {
    if (!v_->is_string()) fail(std::string("expected a string, found ") + json_kind(*v_));
    return v_->get<std::string>();
  }
  std::int64_t integer() const {
    if (!v_->is_number_integer()) fail(std::string("expected an integer, found ") + json_kind(*v_));
    return v_->get<std::int64_t>();
  }
  bool boolean() const {
    if (!v_->is_boolean()) fail(std::string("expected a boolean, found ") + json_kind(*v_));
    return v_->get<bool>();
  }
  Decimal decimal() const {
    auto d = decimal_from_json(*v_);
    if (!d)
      fail(std::string("expected a decimal number, found ") +
           (v_->is_string() ? "\"" + v_->get<std::string>() + "\"" : json_kind(*v_)));
    return *d;
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (auto& p : items()) out.push_back(p.str());
    return out;
  }
  /// A string that must be one of `allowed`.
  std::string one_of(const std::vector<std::string>& allowed) const {
    auto s = str();
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) {
      std::string list;
      for (auto& a : allowed) list += (list.empty() ? "'" : ", '") + a + "'";
      fail("expected one of " + list + ", found \"" + s + "\"");
    }
    return s;
  }
  /// A non-empty array of distinct strings, each one of `allowed` (e.g. `kinds = ["a", "b"]`), in
  /// the author's order. Refused at the element as one_of() refuses it, or with `duplicate <noun>
  /// "id"`; an empty array with `expected at least one <noun>`.
  std::vector<std::string> id_list(const std::vector<std::string>& allowed, std::string_view noun) const {
    std::vector<std::string> out;
    for (auto& element : items()) {
      auto id = element.one_of(allowed);
      if (std::find(out.begin(), out.end(), id) != out.end()) element.fail("duplicate " + std::string(noun) + " \"" + id + "\"");
      out.push_back(std::move(id));
    }
    if (out.empty()) fail("expected at least one " + std::string(noun));
    return out;
  }

 private:
  const json* v_;
  std::string ptr_;
};

}  // namespace assay::sdk

#endif  // ASSAY_SDK_PARAMS_HPP
