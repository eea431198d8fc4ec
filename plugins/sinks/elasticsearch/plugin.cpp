// elasticsearch: documents into Elasticsearch 7/8/9 or OpenSearch 1/2/3 through _bulk.
#include "es_sink.hpp"

#include <spot/http_options.hpp>

namespace spot::sinks::elasticsearch {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("url",
           SPOT_OPT_URL,
           nullptr,
           "Cluster URL, e.g. https://es.example:9200.",
           SPOT_OPT_REQUIRED),
    option("agg_index",
           SPOT_OPT_STRING,
           "spot_agg",
           "Index of the aggregated documents (spot_agg_<cluster>_<id> for the dashboards)."),
    option("raw_index",
           SPOT_OPT_STRING,
           "",
           "Index of the raw documents; empty: raw documents are not stored (the default)."),
    option("err_index", SPOT_OPT_STRING, "spot_err", "Index of the err documents."),
    option("advice_index",
           SPOT_OPT_STRING,
           "spot_advice",
           "Index of the advice documents of the pipeline's advisors (regression); empty: not "
           "stored."),
    option("extra_indices",
           SPOT_OPT_LIST,
           "",
           "More streams to store, as 'stream=index' (for later modules)."),
    option("batch_documents",
           SPOT_OPT_INT,
           "500",
           "A _bulk request holds at most this many documents.",
           0,
           nullptr,
           "1",
           "100000"),
    option("batch_size",
           SPOT_OPT_SIZE,
           "8MiB",
           "... and at most this many bytes.",
           0,
           nullptr,
           "1KiB",
           "512MiB"),
    option("bulk_concurrency",
           SPOT_OPT_INT,
           "2",
           "_bulk requests out at once. While they are, new documents gather into the next "
           "batch, sent as soon as one comes back (group commit).",
           0,
           nullptr,
           "1",
           "64"),
    option("linger",
           SPOT_OPT_DURATION,
           "500ms",
           "Longest a gathering batch waits before it is sent anyway.",
           0,
           nullptr,
           "0s",
           "1m"),
    option("total_fields_limit",
           SPOT_OPT_INT,
           "2000",
           "Fields an index may map beyond the explicitly typed ones (the templates' "
           "index.mapping.total_fields.limit is this plus their count).",
           0,
           nullptr,
           "100",
           "1000000"),
    option("total_fields_increment",
           SPOT_OPT_INT,
           "100",
           "When a document still exceeds the limit, it is raised by this much (or to the "
           "document's field count) and the document sent again.",
           0,
           nullptr,
           "1",
           "100000"),
    option("item_attempts",
           SPOT_OPT_INT,
           "5",
           "Tries per document refused with 429 or 5xx inside a bulk answer before it is spooled.",
           0,
           nullptr,
           "1",
           "100"),
    option("replicas",
           SPOT_OPT_STRING,
           "",
           "index.number_of_replicas in the templates; empty: the cluster's default."),
    option("api_key",
           SPOT_OPT_STRING,
           "",
           "Elasticsearch API key (sent as 'Authorization: ApiKey <key>'); empty: none.",
           SPOT_OPT_SECRET),
    option("spool_dir",
           SPOT_OPT_PATH,
           "",
           "Where batches wait while the cluster is away; empty: "
           "<state_dir>/spool/<pipeline>.<id>."),
    option("spool_max_size",
           SPOT_OPT_SIZE,
           "1GiB",
           "When the spool holds this much, the pipeline stops taking runs (nothing is dropped).",
           0,
           nullptr,
           "1MiB",
           "1TiB"),
    SPOT_HTTP_CLIENT_OPTIONS,
    SPOT_HTTP_AWS_OPTIONS,
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    EsOptions o;
    o.url = options.str("url");
    o.indices["agg"] = options.str("agg_index");
    o.indices["err"] = options.str("err_index");
    if (!options.str("advice_index").empty()) {
        o.indices["advice"] = options.str("advice_index");
    }
    if (!options.str("raw_index").empty()) {
        o.indices["raw"] = options.str("raw_index");
    }
    for (const auto& pair : options.list("extra_indices")) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size()) {
            throw Exception(make_error(ErrorCode::Config,
                                       "extra_indices entry '" + pair + "' is not 'stream=index'"));
        }
        o.indices[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    o.batch_documents = static_cast<std::size_t>(options.integer("batch_documents"));
    o.batch_bytes = static_cast<std::size_t>(options.integer("batch_size"));
    o.linger = options.duration("linger");
    o.bulk_concurrency = static_cast<std::size_t>(options.integer("bulk_concurrency"));
    o.total_fields_limit = options.integer("total_fields_limit");
    o.total_fields_increment = options.integer("total_fields_increment");
    o.item_attempts = static_cast<int>(options.integer("item_attempts"));
    o.replicas = options.str("replicas");
    o.api_key = options.str("api_key");
    o.spool_dir = options.str("spool_dir");
    o.spool_max_bytes = static_cast<std::uint64_t>(options.integer("spool_max_size"));
    o.client = http::client_options(options);
    return std::make_unique<EsSink>(ctx, std::move(o));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("elasticsearch",
                    SPOT_KIND_SINK,
                    "0.1.0",
                    "Stores documents in Elasticsearch 7/8/9 or OpenSearch 1/2/3 (_bulk, "
                    "templates, spool).",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::sinks::elasticsearch

SPOT_PLUGIN(spot::sinks::elasticsearch::kDescriptor)
