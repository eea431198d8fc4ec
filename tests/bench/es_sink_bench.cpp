// The elasticsearch sink alone, as a pipeline drives it: CONCURRENCY writers each hand it one
// agg document at a time (a run) and wait for the acknowledgement; then flush. Prints documents
// per second. The documents are real agg documents (a file sink's agg.jsonl), replicated under
// new ids until there are at least MIN_DOCS.
//   es_sink_bench CONFIG.yaml AGG.jsonl MIN_DOCS CONCURRENCY
// CONFIG.yaml: a spotd config whose first pipeline's first sink is the elasticsearch sink.
#include "config/config.hpp"
#include "plugins/registry.hpp"

#include <spot/http.hpp>
#include <spot/logging.hpp>
#include <spot/plugin.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>

using namespace spot;
namespace json = boost::json;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: es_sink_bench CONFIG.yaml AGG.jsonl MIN_DOCS CONCURRENCY\n");
        return 2;
    }
    core::PluginRegistry registry;
    registry.add_directory(core::default_plugin_dir());
    auto config = core::load_config(argv[1], registry);
    if (!config) {
        std::fprintf(stderr, "%s\n", config.error().describe().c_str());
        return 2;
    }
    std::vector<Document> base;
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);) {
        auto v = json::parse(line).as_object();
        base.push_back(
            Document{"agg", std::string(v.at("_id").as_string()), v.at("_source").as_object()});
    }
    const std::size_t want = std::stoul(argv[3]);
    const std::size_t writers = std::stoul(argv[4]);
    std::vector<Document> docs;
    for (std::size_t k = 0; docs.size() < want; ++k) {
        for (const auto& d : base) {
            Document c = d;
            c.id = d.id + "-r" + std::to_string(k);
            c.body["id"] = std::string(d.body.at("id").as_string()) + "-r" + std::to_string(k);
            docs.push_back(std::move(c));
        }
    }

    boost::asio::io_context io{1};
    boost::asio::thread_pool workers{1};
    MetricsRegistry metrics;
    http::Client client(io.get_executor(), &metrics);
    const auto& inst = config->pipelines.at(0).sinks.at(0);
    PluginContext ctx{"bench",
                      inst.id,
                      logging::get("bench." + inst.id),
                      io.get_executor(),
                      workers.get_executor(),
                      &metrics,
                      &client,
                      "/tmp"};
    auto plugin = inst.loaded->descriptor->factory->create(ctx, inst.options);
    auto* sink = static_cast<Sink*>(plugin.get());

    // Exceptions escape io.run() instead of being swallowed.
    auto rethrow = [](const std::exception_ptr& e) {
        if (e) {
            std::rethrow_exception(e);
        }
    };
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            if (auto started = co_await sink->start(); !started) {
                throw Exception(started.error());
            }
        },
        rethrow);
    io.run();
    io.restart();
    std::size_t next = 0, failed = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t w = 0; w < writers; ++w) {
        boost::asio::co_spawn(
            io,
            [&]() -> boost::asio::awaitable<void> {
                while (next < docs.size()) {
                    std::vector<Document> one{std::move(docs[next++])};
                    auto r = co_await sink->write(std::move(one));
                    failed += r ? 0 : 1;
                }
            },
            rethrow);
    }
    io.run();
    io.restart();
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            co_await sink->flush();
            co_await sink->stop();
        },
        rethrow);
    io.run();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("docs=%zu writers=%zu failed=%zu seconds=%.2f docs_per_s=%.0f\n", docs.size(),
                writers, failed, s, static_cast<double>(docs.size()) / s);
    workers.join();
    return failed == 0 ? 0 : 1;
}
