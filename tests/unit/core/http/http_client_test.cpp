// The shared HTTP client against a scripted loopback server (and `openssl s_server` for TLS):
// retries, back-off, Retry-After, timeouts, typed errors, keep-alive, the per-host limit, auth.
#include "support/process.hpp"
#include "support/test_http_server.hpp"

#include <spot/http.hpp>
#include <spot/logging.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <mutex>

using namespace spot;
using namespace spot::test;
namespace asio = boost::asio;

namespace {

http::ClientOptions fast() {
    http::ClientOptions o;
    o.connect_timeout = std::chrono::milliseconds(2000);
    o.read_timeout = std::chrono::milliseconds(1500);
    o.backoff_initial = std::chrono::milliseconds(10);
    o.max_attempts = 3;
    return o;
}

// Runs one awaitable to completion on a fresh loop.
template <class T>
T run_one(asio::io_context& io, asio::awaitable<T> task) {
    auto f = asio::co_spawn(io, std::move(task), asio::use_future);
    io.restart();
    io.run();
    return f.get();
}

struct Fixture {
    asio::io_context io;
    MetricsRegistry metrics;
    http::Client client{io.get_executor(), &metrics};
    std::shared_ptr<http::Endpoint> endpoint(const std::string& url,
                                             http::ClientOptions o = fast()) {
        auto e = client.endpoint(url, std::move(o), logging::get("test.http"));
        REQUIRE(e.has_value());
        return *e;
    }
};

}  // namespace

TEST_CASE("URLs are parsed into scheme, host, port, base path and credentials") {
    auto u = http::Url::parse("https://spot:s3cret@shs.example:18443/gateway/");
    REQUIRE(u.has_value());
    CHECK(u->tls());
    CHECK(u->host == "shs.example");
    CHECK(u->port == "18443");
    CHECK(u->base_path == "/gateway");
    CHECK(u->user == "spot");
    CHECK(u->password == "s3cret");
    auto plain = http::Url::parse("http://[::1]");
    REQUIRE(plain.has_value());
    CHECK(plain->host == "::1");
    CHECK(plain->port == "80");
    CHECK_FALSE(http::Url::parse("ftp://x").has_value());
    CHECK_FALSE(http::Url::parse("http://").has_value());
}

TEST_CASE("a JSON answer is parsed, with basic authentication sent") {
    std::string auth;
    TestHttpServer server([&](const TestRequest& r) {
        auth = r.headers.count("authorization") ? r.headers.at("authorization") : "";
        return reply(200, R"({"ok":true,"path":")" + r.target + R"("})");
    });
    Fixture f;
    auto o = fast();
    o.username = "spot";
    o.password = "pw";
    auto e = f.endpoint(server.url() + "/base", o);
    auto v = run_one(f.io, e->get_json("/api/v1/x?y=1", "x"));
    REQUIRE(v.has_value());
    CHECK(v->at("path").as_string() == "/base/api/v1/x?y=1");
    CHECK(auth == "Basic c3BvdDpwdw==");  // base64("spot:pw")
}

TEST_CASE("a bearer token is sent when no user is given") {
    std::string auth;
    TestHttpServer server([&](const TestRequest& r) {
        auth = r.headers.count("authorization") ? r.headers.at("authorization") : "";
        return reply(200, "[]");
    });
    Fixture f;
    auto o = fast();
    o.bearer_token = "tok";
    auto v = run_one(f.io, f.endpoint(server.url(), o)->get_json("/", "root"));
    REQUIRE(v.has_value());
    CHECK(auth == "Bearer tok");
}

TEST_CASE("5xx answers are retried and the request lands") {
    std::atomic<int> n{0};
    TestHttpServer server([&](const TestRequest&) {
        return ++n < 3 ? reply(503, "<html>busy</html>", "text/html") : reply(200, "{}");
    });
    Fixture f;
    auto v = run_one(f.io, f.endpoint(server.url())->get_json("/", "root"));
    REQUIRE(v.has_value());
    CHECK(server.requests() == 3);
    CHECK(f.metrics.render_prometheus().find(
              "spot_http_retries_total{host=\"127.0.0.1:" + std::to_string(server.port()) +
              "\"} 2") != std::string::npos);
}

TEST_CASE("when retries run out, a 5xx is an Http error with its status and body") {
    TestHttpServer server([](const TestRequest&) {
        return reply(500, "<html><body>Internal Server Error</body></html>", "text/html");
    });
    Fixture f;
    auto v = run_one(f.io, f.endpoint(server.url())->get_json("/api/v1/applications", "apps"));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == ErrorCode::Http);
    CHECK(v.error().http_status == 500);
    CHECK(v.error().message.find("Internal Server Error") != std::string::npos);
    CHECK(v.error().context.find("/api/v1/applications") != std::string::npos);
    CHECK(server.requests() == 3);
}

