// Synthetic HL7 v2.5.1 messages (ADT^A01/A03/A04/A08, ORU^R01) and the catalogue of named fields
// an item may ask for. The generator writes material only; keys are read back by the parser.
#ifndef ASSAY_EHR_HL7_GENERATE_HPP
#define ASSAY_EHR_HL7_GENERATE_HPP

#include <assay/sdk.hpp>

#include <optional>
#include <string>
#include <vector>

#include "hl7v2.hpp"

namespace assay::ehr::hl7 {

/// One result an ORU^R01 may carry: OBX-3 is `code^name^system`; values are drawn between
/// `low` × 0.7 and `high` × 1.3 with `decimals` places and flagged H/L/N (HL7 table 0078).
struct Analyte {
  std::string code, name, system, units;
  sdk::Decimal low, high;
  int decimals = 1;
};

/// The panel used when an item gives none: potassium with its LOINC code (2823-3, Potassium
/// [Moles/volume] in Serum or Plasma) and the rest under a local code system, 99LAB. The ranges
/// are typical adult reference intervals; they only shape material, never a key.
const std::vector<Analyte>& default_panel();

struct Options {
  std::vector<std::string> events = {"ADT^A01", "ADT^A03", "ADT^A04", "ADT^A08", "ORU^R01"};
  std::vector<std::string> encodings = {"|^~\\&"};  ///< MSH-1 followed by MSH-2
  std::vector<Analyte> panel = default_panel();
};

const std::vector<std::string>& supported_events();

/// Reads the params `events` and `encodings`, when given, into `opt`; a bad entry is refused at
/// its key path.
void read_events_and_encodings(const sdk::Params& p, Options& opt);

/// A generated message, segments ending in CR.
std::string generate(const Options& opt, sdk::Rng& rng);

/// A named field: what an author asks for without writing a path.
struct NamedField {
  std::string name;
  std::string label;
  std::string path;
  bool oru_only = false;  ///< only in ORU^R01 (the observation fields)
  bool a03_only = false;  ///< only in ADT^A03 (the discharge date/time)
};

/// Looks up a catalogue name; `obx-value:CODE`, `obx-flag:CODE`, `obx-units:CODE` and
/// `obx-status:CODE` address the OBX whose OBX-3.1 is CODE.
std::optional<NamedField> named_field(const std::string& name);
std::vector<std::string> catalogue_names();

}  // namespace assay::ehr::hl7

#endif
