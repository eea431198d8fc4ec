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

TEST_CASE("checkpoints between two saves are journaled, replayed in order, and folded by a save",
          "[unit][state]") {
    TempDir dir;
    core::StateStore store(dir / "state");
    REQUIRE(store.open());
    CHECK(store.load_journal("p")->empty());  // none yet
    for (int i = 0; i < 3; ++i) {
        REQUIRE(
            store.append_journal("p", boost::json::parse("{\"id\":" + std::to_string(i) + "}")));
    }
    auto journal = store.load_journal("p");
    REQUIRE(journal.has_value());
    REQUIRE(journal->size() == 3);
    CHECK(journal->at(2).at("id").as_int64() == 2);

    // A crash mid-append cuts the last line: skipped. A damaged line before it: an error.
    write_file(store.journal_of("p"), read_file(store.journal_of("p")) + "{\"id\":");
    CHECK(store.load_journal("p")->size() == 3);
    write_file(store.journal_of("p"), "{\"id\":0}\n{not json\n{\"id\":2}\n");
    CHECK_FALSE(store.load_journal("p").has_value());

    // A save holds everything: the journal is emptied.
    REQUIRE(store.save("p", boost::json::parse(R"({"ids":[0,1,2]})")));
    CHECK(store.load_journal("p")->empty());
    CHECK(store.load("p")->at("ids").as_array().size() == 3);
}
