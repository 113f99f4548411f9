// The checks of `assay plugin-check`. Metadata is read in this process (the loader already
// validated every pointer); everything that runs plugin code runs in a child (isolate.hpp).
#include "assay/plugin_check.hpp"

#include <fmt/format.h>
#include <re2/re2.h>
#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <thread>

#include "assay/json_schema.hpp"
#include "assay/plugins.hpp"
#include "isolate.hpp"
#include "key_leak.hpp"

namespace assay::plugincheck {

namespace {

using nlohmann::json;
using plugins::ItemType;
using plugins::PreparedItem;

__extension__ typedef unsigned __int128 UInt128;

constexpr int kThreads = 4;
constexpr int kThreadRounds = 25;
constexpr int kDeterminismSeeds = 3;
constexpr int kKeyFlipSeeds = 5;
constexpr std::size_t kMaxViolations = 3;

const char* const kGeneratedWhy =
    "the determinism, seed and thread checks then prove nothing about how material is generated, and a key that "
    "depends on the generated values is never checked";

/// The root annotations of a params schema: "x-assay-material": "generated" (present draws
/// material from the seed) and "x-assay-shown": [FIELD...] (response fields the candidate is
/// meant to see in the material, exempt from the key-leak heuristic).
bool declares_generated(const ItemType& t) {
  const json& s = t.params_schema();
  auto it = s.find("x-assay-material");
  return s.is_object() && it != s.end() && *it == "generated";
}

std::set<std::string> shown_fields(const ItemType& t) {
  std::set<std::string> out;
  const json& s = t.params_schema();
  if (!s.is_object()) return out;
  if (auto it = s.find("x-assay-shown"); it != s.end() && it->is_array())
    for (const auto& f : *it)
      if (f.is_string()) out.insert(f.get<std::string>());
  return out;
}

bool kebab(const std::string& s) {
  static const RE2 re("[a-z0-9]+(-[a-z0-9]+)*");
  return RE2::FullMatch(s, re);
}

bool semver(const std::string& s) {
  static const RE2 re(
      R"((0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)");
  return RE2::FullMatch(s, re);
}

std::string credit_text(const assay_credit& c) { return fmt::format("{}/{}", c.numerator, c.denominator); }

bool same_credit(const assay_credit& a, const assay_credit& b) {
  return static_cast<UInt128>(a.numerator) * b.denominator == static_cast<UInt128>(b.numerator) * a.denominator;
}

bool identical(const std::vector<assay_credit>& a, const std::vector<assay_credit>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].numerator != b[i].numerator || a[i].denominator != b[i].denominator) return false;
  }
  return true;
}

/// The seeds for score(solve(seed)): the example's own, then a fixed portable sequence.
std::vector<std::uint64_t> seeds_for(const assay_example_v1& ex, int n) {
  std::vector<std::uint64_t> seeds{ex.seed};
  assay_rng rng = assay_rng_seed(ex.seed ^ 0x5eed5eed5eed5eedull);
  while (static_cast<int>(seeds.size()) < n) seeds.push_back(assay_rng_next(&rng));
  return seeds;
}

class Checker {
 public:
  Checker(const std::filesystem::path& lib, const Options& options, Report& report)
      : lib_(lib), options_(options), report_(report) {}

  void add(std::string check, std::string type, std::string example, std::string message, std::string hint = "") {
    std::string where = type;
    if (!example.empty()) where += fmt::format(" example '{}'", example);
    std::string text = fmt::format("{}: error: {}{}", lib_.string(), where.empty() ? "" : where + ": ", message);
    if (!hint.empty()) text += "\n  hint: " + hint;
    report_.findings.push_back(
        Finding{std::move(check), std::move(type), std::move(example), std::move(message), std::move(text)});
  }

  void record(std::string check, std::string type, std::string example, std::string status, std::string reason = "") {
    if (status != "skipped") ++report_.checks;
    report_.runs.push_back(CheckRun{std::move(check), std::move(type), std::move(example), std::move(status), std::move(reason)});
  }

  void metadata(const plugins::Plugin& plugin) {
    std::size_t before = report_.findings.size();
    metadata_body(plugin);
    record("metadata", "", "", report_.findings.size() == before ? "passed" : "failed");
  }