TEST_CASE("429 waits for Retry-After before asking again") {
    std::atomic<int> n{0};
    TestHttpServer server([&](const TestRequest&) {
        auto r = ++n == 1 ? reply(429, "slow down", "text/plain") : reply(200, "{}");
        if (n == 1) {
            r.headers.emplace_back("Retry-After", "1");
        }
        return r;
    });
    Fixture f;
    const auto t0 = std::chrono::steady_clock::now();
    auto v = run_one(f.io, f.endpoint(server.url())->get_json("/", "root"));
    const auto waited = std::chrono::steady_clock::now() - t0;
    REQUIRE(v.has_value());
    CHECK(waited >= std::chrono::milliseconds(950));
    CHECK(server.requests() == 2);
}

TEST_CASE("a 404 is not retried and is an Http error") {
    TestHttpServer server(
        [](const TestRequest&) { return reply(404, "no such app", "text/plain"); });
    Fixture f;
    auto v = run_one(f.io, f.endpoint(server.url())->get_json("/x", "x"));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == ErrorCode::Http);
    CHECK(v.error().http_status == 404);
    CHECK(server.requests() == 1);
}

TEST_CASE("a 200 that is not JSON is a Json error quoting the first bytes") {
    TestHttpServer server([](const TestRequest&) {
        return reply(200, "<html><head><title>Error 500</title></head></html>", "text/html");
    });
    Fixture f;
    auto v = run_one(f.io, f.endpoint(server.url())->get_json("/x", "x"));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == ErrorCode::Json);
    CHECK(v.error().message.find("<html><head><title>Error 500") != std::string::npos);
}

TEST_CASE("a stalled server is a Timeout after every attempt") {
    TestHttpServer server([](const TestRequest&) {
        auto r = reply(200, "{}");
        r.stall = std::chrono::milliseconds(2500);
        return r;
    });
    Fixture f;
    auto o = fast();
    o.read_timeout = std::chrono::milliseconds(300);
    o.max_attempts = 2;
    auto v = run_one(f.io, f.endpoint(server.url(), o)->get_json("/x", "x"));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == ErrorCode::Timeout);
    CHECK(server.requests() == 2);
}

TEST_CASE("connection resets and truncated bodies are Connection errors, retried") {
    std::atomic<int> n{0};
    TestHttpServer server([&](const TestRequest&) {
        auto r = reply(200, R"({"a":"0123456789"})");
        const int i = ++n;
        r.reset = i == 1;
        r.truncate = i == 2;
        return r;
    });
    Fixture f;
    auto v = run_one(f.io, f.endpoint(server.url())->get_json("/x", "x"));
    REQUIRE(v.has_value());  // third attempt lands
    CHECK(server.requests() == 3);

    TestHttpServer always_reset([](const TestRequest&) {
        TestReply r;
        r.reset = true;
        return r;
    });
    auto bad = run_one(f.io, f.endpoint(always_reset.url())->get_json("/x", "x"));
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::Connection);
}

TEST_CASE("nothing listening is a Connection error") {
    Fixture f;
    auto o = fast();
    o.max_attempts = 1;
    auto v = run_one(f.io, f.endpoint("http://127.0.0.1:" + std::to_string(free_port()), o)
                               ->get_json("/", "root"));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == ErrorCode::Connection);
}

TEST_CASE("a response over max_response_bytes is refused, not retried") {
    TestHttpServer server([](const TestRequest&) { return reply(200, std::string(5000, 'x')); });
    Fixture f;
    auto o = fast();
    o.max_response_bytes = 1000;
    auto v = run_one(f.io, f.endpoint(server.url(), o)->get_json("/", "root"));
    REQUIRE_FALSE(v.has_value());
    CHECK(v.error().code == ErrorCode::Http);
    CHECK(v.error().message.find("max_response_bytes") != std::string::npos);
    CHECK(server.requests() == 1);
}

TEST_CASE(
    "a download streams a 2xx body to a file, and other statuses and oversize bodies are errors") {
    const std::string payload(300'000, 'z');
    TestHttpServer server([&](const TestRequest& r) {
        if (r.target == "/missing") {
            return reply(404, "no such app");
        }
        if (r.target == "/cut") {
            auto t = reply(200, payload);
            t.truncate = true;
            return t;
        }
        auto t = reply(200, payload);
        t.content_type = "application/octet-stream";
        return t;
    });
    Fixture f;
    TempDir dir;
    auto e = f.endpoint(server.url());
    const auto file = dir / "got.zip";
    auto got = run_one(f.io, e->download("/zip", "logs", file, 1 << 20, std::chrono::seconds(5)));
    REQUIRE(got.has_value());
    CHECK(*got == payload.size());
    CHECK(read_file(file) == payload);

    auto missing =
        run_one(f.io, e->download("/missing", "logs", dir / "m", 1 << 20, std::chrono::seconds(5)));
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().http_status == 404);
    CHECK(missing.error().message.find("no such app") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "m"));  // error bodies never go to the file

    auto big = run_one(f.io, e->download("/zip", "logs", dir / "b", 1000, std::chrono::seconds(5)));
    REQUIRE_FALSE(big.has_value());
    CHECK(big.error().message.find("the request's limit (1000 bytes)") != std::string::npos);

    const auto before = server.requests();
    auto cut =
        run_one(f.io, e->download("/cut", "logs", dir / "c", 1 << 20, std::chrono::seconds(5)));
    REQUIRE_FALSE(cut.has_value());
    CHECK(cut.error().code == ErrorCode::Connection);
    CHECK(server.requests() - before == 3);  // a cut body is retried like any connection loss
}

