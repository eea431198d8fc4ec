#include <spot/name_filter.hpp>

#include <catch2/catch.hpp>

TEST_CASE("the name filter includes by search and excludes by search", "[unit][filter]") {
    spot::NameFilter all("", "");
    CHECK(all("anything"));
    CHECK(all(""));
    spot::NameFilter etl("^etl_", "test|tmp");
    CHECK(etl("etl_orders"));
    CHECK_FALSE(etl("report_orders"));
    CHECK_FALSE(etl("etl_orders_test"));
    CHECK_FALSE(etl("etl_tmp"));
}
