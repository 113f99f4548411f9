#include "assay/take.hpp"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "assay/scoring.hpp"
#include "core/test_support.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

using assay::test::test_plugins;

using assay::test::at;

const assay::model::LoadedAssessment& practice() {
  static const auto loaded = [] {
    auto l =
        assay::model::try_load_and_prepare(fs::path(ASSAY_TEST_FIXTURES) / "assessments" / "take-practice.toml", test_plugins());
    if (!l) FAIL(assay::format_all(l.error()));
    return std::move(l.value());
  }();
  return loaded;
}

/// A clock that moves on by `step` at every read: time passes while the learner types.
class TickingClock : public assay::Clock {
 public:
  TickingClock(assay::TimePoint start, std::chrono::seconds step) : now_(start), step_(step) {}
  assay::TimePoint now() const override {
    auto t = now_;
    now_ += step_;
    return t;
  }

 private:
  mutable assay::TimePoint now_;
  std::chrono::seconds step_;
};

struct TakeFixture {
  fs::path dir;
  TakeFixture() {
    dir = fs::temp_directory_path() / ("assay-take-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
  }
  ~TakeFixture() { fs::remove_all(dir); }
  static inline int counter = 0;

  assay::take::Session session(assay::take::Mode mode, const assay::Clock& clock) const {
    assay::take::Session s;
    s.attempt = assay::delivery::start_attempt(practice().assessment, "take-1", "learner", 42, clock);
    s.attempt.mode = "practice";
    if (mode == assay::take::Mode::kPractice) s.attempt.deadline.reset();
    s.assessment_path = practice().assessment.path;
    s.mode = mode;
    return s;
  }
};

/// The letters that put the order item right: its options are shuffled with the item seed.
std::string order_letters(std::uint64_t attempt_seed) {
  const auto& a = practice();
  auto index = static_cast<std::size_t>(a.assessment.item_index("order"));
  auto seed = assay_item_seed(attempt_seed, "order", 5);
  auto shown = json::parse(a.prepared[index].present(seed).value());
  auto solved = json::parse(a.prepared[index].solve(seed).value());
  const auto& options = shown["interactions"][0]["options"];
  std::string out;
  for (const auto& id : solved["answer"]) {
    for (std::size_t i = 0; i < options.size(); ++i)
      if (options[i]["id"] == id) out += std::string(out.empty() ? "" : " ") + static_cast<char>('A' + i);
  }
  return out;
}

/// Every item of the fixture answered right, in form order (the section does not shuffle).
std::string all_right(std::uint64_t attempt_seed) {
  return "A\n"        // single: ohm
         "A C\n"      // multiple: ampere, kelvin
         "5 mA\n"     // numeric
         "hertz\n" +  // text
         order_letters(attempt_seed) +
         "\n" +
         "1A 2B\n"                                                            // match
         "I isolate the device, tag it out of service\nand report it.\n.\n";  // essay
}

}  // namespace

TEST_CASE("a practice attempt gives feedback after each item and saves the same result scoring gives", "[take]") {
  TakeFixture f;
  assay::FakeClock clock(at("2026-03-02T09:00:00Z"));
  std::istringstream in(all_right(42) + "s\n");
  std::ostringstream out;
  auto done = assay::take::run(practice(), f.session(assay::take::Mode::kPractice, clock),
                               {assay::take::Mode::kPractice, f.dir, false}, in, out, clock);
  REQUIRE(done.ok());
  REQUIRE(done->submitted);
  const std::string screen = out.str();
  CHECK_THAT(screen, Contains("correct: 1 of 1 point"));
  // The verdict is said once per item: the plugin's own "correct: " is not repeated below it.
  CHECK_THAT(screen, Contains("correct: 1 of 1 point\n  \"ohm\" is the right option"));
  CHECK_THAT(screen, !Contains("correct: \"ohm\""));
  CHECK_THAT(screen, Contains("  your answer: ohm\n"));
  CHECK_THAT(screen, Contains("why: The ohm is the SI unit of electrical resistance."));
  CHECK_THAT(screen, Contains("source: SI Brochure, 9th edition (BIPM 2019), table 4"));
  CHECK_THAT(screen, Contains("a rater scores the written part of this item"));
  CHECK_THAT(screen, Contains("pending: a rater has yet to score a written answer"));

  // The saved attempt rescored from disk gives byte for byte the saved result.
  auto saved = assay::io::try_read_file(done->attempt_file);
  REQUIRE(saved.ok());
  auto session = assay::take::try_session_from_json(json::parse(saved.value()));
  REQUIRE(session.ok());
  REQUIRE(session->attempt.answers.size() == 7);
  REQUIRE(session->attempt.submitted.has_value());
  auto rescored = assay::scoring::to_json(assay::scoring::score_attempt(practice(), session->attempt));
  auto result_text = assay::io::try_read_file(done->result_file);
  REQUIRE(result_text.ok());
  REQUIRE(json::parse(result_text.value()) == rescored);
  REQUIRE(rescored["outcome"] == "pending");
  REQUIRE(rescored["points"] == "7");
}

