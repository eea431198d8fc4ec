#include "sources/history/crawl_state.hpp"
#include "sources/history/history_api.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using spot::sources::history::CrawlState;
using spot::sources::history::HistoryApi;

TEST_CASE("history: a run is new until done, and again when a newer attempt ends") {
    CrawlState s;
    CHECK(s.is_new("app-1", 1000));
    s.mark_pending(1000);
    s.commit("app-1", 1000);
    CHECK_FALSE(s.is_new("app-1", 1000));
    CHECK_FALSE(s.is_new("app-1", 900));
    CHECK(s.is_new("app-1", 2000));  // a retried YARN attempt ended later
}

TEST_CASE("history: the latest watermark never passes a run still in the pipeline") {
    CrawlState s;
    CHECK(s.watermark() == 0);
    s.mark_pending(100);
    s.mark_pending(200);
    s.mark_pending(300);
    s.commit("c", 300);           // the newest lands first
    CHECK(s.watermark() == 100);  // 100 and 200 are not committed: a crash must not skip them
    s.commit("a", 100);
    CHECK(s.watermark() == 200);
    s.commit("b", 200);
    CHECK(s.watermark() == 300);
    s.prune(s.watermark());
    CHECK(s.size() == 1);  // ids at the watermark are kept, to skip them on the next listing
    CHECK_FALSE(s.is_new("c", 300));
}

TEST_CASE("history: the state survives a save and load, and a bad one is refused") {
    CrawlState s;
    s.mark_done("app-1", 1000);
    s.mark_done("app-2", 2000);
    CrawlState t;
    REQUIRE(t.load(s.to_json()).has_value());
    CHECK_FALSE(t.is_new("app-1", 1000));
    CHECK(t.watermark() == 2000);
    CrawlState u;
    CHECK_FALSE(u.load(boost::json::parse(R"({"done": {"x": "soon"}})")).has_value());
    CHECK_FALSE(u.load(boost::json::parse(R"([1, 2])")).has_value());
}

TEST_CASE("history: times go to the server in its own GMT form") {
    CHECK(HistoryApi::server_time(1579100373707) == "2020-01-15T14:59:33.707GMT");
    CHECK(HistoryApi::server_time(0) == "1970-01-01T00:00:00.000GMT");
}
