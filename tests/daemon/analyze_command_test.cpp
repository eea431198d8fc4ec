// `spotd analyze` on the shared fixture logs: each generated log gets the findings of what its
// job injects (tests/fixtures/spark/generated.manifest.json says what), the codec runs,
// which only write and read their data, get nothing above low, and a file that is not an
// event log gets one line naming it while the others are still analysed.
#include "support/dashboards.hpp"
#include "support/process.hpp"
#include "support/fixtures.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <sstream>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// The analysis of each log, by application name (`by_file`: by file name).
std::map<std::string, json::object> analyze(const std::vector<std::string>& files,
                                            std::string* err = nullptr,
                                            int* code = nullptr,
                                            bool by_file = false) {
    std::vector<std::string> argv{SPOTD, "analyze", "--format", "json"};
    argv.insert(argv.end(), files.begin(), files.end());
    std::string out, e;
    const int rc = run(argv, &out, &e, std::chrono::minutes(3));
    if (err != nullptr) {
        *err = e;
    }
    if (code != nullptr) {
        *code = rc;
    }
    std::map<std::string, json::object> by_name;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        auto o = json::parse(line).as_object();
        by_name[std::string(o.at(by_file ? "file" : "name").as_string())] =
            o.at("analysis").as_object();
    }
    return by_name;
}

// The worst severity value of the findings of `heuristic` (0 when none fired).
std::int64_t worst(const json::object& analysis, const std::string& heuristic) {
    std::int64_t w = 0;
    for (const auto& f : analysis.at("findings").as_array()) {
        if (f.at("heuristic").as_string() == heuristic) {
            w = std::max(w, f.at("severity_value").to_number<std::int64_t>());
        }
    }
    return w;
}

constexpr std::int64_t kModerate = 2;

}  // namespace

TEST_CASE("spotd analyze: every generated fixture log gets the finding of what its job injects",
          "[daemon][analyze]") {
    const auto generated = fixtures_dir() / "spark" / "generated";
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(generated)) {
        files.push_back(e.path().string());
    }
    std::string err;
    int code = 0;
    const auto runs = analyze(files, &err, &code);
    INFO(err);
    // The two in-progress logs (a killed driver) are refused, each with its name; the rest pass.
    CHECK(code == 1);
    CHECK(std::count(err.begin(), err.end(), '\n') == 2);
    CHECK(err.find("local-1795645580545.inprogress: not a complete Spark event log") !=
          std::string::npos);
    REQUIRE(runs.size() == 11);

    struct Expect {
        const char* app;
        std::vector<const char*> must;  // at moderate or worse
        const char* why;
        std::vector<const char*> calm{};  // found, but low: what it cost is too small to matter
    };
    const Expect expectations[] = {
        {"gen-rdd-skew-spill",
         {},
         "skewed keys: one shuffle partition reads ~6x the median, but of medians of 25-210 KiB "
         "and with the longest task under 65% of its stage; the small heap spills 1-3 MiB",
         {"spill", "task_skew"}},
        {"gen-task-failures",
         {"failures"},
         "tasks fail and are retried, one job fails for good, a stage is cancelled"},
        {"gen-lc-executor-loss",
         {"failures"},
         "an executor is killed mid-shuffle: ExecutorLostFailure, FetchFailed, stage re-attempt"},
        {"gen-lc-dynamic-allocation",
         {"driver_bound"},
         "12 s of driver-only time between jobs, during which the executors are released"},
        {"gen-python-udfs",
         {"driver_bound"},
         "toPandas and the Python UDF setup keep the driver alone for most of the run"},
        {"gen-sql-orders-etl",
         {"failures", "io_shape"},
         "one query fails on purpose; the job writes ~8x what it reads"},
    };
    for (const auto& x : expectations) {
        INFO(x.app << ": " << x.why);
        REQUIRE(runs.contains(x.app));
        for (const char* h : x.must) {
            INFO(h);
            CHECK(worst(runs.at(x.app), h) >= kModerate);
        }
        for (const char* h : x.calm) {
            INFO(h << " must be found, and low");
            CHECK(worst(runs.at(x.app), h) == 1);
        }
    }
    const auto& loss = runs.at("gen-lc-executor-loss");
    bool counted_loss = false;
    for (const auto& f : loss.at("findings").as_array()) {
        if (f.at("heuristic") == "failures") {
            counted_loss = f.at("figures").at("executors_lost").to_number<std::int64_t>() >= 1;
        }
    }
    CHECK(counted_loss);
    for (const char* codec :
         {"gen-codec-lz4", "gen-codec-snappy", "gen-codec-zstd", "gen-codec-lzf"}) {
        INFO(codec << ": the same small job, only written and read: nothing worth a ticket");
        REQUIRE(runs.contains(codec));
        CHECK(runs.at(codec).at("severity_value").to_number<std::int64_t>() <= 1);
    }
    // The what-if's own error on the executors actually used, over the generated runs.
    std::vector<double> errors;
    for (const auto& [name, a] : runs) {
        const auto& w = a.at("whatif").as_object();
        REQUIRE(w.at("available") == true);
        errors.push_back(std::abs(w.at("error").to_number<double>()));
    }
    std::sort(errors.begin(), errors.end());
    CHECK(errors[errors.size() / 2] <= 0.10);
}

