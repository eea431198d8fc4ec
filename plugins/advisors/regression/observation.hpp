// One run of a recurring job as the Regression and the Setter see it (SPEC §7): what it was
// given (input, configuration) and what it cost (duration, core-hours, memory), taken from an agg
// document as it passes or as a sink holds it. Compact: a few hundred bytes per run.
#pragma once

#include <spot/result.hpp>

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace spot::advisors::regression {

// The configuration the Setter chooses; what the model takes besides the input size.
struct Config {
    double executors = 1;       // executors that ran tasks (or spark.executor.instances)
    double cores = 1;           // spark.executor.cores
    double memory_bytes = 0;    // spark.executor.memory
    double overhead_bytes = 0;  // spark.executor.memoryOverhead (0: Spark's default)
    double partitions = 200;    // spark.sql.shuffle.partitions
    [[nodiscard]] double slots() const { return executors * cores; }
    bool operator==(const Config&) const = default;
};

struct WhatIfPoint {
    double executors = 0, duration_ms = 0, core_hours = 0;
};

struct Observation {
    std::string job, app_id, attempt;
    std::int64_t end_ms = 0;
    double input_bytes = 0, max_stage_input = 0, shuffle_bytes = 0;
    Config config;
    bool aqe = false, dynamic_allocation = false, local_mode = false;
    std::string spark_version;
    double duration_ms = 0, core_hours = 0, memory_gb_hours = 0;
    double peak_heap = 0;  // largest executor JVM heap peak (the driver's in local mode)
    std::int64_t failed_tasks = 0;
    bool oom = false, succeeded = true;
    std::vector<WhatIfPoint> whatif;  // from attempt.analysis, when the analysis ran
};

// How runs are grouped into jobs: a template over document fields ("{name}",
// "{app_specific_data.classification.app}") and regex rewrites applied in order (strip dates,
// run numbers).
struct JobKey {
    std::string key_template = "{app_specific_data.classification.app}";
    std::vector<std::pair<std::regex, std::string>> rewrites;
    [[nodiscard]] std::string of(const boost::json::object& doc) const;
};

// The observation of an agg document (its _source); an error when it is not one (no attempt,
// no duration) or has no job key.
Result<Observation> observation_of(const boost::json::object& agg, const JobKey& key);

boost::json::object to_json(const Observation& o);
Result<Observation> observation_from_json(const boost::json::object& o);

}  // namespace spot::advisors::regression
