// The C++ side of a plugin: the five interfaces a pipeline is made of, the context each instance
// receives, and the SPOT_PLUGIN macro that exports the descriptor.
//
//   source ──Run──▶ enrichers (in order) ──▶ aggregators ──Documents──▶ sinks
//      ▲                                                                  │
//      └──── commit(checkpoint): called once every sink acknowledged ─────┤
//                                                                         ▼
//                     advisors: observe(acknowledged documents) ──advice documents──▶ sinks
//                               query(path, parameters): spotd advise, /api/v1/jobs
#pragma once

#include <spot/metrics.hpp>
#include <spot/options.hpp>
#include <spot/plugin_abi.h>
#include <spot/result.hpp>
#include <spot/task_detail.hpp>
#include <spot/toolchain.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/config.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <spdlog/logger.h>
#include <string>
#include <vector>

namespace spot::http {
class Client;
}

namespace spot {

namespace asio = boost::asio;
namespace json = boost::json;

// One completed Spark application with all its attempts, in the JSON shape of the History Server
// REST API (SPEC §2.1): `app` is the application as listed, each of its `attempts` extended with
// `allexecutors`, `stages` and `environment`. Every source produces this shape.
struct Run {
    std::string app_id;
    std::string history_host;  // host the run came from; "n/a" when there is none
    json::object app;
    // Opaque to the core; handed back to Source::commit once every sink has acknowledged.
    json::value checkpoint;
    // Documents produced on the way (err documents of enrichers); the runner appends them.
    std::vector<struct Document> extra_docs;
    // Extra fields of the documents' `spot` object, set by the source (e.g. details_source).
    json::object spot_fields;
    // Per attempt, the timing of every task (memory only; empty when the source has none).
    std::vector<AttemptTasks> tasks;
};

// What sinks store. `stream` is mapped by each sink to an index or a file (raw, agg, err, ...).
struct Document {
    std::string stream;
    std::string id;  // empty: no id, the document is appended (err documents)
    json::object body;
};

// A run a sink already holds: its application id and the end time (epoch ms) of its newest
// attempt. Lets a source on a fresh host skip what an existing deployment stored.
struct KnownRun {
    std::string app_id;
    std::int64_t end_ms = 0;
};

// The lifecycle every plugin follows (ABI 5): the factory builds the instance from its options
// and may reject them, but touches nothing outside the process (no file, socket or thread): so
// `spotd --check-config` can build every instance to run its cross-field checks, and a reload can
// build the new pipelines while the old ones still run. start() takes the resources (opens and
// locks files, starts background work) before the pipeline's first pass; stop() is called once
// after its last pass (also when start() failed) and returns only when the plugin's background
// work has ended. Both run on the pipeline's strand.
class Plugin {
   public:
    virtual ~Plugin();
    [[nodiscard]] virtual spot_plugin_kind kind() const noexcept = 0;
    virtual asio::awaitable<Result<void>> start();
    virtual asio::awaitable<void> stop();
};

// Implemented by the pipeline runner; a source hands it the runs it finds.
class RunQueue {
   public:
    virtual ~RunQueue();
    // Suspends while `concurrency` runs are in flight (backpressure from slow sinks).
    virtual asio::awaitable<void> submit(Run run) = 0;
    // Records a failure that belongs to no single run's processing (listing, fetching a run's
    // details, parsing a log) as an err document. Returns an error when the pipeline must stop
    // (skip_exceptions is false).
    virtual asio::awaitable<Result<void>> fail(Error error,
                                               std::string app_id,
                                               std::string history_host,
                                               std::string stage) = 0;
    // The runs the sinks already hold with an attempt that ended in [from_ms, to_ms): those held
    // by every sink that can tell. nullopt when no sink can tell.
    virtual asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> known_runs(
        std::int64_t from_ms, std::int64_t to_ms) = 0;
    // True once shutdown began: the source should stop listing and return.
    [[nodiscard]] virtual bool stopping() const noexcept = 0;
    // Tells the health check that a long piece of work (a large log, a listing window) moved on
    // although no run was submitted. A pipeline that has work and makes no progress for longer
    // than `stall_limit` is reported as stalled.
    virtual void progress() noexcept;
};

class Source : public Plugin {
   public:
    [[nodiscard]] spot_plugin_kind kind() const noexcept final { return SPOT_KIND_SOURCE; }
    // One pass over what is new. `queue` outlives the pass.
    virtual asio::awaitable<Result<void>> pass(RunQueue& queue) = 0;
    // A run is acknowledged by every sink: remember it as processed. Called on the pipeline's
    // strand, never concurrently.
    virtual void commit(const json::value& checkpoint) = 0;
    // The source's state, persisted atomically by the core after each commit.
    [[nodiscard]] virtual json::value save_state() const = 0;
    virtual Result<void> load_state(const json::value& state) = 0;
};

// Enrichers and aggregators run on a worker thread pool, possibly for several runs at once: they
// must not mutate shared state without their own synchronisation.
class Enricher : public Plugin {
   public:
    [[nodiscard]] spot_plugin_kind kind() const noexcept final { return SPOT_KIND_ENRICHER; }
    // Enrichment done on the spot (classification by name). Default: nothing.
    virtual Result<void> enrich(Run& run);
    // What the pipeline calls: an enricher that waits on a service (a REST API) overrides this
    // one; by default it is enrich(). Runs on the worker pool and may resume on any of its
    // threads.
    virtual asio::awaitable<Result<void>> enrich_async(Run& run);
    // Called after the aggregators with the documents made from `run` (still enriched), for
    // metrics that need both the enrichment and the aggregates. Default: nothing.
    virtual Result<void> post_aggregate(const Run& run, std::vector<struct Document>& docs);
};

class Aggregator : public Plugin {
   public:
    [[nodiscard]] spot_plugin_kind kind() const noexcept final { return SPOT_KIND_AGGREGATOR; }
    virtual Result<std::vector<Document>> aggregate(const Run& run) = 0;
    // What the pipeline calls, in the configured order, with the documents the aggregators
    // before this one made: an aggregator that extends them (the run analysis adds
    // attempt.analysis to the agg documents) overrides this one. Default: appends aggregate().
    virtual Result<void> aggregate_into(const Run& run, std::vector<Document>& docs);
};

class Sink : public Plugin {
   public:
    [[nodiscard]] spot_plugin_kind kind() const noexcept final { return SPOT_KIND_SINK; }
    // Completes only when the documents are durably taken; an error means none may be counted
    // as stored and the run is not checkpointed.
    virtual asio::awaitable<Result<void>> write(std::vector<Document> docs) = 0;
    // Called at the end of each pass and at shutdown.
    virtual asio::awaitable<Result<void>> flush() = 0;
    // The runs whose agg documents this sink holds with an attempt that ended in
    // [from_ms, to_ms), or nullopt when the sink cannot tell (the default).
    virtual asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> known_runs(
        std::int64_t from_ms, std::int64_t to_ms);
};

// Learns across runs from what the sinks acknowledged (Regression and Setter, SPEC §7), keeps
// what it learned under state_dir, and answers questions about it. Not a per-run stage: a run is
// committed before its documents are observed, so an advisor never holds a run back.
class Advisor : public Plugin {
   public:
    [[nodiscard]] spot_plugin_kind kind() const noexcept final { return SPOT_KIND_ADVISOR; }
    // The documents every sink acknowledged for one run, on a worker thread (refits stay off
    // the event loop). May return documents to store (advice), which the pipeline writes.
    virtual Result<std::vector<Document>> observe(const std::vector<Document>& acknowledged) = 0;
    // A question, by path below the advisor ("jobs", "jobs/<job>", "jobs/<job>/advice|report")
    // with the query parameters as text; what `spotd advise|report` and the admin endpoint ask.
    // Errors with ErrorCode::NotFound or ErrorCode::Config become HTTP 404 and 400. Callable
    // without start() (after load()), from a worker thread, concurrently with observe().
    virtual Result<json::value> query(
        std::string_view path, const std::vector<std::pair<std::string, std::string>>& params) = 0;
    // Reads what it learned (its files under state_dir, or what the sinks hold) without taking
    // any lock: what `spotd advise` calls on a config whose daemon may be running. start() calls
    // it too.
    virtual Result<void> load() = 0;
};

// Everything a plugin instance receives from the core.
struct PluginContext {
    std::string pipeline;                 // pipeline name
    std::string instance_id;              // the instance's `id` in the config
    std::shared_ptr<spdlog::logger> log;  // named <pipeline>.<instance_id>
    asio::any_io_executor io;             // the pipeline's strand on the event loop
    asio::any_io_executor workers;        // thread pool for blocking or CPU-heavy work
    MetricsRegistry* metrics = nullptr;
    http::Client* http = nullptr;       // shared HTTP client (pools, limits, metrics)
    std::filesystem::path state_dir{};  // the daemon's state_dir (spools, caches)
    // Reports a failure of the plugin's background work, which belongs to no run: the pipeline
    // logs it, counts it (spot_plugin_failures_total) and writes an err document with `stage`.
    // Callable from any thread. A TaskGroup built with task_failures(ctx) calls it.
    std::function<void(Error error, std::string stage)> report_failure{};
};

// The failure handler of a plugin's TaskGroup: reports through ctx.report_failure with the
// plugin's stage (`source`, `enrich:<id>`, `sink:<id>`, ...).
std::function<void(Error)> task_failures(const PluginContext& ctx, std::string stage);

}  // namespace spot

