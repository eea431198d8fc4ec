#include "advice_format.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace spot::advisors::regression {

namespace json = boost::json;

namespace {

// A configuration value as a whole number; values read from Spark properties may be anything.
std::int64_t whole(double v) {
    return std::isfinite(v) ? static_cast<std::int64_t>(std::clamp(v, -1e15, 1e15)) : 0;
}

json::object config_json(const Config& c) {
    json::object o{{"spark.executor.instances", whole(c.executors)},
                   {"spark.executor.cores", whole(c.cores)},
                   {"spark.executor.memory", spark_memory(c.memory_bytes)},
                   {"spark.sql.shuffle.partitions", whole(c.partitions)}};
    if (c.overhead_bytes > 0) {
        o["spark.executor.memoryOverhead"] = spark_memory(c.overhead_bytes);
    }
    return o;
}

// As a list of {key, value}: no data-keyed maps in documents (SPEC §4).
json::array config_pairs(const Config& c) {
    json::array out;
    for (const auto& [k, v] : config_json(c)) {
        out.push_back(json::object{{"key", k},
                                   {"value", v.is_string() ? std::string(v.get_string())
                                                           : json::serialize(v)}});
    }
    return out;
}

json::object prediction_json(const Prediction& p) {
    return {{"duration_ms", p.duration_ms},
            {"duration_low_ms", p.duration_low},
            {"duration_high_ms", p.duration_high},
            {"core_hours", p.core_hours},
            {"core_hours_low", p.core_hours_low},
            {"core_hours_high", p.core_hours_high},
            {"model", p.model},
            {"runs", p.runs},
            {"past_error", p.past_error}};
}

}  // namespace

std::optional<AdviceFormat> advice_format_of(std::string_view name) {
    if (name == "text") {
        return AdviceFormat::Text;
    }
    if (name == "json") {
        return AdviceFormat::Json;
    }
    if (name == "spark-submit") {
        return AdviceFormat::SparkSubmit;
    }
    if (name == "properties") {
        return AdviceFormat::Properties;
    }
    return std::nullopt;
}

std::string spark_memory(double bytes) {
    const auto mib = whole(std::ceil(bytes / (1024.0 * 1024.0)));
    return mib % 1024 == 0 ? fmt::format("{}g", mib / 1024) : fmt::format("{}m", mib);
}

json::object to_json(const Advice& a) {
    json::array notes(a.notes.begin(), a.notes.end());
    if (a.status != "ok") {
        return {{"job", a.job},
                {"status", a.status},
                {"goal", goal_name(a.goal)},
                {"input_bytes", a.input_bytes},
                {"current", config_pairs(a.current)},
                {"job_runs", a.job_runs},
                {"notes", std::move(notes)}};
    }
    return {{"job", a.job},
            {"status", a.status},
            {"goal", goal_name(a.goal)},
            {"input_bytes", a.input_bytes},
            {"current", config_pairs(a.current)},
            {"advised", config_pairs(a.advised)},
            {"predicted_current", prediction_json(a.at_current)},
            {"predicted_advised", prediction_json(a.at_advised)},
            {"core_hours_saved", a.core_hours_saved},
            {"duration_change", a.duration_change},
            {"job_runs", a.job_runs},
            {"notes", std::move(notes)},
            {"model", a.model}};
}

std::string format_advice(const Advice& a, AdviceFormat f) {
    const auto& c = a.advised;
    if (a.status != "ok" && f != AdviceFormat::Json) {
        // Nothing to apply: a comment in every format, so a script never takes it for advice.
        return fmt::format("# job {}: {} ({})\n", a.job, a.status,
                           a.notes.empty() ? "" : a.notes.front());
    }
    switch (f) {
        case AdviceFormat::Json: return json::serialize(to_json(a)) + "\n";
        case AdviceFormat::SparkSubmit: {
            std::string out = fmt::format(
                "--num-executors {} --executor-cores {} --executor-memory {} --conf "
                "spark.sql.shuffle.partitions={}",
                whole(c.executors), whole(c.cores), spark_memory(c.memory_bytes),
                whole(c.partitions));
            if (c.overhead_bytes > 0) {
                out += " --conf spark.executor.memoryOverhead=" + spark_memory(c.overhead_bytes);
            }
            return out + "\n";
        }
        case AdviceFormat::Properties: {
            std::string out = fmt::format("# spotd advise: job {}, goal {}, input {:.0f} bytes\n",
                                          a.job, goal_name(a.goal), a.input_bytes);
            for (const auto& [k, v] : config_json(c)) {
                out += std::string(k) + "=" +
                       (v.is_string() ? std::string(v.get_string()) : json::serialize(v)) + "\n";
            }
            return out;
        }
        case AdviceFormat::Text: break;
    }
    const auto& p = a.at_current;
    const auto& q = a.at_advised;
    std::string out = fmt::format("job {} (goal {}), input {:.1f} MB, {} run(s) observed\n", a.job,
                                  goal_name(a.goal), a.input_bytes / 1e6, a.job_runs);
    auto line = [&](const char* what, const Config& k, const Prediction& x) {
        return fmt::format(
            "  {:<8} {:>3} executor(s) x {} core(s), {} memory, {} shuffle partitions: "
            "{:.1f} s [{:.1f}, {:.1f}], {:.4f} core-hours [{:.4f}, {:.4f}]\n",
            what, whole(k.executors), whole(k.cores), spark_memory(k.memory_bytes),
            whole(k.partitions), x.duration_ms / 1000, x.duration_low / 1000,
            x.duration_high / 1000, x.core_hours, x.core_hours_low, x.core_hours_high);
    };
    out += line("current", a.current, p);
    out += line("advised", a.advised, q);
    out += fmt::format(
        "  saves {:.0f}% of the core-hours, {} {:.0f}%; {} model on {} run(s), "
        "{:.1f}% median error on the job's runs\n",
        a.core_hours_saved * 100, a.duration_change <= 0 ? "faster by" : "slower by",
        std::abs(a.duration_change) * 100, q.model, q.runs, q.past_error * 100);
    for (const auto& n : a.notes) {
        out += "  note: " + n + "\n";
    }
    return out;
}

}  // namespace spot::advisors::regression
