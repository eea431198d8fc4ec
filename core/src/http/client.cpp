#include "http/pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <fmt/chrono.h>
#include <openssl/evp.h>
#include <algorithm>
#include <random>

namespace spot::http {

namespace bhttp = beast::http;

namespace {

std::string base64(const std::string& in) {
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

bool transient_status(unsigned status) { return status == 429 || status >= 500; }

bool transient(const Error& e) {
    return e.code == ErrorCode::Connection || e.code == ErrorCode::Timeout;
}

// Retry-After in seconds (the HTTP-date form is rare from the servers we talk to).
std::optional<std::chrono::milliseconds> retry_after(const Response& r) {
    const std::string v = r.header("retry-after");
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 6) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(std::min<long>(std::stol(v), 300) * 1000);
}

// The headers of a response, names in lower case.
template <class Message>
void copy_headers(const Message& msg, Response& r) {
    for (const auto& f : msg) {
        std::string name(f.name_string());
        for (auto& ch : name) {
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        }
        r.headers.emplace(std::move(name), std::string(f.value()));
    }
}

// The rest of an answer whose header is already read, into whichever body the parser has.
template <class Stream, class Body>
asio::awaitable<boost::system::error_code> read_body(Stream& stream,
                                                     beast::flat_buffer& buffer,
                                                     bhttp::response_parser<Body>& parser) {
    if (parser.is_done()) {
        co_return boost::system::error_code{};
    }
    auto [ec, n] =
        co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)n;
    co_return ec;
}

template <class Stream>
asio::awaitable<Result<Response>> roundtrip(Stream& stream,
                                            Connection& c,
                                            const bhttp::request<bhttp::string_body>& req,
                                            const Request& request,
                                            const ClientOptions& o,
                                            const std::string& where,
                                            bool& keep_alive) {
    const auto timeout = request.timeout.count() > 0 ? request.timeout : o.read_timeout;
    const std::uint64_t limit =
        request.max_body_bytes > 0 ? request.max_body_bytes : o.max_response_bytes;
    c.lowest().expires_after(timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
    (void)wn;
    auto timed_out = [&] {
        return make_error(ErrorCode::Timeout,
                          "no complete answer within " + std::to_string(timeout.count()) + " ms",
                          where);
    };
    auto read_failed = [&](boost::system::error_code ec) {
        if (ec == beast::error::timeout) {
            return timed_out();
        }
        if (ec == bhttp::error::body_limit) {
            return make_error(ErrorCode::Http,
                              std::string("response larger than ") +
                                  (request.max_body_bytes > 0 ? "the request's limit"
                                                              : "max_response_bytes") +
                                  " (" + std::to_string(limit) + " bytes)",
                              where);
        }
        return make_error(ErrorCode::Connection, "connection lost while reading: " + ec.message(),
                          where);
    };
    if (wec) {
        if (wec == beast::error::timeout) {
            co_return timed_out();
        }
        co_return make_error(ErrorCode::Connection, "cannot send request: " + wec.message(), where);
    }
    // The header first: its status decides where the body goes (a file or a string).
    bhttp::response_parser<bhttp::empty_body> head;
    auto [hec, hn] = co_await bhttp::async_read_header(stream, c.buffer, head,
                                                       asio::as_tuple(asio::use_awaitable));
    (void)hn;
    if (hec) {
        co_return read_failed(hec);
    }
    if (const auto length = head.content_length(); length && *length > limit) {
        co_return read_failed(bhttp::error::body_limit);
    }
    Response r;
    r.status = head.get().result_int();
    if (!request.save_to.empty() && r.status / 100 == 2) {
        bhttp::response_parser<bhttp::file_body> parser(std::move(head));
        parser.body_limit(limit);
        boost::system::error_code ec;
        parser.get().body().open(request.save_to.c_str(), beast::file_mode::write, ec);
        if (ec) {
            co_return make_error(ErrorCode::Io, "cannot write: " + ec.message(),
                                 request.save_to.string());
        }
        const auto rec = co_await read_body(stream, c.buffer, parser);
        if (rec) {
            co_return read_failed(rec);
        }
        auto msg = parser.release();
        copy_headers(msg, r);
        keep_alive = msg.keep_alive();
        msg.body().close();  // flushed: the size on disk is what was received
        std::error_code size_ec;
        r.body_bytes = std::filesystem::file_size(request.save_to, size_ec);
        co_return r;
    }
    bhttp::response_parser<bhttp::string_body> parser(std::move(head));
    parser.body_limit(limit);
    const auto rec = co_await read_body(stream, c.buffer, parser);
    if (rec) {
        co_return read_failed(rec);
    }
    auto msg = parser.release();
    copy_headers(msg, r);
    keep_alive = msg.keep_alive();
    r.body = std::move(msg.body());
    r.body_bytes = r.body.size();
    co_return r;
}

// Adds X-Amz-Date, X-Amz-Content-Sha256 (and the session token) and the SigV4 Authorization.
void sign_aws(const Url& url_,
              const ClientOptions& options_,
              bhttp::request<bhttp::string_body>& req) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    const std::string amz_date = fmt::format("{:%Y%m%dT%H%M%SZ}", now);
    const std::string payload = sha256_hex(req.body());
    std::vector<std::pair<std::string, std::string>> headers{{"host", url_.host},
                                                             {"x-amz-date", amz_date},
                                                             {"x-amz-content-sha256", payload}};
    if (!options_.aws.session_token.empty()) {
        headers.emplace_back("x-amz-security-token", options_.aws.session_token);
    }
    const std::string target(req.target());
    const auto q = target.find('?');
    const std::string path = target.substr(0, q);
    const std::string query = q == std::string::npos ? std::string() : target.substr(q + 1);
    for (const auto& [k, v] : headers) {
        if (k != "host") {
            req.set(k, v);
        }
    }
    req.set(bhttp::field::authorization,
            sigv4_authorization(options_.aws, std::string(req.method_string()), path, query,
                                headers, payload, amz_date));
}

}  // namespace