TEST_CASE("bad input at a prompt is explained and asked again without losing answers", "[take]") {
  TakeFixture f;
  assay::FakeClock clock(at("2026-03-02T09:00:00Z"));
  std::istringstream in(
      "Q\nA B\nA\n"             // single: a bad letter, two letters, then A
      "A A\n-\nA C\n"           // multiple: a repeated letter, none where one is needed, then A C
      "five\n5 parsec\n5 mA\n"  // numeric: not a number, an unknown unit, then right
      "?\nhertz\n"              // text: help, then the answer
      "A B\n" +
      order_letters(42) +
      "\n"                  // order: too few, then all
      "1Z\n1A 1B\n1A 2B\n"  // match: no such letter, a number twice, then right
      "fine\n.\n"           // essay
      "s\n");
  std::ostringstream out;
  auto done = assay::take::run(practice(), f.session(assay::take::Mode::kPractice, clock),
                               {assay::take::Mode::kPractice, f.dir, false}, in, out, clock);
  REQUIRE(done.ok());
  REQUIRE(done->submitted);
  const std::string screen = out.str();
  CHECK_THAT(screen, Contains("'Q' is not one of the letters A to C"));
  CHECK_THAT(screen, Contains("choose exactly one letter"));
  CHECK_THAT(screen, Contains("each letter may appear only once"));
  CHECK_THAT(screen, Contains("this question needs at least one letter: '-' (none) is not an answer here"));
  CHECK_THAT(screen, Contains("found \"five\""));
  CHECK_THAT(screen, Contains("'parsec' cannot be converted to any of mA, A, uA"));
  CHECK_THAT(screen, Contains("commands at any prompt"));
  CHECK_THAT(screen, Contains("give all 3 letters, A to C, in your order"));
  CHECK_THAT(screen, Contains("'1Z': there is no letter Z"));
  CHECK_THAT(screen, Contains("number 1 is matched twice"));
  REQUIRE(done->result.has_value());
  REQUIRE(done->result->points == assay::Fraction(7));
}

