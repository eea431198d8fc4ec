#include "whatif.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <set>

namespace spot::aggregators::analyze {

namespace {

struct Group {
    std::int64_t start = 0, end = 0;
    std::vector<const TaskTiming*> tasks;
};

// Stages whose [first launch, last finish] overlap ran together: one group, replayed together.
std::vector<Group> stage_groups(const AttemptTasks& attempt) {
    struct Span {
        std::int64_t start, end;
        const StageTasks* stage;
    };
    std::vector<Span> spans;
    for (const auto& s : attempt.stages) {
        if (s.tasks.empty()) {
            continue;
        }
        std::int64_t lo = s.tasks.front().launch_ms, hi = lo;
        for (const auto& t : s.tasks) {
            lo = std::min(lo, t.launch_ms);
            hi = std::max(hi, t.launch_ms + t.duration_ms);
        }
        spans.push_back({lo, hi, &s});
    }
    std::sort(spans.begin(), spans.end(),
              [](const Span& a, const Span& b) { return a.start < b.start; });
    std::vector<Group> groups;
    for (const auto& sp : spans) {
        if (groups.empty() || sp.start >= groups.back().end) {
            groups.push_back(Group{sp.start, sp.end, {}});
        }
        auto& g = groups.back();
        g.end = std::max(g.end, sp.end);
        for (const auto& t : sp.stage->tasks) {
            g.tasks.push_back(&t);
        }
    }
    for (auto& g : groups) {
        std::stable_sort(g.tasks.begin(), g.tasks.end(),
                         [](const TaskTiming* a, const TaskTiming* b) {
                             return a->launch_ms < b->launch_ms;
                         });
    }
    return groups;
}

// List scheduling: each task, in launch order, starts on the slot that frees first.
double makespan(const std::vector<const TaskTiming*>& tasks, std::int64_t slots) {
    std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
    for (std::int64_t i = 0;
         i < std::min<std::int64_t>(slots, static_cast<std::int64_t>(tasks.size())); ++i) {
        free_at.push(0.0);
    }
    double end = 0;
    for (const auto* t : tasks) {
        const double start = free_at.top();
        free_at.pop();
        const double finish =
            start + static_cast<double>(std::max<std::int64_t>(0, t->duration_ms));
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
        total += makespan(g.tasks, std::max<std::int64_t>(1, slots));
    }
    return total;
}

std::optional<WhatIf> what_if(const AttemptTasks& tasks,
                              double actual_duration_ms,
                              std::int64_t cores_per_executor,
                              std::int64_t task_cpus) {
    std::set<std::uint32_t> used;
    WhatIf w;
    for (const auto& s : tasks.stages) {
        for (const auto& t : s.tasks) {
            used.insert(t.executor);
            w.task_ms += static_cast<double>(std::max<std::int64_t>(0, t.duration_ms));
        }
    }
    if (used.empty() || cores_per_executor <= 0 || actual_duration_ms <= 0) {
        return std::nullopt;
    }
    const std::int64_t slots_per_executor =
        std::max<std::int64_t>(1, cores_per_executor / std::max<std::int64_t>(1, task_cpus));
    const auto groups = stage_groups(tasks);
    w.executors_used = static_cast<std::int64_t>(used.size());
    w.cores_per_executor = cores_per_executor;
    w.actual_duration_ms = actual_duration_ms;
    w.driver_ms = driver_time(groups, actual_duration_ms);
    auto run_on = [&](std::int64_t executors) {
        double total = w.driver_ms;
        for (const auto& g : groups) {
            total += makespan(g.tasks, executors * slots_per_executor);
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