Error status_error(const Response& r, const std::string& where) {
    Error e = make_error(ErrorCode::Http,
                         "HTTP " + std::to_string(r.status) + ": " + body_excerpt(r.body), where);
    e.http_status = r.status;
    return e;
}

Endpoint::Endpoint(std::shared_ptr<Pool> pool,
                   Url url,
                   ClientOptions options,
                   std::shared_ptr<spdlog::logger> log,
                   MetricsRegistry* metrics)
    : pool_(std::move(pool)),
      url_(std::move(url)),
      options_(std::move(options)),
      log_(std::move(log)),
      metrics_(metrics) {
    if (options_.username.empty() && !url_.user.empty()) {
        options_.username = url_.user;
        options_.password = url_.password;
    }
    if (!options_.username.empty()) {
        authorization_ = "Basic " + base64(options_.username + ":" + options_.password);
    } else if (!options_.bearer_token.empty()) {
        authorization_ = "Bearer " + options_.bearer_token;
    }
    retries_ = &metrics_->counter("spot_http_retries_total",
                                  "HTTP requests retried after a transient failure.",
                                  {{"host", url_.host + ":" + url_.port}});
    options_.max_attempts = std::max(options_.max_attempts, 1);
}

std::string Endpoint::describe(const std::string& target) const {
    return url_.scheme + "://" + url_.host + ":" + url_.port + url_.base_path + target;
}

asio::awaitable<Result<Response>> Endpoint::attempt(const Request& request) {
    const std::string where = request.method + " " + describe(request.target);
    bhttp::request<bhttp::string_body> req;
    req.method_string(request.method);
    req.target(url_.base_path + request.target);
    req.version(11);
    req.set(bhttp::field::host, url_.host);
    req.set(bhttp::field::user_agent, "spot/" SPOT_VERSION);
    req.set(bhttp::field::accept, "application/json");
    if (!authorization_.empty()) {
        req.set(bhttp::field::authorization, authorization_);
    }
    for (const auto& [k, v] : request.headers) {
        req.set(k, v);
    }
    if (!request.content_type.empty()) {
        req.set(bhttp::field::content_type, request.content_type);
    }
    req.body() = request.body;
    req.prepare_payload();
    req.keep_alive(true);
    if (authorization_.empty() && !options_.aws.access_key_id.empty()) {
        sign_aws(url_, options_, req);
    }

    auto*& slot = latency_[request.label];
    if (slot == nullptr) {
        slot = &metrics_->histogram("spot_http_request_duration_seconds",
                                    "HTTP request latency per endpoint (one attempt).",
                                    {{"host", url_.host + ":" + url_.port},
                                     {"endpoint", request.label}});
    }
    Histogram& latency = *slot;
    const auto started = std::chrono::steady_clock::now();

    co_await pool_->acquire();
    auto conn = pool_->take_idle();
    const bool reused = conn != nullptr;
    Result<Response> r = make_error(ErrorCode::Internal, "not sent", where);
    bool keep_alive = false;
    for (int round = 0; round < 2; ++round) {
        if (!conn) {
            auto fresh = co_await pool_->connect(options_.connect_timeout);
            if (!fresh) {
                r = fresh.error();
                break;
            }
            conn = std::move(*fresh);
        }
        if (conn->tls) {
            r = co_await roundtrip(*conn->tls, *conn, req, request, options_, where, keep_alive);
        } else {
            r = co_await roundtrip(*conn->tcp, *conn, req, request, options_, where, keep_alive);
        }
        // A kept-alive connection the server closed meanwhile: try once on a new one.
        if (!r && reused && round == 0 && r.error().code == ErrorCode::Connection) {
            conn.reset();
            continue;
        }
        break;
    }
    if (r && keep_alive && conn) {
        pool_->give_back(std::move(conn));
    }
    pool_->release();
    latency.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    co_return r;
}

