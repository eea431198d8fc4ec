// Task-level detail of a run, for the run analysis (the executor-count what-if): kept with the
// Run in memory only, never written into a document. Sources that read every task (event logs,
// the History Server's /logs downloads) fill it; a REST crawl leaves it empty, and the analysis
// says why its what-if is missing rather than asking the server for every task.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace spot {

struct TaskTiming {
    std::int64_t launch_ms = 0;    // epoch ms
    std::int64_t duration_ms = 0;  // finish - launch
    std::uint32_t executor = 0;    // index into AttemptTasks::executors
    bool succeeded = true;
    // What the task read: for skew over data, where no taskMetricsDistributions are at hand.
    std::int64_t input_bytes = 0, shuffle_read_bytes = 0;
};

struct StageTasks {
    std::int64_t stage_id = 0, attempt_id = 0;
    std::vector<TaskTiming> tasks;  // in launch order
};

struct AttemptTasks {
    std::string attempt_id;              // the attempt's attemptId; empty when it has none
    std::vector<std::string> executors;  // executor ids, by TaskTiming::executor
    std::vector<StageTasks> stages;      // in submission order
    // Why tasks failed: the end reason's first line (at most 200 characters) -> tasks.
    std::map<std::string, std::int64_t> failure_reasons;
};

}  // namespace spot
