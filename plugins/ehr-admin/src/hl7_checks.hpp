// Defect checks over an HL7 v2 message and its acknowledgment, line by line, and the injection of
// defects into generated messages. The key of an hl7-defects item is what `find_defects` reports;
// `inject` only shapes material.
//
// Rules and their sources (HL7 v2.5.1 Chapter 2 unless noted):
// - wrong-separator: every segment is its 3-character id followed by the field separator that
//   MSH-1 declares (Chapter 2, message construction rules).
// - segment-order: segments follow their message structure. ADT_A01/A03 (Chapter 3) and
//   ORU_R01 (Chapter 7) open MSH, EVN (ADT only), PID, [PD1], [NK1], PV1, [PV2], then the order
//   and observation segments (ORC, OBR, OBX); an ACK is MSH, MSA, [ERR]. Other segments (NTE,
//   AL1, DG1, Z-segments) are not ranked. One patient per message.
// - missing-required-field: a field the item lists as required is absent or empty. The default
//   list is MSH-9, MSH-10, MSH-11, MSH-12 (MSH, optionality R) and MSA-1, MSA-2 (MSA, R).
// - bad-datetime: component 1 of a listed time-stamp field is not a DTM,
//   YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ] (2.A.22), with calendar values (month 01-12,
//   a day that month has, hour 00-23, minute and second 00-59). Default fields: MSH-7, EVN-2,
//   PID-7 (TS).
// - ack-control-id: MSA-2 of the acknowledgment is not MSH-10 of the message it acknowledges
//   (MSA-2 "contains the message control ID of the message sent by the sending system").
#ifndef ASSAY_EHR_HL7_CHECKS_HPP
#define ASSAY_EHR_HL7_CHECKS_HPP

#include <assay/sdk.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace assay::ehr::hl7 {

/// The closed list of defect kinds, in presentation order.
const std::vector<std::string>& defect_kinds();
std::string defect_text(const std::string& kind);

/// A field reference `SEG-n` (n from 1).
struct FieldRef {
  std::string segment;
  std::size_t field = 0;
  std::string text() const { return segment + "-" + std::to_string(field); }
  friend bool operator==(const FieldRef& a, const FieldRef& b) { return a.segment == b.segment && a.field == b.field; }
};
std::optional<FieldRef> parse_field_ref(std::string_view text);

struct DefectRules {
  std::vector<FieldRef> required = {{"MSH", 9}, {"MSH", 10}, {"MSH", 11}, {"MSH", 12}, {"MSA", 1}, {"MSA", 2}};
  std::vector<FieldRef> datetimes = {{"MSH", 7}, {"EVN", 2}, {"PID", 7}};
};

/// A message and, optionally, the acknowledgment returned for it, as segment lines.
struct Exchange {
  std::vector<std::string> message;
  std::vector<std::string> ack;  ///< empty when the item shows no acknowledgment
};

/// Line ids: "m1".. for the message, "k1".. for the acknowledgment.
std::string message_line_id(std::size_t i);
std::string ack_line_id(std::size_t i);

/// True when `v` is a DTM with calendar values.
bool valid_dtm(std::string_view v);

/// Checks one exchange: line id -> the defect kinds found on that line (lines without a defect
/// are absent). A line with the wrong separator is reported as such and not read further.
std::map<std::string, std::set<std::string>> find_defects(const Exchange& ex, const DefectRules& rules);

/// Why an exchange cannot be checked (nullopt when it can): the message must open with a
/// readable MSH, every line must start with a segment id, one MSH and one PID at most.
std::optional<std::string> unreadable(const std::vector<std::string>& lines, const char* what);

struct InjectOptions {
  std::vector<std::string> kinds = defect_kinds();
  int min_defects = 2, max_defects = 4;
  bool ack = true;
};

/// What `inject` planted: line id -> kind. Only tests read it; the key comes from find_defects.
struct Injected {
  Exchange exchange;
  std::vector<std::pair<std::string, std::string>> planted;
};

/// Adds an acknowledgment (if asked) to a clean generated message and plants defects in
/// distinct lines.
Injected inject(const std::string& message, const InjectOptions& opt, const DefectRules& rules, sdk::Rng& rng);

}  // namespace assay::ehr::hl7

#endif