  void metadata_body(const plugins::Plugin& plugin) {
    const std::string none;
    if (!kebab(plugin.name())) {
      add("metadata", none, none,
          fmt::format("plugin name \"{}\": expected kebab-case (lowercase letters, digits, '-')", plugin.name()));
    }
    if (!semver(plugin.version())) {
      add("metadata", none, none,
          fmt::format("plugin version \"{}\": expected a semantic version such as \"1.2.0\"", plugin.version()));
    }
    if (plugin.domain().empty()) add("metadata", none, none, "the plugin's domain is empty");
    if (plugin.description().empty()) add("metadata", none, none, "the plugin's description is empty");
    if (plugin.item_types().empty()) add("metadata", none, none, "the plugin declares no item types");
    for (const auto& t : plugin.item_types()) type_metadata(*t);
  }

  void type_metadata(const ItemType& t) {
    const std::string& n = t.name();
    const std::string none;
    if (!kebab(n))
      add("metadata", n, none, fmt::format("type name \"{}\": expected kebab-case (lowercase letters, digits, '-')", n));
    if (t.summary().empty()) add("metadata", n, none, "the summary is empty");
    json schema = json::parse(t.params_schema_text(), nullptr, false);
    if (schema.is_discarded()) {
      add("metadata", n, none, "the params schema is not valid JSON");
    } else if (!schema.is_object() || !schema.contains("type") || schema["type"] != "object") {
      add("metadata", n, none, "the params schema must have \"type\": \"object\"");
    }
    if (schema.is_object()) annotations(n, schema);
    if (t.criteria().empty())
      add("metadata", n, none, "the type declares no criteria", "a type with one criterion calls it 'correct'");
    std::set<std::string> ids;
    for (const auto& c : t.criteria()) {
      if (!kebab(c.id)) add("metadata", n, none, fmt::format("criterion id \"{}\": expected kebab-case", c.id));
      if (!ids.insert(c.id).second) add("metadata", n, none, fmt::format("criterion id \"{}\" is declared twice", c.id));
    }
    const auto& raw = t.raw();
    if (raw.n_examples == 0) {
      add("metadata", n, none, "the type has no examples", "add at least one example with a correct and a wrong response");
    }
    std::size_t malformed = 0;
    for (std::size_t i = 0; i < raw.n_examples; ++i) malformed += plugins::malformed_responses(*raw.examples[i]).size();
    if (malformed == 0 && raw.n_examples > 0) {
      if ((t.plugin().abi_version() & 0xffffu) >= 1) {
        add("metadata", n, none, "the type declares no malformed responses (ABI 1.1)",
            "give an example responses that cannot be read as an answer for its params (an unknown unit, a value that is "
            "not an option, a rule that does not parse): score must refuse each as malformed, with a message");
      } else {
        report_.warnings.push_back(
            fmt::format("{}: warning: {}: built against ABI 1.0, which declares no malformed responses: whether score tells "
                        "a malformed answer from a wrong one, with a message, is not checked\n  hint: rebuild against ABI "
                        "1.1 and declare malformed responses in the examples (plugin.h, assay_malformed_response_v1)",
                        lib_.string(), n));
      }
    }
    for (std::size_t i = 0; i < raw.n_examples; ++i) {
      const auto& ex = *raw.examples[i];
      std::string en = ex.name;
      json params = json::parse(ex.params_json, nullptr, false);
      if (!params.is_object()) add("metadata", n, en, "its params are not a JSON object");
      json alt = json::parse(ex.alt_secret_params_json, nullptr, false);
      if (!alt.is_object()) add("metadata", n, en, "its alternative secret params are not a JSON object");
      for (std::size_t j = 0; j < ex.n_responses; ++j) {
        const auto& r = *ex.responses[j];
        std::string label = r.label != nullptr ? r.label : fmt::format("[{}]", j);
        json resp = json::parse(r.response_json, nullptr, false);
        if (!resp.is_object()) add("metadata", n, en, fmt::format("response '{}' is not a JSON object", label));
        for (std::size_t k = 0; k < t.n_criteria(); ++k) {
          const auto& c = r.expected_credits[k];
          if (c.denominator == 0 || c.numerator > c.denominator) {
            add("metadata", n, en,
                fmt::format("response '{}': expected credit {} on criterion '{}' is not between 0 and 1", label, credit_text(c),
                            t.criteria()[k].id));
          }
        }
      }
    }
  }

