#include "normalize/spark_properties.hpp"

#include <spot/text.hpp>
#include <spot/time.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace spot::core {

namespace {

// Host-specific or sensitive keys dropped before storing (SPEC §4.1).
constexpr std::array<std::string_view, 18> kRemoved = {
    "spark.driver.host",
    "spark.driver.port",
    "spark.jars",
    "spark.eventLog.dir",
    "spark.driver.appUIAddress",
    "spark.ui.filters",
    "spark.yarn.app.container.log.dir",
    "spark.history.kerberos.keytab",
    "spark.history.kerberos.principal",
    "spark.yarn.keytab",
    "spark.yarn.principal",
    "spark.driver.extraJavaOptions",
    "spark.executor.extraJavaOptions",
    "spark.yarn.am.extraJavaOptions",
    "spark.executorEnv.PYTHONPATH",
    // YARN's AmIpFilter parameters, whatever their prefix:
    "AmIpFilter.param.PROXY_HOSTS",
    "AmIpFilter.param.PROXY_URI_BASES",
    "AmIpFilter.param.RM_HA_URLS",
};

bool removed(std::string_view key) {
    for (std::size_t i = 0; i < kRemoved.size(); ++i) {
        if (i >= 15 ? key.ends_with(kRemoved[i]) : key == kRemoved[i]) {
            return true;
        }
    }
    return false;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Splits "512m" into 512 and "m"; the number may be fractional.
std::optional<std::pair<double, std::string>> number_and_unit(std::string_view text) {
    text = trim(text);
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || v < 0) {
        return std::nullopt;
    }
    return std::make_pair(v, lower(trim(std::string_view(end, text.data() + text.size() - end))));
}

std::optional<boost::json::value> bytes(std::string_view text, std::int64_t bare_unit) {
    auto n = parse_size(text, bare_unit);
    return n ? std::optional<boost::json::value>(*n) : std::nullopt;
}

std::optional<boost::json::value> millis(std::string_view text) {
    auto nu = number_and_unit(text);
    if (!nu) {
        return std::nullopt;
    }
    static const std::pair<std::string_view, double> kUnits[] = {
        {"", 1000.0},     {"ms", 1.0},      {"s", 1000.0},     {"m", 60000.0},
        {"min", 60000.0}, {"h", 3600000.0}, {"d", 86400000.0},
    };
    for (auto [u, f] : kUnits) {
        if (nu->second == u) {
            return boost::json::value(static_cast<std::int64_t>(nu->first * f));
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<boost::json::value> type_property(std::string_view text, PropertyType type) {
    switch (type) {
        case PropertyType::Int: {
            auto t = trim(text);
            std::int64_t v = 0;
            auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec != std::errc() || end != t.data() + t.size() || t.empty()) {
                return std::nullopt;
            }
            return boost::json::value(v);
        }
        case PropertyType::Float: {
            auto t = trim(text);
            double v = 0;
            auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
            if (ec != std::errc() || end != t.data() + t.size() || t.empty()) {
                return std::nullopt;
            }
            return boost::json::value(v);
        }
        case PropertyType::Bool: {
            const auto v = lower(trim(text));
            if (v == "true" || v == "1" || v == "y" || v == "yes") {
                return boost::json::value(true);
            }
            if (v == "false" || v == "0" || v == "n" || v == "no") {
                return boost::json::value(false);
            }
            return std::nullopt;
        }
        case PropertyType::Bytes: return bytes(text, 1);
        case PropertyType::KiB: return bytes(text, 1024);
        case PropertyType::MiB: return bytes(text, 1 << 20);
        case PropertyType::Seconds: return millis(text);
    }
    return std::nullopt;
}

PropertyRules default_property_rules() {
    PropertyRules r;
    add_typed_keys(r, PropertyType::Int,
                   {"spark.port.maxRetries", "spark.executor.instances", "spark.driver.cores",
                    "spark.executor.cores", "spark.dynamicAllocation.maxExecutors",
                    "spark.dynamicAllocation.minExecutors", "spark.yarn.maxAppAttempts",
                    "spark.yarn.containerLauncherMaxThreads", "spark.yarn.submit.file.replication",
                    "spark.sql.shuffle.partitions"});
    add_typed_keys(r, PropertyType::Float,
                   {"spark.dynamicAllocation.executorAllocationRatio", "spark.memory.fraction"});
    add_typed_keys(r, PropertyType::Bool,
                   {"spark.eventLog.enabled", "spark.logConf",
                    "spark.hadoop.yarn.timeline-service.enabled", "spark.dynamicAllocation.enabled",
                    "spark.history.fs.cleaner.enabled", "spark.rdd.compress",
                    "spark.shuffle.service.enabled", "spark.speculation",
                    "spark.sql.adaptive.enabled", "spark.sql.hive.convertMetastoreParquet",
                    "spark.sql.parquet.writeLegacyFormat", "spark.history.kerberos.enabled",
                    "spark.yarn.preserve.staging.files", "spark.yarn.submit.waitAppCompletion"});
    add_typed_keys(r, PropertyType::Bytes,
                   {"spark.driver.memory", "spark.executor.memory", "spark.driver.maxResultSize",
                    "spark.sql.adaptive.shuffle.targetPostShuffleInputSize",
                    "spark.sql.autoBroadcastJoinThreshold", "spark.files.maxPartitionBytes",
                    "spark.files.openCostInBytes"});
    add_typed_keys(r, PropertyType::MiB,
                   {"spark.driver.memoryOverhead", "spark.executor.memoryOverhead",
                    "spark.yarn.driver.memoryOverhead", "spark.yarn.executor.memoryOverhead",
                    "spark.yarn.am.memoryOverhead", "spark.executor.pyspark.memory",
                    "spark.reducer.maxSizeInFlight", "spark.kryoserializer.buffer.max",
                    "spark.rpc.message.maxSize"});
    add_typed_keys(r, PropertyType::KiB,
                   {"spark.shuffle.file.buffer", "spark.eventLog.buffer.kb",
                    "spark.kryoserializer.buffer", "spark.broadcast.blockSize"});
    add_typed_keys(r, PropertyType::Seconds,
                   {"spark.sql.broadcastTimeout", "spark.executor.heartbeatInterval",
                    "spark.dynamicAllocation.executorIdleTimeout", "spark.network.timeout",
                    "spark.yarn.scheduler.heartbeat.interval-ms"});
    r.redact = std::regex("secret|password|token|access[.]key|credential",
                          std::regex::ECMAScript | std::regex::icase);
    return r;
}

void add_typed_keys(PropertyRules& rules, PropertyType type, const std::vector<std::string>& keys) {
    for (const auto& k : keys) {
        rules.typed[k] = type;
    }
}

boost::json::object normalize_spark_properties(const boost::json::array& pairs,
                                               const PropertyRules& rules,
                                               spdlog::logger& log,
                                               std::string_view app_id) {
    boost::json::object out;
    for (const auto& pair : pairs) {
        const auto* kv = pair.if_array();
        if (kv == nullptr || kv->size() != 2 || !(*kv)[0].is_string()) {
            continue;
        }
        const std::string_view key = (*kv)[0].get_string();
        if (removed(key)) {
            continue;
        }
        std::string name(key);
        std::replace(name.begin(), name.end(), '.', '_');
        if (std::regex_search(key.begin(), key.end(), rules.redact)) {
            out[name] = "*** redacted ***";
            continue;
        }
        const auto& value = (*kv)[1];
        auto typed = rules.typed.find(key);
        if (typed == rules.typed.end() || !value.is_string()) {
            out[name] = value;
            continue;
        }
        if (auto v = type_property(value.get_string(), typed->second)) {
            out[name] = std::move(*v);
        } else {
            log.warn("spark property kept as text app='{}' key='{}' value='{}'", app_id, key,
                     std::string_view(value.get_string()));
            out[name] = value;
        }
    }
    return out;
}

}  // namespace spot::core
