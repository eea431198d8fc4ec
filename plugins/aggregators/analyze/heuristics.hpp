// The heuristics of SPEC §8: each reads the attempt's facts and adds the findings it fires.
// Severity levels are low 1, moderate 2, severe 3, critical 4; a finding's score is its level
// times the tasks or executors it affects, counted from moderate up (Dr. Elephant's scoring).
#pragma once

#include "facts.hpp"
#include "whatif.hpp"

#include <boost/json/object.hpp>
#include <array>
#include <string>
#include <vector>

namespace spot::aggregators::analyze {

enum class Severity { None = 0, Low = 1, Moderate = 2, Severe = 3, Critical = 4 };
std::string_view severity_name(Severity s);

// Four ascending limits: at or past limits[0] the level is low, then moderate, severe, critical.
using Limits = std::array<double, 4>;

struct Thresholds {
    Limits idle_cores{0.3, 0.5, 0.7, 0.85};
    Limits driver_bound{0.3, 0.5, 0.7, 0.9};
    double over_provisioned_knee = 0.5;  // knee at or under this share of the executors used
    Limits task_skew{2, 4, 8, 16};
    Limits spill{0.01, 0.1, 0.25, 0.5};
    Limits gc{0.08, 0.1, 0.15, 0.2};
    double memory_low = 0.6, memory_high = 0.95;
    Limits failures{0.05, 0.1, 0.15, 0.2};
    Limits long_tasks_minutes{2.5, 5, 10, 15};
    double many_tasks = 5000, many_tasks_median_ms = 500;
    double shuffle_wait_share = 0.2, data_explosion = 5;
    double partition_target_bytes = 128.0 * 1024 * 1024;
    // Findings about time stay `low` when the time they could win is under this: wasted core
    // time (idle_cores), driver time (driver_bound), the longest task's excess over the median
    // (task_skew by duration), core time saved (over_provisioned_executors), GC and shuffle-wait
    // time. Applied whether or not the gates are.
    double min_impact_ms = 20'000;
    // Size gates (Dr. Elephant): runs, skewed tasks and GC task time under these are not judged.
    bool gates = true;
    double min_duration_ms = 5 * 60'000.0;
    double skew_min_task_ms = 150'000, skew_min_stage_share = 0.75;
    // Applied whether or not the gates are: skew whose longest task does not hold its stage
    // (under skew_min_stage_share of the stage's time), or skew in bytes over a median under
    // skew_min_median_bytes, and spill under spill_min_bytes, are at most `low`. A ratio over
    // almost nothing is large and means little.
    double skew_min_median_bytes = 1024.0 * 1024;
    double spill_min_bytes = 64.0 * 1024 * 1024;
    double gc_min_task_ms = 5 * 60'000.0;
};

struct Finding {
    std::string heuristic;
    Severity severity = Severity::None;
    std::int64_t affected = 0;  // tasks or executors
    std::vector<std::int64_t> stages{};
    boost::json::object figures{};  // the numbers that triggered it (fixed names per heuristic)
    std::string explanation{};
    std::vector<std::pair<std::string, std::string>> suggestion{};  // Spark key -> value
    [[nodiscard]] std::int64_t score() const {
        return severity >= Severity::Moderate ? static_cast<std::int64_t>(severity) * affected : 0;
    }
};

Severity level(double value, const Limits& limits);

std::vector<Finding> run_heuristics(const AttemptFacts& facts,
                                    const std::optional<WhatIf>& whatif,
                                    const Thresholds& t);

}  // namespace spot::aggregators::analyze