  /// The engine's own root annotations: what plugin-check reads must be well formed.
  void annotations(const std::string& n, const json& schema) {
    const std::string none;
    if (auto m = schema.find("x-assay-material"); m != schema.end() && *m != "generated" && *m != "fixed") {
      add("metadata", n, none, fmt::format("\"x-assay-material\": expected \"generated\" or \"fixed\", found {}", m->dump()));
    }
    if (auto f = schema.find("x-assay-shown"); f != schema.end()) {
      bool strings = f->is_array() && std::all_of(f->begin(), f->end(), [](const json& e) { return e.is_string(); });
      if (!strings) {
        add("metadata", n, none,
            fmt::format("\"x-assay-shown\": expected an array of response field names, found {}", f->dump()));
      }
    }
  }

  /// Runs one check of one example in a child: the number of findings, or -1 when the child
  /// crashed or hung (the example's later checks are then skipped: they would only repeat it).
  /// `notes` receives what the child noted; `hint` follows each finding.
  int isolated(const std::string& check, const ItemType& t, const assay_example_v1& ex,
               const std::function<void(detail::Channel&)>& body, std::vector<std::string>* notes = nullptr,
               const std::string& hint = "") {
    auto outcome = detail::run_isolated(check, options_.timeout_seconds, body);
    for (const auto& f : outcome.findings) add(check, t.name(), ex.name, f, hint);
    if (notes != nullptr) *notes = outcome.notes;
    bool failed = !outcome.findings.empty() || !outcome.abnormal.empty();
    record(check, t.name(), ex.name, failed ? "failed" : "passed");
    if (!outcome.abnormal.empty()) {
      add(check, t.name(), ex.name, outcome.abnormal);
      stop_reason_ = fmt::format("check '{}' crashed or hung", check);
      return -1;
    }
    return static_cast<int>(outcome.findings.size());
  }

  /// Runs every check of one example in order; those it did not reach are listed as skipped.
  void example(const ItemType& t, const assay_example_v1& ex) {
    static constexpr const char* kExampleChecks[] = {"prepare", "examples", "malformed", "solve",       "determinism",
                                                     "threads", "key-flip", "key-leak",  "presentation"};
    std::size_t first = report_.runs.size();
    stop_reason_.clear();
    example_checks(t, ex);
    std::set<std::string> ran;
    for (std::size_t i = first; i < report_.runs.size(); ++i) ran.insert(report_.runs[i].check);
    for (const char* c : kExampleChecks)
      if (ran.count(c) == 0) record(c, t.name(), ex.name, "skipped", stop_reason_);
  }

  /// generated-material: a type that declares generated material has an example whose material
  /// changes with the seed (the key-leak runs noted it).
  void generated_material(const ItemType& t) {
    const std::string& n = t.name();
    bool declared = declares_generated(t);
    if (!declared) {
      if (!generated_.empty()) {
        report_.warnings.push_back(fmt::format(
            "{}: warning: {}: example '{}' shows material that changes with the seed, but the params schema does not declare "
            "\"x-assay-material\": \"generated\"\n  hint: declare it at the schema's root (sdk::generated_material), so "
            "plugin-check keeps an example that generates material",
            lib_.string(), n, *generated_.begin()));
      }
      record("generated-material", n, "", "skipped", "the type does not declare \"x-assay-material\": \"generated\"");
    } else if (presented_ == 0) {
      record("generated-material", n, "", "skipped", "no example ran as far as the key-leak check");
    } else if (generated_.empty()) {
      add("generated-material", n, "",
          "the type declares generated material, but every example shows the same material for every seed: " +
              std::string(kGeneratedWhy),
          "add an example whose params leave the material to the seed (a range to draw from rather than fixed values)");
      record("generated-material", n, "", "failed");
    } else {
      record("generated-material", n, "", "passed");
    }
    generated_.clear();
    presented_ = 0;
  }

