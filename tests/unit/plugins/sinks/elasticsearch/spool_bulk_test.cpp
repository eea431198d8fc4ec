#include "sinks/elasticsearch/bulk.hpp"
#include "sinks/elasticsearch/spool.hpp"
#include "support/process.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <unistd.h>

using namespace spot;
using namespace spot::sinks::elasticsearch;
using spot::test::TempDir;

TEST_CASE("elasticsearch spool: records come back in order, and the files empty once replayed") {
    TempDir dir;
    Spool s(dir.path(), 1 << 20);
    REQUIRE(s.open().has_value());
    CHECK(s.empty());
    REQUIRE(s.push("first\n").has_value());
    REQUIRE(s.push("second\n").has_value());
    CHECK(s.records() == 2);
    CHECK(**s.front() == "first\n");
    REQUIRE(s.pop().has_value());
    // A restart resumes after what was replayed.
    s.close();
    Spool again(dir.path(), 1 << 20);
    REQUIRE(again.open().has_value());
    CHECK(again.records() == 1);
    CHECK(**again.front() == "second\n");
    REQUIRE(again.pop().has_value());
    CHECK(again.empty());
    CHECK(std::filesystem::file_size(dir / "spool.dat") == 0);
}

TEST_CASE("elasticsearch spool: a record torn by a crash is cut, never replayed") {
    TempDir dir;
    {
        Spool s(dir.path(), 1 << 20);
        REQUIRE(s.open().has_value());
        REQUIRE(s.push("whole record\n").has_value());
        REQUIRE(s.push("this one is cut\n").has_value());
    }
    const auto size = std::filesystem::file_size(dir / "spool.dat");
    std::filesystem::resize_file(dir / "spool.dat", size - 5);  // as if the crash came mid-write
    Spool s(dir.path(), 1 << 20);
    auto cut = s.open();
    REQUIRE(cut.has_value());
    CHECK(*cut == 8 + std::string("this one is cut\n").size() - 5);
    CHECK(s.records() == 1);
    CHECK(**s.front() == "whole record\n");
    s.close();

    // A flipped byte fails the checksum: the record and what follows are cut.
    {
        std::fstream f(dir / "spool.dat", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(10);
        f.put('X');
    }
    Spool t(dir.path(), 1 << 20);
    REQUIRE(t.open().has_value());
    CHECK(t.empty());
}

TEST_CASE("elasticsearch spool: one owner at a time, named by its pid in the refusal") {
    TempDir dir;
    Spool first(dir.path(), 1 << 20);
    REQUIRE(first.open().has_value());
    CHECK(spot::test::read_file(dir / "spool.lock") == std::to_string(::getpid()) + "\n");
    Spool second(dir.path(), 1 << 20);  // a reloaded sink while the old one still drains
    auto refused = second.open();
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().message == "spool is in use by another sink instance (pid " +
                                         std::to_string(::getpid()) +
                                         "); two sinks must not share a spool_dir");
    CHECK(refused.error().context == (dir / "spool.lock").string());
    first.close();  // released: the next owner gets it
    CHECK(second.open().has_value());
}

TEST_CASE("elasticsearch spool: full means the pipeline must wait") {
    TempDir dir;
    Spool s(dir.path(), 64);
    REQUIRE(s.open().has_value());
    REQUIRE(s.push(std::string(100, 'x')).has_value());
    CHECK(s.full());
    REQUIRE(s.pop().has_value());
    CHECK_FALSE(s.full());
}

TEST_CASE("elasticsearch bulk: documents with ids are indexed, others created under a content id") {
    Document agg{"agg", "app-1-0",
                 json::object{{"id", "app-1"}, {"name", "etl"}, {"history_host", "h"}}};
    auto a = make_item(agg, "spot_agg");
    CHECK(a.lines.starts_with(R"({"index":{"_index":"spot_agg","_id":"app-1-0"}})"));
    CHECK(a.app_id == "app-1");
    CHECK(a.history_host == "h");
    CHECK(a.fields == 6);  // 3 fields, each string with its .keyword subfield
    Document err{"err", "", json::object{{"spot", json::object{{"spark_app_id", "app-2"}}}}};
    auto e1 = make_item(err, "spot_err");
    auto e2 = make_item(err, "spot_err");
    CHECK(e1.lines.starts_with(R"({"create":{"_index":"spot_err","_id":")"));
    CHECK(e1.id == e2.id);  // a replay of the same err document is the same id: 409, not a copy
    CHECK(e1.app_id == "app-2");
    auto back = items_from_ndjson(a.lines + e1.lines);
    REQUIRE(back.size() == 2);
    CHECK(back[0].lines == a.lines);
    CHECK(back[1].lines == e1.lines);
    CHECK(back[1].id == e1.id);
}

TEST_CASE("elasticsearch bulk: per-item results and the field limit are read from the answer") {
    const std::string answer = R"({"took":3,"errors":true,"items":[
        {"index":{"_index":"a","_id":"1","status":201}},
        {"index":{"_index":"a","_id":"2","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}},
        {"index":{"_index":"a","_id":"3","status":400,"error":{"type":"illegal_argument_exception","reason":"Limit of total fields [1000] has been exceeded while adding new fields [3]"}}},
        {"create":{"_index":"e","_id":"4","status":409,"error":{"type":"version_conflict_engine_exception","reason":"document already exists"}}}]})";
    auto r = parse_bulk_response(answer, 4);
    REQUIRE(r.has_value());
    CHECK((*r)[0].status == 201);
    CHECK(transient_item((*r)[1].status));
    CHECK(total_fields_limit_in((*r)[2].reason) == 1000);
    CHECK((*r)[3].status == 409);
    CHECK_FALSE(total_fields_limit_in("mapper_parsing_exception").has_value());
    CHECK_FALSE(parse_bulk_response(answer, 3).has_value());  // one result per item, or an error
    CHECK_FALSE(parse_bulk_response("<html>", 1).has_value());
}
