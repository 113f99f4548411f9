// Loading one plugin file and calling into it. Every call into plugin code goes through a
// wrapper here: statuses are checked, text arrives through sinks the host owns, credits are
// checked against 0 <= num <= den, den >= 1, and nothing a plugin does escapes as an exception.
#include <dlfcn.h>
#include <unistd.h>

#include <cstring>

#include <fmt/format.h>
#include <boost/dll/shared_library.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "assay/json_schema.hpp"
#include "assay/plugins.hpp"
#include "detail.hpp"
#include "pool.hpp"

namespace assay::plugins {

using nlohmann::json;

// ---- detail --------------------------------------------------------------------------------

namespace detail {

std::string refusal(const fs::path& file, std::string_view what, std::string_view hint) {
  std::string out = fmt::format("{}: error: refused: {}", file.string(), what);
  if (!hint.empty()) out += fmt::format("\n  hint: {}", hint);
  return out;
}

namespace {
void sink_write(void* ctx, const char* data, size_t len) {
  auto* self = static_cast<StringSink*>(ctx);
  if (self == nullptr || self->failed || (data == nullptr && len > 0)) return;
  try {
    self->text.append(data, len);
  } catch (...) {
    self->failed = true;  // never unwind into the plugin
  }
}
}  // namespace

assay_sink StringSink::sink() { return assay_sink{sizeof(assay_sink), 0, this, &sink_write}; }

assay_error ErrorSink::error() { return assay_error{sizeof(assay_error), 0, message.sink(), pointer.sink()}; }

}  // namespace detail

const char* status_name(assay_status status) {
  switch (status) {
    case ASSAY_STATUS_OK:
      return "ok";
    case ASSAY_STATUS_INVALID_PARAMS:
      return "invalid params";
    case ASSAY_STATUS_INVALID_RESPONSE:
      return "invalid response";
    case ASSAY_STATUS_INTERNAL:
      return "internal error";
    case ASSAY_STATUS_UNSUPPORTED:
      return "unsupported";
    default:
      return "unknown status";
  }
}

namespace {

bool known_status(assay_status s) { return s >= ASSAY_STATUS_OK && s <= ASSAY_STATUS_UNSUPPORTED; }

std::string credit_problem(const assay_credit& c) {
  if (c.denominator == 0) return fmt::format("credit {}/0 has a zero denominator", c.numerator);
  if (c.numerator > c.denominator) return fmt::format("credit {}/{} exceeds 1", c.numerator, c.denominator);
  return "";
}

/// Turns a finished call into an Expected: a status other than OK, an unknown status or a failed
/// sink is an error carrying the plugin's message (or one saying what happened).
Expected<std::string, CallError> finish(const ItemType& type, const char* fn, assay_status status, detail::StringSink& out,
                                        detail::ErrorSink& err) {
  if (!known_status(status)) {
    return CallError{ASSAY_STATUS_INTERNAL, fmt::format("item type '{}': {} returned unknown status {}", type.name(), fn, status),
                     ""};
  }
  if (status != ASSAY_STATUS_OK) {
    std::string msg = err.message.text;
    bool written = !msg.empty();
    if (!written) msg = fmt::format("item type '{}': {} failed ({})", type.name(), fn, status_name(status));
    return CallError{status, std::move(msg), err.pointer.text, written};
  }
  if (out.failed || err.message.failed) {
    return CallError{ASSAY_STATUS_INTERNAL,
                     fmt::format("item type '{}': {} wrote more text than fits in memory", type.name(), fn), ""};
  }
  return std::move(out.text);
}

CallError threw(const ItemType& type, const char* fn) {
  return CallError{ASSAY_STATUS_INTERNAL,
                   fmt::format("item type '{}': {} let an exception escape across the C boundary", type.name(), fn), ""};
}

}  // namespace

// ---- PreparedItem --------------------------------------------------------------------------

std::span<const assay_malformed_response_v1* const> malformed_responses(const assay_example_v1& example) {
  if (example.struct_size < detail::kExampleV11Size || example.malformed == nullptr) return {};
  return {example.malformed, example.n_malformed};
}

std::string signal_text(int signal) {
  const char* abbrev = ::sigabbrev_np(signal);
  return abbrev != nullptr ? fmt::format("signal {} (SIG{})", signal, abbrev) : fmt::format("signal {}", signal);
}

PreparedItem::PreparedItem(const ItemType* type, std::shared_ptr<const detail::Remote> remote)
    : type_(type), remote_(std::move(remote)) {}

PreparedItem::PreparedItem(PreparedItem&& other) noexcept
    : type_(other.type_),
      handle_(other.handle_),
      remote_(std::move(other.remote_)),
      added_material_(std::move(other.added_material_)) {
  other.handle_ = nullptr;
}

PreparedItem& PreparedItem::operator=(PreparedItem&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr && type_ != nullptr) type_->raw().release(handle_);
    type_ = other.type_;
    handle_ = other.handle_;
    remote_ = std::move(other.remote_);
    added_material_ = std::move(other.added_material_);
    other.handle_ = nullptr;
  }
  return *this;
}

