// One origin's connections: idle keep-alive connections to reuse and a limit on how many are in
// use at once. Touched only on its strand.
#pragma once

#include <spot/http.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <deque>
#include <optional>

namespace spot::http {

namespace beast = boost::beast;
namespace ssl = asio::ssl;

struct Connection {
    std::optional<beast::tcp_stream> tcp;  // plain HTTP
    std::optional<ssl::stream<beast::tcp_stream>> tls;
    beast::flat_buffer buffer;
    beast::tcp_stream& lowest() { return tls ? tls->next_layer() : *tcp; }
};

struct Pool {
    Pool(asio::any_io_executor io,
         Url url,
         std::optional<ssl::context> ssl_ctx,
         std::size_t limit,
         bool verify)
        : strand(asio::make_strand(io)),
          url(std::move(url)),
          ssl_ctx(std::move(ssl_ctx)),
          limit(limit == 0 ? 1 : limit),
          verify(verify) {}

    // Waits until fewer than `limit` connections are in use, then takes a slot.
    asio::awaitable<void> acquire();
    void release();
    std::unique_ptr<Connection> take_idle();
    void give_back(std::unique_ptr<Connection> c);
    // A new connection, TLS handshake done.
    asio::awaitable<Result<std::unique_ptr<Connection>>> connect(std::chrono::milliseconds timeout);

    asio::strand<asio::any_io_executor> strand;
    Url url;
    std::optional<ssl::context> ssl_ctx;
    std::size_t limit;
    bool verify;
    std::size_t active = 0;
    std::deque<asio::steady_timer*> waiters;
    std::vector<std::unique_ptr<Connection>> idle;
};

// The TLS context for a client: verification on (CA bundle or the system's), optional client
// certificate. Errors name the file.
Result<ssl::context> make_tls_context(const ClientOptions& options);

}  // namespace spot::http
