// QTI import and export (tests/fixtures/import/qti, README.md there names each file's origin):
// every item the engine can score as the item's response processing does earns, for its correct
// response and for wrong and partly right ones, the SCORE the file gives over its greatest SCORE
// (worked out by reading the file, not by running the importer); the others are refused naming
// the file, the item and the construct.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "assay/export.hpp"
#include "assay/import.hpp"
#include "assay/io.hpp"
#include "loaded_import.hpp"

using namespace assay;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Catch::Matchers::Contains;

namespace {

fs::path qti(const std::string& name) { return fs::path(ASSAY_TEST_FIXTURES) / "import" / "qti" / name; }

struct Qti : LoadedImport {
  explicit Qti(const std::string& name) { load(interchange::read_qti(qti(name)), name); }
};

json ids(std::initializer_list<const char*> list) {
  json a = json::array();
  for (const char* id : list) a.push_back(id);
  return json{{"answer", a}};
}

json pairs(std::initializer_list<std::pair<const char*, const char*>> list) {
  json a = json::object();
  for (const auto& [l, r] : list) a[l] = r;
  return json{{"answer", a}};
}

std::string refusal(const interchange::Imported& in) {
  REQUIRE(in.refused.size() == 1);
  return in.refused[0].why;
}

}  // namespace

TEST_CASE("QTI 2.2 choice, order, match, associate, text and inline choice items score as their templates do", "[import][qti]") {
  SECTION("multiple choice, map_response: H and O 1 each, Cl -1, the rest -2, within 0..2") {
    Qti q("ims-2.2/choice_multiple.xml");
    REQUIRE(q.in.refused.empty());
    CHECK(q.in.items[0].weight == "2");
    CHECK(q.credit("choiceMultiple", ids({"H", "O"})) == "1/1");
    CHECK(q.credit("choiceMultiple", ids({"H"})) == "1/2");
    CHECK(q.credit("choiceMultiple", ids({"H", "O", "Cl"})) == "1/2");
    CHECK(q.credit("choiceMultiple", ids({"H", "He"})) == "0/1");  // 1 - 2, kept at the lowerBound 0
  }
  SECTION("order, match_correct: C, A, B or nothing") {
    Qti q("ims-2.2/order.xml");
    REQUIRE(q.in.refused.empty());
    CHECK(q.credit("order", ids({"DriverC", "DriverA", "DriverB"})) == "1/1");
    CHECK(q.credit("order", ids({"DriverA", "DriverC", "DriverB"})) == "0/1");
  }
  SECTION("match, map_response: C-R and P-T 1 each, D-M and L-M 0.5 each, of 3") {
    Qti q("ims-2.2/match.xml");
    REQUIRE(q.in.refused.empty());
    CHECK(q.in.items[0].weight == "3");
    CHECK(q.credit("match", pairs({{"C", "R"}, {"D", "M"}, {"L", "M"}, {"P", "T"}})) == "1/1");
    CHECK(q.credit("match", pairs({{"C", "R"}, {"D", "R"}, {"L", "R"}, {"P", "R"}})) == "1/3");
    CHECK(q.credit("match", pairs({{"C", "M"}, {"D", "M"}, {"L", "T"}, {"P", "R"}})) == "1/6");
  }
  SECTION("associate, map_response: A-P 2, C-M 1, D-L 1, of 4") {
    Qti q("ims-2.2/associate.xml");
    REQUIRE(q.in.refused.empty());
    CHECK(q.in.items[0].weight == "4");
    CHECK(q.credit("associate", pairs({{"A", "P"}, {"C", "M"}, {"D", "L"}})) == "1/1");
    CHECK(q.credit("associate", pairs({{"A", "P"}, {"C", "L"}, {"D", "M"}})) == "1/2");
    CHECK(q.credit("associate", pairs({{"A", "M"}, {"C", "M"}, {"D", "L"}})) == "1/2");
    CHECK(q.credit("associate", pairs({{"A", "L"}, {"C", "P"}, {"D", "M"}})) == "0/1");
  }
  SECTION("text entry, map_response: York 1, york 0.5, case-sensitive") {
    Qti q("ims-2.2/text_entry.xml");
    REQUIRE(q.in.refused.empty());
    CHECK_THAT(q.in.items[0].params["prompt"].get<std::string>(), Contains("this sun of ____;"));
    CHECK(q.credit("textEntry", {{"answer", "York"}}) == "1/1");
    CHECK(q.credit("textEntry", {{"answer", "york"}}) == "1/2");
    CHECK(q.credit("textEntry", {{"answer", "YORK"}}) == "0/1");
    CHECK(q.credit("textEntry", {{"answer", "Lancaster"}}) == "0/1");
  }
  SECTION("inline choice, match_correct: York") {
    Qti q("ims-2.2/inline_choice.xml");
    REQUIRE(q.in.refused.empty());
    CHECK(q.in.items[0].type == "core-items/single-choice");
    CHECK(q.credit("inlineChoice", ids({"Y"})) == "1/1");
    CHECK(q.credit("inlineChoice", ids({"G"})) == "0/1");
  }
  SECTION("extended text, scored by people: a rubric of the importer's") {
    Qti q("ims-2.2/essay.xml");
    REQUIRE(q.in.refused.empty());
    CHECK(q.in.items[0].type == "core-items/extended-text");
    CHECK(q.in.items[0].levels.size() == 3);
    CHECK_THAT(q.in.items[0].params["prompt"].get<std::string>(), Contains("Write an abstract about the life"));
  }
}

