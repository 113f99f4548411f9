// An isolated registry runs every plugin call in worker processes: the answers are the ones the
// plugin gives in-process, and a crash or a hang costs the one call that met it.
#include <fmt/format.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/delivery.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"
#include "core/plugins/fixture_assessment.hpp"
#include "core/plugins/staging.hpp"

namespace fs = std::filesystem;
using assay::plugins::Registry;
using Catch::Matchers::Contains;

namespace {

Registry freshly_loaded() { return Registry::load({ASSAY_TEST_PLUGIN_DIR}); }

constexpr const char* kNumeric = R"({"prompt":"Leakage limit?","answer":"0.5","tolerance":"0.01","unit":"mA","units":["uA"]})";

struct PoolFixture {
  assay::test::StagingDir dir;
  PoolFixture() { dir.add("crash_on_some.so"); }
  Registry registry() const { return Registry::load({dir.path()}); }
};

const assay::plugins::ItemType& yes_no(const Registry& r) {
  const auto* type = r.find_type("fixture-crash-on-some/yes-no");
  REQUIRE(type != nullptr);
  return *type;
}

}  // namespace

TEST_CASE("an isolated registry answers exactly as the plugin does in-process", "[plugins][isolation]") {
  auto local = freshly_loaded();
  auto isolated = freshly_loaded();
  isolated.isolate({2, 10});
  REQUIRE(isolated.isolated());
  const auto* a = local.find_type("core-items/numeric");
  const auto* b = isolated.find_type("core-items/numeric");
  REQUIRE(a != nullptr);
  REQUIRE(b != nullptr);
  auto pa = a->prepare(kNumeric);
  auto pb = b->prepare(kNumeric);
  REQUIRE(pa.ok());
  REQUIRE(pb.ok());
  for (std::uint64_t seed : {1u, 7u, 99u}) {
    CHECK(pa.value().present(seed).value() == pb.value().present(seed).value());
    CHECK(pa.value().solve(seed).value() == pb.value().solve(seed).value());
    for (std::string response : {R"({"answer":{"value":"0.5","unit":"mA"}})", R"({"answer":{"value":"500","unit":"uA"}})",
                                 R"({"answer":{"value":"2","unit":"mA"}})"}) {
      auto ca = pa.value().score_verbose(seed, response);
      auto cb = pb.value().score_verbose(seed, response);
      REQUIRE(ca.ok() == cb.ok());
      if (ca.ok()) {
        REQUIRE(ca.value().size() == cb.value().size());
        for (std::size_t i = 0; i < ca.value().size(); ++i) {
          CHECK(ca.value()[i].numerator == cb.value()[i].numerator);
          CHECK(ca.value()[i].denominator == cb.value()[i].denominator);
        }
      }
      CHECK(pa.value().feedback(seed, response).value() == pb.value().feedback(seed, response).value());
    }
  }
  SECTION("a malformed response and bad params come back with the plugin's status, message and pointer") {
    auto bad = b->prepare(R"({"prompt":"x","answer":"not a number","unit":"mA"})");
    REQUIRE_FALSE(bad.ok());
    auto local_bad = a->prepare(R"({"prompt":"x","answer":"not a number","unit":"mA"})");
    REQUIRE_FALSE(local_bad.ok());
    CHECK(bad.error().status == local_bad.error().status);
    CHECK(bad.error().message == local_bad.error().message);
    CHECK(bad.error().pointer == local_bad.error().pointer);
    auto r = pb.value().score_verbose(1, "{\"answer\": 12");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == ASSAY_STATUS_INVALID_RESPONSE);
  }
}

TEST_CASE("a crash in one response of a batch costs that response alone", "[plugins][isolation]") {
  PoolFixture f;
  auto registry = f.registry();
  registry.isolate({1, 10});
  auto item = yes_no(registry).prepare(R"({"prompt":"p","answer":"yes"})");
  REQUIRE(item.ok());
  std::vector<std::uint64_t> seeds = {1, 2, 3, 4, 5};
  std::vector<std::string_view> responses = {R"({"answer":["yes"]})", R"({"answer":["no"]})",
                                             R"({"answer":["yes"],"note":"crash"})", R"({"answer":["yes"]})",
                                             R"({"answer":["no"]})"};
  std::vector<assay_credit> credits(5, assay_credit{0, 1});
  std::vector<assay_status> statuses(5, ASSAY_STATUS_INTERNAL);
  REQUIRE(item.value().score_batch(seeds, responses, credits, statuses) == ASSAY_STATUS_OK);
  CHECK(statuses ==
        std::vector<assay_status>{ASSAY_STATUS_OK, ASSAY_STATUS_OK, ASSAY_STATUS_INTERNAL, ASSAY_STATUS_OK, ASSAY_STATUS_OK});
  CHECK(credits[0].numerator == 1);
  CHECK(credits[1].numerator == 0);
  CHECK(credits[3].numerator == 1);
  auto why = item.value().score_verbose(3, responses[2]);
  REQUIRE_FALSE(why.ok());
  CHECK(why.error().status == ASSAY_STATUS_INTERNAL);
  CHECK_THAT(why.error().message, Contains("item type 'yes-no': score crashed its worker process (signal 11 (SIGSEGV))"));
  // The worker was replaced: the next call is answered.
  auto after = item.value().score_verbose(1, responses[0]);
  REQUIRE(after.ok());
  CHECK(after.value()[0].numerator == 1);
}

