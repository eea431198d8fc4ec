#include "whatif.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>

namespace spot::aggregators::analyze {

namespace {

// A group's midpoint of Graham's bounds stands in for its replay when the bounds are this close
// (relative half-width): at most 0.5% off the replay, without touching a task.
constexpr double kBoundsTolerance = 0.005;

// Stages whose [first launch, last finish] overlap ran together: one group, replayed together.
struct Group {
    std::int64_t start = 0, end = 0;
    std::vector<const StageTasks*> stages;
    std::size_t n = 0;              // tasks
    double sum_ms = 0, max_ms = 0;  // of their durations
    // The tasks in launch order, gathered only when a replay needs them.
    mutable std::vector<const TaskTiming*> ordered;
};

std::int64_t duration_of(const TaskTiming& t) { return std::max<std::int64_t>(0, t.duration_ms); }

// From the stages' summaries: no pass over the tasks.
std::vector<Group> stage_groups(const AttemptTasks& attempt) {
    struct Span {
        StageTaskSummary summary;
        const StageTasks* stage;
    };
    std::vector<Span> spans;
    for (const auto& s : attempt.stages) {
        if (!s.tasks.empty()) {
            spans.push_back({summary_of(s), &s});
        }
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
        return a.summary.first_launch_ms < b.summary.first_launch_ms;
    });
    std::vector<Group> groups;
    for (const auto& [summary, stage] : spans) {
        if (groups.empty() || summary.first_launch_ms >= groups.back().end) {
            groups.emplace_back();
            groups.back().start = summary.first_launch_ms;
            groups.back().end = summary.last_finish_ms;
        }
        auto& g = groups.back();
        g.end = std::max(g.end, summary.last_finish_ms);
        g.stages.push_back(stage);
        g.n += stage->tasks.size();
        g.sum_ms += summary.duration_ms;
        g.max_ms = std::max(g.max_ms, summary.longest_ms);
    }
    return groups;
}

const std::vector<const TaskTiming*>& launch_order(const Group& g) {
    if (g.ordered.empty()) {
        g.ordered.reserve(g.n);
        for (const auto* s : g.stages) {
            for (const auto& t : s->tasks) {
                g.ordered.push_back(&t);
            }
        }
        std::stable_sort(g.ordered.begin(), g.ordered.end(),
                         [](const TaskTiming* a, const TaskTiming* b) {
                             return a->launch_ms < b->launch_ms;
                         });
    }
    return g.ordered;
}

// List scheduling: each task, in launch order, starts on the slot that frees first. Exact where
// the answer is known without a replay (a slot per task: the longest task; one slot: the sum).
// Otherwise Graham's bounds hold for any order, max(sum/s, longest) <= makespan <=
// sum/s + (1 - 1/s) x longest; when they are within kBoundsTolerance of their midpoint, that is
// the answer, else the tasks are replayed.
double makespan(const Group& g, std::int64_t slots) {
    if (static_cast<std::size_t>(slots) >= g.n) {
        return g.max_ms;
    }
    if (slots == 1) {
        return g.sum_ms;
    }
    const auto s = static_cast<double>(slots);
    const double lower = std::max(g.sum_ms / s, g.max_ms);
    const double upper = g.sum_ms / s + (1 - 1 / s) * g.max_ms;
    if (upper - lower <= 2 * kBoundsTolerance * lower) {
        return (lower + upper) / 2;
    }
    std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
    for (std::int64_t i = 0; i < slots; ++i) {
        free_at.push(0.0);
    }
    double end = 0;
    for (const auto* t : launch_order(g)) {
        const double finish = free_at.top() + static_cast<double>(duration_of(*t));
        free_at.pop();
        end = std::max(end, finish);
        free_at.push(finish);
    }
    return end;
}

double driver_time(const std::vector<Group>& groups, double actual_ms) {
    double in_stages = 0;
    for (const auto& g : groups) {
        in_stages += static_cast<double>(g.end - g.start);
    }
    return std::max(0.0, actual_ms - in_stages);
}

}  // namespace

double simulate(const AttemptTasks& tasks, double driver_ms, std::int64_t slots) {
    double total = driver_ms;
    for (const auto& g : stage_groups(tasks)) {
        total += makespan(g, std::max<std::int64_t>(1, slots));
    }
    return total;
}

std::optional<WhatIf> what_if(const AttemptTasks& tasks,
                              double actual_duration_ms,
                              std::int64_t cores_per_executor,
                              std::int64_t task_cpus) {
    WhatIf w;
    const auto groups = stage_groups(tasks);
    const auto used = static_cast<std::int64_t>(tasks.executors.size());  // each ran tasks
    if (used == 0 || cores_per_executor <= 0 || actual_duration_ms <= 0) {
        return std::nullopt;
    }
    const std::int64_t slots_per_executor =
        std::max<std::int64_t>(1, cores_per_executor / std::max<std::int64_t>(1, task_cpus));
    for (const auto& g : groups) {
        w.task_ms += g.sum_ms;
    }
    w.executors_used = used;
    w.cores_per_executor = cores_per_executor;
    w.actual_duration_ms = actual_duration_ms;
    w.driver_ms = driver_time(groups, actual_duration_ms);
    auto run_on = [&](std::int64_t executors) {
        double total = w.driver_ms;
        for (const auto& g : groups) {
            total += makespan(g, executors * slots_per_executor);
        }
        return total;
    };
    w.simulated_actual_ms = run_on(w.executors_used);
    w.error = (w.simulated_actual_ms - actual_duration_ms) / actual_duration_ms;
    double best = 0;
    for (int pct : kWhatIfPercents) {
        WhatIfPoint p;
        p.percent = pct;
        p.executors = std::max<std::int64_t>(1, std::llround(static_cast<double>(w.executors_used) *
                                                             pct / 100.0));
        if (!w.points.empty() && w.points.back().executors == p.executors) {
            p.duration_ms = w.points.back().duration_ms;  // 10% and 20% of 2 executors are both 1
        } else {
            p.duration_ms = run_on(p.executors);
        }
        const double slot_ms =
            p.duration_ms * static_cast<double>(p.executors * slots_per_executor);
        p.core_hours =
            p.duration_ms * static_cast<double>(p.executors * cores_per_executor) / 3.6e6;
        p.utilization = slot_ms > 0 ? std::min(1.0, w.task_ms / slot_ms) : 0.0;
        best = w.points.empty() ? p.duration_ms : std::min(best, p.duration_ms);
        w.points.push_back(p);
    }
    for (const auto& p : w.points) {  // ascending executors: the first within 10% is the knee
        if (p.duration_ms <= best * 1.10) {
            w.knee_executors = p.executors;
            w.knee_duration_ms = p.duration_ms;
            w.knee_core_hours = p.core_hours;
            break;
        }
    }
    return w;
}

}  // namespace spot::aggregators::analyze
