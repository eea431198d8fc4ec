// The executor-count what-if (Sparklens' method): each group of concurrently running stages has
// its observed task durations replayed, in launch order, on the slots a given number of
// executors would offer; the time outside stages (driver work) is kept as it was. The same
// replay on the actual count gives the simulator's own error.
#pragma once

#include <spot/task_detail.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace spot::aggregators::analyze {

struct WhatIfPoint {
    int percent = 0;  // of the executors used
    std::int64_t executors = 0;
    double duration_ms = 0;  // simulated wall time
    double core_hours = 0;   // executors x cores x simulated time
    double utilization = 0;  // task time / (slots x simulated time)
};

struct WhatIf {
    std::int64_t executors_used = 0;  // distinct executors that ran tasks
    std::int64_t cores_per_executor = 0;
    double actual_duration_ms = 0;
    double driver_ms = 0;             // time outside every stage group
    double task_ms = 0;               // sum of task durations
    double simulated_actual_ms = 0;   // the replay on executors_used
    double error = 0;                 // (simulated_actual - actual) / actual
    std::vector<WhatIfPoint> points;  // in percent order
    std::int64_t knee_executors = 0;  // fewest executors within 10% of the best simulated time
    double knee_duration_ms = 0;
    double knee_core_hours = 0;
};

// The percentages of SPEC §8.
inline constexpr int kWhatIfPercents[] = {10, 20, 50, 75, 100, 150, 200, 300, 500};

// Replays `tasks` on `slots` task slots; the simulated wall time of the attempt.
double simulate(const AttemptTasks& tasks, double driver_ms, std::int64_t slots);

// nullopt when there is nothing to replay (no task, or no executor cores known).
std::optional<WhatIf> what_if(const AttemptTasks& tasks,
                              double actual_duration_ms,
                              std::int64_t cores_per_executor,
                              std::int64_t task_cpus);

}  // namespace spot::aggregators::analyze
