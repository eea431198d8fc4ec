// yarn source plugin: options and factory (see yarn_source.hpp).
#include "yarn_source.hpp"

#include <spot/http_options.hpp>
#include <spot/text.hpp>

namespace spot::sources::yarn {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("url",
           SPOT_OPT_URL,
           nullptr,
           "The ResourceManager's web address, e.g. http://rm.example:8088 (https with TLS "
           "options below; SPNEGO/Kerberos is not supported).",
           SPOT_OPT_REQUIRED),
    option("lookback",
           SPOT_OPT_DURATION,
           "168h",
           "How far back the first pass (an empty state) lists finished applications.",
           0,
           nullptr,
           "1m",
           "3650d"),
    option("overlap",
           SPOT_OPT_DURATION,
           "10m",
           "Each pass lists again this far behind the newest application stored, for "
           "applications the RM reports late; those already stored are skipped.",
           0,
           nullptr,
           "0s",
           "7d"),
    option("states",
           SPOT_OPT_STRING,
           "FINISHED,FAILED,KILLED",
           "Final application states listed (the RM's `states` parameter)."),
    option("app_types",
           SPOT_OPT_LIST,
           "all,SPARK,MAPREDUCE",
           "Application types counted in the cluster document's appStatInfo (`all`: every type)."),
    option("snapshot",
           SPOT_OPT_BOOL,
           "true",
           "Write the cluster document and the scheduler's queue, partition and user documents "
           "every pass."),
    option("yarn_host",
           SPOT_OPT_STRING,
           "",
           "spot.yarn_host of the documents; empty: the URL's host."),
    SPOT_HTTP_CLIENT_OPTIONS,
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    YarnOptions o;
    o.url = options.str("url");
    o.lookback = options.duration("lookback");
    o.overlap = options.duration("overlap");
    o.states = options.str("states");
    o.app_types = list_items(options.list("app_types"));  // a YAML list or "all,SPARK"
    o.snapshot = options.flag("snapshot");
    o.yarn_host = options.str("yarn_host");
    o.client = http::client_options(options);
    return std::make_unique<YarnSource>(ctx, std::move(o));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor = make_descriptor(
    "yarn",
    SPOT_KIND_SOURCE,
    "0.1.0",
    "Crawls a YARN ResourceManager: finished applications (yarn_apps), a cluster snapshot "
    "(yarn_cluster) and the scheduler's queues, partitions and users (yarn_scheduler).",
    kOptions,
    &kFactory);

}  // namespace

}  // namespace spot::sources::yarn

SPOT_PLUGIN(spot::sources::yarn::kDescriptor)
