// Key functions of the plugin interfaces: their vtables and type info live in libspot-core, once.
#include <spot/plugin.hpp>

namespace spot {
Plugin::~Plugin() = default;
RunQueue::~RunQueue() = default;

asio::awaitable<Result<void>> Plugin::start() { co_return Result<void>{}; }
asio::awaitable<void> Plugin::stop() { co_return; }
void RunQueue::progress() noexcept {}

std::function<void(Error)> task_failures(const PluginContext& ctx, std::string stage) {
    return [report = ctx.report_failure, stage = std::move(stage)](Error e) {
        if (report) {
            report(std::move(e), stage);
        }
    };
}

asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> Sink::known_runs(std::int64_t,
                                                                               std::int64_t) {
    co_return std::optional<std::vector<KnownRun>>{};
}

Result<void> Enricher::enrich(Run&) { return {}; }

asio::awaitable<Result<void>> Enricher::enrich_async(Run& run) { co_return enrich(run); }

Result<void> Aggregator::aggregate_into(const Run& run, std::vector<Document>& docs) {
    auto made = aggregate(run);
    if (!made) {
        return made.error();
    }
    for (auto& d : *made) {
        docs.push_back(std::move(d));
    }
    return {};
}

Result<void> Enricher::post_aggregate(const Run&, std::vector<Document>&) { return {}; }
}  // namespace spot
