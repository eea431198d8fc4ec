// spotd's command line: options and sub-commands, parsed by hand (there are few of them).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace spot::daemon {

struct CommandLine {
    std::string command =
        "run";  // run | plugins | describe | reference | analyze | advise | report | help | version
    std::string config = "/etc/spot/spot.yaml";
    bool once = false;
    bool check_config = false;
    std::string plugin_dir;         // extra plugin directory (sub-commands without a config)
    std::string format = "text";    // describe: text | md | yaml | json
    std::vector<std::string> args;  // describe: plugin names; analyze: event-log files
    bool gates = false;             // analyze: apply the aggregator's size gates
    // advise: the job (empty: list the jobs) and the question's parameters, as given.
    std::string job, input_bytes, goal, deadline, pipeline;
};

// Returns the parsed line, or an error message for a usage error (exit code 2).
std::optional<CommandLine> parse_command_line(int argc, char** argv, std::string& error);
const char* usage_text();

}  // namespace spot::daemon