PreparedItem::~PreparedItem() {
  if (handle_ != nullptr && type_ != nullptr) {
    try {
      type_->raw().release(handle_);
    } catch (...) {  // a plugin's failure never leaves a destructor
    }
  }
}

Expected<std::string, CallError> PreparedItem::present(std::uint64_t seed) const {
  auto shown = [&]() -> Expected<std::string, CallError> {
    if (remote_) return remote_->pool->text(detail::Op::kPresent, *remote_, seed, {});
    detail::StringSink out;
    detail::ErrorSink err;
    try {
      auto sink = out.sink();
      auto error = err.error();
      auto status = type_->raw().present(handle_, seed, &sink, &error);
      return finish(*type_, "present", status, out, err);
    } catch (...) {
      return threw(*type_, "present");
    }
  }();
  if (!shown || added_material_.empty() || added_material_ == "[]") return shown;
  auto doc = nlohmann::json::parse(*shown, nullptr, false);
  if (!doc.is_object()) return shown;  // not a presentation: the caller's checks say so
  auto& material = doc["material"];
  if (!material.is_array()) material = nlohmann::json::array();
  for (auto& m : nlohmann::json::parse(added_material_)) material.push_back(std::move(m));
  return doc.dump();
}

Expected<std::string, CallError> PreparedItem::solve(std::uint64_t seed) const {
  if (remote_) return remote_->pool->text(detail::Op::kSolve, *remote_, seed, {});
  detail::StringSink out;
  detail::ErrorSink err;
  try {
    auto sink = out.sink();
    auto error = err.error();
    auto status = type_->raw().solve(handle_, seed, &sink, &error);
    return finish(*type_, "solve", status, out, err);
  } catch (...) {
    return threw(*type_, "solve");
  }
}

Expected<std::string, CallError> PreparedItem::feedback(std::uint64_t seed, std::string_view response) const {
  if (remote_) return remote_->pool->text(detail::Op::kFeedback, *remote_, seed, response);
  detail::StringSink out;
  detail::ErrorSink err;
  try {
    auto sink = out.sink();
    auto error = err.error();
    auto status = type_->raw().feedback(handle_, seed, response.data(), response.size(), &sink, &error);
    return finish(*type_, "feedback", status, out, err);
  } catch (...) {
    return threw(*type_, "feedback");
  }
}

assay_status PreparedItem::score(std::uint64_t seed, std::string_view response, std::span<assay_credit> credits) const {
  auto n = type_->n_criteria();
  if (credits.size() < n) return ASSAY_STATUS_INTERNAL;
  if (remote_) {
    auto r = remote_->pool->score(*remote_, seed, response);
    if (!r) return r.error().status;
    std::copy(r.value().begin(), r.value().end(), credits.begin());
    return ASSAY_STATUS_OK;
  }
  try {
    auto status = type_->raw().score(handle_, seed, response.data(), response.size(), credits.data(), nullptr);
    if (!known_status(status)) return ASSAY_STATUS_INTERNAL;
    if (status != ASSAY_STATUS_OK) return status;
    for (std::size_t i = 0; i < n; ++i) {
      if (!credit_problem(credits[i]).empty()) return ASSAY_STATUS_INTERNAL;
    }
    return ASSAY_STATUS_OK;
  } catch (...) {
    return ASSAY_STATUS_INTERNAL;
  }
}

