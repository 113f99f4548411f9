// What the QTI reader's two halves share (private to core/interchange): qti.cpp reads one item,
// qti_package.cpp finds the items of a test or a content package.
#pragma once

#include <filesystem>
#include <pugixml.hpp>
#include <string>

#include "assay/import.hpp"

namespace assay::interchange::detail {

/// QTI 3.0's names made 2.x's, in place: `qti-choice-interaction` becomes `choiceInteraction`,
/// its `response-identifier` `responseIdentifier`; namespace prefixes are dropped. True when the
/// document used 3.0's names.
bool normalise_qti(pugi::xml_document& doc);

/// A construct's name as the source writes it: `name` (2.x) or its 3.0 form.
std::string qti_name(const std::string& name, bool v3);

/// One item (an `assessmentItem` after normalise_qti()) as a core-items item; throws Refused
/// naming the construct that stops it.
ImportedItem qti_item(pugi::xml_node item, bool v3);

/// The XML files of a zipped content package, unpacked into a new temporary directory that the
/// caller removes; throws Refused for a file that is not a zip, an entry that would leave the
/// directory, or more XML than a question bank holds.
std::filesystem::path unpack_xml(const std::filesystem::path& zip);

}  // namespace assay::interchange::detail
