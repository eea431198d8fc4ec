// The regression advisor in a real pipeline over the committed recurring-job corpus (real Spark
// runs): observations kept across restarts, advice documents in the sink, `spotd advise` in
// every format with and without a running daemon, and the admin endpoint's /api/v1/jobs.
#include "support/http_get.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const fs::path kCorpus =
    fs::path(SPOT_SOURCE_DIR) / "tests" / "fixtures" / "recurring-corpus" / "events";
constexpr const char* kJob = "recurring-orders-etl";

fs::path write_config(const TempDir& dir,
                      const std::string& top = "admin_listen: \"\"\n",
                      const std::string& advisor_extra = "") {
    const auto config = dir / "spot.yaml";
    write_file(config, "state_dir: " + (dir / "state").string() + "\n" + top +
                           "pipelines:\n  corpus:\n    poll_interval: 1s\n"
                           "    source: {plugin: eventlog, dir: " +
                           kCorpus.string() +
                           "}\n"
                           "    aggregators: [{plugin: spot-aggregate}, {plugin: analyze}]\n"
                           "    sinks: [{plugin: file, dir: " +
                           (dir / "out").string() +
                           "}]\n"
                           "    advisors:\n      - plugin: regression\n" +
                           advisor_extra);
    return config;
}

struct Answer {
    int code = 0;
    std::string out, err;
};

Answer advise(const fs::path& config, std::vector<std::string> args) {
    Answer a;
    std::vector<std::string> argv{SPOTD, "advise", "--config", config.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    a.code = run(argv, &a.out, &a.err, std::chrono::minutes(1));
    return a;
}

}  // namespace

TEST_CASE(
    "regression advisor: a pipeline learns the corpus' jobs, writes advice documents, and "
    "spotd advise answers in every format",
    "[daemon][regression]") {
    TempDir dir;
    const auto config = write_config(dir);
    std::string out, err;
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}, &out, &err,
                std::chrono::minutes(3)) == 0);
    // One advice document per refit: a job advises from its first run on (the cluster model
    // while it has fewer than 5), so every agg document is followed by one.
    const auto agg = read_lines(dir / "out" / "agg.jsonl");
    const auto advice = read_lines(dir / "out" / "advice.jsonl");
    CHECK(agg.size() == 90);
    CHECK(advice.size() >= 85);
    const auto last = json::parse(advice.back()).at("_source").as_object();
    CHECK(last.at("advised").as_array().size() >= 4);
    CHECK(last.at("predicted_advised").at("duration_ms").to_number<double>() > 0);

    // Every job listed, with its runs.
    auto jobs = advise(config, {"--format", "json"});
    INFO(jobs.err);
    REQUIRE(jobs.code == 0);
    const auto list = json::parse(jobs.out).as_array();
    REQUIRE(list.size() == 3);
    for (const auto& j : list) {
        CHECK(j.at("runs").to_number<int>() == 30);
        CHECK(j.at("model").as_string() == "job");
    }
    CHECK(advise(config, {}).out.find(kJob) != std::string::npos);  // the text table

    auto text = advise(config, {"--job", kJob});
    REQUIRE(text.code == 0);
    CHECK(text.out.find("advised") != std::string::npos);
    CHECK(text.out.find("core-hours") != std::string::npos);
    auto submit = advise(config, {"--job", kJob, "--format", "spark-submit"});
    REQUIRE(submit.code == 0);
    CHECK(submit.out.starts_with("--num-executors "));
    CHECK(submit.out.find("--conf spark.sql.shuffle.partitions=") != std::string::npos);
    auto props = advise(config, {"--job", kJob, "--format", "properties", "--goal", "time"});
    REQUIRE(props.code == 0);
    CHECK(props.out.find("spark.executor.cores=") != std::string::npos);
    auto big = advise(config, {"--job", kJob, "--format", "json", "--input-bytes", "64MiB"});
    REQUIRE(big.code == 0);
    const auto a = json::parse(big.out).as_object();
    CHECK(a.at("input_bytes").to_number<double>() == 64.0 * 1024 * 1024);
    CHECK(a.at("job_runs").to_number<int>() == 30);
    CHECK_FALSE(a.contains("formatted"));

    // What a user gets wrong: a clear line and the exit code.
    auto unknown = advise(config, {"--job", "no-such-job"});
    CHECK(unknown.code == 1);
    CHECK(unknown.err.find("no-such-job") != std::string::npos);
    auto bad_goal = advise(config, {"--job", kJob, "--goal", "fast"});
    CHECK(bad_goal.code == 2);
    CHECK(bad_goal.err.find("goal") != std::string::npos);
    auto no_deadline = advise(config, {"--job", kJob, "--deadline", "soon"});
    CHECK(no_deadline.code == 2);
    // Numbers that make no sense are refused with the reason, never computed.
    for (const char* bytes :
         {"NaN", "nan", "inf", "-Infinity", "-5", "-1g", "2000PB", "5 apples"}) {
        auto refused = advise(config, {"--job", kJob, "--input-bytes", bytes});
        INFO("--input-bytes " << bytes << ": " << refused.out << refused.err);
        CHECK(refused.code == 2);
        CHECK(refused.err.find("input_bytes") != std::string::npos);
        CHECK(refused.out.empty());
    }
    for (const char* deadline : {"nans", "infs", "-1h", "1e300d"}) {
        auto refused = advise(config, {"--job", kJob, "--deadline", deadline});
        INFO("--deadline " << deadline << ": " << refused.out);
        CHECK(refused.code == 2);
        CHECK(refused.out.empty());
    }

    // A restart learns nothing twice: the observations were kept, the log state says done.
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}, &out, &err,
                std::chrono::minutes(1)) == 0);
    auto again = advise(config, {"--format", "json"});
    REQUIRE(again.code == 0);
    const auto relisted =
        json::parse(again.out);  // named: a range-for over a temporary's member dangles
    for (const auto& j : relisted.as_array()) {
        CHECK(j.at("runs").to_number<int>() == 30);
    }
}