  void example_checks(const ItemType& t, const assay_example_v1& ex) {
    const std::string params = ex.params_json;
    const auto& criteria = t.criteria();

    auto prepare = [&](detail::Channel& ch, const std::string& p) -> std::optional<PreparedItem> {
      ch.calling("prepare");
      auto r = t.prepare(p);
      if (!r) {
        std::string where = r.error().pointer.empty() ? "" : fmt::format(" (at {})", r.error().pointer);
        ch.finding(fmt::format("prepare failed: {}{}", r.error().message, where));
        return std::nullopt;
      }
      return std::move(r.value());
    };

    // prepare: the example's params are accepted; every later check needs that.
    if (isolated("prepare", t, ex, [&](detail::Channel& ch) { prepare(ch, params); }) != 0) {
      if (stop_reason_.empty()) stop_reason_ = "the example's params did not prepare";
      return;
    }

    // examples: every response earns its expected credits on non-rated criteria.
    if (isolated("examples", t, ex, [&](detail::Channel& ch) {
          auto item = prepare(ch, params);
          if (!item) return;
          for (std::size_t j = 0; j < ex.n_responses; ++j) {
            const auto& r = *ex.responses[j];
            std::string label = r.label != nullptr ? r.label : fmt::format("[{}]", j);
            ch.calling("score");
            auto got = item->score_verbose(ex.seed, r.response_json);
            if (!got) {
              ch.finding(fmt::format("response '{}': score failed: {}", label, got.error().message));
              continue;
            }
            for (std::size_t k = 0; k < criteria.size(); ++k) {
              if (criteria[k].rated) continue;
              if (!same_credit(got.value()[k], r.expected_credits[k])) {
                ch.finding(fmt::format("response '{}': criterion '{}' earned {}, expected {}", label, criteria[k].id,
                                       credit_text(got.value()[k]), credit_text(r.expected_credits[k])));
              }
            }
          }
        }) < 0) {
      return;
    }

    // malformed (ABI 1.1): each malformed response is refused as malformed, with a message for
    // the candidate.
    auto malformed = plugins::malformed_responses(ex);
    if (malformed.empty()) record("malformed", t.name(), ex.name, "skipped", "the example declares no malformed responses");
    if (!malformed.empty()) {
      if (isolated("malformed", t, ex, [&](detail::Channel& ch) {
            auto item = prepare(ch, params);
            if (!item) return;
            for (std::size_t j = 0; j < malformed.size(); ++j) {
              const auto& m = *malformed[j];
              std::string label = m.label != nullptr ? m.label : fmt::format("[{}]", j);
              ch.calling("score");
              auto got = item->score_verbose(ex.seed, m.response_json);
              if (got) {
                ch.finding(fmt::format("malformed response '{}' was scored ({}) instead of refused as malformed", label,
                                       credit_text(got.value().empty() ? assay_credit{0, 1} : got.value()[0])));
              } else if (got.error().status != ASSAY_STATUS_INVALID_RESPONSE) {
                ch.finding(fmt::format("malformed response '{}': score returned '{}', expected 'invalid response': {}", label,
                                       plugins::status_name(got.error().status), got.error().message));
              } else if (!got.error().plugin_message) {
                ch.finding(
                    fmt::format("malformed response '{}' was refused without a message: the candidate is not told what "
                                "to fix",
                                label));
              }
            }
          }) < 0) {
        return;
      }
    }

    // solve: score(solve(seed)) earns full credit on non-rated criteria, for many seeds.
    if (isolated("solve", t, ex, [&](detail::Channel& ch) {
          auto item = prepare(ch, params);
          if (!item) return;
          auto seeds = seeds_for(ex, std::max(1, options_.seeds));
          int failed = 0;
          std::string first;
          for (auto seed : seeds) {
            ch.calling("solve");
            auto answer = item->solve(seed);
            std::string why;
            if (!answer) {
              why = fmt::format("solve failed: {}", answer.error().message);
            } else {
              ch.calling("score");
              auto got = item->score_verbose(seed, answer.value());
              if (!got) {
                why = fmt::format("score failed on the solved response: {}", got.error().message);
              } else {
                for (std::size_t k = 0; k < criteria.size() && why.empty(); ++k) {
                  const auto& c = got.value()[k];
                  if (!criteria[k].rated && c.numerator != c.denominator) {
                    why = fmt::format("criterion '{}' earned {}", criteria[k].id, credit_text(c));
                  }
                }
              }
            }
            if (!why.empty() && failed++ == 0) first = fmt::format("seed {}: {}", seed, why);
          }
          if (failed > 0) {
            ch.finding(
                fmt::format("score(solve(seed)) is not full credit on {} of {} seeds; first, {}", failed, seeds.size(), first));
          }
        }) < 0) {
      return;
    }

    // determinism: the same bytes and credits on repeated calls.
    if (isolated("determinism", t, ex, [&](detail::Channel& ch) {
          auto item = prepare(ch, params);
          if (!item) return;
          auto seeds = seeds_for(ex, kDeterminismSeeds);
          for (auto seed : seeds) {
            ch.calling("present");
            auto a = item->present(seed);
            auto b = item->present(seed);
            if (!a || !b) {
              ch.finding(fmt::format("present failed for seed {}: {}", seed, !a ? a.error().message : b.error().message));
              return;
            }
            if (a.value() != b.value())
              ch.finding(fmt::format("present returned different bytes on two calls with seed {}", seed));
            ch.calling("solve");
            auto s1 = item->solve(seed);
            auto s2 = item->solve(seed);
            if (s1 && s2 && s1.value() != s2.value())
              ch.finding(fmt::format("solve returned different bytes on two calls with seed {}", seed));
          }
          for (std::size_t j = 0; j < ex.n_responses; ++j) {
            ch.calling("score");
            auto a = item->score_verbose(ex.seed, ex.responses[j]->response_json);
            auto b = item->score_verbose(ex.seed, ex.responses[j]->response_json);
            if (a && b && !identical(a.value(), b.value())) {
              ch.finding(fmt::format("score returned different credits on two calls for response '{}'", ex.responses[j]->label));
            }
          }
        }) < 0) {
      return;
    }

    // threads: the same results from 4 threads on one handle.
    if (isolated("threads", t, ex, [&](detail::Channel& ch) {
          auto item = prepare(ch, params);
          if (!item) return;
          auto seeds = seeds_for(ex, kDeterminismSeeds);
          std::vector<std::string> present_ref, solve_ref;
          for (auto seed : seeds) {
            ch.calling("present");
            auto p = item->present(seed);
            present_ref.push_back(p ? p.value() : "");
            ch.calling("solve");
            auto s = item->solve(seed);
            solve_ref.push_back(s ? s.value() : "");
          }
          std::vector<std::vector<assay_credit>> score_ref;
          for (std::size_t j = 0; j < ex.n_responses; ++j) {
            ch.calling("score");
            auto c = item->score_verbose(ex.seed, ex.responses[j]->response_json);
            score_ref.push_back(c ? c.value() : std::vector<assay_credit>{});
          }
          std::atomic<int> present_diff{0}, solve_diff{0}, score_diff{0};
          ch.calling("present, solve and score from 4 threads");
          std::vector<std::thread> threads;
          for (int n = 0; n < kThreads; ++n) {
            threads.emplace_back([&] {
              for (int round = 0; round < kThreadRounds; ++round) {
                for (std::size_t i = 0; i < seeds.size(); ++i) {
                  auto p = item->present(seeds[i]);
                  if ((p ? p.value() : "") != present_ref[i]) ++present_diff;
                  auto s = item->solve(seeds[i]);
                  if ((s ? s.value() : "") != solve_ref[i]) ++solve_diff;
                }
                for (std::size_t j = 0; j < ex.n_responses; ++j) {
                  auto c = item->score_verbose(ex.seed, ex.responses[j]->response_json);
                  if (!identical(c ? c.value() : std::vector<assay_credit>{}, score_ref[j])) ++score_diff;
                }
              }
            });
          }
          for (auto& th : threads) th.join();
          int calls = kThreads * kThreadRounds * static_cast<int>(seeds.size());
          int score_calls = kThreads * kThreadRounds * static_cast<int>(ex.n_responses);
          if (present_diff > 0)
            ch.finding(fmt::format("present differs across {} threads on one handle ({} of {} calls)", kThreads,
                                   present_diff.load(), calls));
          if (solve_diff > 0)
            ch.finding(fmt::format("solve differs across {} threads on one handle ({} of {} calls)", kThreads, solve_diff.load(),
                                   calls));
          if (score_diff > 0)
            ch.finding(fmt::format("score differs across {} threads on one handle ({} of {} calls)", kThreads, score_diff.load(),
                                   score_calls));
        }) < 0) {
      return;
    }

    // key-flip: present is byte-identical when the secret params are swapped.
    if (isolated("key-flip", t, ex, [&](detail::Channel& ch) { key_flip(ch, t, ex, prepare); }) < 0) return;

    // key-leak (a heuristic): values of the solved key do not appear in what present shows.
    std::vector<std::string> notes;
    if (isolated(
            "key-leak", t, ex, [&](detail::Channel& ch) { key_leak(ch, t, ex, prepare); }, &notes, kLeakHint) < 0) {
      return;
    }
    for (const auto& note : notes) {
      if (note == "presented") ++presented_;
      if (note == "generated") generated_.insert(ex.name);
    }

    presentation_schema(t, ex, prepare);
  }

