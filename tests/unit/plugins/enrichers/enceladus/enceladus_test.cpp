// The enceladus plugin's parts without a server: names of every generation (and malformed ones),
// the typing of Menas Run documents built from the real Atum control measures in
// tests/fixtures/enceladus, the checkpoint aggregation, run matching and pairing, and the
// storage-size metrics.
#include "enrichers/enceladus/naming.hpp"
#include "enrichers/enceladus/post_aggregation.hpp"
#include "enrichers/enceladus/run_matching.hpp"
#include "enrichers/enceladus/run_typing.hpp"
#include "support/fixtures.hpp"

#include <catch2/catch.hpp>

using namespace spot::enrichers::enceladus;
using namespace spot::test;
namespace json = boost::json;

namespace {

json::object fixture(const std::string& name) {
    return read_json(fixtures_dir() / "enceladus" / name).as_object();
}

// A Menas Run document around a fixture control measure, as Menas serves one.
json::object menas_run(const std::string& info,
                       std::int64_t run_id,
                       const std::string& dataset,
                       std::int64_t version) {
    return json::object{{"uniqueId", "u" + std::to_string(run_id)},
                        {"runId", run_id},
                        {"dataset", dataset},
                        {"datasetVersion", version},
                        {"startDateTime", "04-12-2017 16:19:17 +0200"},
                        {"runStatus", {{"status", "allSucceeded"}}},
                        {"controlMeasure", fixture(info)}};
}

json::object& additional_info(json::object& run) {
    return run.at("controlMeasure").at("metadata").at("additionalInfo").as_object();
}

TimeZone zone(const std::string& spec) {
    auto z = TimeZone::parse(spec);
    REQUIRE(z.has_value());
    return *z;
}

}  // namespace

TEST_CASE("Enceladus names of every generation are classified, others are not") {
    auto c = classify_name("Enceladus Standardization&Conformance 2.19.0 ds_x 3 2020-03-23 2");
    REQUIRE(c);
    CHECK(c->at("project") == "enceladus");
    CHECK(c->at("type") == "standardization&conformance");
    CHECK(c->at("app_version") == "2.19.0");
    CHECK(c->at("dataset") == "ds_x");
    CHECK(c->at("dataset_version") == 3);
    CHECK(c->at("info_date") == "str:2020-03-23");
    CHECK(c->at("info_date_casted") == "2020-03-23T12:00:00.000Z");
    CHECK(c->at("info_version") == 2);
    CHECK(tag_of(*c) == "standardization&conformance_2.19.0_ds_x_3");

    auto old_std = classify_name("Standardisation 1.5.0 sales 12 23-03-2020 1");
    REQUIRE(old_std);
    CHECK(old_std->at("type") == "standardization");
    CHECK(old_std->at("info_date_casted") == "2020-03-23T12:00:00.000Z");  // %d-%m-%Y
    auto old_conf = classify_name("Dynamic Conformance 1.5.0 sales v2 2020-03-23 1");
    REQUIRE(old_conf);
    CHECK(old_conf->at("type") == "conformance");
    CHECK(old_conf->at("dataset_version") == "v2");  // not numeric: kept as text
    // The report version omitted: the name ends in a space, the last word is empty.
    auto no_version = classify_name("Enceladus Conformance 2.19.0 sales 1 2020-03-23 ");
    REQUIRE(no_version);
    CHECK(no_version->at("info_version") == "");
    // A date in neither format: no casted date, the rest stands.
    auto odd_date = classify_name("Enceladus Conformance 2.19.0 sales 1 yesterday 1");
    REQUIRE(odd_date);
    CHECK_FALSE(odd_date->contains("info_date_casted"));

    for (const char* name :
         {"", "Enceladus", "Enceladus Standardization 2.19.0 sales 1 2020-03-23",  // too few
          "Enceladus Standardization 2.19.0 sales 1 2020-03-23 1 extra",           // too many
          "Enceladus Publishing 2.19.0 sales 1 2020-03-23 1",                      // unknown type
          "Standardisation", "Standardisation 1.5.0 sales", "Dynamic Conformance",
          "Dynamic Conformance 1.5.0 sales 1 2020-03-23", "Enceladus Conformance  sales 1 x 1",
          "spot-it-wordcount"}) {
        INFO("'" << name << "'");
        CHECK_FALSE(classify_name(name).has_value());
    }
}

TEST_CASE("Atum timestamps are parsed with their zone, or in the configured default zone") {
    const auto utc = zone("UTC");
    CHECK(parse_atum_time("04-12-2017 16:19:17 +0200", utc) == 1512397157000);
    CHECK(parse_atum_time("2017-12-04 16:19:17 +0200", utc) == 1512397157000);
    CHECK(parse_atum_time("23-3-2020 08:00:00", utc) == 1584950400000);  // no zero padding
    CHECK(parse_atum_time("23-3-2020 08:00:00", zone("+01:00")) == 1584946800000);
    // Europe/Prague from the system's zoneinfo: CET in winter, CEST in summer.
    const auto prague = zone("Europe/Prague");
    CHECK(parse_atum_time("15-01-2020 12:00:00", prague) == 1579086000000);  // +01:00
    CHECK(parse_atum_time("15-07-2020 12:00:00", prague) == 1594807200000);  // +02:00
    CHECK_FALSE(parse_atum_time("yesterday", utc).has_value());
    CHECK_FALSE(parse_atum_time("32-01-2020 00:00:00", utc).has_value());
    CHECK_FALSE(TimeZone::parse("Mars/Olympus_Mons").has_value());
    CHECK_FALSE(TimeZone::parse("../../etc/passwd").has_value());
}

