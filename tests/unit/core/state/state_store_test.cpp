#include "state/state_store.hpp"
#include "support/process.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using namespace spot;
using namespace spot::test;

TEST_CASE("state round-trips and is replaced atomically", "[unit][state]") {
    TempDir dir;
    core::StateStore store(dir / "state");
    REQUIRE(store.open());
    auto empty = store.load("p");
    REQUIRE(empty);
    CHECK(empty->is_null());
    REQUIRE(store.save("p", boost::json::parse(R"({"files":{"a":1}})")));
    REQUIRE(store.save("p", boost::json::parse(R"({"files":{"a":1,"b":2}})")));
    auto loaded = store.load("p");
    REQUIRE(loaded.has_value());
    CHECK(loaded->at("files").as_object().size() == 2);
    CHECK_FALSE(std::filesystem::exists(store.file_of("p").string() + ".tmp"));
}

TEST_CASE("a corrupt state file is an error, never silently reset", "[unit][state]") {
    TempDir dir;
    core::StateStore store(dir.path());
    REQUIRE(store.open());
    write_file(store.file_of("p"), "{\"files\": {");
    auto loaded = store.load("p");
    REQUIRE_FALSE(loaded.has_value());
    CHECK(loaded.error().describe().find("state file is not valid JSON") != std::string::npos);
}

TEST_CASE("an unwritable state_dir is reported at open", "[unit][state]") {
    core::StateStore store("/proc/spot-cannot-exist");
    CHECK_FALSE(store.open());
}
