// `spotd --check-config` on malformed configs: each gives its message, with file:line:column,
// and exit code 2. Runs the real binary with the real plugins.
#include "support/process.hpp"

#include <spot/plugin_abi.h>

#include <catch2/catch.hpp>

using namespace spot::test;

namespace {

struct BadConfig {
    const char* what;
    const char* yaml;
    const char* location;  // "line:column" expected in the message
    const char* message;   // expected substring
};

// A valid pipeline body to splice into cases that break something else.
#define SRC "    source: {plugin: runfiles, dir: runs}\n"
#define SINK "    sinks: [{plugin: file, dir: out}]\n"

const BadConfig kCases[] = {
    {"YAML syntax", "pipelines: [\n  a: b\n", "3:1", "syntax error"},
    {"top level not a map", "- a\n- b\n", "1:1", "expected a map at the top level"},
    {"unknown top-level key", "state_dri: /tmp\npipelines:\n  p:\n" SRC SINK, "1:1",
     "unknown option 'state_dri'; did you mean 'state_dir'?"},
    {"no pipelines", "state_dir: /tmp\n", "1:1", "expected a map of at least one pipeline"},
    {"pipeline without source", "pipelines:\n  p:\n" SINK, "3:5",
     "missing required option 'source'"},
    {"pipeline without sinks", "pipelines:\n  p:\n" SRC, "3:5", "at least one sink is required"},
    {"unknown plugin", "pipelines:\n  p:\n" SRC "    sinks: [{plugin: fiel, dir: out}]\n", "4:22",
     "unknown plugin 'fiel'; did you mean 'file'?"},
    {"plugin of the wrong kind", "pipelines:\n  p:\n    source: {plugin: file, dir: x}\n" SINK,
     "3:22", "plugin 'file' is a sink, but this slot takes a source"},
    {"unknown plugin option",
     "pipelines:\n  p:\n" SRC "    sinks:\n      - plugin: file\n        dir: out\n"
     "        max_file_sise: 1MiB\n",
     "7:9", "unknown option 'max_file_sise'; did you mean 'max_file_size'?"},
    {"missing required plugin option",
     "pipelines:\n  p:\n" SRC "    sinks:\n      - plugin: file\n", "5:9",
     "missing required option 'dir'"},
    {"duration without unit", "pipelines:\n  p:\n    poll_interval: 10\n" SRC SINK, "3:20",
     "invalid duration '10'"},
    {"duration with a bad unit", "shutdown_grace: 5x\npipelines:\n  p:\n" SRC SINK, "1:17",
     "invalid duration '5x'"},
    {"bad size",
     "pipelines:\n  p:\n" SRC "    sinks: [{plugin: file, dir: out, max_file_size: 64 furlongs}]\n",
     "4:53", "invalid size '64 furlongs'"},
    {"size out of range",
     "pipelines:\n  p:\n" SRC "    sinks: [{plugin: file, dir: out, max_file_size: 1KiB}]\n",
     "4:53", "size 1KiB is out of range"},
    {"not a boolean", "pipelines:\n  p:\n    skip_exceptions: maybe\n" SRC SINK, "3:22",
     "expected true or false, got 'maybe'"},
    {"integer out of range", "pipelines:\n  p:\n    concurrency: 0\n" SRC SINK, "3:18",
     "0 is out of range"},
    {"not an integer", "pipelines:\n  p:\n    concurrency: eight\n" SRC SINK, "3:18",
     "expected an integer, got 'eight'"},
    {"bad enum", "log_level: loud\npipelines:\n  p:\n" SRC SINK, "1:12", "'loud' is not one of"},
    {"bad regex",
     "pipelines:\n  p:\n    source: {plugin: runfiles, dir: runs, include: '(['}\n" SINK, "3:52",
     "invalid regular expression"},
    {"unset environment variable",
     "pipelines:\n  p:\n    source: {plugin: runfiles, dir: '${SPOT_TEST_SURELY_UNSET}'}\n" SINK,
     "3:37", "environment variable 'SPOT_TEST_SURELY_UNSET' is not set"},
    {"map where a scalar belongs",
     "pipelines:\n  p:\n    source: {plugin: runfiles, dir: {a: 1}}\n" SINK, "3:37",
     "expected a scalar value, got a map"},
    {"duplicate instance id",
     "pipelines:\n  p:\n" SRC "    sinks:\n      - {plugin: file, dir: a, id: s}\n"
     "      - {plugin: file, dir: b, id: s}\n",
     "3:5", "instance id 's' is used twice"},
    {"enrichers not a list", "pipelines:\n  p:\n" SRC "    enrichers: {plugin: classify}\n" SINK,
     "4:16", "expected a list of plugin instances"},
};

}  // namespace