Expected<std::vector<assay_credit>, CallError> PreparedItem::score_verbose(std::uint64_t seed, std::string_view response) const {
  if (remote_) return remote_->pool->score(*remote_, seed, response);
  auto n = type_->n_criteria();
  std::vector<assay_credit> credits(n, assay_credit{0, 1});
  detail::ErrorSink err;
  try {
    auto error = err.error();
    auto status = type_->raw().score(handle_, seed, response.data(), response.size(), credits.data(), &error);
    detail::StringSink none;
    if (auto r = finish(*type_, "score", status, none, err); !r) return r.error();
  } catch (...) {
    return threw(*type_, "score");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (auto why = credit_problem(credits[i]); !why.empty()) {
      return CallError{ASSAY_STATUS_INTERNAL,
                       fmt::format("item type '{}': score wrote an invalid credit on criterion '{}': {}", type_->name(),
                                   type_->criteria()[i].id, why),
                       ""};
    }
  }
  return credits;
}

assay_status PreparedItem::score_batch(std::span<const std::uint64_t> seeds, std::span<const std::string_view> responses,
                                       std::span<assay_credit> credits, std::span<assay_status> statuses) const {
  auto n = seeds.size();
  auto k = type_->n_criteria();
  if (responses.size() != n || statuses.size() < n || credits.size() < n * k) return ASSAY_STATUS_INTERNAL;
  if (remote_) return remote_->pool->score_batch(*remote_, seeds, responses, credits, statuses);
  try {
    std::vector<const char*> data(n);
    std::vector<size_t> lens(n);
    for (std::size_t i = 0; i < n; ++i) {
      data[i] = responses[i].data();
      lens[i] = responses[i].size();
    }
    auto status = type_->raw().score_batch(handle_, n, seeds.data(), data.data(), lens.data(), credits.data(), statuses.data());
    if (!known_status(status)) return ASSAY_STATUS_INTERNAL;
    if (status != ASSAY_STATUS_OK) return status;
    for (std::size_t i = 0; i < n; ++i) {
      if (!known_status(statuses[i])) statuses[i] = ASSAY_STATUS_INTERNAL;
      if (statuses[i] != ASSAY_STATUS_OK) continue;
      for (std::size_t j = 0; j < k; ++j) {
        if (!credit_problem(credits[i * k + j]).empty()) statuses[i] = ASSAY_STATUS_INTERNAL;
      }
    }
    return ASSAY_STATUS_OK;
  } catch (...) {
    return ASSAY_STATUS_INTERNAL;
  }
}

// ---- ItemType ------------------------------------------------------------------------------

ItemType::ItemType(const Plugin* plugin, const assay_item_type_v1* raw) : plugin_(plugin), raw_(raw) {
  name_ = raw->name;
  qname_ = plugin->name() + "/" + name_;
  summary_ = raw->summary != nullptr ? raw->summary : "";
  schema_ = raw->params_schema_json;
  auto parsed = std::make_shared<json>(json::parse(schema_, nullptr, false));
  parsed_schema_ = parsed;
  const json& schema = *parsed;
  if (schema.is_object() && schema.contains("properties") && schema["properties"].is_object()) {
    for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
      const auto& p = it.value();
      if (p.is_object() && p.contains("x-assay-secret") && p["x-assay-secret"] == true) secret_.push_back(it.key());
    }
  }
  // The safety bit is defined from ABI 1.1: a 1.0 plugin's criteria are never safety criteria,
  // whatever its flags hold.
  bool knows_safety = (plugin->abi_version() & 0xffffu) >= 1;
  for (std::size_t i = 0; i < raw->n_criteria; ++i) {
    const auto* c = raw->criteria[i];
    criteria_.push_back(Criterion{c->id, c->description != nullptr ? c->description : "", (c->flags & ASSAY_CRITERION_RATED) != 0,
                                  knows_safety && (c->flags & ASSAY_CRITERION_SAFETY) != 0});
  }
}

