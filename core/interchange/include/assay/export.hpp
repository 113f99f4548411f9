// Assessments out to other platforms (docs/authoring.md, "Exporting"): Moodle XML and QTI 3.0, for the
// items core-items scores (a plugin's types no other platform can score).
#pragma once

#include <string>
#include <vector>

#include "assay/model.hpp"

namespace assay::interchange {

struct Exported {
  std::string text;
  struct Refusal {
    std::string item;
    std::string why;
  };
  std::vector<Refusal> refused;  // items left out, each with why
};

/// The assessment's items as a Moodle XML question file, one category per section.
Exported moodle_xml(const model::Assessment& assessment);

/// A content package: files by their path inside it.
struct ExportedPackage {
  struct File {
    std::string path;  // "imsmanifest.xml", "test.xml", "items/ID.xml"
    std::string text;
  };
  std::vector<File> files;
  std::vector<Exported::Refusal> refused;
};

/// The assessment as a QTI 3.0 content package: imsmanifest.xml, a qti-assessment-test with one
/// section per section (its draw a selection), and one qti-assessment-item per item.
ExportedPackage qti3(const model::Assessment& assessment);

}  // namespace assay::interchange