  template <class Prepare>
  void key_flip(detail::Channel& ch, const ItemType& t, const assay_example_v1& ex, Prepare& prepare) {
    json params = json::parse(ex.params_json, nullptr, false);
    json alt = json::parse(ex.alt_secret_params_json, nullptr, false);
    if (!params.is_object() || !alt.is_object()) return;  // reported by the metadata check
    const auto& secret = t.secret_params();
    if (alt.empty()) {
      // Only an example that gives a secret param needs an alternative: without one in its
      // params (generated material, whose key the plugin derives) nothing secret can shape it.
      auto given = std::find_if(secret.begin(), secret.end(), [&](const std::string& s) { return params.contains(s); });
      if (given != secret.end()) {
        ch.finding(fmt::format(
            "the example gives secret param '{}' but no alternative set, so key-flip invariance goes unchecked", *given));
      }
      return;
    }
    bool usable = true;
    for (auto it = alt.begin(); it != alt.end(); ++it) {
      if (std::find(secret.begin(), secret.end(), it.key()) == secret.end()) {
        ch.finding(fmt::format("alternative param '{}' is not marked \"x-assay-secret\": true in the params schema", it.key()));
        usable = false;
      }
    }
    if (!usable) return;
    json flipped = params;
    for (auto it = alt.begin(); it != alt.end(); ++it) flipped[it.key()] = it.value();
    auto item = prepare(ch, params.dump());
    if (!item) return;
    auto other = prepare(ch, flipped.dump());
    if (!other) {
      ch.finding("prepare refused the params with the alternative secret set");
      return;
    }
    for (auto seed : seeds_for(ex, kKeyFlipSeeds)) {
      ch.calling("present");
      auto a = item->present(seed);
      auto b = other->present(seed);
      if (!a || !b) {
        ch.finding(fmt::format("present failed for seed {}: {}", seed, !a ? a.error().message : b.error().message));
        return;
      }
      if (a.value() != b.value()) {
        ch.finding(
            fmt::format("present changes when the secret params are swapped for the alternative set (seed {}): secret "
                        "params must not shape the material",
                        seed));
        return;
      }
    }
  }

