// The generated docs match what the plugins declare (regenerate: cmake --build build -t docs).
#include "support/process.hpp"

#include <catch2/catch.hpp>

using namespace spot::test;

TEST_CASE("docs/configuration.md is what `spotd reference` prints", "[daemon][docs]") {
    std::string out;
    REQUIRE(run({SPOTD, "reference"}, &out) == 0);
    const auto committed =
        read_file(std::filesystem::path(SPOT_SOURCE_DIR) / "docs" / "configuration.md");
    INFO("docs/configuration.md is stale: run `cmake --build build --target docs`");
    CHECK(committed == out);
    CHECK(out.find("### `file` (sink") != std::string::npos);
}

TEST_CASE("every plugin folder has a README whose options block is generated", "[daemon][docs]") {
    std::string list;
    REQUIRE(run({SPOTD, "plugins"}, &list) == 0);
    int plugins = 0;
    for (const auto& kind :
         std::filesystem::directory_iterator(std::filesystem::path(SPOT_SOURCE_DIR) / "plugins")) {
        if (!kind.is_directory()) {
            continue;
        }
        for (const auto& folder : std::filesystem::directory_iterator(kind.path())) {
            const auto name = folder.path().filename().string();
            INFO("plugin folder " << folder.path());
            ++plugins;
            CHECK(
                (list.find(name + " ") == 0 || list.find("\n" + name + " ") != std::string::npos));
            const auto readme = read_file(folder.path() / "README.md");
            REQUIRE_FALSE(readme.empty());
            std::string described;
            REQUIRE(run({SPOTD, "describe", name, "--format", "md"}, &described) == 0);
            const std::string block =
                "<!-- spot:options -->\n" + described + "<!-- /spot:options -->";
            CHECK(readme.find(block) != std::string::npos);
        }
    }
    CHECK(plugins == 12);
}