TEST_CASE("QTI 2.1 and 3.0 items read as 2.2's do", "[import][qti]") {
  Qti order("ims-2.1/order.xml");
  REQUIRE(order.in.refused.empty());
  CHECK(order.credit("order", ids({"DriverC", "DriverA", "DriverB"})) == "1/1");
  CHECK(order.credit("order", ids({"DriverB", "DriverA", "DriverC"})) == "0/1");
  // qti-text-entry-interaction, match_correct with 3.0's template URL: "Test", exactly.
  Qti text("kennisnet-3.0/match-correct-template.xml");
  REQUIRE(text.in.refused.empty());
  CHECK(text.in.items[0].id == "combinatie");  // its identifier starts with '_': from the title
  CHECK(text.credit("combinatie", {{"answer", "Test"}}) == "1/1");
  CHECK(text.credit("combinatie", {{"answer", "test"}}) == "0/1");
}

TEST_CASE("QTI constructs the engine cannot score as the item does are refused per item, by name", "[import][qti]") {
  auto [file, item, construct] = GENERATE(table<std::string, std::string, std::string>({
      {"ims-2.2/choice.xml", "choice", "an image or other media ('images/sign.png')"},
      {"ims-2.2/hotspot.xml", "hotspot", "a hotspotInteraction"},
      {"ims-2.2/adaptive.xml", "adaptive", "an adaptive item"},
      {"ims-2.2/template.xml", "template", "template variables (templateDeclaration)"},
      {"ims-2.1/hottext.xml", "IMS00004_StemError", "a hottextInteraction"},
      {"ims-2.1/slider.xml", "slider", "a sliderInteraction"},
      {"kennisnet-3.0/item001.xml", "_d0548197-7c6e-58f9-88fd-30b64930a6b4", "custom response processing"},
      {"kennisnet-3.0/map-response-template.xml", "_9114e11e-4b0c-5c19-8fcd-ab6094c14a0b",
       "an image or other media ('resources/38235d2e8e686e7b0cee9a3e716d339b.jpg')"},
  }));
  CAPTURE(file);
  auto in = interchange::read_qti(qti(file));
  CHECK(in.items.empty());
  CHECK_THAT(refusal(in), Contains(construct));
  CHECK(in.refused[0].item == item);
  CHECK(in.refused[0].file == qti(file).string());
  CHECK(in.refused[0].line > 0);
}

