#include "analysis.hpp"

#include <algorithm>

namespace spot::aggregators::analyze {

const AttemptTasks* tasks_of(const Run& run, const json::object& attempt) {
    const auto* id = attempt.if_contains("attemptId");
    const std::string wanted =
        id != nullptr && id->is_string() ? std::string(id->get_string()) : "";
    for (const auto& t : run.tasks) {
        if (t.attempt_id == wanted) {
            return &t;
        }
    }
    return nullptr;
}

double core_hours(const AttemptFacts& f) {
    double ms = 0;
    for (const auto& e : f.executors) {
        ms += static_cast<double>(e.cores) * e.alive_ms;
    }
    return ms / 3.6e6;
}

AttemptAnalysis analyze_attempt(const json::object& attempt,
                                const AttemptTasks* tasks,
                                const Thresholds& t) {
    AttemptAnalysis a;
    a.facts = attempt_facts(attempt, tasks);
    if (tasks == nullptr) {
        a.whatif_missing = "no task detail: the source gave stage totals only (a REST crawl)";
    } else {
        std::int64_t cores = 0;
        for (const auto& e : a.facts.executors) {
            cores = std::max(cores, e.cores);
        }
        a.whatif = what_if(*tasks, a.facts.duration_ms, cores, a.facts.task_cpus);
        if (!a.whatif) {
            a.whatif_missing = "no task ran on an executor with known cores";
        }
    }
    a.findings = run_heuristics(a.facts, a.whatif, t);
    std::stable_sort(a.findings.begin(), a.findings.end(), [](const Finding& x, const Finding& y) {
        return std::pair(x.severity, x.score()) > std::pair(y.severity, y.score());
    });
    for (const auto& f : a.findings) {
        a.severity = std::max(a.severity, f.severity);
        a.score += f.score();
    }
    return a;
}

json::object to_json(const AttemptAnalysis& a) {
    json::array findings;
    for (const auto& f : a.findings) {
        json::array stages(f.stages.begin(), f.stages.end());
        json::array suggestion;
        for (const auto& [k, v] : f.suggestion) {
            suggestion.push_back(json::object{{"key", k}, {"value", v}});
        }
        findings.push_back(json::object{{"heuristic", f.heuristic},
                                        {"severity", severity_name(f.severity)},
                                        {"severity_value", static_cast<int>(f.severity)},
                                        {"score", f.score()},
                                        {"affected", f.affected},
                                        {"stages", std::move(stages)},
                                        {"figures", f.figures},
                                        {"explanation", f.explanation},
                                        {"suggestion", std::move(suggestion)}});
    }
    json::object out{{"severity", severity_name(a.severity)},
                     {"severity_value", static_cast<int>(a.severity)},
                     {"score", a.score},
                     {"findings_count", findings.size()},
                     {"findings", std::move(findings)},
                     {"core_hours", core_hours(a.facts)},
                     {"local_mode", a.facts.local_mode}};
    json::object whatif;
    if (a.whatif) {
        const auto& w = *a.whatif;
        json::array points;
        for (const auto& p : w.points) {
            points.push_back(json::object{{"percent", p.percent},
                                          {"executors", p.executors},
                                          {"duration_ms", p.duration_ms},
                                          {"core_hours", p.core_hours},
                                          {"utilization", p.utilization}});
        }
        whatif = {{"available", true},
                  {"executors_used", w.executors_used},
                  {"cores_per_executor", w.cores_per_executor},
                  {"driver_ms", w.driver_ms},
                  {"task_ms", w.task_ms},
                  {"simulated_actual_ms", w.simulated_actual_ms},
                  {"error", w.error},
                  {"knee_executors", w.knee_executors},
                  {"knee_duration_ms", w.knee_duration_ms},
                  {"knee_core_hours", w.knee_core_hours},
                  {"points", std::move(points)}};
    } else {
        whatif = {{"available", false}, {"reason", a.whatif_missing}};
    }
    out["whatif"] = std::move(whatif);
    return out;
}

}  // namespace spot::aggregators::analyze
