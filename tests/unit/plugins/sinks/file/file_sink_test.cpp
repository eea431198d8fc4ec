#include "sinks/file/file_sink.hpp"
#include "sinks/file/jsonl_writer.hpp"
#include "support/process.hpp"

#include <spot/logging.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace spot;
using namespace spot::test;
using spot::sinks::file::JsonlWriter;

namespace {

// True when every newline-terminated line parses; `torn` gets the bytes after the last newline.
bool complete_lines_parse(const std::filesystem::path& file,
                          std::size_t* count,
                          std::size_t* torn) {
    auto text = read_file(file);
    auto last = text.rfind('\n');
    *torn = last == std::string::npos ? text.size() : text.size() - last - 1;
    text.resize(text.size() - *torn);
    std::size_t n = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        boost::system::error_code ec;
        boost::json::parse(line, ec);
        if (ec) {
            return false;
        }
        ++n;
    }
    *count = n;
    return true;
}

bool every_line_parses(const std::filesystem::path& file, std::size_t* count = nullptr) {
    std::size_t n = 0, torn = 0;
    bool ok = complete_lines_parse(file, &n, &torn);
    if (count) {
        *count = n;
    }
    return ok && torn == 0;
}

struct SinkFixture {
    boost::asio::io_context io;
    boost::asio::thread_pool pool{1};
    MetricsRegistry metrics;
    PluginContext ctx{"p",
                      "file",
                      logging::get("p.file"),
                      io.get_executor(),
                      pool.get_executor(),
                      &metrics};
};

}  // namespace

TEST_CASE("the file sink writes one JSON line per document, by stream, with ids", "[unit][file]") {
    TempDir dir;
    SinkFixture f;
    sinks::file::FileSink sink(f.ctx, {dir / "out", 1 << 20, true});
    std::vector<Document> docs{
        {"agg", "app-1-0", json::object{{"a", 1}}},
        {"agg", "app-2-0", json::object{{"a", 2}}},
        {"err", "", json::object{{"spot", json::object{{"x", "y"}}}}},
    };
    REQUIRE(sink.write_now(docs));
    auto agg = read_lines(dir / "out" / "agg.jsonl");
    REQUIRE(agg.size() == 2);
    auto first = boost::json::parse(agg[0]).as_object();
    CHECK(first.at("_id") == "app-1-0");
    CHECK(first.at("_source").at("a") == 1);
    auto err = boost::json::parse(read_lines(dir / "out" / "err.jsonl").at(0)).as_object();
    CHECK_FALSE(err.contains("_id"));
    CHECK(f.metrics
              .counter("spot_file_sink_documents_total", "", {{"pipeline", "p"}, {"sink", "file"}})
              .value() == 3);
}

TEST_CASE("the file sink refuses stream names that are not plain file names", "[unit][file]") {
    TempDir dir;
    SinkFixture f;
    sinks::file::FileSink sink(f.ctx, {dir.path(), 1 << 20, true});
    CHECK_FALSE(sink.write_now({{"../escape", "", json::object{}}}));
    CHECK_FALSE(std::filesystem::exists(dir.path().parent_path() / "escape.jsonl"));
}

TEST_CASE("files rotate before they pass max_file_size", "[unit][file]") {
    TempDir dir;
    JsonlWriter w(dir / "agg.jsonl", 110, false);  // lines are 51 bytes: two fit
    const std::string line = std::string(R"({"pad":")") + std::string(40, 'x') + "\"}\n";
    for (int i = 0; i < 5; ++i) {
        REQUIRE(w.append(line));
    }
    int files = 0;
    std::size_t lines = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        ++files;
        std::size_t n = 0;
        CHECK(every_line_parses(e.path(), &n));
        CHECK(std::filesystem::file_size(e.path()) <= 110);
        lines += n;
    }
    CHECK(files == 3);  // 2 lines per file
    CHECK(lines == 5);
}

TEST_CASE("a torn last line left by a crash is cut when the file is opened", "[unit][file]") {
    TempDir dir;
    auto file = dir / "agg.jsonl";
    write_file(file, "{\"a\":1}\n{\"a\":2}\n{\"a\":");
    JsonlWriter w(file, 1 << 20, true);
    REQUIRE(w.append("{\"a\":3}\n"));
    CHECK(w.repaired_bytes() == 5);
    std::size_t n = 0;
    CHECK(every_line_parses(file, &n));
    CHECK(n == 3);
}

TEST_CASE("kill -9 of a writer never leaves a torn line", "[unit][file][crash]") {
    std::mt19937 rng(std::random_device{}());
    for (int trial = 0; trial < 5; ++trial) {
        TempDir dir;
        auto file = dir / "agg.jsonl";
        pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            JsonlWriter w(file, 1LL << 40, false);
            std::string batch;
            for (int i = 0; i < 200; ++i) {
                batch += R"({"id":)" + std::to_string(i) + R"(,"pad":")" + std::string(300, 'p') +
                         "\"}\n";
            }
            for (;;) {
                if (!w.append(batch)) {
                    ::_exit(3);
                }
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 150));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        REQUIRE(WIFSIGNALED(status));
        // A batch is one write(), but SIGKILL may cut a large write between pages: whole lines
        // before the cut parse, and the restarted writer cuts the partial one away.
        std::size_t before = 0, torn = 0;
        CHECK(complete_lines_parse(file, &before, &torn));
        CHECK(before > 0);
        JsonlWriter again(file, 1LL << 40, true);
        REQUIRE(again.append("{\"after\":true}\n"));
        std::size_t after = 0;
        CHECK(every_line_parses(file, &after));
        CHECK(after == before + 1);
    }
}