TEST_CASE("a content package's test gives the sections, its selection the draw", "[import][qti]") {
  Qti q("package");
  REQUIRE(q.in.refused.size() == 1);
  CHECK_THAT(q.in.refused[0].why, Contains("hotspotInteraction"));
  CHECK(q.in.refused[0].item == "hotspot");
  CHECK(q.in.refused[0].file == (qti("package") / "items" / "hotspot.xml").string());
  REQUIRE(q.in.sections.size() == 2);
  CHECK(q.in.sections[0].title == "Richard III");
  CHECK(q.in.sections[0].draw == 1);
  CHECK(q.in.sections[1].title == "Mixed");
  CHECK(q.in.sections[1].draw == 0);
  REQUIRE(q.la.assessment.items.size() == 4);
  CHECK(q.la.assessment.sections[0].draw == 1);
  CHECK(q.credit("textEntry", {{"answer", "york"}}) == "1/2");
  CHECK(q.credit("choiceMultiple", ids({"H", "O"})) == "1/1");
}

TEST_CASE("a zipped content package reads as the unpacked one, its files named inside the zip", "[import][qti]") {
  Qti q("package.zip");  // the package's files in a folder "sample"
  REQUIRE(q.in.refused.size() == 1);
  CHECK(q.in.refused[0].file == (qti("package.zip") / "sample" / "items" / "hotspot.xml").string());
  CHECK(q.in.items.size() == 4);
  CHECK(q.in.sections.size() == 2);
  CHECK(q.credit("order", ids({"DriverC", "DriverA", "DriverB"})) == "1/1");
  CHECK(q.credit("textEntry", {{"answer", "York"}}) == "1/1");
}

TEST_CASE("a standard template's rules written out in full read as the template", "[import][qti]") {
  auto dir = fs::temp_directory_path() / "assay-qti-rules-test";
  fs::create_directories(dir);
  auto item = [](const std::string& score) {
    return R"(<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="inline" title="Inline">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>b</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
      <qti-prompt>Pick b.</qti-prompt>
      <qti-simple-choice identifier="a">A</qti-simple-choice>
      <qti-simple-choice identifier="b">B</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
  <qti-response-processing>
    <qti-response-condition>
      <qti-response-if>
        <qti-match><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-match>
        <qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">)" +
           score + R"(</qti-base-value></qti-set-outcome-value>
      </qti-response-if>
      <qti-response-else>
        <qti-set-outcome-value identifier="SCORE"><qti-base-value base-type="float">0.0</qti-base-value></qti-set-outcome-value>
      </qti-response-else>
    </qti-response-condition>
  </qti-response-processing>
</qti-assessment-item>)";
  };
  std::ofstream(dir / "match_correct.xml") << item("1.0");
  std::ofstream(dir / "two.xml") << item("2");
  auto in = interchange::read_qti(dir / "match_correct.xml");
  REQUIRE(in.refused.empty());
  CHECK(in.items[0].params["correct"] == "b");
  CHECK_THAT(refusal(interchange::read_qti(dir / "two.xml")), Contains("custom response processing"));
  fs::remove_all(dir);
}

TEST_CASE("a numeric text entry becomes a numeric item with the mapping's values", "[import][qti]") {
  auto dir = fs::temp_directory_path() / "assay-qti-numeric-test";
  fs::create_directories(dir);
  std::ofstream(dir / "pi.xml") << R"(<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p2" identifier="pi" title="Pi">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float">
    <correctResponse><value>3.14</value></correctResponse>
    <mapping defaultValue="0" lowerBound="0">
      <mapEntry mapKey="3.14" mappedValue="2"/>
      <mapEntry mapKey="3.1" mappedValue="1"/>
    </mapping>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>
  <itemBody><p>Pi to two decimals is <textEntryInteraction responseIdentifier="RESPONSE"/>.</p></itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p2/rptemplates/map_response"/>
</assessmentItem>)";
  Qti q((dir / "pi.xml").string());  // an absolute path stands for itself
  REQUIRE(q.in.refused.empty());
  CHECK(q.in.items[0].type == "core-items/numeric");
  CHECK(q.in.items[0].weight == "2");
  CHECK(q.credit("pi", {{"answer", {{"value", "3.14"}}}}) == "1/1");
  CHECK(q.credit("pi", {{"answer", {{"value", "3.1"}}}}) == "1/2");
  CHECK(q.credit("pi", {{"answer", {{"value", "3.15"}}}}) == "0/1");
  // Exported, it reads back the same.
  auto exported = interchange::qti3(q.la.assessment);
  REQUIRE(exported.refused.empty());
  auto out = dir / "out";
  for (const auto& f : exported.files) {
    fs::create_directories((out / f.path).parent_path());
    std::ofstream(out / f.path) << f.text;
  }
  auto back = interchange::read_qti(out);
  REQUIRE(back.items.size() == 1);
  CHECK(back.items[0].params == q.in.items[0].params);
  CHECK(back.items[0].weight == "2");
  fs::remove_all(dir);
}

