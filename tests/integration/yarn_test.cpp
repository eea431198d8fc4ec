// The yarn source and the yarn-app enricher against a real YARN ResourceManager and NodeManager
// (Hadoop 3.3.4, CTest fixture "yarn", tests/integration/yarn.sh) on which real Spark
// applications ran (one succeeded, one failed), into a real OpenSearch node ("servers").
#include "integration/search_support.hpp"
#include "support/dashboards.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <csignal>
#include <iostream>
#include <set>
#include <thread>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const fs::path kYarn = SPOT_YARN_DIR;

unsigned short rm_port() { return shs_port(kYarn / "rm" / "state"); }

// The applications the RM lists as finished (any final state).
std::set<std::string> finished_apps() {
    std::string out;
    REQUIRE(run({"/usr/bin/curl", "-sf",
                 "http://127.0.0.1:" + std::to_string(rm_port()) +
                     "/ws/v1/cluster/apps?states=FINISHED,FAILED,KILLED"},
                &out) == 0);
    std::set<std::string> ids;
    const auto answer = json::parse(out);  // named: a range-for over a temporary's member dangles
    for (const auto& a : answer.at("apps").at("app").as_array()) {
        ids.insert(std::string(a.at("id").as_string()));
    }
    return ids;
}

std::string yarn_pipeline(unsigned short search,
                          const std::string& prefix,
                          const std::string& extra = "") {
    return "    source: {plugin: yarn, url: \"http://127.0.0.1:" + std::to_string(rm_port()) +
           "\"" + extra +
           "}\n    sinks:\n      - plugin: elasticsearch\n        url: http://127.0.0.1:" +
           std::to_string(search) + "\n        agg_index: " + prefix +
           "_agg\n        err_index: " + prefix + "_err\n        linger: 50ms\n" +
           "        extra_indices: [yarn_apps=" + prefix + "_yarn_apps, yarn_cluster=" + prefix +
           "_yarn_cluster, yarn_scheduler=" + prefix + "_yarn_scheduler]\n";
}

}  // namespace