  static constexpr const char* kLeakHint =
      "a heuristic: if candidates are meant to see this value (the task is to find it in the material), declare the field "
      "at the params schema's root, \"x-assay-shown\": [\"FIELD\"] (sdk::shown_material); otherwise build present from "
      "the non-secret params and the seed only";

  /// For many seeds: present and solve; a value of the solved response (KeyValue's rule) that
  /// appears in what present shows on a majority of seeds is reported, once per response field.
  /// Notes "presented" when present could be read, "generated" when the material changed with
  /// the seed.
  template <class Prepare>
  void key_leak(detail::Channel& ch, const ItemType& t, const assay_example_v1& ex, Prepare& prepare) {
    auto item = prepare(ch, ex.params_json);
    if (!item) return;
    const auto declared = shown_fields(t);
    struct Leak {
      int seeds = 0;
      std::string value;
    };
    std::map<std::string, Leak> leaks;
    std::set<std::string> materials;
    int usable = 0;
    for (auto seed : seeds_for(ex, std::max(options_.seeds, kDeterminismSeeds))) {
      ch.calling("present");
      auto text = item->present(seed);
      if (!text) continue;  // the other checks report a failing present
      json doc = json::parse(text.value(), nullptr, false);
      if (!doc.is_object()) continue;
      auto shown = detail::read_presentation(doc);
      materials.insert(shown.material);
      ch.calling("solve");
      auto solved = item->solve(seed);
      if (!solved) continue;
      json key = json::parse(solved.value(), nullptr, false);
      if (!key.is_object()) continue;
      ++usable;
      std::set<std::string> leaked_here;
      for (const auto& v : detail::key_values(key)) {
        if (declared.count(v.field) > 0 || declared.count(v.path) > 0 || leaked_here.count(v.field) > 0) continue;
        if (!detail::shows(shown, v)) continue;
        leaked_here.insert(v.field);
        auto& leak = leaks[v.field];
        if (leak.seeds++ == 0) leak.value = v.value;
      }
    }
    if (!materials.empty()) ch.note("presented");
    if (materials.size() > 1) ch.note("generated");
    for (const auto& [field, leak] : leaks) {
      if (2 * leak.seeds <= usable) continue;
      ch.finding(fmt::format(
          "heuristic: the solved response's '{}' (\"{}\") appears in what present shows on {} of {} seeds: present may show "
          "the key",
          field, leak.value, leak.seeds, usable));
    }
  }

