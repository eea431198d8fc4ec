#include "normalize/spark_properties.hpp"

#include <spot/logging.hpp>

#include <catch2/catch.hpp>

using namespace spot::core;
namespace json = boost::json;

namespace {
json::value typed(const char* text, PropertyType t) {
    auto v = type_property(text, t);
    return v ? *v : json::value("<unparsed>");
}
}  // namespace

TEST_CASE("Spark property values get the type and unit of SPEC 4.2", "[unit][normalize]") {
    CHECK(typed("200", PropertyType::Int) == 200);
    CHECK(typed("0.6", PropertyType::Float) == 0.6);
    for (auto t : {"true", "1", "y", "YES", "True"}) {
        CHECK(typed(t, PropertyType::Bool) == true);
    }
    for (auto f : {"false", "0", "n", "No"}) {
        CHECK(typed(f, PropertyType::Bool) == false);
    }
    CHECK(typed("4g", PropertyType::Bytes) == 4LL * 1024 * 1024 * 1024);
    CHECK(typed("512m", PropertyType::Bytes) == 512LL * 1024 * 1024);
    CHECK(typed("1024", PropertyType::Bytes) == 1024);              // bare: bytes
    CHECK(typed("384", PropertyType::MiB) == 384LL * 1024 * 1024);  // bare: MiB
    CHECK(typed("2G", PropertyType::MiB) == 2LL * 1024 * 1024 * 1024);
    CHECK(typed("32", PropertyType::KiB) == 32LL * 1024);  // bare: KiB
    CHECK(typed("1mb", PropertyType::KiB) == 1024LL * 1024);
    CHECK(typed("1t", PropertyType::Bytes) == 1LL << 40);
    CHECK(typed("1p", PropertyType::Bytes) == 1LL << 50);
    CHECK(typed("300", PropertyType::Seconds) == 300000);  // bare: seconds
    CHECK(typed("120s", PropertyType::Seconds) == 120000);
    CHECK(typed("10000ms", PropertyType::Seconds) == 10000);
    CHECK(typed("5min", PropertyType::Seconds) == 300000);
    CHECK(typed("2m", PropertyType::Seconds) == 120000);
    CHECK(typed("1h", PropertyType::Seconds) == 3600000);
    CHECK(typed("1d", PropertyType::Seconds) == 86400000);
}

TEST_CASE("values that do not parse stay text", "[unit][normalize]") {
    CHECK(typed("lots", PropertyType::Int) == "<unparsed>");
    CHECK(typed("12x", PropertyType::Int) == "<unparsed>");
    CHECK(typed("maybe", PropertyType::Bool) == "<unparsed>");
    CHECK(typed("4 parsecs", PropertyType::Bytes) == "<unparsed>");
    CHECK(typed("-1g", PropertyType::Bytes) == "<unparsed>");
    CHECK(typed("10 fortnights", PropertyType::Seconds) == "<unparsed>");
}

TEST_CASE("properties become an object with underscores, typed, cleaned and redacted",
          "[unit][normalize]") {
    auto rules = default_property_rules();
    add_typed_keys(rules, PropertyType::Int, {"spark.custom.count"});
    json::array pairs{
        json::array{"spark.executor.memory", "4g"},
        json::array{"spark.executor.instances", "many"},
        json::array{"spark.sql.adaptive.enabled", "TRUE"},
        json::array{"spark.custom.count", "7"},
        json::array{"spark.driver.host", "10.1.2.3"},
        json::array{"spark.org.apache.hadoop.yarn.server.webproxy.amfilter.AmIpFilter.param.PROXY_"
                    "HOSTS",
                    "rm"},
        json::array{"spark.hadoop.fs.s3a.access.key", "AKIA..."},
        json::array{"spark.ssl.keyStorePassword", "hunter2"},
        json::array{"spark.app.name", "Nightly"},
    };
    auto log = spot::logging::get("test.props");
    auto out = normalize_spark_properties(pairs, rules, *log, "app-1");
    CHECK(out.at("spark_executor_memory") == 4LL * 1024 * 1024 * 1024);
    CHECK(out.at("spark_executor_instances") == "many");  // kept, with a warning
    CHECK(out.at("spark_sql_adaptive_enabled") == true);
    CHECK(out.at("spark_custom_count") == 7);  // extended from the configuration
    CHECK_FALSE(out.contains("spark_driver_host"));
    CHECK(out.size() == 7);
    CHECK(out.at("spark_hadoop_fs_s3a_access_key") == "*** redacted ***");
    CHECK(out.at("spark_ssl_keyStorePassword") == "*** redacted ***");
    CHECK(out.at("spark_app_name") == "Nightly");
}
