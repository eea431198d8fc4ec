// What a History Server answers for a stage asked with `?withSummaries=true&quantiles=...`:
// `taskMetricsDistributions` and `executorMetricsDistributions`, rebuilt from the task ends the
// way the server builds them (AppStatusStore.taskSummary / stageExecutorSummary over what its
// AppStatusListener kept). The samples live only while the stage is live on the server, then
// become five numbers per metric: a stage's memory is freed when it completes.
#pragma once

#include "task_end.hpp"

#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace spot::sources::eventlog {

// The quantiles Spot asks the server for and rebuilds (the UI's own five).
inline constexpr std::array<double, 5> kSummaryQuantiles{0.0, 0.25, 0.5, 0.75, 1.0};

// Per-task metrics of a successful task, in the server's order (stage_summaries.cpp).
constexpr std::size_t kTaskSampleColumns = 37;
// Per-executor totals of a stage, in ExecutorStageSummary's order.
constexpr std::size_t kExecutorSampleColumns = 14;

class StageSamples {
   public:
    void add_task(const TaskEnd& t, bool success, bool killed);
    // Stage-level peaks an executor reported (StageExecutorMetrics, heartbeats): the server
    // keeps an executor summary for it even when it ran no task of the stage.
    void add_peaks(const std::string& executor, const boost::json::object& metrics);

    // The two objects, each absent as on the server when there is nothing to summarise.
    [[nodiscard]] boost::json::object summaries() const;

   private:
    struct Executor {
        std::array<std::int64_t, kExecutorSampleColumns> totals{};
        Peaks peak;
    };
    // The server indexes duration for every ended task, and getting-result time and scheduler
    // delay for every task with metrics (failed ones too); its other metrics only for successful
    // tasks (it stores a failed task's metrics negated). Quantile positions come from the
    // successful count in every case, as in AppStatusStore.taskSummary.
    std::vector<std::int64_t> durations_, getting_result_, scheduler_delay_;
    std::vector<std::array<std::int64_t, kTaskSampleColumns>> succeeded_;
    std::map<std::string, Executor> executors_;
};

}  // namespace spot::sources::eventlog