asio::awaitable<Result<Response>> Endpoint::send(Request request) {
    auto run = [](Endpoint* self, Request req) -> asio::awaitable<Result<Response>> {
        for (int attempt = 1;; ++attempt) {
            auto r = co_await self->attempt(req);
            const bool retry = r ? transient_status(r->status) : transient(r.error());
            if (!retry || attempt >= self->options_.max_attempts) {
                if (r && transient_status(r->status)) {
                    Error e = make_error(ErrorCode::Http,
                                         "HTTP " + std::to_string(r->status) + " after " +
                                             std::to_string(attempt) +
                                             " attempt(s): " + body_excerpt(r->body),
                                         req.method + " " + self->describe(req.target));
                    e.http_status = r->status;
                    co_return e;
                }
                co_return r;
            }
            auto delay = backoff(self->options_, attempt);
            if (r) {
                if (auto ra = retry_after(*r)) {
                    delay = *ra;
                }
            }
            self->retries_->inc();
            self->log_->warn("retrying in {} ms (attempt {}/{}) {} {}: {}", delay.count(),
                             attempt + 1, self->options_.max_attempts, req.method,
                             self->describe(req.target),
                             r ? "HTTP " + std::to_string(r->status) : r.error().message);
            asio::steady_timer t(self->pool_->strand, delay);
            co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
        }
    };
    // Runs on the pool's strand whatever the caller's executor; resumes the caller on its own.
    co_return co_await asio::co_spawn(pool_->strand, run(this, std::move(request)),
                                      asio::use_awaitable);
}

asio::awaitable<Result<json::value>> Endpoint::get_json(std::string target, std::string label) {
    Request req;
    req.target = std::move(target);
    req.label = std::move(label);
    const std::string where = "GET " + describe(req.target);
    auto r = co_await send(req);
    if (!r) {
        co_return r.error();
    }
    if (r->status < 200 || r->status >= 300) {
        co_return status_error(*r, where);
    }
    boost::system::error_code ec;
    json::value v = json::parse(r->body, ec);
    if (ec) {
        co_return make_error(ErrorCode::Json,
                             "response is not JSON (" + ec.message() + "), " +
                                 std::to_string(r->body.size()) +
                                 " bytes, first bytes: " + body_excerpt(r->body),
                             where);
    }
    co_return v;
}

asio::awaitable<Result<std::uint64_t>> Endpoint::download(std::string target,
                                                          std::string label,
                                                          std::filesystem::path file,
                                                          std::uint64_t max_bytes,
                                                          std::chrono::milliseconds timeout) {
    Request req;
    req.target = std::move(target);
    req.label = std::move(label);
    req.save_to = std::move(file);
    req.max_body_bytes = max_bytes;
    req.timeout = timeout;
    req.headers.emplace_back("Accept", "*/*");
    const std::string where = "GET " + describe(req.target);
    auto r = co_await send(req);
    if (!r) {
        co_return r.error();
    }
    if (r->status < 200 || r->status >= 300) {
        co_return status_error(*r, where);
    }
    co_return r->body_bytes;
}

Client::Client(asio::any_io_executor io, MetricsRegistry* metrics)
    : io_(std::move(io)), metrics_(metrics) {}

Client::~Client() = default;

Result<std::shared_ptr<Endpoint>> Client::endpoint(const std::string& base_url,
                                                   ClientOptions options,
                                                   std::shared_ptr<spdlog::logger> log) {
    auto url = Url::parse(base_url);
    if (!url) {
        return url.error();
    }
    std::lock_guard lock(mutex_);
    const std::string key = url->origin() + "|" + options.ca_file + "|" + options.cert_file + "|" +
                            options.key_file + "|" + (options.insecure ? "insecure" : "verify");
    auto pool = pools_[key].lock();
    if (!pool) {
        std::optional<ssl::context> ctx;
        if (url->tls()) {
            auto made = make_tls_context(options);
            if (!made) {
                return made.error();
            }
            ctx.emplace(std::move(*made));
        }
        pool = std::make_shared<Pool>(io_, *url, std::move(ctx), options.max_connections,
                                      !options.insecure);
        pools_[key] = pool;
    }
    if (url->tls() && options.insecure) {
        log->warn("TLS certificate verification is OFF for {} (insecure: true)", url->origin());
    }
    return std::make_shared<Endpoint>(std::move(pool), std::move(*url), std::move(options),
                                      std::move(log), metrics_);
}

std::chrono::milliseconds backoff(const ClientOptions& o, int attempt) {
    // Exponential, capped, with jitter over the upper half so clients spread out.
    const auto base =
        std::min<std::int64_t>(o.backoff_max.count(), o.backoff_initial.count()
                                                          << std::clamp(attempt - 1, 0, 20));
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(base / 2, 0));
    return std::chrono::milliseconds(base - base / 2 + jitter(rng));
}

}  // namespace spot::http
