#include "custom_metrics.hpp"

#include <spot/time.hpp>

namespace spot::aggregators::aggregate {

namespace json = boost::json;

namespace {
constexpr double kMsPerHour = 3'600'000.0;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
}  // namespace

ExecutorMetrics executor_metrics(const json::object& e,
                                 std::optional<std::int64_t> attempt_start,
                                 std::optional<std::int64_t> attempt_end) {
    ExecutorMetrics m;
    m.start = time_of(e, "addTime");
    if (!m.start) {
        m.start = attempt_start;
    }
    m.stop = time_of(e, "removeTime");
    if (!m.stop) {
        m.stop = attempt_end;
    }
    m.facts.total_duration = number_of(e, "totalDuration").value_or(0);
    m.facts.max_memory = number_of(e, "maxMemory").value_or(0);
    m.facts.total_input_bytes = number_of(e, "totalInputBytes").value_or(0);
    if (m.start && m.stop) {
        m.duration_ms = static_cast<double>(*m.stop - *m.start);
        if (auto cores = number_of(e, "totalCores")) {
            m.core_cost = *cores * *m.duration_ms;
            m.facts.core_cost = *m.core_cost;
        }
        if (auto mem = number_of(e, "maxMemory")) {
            m.storage_cost = *mem / kGiB * *m.duration_ms;
        }
    }
    return m;
}

void add_executor_metrics(const ExecutorMetrics& m, FieldStats& stats) {
    if (m.start) {
        stats.add_date("x_startTime", *m.start);
    }
    if (m.stop) {
        stats.add_date("x_stopTime", *m.stop);
    }
    if (m.duration_ms) {
        stats.add_number("x_durationMilliseconds", *m.duration_ms, true);
        stats.add_number("x_durationHours", *m.duration_ms / kMsPerHour, false);
    }
    if (m.core_cost) {
        stats.add_number("x_coreCost", *m.core_cost,
                         *m.core_cost ==
                             static_cast<double>(static_cast<std::int64_t>(*m.core_cost)));
        stats.add_number("x_coreCost_hours", *m.core_cost / kMsPerHour, false);
    }
    if (m.storage_cost) {
        stats.add_number("x_storageCost", *m.storage_cost, false);
        stats.add_number("x_storageCost_GbHours", *m.storage_cost / kMsPerHour, false);
    }
}

void write_executor_metrics(const ExecutorMetrics& m, json::object& e) {
    if (m.start) {
        e["x_startTime"] = iso_utc(SysMillis(std::chrono::milliseconds(*m.start)));
    }
    if (m.stop) {
        e["x_stopTime"] = iso_utc(SysMillis(std::chrono::milliseconds(*m.stop)));
    }
    if (m.duration_ms) {
        e["x_durationMilliseconds"] = static_cast<std::int64_t>(*m.duration_ms);
        e["x_durationHours"] = *m.duration_ms / kMsPerHour;
    }
    if (m.core_cost) {
        e["x_coreCost"] = *m.core_cost;
        e["x_coreCost_hours"] = *m.core_cost / kMsPerHour;
    }
    if (m.storage_cost) {
        e["x_storageCost"] = *m.storage_cost;
        e["x_storageCost_GbHours"] = *m.storage_cost / kMsPerHour;
    }
}

StageFacts add_stage_metrics(const json::object& s, FieldStats& stats) {
    StageFacts f;
    f.input_bytes = number_of(s, "inputBytes").value_or(0);
    f.output_bytes = number_of(s, "outputBytes").value_or(0);
    auto first = time_of(s, "firstTaskLaunchedTime");
    auto done = time_of(s, "completionTime");
    if (first && done) {
        f.timed = true;
        f.first_task = *first;
        f.completion = *done;
        f.duration = *done - *first;
        auto submitted = time_of(s, "submissionTime");
        stats.add_number("x_scheduling_overhead",
                         static_cast<double>(submitted ? *first - *submitted : 0), true);
        stats.add_number("x_duration", static_cast<double>(f.duration), true);
        if (f.duration > 0) {
            const double d = static_cast<double>(f.duration);
            stats.add_number("throughput_bytes", f.input_bytes / d, false);
            stats.add_number("throughput_records", number_of(s, "inputRecords").value_or(0) / d,
                             false);
        }
    } else {
        stats.add_number("x_scheduling_overhead", 0, true);
        stats.add_number("x_duration", 0, true);
    }
    if (auto cpu = number_of(s, "executorCpuTime")) {
        stats.add_number("x_executorCpuTime_ms", *cpu / 1e6, false);
    }
    auto tasks = number_of(s, "numCompleteTasks");
    if (tasks && *tasks != 0) {
        stats.add_number("x_average_task_input_bytes", f.input_bytes / *tasks, false);
        stats.add_number("x_average_task_output_bytes", f.output_bytes / *tasks, false);
    }
    return f;
}

}  // namespace spot::aggregators::aggregate