Expected<PreparedItem, CallError> ItemType::prepare(std::string_view params_json) const {
  if (plugin_->pool_ != nullptr) return plugin_->pool_->prepare(*this, params_json);
  detail::ErrorSink err;
  assay_handle* handle = nullptr;
  try {
    auto error = err.error();
    auto status = raw_->prepare(params_json.data(), params_json.size(), &handle, &error);
    detail::StringSink none;
    if (auto r = finish(*this, "prepare", status, none, err); !r) {
      if (handle != nullptr) raw_->release(handle);
      return r.error();
    }
  } catch (...) {
    return threw(*this, "prepare");
  }
  return PreparedItem(this, handle);
}

// ---- Plugin --------------------------------------------------------------------------------

struct Plugin::Impl {
  boost::dll::shared_library library;
  int memory_fd = -1;  // the checked bytes the library was loaded from; kept open for debuggers and symbolizers
  ~Impl() {
    if (memory_fd >= 0) ::close(memory_fd);
  }
};

Plugin::~Plugin() = default;

const ItemType* Plugin::find_type(std::string_view name) const {
  for (const auto& t : types_) {
    if (t->name() == name) return t.get();
  }
  return nullptr;
}

namespace {

constexpr std::string_view kFunctionsHint =
    "set every function pointer of the descriptor; a type without feedback writes nothing and returns ASSAY_STATUS_OK";

/// Checks one descriptor before the host reads anything else from it; "" when usable.
std::string check_descriptor(const assay_item_type_v1* t, std::size_t index, std::string& hint) {
  hint = std::string(detail::kRebuildHint);
  if (t == nullptr) return fmt::format("item type [{}] is a null pointer", index);
  if (t->struct_size < detail::kItemTypeV10Size) {
    return fmt::format("item type [{}] descriptor is {} bytes, ABI 1.0 needs at least {}", index, t->struct_size,
                       detail::kItemTypeV10Size);
  }
  if (t->name == nullptr || *t->name == '\0') return fmt::format("item type [{}] has no name", index);
  std::string who = fmt::format("item type '{}'", t->name);
  const std::pair<const void*, const char*> fns[] = {
      {reinterpret_cast<const void*>(t->prepare), "prepare"}, {reinterpret_cast<const void*>(t->present), "present"},
      {reinterpret_cast<const void*>(t->score), "score"},     {reinterpret_cast<const void*>(t->score_batch), "score_batch"},
      {reinterpret_cast<const void*>(t->solve), "solve"},     {reinterpret_cast<const void*>(t->feedback), "feedback"},
      {reinterpret_cast<const void*>(t->release), "release"}};
  for (auto [fn, fn_name] : fns) {
    if (fn == nullptr) {
      hint = std::string(kFunctionsHint);
      return fmt::format("{} has no '{}' function", who, fn_name);
    }
  }
  hint = "fix the plugin's descriptor tables; 'assay plugin-check' explains each field";
  if (t->params_schema_json == nullptr) return who + ": its params schema is a null pointer";
  json schema = json::parse(t->params_schema_json, nullptr, false);
  if (schema.is_discarded()) return who + ": its params schema is not valid JSON";
  if (!schema.is_object()) return who + ": its params schema is not a JSON object";
  // The engine checks params against the schema (docs/plugins.md): a keyword it would skip
  // would leave the author's rule unchecked without a word, so the type is refused instead.
  if (auto problems = check_schema(schema); !problems.empty()) {
    hint = "use the keywords docs/plugins.md lists under \"Params and their schema\", and check anything else in prepare";
    std::string list;
    for (const auto& p : problems) list += fmt::format("{}'#{}': {}", list.empty() ? "" : "; ", p.pointer, p.message);
    return fmt::format("{}: its params schema cannot be checked as written: {}", who, list);
  }
  if (t->n_criteria > 0 && t->criteria == nullptr) return who + ": its criteria array is a null pointer";
  for (std::size_t i = 0; i < t->n_criteria; ++i) {
    const auto* c = t->criteria[i];
    if (c == nullptr) return fmt::format("{}: criterion [{}] is a null pointer", who, i);
    if (c->struct_size < detail::kCriterionV10Size) {
      hint = std::string(detail::kRebuildHint);
      return fmt::format("{}: criterion [{}] is {} bytes, ABI 1.0 needs at least {}", who, i, c->struct_size,
                         detail::kCriterionV10Size);
    }
    if (c->id == nullptr) return fmt::format("{}: criterion [{}] has no id", who, i);
  }
  if (t->n_examples > 0 && t->examples == nullptr) return who + ": its examples array is a null pointer";
  for (std::size_t i = 0; i < t->n_examples; ++i) {
    const auto* e = t->examples[i];
    if (e == nullptr) return fmt::format("{}: example [{}] is a null pointer", who, i);
    if (e->struct_size < detail::kExampleV10Size) {
      hint = std::string(detail::kRebuildHint);
      return fmt::format("{}: example [{}] is {} bytes, ABI 1.0 needs at least {}", who, i, e->struct_size,
                         detail::kExampleV10Size);
    }
    if (e->name == nullptr || e->params_json == nullptr || e->alt_secret_params_json == nullptr) {
      return fmt::format("{}: example [{}] has a null name, params or alternative secret params", who, i);
    }
    if (e->n_responses > 0 && e->responses == nullptr)
      return fmt::format("{}: example '{}': its responses array is a null pointer", who, e->name);
    for (std::size_t j = 0; j < e->n_responses; ++j) {
      const auto* r = e->responses[j];
      if (r == nullptr) return fmt::format("{}: example '{}': response [{}] is a null pointer", who, e->name, j);
      if (r->struct_size < detail::kExampleResponseV10Size) {
        hint = std::string(detail::kRebuildHint);
        return fmt::format("{}: example '{}': response [{}] is {} bytes, ABI 1.0 needs at least {}", who, e->name, j,
                           r->struct_size, detail::kExampleResponseV10Size);
      }
      if (r->response_json == nullptr || (t->n_criteria > 0 && r->expected_credits == nullptr)) {
        return fmt::format("{}: example '{}': response [{}] has a null response or expected credits", who, e->name, j);
      }
    }
    if (e->struct_size >= detail::kExampleV11Size) {
      if (e->n_malformed > 0 && e->malformed == nullptr)
        return fmt::format("{}: example '{}': its malformed responses array is a null pointer", who, e->name);
      for (std::size_t j = 0; j < e->n_malformed; ++j) {
        const auto* m = e->malformed[j];
        if (m == nullptr || m->struct_size < detail::kMalformedV11Size || m->response_json == nullptr)
          return fmt::format("{}: example '{}': malformed response [{}] is a null pointer, too small or has no response", who,
                             e->name, j);
      }
    }
  }
  return "";
}

std::string dl_error_text(const fs::path& file) {
  if (const char* e = ::dlerror(); e != nullptr) return e;
  // Boost may have cleared the loader's message; ask the loader once more for its reason.
  void* h = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h != nullptr) {
    ::dlclose(h);
    return "the loader refused the file";
  }
  const char* e = ::dlerror();
  return e != nullptr ? e : "the loader refused the file";
}

}  // namespace

