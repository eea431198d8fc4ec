// What one task end of an event log says, whichever parser read it, and the executor peaks it
// carries: the unit the Run builder and the stage summaries are fed with.
#pragma once

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace spot::sources::eventlog {

// The latest epoch millisecond an event may carry (9999-12-31): a larger time is not one Spark
// wrote, and the log is an error rather than a run with a phantom task.
constexpr std::int64_t kMaxEventTime = 253'402'300'799'999;

// A stage's task-metric totals, in this order (REST names; see run_builder.cpp).
constexpr std::size_t kTaskMetricCount = 34;
// Index of the metric at Task Metrics / a [/ b [/ c]], or kTaskMetricCount.
std::size_t task_metric_index(std::string_view a, std::string_view b, std::string_view c);
// Index of the metric by its REST name ("executorRunTime"), or kTaskMetricCount.
std::size_t task_metric_index(std::string_view rest);

// Peak executor metrics (Spark 3.5's ExecutorMetricType names), kept in an array: they are
// updated on every task end.
constexpr std::size_t kPeakMetricCount = 21;
std::size_t peak_metric_index(std::string_view name);  // kPeakMetricCount when unknown
std::string_view peak_metric_name(std::size_t index);

struct Peaks {
    std::array<std::int64_t, kPeakMetricCount> known{};
    boost::json::object extra;  // names from a newer Spark
    // Whether any event reported these metrics: as Spark's ExecutorMetrics.isSet(), the server
    // lists peakMemoryMetrics / peakExecutorMetrics only then (JVMHeapMemory, index 0, >= 0).
    bool set = false;
    void update(std::size_t index, std::int64_t value) {
        known[index] = std::max(known[index], value);
        set = set || (index == 0 && value >= 0);
    }
    void update(std::string_view name, std::int64_t value);
    void update(const boost::json::object& metrics);
    // Every known name (zero when unseen, as the server reports them) and the extra ones.
    [[nodiscard]] boost::json::object to_json() const;
};

// What a SparkListenerTaskEnd contributes, whichever parser read it.
struct TaskEnd {
    std::int64_t stage = 0, stage_attempt = 0, index = 0, launch = 0, finish = 0;
    std::int64_t getting_result = 0;  // when the driver began fetching the result; 0: it did not
    std::string reason = "Success", kill_reason, executor;
    // A failure's own words: exception class and description, executor loss reason, message.
    std::string class_name, description;
    bool has_metrics = false;
    std::array<std::int64_t, kTaskMetricCount> metrics{};
    Peaks peaks;  // Task Executor Metrics
};

}  // namespace spot::sources::eventlog
