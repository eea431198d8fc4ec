// The admin endpoint: a small Beast HTTP server on the event loop (default 127.0.0.1:9180).
// One request per connection, bounded in size and time: it serves probes and scrapes, not users.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <spot/result.hpp>
#include <string>

namespace spot::daemon {

struct AdminResponse {
    AdminResponse(unsigned s = 200,
                  std::string type = "text/plain; charset=utf-8",
                  std::string b = {})
        : status(s), content_type(std::move(type)), body(std::move(b)) {}
    unsigned status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    // Work too slow for the event loop (an advisor refitting a model): when set, the answer is
    // what it returns, computed on the worker pool. It must hold what it needs by value.
    std::function<AdminResponse()> off_loop;
};

// Called on the event loop with the request target (path and query).
using AdminHandler = std::function<AdminResponse(const std::string& target)>;

class AdminServer {
   public:
    AdminServer(boost::asio::any_io_executor io,
                boost::asio::any_io_executor workers,
                AdminHandler handler);
    // "host:port"; port 0 picks a free port (see port()).
    [[nodiscard]] Result<void> start(const std::string& listen);
    void stop();
    [[nodiscard]] unsigned short port() const { return port_; }

   private:
    boost::asio::any_io_executor io_, workers_;
    std::shared_ptr<AdminHandler> handler_;
    std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
    unsigned short port_ = 0;
};

}  // namespace spot::daemon
