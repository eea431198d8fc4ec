// The configuration: one YAML file, validated in one pass against the core's own option tables
// and each plugin's declarations. Every error carries file:line:column, the key path and the
// plugin, so `spotd --check-config` can print them all at once.
#pragma once

#include "normalize/spark_properties.hpp"
#include "plugins/registry.hpp"

#include <spot/options.hpp>
#include <spot/result.hpp>

#include <chrono>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace spot::core {

struct InstanceConfig {
    std::string plugin;     // plugin name
    std::string id;         // unique in its pipeline; names the logger <pipeline>.<id>
    std::string log_level;  // empty: the global level
    Options options;        // validated against the plugin's declarations
    std::string location;   // "file:line:column: key.path (plugin)", for the factory's errors
    const LoadedPlugin* loaded = nullptr;
};

struct PipelineConfig {
    std::string name;
    bool skip_exceptions = true;
    std::int64_t concurrency = 8;
    std::chrono::milliseconds poll_interval{10'000};
    std::chrono::milliseconds stall_limit{15 * 60'000};   // 0: never reported as stalled
    PropertyRules properties = default_property_rules();  // Spark property typing, redaction
    InstanceConfig source;
    std::vector<InstanceConfig> enrichers;
    std::vector<InstanceConfig> aggregators;
    std::vector<InstanceConfig> sinks;
    std::vector<InstanceConfig> advisors;
};

struct Config {
    std::filesystem::path file;
    std::filesystem::path state_dir;
    std::string log_level;
    std::string log_format;
    std::string admin_listen;  // host:port; empty disables the admin endpoint
    std::chrono::milliseconds shutdown_grace{30'000};
    std::chrono::milliseconds watchdog_interval{0};
    std::vector<PipelineConfig> pipelines;
};

// Every error found, one per line, in Error::message; code Config.
[[nodiscard]] Result<Config> load_config(const std::filesystem::path& file,
                                         PluginRegistry& registry);

// The core's own option tables, used for validation and for docs/configuration.md.
std::span<const spot_option_decl> top_level_options();
std::span<const spot_option_decl> pipeline_options();
std::span<const spot_option_decl> instance_options();

// Levenshtein distance, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate within a distance that still looks like a typo, or empty.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace spot::core
