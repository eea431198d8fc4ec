// The validator in-process: suggestions, defaults, typed values and error collection.
#include "config/config.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>

using namespace spot;
using namespace spot::test;

namespace {

core::PluginRegistry& registry() {
    static core::PluginRegistry r = [] {
        core::PluginRegistry reg;
        auto refused = reg.add_directory(SPOT_PLUGIN_DIR);
        REQUIRE(refused.empty());
        return reg;
    }();
    return r;
}

}  // namespace

TEST_CASE("did-you-mean picks the nearest name only when it looks like a typo", "[unit][config]") {
    CHECK(core::edit_distance("kitten", "sitting") == 3);
    CHECK(core::edit_distance("", "abc") == 3);
    CHECK(core::nearest("bulk_max_sise", {"url", "bulk_max_size", "flush_interval"}) ==
          "bulk_max_size");
    CHECK(core::nearest("fiel", {"file", "classify"}) == "file");
    CHECK(core::nearest("completely_different", {"file", "classify"}).empty());
}

TEST_CASE("a valid config gets typed values, defaults and absolute paths", "[unit][config]") {
    TempDir dir;
    write_file(dir / "spot.yaml",
               "state_dir: state\nshutdown_grace: 45s\npipelines:\n  a:\n    concurrency: 3\n"
               "    source: {plugin: runfiles, dir: runs}\n"
               "    sinks:\n      - {plugin: file, dir: out, max_file_size: 1MiB}\n"
               "      - {plugin: file, dir: out2}\n");
    auto cfg = core::load_config(dir / "spot.yaml", registry());
    REQUIRE(cfg.has_value());
    CHECK(cfg->state_dir == dir / "state");
    CHECK(cfg->shutdown_grace == std::chrono::seconds(45));
    REQUIRE(cfg->pipelines.size() == 1);
    const auto& p = cfg->pipelines[0];
    CHECK(p.concurrency == 3);
    CHECK(p.skip_exceptions);
    CHECK(p.poll_interval == std::chrono::seconds(10));
    REQUIRE(p.sinks.size() == 2);
    CHECK(p.sinks[0].id == "file.0");  // the same plugin twice gets numbered ids
    CHECK(p.sinks[1].id == "file.1");
    CHECK(p.sinks[0].options.integer("max_file_size") == 1024 * 1024);
    CHECK(p.sinks[1].options.integer("max_file_size") == 256LL * 1024 * 1024);
    CHECK(p.sinks[0].options.flag("fsync"));
    CHECK(p.sinks[0].options.str("dir") == (dir / "out").string());
    CHECK(p.source.options.str("include").empty());
}

TEST_CASE("a config file that does not exist is one clear error", "[unit][config]") {
    auto cfg = core::load_config("/nonexistent/spot.yaml", registry());
    REQUIRE_FALSE(cfg.has_value());
    CHECK(cfg.error().message == "/nonexistent/spot.yaml: cannot read the file");
}
