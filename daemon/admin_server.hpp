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
    unsigned status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
};

// Called on the event loop with the request target (path and query).
using AdminHandler = std::function<AdminResponse(const std::string& target)>;

class AdminServer {
   public:
    AdminServer(boost::asio::any_io_executor io, AdminHandler handler);
    // "host:port"; port 0 picks a free port (see port()).
    [[nodiscard]] Result<void> start(const std::string& listen);
    void stop();
    [[nodiscard]] unsigned short port() const { return port_; }

   private:
    boost::asio::any_io_executor io_;
    std::shared_ptr<AdminHandler> handler_;
    std::shared_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
    unsigned short port_ = 0;
};

}  // namespace spot::daemon
