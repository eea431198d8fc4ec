#include "run_matching.hpp"

#include "json_path.hpp"
#include "naming.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>

namespace spot::enrichers::enceladus {

namespace {

// A JSON value as text: strings as they are, numbers as written ("1" and 1 are the same here:
// Menas stores versions as numbers and additionalInfo holds them as strings).
std::string text(const json::value* v) {
    if (v == nullptr || v->is_null()) {
        return {};
    }
    return v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
}

const json::object* object_at(const json::object& o, std::initializer_list<std::string_view> path) {
    const auto* v = find_path(o, path);
    return v != nullptr ? v->if_object() : nullptr;
}

}  // namespace

std::vector<json::object> matching_runs(const json::array& menas_runs,
                                        std::string_view app_id,
                                        const json::object& c,
                                        std::vector<std::string>& rejected) {
    const std::string type(c.at("type").as_string());
    const std::string prefix(own_prefix(type));
    const std::string info_version = text(c.if_contains("info_version"));
    std::vector<json::object> out;  // a new list: the input is never changed while iterated
    for (const auto& v : menas_runs) {
        if (!v.is_object()) {
            rejected.push_back("a run that is not an object");
            continue;
        }
        const auto& run = v.get_object();
        const auto* meta = object_at(run, {"controlMeasure", "metadata"});
        const auto* info = object_at(run, {"controlMeasure", "metadata", "additionalInfo"});
        const std::string id = text(run.if_contains("uniqueId"));
        auto reject = [&](const std::string& why) { rejected.push_back("run " + id + ": " + why); };
        if (meta == nullptr || info == nullptr) {
            reject("no controlMeasure.metadata.additionalInfo");
            continue;
        }
        if (text(run.if_contains("dataset")) != text(c.if_contains("dataset"))) {
            reject("dataset " + text(run.if_contains("dataset")));
            continue;
        }
        if (text(run.if_contains("datasetVersion")) != text(c.if_contains("dataset_version"))) {
            reject("dataset version " + text(run.if_contains("datasetVersion")));
            continue;
        }
        // The report version: what Enceladus wrote (enceladus_info_version) when it is there,
        // the control measure's version otherwise. An empty one in the name (the version was
        // inferred by Enceladus) matches any.
        const std::string run_info_version = info->contains("enceladus_info_version")
                                                 ? text(info->if_contains("enceladus_info_version"))
                                                 : text(meta->if_contains("version"));
        if (!info_version.empty() && run_info_version != info_version) {
            reject("report version " + run_info_version);
            continue;
        }
        // Versions and ids of the job itself: conform_* for a conformance run.
        if (text(info->if_contains(prefix + "_enceladus_version")) !=
            text(c.if_contains("app_version"))) {
            reject("Enceladus version " + text(info->if_contains(prefix + "_enceladus_version")));
            continue;
        }
        if (text(info->if_contains(prefix + "_application_id")) != app_id) {
            reject(prefix + "_application_id " +
                   text(info->if_contains(prefix + "_application_id")));
            continue;
        }
        out.push_back(run);
    }
    return out;
}

std::vector<std::optional<json::object>> pair_with_attempts(const json::array& attempts,
                                                            std::vector<json::object> runs,
                                                            std::string_view prefix) {
    std::vector<std::optional<json::object>> out(attempts.size());
    std::stable_sort(runs.begin(), runs.end(), [](const json::object& a, const json::object& b) {
        const auto* x = a.if_contains("runId");
        const auto* y = b.if_contains("runId");
        return (x && x->is_int64() ? x->as_int64() : 0) < (y && y->is_int64() ? y->as_int64() : 0);
    });
    const std::string key = std::string(prefix) + "_spark_attempt_id";
    auto attempt_of = [&](const json::object& run) -> std::optional<std::string> {
        const auto* info = object_at(run, {"controlMeasure", "metadata", "additionalInfo"});
        const auto* a = info ? info->if_contains(key) : nullptr;
        return a ? std::optional<std::string>(text(a)) : std::nullopt;
    };
    const bool all_have_ids =
        !runs.empty() && std::all_of(runs.begin(), runs.end(),
                                     [&](const auto& r) { return attempt_of(r).has_value(); });
    if (all_have_ids) {
        for (std::size_t i = 0; i < attempts.size(); ++i) {
            const auto* o = attempts[i].if_object();
            const std::string id = o ? text(o->if_contains("attemptId")) : std::string();
            for (const auto& r : runs) {
                if (attempt_of(r) == id) {
                    out[i] = r;  // several runs of one attempt: the last (highest runId) wins
                }
            }
        }
        return out;
    }
    for (std::size_t i = 0; i < attempts.size() && i < runs.size(); ++i) {
        out[i] = runs[runs.size() - 1 - i];
    }
    return out;
}

}  // namespace spot::enrichers::enceladus
