// attempt.analysis (SPEC §8): the findings of every heuristic that fired, ranked, the worst
// severity and the summed score, and the executor-count what-if (or why it is missing).
#pragma once

#include "heuristics.hpp"

#include <spot/plugin.hpp>

namespace spot::aggregators::analyze {

struct AttemptAnalysis {
    AttemptFacts facts;
    std::optional<WhatIf> whatif;
    std::string whatif_missing;     // why there is no what-if, when there is none
    std::vector<Finding> findings;  // worst first
    Severity severity = Severity::None;
    std::int64_t score = 0;
};

// The task timings of `attempt` among the run's, or null.
const AttemptTasks* tasks_of(const Run& run, const json::object& attempt);

AttemptAnalysis analyze_attempt(const json::object& attempt,
                                const AttemptTasks* tasks,
                                const Thresholds& t);

// The `analysis` object of the agg document (no data-keyed maps: arrays of objects).
json::object to_json(const AttemptAnalysis& a);

// Core-hours the attempt held (cores x time alive, summed over the executors that offer slots).
double core_hours(const AttemptFacts& f);

}  // namespace spot::aggregators::analyze
