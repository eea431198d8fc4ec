// The documents of the yarn source, shaped as the reference tool writes them so that its two YARN
// dashboards read them unchanged: one per finished application (stream `yarn_apps`), one cluster
// snapshot per pass (`yarn_cluster`), and one per queue, queue partition and queue user
// (`yarn_scheduler`, told apart by `spot.doc_type`). Times as ISO dates.
#pragma once

#include <spot/plugin.hpp>

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

namespace spot::sources::yarn {

struct Snapshot {
    std::string host;            // spot.yarn_host
    std::string time_processed;  // spot.time_processed, the pass' time
};

// One application of `ws/v1/cluster/apps`: its fields as YARN gives them, startedTime,
// launchTime and finishedTime as dates, the default classification of its name.
json::object app_document(const json::object& app, const Snapshot& at);

// `clusterMetrics` and `appStatInfo.<type>.<state>` (counts per application type; "all" for
// every type), plus the scheduler's own summary (type, capacities, root queue name).
json::object cluster_document(const json::object& cluster_metrics,
                              const std::vector<std::pair<std::string, json::object>>& app_stats,
                              const json::object* scheduler_info,
                              const Snapshot& at);

// Every queue of a capacity scheduler (`schedulerInfo`), depth first, as documents: the queue's
// own fields, each of its partitions and each of its users. Ids name the snapshot and the path.
std::vector<Document> scheduler_documents(const json::object& scheduler_info, const Snapshot& at);

}  // namespace spot::sources::yarn
