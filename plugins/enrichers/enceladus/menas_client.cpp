#include "menas_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

namespace spot::enrichers::enceladus {

namespace json = boost::json;

namespace {

// application/x-www-form-urlencoded
std::string form_encode(std::string_view s) {
    static const char* kHex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : s) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

// "JWT=abc; Path=/menas; Max-Age=28800" -> "JWT=abc"
std::string cookie_pair(const std::string& set_cookie) {
    return set_cookie.substr(0, set_cookie.find(';'));
}

}  // namespace

MenasClient::MenasClient(asio::any_io_executor executor,
                         std::shared_ptr<http::Endpoint> endpoint,
                         MenasOptions options,
                         std::shared_ptr<spdlog::logger> log)
    : strand_(asio::make_strand(executor)),
      endpoint_(std::move(endpoint)),
      options_(std::move(options)),
      log_(std::move(log)),
      login_done_(strand_, asio::steady_timer::time_point::max()) {}

asio::awaitable<Result<MenasClient::Session>> MenasClient::login() {
    http::Request req;
    req.method = "POST";
    req.target = "/api/login";
    req.label = "login";
    req.content_type = "application/x-www-form-urlencoded";
    req.body = "username=" + form_encode(options_.username) +
               "&password=" + form_encode(options_.password) + "&submit=Login";
    auto r = co_await endpoint_->send(req);
    if (!r) {
        co_return r.error();
    }
    if (r->status / 100 != 2) {
        Error e = make_error(ErrorCode::Http,
                             "Menas refused the login (HTTP " + std::to_string(r->status) + ")",
                             endpoint_->describe(req.target));
        e.http_status = r->status;
        co_return e;
    }
    Session s;
    const std::string header_token = r->header("jwt");
    std::string cookies;
    for (auto [it, end] = r->headers.equal_range("set-cookie"); it != end; ++it) {
        cookies += (cookies.empty() ? "" : "; ") + cookie_pair(it->second);
    }
    const bool v3 =
        options_.api == MenasApi::V3 || (options_.api == MenasApi::Auto && !header_token.empty());
    s.api = v3 ? MenasApi::V3 : MenasApi::V2;
    s.token = v3 ? header_token : cookies;
    if (s.token.empty()) {
        co_return make_error(ErrorCode::Http,
                             v3 ? "Menas login answered without a JWT header"
                                : "Menas login answered without a session cookie",
                             endpoint_->describe(req.target));
    }
    s.generation = session_.generation + 1;
    session_ = s;
    log_->info("logged in to Menas at {} ({} API)", endpoint_->url().origin(), v3 ? "3.x" : "2.x");
    co_return s;
}

asio::awaitable<Result<json::array>> MenasClient::runs_by_app_id(const std::string& app_id) {
    co_return co_await asio::co_spawn(strand_, fetch(app_id), asio::use_awaitable);
}

asio::awaitable<Result<json::array>> MenasClient::fetch(std::string app_id) {
    const std::string target = "/api/runs/bySparkAppId/" + app_id;
    auto backoff = options_.login_backoff;
    Session s = session_;
    int logins = 0;
    // Bounded even when concurrent runs keep replacing the session under each other.
    for (int round = 0; round < 2 * options_.login_attempts + 2; ++round) {
        if (s.token.empty() && logging_in_) {
            co_await login_done_.async_wait(asio::as_tuple(asio::use_awaitable));
            s = session_;
            if (!s.token.empty()) {
                continue;  // another run's login gave a session
            }
        }
        if (s.token.empty()) {
            if (logins >= options_.login_attempts) {
                co_return make_error(ErrorCode::Http,
                                     "Menas session refused after " + std::to_string(logins) +
                                         " login(s)",
                                     endpoint_->describe(target));
            }
            if (logins > 0) {  // waits 1x, 2x, 4x ... login_backoff before logging in again
                asio::steady_timer t(co_await asio::this_coro::executor, backoff);
                co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
                backoff *= 2;
            }
            ++logins;
            logging_in_ = true;
            auto fresh = co_await login();
            logging_in_ = false;
            login_done_.cancel();
            if (!fresh) {
                co_return fresh.error();  // refused credentials or a server error: not retried here
            }
            s = *fresh;
        }
        http::Request req;
        req.target = target;
        req.label = "runs";
        if (s.api == MenasApi::V3) {
            req.headers.emplace_back("JWT", s.token);
        } else {
            req.headers.emplace_back("Cookie", s.token);
        }
        auto r = co_await endpoint_->send(req);
        if (!r) {
            co_return r.error();
        }
        if (r->status == 401 || r->status == 403) {
            log_->info("Menas session expired (HTTP {}); logging in again", r->status);
            if (session_.generation == s.generation) {
                session_.token.clear();  // unless another run logged in meanwhile
            }
            s = session_;
            continue;
        }
        if (r->status / 100 != 2) {
            co_return http::status_error(*r, endpoint_->describe(target));
        }
        boost::system::error_code ec;
        auto v = json::parse(r->body, ec);
        if (ec || !v.is_array()) {
            co_return make_error(ErrorCode::Json,
                                 "Menas answer is not a JSON array: " + http::body_excerpt(r->body),
                                 endpoint_->describe(target));
        }
        co_return std::move(v.get_array());
    }
    co_return make_error(ErrorCode::Http, "Menas keeps refusing the session",
                         endpoint_->describe(target));
}

}  // namespace spot::enrichers::enceladus
