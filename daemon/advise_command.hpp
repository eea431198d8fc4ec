// `spotd advise`: asks the advisors of a config's pipelines (Regression and Setter) about a job,
// from what they keep in state_dir, whether or not a daemon runs on that config.
#pragma once

#include "cli.hpp"
#include "config/config.hpp"

namespace spot::daemon {

// Prints the jobs (no --job) or the advice in the format asked. Exit code: 0; 1 when the job is
// unknown or nothing can be advised; 2 for a bad parameter.
int advise_command(const core::Config& config, const CommandLine& cl);

}  // namespace spot::daemon
