// Key functions of the plugin interfaces: their vtables and type info live in libspot-core, once.
#include <spot/plugin.hpp>

namespace spot {
Plugin::~Plugin() = default;
RunQueue::~RunQueue() = default;

asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> Sink::known_runs(std::int64_t,
                                                                              std::int64_t) {
    co_return std::optional<std::vector<KnownRun>>{};
}

Result<void> Enricher::enrich(Run&) { return {}; }

asio::awaitable<Result<void>> Enricher::enrich_async(Run& run) { co_return enrich(run); }

Result<void> Enricher::post_aggregate(const Run&, std::vector<Document>&) { return {}; }
}  // namespace spot
