// GIFT and Moodle XML import (tests/fixtures/import): every question the engine can score as
// Moodle does is imported and earns, for its right answer and for wrong and partly right ones, the
// credit the file gives (worked out by reading the file, not by running the importer); the
// others are refused with their line and the construct that stopped them.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "assay/export.hpp"
#include "assay/import.hpp"
#include "assay/io.hpp"
#include "assay/model.hpp"
#include "assay/plugins.hpp"
#include "loaded_import.hpp"

using namespace assay;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Catch::Matchers::Contains;

namespace {

interchange::Imported bank() {
  auto text = io::try_read_file(fs::path(ASSAY_TEST_FIXTURES) / "import" / "bank.gift");
  REQUIRE(text.ok());
  return interchange::read_gift(text.value());
}

const interchange::ImportedItem& item(const interchange::Imported& in, const std::string& id) {
  for (const auto& i : in.items)
    if (i.id == id) return i;
  FAIL("no item " << id);
  throw 0;
}

/// The assessment imported from `gift` (a file under tests/fixtures/import), loaded as every
/// command loads one, and a scorer of one item's response.
struct Loaded : LoadedImport {
  explicit Loaded(const std::string& gift) {
    auto text = io::try_read_file(fs::path(ASSAY_TEST_FIXTURES) / "import" / gift);
    REQUIRE(text.ok());
    load(gift.ends_with(".xml") ? interchange::read_moodle_xml(text.value()) : interchange::read_gift(text.value()), gift);
  }
};

json choice_response(std::initializer_list<const char*> ids) {
  json a = json::array();
  for (const char* id : ids) a.push_back(id);
  return json{{"answer", a}};
}

json number(const char* v) { return json{{"answer", {{"value", v}}}}; }

}  // namespace

TEST_CASE("Moodle's own GIFT fixture imports whole and scores as Moodle scores it", "[import][gift]") {
  Loaded m("moodle/questions.gift.txt");
  REQUIRE(m.in.refused.empty());
  REQUIRE(m.la.assessment.items.size() == 9);
  CHECK(m.credit("q2", choice_response({"a"})) == "1/1");  // =yellow
  CHECK(m.credit("q2", choice_response({"b"})) == "0/1");
  CHECK(m.credit("colours", choice_response({"a", "c"})) == "1/1");  // 50 + 50
  CHECK(m.credit("colours", choice_response({"a"})) == "1/2");
  CHECK(m.credit("colours", choice_response({"a", "b"})) == "0/1");  // 50 - 100, kept at 0
  CHECK(m.credit("colours", choice_response({"a", "c", "d"})) == "0/1");
  CHECK(m.credit("q5", number("1")) == "1/1");  // 3:2
  CHECK(m.credit("q5", number("5")) == "1/1");
  CHECK(m.credit("q5", number("0.9")) == "0/1");
  CHECK(m.credit("shortanswer", {{"answer", "frog"}}) == "1/1");
  CHECK(m.credit("shortanswer", {{"answer", "Cat"}}) == "1/2");
  CHECK(m.credit("shortanswer", {{"answer", "dog"}}) == "0/1");  // the 0 % wildcard: feedback only
  CHECK(m.credit("q1", choice_response({"false"})) == "1/1");
  CHECK(m.credit("q1", choice_response({"true"})) == "0/1");
  CHECK(m.credit("moodle-activities", {{"answer", {{"l1", "r1"}, {"l2", "r2"}, {"l3", "r3"}, {"l4", "r4"}}}}) == "1/1");
  CHECK(m.credit("moodle-activities", {{"answer", {{"l1", "r1"}, {"l2", "r5"}, {"l3", "r5"}, {"l4", "r5"}}}}) == "1/4");
  CHECK(m.credit("q-2-08-tsl", choice_response({"true"})) == "1/1");
  CHECK(m.la.assessment.items[0].type == "core-items/extended-text");  // {}
  // Per-answer formats: [html] feedback and [plain] answers read as text.
  CHECK_THAT(m.la.assessment.items[2].explanation, Contains("\u201cblue\u201d: wrong, it's yellow"));
}

