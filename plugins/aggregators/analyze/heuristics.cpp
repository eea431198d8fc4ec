#include "heuristics.hpp"

#include <spot/time.hpp>

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

namespace spot::aggregators::analyze {

namespace json = boost::json;

namespace {

constexpr double kGiB = 1024.0 * 1024 * 1024;

// Bytes for a person: the largest unit that keeps a number of at least 1.
std::string human(double bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    std::size_t u = 0;
    while (bytes >= 1024 && u + 1 < std::size(units)) {
        bytes /= 1024;
        ++u;
    }
    return u == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, units[u]);
}

// A finding about time is worth at most `low` when the time at stake is under min_impact.
Severity material(Severity s, double impact_ms, const Thresholds& t) {
    return impact_ms < t.min_impact_ms ? std::min(s, Severity::Low) : s;
}

// Spark's memory notation, rounded up to whole MiB ("3g", "1536m").
std::string spark_size(double bytes) {
    const auto mib = static_cast<std::int64_t>(std::ceil(bytes / (1024.0 * 1024)));
    return mib % 1024 == 0 ? fmt::format("{}g", mib / 1024) : fmt::format("{}m", mib);
}

std::int64_t total_tasks(const AttemptFacts& f) {
    std::int64_t n = 0;
    for (const auto& s : f.stages) {
        n += s.tasks;
    }
    return n;
}

double total_task_ms(const AttemptFacts& f) {
    double ms = 0;
    for (const auto& e : f.executors) {
        ms += e.task_ms;
    }
    return ms;
}

std::int64_t total_cores(const AttemptFacts& f) {
    std::int64_t c = 0;
    for (const auto& e : f.executors) {
        c += e.cores;
    }
    return c;
}

void idle_cores(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    double allocated = 0;
    for (const auto& e : f.executors) {
        allocated += static_cast<double>(e.cores) * e.alive_ms;
    }
    if (allocated <= 0) {
        return;
    }
    const double efficiency = std::min(1.0, total_task_ms(f) / allocated);
    const double idle = 1 - efficiency;
    Finding x{"idle_cores", material(level(idle, t.idle_cores), allocated - total_task_ms(f), t)};
    if (x.severity == Severity::None) {
        return;
    }
    x.affected = static_cast<std::int64_t>(f.executors.size());
    x.figures = {{"core_efficiency", efficiency},
                 {"idle_share", idle},
                 {"allocated_core_hours", allocated / 3.6e6},
                 {"wasted_core_hours", (allocated - total_task_ms(f)) / 3.6e6}};
    x.explanation = fmt::format(
        "cores were idle {:.0f}% of the time they were held ({:.2f} of {:.2f} "
        "core-hours wasted)",
        idle * 100, (allocated - total_task_ms(f)) / 3.6e6, allocated / 3.6e6);
    out.push_back(std::move(x));
}

void driver_bound(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    if (f.duration_ms <= 0) {
        return;
    }
    const double share = f.seq_ms / f.duration_ms;
    Finding x{"driver_bound", material(level(share, t.driver_bound), f.seq_ms, t)};
    if (x.severity == Severity::None) {
        return;
    }
    const auto cores = std::max<std::int64_t>(1, total_cores(f));
    x.affected = 1;  // the driver
    x.figures = {{"driver_ms", f.seq_ms},
                 {"driver_share", share},
                 {"infinite_executors_ms", f.seq_ms + f.max_task_ms_sum},
                 {"perfect_parallelism_ms",
                  f.seq_ms + total_task_ms(f) / static_cast<double>(cores)}};
    x.explanation = fmt::format(
        "the driver worked alone for {:.0f}% of the run ({:.1f} s); no executor "
        "count can make the run faster than {:.1f} s",
        share * 100, f.seq_ms / 1000, (f.seq_ms + f.max_task_ms_sum) / 1000);
    out.push_back(std::move(x));
}

void over_provisioned(const AttemptFacts& f,
                      const std::optional<WhatIf>& w,
                      const Thresholds& t,
                      std::vector<Finding>& out) {
    if (!w || f.local_mode || w->executors_used < 2) {
        return;
    }
    const double share =
        static_cast<double>(w->knee_executors) / static_cast<double>(w->executors_used);
    if (share > t.over_provisioned_knee) {
        return;
    }
    const auto actual = std::find_if(w->points.begin(), w->points.end(),
                                     [](const WhatIfPoint& p) { return p.percent == 100; });
    const double saved = actual != w->points.end() ? actual->core_hours - w->knee_core_hours : 0;
    Finding x{"over_provisioned_executors",
              material(share <= t.over_provisioned_knee / 2 ? Severity::Severe : Severity::Moderate,
                       saved * 3.6e6, t)};
    x.affected = w->executors_used - w->knee_executors;
    x.figures = {{"executors_used", w->executors_used},
                 {"knee_executors", w->knee_executors},
                 {"knee_duration_ms", w->knee_duration_ms},
                 {"core_hours_saved", saved}};
    x.explanation = fmt::format(
        "{} of the {} executors would have finished within 10% of the best "
        "time, saving {:.2f} core-hours",
        w->knee_executors, w->executors_used, saved);
    x.suggestion.emplace_back(f.dynamic_allocation ? "spark.dynamicAllocation.maxExecutors"
                                                   : "spark.executor.instances",
                              std::to_string(w->knee_executors));
    out.push_back(std::move(x));
}

void task_skew(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    for (const auto& s : f.stages) {
        struct Axis {
            const char* name;
            const Spread& spread;
        };
        for (const Axis a :
             {Axis{"duration", s.task_duration}, Axis{"input_bytes", s.input_per_task},
              Axis{"shuffle_read_bytes", s.shuffle_read_per_task}}) {
            if (!a.spread.known || a.spread.max <= 0 || s.tasks < 2) {
                continue;
            }
            const double ratio = a.spread.max / std::max(a.spread.median, 1.0);
            const double stage_share = s.duration_ms > 0 ? s.task_duration.max / s.duration_ms : 0;
            if (t.gates && (s.task_duration.max <= t.skew_min_task_ms ||
                            stage_share <= t.skew_min_stage_share)) {
                continue;
            }
            Severity sev = level(ratio, t.task_skew);
            if (std::string_view(a.name) == "duration") {
                sev = material(sev, a.spread.max - a.spread.median, t);
            } else if (a.spread.median < t.skew_min_median_bytes) {
                sev = std::min(sev, Severity::Low);
            }
            if (stage_share < t.skew_min_stage_share) {
                sev = std::min(sev, Severity::Low);  // the stage did not wait on that task
            }
            Finding x{"task_skew", sev};
            if (x.severity == Severity::None) {
                continue;
            }
            x.affected = s.tasks;
            x.stages = {s.id};
            x.figures = {{"axis", a.name},
                         {"max_over_median", ratio},
                         {"max", a.spread.max},
                         {"median", a.spread.median},
                         {"max_task_over_stage", stage_share}};
            x.explanation = fmt::format(
                "stage {} is skewed {:.1f}x in task {}; its longest task ran "
                "{:.0f}% of the stage",
                s.id, ratio, a.name, stage_share * 100);
            x.suggestion.emplace_back("spark.sql.adaptive.skewJoin.enabled", "true");
            out.push_back(std::move(x));
        }
    }
}

void spill(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    for (const auto& s : f.stages) {
        const double base = std::max({s.input, s.shuffle_read, s.shuffle_write, s.output});
        if (s.memory_spilled <= 0 || base <= 0) {
            continue;
        }
        const double ratio = s.memory_spilled / base;
        Finding x{"spill", level(ratio, t.spill)};
        if (s.memory_spilled < t.spill_min_bytes) {
            x.severity = std::min(x.severity, Severity::Low);
        }
        if (x.severity == Severity::None) {
            continue;
        }
        x.affected = s.tasks;
        x.stages = {s.id};
        x.figures = {{"memory_bytes_spilled", s.memory_spilled},
                     {"disk_bytes_spilled", s.disk_spilled},
                     {"spill_ratio", ratio}};
        x.explanation = fmt::format(
            "stage {} spilled {} from memory ({} to disk), {:.0f}% of the data "
            "it moved",
            s.id, human(s.memory_spilled), human(s.disk_spilled), ratio * 100);
        const double partitions = f.shuffle_partitions.value_or(200);
        x.suggestion.emplace_back("spark.sql.shuffle.partitions",
                                  std::to_string(static_cast<std::int64_t>(partitions * 2)));
        out.push_back(std::move(x));
    }
}

void gc(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    double run = 0, gc_ms = 0;
    for (const auto& s : f.stages) {
        run += s.run_ms;
        gc_ms += s.gc_ms;
    }
    if (run <= 0 || (t.gates && run < t.gc_min_task_ms)) {
        return;
    }
    const double ratio = gc_ms / run;
    Finding x{"gc", material(level(ratio, t.gc), gc_ms, t)};
    x.affected = static_cast<std::int64_t>(f.executors.size());
    x.figures = {{"gc_ms", gc_ms}, {"run_ms", run}, {"gc_ratio", ratio}};
    if (x.severity != Severity::None) {
        x.explanation =
            fmt::format("executors spent {:.0f}% of task time in garbage collection", ratio * 100);
        if (f.executor_memory) {
            x.suggestion.emplace_back("spark.executor.memory",
                                      spark_size(*f.executor_memory * 1.5));
        }
        out.push_back(std::move(x));
        return;
    }
    double peak = 0;
    for (const auto& e : f.executors) {
        peak = std::max(peak, e.peak_heap);
    }
    if (ratio < 0.01 && f.executor_memory && peak > 0 && peak / *f.executor_memory < 0.5) {
        x.severity = Severity::Low;
        x.explanation = fmt::format(
            "almost no GC ({:.1f}%) with the heap under half used: memory "
            "to spare",
            ratio * 100);
        out.push_back(std::move(x));
    }
}

void memory(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    double peak = 0;
    for (const auto& e : f.executors) {
        peak = std::max(peak, e.peak_heap);
    }
    if (peak <= 0 || !f.executor_memory || *f.executor_memory <= 0) {
        return;
    }
    const double ratio = peak / *f.executor_memory;
    const char* key = f.local_mode ? "spark.driver.memory" : "spark.executor.memory";
    Finding x{"memory"};
    x.affected = static_cast<std::int64_t>(f.executors.size());
    x.figures = {{"peak_jvm_heap", peak}, {"memory", *f.executor_memory}, {"peak_ratio", ratio}};
    if (ratio > t.memory_high) {
        x.severity = Severity::Severe;
        x.explanation = fmt::format("the heap peaked at {:.0f}% of {} ({}): too little memory",
                                    ratio * 100, key, human(*f.executor_memory));
        x.suggestion.emplace_back(key, spark_size(peak * 1.2 / t.memory_high));
    } else if (ratio < t.memory_low) {
        // Over-provisioning costs money, not runs: moderate only for large heaps.
        x.severity = *f.executor_memory >= 4 * kGiB && ratio < t.memory_low / 2 ? Severity::Moderate
                                                                                : Severity::Low;
        x.explanation = fmt::format("the heap peaked at {} of {} ({:.0f}%)", human(peak),
                                    human(*f.executor_memory), ratio * 100);
        x.suggestion.emplace_back(key, spark_size(std::max(peak * 1.2, 512.0 * 1024 * 1024)));
    } else {
        return;
    }
    out.push_back(std::move(x));
}

std::string failure_class(const std::string& reason) {
    auto has = [&](const char* s) { return reason.find(s) != std::string::npos; };
    if (has("OutOfMemoryError") || has("java.lang.OutOfMemory")) {
        return "oom";
    }
    if (has("exceeding memory limits") || has("Container killed") || has("exit code 137") ||
        has("exit code 143")) {
        return "container_killed_memory";
    }
    if (has("FetchFailed")) {
        return "fetch_failure";
    }
    if (has("ExecutorLostFailure") || has("Executor lost") || has("executor lost")) {
        return "executor_lost";
    }
    if (has("Exception") || has("Error")) {
        return "user_code";
    }
    return "other";
}

void failures(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    std::int64_t failed = 0, tasks = 0, failed_stages = 0;
    double worst = 0;
    Finding x{"failures"};
    for (const auto& s : f.stages) {
        failed += s.failed_tasks;
        tasks += s.tasks;
        failed_stages += s.status == "FAILED" ? 1 : 0;
        if (s.tasks > 0 && s.failed_tasks > 0) {
            const double ratio = static_cast<double>(s.failed_tasks) / static_cast<double>(s.tasks);
            if (level(ratio, t.failures) != Severity::None) {
                x.stages.push_back(s.id);
            }
            worst = std::max(worst, ratio);
        }
    }
    // Graded on the share of all tasks that failed, not on the worst stage: one retried task
    // of a four-task stage is 25% of that stage and nothing for the run. When the tasks are
    // known, the time they lost must also matter.
    Severity sev =
        level(tasks > 0 ? static_cast<double>(failed) / static_cast<double>(tasks) : 0, t.failures);
    if (f.failed_task_ms > 0) {
        sev = material(sev, f.failed_task_ms, t);
    }
    if (failed_stages > 0 || f.executors_lost > 0) {
        sev = std::max(sev, Severity::Moderate);
    }
    std::map<std::string, std::int64_t> classes;
    for (const auto& [reason, n] : f.failure_reasons) {
        classes[failure_class(reason)] += n;
    }
    if (classes.contains("oom") || classes.contains("container_killed_memory")) {
        sev = std::max(sev, Severity::Severe);
    }
    if (sev == Severity::None) {
        return;
    }
    x.severity = sev;
    x.affected = failed + f.executors_lost;
    json::array by_class;
    for (const auto& [c, n] : classes) {
        by_class.push_back(json::object{{"class", c}, {"tasks", n}});
    }
    x.figures = {{"failed_tasks", failed},
                 {"tasks", tasks},
                 {"worst_stage_failure_ratio", worst},
                 {"failed_stages", failed_stages},
                 {"executors_lost", f.executors_lost},
                 {"failed_task_core_hours",
                  f.failed_task_ms * static_cast<double>(f.task_cpus) / 3.6e6},
                 {"classes", std::move(by_class)}};
    x.explanation = fmt::format(
        "{} of {} tasks failed ({:.1f}%; worst stage {:.0f}%), {} stage(s) failed, {} "
        "executor(s) lost",
        failed, tasks,
        tasks > 0 ? 100.0 * static_cast<double>(failed) / static_cast<double>(tasks) : 0.0,
        worst * 100, failed_stages, f.executors_lost);
    if ((classes.contains("oom") || classes.contains("container_killed_memory")) &&
        f.executor_memory) {
        x.suggestion.emplace_back(f.local_mode ? "spark.driver.memory" : "spark.executor.memory",
                                  spark_size(*f.executor_memory * 1.5));
    }
    out.push_back(std::move(x));
}

void partitions(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    const auto slots =
        std::max<std::int64_t>(1, total_cores(f) / std::max<std::int64_t>(1, f.task_cpus));
    double max_shuffle = 0;
    for (const auto& s : f.stages) {
        max_shuffle = std::max(max_shuffle, s.shuffle_write);
    }
    const auto target =
        static_cast<std::int64_t>(std::max(1.0, std::ceil(max_shuffle / t.partition_target_bytes)));
    for (const auto& s : f.stages) {
        if (!s.task_duration.known || s.tasks == 0) {
            continue;
        }
        const double median_min = s.task_duration.median / 60'000.0;
        Finding x{"partitions", level(median_min, t.long_tasks_minutes)};
        const char* why = "too_few";
        if (x.severity == Severity::None && s.tasks > t.many_tasks &&
            s.task_duration.median < t.many_tasks_median_ms) {
            x.severity = Severity::Moderate;
            why = "too_many";
        }
        if (x.severity == Severity::None) {
            continue;
        }
        x.affected = s.tasks;
        x.stages = {s.id};
        x.figures = {{"kind", why},
                     {"tasks", s.tasks},
                     {"median_task_ms", s.task_duration.median},
                     {"tasks_per_slot", static_cast<double>(s.tasks) / static_cast<double>(slots)}};
        x.explanation =
            std::string(why) == "too_few"
                ? fmt::format("stage {}: the median task ran {:.1f} min: too few partitions", s.id,
                              median_min)
                : fmt::format("stage {}: {} tasks of {:.0f} ms median: too many partitions", s.id,
                              s.tasks, s.task_duration.median);
        // The size-based target goes the finding's way, one step at a time: at least twice the
        // partitions for too few; for too many, half, or the target when it lies between (never
        // the 1 partition an empty shuffle's size would give 6,000 tasks).
        std::int64_t value = target;
        if (f.shuffle_partitions && *f.shuffle_partitions >= 1) {
            const auto now = static_cast<std::int64_t>(*f.shuffle_partitions);
            if (std::string(why) == "too_few") {
                value = std::max(target, now * 2);
            } else {
                value = target > now / 2 && target < now ? target : now / 2;
                value = std::max<std::int64_t>(1, value);
            }
        }
        x.suggestion.emplace_back("spark.sql.shuffle.partitions", std::to_string(value));
        out.push_back(std::move(x));
    }
}

void io_shape(const AttemptFacts& f, const Thresholds& t, std::vector<Finding>& out) {
    double input = 0, output = 0, run = 0, wait = 0;
    for (const auto& s : f.stages) {
        input += s.input;
        output += s.output;
        run += s.run_ms;
        wait += s.fetch_wait_ms + s.write_time_ms;
    }
    if (run > 0 && wait / run > t.shuffle_wait_share) {
        Finding x{"io_shape", material(Severity::Moderate, wait, t)};
        x.affected = total_tasks(f);
        x.figures = {{"kind", "shuffle_wait"}, {"shuffle_wait_share", wait / run}};
        x.explanation = fmt::format("{:.0f}% of task time waited on shuffle fetches and writes",
                                    wait / run * 100);
        out.push_back(std::move(x));
    }
    if (input > 0 && output / input > t.data_explosion) {
        Finding x{"io_shape", Severity::Moderate};
        x.affected = total_tasks(f);
        x.figures = {{"kind", "data_explosion"}, {"output_over_input", output / input}};
        x.explanation = fmt::format("the run wrote {:.1f}x what it read", output / input);
        out.push_back(std::move(x));
    }
}

void config(const AttemptFacts& f, std::vector<Finding>& out) {
    auto low = [&](const char* what, std::string explanation, const char* key, std::string value) {
        Finding x{"config", Severity::Low};
        x.figures = {{"kind", what}};
        x.explanation = std::move(explanation);
        if (key != nullptr) {
            x.suggestion.emplace_back(key, std::move(value));
        }
        out.push_back(std::move(x));
    };
    if (f.serializer.empty() || f.serializer.find("JavaSerializer") != std::string::npos) {
        low("java_serializer", "the Java serializer is slower and larger than Kryo",
            "spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    }
    if (f.executor_cores && *f.executor_cores > 5) {
        low("executor_cores",
            fmt::format("{} cores per executor: HDFS throughput suffers past 5", *f.executor_cores),
            "spark.executor.cores", "5");
    }
    if (!f.local_mode && f.executor_memory && *f.executor_memory > 64 * kGiB) {
        low("executor_memory", "executors over 64 GiB suffer long GC pauses", nullptr, "");
    }
    if (f.dynamic_allocation && !f.max_executors) {
        low("dynamic_allocation_unbounded",
            "dynamic allocation without a maximum can take the cluster",
            "spark.dynamicAllocation.maxExecutors", "");
    }
}

}  // namespace

std::string_view severity_name(Severity s) {
    switch (s) {
        case Severity::None: return "none";
        case Severity::Low: return "low";
        case Severity::Moderate: return "moderate";
        case Severity::Severe: return "severe";
        case Severity::Critical: return "critical";
    }
    return "none";
}

Severity level(double value, const Limits& limits) {
    if (!std::isfinite(value)) {
        return Severity::None;
    }
    Severity s = Severity::None;
    for (std::size_t i = 0; i < limits.size(); ++i) {
        if (value >= limits[i]) {
            s = static_cast<Severity>(i + 1);
        }
    }
    return s;
}

namespace {

// The run's current value of a setting findings suggest, as a number (bytes for memory).
std::optional<double> current_value(const AttemptFacts& f, std::string_view key) {
    if (key == "spark.sql.shuffle.partitions") {
        return f.shuffle_partitions;
    }
    if (key == "spark.executor.memory") {
        return f.executor_memory;
    }
    if (key == "spark.driver.memory") {
        return f.driver_memory;
    }
    return std::nullopt;
}

std::optional<double> suggested_value(std::string_view key, const std::string& value) {
    if (key.ends_with(".memory")) {
        auto bytes = parse_size(value, 1 << 20);
        return bytes ? std::optional<double>(static_cast<double>(*bytes)) : std::nullopt;
    }
    auto n = parse_size(value);  // a plain count
    return n ? std::optional<double>(static_cast<double>(*n)) : std::nullopt;
}

// One run's findings never disagree about a setting: a suggestion that restates the current
// value is dropped, and where findings point one setting both up and down, the direction of the
// most severe finding stays (the others keep their finding, without that suggestion).
void reconcile(const AttemptFacts& f, std::vector<Finding>& findings) {
    std::vector<Finding*> by_severity;
    for (auto& x : findings) {
        by_severity.push_back(&x);
    }
    std::stable_sort(by_severity.begin(), by_severity.end(),
                     [](const Finding* a, const Finding* b) { return a->severity > b->severity; });
    std::map<std::string, int> direction;  // key -> +1 up, -1 down, as the first finding said
    for (Finding* x : by_severity) {
        std::erase_if(x->suggestion, [&](const auto& kv) {
            const auto now = current_value(f, kv.first);
            const auto want = suggested_value(kv.first, kv.second);
            if (!now || !want) {
                return false;
            }
            if (std::abs(*want - *now) < 0.5) {
                return true;  // already so
            }
            const int way = *want > *now ? 1 : -1;
            return direction.try_emplace(kv.first, way).first->second != way;
        });
    }
}

}  // namespace

std::vector<Finding> run_heuristics(const AttemptFacts& f,
                                    const std::optional<WhatIf>& w,
                                    const Thresholds& t) {
    std::vector<Finding> out;
    failures(f, t, out);  // failures are judged whatever the run's length
    config(f, out);
    if (t.gates && f.duration_ms < t.min_duration_ms) {
        reconcile(f, out);
        return out;
    }
    idle_cores(f, t, out);
    driver_bound(f, t, out);
    over_provisioned(f, w, t, out);
    task_skew(f, t, out);
    spill(f, t, out);
    gc(f, t, out);
    memory(f, t, out);
    partitions(f, t, out);
    io_shape(f, t, out);
    reconcile(f, out);
    return out;
}

}  // namespace spot::aggregators::analyze
