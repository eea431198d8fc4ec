#include "support/test_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace spot::test {

namespace {

std::string lower(std::string s) {
    for (auto& c : s) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

void send_all(int fd, const std::string& data) {
    std::size_t off = 0;
    while (off < data.size()) {
        const auto n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n <= 0) {
            return;
        }
        off += static_cast<std::size_t>(n);
    }
}

}  // namespace

TestHttpServer::TestHttpServer(std::function<TestReply(const TestRequest&)> handler)
    : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(listen_fd_, 64) != 0) {
        throw std::runtime_error("test server: cannot listen");
    }
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] {
        while (!stop_) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) {
                continue;
            }
            const int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd < 0) {
                continue;
            }
            ++connections_;
            std::lock_guard lock(mutex_);
            fds_.push_back(fd);
            workers_.emplace_back([this, fd] { serve(fd); });
        }
    });
}

TestHttpServer::~TestHttpServer() {
    stop_ = true;
    acceptor_.join();
    {
        std::lock_guard lock(mutex_);
        for (int fd : fds_) {
            ::shutdown(fd, SHUT_RDWR);
        }
    }
    for (auto& t : workers_) {
        t.join();
    }
    ::close(listen_fd_);
}

void TestHttpServer::serve(int fd) {
    struct Closer {
        TestHttpServer* self;
        int fd;
        ~Closer() {
            std::lock_guard lock(self->mutex_);
            std::erase(self->fds_, fd);
            ::close(fd);
        }
    } closer{this, fd};
    std::string buf;
    char chunk[16384];
    while (!stop_) {
        // Read one request: headers, then Content-Length bytes of body.
        std::size_t header_end;
        while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
            const auto n = ::recv(fd, chunk, sizeof(chunk), 0);
            if (n <= 0) {
                return;
            }
            buf.append(chunk, static_cast<std::size_t>(n));
        }
        TestRequest req;
        const std::string head = buf.substr(0, header_end);
        std::size_t line_end = head.find("\r\n");
        const std::string first = head.substr(0, line_end);
        req.method = first.substr(0, first.find(' '));
        req.target = first.substr(first.find(' ') + 1, first.rfind(' ') - first.find(' ') - 1);
        for (std::size_t pos = line_end + 2; pos < head.size() && line_end != std::string::npos;) {
            line_end = head.find("\r\n", pos);
            const std::string line = head.substr(pos, line_end - pos);
            const auto colon = line.find(':');
            if (colon != std::string::npos) {
                req.headers[lower(line.substr(0, colon))] =
                    line.substr(line.find_first_not_of(' ', colon + 1));
            }
            pos = line_end == std::string::npos ? head.size() : line_end + 2;
        }
        const std::size_t length =
            req.headers.contains("content-length") ? std::stoul(req.headers["content-length"]) : 0;
        buf.erase(0, header_end + 4);
        while (buf.size() < length) {
            const auto n = ::recv(fd, chunk, sizeof(chunk), 0);
            if (n <= 0) {
                return;
            }
            buf.append(chunk, static_cast<std::size_t>(n));
        }
        req.body = buf.substr(0, length);
        buf.erase(0, length);

        ++requests_;
        const int now = ++in_flight_;
        for (int seen = max_in_flight_;
             now > seen && !max_in_flight_.compare_exchange_weak(seen, now);) {
        }
        TestReply reply = handler_(req);
        if (reply.stall.count() > 0) {
            std::this_thread::sleep_for(reply.stall);
        }
        --in_flight_;
        if (reply.reset) {
            linger l{1, 0};  // RST instead of FIN
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
            return;
        }
        std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " Status\r\n";
        out += "Content-Type: " + reply.content_type + "\r\n";
        out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
        for (const auto& [k, v] : reply.headers) {
            out += k + ": " + v + "\r\n";
        }
        out += "\r\n";
        if (reply.truncate) {
            out += reply.body.substr(0, reply.body.size() / 2);
            send_all(fd, out);
            return;
        }
        out += reply.body;
        send_all(fd, out);
    }
}

}  // namespace spot::test
