// `spotd analyze LOG...`: the run analysis of event-log files, without a config. What a Spark
// user runs on a slow job before filing a ticket.
#pragma once

#include <string>
#include <vector>

namespace spot::daemon {

// Prints each attempt's findings, what-if table and core-hours (text), or one JSON object per
// attempt (json). A file that cannot be read gets one line on stderr naming it and the line;
// the others are still analysed. Returns the exit code: 0, or 1 when any file failed.
int analyze_logs(const std::vector<std::string>& logs, const std::string& format, bool gates);

}  // namespace spot::daemon