TEST_CASE(
    "regression advisor: a new advisor starts from the file sink's agg documents, and a "
    "running daemon answers /api/v1/jobs while spotd advise reads the same state",
    "[daemon][regression]") {
    TempDir first;
    REQUIRE(run({SPOTD, "--once", "--config", write_config(first).string()}, nullptr, nullptr,
                std::chrono::minutes(3)) == 0);
    // A second deployment over no logs, seeded from the first one's agg.jsonl, to which two
    // documents an advisor cannot use were added: they are counted by reason, nothing else.
    TempDir dir;
    const auto seed = dir / "agg.jsonl";
    write_file(
        seed,
        read_file(first / "out" / "agg.jsonl") +
            R"({"_id":"x","_source":{"id":"app-no-attempt","name":"x"}})"
            "\n" +
            R"({"_id":"y","_source":{"id":"app-no-duration","app_specific_data":{"classification":{"app":"y"}},"attempt":{"attemptId":"1"}}})"
            "\n");
    const auto port = free_port();
    const auto config = dir / "spot.yaml";
    write_file(config, "state_dir: " + (dir / "state").string() + "\n" +
                           fmt::format("admin_listen: 127.0.0.1:{}\n", port) +
                           "pipelines:\n  seeded:\n    poll_interval: 1s\n"
                           "    source: {plugin: eventlog, dir: " +
                           (dir / "empty").string() +
                           "}\n"
                           "    sinks: [{plugin: file, dir: " +
                           (dir / "out").string() +
                           "}]\n"
                           "    advisors:\n      - plugin: regression\n        seed_file: " +
                           seed.string() + "\n");
    fs::create_directories(dir / "empty");
    Process spotd({SPOTD, "--config", config.string()}, dir.path());
    REQUIRE(eventually([&] { return http_get(port, "/api/v1/jobs").status == 200; }));
    const auto jobs = json::parse(http_get(port, "/api/v1/jobs").body).as_array();
    REQUIRE(jobs.size() == 3);
    const auto metrics = http_get(port, "/metrics").body;
    CHECK(metrics.find(
              R"(spot_advisor_runs_skipped_total{pipeline="seeded",reason="no_attempt"} 1)") !=
          std::string::npos);
    CHECK(metrics.find(
              R"(spot_advisor_runs_skipped_total{pipeline="seeded",reason="no_duration"} 1)") !=
          std::string::npos);
    CHECK(jobs[0].at("pipeline").as_string() == "seeded");
    const auto job = http_get(port, std::string("/api/v1/jobs/") + kJob);
    REQUIRE(job.status == 200);
    CHECK(json::parse(job.body).at("observations").as_array().size() == 30);
    const auto advice = http_get(port, std::string("/api/v1/jobs/") + kJob + "/advice?goal=time");
    REQUIRE(advice.status == 200);
    CHECK(json::parse(advice.body).at("goal").as_string() == "time");
    CHECK(http_get(port, "/api/v1/jobs/nobody").status == 404);
    const auto page = http_get(port, std::string("/api/v1/jobs/") + kJob + "/report.html");
    CHECK(page.status == 200);
    CHECK(page.content_type.starts_with("text/html"));
    CHECK(page.body.starts_with("<!DOCTYPE html>"));
    CHECK(page.body.find("/*SPOT_REPORT_DATA*/") == std::string::npos);
    const auto near = http_get(port, "/api/v1/jobs/recurring-order-etl/advice");
    CHECK(near.status == 404);
    CHECK(near.body.find("closest known jobs: recurring-orders-etl") != std::string::npos);
    CHECK(http_get(port, std::string("/api/v1/jobs/") + kJob + "/advice?goal=fast").status == 400);
    for (const char* query :
         {"input_bytes=NaN", "input_bytes=inf", "input_bytes=-9", "input_bytes=2000PB",
          "deadline=nans", "slowdown_budget=inf", "cost_budget=nan"}) {
        const auto refused =
            http_get(port, std::string("/api/v1/jobs/") + kJob + "/advice?" + query);
        INFO(query << ": " << refused.body);
        CHECK(refused.status == 400);
    }
    // The daemon runs: spotd advise still answers from the same state_dir.
    auto a = advise(config, {"--job", kJob, "--format", "spark-submit"});
    INFO(a.err);
    CHECK(a.code == 0);
    CHECK(a.out.starts_with("--num-executors "));
}