TEST_CASE("command lines are parsed and their secrets removed") {
    auto args = parse_command_line(
        "--menas-credentials-file /menas-credential.properties --dataset-name DeleteMe "
        "--dataset-version 115 --report-date 2019-01-01 --report-version 1 --raw-format json");
    CHECK(args.at("menas-credentials-file") == "spot_removed");
    CHECK(args.at("report-date") == "spot_removed");
    CHECK(args.at("dataset-name") == " DeleteMe");
    CHECK(args.at("raw-format") == " json");
    CHECK(args.size() == 6);
    CHECK(parse_command_line("").empty());
    CHECK(parse_command_line("--rest-api-credentials-file x").at("rest-api-credentials-file") ==
          "spot_removed");
}

TEST_CASE("a Run built from a real control measure is typed as SPEC §6 says") {
    auto run =
        menas_run("e2e-mappingConformanceRule-publish--_INFO", 4, "mappingConformanceRule", 1);
    auto& info = additional_info(run);
    info["std_executor_memory"] = "4g";  // set by Spark conf when given; not in the fixture
    info["std_executor_memory_overhead"] = "384";
    info["conform_driver_memory"] = "512m";
    type_run(run, zone("UTC"));
    const auto& ai = additional_info(run);
    CHECK(ai.at("std_input_data_size") == 802);
    CHECK(ai.at("conform_records_succeeded") == 3);
    CHECK(ai.at("std_size_ratio").as_double() == Approx(2.9679));
    CHECK(ai.at("conform_data_size_ratio").as_double() == Approx(0.241));
    CHECK(ai.at("std_executor_memory") == 4ll << 30);
    CHECK(ai.at("std_executor_memory_overhead") == 384ll << 20);  // MiB when bare
    CHECK(ai.at("conform_driver_memory") == 512ll << 20);
    CHECK(ai.at("std_enceladus_version") == "2.19.0-SNAPSHOT");  // not a number
    CHECK(ai.at("std_application_id") == "local-1614591569867");
    CHECK(ai.at("enceladus_info_date") == "str:2020-03-23");
    CHECK(ai.at("std_cmd_line_args").at("rest-api-credentials-file") == "spot_removed");
    CHECK(run.at("startDateTime") == "2017-12-04T14:19:17.000Z");
    const auto& meta = run.at("controlMeasure").at("metadata");
    CHECK(meta.at("informationDate") == "str:23-3-2020");

    const auto& cps = run.at("controlMeasure").at("checkpoints").as_object();
    CHECK(cps.at("elements_count") == 5);
    CHECK(cps.at("controls_match") == true);
    CHECK(cps.at("num_controls") == 1);
    CHECK_FALSE(cps.contains("controls_error"));
    const auto& agg = cps.at("agg_checkpoints").as_object();
    REQUIRE(agg.contains("Standardization-End"));  // names without spaces
    CHECK(agg.at("Source").at("duration") == 300000);
    CHECK(agg.at("Source").at("processStartTime") == "2020-03-23T08:00:00.000Z");
    CHECK_FALSE(agg.at("Source").as_object().contains("controls"));
}

TEST_CASE("checkpoints whose controls differ from the first one's are reported") {
    auto measure = fixture("e2e-mappingConformanceRule-publish--_INFO");
    auto cps = measure.at("checkpoints").as_array();
    cps[3].at("controls").as_array()[0].as_object()["controlValue"] = "2";
    auto out = aggregate_checkpoints(cps, zone("UTC"));
    CHECK(out.at("controls_match") == false);
    const auto& err = out.at("controls_error").as_object();
    CHECK(err.at("controlName") == "recordCount");
    CHECK(err.at("controlValue") == "2");
    CHECK(err.at("initialControlValue") == "3");
    CHECK(err.at("incorrect_num_controls") == false);
    CHECK(err.at("checkpoint").at("name") == "Conformance-Start");

    cps = measure.at("checkpoints").as_array();
    cps[1].at("controls").as_array().push_back(cps[1].at("controls").as_array()[0]);
    out = aggregate_checkpoints(cps, zone("UTC"));
    CHECK(out.at("controls_match") == false);
    CHECK(out.at("controls_error").at("incorrect_num_controls") == true);
    // Numbers as control values (hand-written _INFO files) compare as they are.
    out = aggregate_checkpoints(fixture("wikidata.csv.info").at("checkpoints").as_array(),
                                zone("UTC"));
    CHECK(out.at("num_controls").as_int64() >= 1);
}

