#include "facts.hpp"

#include <spot/json_fields.hpp>

#include <algorithm>
#include <map>
#include <utility>

namespace spot::aggregators::analyze {

namespace json = boost::json;

namespace {

double num(const json::object& o, std::string_view key) { return number_of(o, key).value_or(0); }

Spread spread(const json::object* dist, std::string_view group, std::string_view metric) {
    Spread s;
    if (dist == nullptr) {
        return s;
    }
    const json::object* o = dist;
    if (!group.empty()) {
        const auto* g = dist->if_contains(group);
        o = g != nullptr ? g->if_object() : nullptr;
    }
    const auto* q = o != nullptr ? o->if_contains(metric) : nullptr;
    const auto* quantiles = dist->if_contains("quantiles");
    if (q == nullptr || !q->is_array() || quantiles == nullptr || !quantiles->is_array()) {
        return s;
    }
    const auto& values = q->get_array();
    const auto& qs = quantiles->get_array();
    for (std::size_t i = 0; i < values.size() && i < qs.size(); ++i) {
        if (!values[i].is_number() || !qs[i].is_number()) {
            continue;
        }
        const double at = qs[i].to_number<double>(), v = values[i].to_number<double>();
        if (at == 0.5) {
            s.median = v;
            s.known = true;
        } else if (at == 1.0) {
            s.max = v;
        }
    }
    return s;
}

Spread spread_of(std::vector<double>& values) {
    if (values.empty()) {
        return Spread{};
    }
    std::sort(values.begin(), values.end());
    return Spread{values[std::min(values.size() / 2, values.size() - 1)], values.back(), true};
}

// Removal reasons that are not losses: the driver or dynamic allocation let it go.
bool lost(const std::string& reason) {
    return !reason.empty() && reason.find("killed by driver") == std::string::npos &&
           reason.find("Executor killed") == std::string::npos &&
           reason.find("idle") == std::string::npos;
}

}  // namespace

AttemptFacts attempt_facts(const json::object& attempt, const AttemptTasks* tasks) {
    AttemptFacts f;
    f.attempt_id = string_of(attempt, "attemptId");
    f.duration_ms = num(attempt, "duration");
    const auto end = time_of(attempt, "endTime");
    const auto start = time_of(attempt, "startTime");
    if (f.duration_ms <= 0 && start && end) {
        f.duration_ms = static_cast<double>(*end - *start);
    }
    if (const auto* env = attempt.if_contains("environment"); env && env->is_object()) {
        if (const auto* p = env->get_object().if_contains("sparkProperties"); p && p->is_object()) {
            const auto& props = p->get_object();
            f.executor_memory = property_of(props, "spark.executor.memory");
            f.driver_memory = property_of(props, "spark.driver.memory");
            f.executor_cores = property_of(props, "spark.executor.cores");
            f.shuffle_partitions = property_of(props, "spark.sql.shuffle.partitions");
            f.max_executors = property_of(props, "spark.dynamicAllocation.maxExecutors");
            const auto* da = props.if_contains("spark_dynamicAllocation_enabled");
            f.dynamic_allocation =
                da != nullptr && ((da->is_bool() && da->get_bool()) ||
                                  (da->is_string() && da->get_string() == "true"));
            f.serializer = string_of(props, "spark_serializer");
            f.task_cpus =
                static_cast<std::int64_t>(property_of(props, "spark.task.cpus").value_or(1));
        }
    }
    ExecutorFacts driver;
    if (const auto* execs = attempt.if_contains("allexecutors"); execs && execs->is_array()) {
        for (const auto& v : execs->get_array()) {
            const auto* e = v.if_object();
            if (e == nullptr) {
                continue;
            }
            ExecutorFacts x;
            x.id = string_of(*e, "id");
            x.cores = static_cast<std::int64_t>(num(*e, "totalCores"));
            x.task_ms = num(*e, "totalDuration");
            x.gc_ms = num(*e, "totalGCTime");
            x.tasks = static_cast<std::int64_t>(num(*e, "totalTasks"));
            x.failed_tasks = static_cast<std::int64_t>(num(*e, "failedTasks"));
            x.remove_reason = string_of(*e, "removeReason");
            if (const auto* pm = e->if_contains("peakMemoryMetrics"); pm && pm->is_object()) {
                x.peak_heap = num(pm->get_object(), "JVMHeapMemory");
            }
            const auto added = time_of(*e, "addTime");
            const auto removed = time_of(*e, "removeTime");
            const auto until = removed ? removed : end;
            x.alive_ms = added && until
                             ? static_cast<double>(std::max<std::int64_t>(0, *until - *added))
                             : f.duration_ms;
            x.alive_ms = std::min(x.alive_ms, f.duration_ms);
            if (x.id == "driver") {
                driver = x;
                continue;
            }
            f.executors_lost += lost(x.remove_reason) ? 1 : 0;
            f.executors.push_back(std::move(x));
        }
    }
    // In local mode the driver is the executor: it runs the tasks on its own cores.
    const bool executors_ran = std::any_of(f.executors.begin(), f.executors.end(),
                                           [](const ExecutorFacts& e) { return e.tasks > 0; });
    if (!executors_ran && (driver.tasks > 0 || f.executors.empty())) {
        f.local_mode = true;
        driver.alive_ms = f.duration_ms;
        f.executors = {driver};
        f.executor_memory = f.driver_memory;  // local mode: the driver's heap runs the tasks
    }
    if (!f.executor_memory) {
        f.executor_memory = 1024.0 * 1024 * 1024;  // Spark's default for both
    }
    std::vector<std::pair<std::int64_t, std::int64_t>> spans;
    if (const auto* stages = attempt.if_contains("stages"); stages && stages->is_array()) {
        for (const auto& v : stages->get_array()) {
            const auto* s = v.if_object();
            if (s == nullptr) {
                continue;
            }
            StageFacts st;
            st.id = static_cast<std::int64_t>(num(*s, "stageId"));
            st.attempt = static_cast<std::int64_t>(num(*s, "attemptId"));
            st.status = string_of(*s, "status");
            st.failure_reason = string_of(*s, "failureReason");
            st.tasks = static_cast<std::int64_t>(num(*s, "numTasks"));
            st.failed_tasks = static_cast<std::int64_t>(num(*s, "numFailedTasks"));
            st.run_ms = num(*s, "executorRunTime");
            st.gc_ms = num(*s, "jvmGcTime");
            st.input = num(*s, "inputBytes");
            st.output = num(*s, "outputBytes");
            st.shuffle_read = num(*s, "shuffleReadBytes");
            st.shuffle_write = num(*s, "shuffleWriteBytes");
            st.memory_spilled = num(*s, "memoryBytesSpilled");
            st.disk_spilled = num(*s, "diskBytesSpilled");
            st.fetch_wait_ms = num(*s, "shuffleFetchWaitTime");
            st.write_time_ms = num(*s, "shuffleWriteTime") / 1e6;  // ns in Spark
            const auto first = time_of(*s, "firstTaskLaunchedTime");
            const auto done = time_of(*s, "completionTime");
            if (first && done && *done >= *first) {
                st.duration_ms = static_cast<double>(*done - *first);
                spans.emplace_back(*first, *done);
            }
            const auto* dist = s->if_contains("taskMetricsDistributions");
            const json::object* d = dist != nullptr ? dist->if_object() : nullptr;
            st.task_duration = spread(d, "", "duration");
            if (!st.task_duration.known) {
                st.task_duration = spread(d, "", "executorRunTime");
            }
            st.input_per_task = spread(d, "inputMetrics", "bytesRead");
            st.shuffle_read_per_task = spread(d, "shuffleReadMetrics", "readBytes");
            f.stages.push_back(std::move(st));
        }
    }
    // From the stages' task summaries: the failed tasks' time and all tasks' time (local mode).
    // A stage without distributions gets its spreads from a pass over its task timings,
    // quantiles taken as the History Server takes them (the value at index
    // min(q x count, count - 1) of the sorted values of successful tasks).
    double timed_task_ms = 0;
    if (tasks != nullptr) {
        f.tasks = tasks;
        f.failure_reasons = tasks->failure_reasons;
        std::map<std::pair<std::int64_t, std::int64_t>, StageFacts*> by_id;
        for (auto& st : f.stages) {
            by_id.emplace(std::pair{st.id, st.attempt}, &st);
        }
        std::vector<double> duration, input, shuffle;
        for (const auto& ts : tasks->stages) {
            const auto summary = summary_of(ts);
            timed_task_ms += summary.duration_ms;
            f.failed_task_ms += summary.failed_ms;
            const auto it = by_id.find({ts.stage_id, ts.attempt_id});
            StageFacts* st = it != by_id.end() ? it->second : nullptr;
            if (st == nullptr || (st->task_duration.known && st->input_per_task.known &&
                                  st->shuffle_read_per_task.known)) {
                continue;
            }
            duration.clear();
            input.clear();
            shuffle.clear();
            for (const auto& t : ts.tasks) {
                if (t.succeeded) {
                    duration.push_back(static_cast<double>(t.duration_ms));
                    input.push_back(static_cast<double>(t.input_bytes));
                    shuffle.push_back(static_cast<double>(t.shuffle_read_bytes));
                }
            }
            for (auto [spread, values] :
                 {std::pair{&st->task_duration, &duration}, std::pair{&st->input_per_task, &input},
                  std::pair{&st->shuffle_read_per_task, &shuffle}}) {
                if (!spread->known) {
                    *spread = spread_of(*values);
                }
            }
        }
    }
    // In local mode the server reports the driver's totalDuration as the whole run: its task
    // time is the tasks' own (from the timings, or the stages' run time).
    if (f.local_mode && !f.executors.empty()) {
        double task_ms = 0, gc_ms = 0;
        for (const auto& st : f.stages) {
            task_ms += st.run_ms;
            gc_ms += st.gc_ms;
        }
        f.executors.front().task_ms = tasks != nullptr ? timed_task_ms : task_ms;
        f.executors.front().gc_ms = gc_ms;
    }
    // Time outside every stage (driver work) and the critical path per group of stages.
    std::sort(spans.begin(), spans.end());
    double in_stages = 0;
    std::int64_t open_start = 0, open_end = -1;
    for (auto [s, e] : spans) {
        if (open_end < 0 || s >= open_end) {
            if (open_end >= 0) {
                in_stages += static_cast<double>(open_end - open_start);
            }
            open_start = s;
            open_end = e;
        } else {
            open_end = std::max(open_end, e);
        }
    }
    if (open_end >= 0) {
        in_stages += static_cast<double>(open_end - open_start);
    }
    f.seq_ms = std::max(0.0, f.duration_ms - in_stages);
    for (const auto& st : f.stages) {
        f.max_task_ms_sum += st.task_duration.known ? st.task_duration.max : 0;
    }
    return f;
}

}  // namespace spot::aggregators::analyze
