// assay/sdk/boundary.hpp — the C boundary written from item type classes: every callback guarded
// so no exception crosses, the C tables of plugin.h built once per type, and ASSAY_PLUGIN, which
// exports them.
#ifndef ASSAY_SDK_BOUNDARY_HPP
#define ASSAY_SDK_BOUNDARY_HPP

#include <assay/plugin.h>
#include <assay/sdk/credit.hpp>
#include <assay/sdk/decimal.hpp>
#include <assay/sdk/item.hpp>
#include <assay/sdk/params.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace assay::sdk {

namespace detail {

inline void write(assay_sink* sink, std::string_view text) {
  if (sink != nullptr && sink->write != nullptr && !text.empty()) sink->write(sink->ctx, text.data(), text.size());
}

inline assay_status fail(assay_error* error, assay_status status, std::string_view message, std::string_view pointer = {}) {
  if (error != nullptr) {
    write(&error->message, message);
    write(&error->pointer, pointer);
  }
  return status;
}

inline std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

template <class Body>
assay_status guarded(assay_error* error, const char* type_name, Body&& body) noexcept {
  try {
    return body();
  } catch (const ParamError& e) {
    return fail(error, ASSAY_STATUS_INVALID_PARAMS, e.what(), e.pointer());
  } catch (const ResponseError& e) {
    return fail(error, ASSAY_STATUS_INVALID_RESPONSE, e.what());
  } catch (const std::exception& e) {
    return fail(error, ASSAY_STATUS_INTERNAL, std::string("item type '") + type_name + "': " + e.what());
  } catch (...) {
    return fail(error, ASSAY_STATUS_INTERNAL, std::string("item type '") + type_name + "': unknown exception");
  }
}

/// Parses a response; a malformed document is the candidate's problem, not the plugin's.
inline json parse_response(const char* data, std::size_t len) {
  json j = json::parse(data, data + len, nullptr, false);
  if (j.is_discarded()) throw ResponseError("the response is not valid JSON");
  if (!j.is_object()) throw ResponseError("the response must be a JSON object");
  return j;
}

/// Runs a scoring body: JSON access errors on the response mean a malformed response.
template <class Body>
assay_status guarded_response(assay_error* error, const char* type_name, Body&& body) noexcept {
  return guarded(error, type_name, [&]() -> assay_status {
    try {
      return body();
    } catch (const json::exception& e) {
      throw ResponseError(std::string("malformed response: ") + e.what());
    } catch (const DecimalOverflow& e) {
      throw ResponseError(e.what());
    }
  });
}

template <class T>
struct Handle {
  T item;
};

template <class T>
const T& item_of(const assay_handle* h) {
  return reinterpret_cast<const Handle<T>*>(h)->item;
}

/// Static storage for one type's C descriptor, built once from the class.
template <class T>
struct TypeTables {
  std::string schema;
  std::vector<Criterion> criteria;
  std::vector<assay_criterion_v1> c_criteria;
  std::vector<const assay_criterion_v1*> c_criteria_ptrs;
  struct ExampleStore {
    std::string name, params, alt;
    std::vector<std::string> labels, responses;
    std::vector<std::vector<assay_credit>> credits;
    std::vector<assay_example_response_v1> c_responses;
    std::vector<const assay_example_response_v1*> c_response_ptrs;
    std::vector<std::string> malformed_labels, malformed;
    std::vector<assay_malformed_response_v1> c_malformed;
    std::vector<const assay_malformed_response_v1*> c_malformed_ptrs;
  };
  std::vector<Example> examples;
  std::vector<std::unique_ptr<ExampleStore>> stores;
  std::vector<assay_example_v1> c_examples;
  std::vector<const assay_example_v1*> c_example_ptrs;
  assay_item_type_v1 descriptor{};

