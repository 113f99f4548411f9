// `assay score` as a library call: bad lines, digest mismatches, overlays, atomic outputs.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"

using namespace assay;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const fs::path kScreening = fs::path(ASSAY_TEST_FIXTURES) / "assessments" / "scoring-screening.toml";

struct Batch {
  fs::path dir;
  plugins::Registry registry = plugins::Registry::load({fs::path(ASSAY_TEST_PLUGIN_DIR)});
  model::Assessment assessment;
  Batch() {
    dir = fs::temp_directory_path() / ("assay-batch-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "assessments");
    fs::copy_file(kScreening, dir / "assessments" / "scoring-screening.toml");
    auto a = model::try_load_assessment(dir / "assessments" / "scoring-screening.toml");
    REQUIRE(a.ok());
    assessment = a.value();
  }
  ~Batch() { fs::remove_all(dir); }

  std::string line(const std::string& id, const std::string& sha, bool rated = true) const {
    delivery::Attempt at;
    at.attempt_id = id;
    at.candidate_id = "c-" + id;
    at.assessment_id = assessment.id;
    at.assessment_version = assessment.version;
    at.assessment_sha256 = sha;
    at.seed = 1;
    at.form = delivery::draw_form(assessment, 1);
    at.answers = {{"unit-resistance", R"({"answer":["a"]})"},
                  {"unit-capacitance", R"({"answer":["c"]})"},
                  {"ohm-current", R"({"answer":{"value":"5","unit":"mA"}})"},
                  {"incident-report", R"({"answer":"told the team"})"}};
    if (rated) at.ratings["incident-report"]["quality"] = "partial";
    return delivery::to_json(at).dump();
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(dir / name, std::ios::binary) << text; }
  std::string read(const std::string& name) const {
    std::ifstream in(dir / name, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  scoring::BatchOptions options() const {
    scoring::BatchOptions o;
    o.attempts = dir / "attempts.jsonl";
    o.out = dir / "results.jsonl";
    o.csv = dir / "summary.csv";
    o.assessment_dirs = {dir / "assessments"};
    return o;
  }
};

std::vector<json> results(const std::string& text) {
  std::vector<json> out;
  for (const auto& l : io::split_lines(text)) out.push_back(json::parse(l.text));
  return out;
}

}  // namespace

TEST_CASE("a batch reports each bad line with its number and scores the rest", "[scoring][batch]") {
  Batch b;
  std::string wrong_sha(64, '0');
  std::string file = (b.dir / "attempts.jsonl").string();
  b.write("attempts.jsonl", b.line("good-1", b.assessment.sha256) + "\n" + "{not json\n" + b.line("changed", wrong_sha) + "\n" +
                                "\n" + R"({"attempt": 1})" + "\n" + b.line("good-2", b.assessment.sha256, false) + "\n" +
                                b.line("good-1", b.assessment.sha256) + "\n");
  std::ostringstream err;
  auto s = scoring::run_batch(b.options(), b.registry, err);
  CHECK(s.lines == 6);
  CHECK(s.scored == 2);
  CHECK(s.rejected == 4);
  CHECK(s.pass == 1);
  CHECK(s.pending == 1);
  CHECK(s.input_problems);
  std::string e = err.str();
  // The column is the byte where the parser gave up: the "o" that turns "n" into no literal.
  CHECK_THAT(e, Catch::Contains(file + ":2:3: error: invalid JSON: "));
  CHECK_THAT(e, Catch::Contains(file +
                                ":3:1: error: attempt 'changed': assessment 'scoring-screening' version "
                                "'2026.1' has changed since the attempt was delivered: the attempt records "
                                "sha256 " +
                                wrong_sha + ", " + (b.dir / "assessments" / "scoring-screening.toml").string() + " has " +
                                b.assessment.sha256 +
                                "\n  hint: score against the assessment as it was delivered, or pass "
                                "--accept-changed to score with the current file\n"));
  CHECK_THAT(e, Catch::Contains(file + ":5:1: error: invalid attempt: attempt_id: missing; candidate_id: missing; "
                                       "assessment: missing; seed: missing; form: missing\n"));
  CHECK_THAT(e, Catch::Contains(file + ":7:1: error: attempt 'good-1' already appears on line 1; the repeat is "
                                       "skipped\n"));
  auto rs = results(b.read("results.jsonl"));
  REQUIRE(rs.size() == 2);
  CHECK(rs[0]["attempt_id"] == "good-1");
  CHECK(rs[0]["points"] == "7");  // 1 + 0 + 4 + partial 2
  CHECK(rs[1]["attempt_id"] == "good-2");
  CHECK(rs[1]["outcome"] == "pending");

  SECTION("--accept-changed scores the changed line with the current file") {
    auto o = b.options();
    o.accept_changed = true;
    std::ostringstream err2;
    auto s2 = scoring::run_batch(o, b.registry, err2);
    CHECK(s2.scored == 3);
    auto rs2 = results(b.read("results.jsonl"));
    CHECK(rs2[1]["attempt_id"] == "changed");
    CHECK(rs2[1]["assessment"]["sha256"] == wrong_sha);  // the result records what was delivered
  }
}

TEST_CASE("a batch takes ratings and exclusions from files", "[scoring][batch][ratings][exclusions]") {
  Batch b;
  b.write("attempts.jsonl", b.line("a", b.assessment.sha256, false) + "\n" + b.line("b", b.assessment.sha256, false) + "\n");
  b.write("ratings.jsonl", R"({"attempt_id": "a", "ratings": {"incident-report": {"quality": "complete"}}})"
                           "\n"
                           R"({"attempt_id": "zzz", "ratings": {}})"
                           "\n");
  b.write("exclusions.jsonl", R"({"item": "unit-capacitance", "reason": "two options were correct"})"
                              "\n");
  auto o = b.options();
  o.ratings_file = b.dir / "ratings.jsonl";
  o.exclusions_file = b.dir / "exclusions.jsonl";
  std::ostringstream err;
  auto s = scoring::run_batch(o, b.registry, err);
  CHECK(s.scored == 2);
  CHECK(err.str() == (b.dir / "ratings.jsonl").string() + ":2:1: error: ratings for attempt 'zzz', which is not in " +
                         (b.dir / "attempts.jsonl").string() + "\n");
  auto rs = results(b.read("results.jsonl"));
  CHECK(rs[0]["outcome"] == "pass");
  CHECK(rs[0]["points"] == "9");  // 1 + 4 + 4; capacitance excluded
  CHECK(rs[0]["max"] == "9");
  CHECK(rs[0]["excluded"][0]["item"] == "unit-capacitance");
  CHECK(rs[1]["outcome"] == "pending");

  std::string csv = b.read("summary.csv");
  CHECK(csv.rfind("\xEF\xBB\xBF"
                  "candidate_id,attempt_id,assessment_id,assessment_version,outcome,level,points,max,"
                  "percent,units %,ohms-law %,reporting %,reasons\r\n"
                  "c-a,a,scoring-screening,2026.1,pass,Proficient,9.00,9.00,100.0,100.0,100.0,100.0,\r\n",
                  0) == 0);
}

TEST_CASE("a batch whose attempts file is missing writes nothing", "[scoring][batch]") {
  Batch b;
  std::ostringstream err;
  auto s = scoring::run_batch(b.options(), b.registry, err);
  CHECK(s.io_failed);
  CHECK(err.str() == (b.dir / "attempts.jsonl").string() + ": error: cannot read: No such file or directory\n");
  CHECK_FALSE(fs::exists(b.dir / "results.jsonl"));
}

TEST_CASE("a broken draft beside the delivered file is reported once, by file, and the good file is scored", "[scoring][batch]") {
  Batch b;
  // The draft: the same id and version, one params mistake the schema finds.
  std::string text = b.read("assessments/scoring-screening.toml");
  auto at = text.find("[item.params]\n");
  REQUIRE(at != std::string::npos);
  text.insert(at + std::string("[item.params]\n").size(), "tolerence = 0.1\n");
  b.write("assessments/scoring-screening-draft.toml", text);
  std::string lines;
  for (int i = 0; i < 5; ++i) lines += b.line("c" + std::to_string(i), b.assessment.sha256) + "\n";
  b.write("attempts.jsonl", lines);
  std::ostringstream err;
  auto s = scoring::run_batch(b.options(), b.registry, err);
  CHECK(s.scored == 5);
  CHECK(s.rejected == 0);
  std::string e = err.str();
  INFO(e);
  const std::string draft = (b.dir / "assessments" / "scoring-screening-draft.toml").string();
  CHECK_THAT(e, Catch::Contains(draft +
                                ": warning: assessment 'scoring-screening' version '2026.1' is also defined here, "
                                "but this file has 1 error: it is ignored, and " +
                                (b.dir / "assessments" / "scoring-screening.toml").string() + " is scored"));
  CHECK(e.find(draft + ": warning") == e.rfind(draft + ": warning"));  // once, not once per line
  CHECK(e.find("more than one file") == std::string::npos);
}
