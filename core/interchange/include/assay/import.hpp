// Item banks from other platforms as assessments (docs/authoring.md, "Importing"): Moodle's GIFT
// and Moodle XML formats, QTI 2.1, 2.2 and 3.0 items, tests and content packages. Each question becomes a core-items item that
// scores as the source says: the same credit for its correct answer and for each wrong or partly right one. A question the engine
// cannot score the same way is refused by name with its line; the rest are imported.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace assay::interchange {

/// One rubric level of an imported essay.
struct Level {
  std::string name;
  std::int64_t points = 0;
  std::string descriptor;
};

/// A picture the question shows (Moodle XML's embedded files): written beside the assessment
/// and shown with the item (`[[item.figure]]`).
struct ImportedFigure {
  std::string name;   // the source's file name
  std::string bytes;  // a PNG, JPEG, GIF or WebP picture
  std::string alt;    // the source's description of it
  std::string file;   // where it is written, relative to the assessment (set by the writer)
};

struct ImportedItem {
  std::string id;
  std::string title;                    // the source's title, or the start of the question
  std::string section;                  // the category (a section id)
  std::string type;                     // "core-items/..."
  nlohmann::json params;                // the item's params
  std::string criterion = "correct";    // or "quality" for an essay
  std::int64_t points = 1;              // the criterion's points
  std::string weight = "1";             // the item's weight: the source's marks (an essay's two points count as its marks)
  std::vector<Level> levels;            // an essay's rubric
  std::string explanation;              // general and per-answer feedback, for learners
  std::size_t line = 0;                 // where the question starts in the source
  std::string file;                     // the file it comes from, when not the one imported (a package's item)
  std::vector<ImportedFigure> figures;  // its pictures, in the order the question shows them
};

struct ImportedSection {
  std::string id;
  std::string title;
  std::int64_t draw = 0;  // items drawn from the section per candidate (a QTI selection); 0: all
};

/// A question that could not be imported: where, which, and the construct that stopped it.
struct Refusal {
  std::size_t line = 0;
  std::string item;  // its title, or the start of its text
  std::string why;
  std::string file = {};  // the file it is in, when not the one imported (a package's item)
};

struct Imported {
  std::vector<ImportedSection> sections;
  std::vector<ImportedItem> items;
  std::vector<Refusal> refused;
};

/// Reads GIFT text (Moodle's format). Never throws for bad input: what cannot be read is refused.
Imported read_gift(std::string_view text);

/// Reads Moodle XML (a <quiz> of <question>s). Never throws for bad input.
Imported read_moodle_xml(std::string_view text);

/// Reads QTI 2.1, 2.2 or 3.0: an item, a test (its items read from the files it names), or an
/// IMS content package (a directory holding imsmanifest.xml, or a .zip of one, whose XML files are
/// unpacked into a temporary directory and named inside the zip: bank.zip/items/a.xml). Never
/// throws for bad input.
Imported read_qti(const std::filesystem::path& path);

/// The format of a question bank from its name and, for XML, its root element: "gift",
/// "moodle-xml", "qti", or "" when it cannot be told.
std::string detect_format(const std::filesystem::path& path);

/// The assessment as TOML (schema 1), for `assay validate` and every other command. Each figure
/// is referenced by its `file`, which the caller has set and written.
std::string assessment_toml(const Imported& imported, const std::string& id, const std::string& title,
                            const std::string& source_name);

/// Text for people from HTML: tags dropped, line and paragraph breaks kept, character
/// references decoded. Nothing of the markup survives to be interpreted later.
std::string html_to_text(std::string_view html);

}  // namespace assay::interchange
