#include "observation.hpp"

#include <spot/json_fields.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>

namespace spot::advisors::regression {

namespace json = boost::json;

namespace {

// A count or time read from a document, which may hold anything: clamped, NaN as 0.
std::int64_t whole(double v) {
    return std::isfinite(v) ? static_cast<std::int64_t>(std::clamp(v, -9e18, 9e18)) : 0;
}

const json::object* object_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr ? v->if_object() : nullptr;
}

// A dotted path through objects ("attempt.aggs.summary"); null when any step is missing.
const json::value* path_of(const json::object& o, std::string_view path) {
    const json::object* cur = &o;
    while (true) {
        const auto dot = path.find('.');
        const auto* v = cur->if_contains(path.substr(0, dot));
        if (v == nullptr || dot == std::string_view::npos) {
            return v;
        }
        cur = v->if_object();
        if (cur == nullptr) {
            return nullptr;
        }
        path.remove_prefix(dot + 1);
    }
}

double stat(const json::object& aggs,
            std::string_view part,
            std::string_view field,
            std::string_view which) {
    const auto* p = object_at(aggs, part);
    const auto* f = p != nullptr ? object_at(*p, field) : nullptr;
    return f != nullptr ? number_of(*f, which).value_or(0) : 0;
}

}  // namespace

std::string JobKey::of(const json::object& doc) const {
    std::string out;
    std::size_t i = 0;
    while (i < key_template.size()) {
        const auto open = key_template.find('{', i);
        if (open == std::string::npos) {
            out += key_template.substr(i);
            break;
        }
        out += key_template.substr(i, open - i);
        const auto close = key_template.find('}', open);
        if (close == std::string::npos) {
            out += key_template.substr(open);
            break;
        }
        if (const auto* v =
                path_of(doc, std::string_view(key_template).substr(open + 1, close - open - 1))) {
            out += v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
        }
        i = close + 1;
    }
    for (const auto& [re, replacement] : rewrites) {
        out = std::regex_replace(out, re, replacement);
    }
    return out;
}

Result<Observation> observation_of(const json::object& agg, const JobKey& key) {
    const auto* attempt = object_at(agg, "attempt");
    if (attempt == nullptr) {
        return make_error(ErrorCode::Json, "not an agg document: no attempt", string_of(agg, "id"));
    }
    Observation o;
    o.job = key.of(agg);
    if (o.job.empty()) {
        return make_error(ErrorCode::Json, "no job key (" + key.key_template + ")",
                          string_of(agg, "id"));
    }
    o.app_id = string_of(agg, "id");
    o.attempt = string_of(*attempt, "attemptId");
    o.end_ms = time_of(*attempt, "endTime").value_or(0);
    const auto duration = number_of(*attempt, "duration");
    if (!duration || *duration <= 0) {
        return make_error(ErrorCode::Json, "attempt without a duration", o.app_id);
    }
    o.duration_ms = *duration;
    o.spark_version = string_of(*attempt, "appSparkVersion");
    if (const auto* aggs = object_at(*attempt, "aggs")) {
        o.input_bytes = stat(*aggs, "stages", "inputBytes", "sum");
        o.max_stage_input = stat(*aggs, "stages", "inputBytes", "max");
        o.shuffle_bytes = stat(*aggs, "stages", "shuffleWriteBytes", "sum");
        o.failed_tasks = whole(stat(*aggs, "stages", "numFailedTasks", "sum"));
        // Executors' statistics are keyed by flattened names (largest peak: "max"); the driver
        // is kept as it is, and is what ran the tasks in local mode.
        if (const auto* ex = object_at(*aggs, "allexecutors")) {
            const auto* execs = object_at(*ex, "executors");
            const auto* heap =
                execs != nullptr ? object_at(*execs, "peakMemoryMetrics.JVMHeapMemory") : nullptr;
            o.peak_heap = heap != nullptr ? number_of(*heap, "max").value_or(0) : 0;
            const auto* driver = object_at(*ex, "driver");
            const auto* peaks =
                driver != nullptr ? object_at(*driver, "peakMemoryMetrics") : nullptr;
            if (o.peak_heap <= 0 && peaks != nullptr) {
                o.peak_heap = number_of(*peaks, "JVMHeapMemory").value_or(0);
            }
        }
    }
    const json::object empty;
    const auto* env = object_at(*attempt, "environment");
    const auto* props_p = env != nullptr ? object_at(*env, "sparkProperties") : nullptr;
    const auto& props = props_p != nullptr ? *props_p : empty;
    o.config.cores = property_of(props, "spark.executor.cores").value_or(1);
    o.config.memory_bytes =
        property_of(props, "spark.executor.memory").value_or(1024.0 * 1024 * 1024);
    o.config.overhead_bytes = property_of(props, "spark.executor.memoryOverhead").value_or(0);
    o.config.partitions = property_of(props, "spark.sql.shuffle.partitions").value_or(200);
    const auto instances = property_of(props, "spark.executor.instances");
    o.aqe = property_of(props, "spark.sql.adaptive.enabled").value_or(1) != 0;
    if (const auto* v = props.if_contains("spark_sql_adaptive_enabled"); v && v->is_bool()) {
        o.aqe = v->get_bool();
    }
    if (const auto* v = props.if_contains("spark_dynamicAllocation_enabled"); v && v->is_bool()) {
        o.dynamic_allocation = v->get_bool();
    }
    if (const auto* analysis = object_at(*attempt, "analysis")) {
        o.core_hours = number_of(*analysis, "core_hours").value_or(0);
        if (const auto* v = analysis->if_contains("local_mode"); v && v->is_bool()) {
            o.local_mode = v->get_bool();
        }
        const auto* findings = analysis->if_contains("findings");
        for (const auto& f :
             findings != nullptr && findings->is_array() ? findings->get_array() : json::array()) {
            const auto* fo = f.if_object();
            const auto* figures = fo != nullptr ? object_at(*fo, "figures") : nullptr;
            const auto* classes = figures != nullptr ? figures->if_contains("classes") : nullptr;
            if (classes != nullptr && classes->is_array()) {
                for (const auto& c : classes->get_array()) {
                    const auto cls = c.is_object() ? string_of(c.get_object(), "class") : "";
                    o.oom = o.oom || cls == "oom" || cls == "container_killed_memory";
                }
            }
        }
        const auto* whatif = object_at(*analysis, "whatif");
        if (whatif != nullptr) {
            if (auto used = number_of(*whatif, "executors_used"); used && *used > 0) {
                o.config.executors = *used;
            }
            if (const auto* points = whatif->if_contains("points"); points && points->is_array()) {
                for (const auto& p : points->get_array()) {
                    if (const auto* po = p.if_object()) {
                        o.whatif.push_back({number_of(*po, "executors").value_or(0),
                                            number_of(*po, "duration_ms").value_or(0),
                                            number_of(*po, "core_hours").value_or(0)});
                    }
                }
            }
        }
    }
    if (o.whatif.empty() && instances) {
        o.config.executors = std::max(1.0, *instances);
    }
    if (o.core_hours <= 0) {  // no analysis: what the executors held for the whole run
        o.core_hours = o.duration_ms * o.config.slots() / 3.6e6;
    }
    const double overhead = o.config.overhead_bytes > 0
                                ? o.config.overhead_bytes
                                : std::max(384.0 * 1024 * 1024, 0.1 * o.config.memory_bytes);
    o.memory_gb_hours = o.config.executors * (o.config.memory_bytes + overhead) / 1073741824.0 *
                        o.duration_ms / 3.6e6;
    // A run that ran out of memory is an observation of what not to do.
    o.succeeded = !o.oom;
    if (const auto* completed = attempt->if_contains("completed");
        completed && completed->is_bool()) {
        o.succeeded = o.succeeded && completed->get_bool();
    }
    return o;
}