  /// presentation: present writes JSON that the presentation v1 schema accepts.
  template <class Prepare>
  void presentation_schema(const ItemType& t, const assay_example_v1& ex, Prepare& prepare) {
    isolated("presentation", t, ex, [&](detail::Channel& ch) {
      auto item = prepare(ch, ex.params_json);
      if (!item) return;
      const json& schema = builtin_schema("presentation");
      for (auto seed : seeds_for(ex, kDeterminismSeeds)) {
        ch.calling("present");
        auto text = item->present(seed);
        if (!text) {
          ch.finding(fmt::format("present failed for seed {}: {}", seed, text.error().message));
          return;
        }
        json doc = json::parse(text.value(), nullptr, false);
        if (doc.is_discarded()) {
          ch.finding(fmt::format("present wrote text that is not JSON (seed {})", seed));
          return;
        }
        auto violations = validate_json(schema, doc);
        for (std::size_t i = 0; i < violations.size() && i < kMaxViolations; ++i) {
          const auto& v = violations[i];
          ch.finding(fmt::format("present output (seed {}) breaks the presentation schema at '{}': {}", seed,
                                 v.pointer.empty() ? "/" : v.pointer, v.message));
        }
        if (violations.size() > kMaxViolations) {
          ch.finding(
              fmt::format("present output (seed {}): {} more schema violations", seed, violations.size() - kMaxViolations));
        }
        if (!violations.empty()) return;
        // Pictures are the engine's, from the item's [[item.figure]] files: a plugin has no way to
        // serve their bytes, so a picture it names would be a broken image on every page.
        if (auto m = doc.find("material"); m != doc.end() && m->is_array())
          for (std::size_t i = 0; i < m->size(); ++i)
            if ((*m)[i].is_object() && (*m)[i].value("kind", "") == "image") {
              ch.finding(
                  fmt::format("present output (seed {}) has image material at '/material/{}': pictures come "
                              "from the item's [[item.figure]] files, added by the engine, not from a plugin",
                              seed, i));
              return;
            }
      }
    });
  }

 private:
  const std::filesystem::path& lib_;
  const Options& options_;
  Report& report_;
  std::string stop_reason_;          // why an example's remaining checks are skipped
  std::set<std::string> generated_;  // this type's examples whose material changed with the seed
  int presented_ = 0;                // this type's examples whose key-leak run read a presentation
};

}  // namespace

Report run_plugin_check(const std::filesystem::path& lib, const Options& options) {
  Report report;
  report.lib = lib.string();
  Checker checker(lib, options, report);
  ++report.checks;
  auto loaded = plugins::try_load_plugin(lib);
  if (!loaded) {
    std::string text = loaded.error();
    report.findings.push_back(Finding{"load", "", "", text, text});
    report.runs.push_back(CheckRun{"load", "", "", "failed", ""});
    return report;
  }
  report.runs.push_back(CheckRun{"load", "", "", "passed", ""});
  const auto& plugin = *loaded.value();
  report.plugin_name = plugin.name();
  report.plugin_version = plugin.version();
  checker.metadata(plugin);
  for (const auto& t : plugin.item_types()) {
    const auto& raw = t->raw();
    for (std::size_t i = 0; i < raw.n_examples; ++i) checker.example(*t, *raw.examples[i]);
    checker.generated_material(*t);
  }
  return report;
}

}  // namespace assay::plugincheck