// The C++ factory behind spot_plugin_descriptor::factory.
struct spot_factory {
    std::unique_ptr<spot::Plugin> (*create)(const spot::PluginContext& ctx,
                                            const spot::Options& options);
};

namespace spot {

// Shorthand for one option declaration in a plugin's option table.
constexpr spot_option_decl option(const char* name,
                                  spot_option_type type,
                                  const char* default_value,
                                  const char* doc,
                                  std::uint32_t flags = 0,
                                  const char* choices = nullptr,
                                  const char* min = nullptr,
                                  const char* max = nullptr,
                                  const char* replaced_by = nullptr) {
    return spot_option_decl{name, type, default_value, doc, flags, choices, min, max, replaced_by};
}

template <std::size_t N>
constexpr spot_plugin_descriptor make_descriptor(const char* name,
                                                 spot_plugin_kind kind,
                                                 const char* version,
                                                 const char* summary,
                                                 const spot_option_decl (&options)[N],
                                                 const spot_factory* factory) {
    return spot_plugin_descriptor{SPOT_PLUGIN_ABI_VERSION,
                                  sizeof(spot_plugin_descriptor),
                                  SPOT_TOOLCHAIN,
                                  name,
                                  kind,
                                  version,
                                  summary,
                                  options,
                                  N,
                                  factory};
}

}  // namespace spot

// The plugin side in one line: exports the entry point returning `descriptor`.
#define SPOT_PLUGIN(descriptor)                                                                 \
    extern "C" BOOST_SYMBOL_EXPORT const spot_plugin_descriptor* spot_plugin_entry() noexcept { \
        return &(descriptor);                                                                   \
    }