TEST_CASE("QTI that cannot be read is refused whole, naming why", "[import][qti]") {
  auto dir = fs::temp_directory_path() / "assay-qti-test";
  fs::create_directories(dir);
  std::ofstream(dir / "broken.xml") << "<assessmentItem identifier='x'><itemBody>";
  std::ofstream(dir / "other.xml") << "<quiz/>";
  CHECK_THAT(refusal(interchange::read_qti(dir / "broken.xml")), Contains("not well-formed XML"));
  CHECK_THAT(refusal(interchange::read_qti(dir / "other.xml")), Contains("not QTI"));
  CHECK_THAT(refusal(interchange::read_qti(dir)), Contains("without imsmanifest.xml"));
  std::ofstream(dir / "not.zip") << "not a zip";
  CHECK_THAT(refusal(interchange::read_qti(dir / "not.zip")), Contains("not a zip file that can be read"));
  CHECK_THAT(refusal(interchange::read_qti(qti("zip-slip.zip"))),
             Contains("an entry named '../outside.xml', which would be written outside the package"));
  CHECK(interchange::detect_format(dir / "other.xml") == "moodle-xml");
  CHECK(interchange::detect_format(qti("ims-2.2/order.xml")) == "qti");
  CHECK(interchange::detect_format(qti("kennisnet-3.0/item001.xml")) == "qti");
  CHECK(interchange::detect_format(qti("package")) == "qti");
  CHECK(interchange::detect_format(qti("package.zip")) == "qti");
  fs::remove_all(dir);
}

TEST_CASE("an assessment exported as QTI 3.0 imports back to the same items and credits", "[import][export][qti]") {
  Qti first("package");
  auto text = io::try_read_file(fs::path(ASSAY_TEST_FIXTURES) / "import" / "bank.gift");
  REQUIRE(text.ok());
  LoadedImport gift;
  gift.load(interchange::read_gift(text.value()), "bank.gift");
  for (const LoadedImport* source : std::vector<const LoadedImport*>{&first, &gift}) {
    auto exported = interchange::qti3(source->la.assessment);
    auto dir = fs::temp_directory_path() / "assay-qti-export-test";
    fs::remove_all(dir);
    for (const auto& f : exported.files) {
      fs::create_directories((dir / f.path).parent_path());
      std::ofstream(dir / f.path) << f.text;
    }
    LoadedImport again;
    again.load(interchange::read_qti(dir), "package");
    fs::remove_all(dir);
    std::size_t written = 0;
    for (const auto& a : source->in.items) {
      CAPTURE(a.id);
      bool refused = false;
      for (const auto& r : exported.refused) refused = refused || r.item == a.id;
      if (refused) continue;
      ++written;
      const interchange::ImportedItem* b = nullptr;
      for (const auto& i : again.in.items)
        if (i.id == a.id) b = &i;
      REQUIRE(b != nullptr);
      CHECK(b->type == a.type);
      CHECK(b->params == a.params);
      // Three equal pairs cannot each be a third of one mark in QTI: they score 1 a pair, and
      // the item's SCORE, 3, is its weight read back (docs/authoring.md).
      CHECK(b->weight == (a.id == "pairs" ? "3" : a.weight));
      CHECK(b->points == a.points);
      CHECK(b->explanation == a.explanation);
      CHECK(b->levels.size() == a.levels.size());
    }
    CHECK(again.in.refused.empty());
    CHECK(written == again.in.items.size());
    CHECK(again.in.sections.size() == source->in.sections.size());
  }
}
