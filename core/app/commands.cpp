#include "commands.hpp"

namespace assay::app {

namespace {
constexpr Command kCommands[] = {
    {"help", "show the commands and what they do", &add_help},
    {"plugins", "list the plugins found on the search path, and the files refused", &add_plugins},
    {"types", "list the item types, or describe one: params, criteria, a TOML example", &add_types},
    {"new-plugin", "write a plugin project to build out of tree (for plugin authors)", &add_new_plugin},
    {"plugin-check", "check that a plugin keeps the plugin contract (for plugin authors)", &add_plugin_check},
    {"plugin-sign", "sign a plugin library, or make a signing key (for plugin providers)", &add_plugin_sign},
    {"validate", "check assessments: every error with file:line:column", &add_validate},
    {"preview", "show an item as a candidate sees it, for a given seed", &add_preview},
    {"take", "practise an assessment in the terminal, with feedback or as a timed exam", &add_take},
    {"score", "score attempts (JSON Lines) into results and a CSV summary", &add_score},
    {"report", "summarise results in the terminal or as an HTML page; one candidate's review", &add_report},
    {"cohort", "generate a seeded cohort of synthetic candidates for an assessment", &add_cohort},
    {"serve", "run screening campaigns in the browser (HTTP server, SQLite store)", &add_serve},
};
}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace assay::app
