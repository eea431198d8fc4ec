// The figures of one attempt that the heuristics read, taken once from the attempt in the REST
// shape (after normalisation: dates as ISO text, Spark properties as a typed object) and from
// the task timings the source kept.
#pragma once

#include <spot/task_detail.hpp>

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace spot::aggregators::analyze {

struct ExecutorFacts {
    std::string id;
    std::int64_t cores = 0;
    double task_ms = 0, gc_ms = 0;  // totalDuration, totalGCTime
    std::int64_t tasks = 0, failed_tasks = 0;
    double alive_ms = 0;   // add to remove (or to the attempt's end)
    double peak_heap = 0;  // peakMemoryMetrics.JVMHeapMemory
    std::string remove_reason;
};

// Quantiles (0, .25, .5, .75, 1) of a task metric, from taskMetricsDistributions.
struct Spread {
    double median = 0, max = 0;
    bool known = false;
};

struct StageFacts {
    std::int64_t id = 0, attempt = 0, tasks = 0, failed_tasks = 0;
    std::string status, failure_reason;
    double run_ms = 0, gc_ms = 0, duration_ms = 0;  // duration: first task to completion
    double input = 0, output = 0, shuffle_read = 0, shuffle_write = 0;
    double memory_spilled = 0, disk_spilled = 0, fetch_wait_ms = 0, write_time_ms = 0;
    Spread task_duration, input_per_task, shuffle_read_per_task;
};

struct AttemptFacts {
    std::string attempt_id;
    double duration_ms = 0;
    bool local_mode = false;               // the driver ran the tasks
    std::vector<ExecutorFacts> executors;  // those that offer task slots (the driver in local mode)
    std::vector<StageFacts> stages;
    double seq_ms = 0;  // duration outside the union of stage spans
    double max_task_ms_sum =
        0;  // per group of concurrent stages, its longest task: the critical path
    std::int64_t executors_lost = 0;
    // Spark properties (dotted keys as configured; typed values as normalised).
    std::optional<double> executor_memory, driver_memory, executor_cores, max_executors;
    std::optional<double> shuffle_partitions;
    std::string serializer;
    bool dynamic_allocation = false;
    std::int64_t task_cpus = 1;
    const AttemptTasks* tasks = nullptr;  // null when the source kept no task timings
    double failed_task_ms = 0;            // time of tasks that failed (from the timings)
    std::map<std::string, std::int64_t> failure_reasons;
};

AttemptFacts attempt_facts(const boost::json::object& attempt, const AttemptTasks* tasks);

}  // namespace spot::aggregators::analyze