  TypeTables() {
    schema = dump(T::schema());
    criteria = T::criteria();
    c_criteria.reserve(criteria.size());
    for (auto& c : criteria) {
      std::uint32_t flags = (c.rated ? ASSAY_CRITERION_RATED : 0u) | (c.safety ? ASSAY_CRITERION_SAFETY : 0u);
      c_criteria.push_back({sizeof(assay_criterion_v1), flags, c.id.c_str(), c.description.c_str()});
    }
    for (auto& c : c_criteria) c_criteria_ptrs.push_back(&c);
    examples = T::examples();
    for (auto& ex : examples) {
      auto s = std::make_unique<ExampleStore>();
      s->name = ex.name;
      s->params = dump(ex.params);
      s->alt = dump(ex.alt_secret);
      for (auto& r : ex.responses) {
        s->labels.push_back(r.label);
        s->responses.push_back(dump(r.response));
        std::vector<assay_credit> cr;
        for (auto& c : r.expected) cr.push_back({c.num, c.den});
        s->credits.push_back(std::move(cr));
      }
      for (std::size_t i = 0; i < ex.responses.size(); ++i) {
        s->c_responses.push_back(
            {sizeof(assay_example_response_v1), 0, s->labels[i].c_str(), s->responses[i].c_str(), s->credits[i].data()});
      }
      for (auto& r : s->c_responses) s->c_response_ptrs.push_back(&r);
      for (auto& m : ex.malformed) {
        s->malformed_labels.push_back(m.label);
        s->malformed.push_back(dump(m.response));
      }
      for (std::size_t i = 0; i < ex.malformed.size(); ++i)
        s->c_malformed.push_back(
            {sizeof(assay_malformed_response_v1), 0, s->malformed_labels[i].c_str(), s->malformed[i].c_str()});
      for (auto& m : s->c_malformed) s->c_malformed_ptrs.push_back(&m);
      stores.push_back(std::move(s));
    }
    for (std::size_t i = 0; i < examples.size(); ++i) {
      auto& s = *stores[i];
      c_examples.push_back({sizeof(assay_example_v1), 0, s.name.c_str(), s.params.c_str(), s.alt.c_str(), examples[i].seed,
                            s.c_response_ptrs.data(), s.c_response_ptrs.size(), s.c_malformed_ptrs.data(),
                            s.c_malformed_ptrs.size()});
    }
    for (auto& e : c_examples) c_example_ptrs.push_back(&e);

    descriptor.struct_size = sizeof(assay_item_type_v1);
    descriptor.name = T::kName;
    descriptor.summary = T::kSummary;
    descriptor.params_schema_json = schema.c_str();
    descriptor.criteria = c_criteria_ptrs.data();
    descriptor.n_criteria = c_criteria_ptrs.size();
    descriptor.examples = c_example_ptrs.data();
    descriptor.n_examples = c_example_ptrs.size();
    descriptor.prepare = &prepare;
    descriptor.present = &present;
    descriptor.score = &score;
    descriptor.score_batch = &score_batch;
    descriptor.solve = &solve;
    descriptor.feedback = &feedback;
    descriptor.release = &release;
  }

  static std::size_t n_criteria() { return instance().criteria.size(); }

  static const TypeTables& instance() {
    static const TypeTables tables;
    return tables;
  }

  static assay_status prepare(const char* params, std::size_t len, assay_handle** out, assay_error* error) {
    return guarded(error, T::kName, [&]() -> assay_status {
      if (out == nullptr) return fail(error, ASSAY_STATUS_INTERNAL, "prepare called without an output handle");
      *out = nullptr;
      json p = json::parse(params, params + len, nullptr, false);
      if (p.is_discarded() || !p.is_object()) return fail(error, ASSAY_STATUS_INVALID_PARAMS, "params must be a JSON object", "");
      auto h = std::make_unique<Handle<T>>(Handle<T>{T::prepare(p)});
      *out = reinterpret_cast<assay_handle*>(h.release());
      return ASSAY_STATUS_OK;
    });
  }

  static assay_status present(const assay_handle* h, std::uint64_t seed, assay_sink* out, assay_error* error) {
    return guarded(error, T::kName, [&]() -> assay_status {
      write(out, dump(item_of<T>(h).present(seed)));
      return ASSAY_STATUS_OK;
    });
  }