TEST_CASE("GIFT questions become items that score as Moodle scores them", "[import][gift]") {
  auto in = bank();
  fs::path dir = fs::temp_directory_path() / ("assay-gift-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path file = dir / "bank.toml";
  std::ofstream(file) << interchange::assessment_toml(in, "bank", "Bank", "bank.gift");
  static plugins::Registry registry = plugins::Registry::load({fs::path(ASSAY_TEST_PLUGIN_DIR)});
  auto loaded = model::try_load_and_prepare(file, registry);
  if (!loaded) FAIL(format_all(loaded.error()));
  const auto& a = loaded.value().assessment;
  REQUIRE(a.items.size() == 11);
  REQUIRE(a.sections.size() == 2);  // the two categories

  auto credit = [&](const std::string& id, const json& response) {
    auto index = a.item_index(id);
    REQUIRE(index >= 0);
    auto c = loaded.value().prepared[static_cast<std::size_t>(index)].score_verbose(1, response.dump());
    REQUIRE(c.ok());
    return reduced(c.value().at(0));
  };
  auto number = [](const char* v) { return json{{"answer", {{"value", v}}}}; };

  // {=ohm ~%33.33333%ohm per metre ~farad}
  CHECK(credit("ohm-unit", choice_response({"a"})) == "1/1");
  CHECK(credit("ohm-unit", choice_response({"b"})) == "3333333/10000000");
  CHECK(credit("ohm-unit", choice_response({"c"})) == "0/1");
  // {~%50%ampere ~%50%kilogram ~%-100%volt ~%-100%litre}: no '=', so several answers; the sum within 0..100 %
  CHECK(credit("base-units", choice_response({"a", "b"})) == "1/1");
  CHECK(credit("base-units", choice_response({"b"})) == "1/2");
  CHECK(credit("base-units", choice_response({"a", "c"})) == "0/1");
  CHECK(credit("base-units", choice_response({"a", "b", "d"})) == "0/1");
  // {#=5:0.1 =%50%0.005:0.0001}
  CHECK(credit("current", number("5.1")) == "1/1");
  CHECK(credit("current", number("4.9")) == "1/1");
  CHECK(credit("current", number("0.0051")) == "1/2");
  CHECK(credit("current", number("5.2")) == "0/1");
  // {#1..5}
  CHECK(credit("range", number("1")) == "1/1");
  CHECK(credit("range", number("5")) == "1/1");
  CHECK(credit("range", number("5.01")) == "0/1");
  // {T#...#...}
  CHECK(credit("tf", choice_response({"true"})) == "1/1");
  CHECK(credit("tf", choice_response({"false"})) == "0/1");
  // {=current -> ampere =charge -> coulomb =capacitance -> farad = -> henry}: henry is a distractor
  CHECK(credit("pairs", {{"answer", {{"l1", "r1"}, {"l2", "r2"}, {"l3", "r3"}}}}) == "1/1");
  CHECK(credit("pairs", {{"answer", {{"l1", "r1"}, {"l2", "r4"}, {"l3", "r4"}}}}) == "1/3");
  // A missing word: the blank stands where the answer block was.
  const auto& missing = item(in, "the-ohm-is-named-after-a-german-physicis");
  CHECK(missing.params["prompt"] == "The ohm is named after _____ a German physicist.");
  CHECK(credit("the-ohm-is-named-after-a-german-physicis", choice_response({"a"})) == "1/1");
  CHECK(credit("the-ohm-is-named-after-a-german-physicis", choice_response({"c"})) == "0/1");
  // [html]: text for people, the markup gone and the references decoded.
  CHECK(item(in, "h").params["prompt"] == "What does <PID> hold?");
  CHECK(credit("h", choice_response({"a"})) == "1/1");
  // Escapes: \: in the title, \~ \= inside an answer.
  CHECK(item(in, "escapes-all-six").title == "Escapes: all six");
  CHECK(item(in, "escapes-all-six").params["options"][0]["text"] == "a~b=c");
  CHECK(item(in, "escapes-all-six").params["prompt"] == "Which of these is written with GIFT's escapes { } = ~ # :?");
  CHECK(credit("escapes-all-six", choice_response({"a"})) == "1/1");
  // A negative credit counts 0 for the item.
  CHECK(credit("negative-only", choice_response({"b"})) == "0/1");
  // An essay is rated against the importer's three levels, worth one mark.
  const auto& essay = a.items[static_cast<std::size_t>(a.item_index("essay"))];
  CHECK(essay.type == "core-items/extended-text");
  REQUIRE(essay.criteria.size() == 1);
  CHECK(essay.criteria[0].levels.size() == 3);
  CHECK(essay.weight.to_string() == "0.5");
  CHECK(essay.explanation == "Take it out of service.");
  // Feedback per answer reaches the explanation.
  CHECK_THAT(item(in, "ohm-unit").explanation, Contains("\u201cfarad\u201d: No, capacitance"));
  fs::remove_all(dir);
}

TEST_CASE("GIFT questions the engine cannot score as Moodle does are refused with their line", "[import][gift]") {
  auto in = bank();
  REQUIRE(in.refused.size() == 3);
  CHECK(in.refused[0].line == 12);
  CHECK(in.refused[0].item == "Segment");
  CHECK_THAT(in.refused[0].why, Contains("wildcard"));
  CHECK(in.refused[1].line == 22);
  CHECK_THAT(in.refused[1].why, Contains("description"));
  CHECK(in.refused[2].line == 24);
  CHECK_THAT(in.refused[2].why, Contains("add up to 90 %"));

  auto one = [](const std::string& text) { return interchange::read_gift(text); };
  CHECK_THAT(one("Q{=a ~b").refused.at(0).why, Contains("never closed"));
  CHECK_THAT(one("::T::Q{=a}").items.at(0).type, Contains("text-entry"));
  CHECK_THAT(one("Q{#=5:1 =%50%5:3 =%25%4..6}").items.at(0).params.dump(), Contains("\"partial\""));
  CHECK_THAT(one("Q{#=%50%5:3 =5:1}").refused.at(0).why, Contains("overlap"));
  CHECK_THAT(one("Q{~%50%a ~%50%b ~%25%c}").refused.at(0).why, Contains("add up to 125"));
  CHECK_THAT(one("Q{~a ~b}").refused.at(0).why, Contains("no answer worth more than 0"));
  CHECK_THAT(one("Q\xff{=a}").refused.at(0).why, Contains("not UTF-8"));
  CHECK_THAT(one("::T::[html]<img src=x> Q{=a ~b}").refused.at(0).why, Contains("image"));
  CHECK(one("// only a comment\n\n   \n").items.empty());
  CHECK(one("Q{=%50%half =full}").items.at(0).params["accepted"].dump() == R"([{"credit":"50","text":"half"},"full"])");
}

TEST_CASE("HTML becomes text for people", "[import]") {
  CHECK(interchange::html_to_text("<p>One &amp; two</p><p>Three<br/>four</p>") == "One & two\n\nThree\nfour");
  CHECK(interchange::html_to_text("<ul><li>a</li><li>b</li></ul>") == "- a\n- b");
  CHECK(interchange::html_to_text("x &lt;script&gt; &#233;&#x263A; &nbsp;y") == "x <script> \u00e9\u263a y");
  CHECK(interchange::html_to_text("<script>alert(1)</script>ok") == "alert(1)ok");   // tags never survive
  CHECK(interchange::html_to_text("a &#0; b &#xD800; c") == "a &#0; b &#xD800; c");  // no NUL, no surrogate
}

TEST_CASE("Moodle XML questions become items that score as Moodle scores them, with their marks", "[import][moodle-xml]") {
  Loaded m("bank.xml");
  REQUIRE(m.la.assessment.items.size() == 8);
  REQUIRE(m.in.refused.size() == 2);
  CHECK(m.in.refused[0].line == 63);
  CHECK_THAT(m.in.refused[0].why, Contains("description"));
  CHECK_THAT(m.in.refused[1].why, Contains("'multianswer'"));
  // A picture embedded in the question text comes with it.
  const auto& photo = m.la.assessment.items[static_cast<std::size_t>(m.la.assessment.item_index("pump-photo"))];
  REQUIRE(photo.figures.size() == 1);
  CHECK(photo.figures[0].bytes == std::string("\x89PNG\r\n\x1a\n", 8));
  CHECK(m.credit("pump-photo", choice_response({"a"})) == "1/1");
  const auto& items = m.la.assessment.items;
  // fraction 100 / 33.33333 / -50; defaultgrade 2; shuffleanswers false; HTML to text.
  CHECK(m.credit("leakage-unit", choice_response({"a"})) == "1/1");
  CHECK(m.credit("leakage-unit", choice_response({"b"})) == "3333333/10000000");
  CHECK(m.credit("leakage-unit", choice_response({"c"})) == "0/1");
  CHECK(items[0].weight.to_string() == "2");
  CHECK(items[0].params_json.find("\"shuffle\":false") != std::string::npos);
  CHECK(item(m.in, "leakage-unit").params["prompt"] == "In which unit is touch current reported?");
  CHECK_THAT(items[0].explanation, Contains("\u201c\u03a9\u201d: No, that is resistance."));
  // <single>false</single>: the fractions summed within 0..100 %.
  CHECK(m.credit("alarm-checks", choice_response({"a", "b"})) == "1/1");
  CHECK(m.credit("alarm-checks", choice_response({"b"})) == "1/2");
  CHECK(m.credit("alarm-checks", choice_response({"a", "c"})) == "0/1");
  CHECK(m.credit("return-after-a-failed-test", choice_response({"false"})) == "1/1");
  CHECK(m.credit("return-after-a-failed-test", choice_response({"true"})) == "0/1");
  // <usecase>1</usecase>: case counts.
  CHECK(m.credit("segment", {{"answer", "PID"}}) == "1/1");
  CHECK(m.credit("segment", {{"answer", "pid"}}) == "0/1");
  CHECK(m.credit("segment", {{"answer", "PD1"}}) == "1/4");
  // <tolerance>; the "*" answer carries feedback only.
  CHECK(m.credit("current", number("5.1")) == "1/1");
  CHECK(m.credit("current", number("0.00495")) == "1/2");
  CHECK(m.credit("current", number("7")) == "0/1");
  CHECK(m.credit("units", {{"answer", {{"l1", "r1"}, {"l2", "r3"}}}}) == "1/2");
  // An essay: two points at half its three marks, the grader information in every level.
  const auto& essay = items[static_cast<std::size_t>(m.la.assessment.item_index("incident-note"))];
  CHECK(essay.weight.to_string() == "1.5");
  CHECK_THAT(essay.criteria[0].levels[0].descriptor, Contains("What failed, when, who was told."));
}

TEST_CASE("Moodle's own Moodle XML fixture imports whole, its nested categories as sections", "[import][moodle-xml]") {
  Loaded m("moodle/nested_categories_with_questions.xml");
  REQUIRE(m.in.refused.empty());
  REQUIRE(m.la.assessment.items.size() == 5);
  REQUIRE(m.in.sections.size() == 4);  // Iota, Kappa, Lambda, Mu: the last part of each path
  CHECK(m.in.sections[2].title == "Lambda");
  for (const char* id : {"iota-question", "kappa-question", "lambda-question", "mu-question"}) {
    CAPTURE(id);
    CHECK(m.credit(id, choice_response({"true"})) == "1/1");  // fraction 100
    CHECK(m.credit(id, choice_response({"false"})) == "0/1");
  }
  CHECK(item(m.in, "kappa-essay-question").type == "core-items/extended-text");
  CHECK(item(m.in, "kappa-essay-question").section == "kappa");
}

TEST_CASE("Moodle XML that is not well formed, or not a question file, is refused whole", "[import][moodle-xml]") {
  CHECK_THAT(interchange::read_moodle_xml("<quiz><question type=\"truefalse\">").refused.at(0).why,
             Contains("not well-formed XML"));
  CHECK_THAT(interchange::read_moodle_xml("<html/>").refused.at(0).why, Contains("root element is not <quiz>"));
  // A DTD's entities are not expanded: the classic expansion bomb reads as an unknown entity.
  auto bomb = interchange::read_moodle_xml(
      "<!DOCTYPE quiz [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
      "<quiz><question type=\"shortanswer\"><name><text>&b;</text></name><questiontext><text>Q</text></questiontext>"
      "<answer fraction=\"100\"><text>x</text></answer></question></quiz>");
  REQUIRE(bomb.items.size() == 1);
  CHECK(bomb.items[0].title.find("aaaaaaaaaa") == std::string::npos);
}

TEST_CASE("an assessment exported as Moodle XML imports back to the same items and credits", "[import][export]") {
  Loaded first("bank.gift");
  auto exported = interchange::moodle_xml(first.la.assessment);
  REQUIRE(exported.refused.empty());
  auto again = interchange::read_moodle_xml(exported.text);
  REQUIRE(again.refused.empty());
  REQUIRE(again.items.size() == first.in.items.size());
  for (std::size_t i = 0; i < again.items.size(); ++i) {
    const auto& a = first.in.items[i];
    const auto& b = again.items[i];
    CAPTURE(a.id);
    CHECK(b.id == a.id);
    CHECK(b.type == a.type);
    CHECK(b.params == a.params);
    CHECK(b.weight == a.weight);
    CHECK(b.points == a.points);
    CHECK(b.explanation == a.explanation);
    REQUIRE(b.levels.size() == a.levels.size());
    for (std::size_t k = 0; k < a.levels.size(); ++k) {
      CHECK(b.levels[k].name == a.levels[k].name);
      CHECK(b.levels[k].points == a.levels[k].points);
      CHECK(b.levels[k].descriptor == a.levels[k].descriptor);
    }
  }
  CHECK(again.sections.size() == first.in.sections.size());
}

TEST_CASE("export leaves out, by name, what another platform could not score the same way", "[import][export]") {
  static plugins::Registry registry = plugins::Registry::load({fs::path(ASSAY_TEST_PLUGIN_DIR)});
  auto loaded = model::try_load_and_prepare(
      fs::path(ASSAY_SOURCE_DIR) / "assessments" / "cybersecurity-analyst" / "screening.toml", registry);
  REQUIRE(loaded.ok());
  auto exported = interchange::moodle_xml(loaded.value().assessment);
  std::size_t plugin_items = 0, refused_plugin = 0;
  for (const auto& item : loaded.value().assessment.items) plugin_items += item.type.rfind("core-items/", 0) == 0 ? 0 : 1;
  for (const auto& r : exported.refused) refused_plugin += r.why.find("comes from a plugin") != std::string::npos ? 1 : 0;
  CHECK(plugin_items > 0);
  CHECK(refused_plugin == plugin_items);
  // What is exported reads back.
  auto back = interchange::read_moodle_xml(exported.text);
  CHECK(back.refused.empty());
  CHECK(back.items.size() + exported.refused.size() == loaded.value().assessment.items.size());
}