TEST_CASE("Menas runs are matched on every field, without dropping neighbours of a mismatch") {
    const auto c = *classify_name(
        "Enceladus Standardization 2.19.0-SNAPSHOT mappingConformanceRule 1 2020-03-23 1");
    const std::string app = "local-1614591569867";
    json::array runs;
    auto good = menas_run("e2e-mappingConformanceRule-std--_INFO", 5, "mappingConformanceRule", 1);
    auto bad_version =
        menas_run("e2e-mappingConformanceRule-std--_INFO", 6, "mappingConformanceRule", 2);
    auto bad_app =
        menas_run("e2e-mappingConformanceRule-std--_INFO", 7, "mappingConformanceRule", 1);
    additional_info(bad_app)["std_application_id"] = "local-0";
    auto bad_report =
        menas_run("e2e-mappingConformanceRule-std--_INFO", 8, "mappingConformanceRule", 1);
    additional_info(bad_report)["enceladus_info_version"] = "2";
    auto bad_enceladus =
        menas_run("e2e-mappingConformanceRule-std--_INFO", 9, "mappingConformanceRule", 1);
    additional_info(bad_enceladus)["std_enceladus_version"] = "2.20.0";
    // Two mismatches in a row, then a match: removing while iterating (the reference tool)
    // skips the second mismatch and keeps it.
    for (auto* r : {&bad_version, &bad_app, &good, &bad_report, &bad_enceladus}) {
        runs.push_back(*r);
    }
    std::vector<std::string> rejected;
    auto kept = matching_runs(runs, app, c, rejected);
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].at("runId") == 5);
    CHECK(rejected.size() == 4);

    // A conformance run is matched on conform_* fields.
    const auto conf = *classify_name(
        "Enceladus Conformance 2.19.0-SNAPSHOT mappingConformanceRule 1 2020-03-23 1");
    json::array pub{
        menas_run("e2e-mappingConformanceRule-publish--_INFO", 3, "mappingConformanceRule", 1)};
    rejected.clear();
    CHECK(matching_runs(pub, "local-1614591587299", conf, rejected).size() == 1);
    CHECK(matching_runs(pub, "local-1614591569867", conf, rejected).empty());  // the std app id
}

TEST_CASE("runs are paired with attempts by attempt id, else newest run to newest attempt") {
    const json::array attempts{json::object{{"attemptId", "2"}}, json::object{{"attemptId", "1"}}};
    auto r1 = menas_run("e2e-mappingConformanceRule-std--_INFO", 10, "m", 1);
    auto r2 = menas_run("e2e-mappingConformanceRule-std--_INFO", 11, "m", 1);
    additional_info(r1)["std_spark_attempt_id"] = "2";  // ids say otherwise than the order
    additional_info(r2)["std_spark_attempt_id"] = "1";
    auto paired = pair_with_attempts(attempts, {r2, r1}, "std");
    REQUIRE(paired.size() == 2);
    CHECK(paired[0]->at("runId") == 10);
    CHECK(paired[1]->at("runId") == 11);

    additional_info(r1).erase("std_spark_attempt_id");
    paired = pair_with_attempts(attempts, {r1, r2}, "std");
    CHECK(paired[0]->at("runId") == 11);  // by order: the newest run, the newest attempt
    CHECK(paired[1]->at("runId") == 10);
    paired = pair_with_attempts(attempts, {r1}, "std");
    CHECK(paired[0]->at("runId") == 10);
    CHECK_FALSE(paired[1].has_value());
}

TEST_CASE("storage-size metrics relate Enceladus' sizes to the aggregates") {
    auto run =
        menas_run("e2e-castingConformanceRule-publish--_INFO", 1, "castingConformanceRule", 19);
    type_run(run, zone("UTC"));
    json::object doc{{"app_specific_data",
                      {{"classification",
                        {{"project", "enceladus"}, {"type", "standardization&conformance"}}}}},
                     {"attempt",
                      {{"app_specific_data", {{"enceladus_run", run}}},
                       {"aggs",
                        {{"stages",
                          {{"inputBytes", {{"max", 4000}}}, {"outputBytes", {{"max", 9000}}}}},
                         {"summary", {{"est_peak_memory_usage", 1000000}}}}}}}};
    REQUIRE(add_postprocessing(doc, 128ll << 20));
    const auto& ai = additional_info(run);
    const double in = ai.at("std_input_data_size").to_number<double>();
    const double out = ai.at("conform_output_data_size").to_number<double>();
    const auto& p = doc.at("attempt").at("aggs").at("summary").at("postprocessing").as_object();
    CHECK(p.at("input_deserialization_factor").as_double() == Approx(4000 / in));
    CHECK(p.at("output_deserialization_factor").as_double() == Approx(9000 / out));
    CHECK(p.at("peak_to_input_memory_factor").as_double() == Approx(1000000 / in));
    CHECK(p.at("peak_to_output_memory_factor").as_double() == Approx(1000000 / out));
    CHECK(p.at("output_to_input_storage_size_ratio").as_double() == Approx(out / in));
    CHECK(p.at("input_in_storage_HDFS_blocks") == 1);

    json::object plain{{"attempt", {{"aggs", json::object{}}}}};
    CHECK_FALSE(add_postprocessing(plain, 128ll << 20));
}
