// `spotd report`: one recurring job as a self-contained HTML page (its runs, the fitted curves
// with their intervals, the configurations tried, the latest what-if and the advice), from what
// the advisors keep in state_dir, whether or not a daemon runs on that config.
#pragma once

#include "cli.hpp"
#include "config/config.hpp"

#include <boost/json/object.hpp>
#include <string>

namespace spot::daemon {

// The page for the report data an advisor answers to "jobs/<job>/report".
std::string report_page(const boost::json::object& data);

// Writes the page to stdout. Exit code: 0; 1 when the job is unknown; 2 for a bad parameter.
int report_command(const core::Config& config, const CommandLine& cl);

}  // namespace spot::daemon
