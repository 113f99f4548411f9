// HL7 v2.x message parsing: delimiters from MSH-1/MSH-2, segments, the MSH field-numbering offset,
// repetitions, components, sub-components and escape sequences (HL7 v2.x Chapter 2).
#ifndef ASSAY_EHR_HL7V2_HPP
#define ASSAY_EHR_HL7V2_HPP

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace assay::ehr::hl7 {

/// The five delimiters: MSH-1 and the four characters of MSH-2, in order.
struct Encoding {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
  /// MSH-2 as written: component, repetition, escape, subcomponent.
  std::string msh2() const { return {component, repetition, escape, subcomponent}; }
};

/// A message that cannot be parsed; `segment` is 1-based (0 when the message is empty).
class ParseError : public std::runtime_error {
 public:
  ParseError(std::size_t segment, const std::string& message) : std::runtime_error(message), segment_(segment) {}
  std::size_t segment() const noexcept { return segment_; }

 private:
  std::size_t segment_;
};

/// One segment. `fields[n]` is SEG-n as raw (still escaped) text, `fields[0]` the segment id.
/// For MSH (and the batch/file headers BHS, FHS) `fields[1]` is the field separator itself and
/// `fields[2]` the encoding characters, so MSH-n is `fields[n]` as for every other segment.
struct Segment {
  std::string id;
  std::vector<std::string> fields;
  std::string text;  ///< the segment as it appeared, without its terminator
};

struct Message {
  Encoding encoding;
  std::vector<Segment> segments;
};

/// The segments of a message as text, in order: MLLP framing bytes dropped, cut at CR, LF or
/// CR LF, blank lines skipped. `parse` reads its segments this way.
std::vector<std::string> segment_lines(std::string_view text);

/// Parses a message. Segments end with CR (0x0D); LF and CR LF are accepted too, since messages
/// kept in files are often saved that way, and MLLP framing bytes (0x0B, 0x1C) are dropped. The
/// first segment must be MSH; its 4th character is the field separator and MSH-2 the other four.
Message parse(std::string_view text);

/// Replaces the escape sequences \F\ \S\ \T\ \R\ \E\ and \Xhh...\ (hex bytes) in one leaf value.
/// Other sequences (formatting such as \.br\, \H\) are kept as written.
std::string unescape(std::string_view value, const Encoding& enc);

/// Escapes the five delimiters in a value so it can be written as a leaf.
std::string escape(std::string_view value, const Encoding& enc);

/// Splits `text` on `sep` (no escape awareness is needed: delimiters inside data are escaped).
std::vector<std::string> split(std::string_view text, char sep);

/// A selector choosing one of several segments or repetitions: by 1-based position, or by the
/// first one whose value at `where` (a component path within it) equals `equals`.
struct Selector {
  std::size_t index = 1;
  std::vector<std::size_t> where;  ///< empty for a position; else field/component/subcomponent numbers
  std::string equals;
};

/// A location in a message: `SEG[(sel)]-field[(sel)][.component[.subcomponent]]`, e.g. `MSH-9.2`,
/// `PID-3(5=MR).1` (the repetition of PID-3 whose CX.5 is MR), `OBX(3.1=2823-3)-8` (the OBX whose
/// OBX-3.1 is 2823-3), `OBX(2)-5` (the second OBX), `PID-3(2)` (the second repetition).
struct Path {
  std::string segment;
  Selector segment_sel;
  std::size_t field = 0;
  Selector repetition_sel;
  std::size_t component = 0;     ///< 0: the whole repetition
  std::size_t subcomponent = 0;  ///< 0: the whole component
  std::string text;              ///< as written
};

/// Parses a path; nullopt with `error` set when it is malformed.
std::optional<Path> parse_path(std::string_view text, std::string* error = nullptr);

/// The value at `path`, unescaped when it is a leaf (no further delimiters at the level asked
/// for); nullopt when the segment, field, repetition or component is absent. MSH-1 and MSH-2 are
/// returned as written.
std::optional<std::string> value(const Message& msg, const Path& path);

/// Message text with CR terminators for display: one segment per line.
std::string display(const Message& msg);

}  // namespace assay::ehr::hl7

#endif