  static assay_status score_one(const T& item, std::uint64_t seed, const char* response, std::size_t len, assay_credit* credits,
                                assay_error* error) {
    return guarded_response(error, T::kName, [&]() -> assay_status {
      auto result = item.score(seed, parse_response(response, len));
      auto n = n_criteria();
      if (result.size() != n) {
        return fail(error, ASSAY_STATUS_INTERNAL,
                    std::string("item type '") + T::kName + "': score returned " + std::to_string(result.size()) +
                        " credits for " + std::to_string(n) + " criteria");
      }
      for (std::size_t i = 0; i < n; ++i) {
        auto c = Credit::fraction(result[i].num, result[i].den);
        credits[i] = {c.num, c.den};
      }
      return ASSAY_STATUS_OK;
    });
  }

  static assay_status score(const assay_handle* h, std::uint64_t seed, const char* response, std::size_t len,
                            assay_credit* credits, assay_error* error) {
    return score_one(item_of<T>(h), seed, response, len, credits, error);
  }

  static constexpr bool seed_free() {
    if constexpr (requires { T::kSeedFreeScore; })
      return T::kSeedFreeScore;
    else
      return false;
  }

  static assay_status score_batch(const assay_handle* h, std::size_t n, const std::uint64_t* seeds, const char* const* responses,
                                  const std::size_t* lens, assay_credit* credits, assay_status* statuses) {
    const T& item = item_of<T>(h);
    auto k = n_criteria();
    if constexpr (seed_free()) {
      return guarded(nullptr, T::kName, [&]() -> assay_status {
        // Distinct response texts, each scored once: text → the first entry that sent it. A hash
        // keeps the look-up constant however many different answers (numbers, free text) come.
        std::unordered_map<std::string_view, std::size_t> seen;
        seen.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          auto [found, fresh] = seen.try_emplace(std::string_view(responses[i], lens[i]), i);
          if (!fresh) {
            statuses[i] = statuses[found->second];
            std::copy_n(credits + found->second * k, k, credits + i * k);
            continue;
          }
          statuses[i] = score_one(item, seeds[i], responses[i], lens[i], credits + i * k, nullptr);
        }
        return ASSAY_STATUS_OK;
      });
    } else {
      for (std::size_t i = 0; i < n; ++i)
        statuses[i] = score_one(item, seeds[i], responses[i], lens[i], credits + i * k, nullptr);
      return ASSAY_STATUS_OK;
    }
  }

  static assay_status solve(const assay_handle* h, std::uint64_t seed, assay_sink* out, assay_error* error) {
    return guarded(error, T::kName, [&]() -> assay_status {
      write(out, dump(item_of<T>(h).solve(seed)));
      return ASSAY_STATUS_OK;
    });
  }

  static assay_status feedback(const assay_handle* h, std::uint64_t seed, const char* response, std::size_t len, assay_sink* out,
                               assay_error* error) {
    return guarded_response(error, T::kName, [&]() -> assay_status {
      write(out, item_of<T>(h).feedback(seed, parse_response(response, len)));
      return ASSAY_STATUS_OK;
    });
  }

  static void release(assay_handle* h) { delete reinterpret_cast<Handle<T>*>(h); }
};

template <class... Types>
const assay_plugin_table_v1* plugin_table(const char* name, const char* version, const char* domain,
                                          const char* description) noexcept {
  try {
    static const std::vector<const assay_item_type_v1*> types = {&TypeTables<Types>::instance().descriptor...};
    static const assay_plugin_table_v1 table = {
        ASSAY_ABI_VERSION, sizeof(assay_plugin_table_v1), name, version, domain, description, types.data(), types.size()};
    return &table;
  } catch (...) {
    return nullptr;  // the host refuses a null table by name
  }
}

}  // namespace detail

}  // namespace assay::sdk

/// Exports the plugin: its name, semantic version, domain, description and item-type classes.
#define ASSAY_PLUGIN(name, version, domain, description, ...)                                   \
  extern "C" ASSAY_EXPORT const std::uint32_t assay_abi_1 = ASSAY_ABI_VERSION;                  \
  extern "C" ASSAY_EXPORT const assay_plugin_table_v1* assay_plugin_v1(void) {                  \
    return ::assay::sdk::detail::plugin_table<__VA_ARGS__>(name, version, domain, description); \
  }

#endif  // ASSAY_SDK_BOUNDARY_HPP
