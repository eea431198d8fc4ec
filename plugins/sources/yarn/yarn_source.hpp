// yarn: a YARN ResourceManager's REST API (`ws/v1/cluster`). Each pass lists the applications
// finished since the newest one stored (less an overlap, for applications the RM reports late)
// and hands each new one to the pipeline as a `yarn_apps` document; then one snapshot of the
// cluster (metrics, application counts per type and state, scheduler summary: `yarn_cluster`)
// and its queues, partitions and users (`yarn_scheduler`). An application is stored once:
// its document id is the application id, and the state remembers what the sinks acknowledged.
#pragma once

#include <spot/http.hpp>
#include <spot/plugin.hpp>

#include <map>

namespace spot::sources::yarn {

struct YarnOptions {
    std::string url;  // the RM's web address, e.g. http://rm.example:8088
    std::chrono::milliseconds lookback{7 * 24 * 3'600'000LL};  // first pass on an empty state
    std::chrono::milliseconds overlap{10 * 60'000};            // listed again behind the newest
    std::string states = "FINISHED,FAILED,KILLED";
    std::vector<std::string> app_types{"all", "SPARK", "MAPREDUCE"};
    bool snapshot = true;   // cluster and scheduler documents every pass
    std::string yarn_host;  // empty: the URL's host
    http::ClientOptions client;
};

class YarnSource final : public Source {
   public:
    YarnSource(const PluginContext& ctx, YarnOptions options);

    asio::awaitable<Result<void>> pass(RunQueue& queue) override;
    void commit(const json::value& checkpoint) override;
    [[nodiscard]] json::value save_state() const override;
    Result<void> load_state(const json::value& state) override;

   private:
    asio::awaitable<Result<void>> list_apps(RunQueue& queue, const std::string& now);
    asio::awaitable<Result<void>> take_snapshot(RunQueue& queue, const std::string& now);

    std::shared_ptr<spdlog::logger> log_;
    YarnOptions options_;
    std::shared_ptr<http::Endpoint> rm_;
    std::int64_t newest_ms_ = 0;                  // finishedTime of the newest stored application
    std::map<std::string, std::int64_t> stored_;  // applications finished within the overlap
    Counter* apps_total_ = nullptr;
};

}  // namespace spot::sources::yarn
