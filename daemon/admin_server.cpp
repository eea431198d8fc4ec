#include "admin_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>

namespace spot::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(10);
constexpr std::size_t kBodyLimit = 8 * 1024;

// Runs on the worker pool; an exception there is a 500, never a lost connection.
asio::awaitable<AdminResponse> answer_off_loop(std::function<AdminResponse()> work) {
    try {
        co_return work();
    } catch (const std::exception& e) {
        co_return AdminResponse{500, "text/plain; charset=utf-8", std::string(e.what()) + "\n"};
    }
}

asio::awaitable<void> serve_one(std::shared_ptr<AdminHandler> handler,
                                asio::any_io_executor workers,
                                tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer(kBodyLimit);
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    parser.header_limit(kBodyLimit);
    stream.expires_after(kRequestTimeout);
    auto [read_ec, read_n] =
        co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (read_ec) {
        co_return;  // closed, timed out or too large: nothing to answer
    }
    const auto& req = parser.get();
    AdminResponse out;
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
        out = {405, "text/plain; charset=utf-8", "only GET\n"};
    } else {
        out = (*handler)(std::string(req.target()));
    }
    if (out.off_loop) {
        // Built outside the co_await expression: GCC 12 destroys temporaries there twice.
        auto work = answer_off_loop(std::move(out.off_loop));
        AdminResponse answered =
            co_await asio::co_spawn(workers, std::move(work), asio::use_awaitable);
        out = std::move(answered);
    }
    http::response<http::string_body> res{static_cast<http::status>(out.status), req.version()};
    res.set(http::field::server, "spotd");
    res.set(http::field::content_type, out.content_type);
    res.keep_alive(false);
    res.body() = std::move(out.body);
    res.prepare_payload();
    stream.expires_after(kRequestTimeout);
    co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<tcp::acceptor> acceptor,
                                  std::shared_ptr<AdminHandler> handler,
                                  asio::any_io_executor workers) {
    for (;;) {
        auto [ec, socket] = co_await acceptor->async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) {
            co_return;
        }
        if (ec) {
            continue;  // e.g. EMFILE: keep serving the next connection
        }
        asio::co_spawn(acceptor->get_executor(), serve_one(handler, workers, std::move(socket)),
                       asio::detached);
    }
}

}  // namespace

AdminServer::AdminServer(asio::any_io_executor io,
                         asio::any_io_executor workers,
                         AdminHandler handler)
    : io_(std::move(io)),
      workers_(std::move(workers)),
      handler_(std::make_shared<AdminHandler>(std::move(handler))) {}

Result<void> AdminServer::start(const std::string& listen) {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        return make_error(ErrorCode::Config,
                          "admin_listen must be host:port, got '" + listen + "'");
    }
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) {
        return make_error(ErrorCode::Config, "admin_listen: '" + host + "' is not an IP address");
    }
    unsigned short port = 0;
    const std::string port_text = listen.substr(colon + 1);
    auto [end, perr] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (perr != std::errc() || end != port_text.data() + port_text.size()) {
        return make_error(ErrorCode::Config, "admin_listen: '" + port_text + "' is not a port");
    }
    tcp::endpoint endpoint(address, port);
    acceptor_ = std::make_shared<tcp::acceptor>(io_);
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
        acceptor_->bind(endpoint, ec);
    }
    if (!ec) {
        acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return make_error(ErrorCode::Io, "cannot listen: " + ec.message(), "admin " + listen);
    }
    port_ = acceptor_->local_endpoint().port();
    asio::co_spawn(io_, accept_loop(acceptor_, handler_, workers_), asio::detached);
    return {};
}

void AdminServer::stop() {
    if (acceptor_) {
        boost::system::error_code ignored;
        acceptor_->close(ignored);
    }
}

}  // namespace spot::daemon
