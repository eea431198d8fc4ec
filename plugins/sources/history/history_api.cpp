#include "history_api.hpp"

#include <spot/all_of.hpp>
#include <spot/time.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace spot::sources::history {

namespace {

// The server is in trouble (not a property of the request): wait and ask again.
bool server_trouble(const Error& e) {
    return e.code == ErrorCode::Json || e.code == ErrorCode::Connection ||
           e.code == ErrorCode::Timeout || (e.code == ErrorCode::Http && e.http_status >= 500);
}

// A listed application answering 404: asked again after 1 s, then 2 s, before it counts.
constexpr int kVanishedRetries = 2;

}  // namespace

HistoryApi::HistoryApi(std::shared_ptr<http::Endpoint> endpoint,
                       ApiOptions options,
                       std::shared_ptr<spdlog::logger> log)
    : endpoint_(std::move(endpoint)), options_(options), log_(std::move(log)) {}

std::string HistoryApi::server_time(std::int64_t epoch_ms) {
    std::string t = iso_utc(SysMillis(std::chrono::milliseconds(epoch_ms)));
    if (!t.empty() && t.back() == 'Z') {
        t.pop_back();
    }
    return t + "GMT";
}

asio::awaitable<bool> HistoryApi::wait_to_retry(const Error& e, int attempt) {
    if (!server_trouble(e) || attempt > options_.retry_attempts) {
        co_return false;
    }
    log_->warn("History Server answered badly; asking again in {} s (retry {}/{}): {}",
               options_.retry_sleep.count() / 1000.0, attempt, options_.retry_attempts,
               e.describe());
    // In slices, so that a shutdown does not wait out the whole retry_sleep.
    const auto until = std::chrono::steady_clock::now() + options_.retry_sleep;
    while (std::chrono::steady_clock::now() < until) {
        if (stopping_ && stopping_()) {
            co_return false;
        }
        asio::steady_timer
            t(co_await asio::this_coro::executor,
              std::min<std::chrono::steady_clock::duration>(std::chrono::seconds(1),
                                                            until -
                                                                std::chrono::steady_clock::now()));
        co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return true;
}

asio::awaitable<Result<json::value>> HistoryApi::get(std::string target,
                                                     std::string label,
                                                     bool listed) {
    int vanished = 0;
    for (int attempt = 1;; ++attempt) {
        auto r = co_await endpoint_->get_json(target, label);
        if (r) {
            co_return r;
        }
        if (listed && r.error().code == ErrorCode::Http && r.error().http_status == 404 &&
            vanished < kVanishedRetries) {
            ++vanished;
            log_->info(
                "History Server answered 404 for a listed application; asking again in "
                "{} s: {}",
                vanished, r.error().describe());
            asio::steady_timer t(co_await asio::this_coro::executor,
                                 std::chrono::seconds(vanished));
            co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
            continue;
        }
        const bool again = co_await wait_to_retry(r.error(), attempt);
        if (!again) {
            co_return r;
        }
    }
}

asio::awaitable<Result<std::uint64_t>> HistoryApi::download(std::string target,
                                                            std::filesystem::path file,
                                                            std::uint64_t max_bytes,
                                                            std::chrono::milliseconds timeout,
                                                            bool patient) {
    for (int attempt = 1;; ++attempt) {
        auto r = co_await endpoint_->download(target, "logs", file, max_bytes, timeout);
        if (r || !patient) {
            co_return r;
        }
        const bool again = co_await wait_to_retry(r.error(), attempt);
        if (!again) {
            co_return r;
        }
    }
}

Result<json::array*> HistoryApi::attempts_of(json::object& app) {
    const std::string id(app.at("id").as_string());
    auto* attempts = app.if_contains("attempts");
    if (attempts == nullptr || !attempts->is_array() || attempts->as_array().empty()) {
        return make_error(ErrorCode::Json, "listed application has no attempts", id);
    }
    for (const auto& a : attempts->as_array()) {
        if (!a.is_object()) {
            return make_error(ErrorCode::Json, "listed attempt is not an object", id);
        }
    }
    return &attempts->as_array();
}

std::string HistoryApi::attempt_path(const std::string& id, const json::object& attempt) {
    std::string path = "/api/v1/applications/" + id;
    if (const auto* aid = attempt.if_contains("attemptId"); aid && aid->is_string()) {
        path += "/" + std::string(aid->as_string());
    }
    return path;
}

asio::awaitable<Result<json::array>> HistoryApi::list(std::int64_t from_ms, std::int64_t to_ms) {
    // maxEndDate is inclusive on the server: ask up to the millisecond before to_ms. No `limit`:
    // the list is newest first and `limit` would cut the oldest.
    auto r =
        co_await get("/api/v1/applications?status=completed&minEndDate=" + server_time(from_ms) +
                         "&maxEndDate=" + server_time(to_ms - 1),
                     "applications");
    if (!r) {
        co_return r.error();
    }
    if (!r->is_array()) {
        co_return make_error(ErrorCode::Json, "application list is not a JSON array",
                             endpoint_->describe("/api/v1/applications"));
    }
    co_return std::move(r->as_array());
}

asio::awaitable<Result<json::object>> HistoryApi::details(json::object app) {
    // Each part with its query: stages with the server's task and executor quantiles
    // (taskMetricsDistributions, executorMetricsDistributions), the five the reader rebuilds.
    struct Part {
        const char* name;
        const char* query;
    };
    static constexpr Part kParts[] = {{"environment", ""},
                                      {"allexecutors", ""},
                                      {"stages",
                                       "?withSummaries=true&quantiles=0.0,0.25,0.5,0.75,1.0"}};
    const std::string id(app.at("id").as_string());
    auto attempts = attempts_of(app);
    if (!attempts) {
        co_return attempts.error();
    }
    std::vector<asio::awaitable<Result<json::value>>> requests;
    for (const auto& a : **attempts) {
        const std::string base = attempt_path(id, a.as_object());
        for (const auto& part : kParts) {
            requests.push_back(get(base + "/" + part.name + part.query, part.name, true));
        }
    }
    auto results = co_await all_of(std::move(requests));
    for (const auto& r : results) {
        if (!r) {
            co_return r.error();
        }
    }
    std::size_t i = 0;
    for (auto& a : **attempts) {
        for (const auto& part : kParts) {
            a.as_object()[part.name] = std::move(*results[i++]);
        }
    }
    co_return app;
}

}  // namespace spot::sources::history
