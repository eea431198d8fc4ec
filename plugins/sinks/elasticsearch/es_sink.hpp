// elasticsearch: documents into Elasticsearch 7/8/9 or OpenSearch 1/2/3 through _bulk.
//
// write() adds a run's documents to the open batch and waits until that batch is taken: sent and
// accepted item by item (transient item failures retried, a full field limit raised, other
// rejections turned into err documents), or, when the cluster cannot be reached, written durably
// to the spool, which is replayed in order once it answers. Only then is the run acknowledged.
#pragma once

#include "bulk.hpp"
#include "spool.hpp"

#include <spot/http.hpp>
#include <spot/plugin.hpp>
#include <spot/task_group.hpp>

#include <boost/asio/steady_timer.hpp>
#include <map>
#include <set>

namespace spot::sinks::elasticsearch {

struct EsOptions {
    std::string url;
    std::map<std::string, std::string> indices;  // stream -> index; a stream not here is not stored
    std::size_t batch_documents = 500;
    std::size_t batch_bytes = 8u << 20;
    std::chrono::milliseconds linger{500};
    std::size_t bulk_concurrency = 2;
    std::int64_t total_fields_limit = 2000;
    std::int64_t total_fields_increment = 100;
    int item_attempts = 5;
    std::string api_key;
    std::string
        replicas;  // index.number_of_replicas in the templates; empty: the cluster's default
    std::filesystem::path spool_dir;
    std::uint64_t spool_max_bytes = 1ull << 30;
    http::ClientOptions client;
};

class EsSink final : public Sink {
   public:
    // Builds the endpoint only: the spool is opened and replayed by start().
    EsSink(const PluginContext& ctx, EsOptions options);

    // Locks and opens the spool, and replays what an earlier run left in it.
    asio::awaitable<Result<void>> start() override;
    // Cuts background sleeps short, waits for deliveries and the replay to end, unlocks the spool.
    asio::awaitable<void> stop() override;
    asio::awaitable<Result<void>> write(std::vector<Document> docs) override;
    asio::awaitable<Result<void>> flush() override;
    asio::awaitable<Result<std::optional<std::vector<KnownRun>>>> known_runs(
        std::int64_t from_ms, std::int64_t to_ms) override;

   private:
    struct Batch {
        explicit Batch(const asio::any_io_executor& ex)
            : wake(ex, asio::steady_timer::time_point::max()) {}
        std::vector<BulkItem> items;
        std::size_t bytes = 0;
        bool done = false;
        Result<void> result;
        asio::steady_timer wake;
    };
    asio::awaitable<Result<void>> ensure_ready();
    // A cluster that answers but cannot be used (malformed answers, templates refused) is
    // reported once per distinct reason as an err document; an unreachable one only spools.
    void report_not_ready(const Error& error);
    asio::awaitable<Result<void>> detect_and_install();
    asio::awaitable<Result<void>> install_template(const std::string& index);
    asio::awaitable<void> linger_then_send();
    asio::awaitable<void> send(std::shared_ptr<Batch> batch);
    asio::awaitable<std::vector<BulkItem>> send_items(std::vector<BulkItem> items);
    // Sends items until each is stored or rejected for good (rejections become err documents);
    // returns those the cluster could not take (unreachable, or still failing): for the spool.
    asio::awaitable<std::vector<BulkItem>> deliver(std::vector<BulkItem> items);
    asio::awaitable<void> raise_field_limit(const std::string& index, std::int64_t limit);
    asio::awaitable<void> reject(const std::vector<std::pair<BulkItem, ItemResult>>& rejected);
    Result<void> spool(const std::vector<BulkItem>& items);
    asio::awaitable<void> drain_spool();
    asio::awaitable<void> log_index_stats();
    asio::awaitable<Result<http::Response>> call(std::string method,
                                                 std::string target,
                                                 std::string body,
                                                 std::string label,
                                                 std::string content_type = "application/json");

    EsOptions options_;
    std::string instance_id_;
    std::shared_ptr<spdlog::logger> log_;
    asio::any_io_executor io_;
    std::function<void(Error)> report_;
    TaskGroup tasks_;  // deliveries, linger timers and the spool replay; joined by stop()
    std::string last_reported_;
    std::shared_ptr<http::Endpoint> endpoint_;
    Spool spool_;
    bool ready_ = false, readying_ = false;
    std::string product_;
    std::map<std::string, std::int64_t> field_limits_;  // raised limits, by index
    std::map<std::string, Counter*> unrouted_;          // streams without an index here, by name
    std::shared_ptr<Batch> open_;
    bool lingering_ = false, draining_ = false;
    int drain_failures_ = 0;          // consecutive failed replays of the spool's first batch
    bool wrote_since_stats_ = false;  // index statistics are refreshed only after writes
    std::size_t in_flight_ = 0;
    asio::steady_timer changed_;  // woken when a batch ends or spool space frees

    MetricsRegistry* metrics_;
    Labels labels_;
    Counter* stored_ = nullptr;
    Counter* rejected_ = nullptr;
    Counter* spooled_ = nullptr;
    Gauge* spool_bytes_ = nullptr;
};

}  // namespace spot::sinks::elasticsearch