TEST_CASE(
    "yarn: every finished application once across passes and kill -9, a cluster and "
    "scheduler snapshot every pass, every field of the reference's YARN dashboards typed") {
    const auto search = node_port(fs::path(SPOT_SEARCH_DIR) / "opensearch");
    const auto apps = finished_apps();
    REQUIRE(apps.size() >= 2);  // the fixture's Spark applications: one succeeded, one failed
    TempDir dir;
    const auto config = dir / "spot.yaml";
    write_file(config, "state_dir: " + (dir / "state").string() +
                           "\nadmin_listen: \"\"\npipelines:\n  yarn:\n    poll_interval: 1s\n" +
                           yarn_pipeline(search, "y1"));
    std::string log;
    REQUIRE(spotd_once(config, &log) == 0);
    INFO(log);
    CHECK(count(search, "y1_yarn_apps") == static_cast<std::int64_t>(apps.size()));
    CHECK(count(search, "y1_yarn_cluster") == 1);
    const auto scheduler = count(search, "y1_yarn_scheduler");
    CHECK(scheduler >= 4);  // queues default and etl, each with its partition
    CHECK(count(search, "y1_err") == 0);

    // A daemon killed mid-pass five times, then a clean pass: still every application once.
    for (int i = 0; i < 5; ++i) {
        Process spotd({SPOTD, "--config", config.string()}, dir.path());
        std::this_thread::sleep_for(std::chrono::milliseconds(300 + 250 * i));
        spotd.signal(SIGKILL);
        spotd.wait(std::chrono::seconds(10));
    }
    REQUIRE(spotd_once(config, &log) == 0);
    const auto stored = all_docs(search, "y1_yarn_apps");
    CHECK(stored.size() == apps.size());
    for (const auto& id : apps) {
        INFO(id);
        REQUIRE(stored.contains(id));
        const auto& d = stored.at(id);
        CHECK(d.at("queue").as_string() == "etl");
        CHECK(d.at("applicationType").as_string() == "SPARK");
        CHECK(d.at("memorySeconds").to_number<double>() > 0);
        CHECK(d.at("spot").at("yarn_host").as_string() == "127.0.0.1");
    }
    std::set<std::string> final_status;
    for (const auto& [id, d] : stored) {
        final_status.insert(std::string(d.at("finalStatus").as_string()));
    }
    CHECK(final_status == std::set<std::string>{"FAILED", "SUCCEEDED"});
    CHECK(count(search, "y1_yarn_cluster") >= 2);  // one per completed pass
    CHECK(count(search, "y1_yarn_scheduler") >= 2 * scheduler);

    // The reference's two YARN dashboards: every field they use is in the documents read back,
    // with the type its index pattern declares, and the node mapped it as the pattern says.
    const auto dashboards =
        load_dashboards(reference_dashboards(),
                        {"spot_yarn_apps_*", "spot_yarn_cluster_*", "spot_yarn_scheduler_*"});
    std::size_t total = 0, found = 0;
    for (const auto& [pattern, fields] : dashboards.fields) {
        const std::string index =
            "y1_" + pattern.substr(5, pattern.size() - 7);  // spot_yarn_x_* -> y1_yarn_x
        std::vector<json::object> docs;
        for (auto& [id, d] : all_docs(search, index)) {
            docs.push_back(std::move(d));
        }
        const auto& types = dashboards.pattern_types.at(pattern);
        for (const auto& f : fields) {
            INFO(pattern << " " << f);
            ++total;
            const std::string type = types.contains(f) ? types.at(f) : "string";
            bool ok = false;
            for (const auto& d : docs) {
                const json::value v(d);
                const auto* x = resolve(v, f);
                ok = ok || (x != nullptr && has_type(*x, type));
            }
            found += ok ? 1 : 0;
            CHECK(ok);
            const auto want = dashboards.es_types.at(pattern).find(f);
            if (ok && want != dashboards.es_types.at(pattern).end()) {
                const auto got = mapped_types(search, index, f);
                REQUIRE(got.contains(f));
                // Kibana's "number" is any numeric type the node chose.
                const bool numeric =
                    want->second == "long" || want->second == "float" || want->second == "double";
                CHECK((got.at(f) == want->second ||
                       (numeric &&
                        (got.at(f) == "long" || got.at(f) == "float" || got.at(f) == "double")) ||
                       (want->second == "text" && got.at(f) == "text")));
            }
        }
    }
    std::cout << "YARN dashboard field coverage " << found << "/" << total << "\n";
    CHECK(total >= 20);

    // Every field of the YARN documents typed by the sink's template, none left to the
    // catch-all rules (the yarn-app enricher writes under app_specific_data, a path template).
    for (const std::string index : {"y1_yarn_apps", "y1_yarn_cluster", "y1_yarn_scheduler"}) {
        INFO(index);
        const auto c = template_coverage(search, index);
        std::cout << index << ": " << c.explicit_fields << " fields typed by name, "
                  << c.family_fields << " by path template\n";
        CHECK(c.explicit_fields >= 10);
        CHECK(c.untyped == std::vector<std::string>{});
    }
}

TEST_CASE(
    "yarn: an RM answering HTML, 500, truncated JSON or a 10 s stall: err documents, no "
    "crash, the next pass stores everything") {
    const auto search = node_port(fs::path(SPOT_SEARCH_DIR) / "opensearch");
    const auto apps = finished_apps();
    FaultProxy proxy(rm_port(), R"([{"path": "/apps", "fault": "html500", "times": 1},
        {"path": "/metrics", "fault": "truncated", "times": 1},
        {"path": "/scheduler", "fault": "stall", "times": 1}])");
    TempDir dir;
    const auto config = dir / "spot.yaml";
    std::string yaml = "state_dir: " + (dir / "state").string() +
                       "\nadmin_listen: \"\"\npipelines:\n  yarn:\n" +
                       yarn_pipeline(search, "y2", ", http_attempts: 1, read_timeout: 2s");
    yaml.replace(yaml.find(std::to_string(rm_port())), std::to_string(rm_port()).size(),
                 std::to_string(proxy.port));
    write_file(config, yaml);
    std::string log;
    REQUIRE(spotd_once(config, &log) == 0);  // the listing failed: an err document
    REQUIRE(spotd_once(config, &log) == 0);  // the metrics were cut: an err document
    REQUIRE(spotd_once(config, &log) == 0);  // the scheduler stalled past read_timeout
    REQUIRE(spotd_once(config, &log) == 0);  // faults spent: everything
    INFO(log);
    CHECK(proxy.injected().size() == 3);
    CHECK(count(search, "y2_err") == 3);
    CHECK(count(search, "y2_yarn_apps") == static_cast<std::int64_t>(apps.size()));
    for (const auto& [id, e] : all_docs(search, "y2_err")) {
        CHECK(e.at("spot").at("error").at("stage").as_string() == "source");
    }
}

