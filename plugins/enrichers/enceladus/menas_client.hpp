// Menas, the Enceladus REST API (this plugin's README, "Menas"), over the shared
// HTTP client: a form login, then GET {base}/api/runs/bySparkAppId/{id}. Menas 2.x keeps the
// session in a `JWT` cookie; 3.x (the rest-api module) returns the token in a `JWT` response
// header and wants it back in a `JWT` request header. An expired session answers 401 (or 403):
// the client logs in again, waiting twice as long before each new try, a bounded number of times.
#pragma once

#include <spot/http.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/array.hpp>

namespace spot::enrichers::enceladus {

namespace asio = boost::asio;

enum class MenasApi { Auto, V2, V3 };

struct MenasOptions {
    std::string username, password;
    MenasApi api = MenasApi::Auto;
    int login_attempts = 3;
    std::chrono::milliseconds login_backoff{1000};
};

class MenasClient {
   public:
    MenasClient(asio::any_io_executor executor,
                std::shared_ptr<http::Endpoint> endpoint,
                MenasOptions options,
                std::shared_ptr<spdlog::logger> log);

    // Every Run document Menas holds for the Spark application id ([] when none).
    asio::awaitable<Result<boost::json::array>> runs_by_app_id(const std::string& app_id);

   private:
    struct Session {
        MenasApi api = MenasApi::Auto;  // how the token goes back: cookie (V2) or header (V3)
        std::string token;              // "JWT=...; JSESSIONID=..." (V2) or the JWT (V3)
        std::uint64_t generation = 0;   // bumped at each login
    };
    // On strand_: runs are enriched on several worker threads at once, and share one session.
    asio::awaitable<Result<boost::json::array>> fetch(std::string app_id);
    asio::awaitable<Result<Session>> login();

    asio::strand<asio::any_io_executor> strand_;
    std::shared_ptr<http::Endpoint> endpoint_;
    MenasOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    Session session_;
    bool logging_in_ = false;        // one login at a time; the others wait for it
    asio::steady_timer login_done_;  // cancelled when a login ends
};

}  // namespace spot::enrichers::enceladus
