// The HTTP client every plugin that talks HTTP shares (History Server, Elasticsearch, Menas).
//
// One Client per daemon holds a keep-alive connection pool per origin (scheme, host, port) with a
// concurrency limit; an Endpoint is one base URL with its options (timeouts, retries, TLS,
// authentication). Transient failures (connection errors, timeouts, 429 and 5xx) are retried with
// exponential back-off and full jitter, honouring Retry-After; everything else is a typed Error:
// Http (with the status), Timeout, Connection, Json (with the first bytes of the body).
#pragma once

#include <spot/metrics.hpp>
#include <spot/result.hpp>
#include <spot/sigv4.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <spdlog/logger.h>
#include <string>
#include <vector>

namespace spot::http {

namespace asio = boost::asio;
namespace json = boost::json;

struct Url {
    std::string scheme;  // http or https
    std::string host;
    std::string port;
    std::string base_path;       // without the trailing '/'; empty for the root
    std::string user, password;  // from user:password@ in the URL, if any

    static Result<Url> parse(std::string_view text);
    [[nodiscard]] bool tls() const { return scheme == "https"; }
    [[nodiscard]] std::string origin() const { return scheme + "://" + host + ":" + port; }
};

struct ClientOptions {
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds read_timeout{60'000};  // longest wait for a whole response
    std::size_t max_response_bytes = 256u << 20;
    int max_attempts = 4;  // per request, for connection errors, timeouts, 429 and 5xx
    std::chrono::milliseconds backoff_initial{500};
    std::chrono::milliseconds backoff_max{30'000};
    std::size_t max_connections = 8;  // per origin: requests beyond this wait for a free one
    // TLS: verification is on unless `insecure`.
    std::string ca_file, cert_file, key_file;
    bool insecure = false;
    // Authentication: basic when username is set, else bearer when token is set, else AWS SigV4
    // when aws.access_key_id is set (every attempt signed anew).
    std::string username, password, bearer_token;
    AwsCredentials aws;
};

struct Request {
    std::string method = "GET";
    std::string target;  // path and query, appended to the endpoint's base path
    std::string body;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string label;  // endpoint name for the latency histogram, e.g. "stages"
    // Download mode: a 2xx body is streamed to this file (created or truncated; never held in
    // memory) and Response::body stays empty. Other statuses are read into Response::body.
    std::filesystem::path save_to;
    std::uint64_t max_body_bytes = 0;      // 0: the endpoint's max_response_bytes
    std::chrono::milliseconds timeout{0};  // 0: the endpoint's read_timeout
};

struct Response {
    unsigned status = 0;
    std::string body;
    std::multimap<std::string, std::string> headers;  // lower-case names
    std::uint64_t body_bytes = 0;  // bytes of the body, also when it went to Request::save_to
    [[nodiscard]] std::string header(const std::string& lower_name) const;
};

// The wait before retry `attempt` (1, 2, ...): exponential from backoff_initial, capped at
// backoff_max, with jitter over the upper half. Shared by every retry loop over HTTP.
std::chrono::milliseconds backoff(const ClientOptions& options, int attempt);

// The first bytes of a body, printable, for error messages.
std::string body_excerpt(std::string_view body, std::size_t max = 160);
// A final non-2xx answer as an Http error ("HTTP 404: <first bytes>", with http_status).
Error status_error(const Response& r, const std::string& where);

struct Pool;

class Endpoint {
   public:
    // Sends the request, retrying transient failures. Any final status is returned as a Response
    // (the caller decides what a 4xx means); errors are Connection or Timeout, or Http when the
    // retries of a 429/5xx ran out or the response was too large.
    asio::awaitable<Result<Response>> send(Request request);
    // GET that must answer 2xx with a JSON body.
    asio::awaitable<Result<json::value>> get_json(std::string target, std::string label);
    // GET whose 2xx body is streamed to `file` (at most `max_bytes`, within `timeout`); any other
    // status is an Http error. Returns the number of bytes written. A failed download may leave
    // a partial file: the caller owns and removes it.
    asio::awaitable<Result<std::uint64_t>> download(std::string target,
                                                    std::string label,
                                                    std::filesystem::path file,
                                                    std::uint64_t max_bytes,
                                                    std::chrono::milliseconds timeout);

    [[nodiscard]] const Url& url() const { return url_; }
    [[nodiscard]] std::string describe(const std::string& target) const;

    Endpoint(std::shared_ptr<Pool> pool,
             Url url,
             ClientOptions options,
             std::shared_ptr<spdlog::logger> log,
             MetricsRegistry* metrics);

   private:
    asio::awaitable<Result<Response>> attempt(const Request& request);

    std::shared_ptr<Pool> pool_;
    Url url_;
    ClientOptions options_;
    std::shared_ptr<spdlog::logger> log_;
    MetricsRegistry* metrics_;
    std::string authorization_;
    Counter* retries_ = nullptr;
    // Latency histogram per endpoint label, looked up once (only touched on the pool's strand).
    std::map<std::string, Histogram*> latency_;
};

class Client {
   public:
    Client(asio::any_io_executor io, MetricsRegistry* metrics);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // An endpoint for `base_url`. Fails on a malformed URL or unusable TLS files. Logs a warning
    // when TLS verification is off.
    Result<std::shared_ptr<Endpoint>> endpoint(const std::string& base_url,
                                               ClientOptions options,
                                               std::shared_ptr<spdlog::logger> log);

   private:
    asio::any_io_executor io_;
    MetricsRegistry* metrics_;
    std::mutex mutex_;  // endpoints are created by plugin factories, on any thread
    std::map<std::string, std::weak_ptr<Pool>> pools_;  // by origin and TLS settings
};

}  // namespace spot::http
