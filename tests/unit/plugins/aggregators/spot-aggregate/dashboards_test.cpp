// The reference tool's Kibana dashboards (tests/fixtures/spot-kibana) must keep working: every
// field their visualizations and saved searches on spot_agg_* / spot_err_* use exists in our
// documents, with the type their index pattern declares.
#include "aggregate_support.hpp"
#include "support/dashboards.hpp"
#include "support/fixtures.hpp"

#include <spot/documents.hpp>
#include <spot/time.hpp>

using namespace spot;
using namespace spot::test;
namespace json = boost::json;

TEST_CASE(
    "every field the reference dashboards use on spot_agg_* and spot_err_* is in our "
    "documents with the declared type",
    "[unit][aggregate][dashboards]") {
    const auto dashboards = load_dashboards();
    REQUIRE(dashboards.fields.count("spot_agg_*") == 1);
    REQUIRE(dashboards.fields.count("spot_err_*") == 1);

    // Documents: the REST fixtures (see fixtures_test.cpp for the full product; one pass of each
    // file is enough here) plus one err document.
    std::vector<json::value> agg_docs;
    const auto rest = fixtures_dir() / "spark" / "history-rest";
    auto app = read_json(rest / "one_app_json_expectation.json").as_object();
    const char* executor_files[] = {"executor_list_json_expectation.json",
                                    "executor_list_with_executor_metrics_json_expectation.json",
                                    "executor_memory_usage_expectation.json"};
    for (const char* ex : executor_files) {
        for (const char* env :
             {"app_environment_expectation.json", "multiple_resource_profiles_expectation.json"}) {
            json::object a = app;
            auto& attempt = a.at("attempts").as_array().at(0).as_object();
            attempt["allexecutors"] = read_json(rest / ex);
            attempt["stages"] = read_json(rest / "stage_list_json_expectation.json");
            attempt["environment"] = read_json(rest / env);
            for (auto& d : process(make_run(std::move(a)))) {
                agg_docs.emplace_back(std::move(d.body));
            }
        }
    }
    // Spark properties the dashboards chart but no fixture environment sets (they depend on how
    // a job was submitted): one run submitted with them, values as spark-submit writes them.
    {
        json::object a = app;
        auto& attempt = a.at("attempts").as_array().at(0).as_object();
        attempt["allexecutors"] = read_json(rest / executor_files[1]);
        attempt["stages"] = read_json(rest / "stage_list_json_expectation.json");
        auto env = read_json(rest / "app_environment_expectation.json").as_object();
        auto& props = env.at("sparkProperties").as_array();
        for (auto [k, v] : {std::pair{"spark.driver.cores", "2"},
                            {"spark.driver.memory", "4g"},
                            {"spark.executor.cores", "4"},
                            {"spark.executor.memory", "8g"},
                            {"spark.dynamicAllocation.enabled", "true"},
                            {"spark.sql.adaptive.enabled", "false"}}) {
            props.push_back(json::array{k, v});
        }
        attempt["environment"] = std::move(env);
        agg_docs.emplace_back(process(make_run(std::move(a))).at(0).body);
    }
    const json::value err_doc =
        make_error_document(make_error(ErrorCode::Http, "HTTP 500 from /stages"), "app-1",
                            "shs.example", "raw")
            .body;

    const auto c = dashboard_coverage(dashboards, agg_docs, err_doc);
    for (const auto& m : c.missing) {
        WARN("missing in documents: " << m);
    }
    const std::size_t total = c.total, found = c.found;
    WARN("dashboard field coverage: " << found << "/" << total << " = "
                                      << (total ? 100.0 * found / total : 0) << "%");
    CHECK(total >= 40);
    CHECK(found == total);
}