TEST_CASE(
    "spotd analyze: Spark's own test logs all pass, and a corrupt file is named with its line",
    "[daemon][analyze]") {
    TempDir dir;
    write_file(dir / "notes.txt", "this is not a Spark event log\n");
    // A real log whose middle line is broken.
    const auto real = fixtures_dir() / "spark" / "spark-events" / "local-1422981759269";
    auto text = read_file(real);
    text.insert(text.find('\n', text.size() / 2) + 1,
                "{\"Event\":\"SparkListenerTaskEnd\", broken\n");
    write_file(dir / "local-broken", text);
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(fixtures_dir() / "spark" / "spark-events")) {
        files.push_back(e.path().string());
    }
    std::string err;
    int code = 0;
    const auto clean = analyze(files, &err, &code, true);
    INFO(err);
    CHECK(code == 0);
    CHECK(err.empty());
    CHECK(clean.size() >= 15);
    for (const auto& [name, a] : clean) {
        CHECK(a.at("severity").is_string());
    }
    files.insert(files.begin(), {(dir / "notes.txt").string(), (dir / "local-broken").string()});
    const auto mixed = analyze(files, &err, &code, true);
    CHECK(code == 1);
    CHECK(mixed.size() == clean.size());  // the others are still analysed
    CHECK(err.find((dir / "notes.txt").string() + ": ") != std::string::npos);
    CHECK(err.find((dir / "local-broken").string() + ": ") != std::string::npos);
    CHECK(err.find("line ") != std::string::npos);
    CHECK(std::count(err.begin(), err.end(), '\n') == 2);
}

TEST_CASE("the analyze aggregator adds attempt.analysis to every agg document of a pipeline",
          "[daemon][analyze]") {
    // The embedded default's logs through eventlog -> spot-aggregate -> analyze -> file: the
    // event-log source keeps every task's timing, so every attempt has its what-if.
    TempDir dir;
    const auto logs = fs::path(SPOT_SOURCE_DIR) / "deploy" / "examples" / "spark-events";
    write_file(dir / "spot.yaml",
               "state_dir: " + (dir / "state").string() +
                   "\nadmin_listen: \"\"\npipelines:\n  p:\n    source: {plugin: eventlog, dir: " +
                   logs.string() +
                   "}\n    aggregators:\n      - plugin: spot-aggregate\n      - plugin: analyze\n"
                   "        gates: false\n    sinks: [{plugin: file, dir: " +
                   (dir / "out").string() + "}]\n");
    std::string out, err;
    REQUIRE(run({SPOTD, "--once", "--config", (dir / "spot.yaml").string()}, &out, &err,
                std::chrono::minutes(2)) == 0);
    // The worst severity of each example, judged by impact: the failures and the executor loss
    // cost failed jobs and re-run stages (moderate); the skew and spill of the rdd examples are
    // real but over medians of KiBs and spills of a few MiB (low); the idle and driver-bound
    // time of the dynamic-allocation runs is tens of seconds (moderate).
    const std::map<std::string, std::int64_t> expected_worst{{"app-20261125221932-0000", 2},
                                                             {"app-20261125222037-0000", 2},
                                                             {"app-20261126014252-0000", 2},
                                                             {"app-20261126014542-0000", 2},
                                                             {"local-1795645116698", 1},
                                                             {"local-1795645151728", 2},
                                                             {"local-1795645397085", 1},
                                                             {"local-1795657493933", 1},
                                                             {"local-1795657701984", 1}};
    std::size_t docs = 0;
    std::vector<json::value> all;
    for (const auto& line : read_lines(dir / "out" / "agg.jsonl")) {
        const auto doc = json::parse(line).at("_source").as_object();
        all.emplace_back(doc);
        INFO(doc.at("id"));
        const auto& a = doc.at("attempt").at("analysis").as_object();
        CHECK(a.at("whatif").at("available") == true);
        CHECK(a.at("whatif").at("points").as_array().size() == 9);
        CHECK(a.at("core_hours").to_number<double>() > 0);
        const std::string id(doc.at("id").as_string());
        REQUIRE(expected_worst.contains(id));
        CHECK(a.at("severity_value").to_number<std::int64_t>() == expected_worst.at(id));
        ++docs;
    }
    CHECK(docs == 9);
    // Spot's own dashboards (deploy/dashboards) find every field they use, with its type; the
    // Elasticsearch test checks the same on documents read back from real nodes.
    const auto c = dashboard_coverage(load_dashboards(spot_dashboards()), all, json::object{});
    for (const auto& m : c.missing) {
        UNSCOPED_INFO("missing: " << m);
    }
    CHECK(c.total >= 10);
    CHECK(c.found == c.total);
}

TEST_CASE("the analyze aggregator refuses limits that are not four rising numbers",
          "[daemon][analyze][config]") {
    TempDir dir;
    for (const char* bad : {"\"0.5, 0.3, 0.7, 0.9\"", "[0.3, 0.5]", "[0.3, 0.5, x, 0.9]",
                            "[0.3, nan, 0.7, 0.9]", "[0.3, 0.5, 0.7, inf]"}) {
        write_file(dir / "spot.yaml",
                   std::string("pipelines:\n  p:\n    source: {plugin: runfiles, dir: runs}\n"
                               "    aggregators:\n      - plugin: spot-aggregate\n"
                               "      - plugin: analyze\n        idle_cores: ") +
                       bad + "\n    sinks: [{plugin: file, dir: out}]\n");
        std::string err;
        INFO(bad);
        CHECK(run({SPOTD, "--check-config", "--config", (dir / "spot.yaml").string()}, nullptr,
                  &err) == 2);
        CHECK(err.find("spot.yaml:6:9: pipelines.p.aggregators[1] (analyze): idle_cores: ") !=
              std::string::npos);
    }
}
