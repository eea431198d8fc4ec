#include "documents.hpp"

#include "custom_metrics.hpp"
#include "field_stats.hpp"
#include "summary.hpp"

#include <fmt/format.h>

namespace spot::aggregators::aggregate {

namespace {

json::object spot_field(const Run& run, const std::string& time_processed) {
    json::object spot = run.spot_fields;
    spot["time_processed"] = time_processed;
    spot["history_host"] = run.history_host;
    return spot;
}

std::string attempt_id_of(const json::object& attempt) {
    const auto* id = attempt.if_contains("attemptId");
    if (id == nullptr || id->is_null()) {
        return "0";
    }
    return id->is_string() ? std::string(id->get_string()) : json::serialize(*id);
}

// The newest attempt is the final one; an attempt without an id is always final.
bool is_final_attempt(const json::array& attempts, std::size_t index) {
    const auto& a = attempts[index].as_object();
    if (!a.contains("attemptId")) {
        return true;
    }
    auto start = time_of(a, "startTime").value_or(0);
    for (std::size_t i = 0; i < attempts.size(); ++i) {
        auto other = time_of(attempts[i].as_object(), "startTime").value_or(0);
        if (other > start || (other == start && i < index)) {
            return false;
        }
    }
    return true;
}

json::object executor_aggs(const json::object& attempt, std::vector<ExecutorFacts>& facts) {
    const auto start = time_of(attempt, "startTime");
    const auto end = time_of(attempt, "endTime");
    FieldStats stats;
    json::object out;
    if (const auto* list = attempt.if_contains("allexecutors"); list && list->is_array()) {
        for (const auto& v : list->get_array()) {
            const auto* e = v.if_object();
            if (e == nullptr) {
                continue;
            }
            auto m = executor_metrics(*e, start, end);
            const auto* id = e->if_contains("id");
            if (id && id->is_string() && id->get_string() == "driver") {
                json::object driver = *e;
                write_executor_metrics(m, driver);
                out["driver"] = std::move(driver);
                continue;
            }
            stats.add(*e);
            add_executor_metrics(m, stats);
            facts.push_back(m.facts);
        }
    }
    out["executors"] = stats.result();
    return out;
}

json::object stage_aggs(const json::object& attempt,
                        std::vector<StageFacts>& facts,
                        std::vector<std::string>& untimed) {
    FieldStats stats;
    if (const auto* list = attempt.if_contains("stages"); list && list->is_array()) {
        for (const auto& v : list->get_array()) {
            const auto* s = v.if_object();
            if (s == nullptr) {
                continue;
            }
            stats.add(*s);
            facts.push_back(add_stage_metrics(*s, stats));
            if (!facts.back().timed) {
                const auto* id = s->if_contains("stageId");
                const auto* at = s->if_contains("attemptId");
                untimed.push_back(fmt::format("{}.{}", id ? json::serialize(*id) : "?",
                                              at ? json::serialize(*at) : "0"));
            }
        }
    }
    return stats.result();
}

}  // namespace

Document raw_document(const Run& run, const std::string& time_processed) {
    json::object body = run.app;
    body["history_host"] = run.history_host;
    body["spot"] = spot_field(run, time_processed);
    if (!body.contains("app_specific_data")) {
        body["app_specific_data"] = json::object{};
    }
    return Document{"raw", run.app_id, std::move(body)};
}

Document agg_document(const Run& run,
                      std::size_t index,
                      const Settings& settings,
                      const std::string& time_processed,
                      std::vector<std::string>& untimed) {
    const auto& attempts = run.app.at("attempts").as_array();
    const auto& attempt = attempts[index].as_object();
    json::object body;
    for (const auto& [k, v] : run.app) {
        if (k != "attempts") {
            body[k] = v;
        }
    }
    body["history_host"] = run.history_host;
    body["spot"] = spot_field(run, time_processed);
    if (!body.contains("app_specific_data")) {
        body["app_specific_data"] = json::object{};
    }
    body["isFinalAttempt"] = is_final_attempt(attempts, index);

    json::object out_attempt;
    for (const auto& [k, v] : attempt) {
        if (k != "allexecutors" && k != "stages") {
            out_attempt[k] = v;
        }
    }
    SummaryInput in;
    in.duration = static_cast<std::int64_t>(number_of(attempt, "duration").value_or(0));
    in.block_size = settings.block_size;
    json::object aggs;
    aggs["allexecutors"] = executor_aggs(attempt, in.executors);
    aggs["stages"] = stage_aggs(attempt, in.stages, untimed);
    if (auto summary = summarize(in)) {
        aggs["summary"] = std::move(*summary);
    }
    out_attempt["aggs"] = std::move(aggs);
    body["attempt"] = std::move(out_attempt);
    return Document{"agg", run.app_id + "-" + attempt_id_of(attempt), std::move(body)};
}

}  // namespace spot::aggregators::aggregate