TEST_CASE("connections are kept alive and the per-host limit holds under concurrency") {
    TestHttpServer server([](const TestRequest&) {
        auto r = reply(200, "{}");
        r.stall = std::chrono::milliseconds(50);
        return r;
    });
    Fixture f;
    auto o = fast();
    o.max_connections = 3;
    auto e = f.endpoint(server.url(), o);
    std::atomic<int> ok{0};
    for (int i = 0; i < 24; ++i) {
        asio::co_spawn(
            f.io,
            [&]() -> asio::awaitable<void> {
                auto v = co_await e->get_json("/", "root");
                ok += v.has_value() ? 1 : 0;
            },
            [](const std::exception_ptr& ex) {
                if (ex) {
                    std::rethrow_exception(ex);  // out of io.run(): the test fails
                }
            });
    }
    f.io.run();
    CHECK(ok == 24);
    CHECK(server.max_in_flight() == 3);
    CHECK(server.connections() == 3);  // reused, not one per request
    const auto text = f.metrics.render_prometheus();
    CHECK(text.find("spot_http_request_duration_seconds_count{host=\"127.0.0.1:" +
                    std::to_string(server.port()) + "\",endpoint=\"root\"} 24") !=
          std::string::npos);
}

TEST_CASE("TLS: verified against a CA bundle, refused without it, insecure on request") {
    TempDir dir;
    const auto cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
    std::string out, err;
    REQUIRE(run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                 "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key,
                 "-out", cert},
                &out, &err) == 0);
    const auto port = free_port();
    Process server({"/usr/bin/openssl", "s_server", "-quiet", "-cert", cert, "-key", key, "-accept",
                    std::to_string(port), "-www"},
                   dir.path());
    REQUIRE(eventually([&] {
        return run({"/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port)}) == 0;
    }));
    const std::string url = "https://127.0.0.1:" + std::to_string(port);
    http::Request get;
    get.target = "/";
    get.label = "root";

    Fixture f;
    auto o = fast();
    o.max_attempts = 1;
    auto refused = run_one(f.io, f.endpoint(url, o)->send(get));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::Connection);
    CHECK(refused.error().message.find("certificate verify failed") != std::string::npos);

    auto with_ca = o;
    with_ca.ca_file = cert;
    auto verified = run_one(f.io, f.endpoint(url, with_ca)->send(get));
    REQUIRE(verified.has_value());
    CHECK(verified->status == 200);

    auto insecure = o;
    insecure.insecure = true;
    auto unverified = run_one(f.io, f.endpoint(url, insecure)->send(get));
    REQUIRE(unverified.has_value());
    CHECK(unverified->status == 200);

    auto missing = o;
    missing.ca_file = (dir / "nope.pem").string();
    CHECK_FALSE(f.client.endpoint(url, missing, logging::get("test.http")).has_value());
}

TEST_CASE("SigV4 signatures match AWS's published test suite") {
    // aws-sig-v4-test-suite: AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service".
    http::AwsCredentials c{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                           "us-east-1", "service"};
    const std::vector<std::pair<std::string, std::string>> headers{{"Host",
                                                                    "example.amazonaws.com"},
                                                                   {"X-Amz-Date",
                                                                    "20150830T123600Z"}};
    const auto empty = http::sha256_hex("");
    CHECK(empty == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // get-vanilla
    CHECK(http::sigv4_authorization(c, "GET", "/", "", headers, empty, "20150830T123600Z") ==
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
          "SignedHeaders=host;x-amz-date, "
          "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    // get-vanilla-query-order-key-case: parameters are sorted before signing
    CHECK(http::sigv4_authorization(c, "GET", "/", "Param2=value2&Param1=value1", headers, empty,
                                    "20150830T123600Z")
              .ends_with(
                  "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"));
}

TEST_CASE("requests to AWS are signed on every attempt") {
    std::vector<std::string> seen;
    std::mutex m;
    TestHttpServer server([&](const TestRequest& r) {
        std::lock_guard lock(m);
        seen.push_back(r.headers.count("authorization") ? r.headers.at("authorization") : "");
        CHECK(r.headers.count("x-amz-date") == 1);
        CHECK(r.headers.at("x-amz-content-sha256") == http::sha256_hex(r.body));
        return reply(200, "{}");
    });
    Fixture f;
    auto o = fast();
    o.aws = {"AKIDEXAMPLE", "secret", "", "eu-west-1", "es"};
    http::Request req;
    req.method = "POST";
    req.target = "/spot_agg/_search?size=1";
    req.body = R"({"query":{"match_all":{}}})";
    req.content_type = "application/json";
    auto r = run_one(f.io, f.endpoint(server.url(), o)->send(req));
    REQUIRE(r.has_value());
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    CHECK(seen[0].find(
              "/eu-west-1/es/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date,") !=
          std::string::npos);
}
