// Synthetic HL7 v2.5.1 messages (ADT^A01/A03/A04/A08/A40, ORU^R01) and the catalogue of named fields
// an item may ask for. The generator writes material only; keys are read back by the parser.
#ifndef ASSAY_EHR_HL7_GENERATE_HPP
#define ASSAY_EHR_HL7_GENERATE_HPP

#include <assay/sdk.hpp>

#include <optional>
#include <string>
#include <vector>

#include "hl7v2.hpp"

namespace assay::ehr::hl7 {

/// One result an ORU^R01 may carry: OBX-3 is `code^name^system`; values are drawn within a
/// quarter of the range's width beyond `low` and `high`, with `decimals` places, and flagged
/// H/L/N (HL7 table 0078).
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

/// Every event `generate` writes. ADT^A40 (merge patient - patient identifier list) has the
/// ADT_A39 structure: MSH, EVN, then PID (the surviving patient) and MRG (MRG-1 the prior
/// identifier being merged away, MRG-7 the prior name); no PV1 is written for it.
const std::vector<std::string>& supported_events();

/// The events whose messages carry a PV1: all but ADT^A40.
const std::vector<std::string>& visit_events();

/// Reads the params `events` (each one of `allowed`) and `encodings`, when given, into `opt`; a
/// bad entry is refused at its key path.
void read_events_and_encodings(const sdk::Params& p, Options& opt, const std::vector<std::string>& allowed = supported_events());

/// A generated message, segments ending in CR.
std::string generate(const Options& opt, sdk::Rng& rng);

/// A named field: what an author asks for without writing a path.
struct NamedField {
  std::string name;
  std::string label;
  std::string path;
  std::string only_event = {};  ///< empty, or the one event whose messages hold it (ORU^R01, ADT^A03, ADT^A40)
  bool in_pv1 = false;          ///< read from PV1, which ADT^A40 messages do not carry
};

/// The catalogue's fixed names (the OBX fields, named per result code, are not among them).
const std::vector<NamedField>& named_fields();
/// Looks up a catalogue name; `obx-value:CODE`, `obx-flag:CODE`, `obx-units:CODE` and
/// `obx-status:CODE` address the OBX whose OBX-3.1 is CODE.
std::optional<NamedField> named_field(const std::string& name);
/// Every name an author may give: the fixed ones, then the OBX patterns as `obx-value:CODE`.
std::vector<std::string> catalogue_names();

}  // namespace assay::ehr::hl7

#endif