json::object to_json(const Observation& o) {
    json::array whatif;
    for (const auto& p : o.whatif) {
        whatif.push_back(json::array{p.executors, p.duration_ms, p.core_hours});
    }
    return {{"job", o.job},
            {"app_id", o.app_id},
            {"attempt", o.attempt},
            {"end_ms", o.end_ms},
            {"input_bytes", o.input_bytes},
            {"max_stage_input", o.max_stage_input},
            {"shuffle_bytes", o.shuffle_bytes},
            {"executors", o.config.executors},
            {"cores", o.config.cores},
            {"memory_bytes", o.config.memory_bytes},
            {"overhead_bytes", o.config.overhead_bytes},
            {"partitions", o.config.partitions},
            {"aqe", o.aqe},
            {"dynamic_allocation", o.dynamic_allocation},
            {"local_mode", o.local_mode},
            {"spark_version", o.spark_version},
            {"duration_ms", o.duration_ms},
            {"core_hours", o.core_hours},
            {"memory_gb_hours", o.memory_gb_hours},
            {"peak_heap", o.peak_heap},
            {"failed_tasks", o.failed_tasks},
            {"oom", o.oom},
            {"succeeded", o.succeeded},
            {"whatif", std::move(whatif)}};
}

Result<Observation> observation_from_json(const json::object& j) {
    Observation o;
    o.job = string_of(j, "job");
    if (o.job.empty() || !number_of(j, "duration_ms")) {
        return make_error(ErrorCode::Json, "not an observation (no job or duration)", "");
    }
    auto num = [&](std::string_view k) { return number_of(j, k).value_or(0); };
    auto flag = [&](std::string_view k) {
        const auto* v = j.if_contains(k);
        return v != nullptr && v->is_bool() && v->get_bool();
    };
    o.app_id = string_of(j, "app_id");
    o.attempt = string_of(j, "attempt");
    o.end_ms = whole(num("end_ms"));
    o.input_bytes = num("input_bytes");
    o.max_stage_input = num("max_stage_input");
    o.shuffle_bytes = num("shuffle_bytes");
    o.config = {num("executors"), num("cores"), num("memory_bytes"), num("overhead_bytes"),
                num("partitions")};
    o.aqe = flag("aqe");
    o.dynamic_allocation = flag("dynamic_allocation");
    o.local_mode = flag("local_mode");
    o.spark_version = string_of(j, "spark_version");
    o.duration_ms = num("duration_ms");
    o.core_hours = num("core_hours");
    o.memory_gb_hours = num("memory_gb_hours");
    o.peak_heap = num("peak_heap");
    o.failed_tasks = whole(num("failed_tasks"));
    o.oom = flag("oom");
    o.succeeded = flag("succeeded");
    if (const auto* w = j.if_contains("whatif"); w && w->is_array()) {
        for (const auto& p : w->get_array()) {
            if (p.is_array() && p.get_array().size() == 3) {
                const auto& a = p.get_array();
                o.whatif.push_back(
                    {a[0].to_number<double>(), a[1].to_number<double>(), a[2].to_number<double>()});
            }
        }
    }
    return o;
}

}  // namespace spot::advisors::regression
