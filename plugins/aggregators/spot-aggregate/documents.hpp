// The documents of one Run: the raw document (SPEC §4.1, optional) and one aggregated document
// per attempt (SPEC §4.3).
#pragma once

#include <spot/plugin.hpp>

namespace spot::aggregators::aggregate {

struct Settings {
    bool raw = false;                         // also emit the raw document
    double block_size = 128.0 * 1024 * 1024;  // HDFS block, for the *_blocks figures
};

// Raw document: the application with every attempt, id = application id.
Document raw_document(const Run& run, const std::string& time_processed);

// Aggregated document of attempt `index`, id = <app id>-<attemptId|0>. Stage ids that lack
// first-task or completion times are appended to `untimed_stages`.
Document agg_document(const Run& run,
                      std::size_t index,
                      const Settings& settings,
                      const std::string& time_processed,
                      std::vector<std::string>& untimed_stages);

}  // namespace spot::aggregators::aggregate
