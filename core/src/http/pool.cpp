#include "http/pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/ssl.h>

namespace spot::http {

namespace {
constexpr std::size_t kMaxIdle = 32;
}

asio::awaitable<void> Pool::acquire() {
    while (active >= limit) {
        asio::steady_timer wait(strand, asio::steady_timer::time_point::max());
        waiters.push_back(&wait);
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
        // release() removed us from `waiters` before waking us.
    }
    ++active;
}

void Pool::release() {
    --active;
    if (!waiters.empty()) {
        waiters.front()->cancel();
        waiters.pop_front();
    }
}

std::unique_ptr<Connection> Pool::take_idle() {
    if (idle.empty()) {
        return nullptr;
    }
    auto c = std::move(idle.back());
    idle.pop_back();
    return c;
}

void Pool::give_back(std::unique_ptr<Connection> c) {
    if (idle.size() < kMaxIdle) {
        idle.push_back(std::move(c));
    }
}

asio::awaitable<Result<std::unique_ptr<Connection>>> Pool::connect(
    std::chrono::milliseconds timeout) {
    const std::string where = url.origin();
    asio::ip::tcp::resolver resolver(strand);
    auto [rec, endpoints] =
        co_await resolver.async_resolve(url.host, url.port, asio::as_tuple(asio::use_awaitable));
    if (rec) {
        co_return make_error(ErrorCode::Connection, "cannot resolve host: " + rec.message(), where);
    }
    auto c = std::make_unique<Connection>();
    if (ssl_ctx) {
        c->tls.emplace(strand, *ssl_ctx);
    } else {
        c->tcp.emplace(strand);
    }
    c->lowest().expires_after(timeout);
    auto [cec, ep] =
        co_await c->lowest().async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
    if (cec) {
        if (cec == beast::error::timeout) {
            co_return make_error(ErrorCode::Timeout,
                                 "connect timed out after " + std::to_string(timeout.count()) +
                                     " ms",
                                 where);
        }
        co_return make_error(ErrorCode::Connection, "cannot connect: " + cec.message(), where);
    }
    if (c->tls) {
        // SNI, and the certificate must name the host unless verification is off.
        if (SSL_set_tlsext_host_name(c->tls->native_handle(), url.host.c_str()) != 1) {
            co_return make_error(ErrorCode::Connection, "cannot set TLS server name", where);
        }
        if (verify) {
            c->tls->set_verify_callback(ssl::host_name_verification(url.host));
        }
        auto [hec] = co_await c->tls->async_handshake(ssl::stream_base::client,
                                                      asio::as_tuple(asio::use_awaitable));
        if (hec) {
            co_return make_error(ErrorCode::Connection, "TLS handshake failed: " + hec.message(),
                                 where);
        }
    }
    co_return c;
}

Result<ssl::context> make_tls_context(const ClientOptions& o) {
    ssl::context ctx(ssl::context::tls_client);
    boost::system::error_code ec;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                    ec);
    if (o.insecure) {
        ctx.set_verify_mode(ssl::verify_none, ec);
    } else {
        ctx.set_verify_mode(ssl::verify_peer, ec);
        if (!o.ca_file.empty()) {
            ctx.load_verify_file(o.ca_file, ec);
            if (ec) {
                return make_error(ErrorCode::Config, "cannot load CA bundle: " + ec.message(),
                                  o.ca_file);
            }
        } else {
            ctx.set_default_verify_paths(ec);
        }
    }
    if (!o.cert_file.empty()) {
        ctx.use_certificate_chain_file(o.cert_file, ec);
        if (ec) {
            return make_error(ErrorCode::Config, "cannot load client certificate: " + ec.message(),
                              o.cert_file);
        }
        ctx.use_private_key_file(o.key_file.empty() ? o.cert_file : o.key_file, ssl::context::pem,
                                 ec);
        if (ec) {
            return make_error(ErrorCode::Config, "cannot load client key: " + ec.message(),
                              o.key_file.empty() ? o.cert_file : o.key_file);
        }
    }
    return ctx;
}

}  // namespace spot::http
