// The learner's terminal self-test (`assay take`): keyboard answers to presentations, an attempt
// saved after every answer, practice feedback or a timed exam, and the end screen.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "assay/clock.hpp"
#include "assay/delivery.hpp"
#include "assay/expected.hpp"
#include "assay/results.hpp"

namespace assay::model {
struct LoadedAssessment;
}

namespace assay::take {

namespace fs = std::filesystem;

/// Where attempts and results are kept: $ASSAY_DATA_DIR, else $XDG_DATA_HOME/assay, else
/// ~/.local/share/assay. Attempts in `attempts/`, results in `results/`.
fs::path default_data_dir();

enum class Mode { kPractice, kExam };

/// A take in progress as saved on disk: the attempt v1 plus what the terminal needs to resume.
struct Session {
  delivery::Attempt attempt;
  fs::path assessment_path;
  Mode mode = Mode::kPractice;
  /// A drill of one competency's items (`--competency`), not the whole assessment: the history
  /// keeps drills apart from full attempts.
  std::string competency;
  std::size_t position = 0;  // the item shown next
  /// The parts of items left part-way, by item id: {interaction id: value}. Offered again when
  /// the item is shown; at submission (the deadline included) they are submitted with the answers.
  nlohmann::json drafts = nlohmann::json::object();
};

nlohmann::json to_json(const Session& session);
Expected<Session, std::string> try_session_from_json(const nlohmann::json& j);

/// The width of the terminal on `fd` (TIOCGWINSZ), else $COLUMNS, else 80.
std::size_t terminal_width(int fd);
/// The height of the terminal on `fd` (TIOCGWINSZ), else $LINES, else 0 (unknown).
std::size_t terminal_height(int fd);

struct Options {
  Mode mode = Mode::kPractice;
  fs::path data_dir;
  bool color = false;
  /// Prose is word-wrapped to this many columns (0: not wrapped)...
  std::size_t width = 80;
  /// ...or, when this is a terminal's descriptor, to its width read again before every item, so
  /// a learner who resizes the window gets text that fits it.
  int terminal_fd = -1;
  /// Material taller than this many rows is shown a screenful at a time (0: never)...
  std::size_t height = 0;
  /// ...and, when the input is a terminal, its descriptor: answers are read from it directly, so
  /// an exam's clock is watched while the learner thinks (the warnings at 5 and 1 minutes left,
  /// the submission at the deadline) and what is typed after the deadline is dropped.
  int input_fd = -1;
};

struct Finished {
  bool submitted = false;  // false: the learner left; the attempt is saved for --resume
  fs::path attempt_file;
  fs::path result_file;  // when submitted
  std::optional<scoring::ScoreResult> result;
};

/// Runs the session on `in`/`out` until it is submitted or the learner leaves (q, or end of
/// input). The session is saved atomically after every answer. In an exam, the clock is read
/// before every prompt: at the deadline the saved answers are submitted.
Expected<Finished, std::string> run(const model::LoadedAssessment& assessment, Session session, const Options& options,
                                    std::istream& in, std::ostream& out, const Clock& clock);

/// The end screen of a result: score, level, outcome with every reason, a bar per competency
/// (weakest first) with what to study, and the missed items with their explanations.
/// Explanations, sources and reasons are word-wrapped to `width` (0: not wrapped).
std::string end_screen(const model::LoadedAssessment& assessment, const scoring::ScoreResult& result, bool color,
                       std::size_t width = 0);

/// The newest unsubmitted session in `data_dir`, if any; with `assessment_id`, of that assessment.
std::optional<fs::path> newest_open_session(const fs::path& data_dir, const std::string& assessment_id = "");

/// What the learner says to leave or resume: "'assay take --resume ID' continues this attempt".
std::string resume_hint(const std::string& assessment_id);

/// Past results in `data_dir` per assessment, with the trend per competency.
std::string history(const fs::path& data_dir, bool color);

}  // namespace assay::take
