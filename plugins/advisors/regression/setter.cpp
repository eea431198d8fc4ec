#include "setter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace spot::advisors::regression {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// Values to try for one knob: every integer in [lowest seen / step, highest seen x step] within
// the bounds, thinned geometrically when there are many.
std::vector<double> span(double lo_seen, double hi_seen, double step, double lo, double hi) {
    const double a = std::max(lo, std::floor(lo_seen / step));
    const double b = std::min(hi, std::ceil(hi_seen * step));
    std::set<double> out;
    for (double v = std::max(a, 1.0); v <= b; v = std::max(v + 1, std::round(v * 1.25))) {
        out.insert(v);
    }
    out.insert(std::clamp(lo_seen, lo, hi));
    out.insert(std::clamp(hi_seen, lo, hi));
    return {out.begin(), out.end()};
}

// The memory the next run needs: the largest heap peak seen, with a margin; after an OOM, more
// than the memory that failed. Rounded up to 128 MiB. A run without a heap peak (no executor
// metrics) says nothing about memory, not that none is needed: with no peak at all the current
// memory is kept.
double needed_memory(const std::vector<Observation>& runs,
                     double current,
                     const Bounds& b,
                     std::vector<std::string>& notes) {
    double peak = 0, failed_at = 0;
    for (const auto& r : runs) {
        peak = std::max(peak, r.peak_heap);
        if (r.oom) {
            failed_at = std::max(failed_at, r.config.memory_bytes);
        }
    }
    if (peak <= 0 && failed_at <= 0) {
        notes.emplace_back("no run recorded a heap peak: the memory is kept as it is");
        return current;
    }
    double need = peak * b.memory_margin;
    if (failed_at > 0) {
        need = std::max(need, failed_at * b.oom_margin);
        notes.push_back(
            fmt::format("a run ran out of memory with {:.0f} MiB: at least {:.1f}x that",
                        failed_at / kMiB, b.oom_margin));
    }
    need = std::clamp(need, b.min_memory, b.max_memory);
    return std::ceil(need / (128 * kMiB)) * 128 * kMiB;
}

bool better(Goal goal, const Prediction& a, const Prediction& b) {
    if (goal == Goal::Time) {
        return a.duration_ms < b.duration_ms ||
               (a.duration_ms == b.duration_ms && a.core_hours < b.core_hours);
    }
    return a.core_hours < b.core_hours ||
           (a.core_hours == b.core_hours && a.duration_ms < b.duration_ms);
}

}  // namespace

std::optional<Goal> goal_of(std::string_view name) {
    if (name == "cost") {
        return Goal::Cost;
    }
    if (name == "time") {
        return Goal::Time;
    }
    if (name == "deadline") {
        return Goal::Deadline;
    }
    return std::nullopt;
}

std::string_view goal_name(Goal g) {
    switch (g) {
        case Goal::Cost: return "cost";
        case Goal::Time: return "time";
        case Goal::Deadline: return "deadline";
    }
    return "cost";
}