TEST_CASE("spotd --check-config rejects each malformed config with its location and exit code 2",
          "[daemon][config]") {
    REQUIRE(std::size(kCases) >= 15);
    const auto& c = GENERATE(from_range(std::begin(kCases), std::end(kCases)));
    TempDir dir;
    auto file = dir / "spot.yaml";
    write_file(file, c.yaml);
    std::string out, err;
    int code = run({SPOTD, "--check-config", "--config", file.string()}, &out, &err);
    INFO(c.what << "\n" << err);
    CHECK(code == 2);
    CHECK(err.find(c.message) != std::string::npos);
    CHECK(err.find(file.string() + ":" + c.location) != std::string::npos);
}

TEST_CASE("spotd --check-config reports every error of a file in one pass", "[daemon][config]") {
    TempDir dir;
    auto file = dir / "spot.yaml";
    write_file(file,
               "log_level: loud\npipelines:\n  p:\n    concurrency: 0\n"
               "    source: {plugin: runfiles, dir: runs}\n"
               "    sinks: [{plugin: file, dir: out, fsink: true}]\n");
    std::string err;
    int code = run({SPOTD, "--check-config", "--config", file.string()}, nullptr, &err);
    CHECK(code == 2);
    CHECK(err.find("'loud' is not one of") != std::string::npos);
    CHECK(err.find("0 is out of range") != std::string::npos);
    CHECK(err.find("did you mean 'fsync'?") != std::string::npos);
    CHECK(err.find("3 error(s)") != std::string::npos);
}

TEST_CASE("spotd --check-config accepts every shipped example config", "[daemon][config]") {
    int checked = 0;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(SPOT_SOURCE_DIR) / "deploy" / "examples")) {
        if (entry.path().extension() != ".yaml") {
            continue;
        }
        std::string out, err;
        int code = run({SPOTD, "--check-config", "--config", entry.path().string()}, &out, &err);
        INFO(entry.path() << "\n" << err);
        CHECK(code == 0);
        ++checked;
    }
    CHECK(checked == 2);  // local.yaml and production.yaml: update when adding an example
}

TEST_CASE("spotd refuses usage errors with exit code 2 and explains", "[daemon][cli]") {
    std::string out, err;
    CHECK(run({SPOTD, "--bogus"}, &out, &err) == 2);
    CHECK(err.find("unknown argument '--bogus'") != std::string::npos);
    CHECK(run({SPOTD, "describe", "fiel"}, &out, &err) == 2);
    CHECK(err.find("did you mean 'file'?") != std::string::npos);
    CHECK(run({SPOTD, "--help"}, &out, &err) == 0);
    CHECK(out.find("--check-config") != std::string::npos);
    CHECK(run({SPOTD, "--version"}, &out, &err) == 0);
    CHECK(out.find("plugin ABI " + std::to_string(SPOT_PLUGIN_ABI_VERSION)) != std::string::npos);
}

TEST_CASE("spotd --check-config runs each plugin's own cross-field checks, naming the instance",
          "[daemon][config]") {
    // Values each option accepts alone, that the plugin refuses when it is built: before, these
    // were found only when the pipeline started.
    struct Case {
        const char* yaml;
        const char* location;
        const char* message;
    };
    const Case cases[] = {
        {"pipelines:\n  p:\n    source: {plugin: history, url: 'http://127.0.0.1:1', "
         "min_end_date: yesterday}\n" SINK,
         "3:13: pipelines.p.source (history)", "min_end_date 'yesterday' is not a date"},
        {"pipelines:\n  p:\n" SRC "    sinks:\n      - plugin: elasticsearch\n"
         "        url: http://127.0.0.1:1\n        extra_indices: [nonsense]\n",
         "5:9: pipelines.p.sinks[0] (elasticsearch)", "extra_indices"},
    };
    for (const auto& c : cases) {
        TempDir dir;
        auto file = dir / "spot.yaml";
        write_file(file, c.yaml);
        std::string out, err;
        int code = run({SPOTD, "--check-config", "--config", file.string()}, &out, &err);
        INFO(c.yaml << "\n" << out << err);
        CHECK(code == 2);
        CHECK(err.find(file.string() + ":" + c.location) != std::string::npos);
        CHECK(err.find(c.message) != std::string::npos);
    }
}
