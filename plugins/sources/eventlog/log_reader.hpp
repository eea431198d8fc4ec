// Streams one log (all its parts) line by line into a RunBuilder: never the whole file in
// memory, one reused parser, a per-line arena.
#pragma once

#include "log_store.hpp"
#include "run_builder.hpp"

namespace spot::sources::eventlog {

struct ParsedLog {
    RunBuilder run;
    std::int64_t bytes = 0;  // uncompressed
    std::int64_t lines = 0;
    bool cut_last_line =
        false;  // a killed driver's log ends in a cut line: skipped, as the server does
};

[[nodiscard]] Result<ParsedLog> read_log(LogStore& store,
                                         const LogEntry& entry,
                                         std::size_t max_line);

// The application a log belongs to, from its SparkListenerApplicationStart event (one of its
// first lines): what a pass groups logs by before it parses any of them whole.
struct LogIdentity {
    std::string app_id, attempt_id;
};
[[nodiscard]] Result<LogIdentity> identify_log(LogStore& store,
                                               const LogEntry& entry,
                                               std::size_t max_line);

}  // namespace spot::sources::eventlog
