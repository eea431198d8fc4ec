// Task-level detail of a run, for the run analysis (the executor-count what-if): kept with the
// Run in memory only, never written into a document. Sources that read every task (event logs,
// the History Server's /logs downloads) fill it; a REST crawl leaves it empty, and the analysis
// says why its what-if is missing rather than asking the server for every task.
#pragma once

#include <cstdint>
#include <algorithm>
#include <map>
#include <optional>
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

// A stage's tasks in the figures readers take from every task, so that they need not pass over
// hundreds of thousands of them again: sources keep it as tasks arrive (add_to).
struct StageTaskSummary {
    std::int64_t first_launch_ms = 0, last_finish_ms = 0;
    double duration_ms = 0;  // sum of the tasks' durations
    double longest_ms = 0;   // the longest task
    double failed_ms = 0;    // sum of the failed tasks' durations
    std::int64_t tasks = 0;
};

inline void add_to(StageTaskSummary& s, const TaskTiming& t) {
    const std::int64_t d = std::max<std::int64_t>(0, t.duration_ms);
    s.first_launch_ms = s.tasks == 0 ? t.launch_ms : std::min(s.first_launch_ms, t.launch_ms);
    s.last_finish_ms = s.tasks == 0 ? t.launch_ms + d : std::max(s.last_finish_ms, t.launch_ms + d);
    s.duration_ms += static_cast<double>(d);
    s.longest_ms = std::max(s.longest_ms, static_cast<double>(d));
    s.failed_ms += t.succeeded ? 0.0 : static_cast<double>(d);
    ++s.tasks;
}

struct StageTasks {
    std::int64_t stage_id = 0, attempt_id = 0;
    std::vector<TaskTiming> tasks;  // in launch order
    // Of `tasks`, when the source kept it; readers use summary_of(), which falls back to a pass.
    std::optional<StageTaskSummary> summary = std::nullopt;
};

inline StageTaskSummary summary_of(const StageTasks& s) {
    if (s.summary && s.summary->tasks == static_cast<std::int64_t>(s.tasks.size())) {
        return *s.summary;
    }
    StageTaskSummary out;
    for (const auto& t : s.tasks) {
        add_to(out, t);
    }
    return out;
}

struct AttemptTasks {
    std::string attempt_id;  // the attempt's attemptId; empty when it has none
    // Ids of the executors that ran tasks (each at least one), by TaskTiming::executor.
    std::vector<std::string> executors;
    std::vector<StageTasks> stages;  // in submission order
    // Why tasks failed: the end reason's first line (at most 200 characters) -> tasks.
    std::map<std::string, std::int64_t> failure_reasons;
};

}  // namespace spot
