// The History Server's REST API (SPEC §2.1) over the shared HTTP client: the application list for
// a window of end times and one application's details, every attempt's environment, allexecutors
// and stages requested at once. Answers that are not JSON (the server's known failure under
// load) are retried after `retry_sleep`, at most `retry_attempts` times.
#pragma once

#include <spot/http.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <filesystem>
#include <functional>

namespace spot::sources::history {

namespace asio = boost::asio;
namespace json = boost::json;

struct ApiOptions {
    std::chrono::milliseconds retry_sleep{900'000};
    int retry_attempts = 48;
};

class HistoryApi {
   public:
    HistoryApi(std::shared_ptr<http::Endpoint> endpoint,
               ApiOptions options,
               std::shared_ptr<spdlog::logger> log);

    // Completed applications with an attempt that ended in [from_ms, to_ms).
    asio::awaitable<Result<json::array>> list(std::int64_t from_ms, std::int64_t to_ms);
    // The application as listed, each attempt extended with its three detail arrays.
    asio::awaitable<Result<json::object>> details(json::object app);

    // GET `target` streamed to `file` (the /logs zips). `patient`: server trouble is waited out
    // as for the JSON endpoints; otherwise the HTTP client's own retries are all.
    asio::awaitable<Result<std::uint64_t>> download(std::string target,
                                                    std::filesystem::path file,
                                                    std::uint64_t max_bytes,
                                                    std::chrono::milliseconds timeout,
                                                    bool patient);

    // Consulted while waiting retry_sleep: a shutdown cuts the wait short (the run is then not
    // committed and is asked again at the next start).
    void set_stop_check(std::function<bool()> stopping) { stopping_ = std::move(stopping); }

    // The server's date form: 2020-01-15T14:59:33.707GMT.
    static std::string server_time(std::int64_t epoch_ms);

    // A listed application's attempts (an error when it has none or one is not an object).
    static Result<json::array*> attempts_of(json::object& app);
    // /api/v1/applications/{id}[/{attemptId}]: where one attempt's endpoints are.
    static std::string attempt_path(const std::string& id, const json::object& attempt);

   private:
    // `listed`: the target belongs to an application the listing has just returned, so a 404 is
    // most likely the server's UI cache evicting it mid-read (seen under concurrent load) and is
    // asked again twice, after 1 s and 2 s, before it counts.
    asio::awaitable<Result<json::value>> get(std::string target,
                                             std::string label,
                                             bool listed = false);
    // After a failed attempt: whether to ask again, having waited retry_sleep if so.
    asio::awaitable<bool> wait_to_retry(const Error& e, int attempt);
    std::shared_ptr<http::Endpoint> endpoint_;
    ApiOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    std::function<bool()> stopping_;
};

}  // namespace spot::sources::history
