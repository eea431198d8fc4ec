// Setter (SPEC §7): the configuration of a job's next run, under a goal, within the operator's
// bounds, never below the memory the job has been seen to need, and never further than a bounded
// step beyond the configurations it has run (explore gradually, as online tuners do).
#pragma once

#include "model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace spot::advisors::regression {

enum class Goal { Cost, Time, Deadline };
std::optional<Goal> goal_of(std::string_view name);
std::string_view goal_name(Goal g);

struct Bounds {
    double min_executors = 1, max_executors = 100;
    double min_cores = 1, max_cores = 5;
    double min_memory = 512.0 * 1024 * 1024, max_memory = 64.0 * 1024 * 1024 * 1024;
    double min_partitions = 1, max_partitions = 10000;
    std::size_t min_history = 2;  // runs of the job itself before any advice
    double explore_step = 2;      // at most this factor beyond the smallest and largest values run
    double memory_margin = 1.2,
           oom_margin = 1.5;  // x peak heap; after an OOM, x the memory that failed
};

struct AdviceRequest {
    std::string job;
    std::optional<double> input_bytes;  // default: the latest run's
    Goal goal = Goal::Cost;
    double slowdown_budget = 0.10;  // cost: at most this much slower than the current config
    double cost_budget = 1.5;       // time: at most this many times the current core-hours (0: any)
    double min_gain = 0.05;  // a predicted gain under this share keeps the current configuration
    double deadline_ms = 0;  // deadline
    std::optional<std::vector<Config>> candidates;  // only these (offline evaluation on a grid)
    std::optional<Config> current;  // the configuration to compare with (default: the latest run's)
};

struct Advice {
    std::string job;
    // "ok", or "insufficient_history": too few runs of the job to advise; nothing is predicted
    // and `advised` is the current configuration.
    std::string status = "ok";
    Goal goal = Goal::Cost;
    double input_bytes = 0;
    Config current, advised;
    Prediction at_current, at_advised;
    double core_hours_saved = 0;  // fraction of the current configuration's
    double duration_change = 0;   // advised / current - 1
    std::size_t job_runs = 0;
    std::vector<std::string> notes;
    boost::json::object model;  // DurationModel::describe()
};

// `job_runs`: the job's observations, `cluster_runs`: every job's, both time-ordered.
Result<Advice> advise(const std::vector<Observation>& job_runs,
                      const std::vector<Observation>& cluster_runs,
                      const AdviceRequest& request,
                      const Bounds& bounds,
                      const ModelOptions& options);

}  // namespace spot::advisors::regression
