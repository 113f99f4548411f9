#include "commands.hpp"

namespace assay::app {

namespace {
constexpr Command kCommands[] = {
    {"help", "show the commands and what they do", &add_help},
};
}  // namespace

std::span<const Command> commands() { return kCommands; }

}  // namespace assay::app
