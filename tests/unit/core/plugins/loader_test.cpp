// The loader refuses each bad library with one line naming the file and the cause.
#include "plugins/registry.hpp"

#include <catch2/catch.hpp>

using namespace spot;

TEST_CASE("a real plugin library loads and describes itself", "[unit][plugins]") {
    auto loaded =
        core::load_plugin(std::filesystem::path(SPOT_PLUGIN_DIR) / "libspot-sink-file.so");
    REQUIRE(loaded.has_value());
    CHECK(loaded->name() == "file");
    CHECK(loaded->descriptor->kind == SPOT_KIND_SINK);
    CHECK(loaded->descriptor->abi_version == SPOT_PLUGIN_ABI_VERSION);
    REQUIRE(loaded->descriptor->option_count >= 1);
    CHECK(std::string(loaded->descriptor->options[0].name) == "dir");
}

TEST_CASE("every built-in plugin loads, and its options all have a doc line", "[unit][plugins]") {
    core::PluginRegistry registry;
    auto refused = registry.add_directory(SPOT_PLUGIN_DIR);
    CHECK(refused.empty());
    CHECK(registry.names() == std::vector<std::string>{"analyze", "classify", "elasticsearch",
                                                       "enceladus", "eventlog", "file", "history",
                                                       "regression", "runfiles", "spot-aggregate",
                                                       "yarn", "yarn-app"});
    for (const auto& p : registry.all()) {
        for (std::size_t i = 0; i < p.descriptor->option_count; ++i) {
            INFO(p.name() << " option " << p.descriptor->options[i].name);
            CHECK(std::string(p.descriptor->options[i].doc).size() > 10);
        }
    }
}

namespace {

struct Refusal {
    const char* file;
    std::string message;
};

const Refusal kRefusals[] = {
    {"libspot-test-bad-abi.so", "ABI version 999, spotd expects " +
                                    std::to_string(SPOT_PLUGIN_ABI_VERSION) +
                                    "; rebuild the plugin"},
    {"libspot-test-bad-toolchain.so", "built with toolchain 'msvc-19;cxxabi=0;boost=0'"},
    {"libspot-test-no-entry.so", "no entry point 'spot_plugin_entry'"},
    {"libspot-test-unresolved.so", "cannot load the library"},
    {"libspot-test-missing.so", "no such file"},
};

}  // namespace

TEST_CASE("the loader refuses bad libraries with one line naming the file and the cause",
          "[unit][plugins]") {
    const auto& r = GENERATE(from_range(std::begin(kRefusals), std::end(kRefusals)));
    auto loaded = core::load_plugin(std::filesystem::path(SPOT_BAD_PLUGIN_DIR) / r.file);
    REQUIRE_FALSE(loaded.has_value());
    const std::string line = loaded.error().describe();
    INFO(line);
    CHECK(line.find(std::string("plugin '") + r.file + "'") != std::string::npos);
    CHECK(line.find(r.message) != std::string::npos);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(loaded.error().code == ErrorCode::Plugin);
}

TEST_CASE("a second plugin with a taken name is refused and the first one kept",
          "[unit][plugins]") {
    core::PluginRegistry registry;
    REQUIRE(registry.add_directory(SPOT_PLUGIN_DIR).empty());
    auto impostor =
        core::load_plugin(std::filesystem::path(SPOT_BAD_PLUGIN_DIR) / "libspot-test-duplicate.so");
    REQUIRE(impostor.has_value());
    auto added = registry.add(std::move(*impostor));
    REQUIRE_FALSE(added.has_value());
    CHECK(added.error().describe().find("name 'file' is already taken by 'libspot-sink-file.so'") !=
          std::string::npos);
    CHECK(registry.find("file")->path.filename() == "libspot-sink-file.so");
}

TEST_CASE("a directory of mixed libraries loads the good and reports each bad one",
          "[unit][plugins]") {
    core::PluginRegistry registry;
    auto refused = registry.add_directory(SPOT_BAD_PLUGIN_DIR);
    CHECK(refused.size() == 4);  // bad-abi, bad-toolchain, no-entry, unresolved
    CHECK(registry.names() == std::vector<std::string>{"file"});  // the impostor, alone here
}