Expected<std::unique_ptr<Plugin>, std::string> try_load_plugin(const fs::path& file, const TrustPolicy& policy) {
  if (auto why = inspect_plugin_file(file); !why.empty()) return why;
  auto checked = detail::check_file(file, policy);
  if (!checked) return checked.error();

  fs::path absolute = fs::absolute(file);
  auto impl = std::make_unique<Plugin::Impl>();
  impl->memory_fd = checked.value().memory_fd;
  fs::path load_from = impl->memory_fd >= 0 ? fs::path(fmt::format("/proc/self/fd/{}", impl->memory_fd)) : absolute;
  boost::dll::fs::error_code ec;
  // RTLD_NODELETE: a plugin's code stays mapped until exit, whatever handles still point into it.
  auto mode = static_cast<boost::dll::load_mode::type>(RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  ::dlerror();
  impl->library.load(boost::dll::fs::path(load_from.string()), mode, ec);
  if (ec || !impl->library.is_loaded()) {
    return detail::refusal(
        file, fmt::format("cannot load it: {}", dl_error_text(load_from)),
        fmt::format("install the libraries it needs (see 'ldd {}') or rebuild it on this system", file.string()));
  }
  if (!impl->library.has("assay_plugin_v1")) {
    return detail::refusal(file, "the loader cannot find the entry symbol 'assay_plugin_v1'", detail::kRebuildHint);
  }
  const assay_plugin_table_v1* table = nullptr;
  try {
    auto& entry = impl->library.get<const assay_plugin_table_v1*()>("assay_plugin_v1");
    table = entry();
  } catch (...) {
    return detail::refusal(file, "assay_plugin_v1() let an exception escape across the C boundary",
                           "catch every exception inside the plugin; ASSAY_PLUGIN(...) from <assay/sdk.hpp> does");
  }
  if (table == nullptr) {
    return detail::refusal(file, "assay_plugin_v1() returned a null table",
                           "return the address of a static assay_plugin_table_v1; an SDK plugin returns null when building "
                           "its tables throws, so run the plugin's own tests");
  }
  std::uint32_t major = table->abi_version >> 16, minor = table->abi_version & 0xffffu;
  if (major != ASSAY_ABI_MAJOR) {
    return detail::refusal(file,
                           fmt::format("its table declares ABI {}.{}, this assay loads ABI {}.x", major, minor, ASSAY_ABI_MAJOR),
                           detail::kRebuildHint);
  }
  if (table->struct_size < detail::kTableV10Size) {
    return detail::refusal(
        file, fmt::format("its plugin table is {} bytes, ABI 1.0 needs at least {}", table->struct_size, detail::kTableV10Size),
        detail::kRebuildHint);
  }
  if (table->name == nullptr || *table->name == '\0')
    return detail::refusal(file, "its table has no plugin name", detail::kRebuildHint);
  if (table->version == nullptr) return detail::refusal(file, "its table has no version", detail::kRebuildHint);
  if (table->n_item_types > 0 && table->item_types == nullptr) {
    return detail::refusal(file, "its item types array is a null pointer", detail::kRebuildHint);
  }
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < table->n_item_types; ++i) {
    std::string hint;
    if (auto why = check_descriptor(table->item_types[i], i, hint); !why.empty()) return detail::refusal(file, why, hint);
    if (!names.insert(table->item_types[i]->name).second) {
      return detail::refusal(file, fmt::format("two item types are named '{}'", table->item_types[i]->name),
                             "give each item type of a plugin its own name");
    }
  }

  if (auto why = detail::check_identity(file, checked.value(), table->name, table->version); !why.empty()) return why;

  std::unique_ptr<Plugin> plugin(new Plugin());
  plugin->impl_ = std::move(impl);
  plugin->name_ = table->name;
  plugin->version_ = table->version;
  plugin->domain_ = table->domain != nullptr ? table->domain : "";
  plugin->description_ = table->description != nullptr ? table->description : "";
  plugin->path_ = file;
  plugin->abi_ = table->abi_version;
  plugin->provenance_ = std::move(checked.value().provenance);
  for (std::size_t i = 0; i < table->n_item_types; ++i) {
    plugin->types_.push_back(std::make_unique<ItemType>(plugin.get(), table->item_types[i]));
  }
  return plugin;
}

}  // namespace assay::plugins
