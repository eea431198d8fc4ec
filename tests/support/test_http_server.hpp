// A scripted HTTP/1.1 server on a loopback port for the HTTP client's tests: each request is
// answered by a handler that may also stall, reset the connection or close it. Counts
// connections and the most requests it had in flight at once.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace spot::test {

struct TestRequest {
    std::string method, target, body;
    std::map<std::string, std::string> headers;  // lower-case names
};

struct TestReply {
    unsigned status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds stall{0};  // wait before answering
    bool reset = false;                  // close the connection without answering
    bool truncate = false;               // announce the full length, send half, close
};

inline TestReply reply(unsigned status,
                       std::string body,
                       std::string content_type = "application/json") {
    TestReply r;
    r.status = status;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    return r;
}

class TestHttpServer {
   public:
    explicit TestHttpServer(std::function<TestReply(const TestRequest&)> handler);
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer&) = delete;
    TestHttpServer& operator=(const TestHttpServer&) = delete;

    [[nodiscard]] unsigned short port() const { return port_; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] int connections() const { return connections_; }
    [[nodiscard]] int requests() const { return requests_; }
    [[nodiscard]] int max_in_flight() const { return max_in_flight_; }

   private:
    void serve(int fd);
    std::function<TestReply(const TestRequest&)> handler_;
    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0}, requests_{0}, in_flight_{0}, max_in_flight_{0};
    std::thread acceptor_;
    std::mutex mutex_;
    std::vector<std::thread> workers_;
    std::vector<int> fds_;
};

}  // namespace spot::test
