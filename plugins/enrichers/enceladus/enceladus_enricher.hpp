// enceladus: Enceladus runs recognised by name and classified (SPEC §6), each attempt enriched
// with its Run document from Menas (typed, checkpoints aggregated), and after aggregation the
// storage-size metrics added to the agg documents. Other runs pass through untouched.
#pragma once

#include "menas_client.hpp"
#include "run_typing.hpp"

#include <spot/plugin.hpp>

namespace spot::enrichers::enceladus {

struct EnceladusOptions {
    std::string url;  // empty: classification only, no Menas
    MenasOptions menas;
    http::ClientOptions client;
    std::string time_zone = "UTC";
    std::int64_t hdfs_block_size = 128ll << 20;
    int pause_after_failures = 3;
    std::chrono::milliseconds pause{60'000};
};

class EnceladusEnricher final : public Enricher {
   public:
    EnceladusEnricher(const PluginContext& ctx, EnceladusOptions options);

    asio::awaitable<Result<void>> enrich_async(Run& run) override;
    Result<void> post_aggregate(const Run& run, std::vector<Document>& docs) override;

   private:
    // Menas failing again and again is not asked for a while (`pause`), so that its timeouts do
    // not hold every run up; the runs meanwhile are stored without Enceladus data.
    [[nodiscard]] std::optional<Error> paused() const;
    void record_outcome(bool ok);

    EnceladusOptions options_;
    TimeZone zone_;
    std::shared_ptr<spdlog::logger> log_;
    std::unique_ptr<MenasClient> menas_;
    mutable std::mutex mutex_;
    int failures_in_row_ = 0;
    std::chrono::steady_clock::time_point paused_until_{};
    Counter* enriched_total_ = nullptr;
    Counter* unmatched_total_ = nullptr;
    Counter* menas_failed_total_ = nullptr;
};

}  // namespace spot::enrichers::enceladus