Result<Advice> advise(const std::vector<Observation>& job_runs,
                      const std::vector<Observation>& cluster_runs,
                      const AdviceRequest& request,
                      const Bounds& bounds,
                      const ModelOptions& options) {
    if (job_runs.empty()) {
        return make_error(ErrorCode::Config, "no runs of job '" + request.job + "' observed", "");
    }
    if (request.goal == Goal::Deadline && request.deadline_ms <= 0) {
        return make_error(ErrorCode::Config, "goal deadline needs a deadline", "");
    }
    if (job_runs.size() < bounds.min_history) {
        // One run says nothing about how the job scales: no borrowed numbers passed as advice.
        Advice a;
        a.job = request.job;
        a.goal = request.goal;
        a.status = "insufficient_history";
        a.job_runs = job_runs.size();
        a.input_bytes = request.input_bytes.value_or(job_runs.back().input_bytes);
        a.current = request.current.value_or(job_runs.back().config);
        a.advised = a.current;
        a.notes.push_back(fmt::format("{} run(s) of this job, {} needed before advising",
                                      job_runs.size(), bounds.min_history));
        return a;
    }
    const auto model = DurationModel::fit(job_runs, cluster_runs, options);
    if (!model.valid()) {
        return make_error(ErrorCode::Config, "no model for job '" + request.job + "'", "");
    }
    Advice a;
    a.job = request.job;
    a.goal = request.goal;
    a.job_runs = job_runs.size();
    a.model = model.describe();
    const auto& latest = job_runs.back();
    a.input_bytes = request.input_bytes.value_or(latest.input_bytes);
    a.current = request.current.value_or(latest.config);
    if (model.predict(0, a.current).model == "cluster") {
        a.notes.push_back(
            fmt::format("{} run(s) of this job, fewer than {}: the cluster model over "
                        "{} runs, shifted to this job's level",
                        job_runs.size(), options.min_runs, model.predict(0, a.current).runs));
    }
    const double memory = needed_memory(job_runs, a.current.memory_bytes, bounds, a.notes);

    std::vector<Config> candidates;
    if (request.candidates) {
        candidates = *request.candidates;
    } else {
        double lo_e = 1e18, hi_e = 0, lo_c = 1e18, hi_c = 0;
        std::set<double> parts;
        for (const auto& r : job_runs) {
            lo_e = std::min(lo_e, r.config.executors);
            hi_e = std::max(hi_e, r.config.executors);
            lo_c = std::min(lo_c, r.config.cores);
            hi_c = std::max(hi_c, r.config.cores);
            parts.insert(
                std::clamp(r.config.partitions, bounds.min_partitions, bounds.max_partitions));
        }
        // ~128 MB per shuffle partition (the analysis' partitions heuristic), within the step.
        const double sized = std::max(1.0, std::round(latest.shuffle_bytes / (128 * kMiB)));
        const double lo_p = *parts.begin(), hi_p = *parts.rbegin();
        parts.insert(std::clamp(sized, std::max(bounds.min_partitions, lo_p / bounds.explore_step),
                                std::min(bounds.max_partitions, hi_p * bounds.explore_step)));
        for (double e :
             span(lo_e, hi_e, bounds.explore_step, bounds.min_executors, bounds.max_executors)) {
            for (double c :
                 span(lo_c, hi_c, bounds.explore_step, bounds.min_cores, bounds.max_cores)) {
                for (double p : parts) {
                    candidates.push_back({e, c, memory, latest.config.overhead_bytes, p});
                }
            }
        }
        candidates.push_back(a.current);
    }
    a.at_current = model.predict(a.input_bytes, a.current);
    const double max_duration = request.goal == Goal::Deadline ? request.deadline_ms
                                : request.goal == Goal::Cost
                                    ? a.at_current.duration_ms * (1 + request.slowdown_budget)
                                    : 1e300;
    const double max_cost = request.goal == Goal::Time && request.cost_budget > 0
                                ? a.at_current.core_hours * request.cost_budget
                                : 1e300;
    std::optional<std::pair<Config, Prediction>> best, fastest;
    for (const auto& c : candidates) {
        const auto p = model.predict(a.input_bytes, c);
        if (!fastest || p.duration_ms < fastest->second.duration_ms) {
            fastest.emplace(c, p);
        }
        if (p.duration_ms > max_duration || p.core_hours > max_cost) {
            continue;
        }
        if (!best || better(request.goal, p, best->second)) {
            best.emplace(c, p);
        }
    }
    if (!best) {
        a.notes.push_back(request.goal == Goal::Deadline
                              ? "no configuration meets the deadline: the fastest one"
                              : "no configuration within the budget: the fastest one");
        best = fastest;
    }
    a.advised = best->first;
    if (!request.candidates) {
        a.advised.memory_bytes = memory;  // never below the observed need, trimmed to it
    }
    a.at_advised = best->second;
    // A change must be worth making: under min_gain on the goal's measure, keep what runs.
    const double gain =
        request.goal == Goal::Time
            ? (a.at_current.duration_ms > 0
                   ? 1 - a.at_advised.duration_ms / a.at_current.duration_ms
                   : 0)
            : (a.at_current.core_hours > 0 ? 1 - a.at_advised.core_hours / a.at_current.core_hours
                                           : 0);
    const bool current_fits =
        request.goal != Goal::Deadline || a.at_current.duration_ms <= request.deadline_ms;
    if (!request.candidates && !(a.advised == a.current) && gain < request.min_gain &&
        current_fits) {
        a.notes.push_back(
            fmt::format("the best change would gain {:.1f}%, under the {:.0f}% worth making: the "
                        "current "
                        "configuration is kept",
                        gain * 100, request.min_gain * 100));
        a.advised = a.current;
        a.at_advised = a.at_current;
    }
    a.core_hours_saved =
        a.at_current.core_hours > 0 ? 1 - a.at_advised.core_hours / a.at_current.core_hours : 0;
    a.duration_change =
        a.at_current.duration_ms > 0 ? a.at_advised.duration_ms / a.at_current.duration_ms - 1 : 0;
    return a;
}

}  // namespace spot::advisors::regression
