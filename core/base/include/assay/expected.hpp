// Expected<T>: a value or an error (std::expected is C++23). `try_x` functions return one; the
// throwing `x` wrappers exist only where a caller can do nothing but give up.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "assay/diagnostic.hpp"

namespace assay {

template <class T, class E = Diagnostics>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Expected(E error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const E& error() const { return std::get<1>(v_); }
  E& error() { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, E> v_;
};

}  // namespace assay
