#include "rm_documents.hpp"

#include "enrichers/classify/classify.hpp"

#include <spot/time.hpp>

#include <boost/json.hpp>

#include <tuple>

namespace spot::sources::yarn {

namespace {

json::object spot_object(const Snapshot& at, const char* doc_type = nullptr) {
    json::object s{{"time_processed", at.time_processed}, {"yarn_host", at.host}};
    if (doc_type != nullptr) {
        s["doc_type"] = doc_type;
    }
    return s;
}

// The array under `wrapper.key` ({"queue": [...]} is how the RM's JSON wraps lists), or nullptr.
const json::array* wrapped(const json::object& o, std::string_view wrapper, std::string_view key) {
    const auto* w = o.if_contains(wrapper);
    if (w == nullptr || !w->is_object()) {
        return nullptr;
    }
    const auto* a = w->get_object().if_contains(key);
    return a != nullptr && a->is_array() ? &a->get_array() : nullptr;
}

std::string text_of(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

void add_queue(const json::object& q,
               const std::string& parent,
               const Snapshot& at,
               std::vector<Document>& out) {
    const std::string name = text_of(q, "queueName");
    const std::string path = parent.empty() ? name : parent + "." + name;
    json::object queue;
    for (const auto& [k, v] : q) {
        // Nested lists become documents of their own; the rest is the queue's.
        if (k != "queues" && k != "users" && k != "capacities" && k != "resources") {
            queue[k] = v;
        }
    }
    queue["queuePath"] = path;
    queue["spot"] = spot_object(at, "queue");
    const std::string id = at.host + "@" + at.time_processed + "/queue/" + path;
    // Each partition and each user of the queue, a document of its own.
    for (const auto& [wrapper, key, doc_type, name_key] :
         {std::tuple{"capacities", "queueCapacitiesByPartition", "partition", "partitionName"},
          std::tuple{"users", "user", "user", "username"}}) {
        const auto* list = wrapped(q, wrapper, key);
        if (list == nullptr) {
            continue;
        }
        for (const auto& item : *list) {
            if (!item.is_object()) {
                continue;
            }
            json::object doc = item.get_object();
            doc["queueName"] = name;
            doc["queuePath"] = path;
            doc["spot"] = spot_object(at, doc_type);
            out.push_back(Document{"yarn_scheduler",
                                   at.host + "@" + at.time_processed + "/" + doc_type + "/" + path +
                                       "/" + text_of(item.get_object(), name_key),
                                   std::move(doc)});
        }
    }
    out.push_back(Document{"yarn_scheduler", id, std::move(queue)});
    if (const auto* children = wrapped(q, "queues", "queue")) {
        for (const auto& c : *children) {
            if (c.is_object()) {
                add_queue(c.get_object(), path, at, out);
            }
        }
    }
}

}  // namespace

json::object app_document(const json::object& app, const Snapshot& at) {
    json::object doc = app;
    for (const char* key : {"startedTime", "launchTime", "finishedTime"}) {
        auto* v = doc.if_contains(key);
        if (v == nullptr) {
            continue;
        }
        // 0 means "not yet" in YARN; a date field cannot hold it.
        const auto ms = v->is_number() ? v->to_number<std::int64_t>() : 0;
        if (ms > 0) {
            *v = iso_utc(SysMillis(std::chrono::milliseconds(ms)));
        } else {
            doc.erase(key);
        }
    }
    const std::string name = text_of(app, "name");
    doc["app_specific_data"] =
        json::object{{"classification", enrichers::classify::classification_of(name)},
                     {"tag", name}};
    doc["spot"] = spot_object(at);
    return doc;
}

json::object cluster_document(const json::object& cluster_metrics,
                              const std::vector<std::pair<std::string, json::object>>& app_stats,
                              const json::object* scheduler_info,
                              const Snapshot& at) {
    json::object stats;
    for (const auto& [type, info] : app_stats) {
        json::object by_state;
        if (const auto* items = info.if_contains("statItem");
            items != nullptr && items->is_array()) {
            for (const auto& item : items->get_array()) {
                if (item.is_object() && item.get_object().contains("state")) {
                    by_state[text_of(item.get_object(), "state")] = item.get_object().at("count");
                }
            }
        }
        stats[type] = std::move(by_state);
    }
    json::object doc{{"clusterMetrics", cluster_metrics}, {"appStatInfo", std::move(stats)}};
    if (scheduler_info != nullptr) {
        json::object summary;
        for (const char* key : {"type", "capacity", "usedCapacity", "maxCapacity", "queueName"}) {
            if (const auto* v = scheduler_info->if_contains(key)) {
                summary[key] = *v;
            }
        }
        doc["schedulerInfo"] = std::move(summary);
    }
    doc["spot"] = spot_object(at);
    return doc;
}

std::vector<Document> scheduler_documents(const json::object& scheduler_info, const Snapshot& at) {
    std::vector<Document> out;
    if (const auto* queues = wrapped(scheduler_info, "queues", "queue")) {
        for (const auto& q : *queues) {
            if (q.is_object()) {
                add_queue(q.get_object(), text_of(scheduler_info, "queueName"), at, out);
            }
        }
    }
    return out;
}

}  // namespace spot::sources::yarn
