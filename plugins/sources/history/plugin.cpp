// history: Runs from a Spark History Server: listed through its REST API, details from the
// downloaded event logs or the REST endpoints.
#include "history_source.hpp"

#include <spot/http_options.hpp>
#include <spot/time.hpp>

namespace spot::sources::history {

namespace {

constexpr spot_option_decl kOptions[] = {
    option("url",
           SPOT_OPT_URL,
           nullptr,
           "History Server base URL, e.g. http://shs.example:18080 (/api/v1 is appended).",
           SPOT_OPT_REQUIRED),
    option("method",
           SPOT_OPT_ENUM,
           "all",
           "all: every pass lists the whole lookback window in time steps and compares ids "
           "(reliable); latest: lists only runs that ended after the newest one processed (fast).",
           0,
           "all|latest"),
    option("completion_timeout",
           SPOT_OPT_DURATION,
           "30m",
           "Runs are processed only once they ended this long ago (a failed YARN attempt may "
           "still be retried).",
           0,
           nullptr,
           "0s",
           "36500d"),
    option("lookback",
           SPOT_OPT_DURATION,
           "168h",
           "How far back each pass looks.",
           0,
           nullptr,
           "1m",
           "36500d"),
    option("time_step",
           SPOT_OPT_DURATION,
           "1h",
           "Width of one listing request of method all (keep it under ~10,000 runs).",
           0,
           nullptr,
           "1s",
           "36500d"),
    option("min_end_date",
           SPOT_OPT_STRING,
           "",
           "Ignore runs that ended before this date (2024-01-31T00:00:00.000Z or the server's "
           "GMT form); empty: no limit."),
    option("include", SPOT_OPT_REGEX, "", "Process only runs whose name matches (search)."),
    option("exclude", SPOT_OPT_REGEX, "", "Skip runs whose name matches (search); empty: none."),
    option("concurrency",
           SPOT_OPT_INT,
           "8",
           "Runs whose details are fetched at once (each asks for environment, allexecutors and "
           "stages of every attempt together).",
           0,
           nullptr,
           "1",
           "256"),
    option("retry_sleep",
           SPOT_OPT_DURATION,
           "900s",
           "Wait before asking again when the server answers with something that is not JSON "
           "(or a 5xx, or not at all, once the HTTP retries are spent).",
           0,
           nullptr,
           "0s",
           "1d"),
    option("retry_attempts",
           SPOT_OPT_INT,
           "48",
           "How many times to ask again after such answers before giving up on the run (an err "
           "document).",
           0,
           nullptr,
           "0",
           "10000"),
    option("history_host",
           SPOT_OPT_STRING,
           "",
           "Value of history_host in the documents; empty: the URL's host name."),
    option("details",
           SPOT_OPT_ENUM,
           "auto",
           "Where a run's details come from. rest: the environment, allexecutors and stages "
           "endpoints (each makes the server replay the log; slow, cut at "
           "spark.ui.retainedStages/retainedTasks). logs: the attempt's event log downloaded "
           "from /logs and parsed here (many times faster, complete; a failure is an err "
           "document). auto: logs, falling back to rest for a run whose log cannot be had "
           "(counted, and noted in spot.details_source); a server answering 404 on /logs is "
           "asked through rest from then on. Use rest only when the server forbids /logs.",
           0,
           "rest|logs|auto"),
    option("download_dir",
           SPOT_OPT_PATH,
           "",
           "Where downloaded log zips are kept while they are read (one per attempt in flight, "
           "removed after); empty: <state_dir>/downloads/<pipeline>."),
    option("max_download_size",
           SPOT_OPT_SIZE,
           "16GiB",
           "A /logs zip larger than this is refused (err document, or the REST fallback).",
           0,
           nullptr,
           "1MiB",
           "1TiB"),
    option("max_log_size",
           SPOT_OPT_SIZE,
           "64GiB",
           "Refuse a zip whose entries declare more uncompressed bytes than this (or inflate "
           "beyond what they declare).",
           0,
           nullptr,
           "1MiB",
           "16TiB"),
    option("max_compression_ratio",
           SPOT_OPT_DOUBLE,
           "250",
           "Refuse a zip entry (over 1 MiB) that inflates more than this many times (a zip "
           "bomb; real event logs deflate 5-30 times).",
           0,
           nullptr,
           "2",
           "100000"),
    option("download_timeout",
           SPOT_OPT_DURATION,
           "10m",
           "Longest wait for one whole /logs download (read_timeout applies to other requests).",
           0,
           nullptr,
           "1s",
           "1d"),
    option("max_line_size",
           SPOT_OPT_SIZE,
           "64MiB",
           "A log line longer than this makes that log fail (protects memory).",
           0,
           nullptr,
           "64KiB",
           "1GiB"),
    SPOT_HTTP_CLIENT_OPTIONS,
};

std::unique_ptr<Plugin> create(const PluginContext& ctx, const Options& options) {
    HistoryOptions o;
    o.url = options.str("url");
    o.method = options.str("method") == "latest" ? Method::Latest : Method::All;
    o.completion_timeout = options.duration("completion_timeout");
    o.lookback = options.duration("lookback");
    o.time_step = options.duration("time_step");
    if (const auto& d = options.str("min_end_date"); !d.empty()) {
        auto t = parse_timestamp(d);
        if (!t) {
            throw Exception(make_error(ErrorCode::Config, "min_end_date '" + d +
                                                              "' is not a date like "
                                                              "2024-01-31T00:00:00.000Z"));
        }
        o.min_end_ms = *t;
    }
    o.include = options.str("include");
    o.exclude = options.str("exclude");
    o.concurrency = static_cast<std::size_t>(options.integer("concurrency"));
    o.api.retry_sleep = options.duration("retry_sleep");
    o.api.retry_attempts = static_cast<int>(options.integer("retry_attempts"));
    o.history_host = options.str("history_host");
    const auto& details = options.str("details");
    o.details = details == "rest"   ? Details::Rest
                : details == "logs" ? Details::Logs
                                    : Details::Auto;
    o.logs.work_dir = options.str("download_dir");
    o.logs.max_download_size = static_cast<std::uint64_t>(options.integer("max_download_size"));
    o.logs.zip.max_bytes = static_cast<std::uint64_t>(options.integer("max_log_size"));
    o.logs.zip.max_ratio = options.number("max_compression_ratio");
    o.logs.download_timeout = options.duration("download_timeout");
    o.logs.max_line_size = static_cast<std::size_t>(options.integer("max_line_size"));
    o.client = http::client_options(options);
    return std::make_unique<HistorySource>(ctx, std::move(o));
}

constexpr spot_factory kFactory{&create};
constexpr spot_plugin_descriptor kDescriptor =
    make_descriptor("history",
                    SPOT_KIND_SOURCE,
                    "0.1.0",
                    "Crawls a Spark History Server for completed runs (methods all and latest); "
                    "details from "
                    "the downloaded event logs or the REST endpoints.",
                    kOptions,
                    &kFactory);

}  // namespace

}  // namespace spot::sources::history

SPOT_PLUGIN(spot::sources::history::kDescriptor)
