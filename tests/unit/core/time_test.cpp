#include <spot/time.hpp>

#include <catch2/catch.hpp>

using namespace std::chrono;

TEST_CASE("durations need a unit and convert to milliseconds", "[unit][time]") {
    CHECK(spot::parse_duration("500ms") == milliseconds(500));
    CHECK(spot::parse_duration("10s") == seconds(10));
    CHECK(spot::parse_duration("30m") == minutes(30));
    CHECK(spot::parse_duration("30min") == minutes(30));
    CHECK(spot::parse_duration("168h") == hours(168));
    CHECK(spot::parse_duration("7d") == hours(168));
    CHECK(spot::parse_duration("1.5s") == milliseconds(1500));
    CHECK(spot::parse_duration(" 2 H ") == hours(2));
    CHECK_FALSE(spot::parse_duration("10"));
    CHECK_FALSE(spot::parse_duration("10x"));
    CHECK_FALSE(spot::parse_duration("-1s"));
    CHECK_FALSE(spot::parse_duration(""));
}

TEST_CASE("sizes use powers of 1024 and accept bare bytes", "[unit][time]") {
    CHECK(spot::parse_size("1024") == 1024);
    CHECK(spot::parse_size("1k") == 1024);
    CHECK(spot::parse_size("64MiB") == 64LL * 1024 * 1024);
    CHECK(spot::parse_size("64mb") == 64LL * 1024 * 1024);
    CHECK(spot::parse_size("2G") == 2LL * 1024 * 1024 * 1024);
    CHECK(spot::parse_size("1TiB") == 1LL << 40);
    CHECK(spot::parse_size("1.5k") == 1536);
    CHECK_FALSE(spot::parse_size("64 furlongs"));
    CHECK_FALSE(spot::parse_size("MiB"));
    CHECK_FALSE(spot::parse_size("99999999PB"));
}

TEST_CASE("a bare size counts the caller's unit, a size with a unit ignores it", "[unit][time]") {
    CHECK(spot::parse_size("384", 1 << 20) == 384LL << 20);  // spark.executor.memoryOverhead
    CHECK(spot::parse_size("32", 1024) == 32 * 1024);        // spark.shuffle.file.buffer
    CHECK(spot::parse_size("2g", 1 << 20) == 2LL << 30);
    CHECK(spot::parse_size("1.5", 1024) == 1536);
    CHECK_FALSE(spot::parse_size("9000000", 1LL << 40));  // past 2^63
}

TEST_CASE("NaN, infinities, negatives and overflowing values are neither sizes nor durations",
          "[unit][time]") {
    for (const char* text : {"nan", "NaN", "-nan", "inf", "infinity", "-1", "-0.5g"}) {
        INFO(text);
        CHECK_FALSE(spot::parse_size(text));
        CHECK_FALSE(spot::parse_size(std::string(text) + "mb"));
        CHECK_FALSE(spot::parse_duration(std::string(text) + "s"));
    }
    CHECK_FALSE(spot::parse_duration("1e300d"));
    CHECK_FALSE(spot::parse_duration("200000000000000d"));  // past 2^63 milliseconds
    CHECK(spot::parse_duration("100000000000d") == hours(24) * 100000000000LL);
}

TEST_CASE("times are written as ISO 8601 UTC with milliseconds", "[unit][time]") {
    spot::SysMillis t{milliseconds(1422981759269)};
    CHECK(spot::iso_utc(t) == "2015-02-03T16:42:39.269Z");
    CHECK(spot::iso_utc(spot::SysMillis{}) == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("History Server timestamps parse to epoch milliseconds", "[unit][time]") {
    CHECK(spot::parse_timestamp("2015-02-03T16:42:59.720GMT") == 1422981779720);
    CHECK(spot::parse_timestamp("2015-02-03T16:42:59.720Z") == 1422981779720);
    CHECK(spot::parse_timestamp("2015-02-03T16:42:59GMT") == 1422981779000);
    CHECK(spot::parse_timestamp("2015-02-03T16:42:59.7GMT") == 1422981779700);
    CHECK(spot::parse_timestamp("2015-03-16") == 1426464000000);
    CHECK_FALSE(spot::parse_timestamp("2015-02-30T00:00:00.000GMT"));
    CHECK_FALSE(spot::parse_timestamp("2015-02-03T16:42:59.720CET"));
    CHECK_FALSE(spot::parse_timestamp("yesterday"));
    CHECK_FALSE(spot::parse_timestamp(""));
}