TEST_CASE("an answer line longer than the bound is refused and asked again", "[take][bounds]") {
  TakeFixture f;
  assay::FakeClock clock(at("2026-03-02T09:00:00Z"));
  std::istringstream in("A\nA C\n5 mA\n" + std::string(70'000, 'h') + "\nhertz\n" + order_letters(42) + "\n1A 2B\nfine\n.\ns\n");
  std::ostringstream out;
  auto done = assay::take::run(practice(), f.session(assay::take::Mode::kPractice, clock),
                               {assay::take::Mode::kPractice, f.dir, false}, in, out, clock);
  REQUIRE(done.ok());
  REQUIRE(done->submitted);
  CHECK_THAT(out.str(), Contains("that line is 70000 bytes long; an answer line takes at most 65536: type it again"));
  CHECK(out.str().find(std::string(100, 'h')) == std::string::npos);  // never echoed
  REQUIRE(done->result.has_value());
  CHECK(done->result->points == assay::Fraction(7));  // as in the test above: the long line cost nothing
}

TEST_CASE("an exam submits the saved answers at the deadline without waiting", "[take][exam]") {
  TakeFixture f;
  // Four minutes pass at every read of the clock: the 10-minute limit runs out mid-way.
  TickingClock clock(at("2026-03-02T09:00:00Z"), std::chrono::minutes(4));
  auto session = f.session(assay::take::Mode::kExam, clock);
  REQUIRE(session.attempt.deadline.has_value());
  auto deadline = *session.attempt.deadline;
  std::istringstream in(all_right(42));
  std::ostringstream out;
  auto done = assay::take::run(practice(), std::move(session), {assay::take::Mode::kExam, f.dir, false}, in, out, clock);
  REQUIRE(done.ok());
  REQUIRE(done->submitted);
  CHECK_THAT(out.str(), Contains("time is up: your saved answers are submitted"));
  CHECK_THAT(out.str(), !Contains("correct: 1 of"));  // no feedback in an exam
  auto saved = assay::take::try_session_from_json(json::parse(assay::io::try_read_file(done->attempt_file).value()));
  REQUIRE(saved.ok());
  REQUIRE(saved->attempt.submitted == deadline);
  REQUIRE(saved->attempt.answers.size() < 7);
  REQUIRE(done->result->outcome == assay::scoring::Outcome::kFail);
}

TEST_CASE("an exam shows a saved answer as the options' texts and the keys typed, and '>' keeps it", "[take][exam]") {
  TakeFixture f;
  assay::FakeClock clock(at("2026-03-02T09:00:00Z"));
  // Item 1, item 2 (C A: kelvin then ampere, the fixture does not shuffle), back from item 3 to
  // item 2, keep it, then leave at item 3.
  std::istringstream in("A\nC A\n<\n>\n:quit\n");
  std::ostringstream out;
  auto done = assay::take::run(practice(), f.session(assay::take::Mode::kExam, clock), {assay::take::Mode::kExam, f.dir, false},
                               in, out, clock);
  REQUIRE(done.ok());
  CHECK_THAT(out.str(), Contains("your saved answer: kelvin; ampere\n    (typed: C A; '>' keeps it)"));
  auto saved = assay::take::try_session_from_json(json::parse(assay::io::try_read_file(done->attempt_file).value()));
  REQUIRE(saved.ok());
  REQUIRE(json::parse(saved->attempt.answers.at("multiple")) == json::parse(R"({"answer": ["kelvin", "ampere"]})"));
}

TEST_CASE("an interrupted attempt resumes where it stopped", "[take][resume]") {
  TakeFixture f;
  assay::FakeClock clock(at("2026-03-02T09:00:00Z"));
  std::istringstream first("A\nA C\n");  // then the terminal closes
  std::ostringstream out;
  auto stopped = assay::take::run(practice(), f.session(assay::take::Mode::kPractice, clock),
                                  {assay::take::Mode::kPractice, f.dir, false}, first, out, clock);
  REQUIRE(stopped.ok());
  REQUIRE_FALSE(stopped->submitted);
  CHECK_THAT(out.str(), Contains("'assay take --resume fixture-take' continues"));
  auto open = assay::take::newest_open_session(f.dir);
  REQUIRE(open.has_value());
  auto session = assay::take::try_session_from_json(json::parse(assay::io::try_read_file(*open).value()));
  REQUIRE(session.ok());
  REQUIRE(session->position == 2);
  REQUIRE(session->attempt.answers.size() == 2);

  std::istringstream rest("5 mA\nhertz\n" + order_letters(42) + "\n1A 2B\nok\n.\ns\n");
  std::ostringstream out2;
  auto done =
      assay::take::run(practice(), std::move(session.value()), {assay::take::Mode::kPractice, f.dir, false}, rest, out2, clock);
  REQUIRE(done.ok());
  REQUIRE(done->submitted);
  REQUIRE(done->result->points == assay::Fraction(7));
  REQUIRE_FALSE(assay::take::newest_open_session(f.dir).has_value());
  CHECK_THAT(assay::take::history(f.dir, false), Contains("Fixture: every interaction"));
}

TEST_CASE("the history shows each competency's trend from the oldest attempt to the newest", "[take][history]") {
  TakeFixture f;
  auto take = [&](const char* when, const char* id, const std::string& answers) {
    assay::FakeClock clock(at(when));
    auto session = f.session(assay::take::Mode::kPractice, clock);
    session.attempt.attempt_id = id;
    std::istringstream in(answers + "s\n");
    std::ostringstream out;
    auto done = assay::take::run(practice(), std::move(session), {assay::take::Mode::kPractice, f.dir, false}, in, out, clock);
    REQUIRE(done.ok());
    REQUIRE(done->submitted);
  };
  // The newer attempt is taken first and named first: the history orders by submission time.
  take("2026-03-03T09:00:00Z", "take-a", all_right(42));
  // SI units holds single (1 point), multiple (2), number (1), text (1) and match (1): a wrong
  // single leaves 5 of 6, 83.3%.
  take("2026-03-02T09:00:00Z", "take-z", "B\n" + all_right(42).substr(2));
  const std::string shown = assay::take::history(f.dir, false);
  CAPTURE(shown);
  REQUIRE_THAT(shown, Contains("  2026-03-02T09:00:00Z"));
  REQUIRE(shown.find("2026-03-02T09:00:00Z") < shown.find("2026-03-03T09:00:00Z"));
  REQUIRE_THAT(shown, Contains(fmt::format("    {:<34} {}\n", "SI units", "83.3% → 100.0%")));
}

TEST_CASE("the history keeps drills of one competency apart from full attempts", "[take][history]") {
  TakeFixture f;
  {
    assay::FakeClock clock(at("2026-03-02T09:00:00Z"));
    std::istringstream in(all_right(42) + "s\n");
    std::ostringstream out;
    auto done = assay::take::run(practice(), f.session(assay::take::Mode::kPractice, clock),
                                 {assay::take::Mode::kPractice, f.dir, false}, in, out, clock);
    REQUIRE(done.ok());
  }
  {
    // A drill of 'practice' (Safe practice) alone, every item wrong: a full attempt's trend must
    // not read it as the assessment falling to 0%.
    assay::FakeClock clock(at("2026-03-03T09:00:00Z"));
    auto session = f.session(assay::take::Mode::kPractice, clock);
    session.attempt.attempt_id = "take-drill";
    session.competency = "practice";
    auto& items = session.attempt.form.items;
    std::erase_if(items, [](const auto& fi) { return practice().assessment.find_item(fi.item_id)->competency != "practice"; });
    REQUIRE(!items.empty());
    std::string answers;
    for (std::size_t i = 0; i < items.size(); ++i) answers += ">\n";
    std::istringstream in(answers + "s\ny\n");
    std::ostringstream out;
    auto done = assay::take::run(practice(), std::move(session), {assay::take::Mode::kPractice, f.dir, false}, in, out, clock);
    REQUIRE(done.ok());
    REQUIRE(done->submitted);
    CHECK_THAT(out.str(), Contains("drill: Safe practice"));
  }
  const std::string shown = assay::take::history(f.dir, false);
  CAPTURE(shown);
  auto full = shown.find("  full attempts\n");
  auto drills = shown.find("  drills of Safe practice\n");
  REQUIRE(full != std::string::npos);
  REQUIRE(drills != std::string::npos);
  REQUIRE(full < drills);
  // The full attempt's trend has one point per competency; the drill's 0% is under the drill.
  REQUIRE(shown.substr(full, drills - full).find("2026-03-03") == std::string::npos);
  REQUIRE(shown.substr(drills).find("2026-03-03T09:00:00Z") != std::string::npos);
  REQUIRE(shown.substr(full, drills - full).find("→") == std::string::npos);
}

TEST_CASE("what to study lists each source once, under the weakest competency that needs it", "[take][end-screen]") {
  TakeFixture f;
  fs::create_directories(f.dir);
  const std::string item = R"(
[[item]]
id = "ID"
section = "s"
competency = "COMP"
type = "core-items/single-choice"
source = "SOURCE"
[item.params]
prompt = "Pick x"
options = [ { id = "x", text = "X" }, { id = "y", text = "Y" } ]
correct = "x"
[[item.criteria]]
id = "correct"
points = 1
)";
  auto make = [&](const char* id, const char* comp, const char* source) {
    std::string s = item;
    s.replace(s.find("ID"), 2, id);
    s.replace(s.find("COMP"), 4, comp);
    s.replace(s.find("SOURCE"), 6, source);
    return s;
  };
  std::string toml = R"(schema = 1
[assessment]
id = "study"
title = "Study"
version = "1"
kind = "practice"
requires = { core-items = ">=1.0" }
[outcome]
pass_percent = 50
[[competency]]
id = "a"
title = "Alpha"
[[competency]]
id = "b"
title = "Beta"
[[section]]
id = "s"
title = "S"
)" + make("a1", "a", "IEC 62353:2014") +
                     make("b1", "b", "IEC 62353:2014") + make("b2", "b", "21 CFR 803.30");
  std::ofstream(f.dir / "study.toml") << toml;
  auto loaded = assay::model::try_load_and_prepare(f.dir / "study.toml", test_plugins());
  REQUIRE(loaded.ok());
  assay::scoring::ScoreResult r;
  r.outcome = assay::scoring::Outcome::kFail;
  for (const char* id : {"a1", "b1", "b2"}) {
    assay::scoring::ItemResult ir;
    ir.id = id;
    ir.competency = std::string(id).substr(0, 1);
    ir.max = assay::Fraction(1);  // missed: 0 of 1
    r.items.push_back(ir);
  }
  r.competencies = {{"a", "Alpha", 0, 1, 0, {}}, {"b", "Beta", 0, 2, 0, {}}};
  std::string screen = assay::take::end_screen(*loaded, r, false);
  auto study = screen.substr(screen.find("what to study"));
  study = study.substr(0, study.find("review of the items"));
  CAPTURE(study);
  auto first = study.find("IEC 62353:2014");
  REQUIRE(first != std::string::npos);
  CHECK(study.find("IEC 62353:2014", first + 1) == std::string::npos);  // once, not under Beta again
  CHECK_THAT(study, Contains("21 CFR 803.30"));
  CHECK(study.find("Alpha") < first);
}