TEST_CASE("a call that hangs is stopped at the time limit, and the pool goes on", "[plugins][isolation]") {
  PoolFixture f;
  auto registry = f.registry();
  registry.isolate({1, 0.3});
  auto item = yes_no(registry).prepare(R"({"prompt":"p","answer":"no"})");
  REQUIRE(item.ok());
  auto hung = item.value().score_verbose(1, R"({"answer":["no"],"note":"hang"})");
  REQUIRE_FALSE(hung.ok());
  CHECK_THAT(hung.error().message, Contains("score did not return within 0.3 s; its worker process was stopped"));
  auto fine = item.value().score_verbose(1, R"({"answer":["no"]})");
  REQUIRE(fine.ok());
  CHECK(fine.value()[0].numerator == 1);
  SECTION("a batch in which the plugin hangs again and again is not waited for once per response") {
    std::vector<std::uint64_t> seeds = {1, 2, 3, 4, 5, 6};
    std::vector<std::string> texts = {R"({"answer":["no"]})"};
    for (int i = 1; i < 6; ++i) texts.push_back(fmt::format(R"({{"answer":["no"],"note":"hang {}"}})", i));
    std::vector<std::string_view> responses(texts.begin(), texts.end());
    std::vector<assay_credit> credits(6, assay_credit{0, 1});
    std::vector<assay_status> statuses(6, ASSAY_STATUS_OK);
    REQUIRE(item.value().score_batch(seeds, responses, credits, statuses) == ASSAY_STATUS_OK);
    CHECK(statuses[0] == ASSAY_STATUS_OK);
    for (std::size_t i = 1; i < 6; ++i) CHECK(statuses[i] == ASSAY_STATUS_INTERNAL);
    auto last = item.value().score_verbose(6, responses[5]);
    REQUIRE_FALSE(last.ok());
    CHECK_THAT(last.error().message, Contains("was not asked: it did not return on 3 responses before this one"));
  }
}

TEST_CASE("assay score: a plugin that crashes on one candidate's answer costs that item alone", "[plugins][isolation][cli]") {
  PoolFixture f;
  assay::test::StagingDir work;
  fs::path toml = work.path() / "assessment.toml";
  std::ofstream(toml) << assay::test::yes_no_assessment("fixture-crash", "practice", "fixture-crash-on-some",
                                                        {{"q1", "yes"}, {"q2", "no"}}, false);
  auto registry = f.registry();
  auto loaded = assay::model::try_load_and_prepare(toml, registry);
  REQUIRE(loaded.ok());
  fs::path attempts = work.path() / "attempts.jsonl", out = work.path() / "results.jsonl";
  {
    assay::FakeClock clock(assay::TimePoint(std::chrono::seconds(1'772'355'600)));
    std::ofstream a(attempts);
    for (int i = 1; i <= 4; ++i) {
      auto at =
          assay::delivery::start_attempt(loaded.value().assessment, fmt::format("a-{}", i), fmt::format("c-{}", i), i, clock);
      at.answers["q1"] = i == 2 ? R"({"answer":["yes"],"note":"crash"})" : R"({"answer":["yes"]})";
      at.answers["q2"] = R"({"answer":["no"]})";
      a << assay::delivery::to_json(at).dump() << '\n';
    }
  }
  auto cmd = fmt::format("'{}' --plugin-dir '{}' score '{}' --assessments '{}' -o '{}' > '{}' 2> '{}'", ASSAY_BINARY,
                         f.dir.path().string(), attempts.string(), work.path().string(), out.string(),
                         (work.path() / "stdout").string(), (work.path() / "stderr").string());
  int status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  std::ifstream err_file(work.path() / "stderr");
  std::string err((std::istreambuf_iterator<char>(err_file)), std::istreambuf_iterator<char>());
  CHECK_THAT(err, Contains("item 'q1': plugin type 'fixture-crash-on-some/yes-no' could not score the response (internal "
                           "error): item type 'yes-no': score crashed its worker process (signal 11 (SIGSEGV))"));
  CHECK_THAT(err, Contains("(1 response)"));
  std::ifstream results(out);
  int lines = 0, failed = 0, scored = 0;
  for (std::string line; std::getline(results, line); ++lines) {
    auto j = nlohmann::json::parse(line);
    for (const auto& item : j.at("items")) (item.at("status") == "failed" ? failed : scored) += 1;
  }
  CHECK(lines == 4);   // every candidate's result is written
  CHECK(failed == 1);  // the crash cost one item of one candidate
  CHECK(scored == 7);
}