TEST_CASE(
    "yarn-app: Spark runs on YARN get what the RM charged, a local run nothing, and an RM "
    "that is down or stalls means err documents (enrich:yarn-app) and every run stored") {
    const auto apps = finished_apps();
    TempDir dir;
    // The fixture's YARN runs' event logs beside a local run's.
    fs::create_directories(dir / "logs");
    for (const auto& e : fs::directory_iterator(kYarn / "events")) {
        fs::copy(e.path(), dir / "logs" / e.path().filename(), fs::copy_options::recursive);
    }
    const auto local = fixtures_dir() / "spark" / "generated" / "eventlog_v2_local-1795645432321";
    REQUIRE(fs::exists(local));
    fs::copy(local, dir / "logs" / local.filename(), fs::copy_options::recursive);

    auto crawl = [&](const std::string& name, unsigned short rm, const std::string& extra) {
        const auto config = dir / (name + ".yaml");
        write_file(config,
                   "state_dir: " + (dir / name).string() +
                       "\nadmin_listen: \"\"\npipelines:\n  spark:\n" +
                       "    source: {plugin: eventlog, dir: " + (dir / "logs").string() + "}\n" +
                       "    enrichers:\n      - plugin: classify\n      - {plugin: yarn-app, url: "
                       "\"http://127.0.0.1:" +
                       std::to_string(rm) + "\"" + extra + "}\n" +
                       "    aggregators: [{plugin: spot-aggregate}]\n" +
                       "    sinks: [{plugin: file, dir: " + (dir / name / "out").string() + "}]\n");
        std::string log;
        REQUIRE(spotd_once(config, &log) == 0);
        return dir / name / "out";
    };
    auto lines = [](const fs::path& file) {
        std::vector<json::object> out;
        if (fs::exists(file)) {
            for (const auto& l : read_lines(file)) {
                out.push_back(json::parse(l).at("_source").as_object());
            }
        }
        return out;
    };

    const auto out = crawl("up", rm_port(), "");
    std::size_t on_yarn = 0, local_runs = 0;
    for (const auto& d : lines(out / "agg.jsonl")) {
        const std::string id(d.at("id").as_string());
        INFO(id);
        const auto* yarn = d.at("app_specific_data").as_object().if_contains("yarn");
        if (id.starts_with("application_")) {
            ++on_yarn;
            REQUIRE(apps.contains(id));
            REQUIRE(yarn != nullptr);
            CHECK(yarn->at("queue").as_string() == "etl");
            CHECK(yarn->at("user").is_string());
            CHECK(yarn->at("memorySeconds").to_number<double>() > 0);
            CHECK(yarn->at("vcoreSeconds").to_number<double>() > 0);
            CHECK(yarn->at("finalStatus").is_string());
        } else {
            ++local_runs;
            CHECK(yarn == nullptr);
        }
    }
    CHECK(on_yarn >= 2);
    CHECK(local_runs == 1);
    CHECK(lines(out / "err.jsonl").empty());

    // Down (nothing listens) and stalled (10 s, read_timeout 2 s): stored without, said why.
    const auto down_port = static_cast<unsigned short>(free_port());
    FaultProxy stall(rm_port(), R"([{"path": "/apps/", "fault": "stall", "times": -1}])");
    for (const auto& [name, port] : {std::pair{"down", down_port}, {"stall", stall.port}}) {
        INFO(name);
        const auto o =
            crawl(name, port, ", http_attempts: 1, connect_timeout: 1s, read_timeout: 2s");
        const auto agg = lines(o / "agg.jsonl");
        CHECK(agg.size() == on_yarn + local_runs);
        for (const auto& d : agg) {
            CHECK_FALSE(d.at("app_specific_data").as_object().contains("yarn"));
        }
        const auto errs = lines(o / "err.jsonl");
        CHECK(errs.size() == on_yarn);
        for (const auto& e : errs) {
            CHECK(e.at("spot").at("error").at("stage").as_string() == "enrich:yarn-app");
        }
    }
}
