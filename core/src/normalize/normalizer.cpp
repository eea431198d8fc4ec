#include "normalize/normalizer.hpp"

#include <spot/time.hpp>

#include <span>

namespace spot::core {

namespace {

// Object-valued fields whose keys are values, per element kind.
constexpr std::string_view kExecutorMaps[] = {"attributes", "resources"};
constexpr std::string_view kStageMaps[] = {"killedTasksSummary", "executorSummary"};
constexpr std::string_view kExecutorDates[] = {"addTime", "removeTime"};
constexpr std::string_view kStageDates[] = {"submissionTime", "firstTaskLaunchedTime",
                                            "completionTime"};
constexpr std::string_view kAttemptDates[] = {"startTime", "endTime", "lastUpdated"};

void maps_to_arrays(json::object& o, std::span<const std::string_view> fields) {
    for (auto f : fields) {
        if (auto* v = o.if_contains(f); v != nullptr && v->is_object()) {
            *v = to_key_value_array(v->get_object());
        }
    }
}

}  // namespace

json::array to_key_value_array(const json::object& map) {
    json::array out;
    out.reserve(map.size());
    for (const auto& [k, v] : map) {
        out.push_back(json::object{{"key", k}, {"value", v}});
    }
    return out;
}

void Normalizer::date(json::object& o, std::string_view field, std::string_view app_id) const {
    auto* v = o.if_contains(field);
    if (v == nullptr || !v->is_string()) {
        return;
    }
    if (v->get_string().empty()) {
        *v = nullptr;  // "" is how the History Server says "not yet"; a date index refuses it
        return;
    }
    if (auto ms = parse_timestamp(v->get_string())) {
        *v = iso_utc(SysMillis(std::chrono::milliseconds(*ms)));
    } else {
        log_->warn("date kept as text app='{}' field='{}' value='{}'", app_id, field,
                   std::string_view(v->get_string()));
    }
}

void Normalizer::attempt(json::object& a, std::string_view app_id) const {
    for (auto f : kAttemptDates) {
        date(a, f, app_id);
    }
    if (auto* execs = a.if_contains("allexecutors"); execs && execs->is_array()) {
        for (auto& e : execs->get_array()) {
            if (auto* o = e.if_object()) {
                o->erase("hostPort");
                o->erase("executorLogs");
                for (auto f : kExecutorDates) {
                    date(*o, f, app_id);
                }
                maps_to_arrays(*o, kExecutorMaps);
            }
        }
    }
    if (auto* stages = a.if_contains("stages"); stages && stages->is_array()) {
        for (auto& s : stages->get_array()) {
            if (auto* o = s.if_object()) {
                o->erase("details");
                // One entry per task, only served with ?details=true (which Spot never asks
                // for): unbounded in a large run and not statistics of it.
                o->erase("tasks");
                for (auto f : kStageDates) {
                    date(*o, f, app_id);
                }
                maps_to_arrays(*o, kStageMaps);
            }
        }
    }
    if (auto* env = a.if_contains("environment"); env && env->is_object()) {
        auto& e = env->get_object();
        e.erase("systemProperties");
        e.erase("classpathEntries");
        if (auto* runtime = e.if_contains("runtime"); runtime && runtime->is_object()) {
            runtime->get_object().erase("javaHome");
        }
        if (auto* props = e.if_contains("sparkProperties"); props && props->is_array()) {
            *props = normalize_spark_properties(props->get_array(), rules_, *log_, app_id);
        }
    }
}

void Normalizer::apply(Run& run) const {
    auto* attempts = run.app.if_contains("attempts");
    if (attempts == nullptr || !attempts->is_array()) {
        return;
    }
    for (auto& a : attempts->get_array()) {
        if (auto* o = a.if_object()) {
            attempt(*o, run.app_id);
        }
    }
}

}  // namespace spot::core
