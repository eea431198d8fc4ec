// The enceladus enricher end to end: real Spark runs named as Enceladus names its jobs (every
// naming generation, made by spark-runs.py) served by the real History Server, their Run
// documents served by the Menas test server (menas_server.py) from the real Atum control
// measures, through spotd as a user runs it.
#include "integration/shs_support.hpp"
#include "support/dashboards.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <iostream>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// The Enceladus-named applications of spark-runs.py: name -> what the test expects of them.
struct Expected {
    const char* name;
    const char* type;
    const char* tag;
    const char* info;  // the control measure Menas serves for it
};
const Expected kApps[] = {
    {"Enceladus Standardization 2.19.0-SNAPSHOT mappingConformanceRule 1 2020-03-23 1",
     "standardization", "standardization_2.19.0-SNAPSHOT_mappingConformanceRule_1",
     "e2e-mappingConformanceRule-publish--_INFO"},
    {"Enceladus Conformance 2.19.0-SNAPSHOT mappingConformanceRule 1 2020-03-23 1", "conformance",
     "conformance_2.19.0-SNAPSHOT_mappingConformanceRule_1",
     "e2e-mappingConformanceRule-publish--_INFO"},
    {"Enceladus Standardization&Conformance 2.18.0-SNAPSHOT castingConformanceRule 19 2020-03-23 1",
     "standardization&conformance",
     "standardization&conformance_2.18.0-SNAPSHOT_castingConformanceRule_19",
     "e2e-castingConformanceRule-publish--_INFO"},
    {"Standardisation 2.18.0-SNAPSHOT std_nf_dn 5 2019-11-27 1", "standardization",
     "standardization_2.18.0-SNAPSHOT_std_nf_dn_5", "e2e-std_nf_dn-std--_INFO"},
    {"Dynamic Conformance 2.8.0-SNAPSHOT singleColumnConformanceRule 11 2020-03-23 1",
     "conformance", "conformance_2.8.0-SNAPSHOT_singleColumnConformanceRule_11",
     "e2e-singleColumnConformanceRule-publish--_INFO"},
    {"Enceladus Standardization 1.2.0-SNAPSHOT DeleteMe 115 2019-01-01 ", "standardization",
     "standardization_1.2.0-SNAPSHOT_DeleteMe_115", "info_file_original.json"},
};

// name -> application id, from the server's listing.
std::map<std::string, std::string> enceladus_apps(unsigned short port) {
    std::map<std::string, std::string> ids;
    const auto listed = shs_get(port, "applications?status=completed");
    for (const auto& a : listed.as_array()) {
        ids[std::string(a.at("name").as_string())] = std::string(a.at("id").as_string());
    }
    std::map<std::string, std::string> out;
    for (const auto& e : kApps) {
        INFO("spark-runs.py makes '" << e.name << "'; the History Server does not list it");
        REQUIRE(ids.contains(e.name));
        out[e.name] = ids.at(e.name);
    }
    return out;
}

struct Menas {
    TempDir dir;
    std::unique_ptr<Process> proc;
    unsigned short port = 0;
    Menas(int api, const json::array& runs, int token_uses = 0, double stall = 0) {
        json::object spec{{"fixtures", (fixtures_dir() / "enceladus").string()},
                          {"api", api},
                          {"user", "spot"},
                          {"password", "s3cret"},
                          {"token_uses", token_uses},
                          {"stall", stall},
                          {"runs", runs}};
        write_file(dir / "spec.json", json::serialize(spec));
        proc =
            std::make_unique<Process>(std::vector<std::string>{"/usr/bin/python3",
                                                               SPOT_SOURCE_DIR
                                                               "/tests/integration/menas_server.py",
                                                               (dir / "spec.json").string(),
                                                               (dir / "port").string()},
                                      dir.path());
        REQUIRE(eventually([&] { return fs::exists(dir / "port"); }));
        port = static_cast<unsigned short>(std::stoi(read_file(dir / "port")));
    }
    [[nodiscard]] json::object stats() const {
        return json::parse(http_get(port, "/__test/stats").body).as_object();
    }
};

// Runs Menas holds for the apps: each app's control measure under its ids, plus a decoy for the
// first (another dataset version: it must be left out).
json::array menas_runs(const std::map<std::string, std::string>& ids) {
    const std::string std_map = ids.at(kApps[0].name), conf_map = ids.at(kApps[1].name),
                      casting = ids.at(kApps[2].name), nf = ids.at(kApps[3].name),
                      single = ids.at(kApps[4].name), old = ids.at(kApps[5].name);
    return json::array{
        // One Run covers a standardization and the conformance after it (same runUniqueId).
        json::object{{"info", kApps[0].info},
                     {"run_id", 4},
                     {"app_ids", {{"std", std_map}, {"conform", conf_map}}}},
        json::object{{"info", "e2e-mappingConformanceRule-std--_INFO"},
                     {"run_id", 3},
                     {"app_ids", {{"std", std_map}}},
                     {"override", {{"datasetVersion", 2}}}},
        json::object{{"info", kApps[2].info},
                     {"run_id", 7},
                     {"app_ids", {{"std", casting}, {"conform", casting}}}},
        json::object{{"info", kApps[3].info}, {"run_id", 1}, {"app_ids", {{"std", nf}}}},
        json::object{{"info", kApps[4].info}, {"run_id", 2}, {"app_ids", {{"conform", single}}}},
        json::object{{"info", kApps[5].info}, {"run_id", 9}, {"app_ids", {{"std", old}}}},
    };
}

std::string enrichers(unsigned short menas_port, const std::string& extra = "") {
    return "    enrichers:\n      - plugin: enceladus\n        url: http://127.0.0.1:" +
           std::to_string(menas_port) +
           "\n        menas_username: spot\n        menas_password: s3cret\n" + extra;
}

std::map<std::string, std::vector<json::object>> agg_by_name(const Crawl& c) {
    std::map<std::string, std::vector<json::object>> out;
    for (const auto& d : c.docs("agg")) {
        const auto& src = d.at("_source").as_object();
        out[std::string(src.at("name").as_string())].push_back(src);
    }
    return out;
}

}  // namespace

TEST_CASE(
    "enceladus: runs of every naming generation are classified and enriched from Menas, "
    "and carry every field the reference Enceladus dashboard uses") {
    const auto port = shs_port();
    const auto ids = enceladus_apps(port);
    Menas menas(2, menas_runs(ids));
    Crawl c;
    c.write(port, "      details: auto\n", enrichers(menas.port));
    std::string log;
    REQUIRE(c.once(&log) == 0);
    INFO(log);
    CHECK(c.docs("err").empty());

    const auto by_name = agg_by_name(c);
    std::vector<json::value> enceladus_docs;
    for (const auto& e : kApps) {
        INFO(e.name);
        REQUIRE(by_name.contains(e.name));
        for (const auto& doc : by_name.at(e.name)) {
            const auto& asd = doc.at("app_specific_data").as_object();
            const auto& cl = asd.at("classification").as_object();
            CHECK(cl.at("project") == "enceladus");
            CHECK(cl.at("type") == e.type);
            CHECK(asd.at("tag") == e.tag);
            const auto& run =
                doc.at("attempt").at("app_specific_data").at("enceladus_run").as_object();
            CHECK(run.at("controlMeasure").at("checkpoints").at("elements_count").as_int64() >= 3);
            CHECK(run.at("controlMeasure")
                      .at("metadata")
                      .at("additionalInfo")
                      .as_object()
                      .contains(
                          std::string(e.type == std::string("conformance") ? "conform" : "std") +
                          "_application_id"));
            CHECK(run.at("runId") != 3);  // the decoy (another dataset version) is left out
            CHECK(
                doc.at("attempt").at("aggs").at("summary").as_object().contains("postprocessing"));
            enceladus_docs.emplace_back(doc);
        }
    }
    // The name whose report version was omitted: an empty info version matches any.
    CHECK(by_name.at(kApps[5].name)
              .front()
              .at("app_specific_data")
              .at("classification")
              .at("info_version") == "");
    // The standardization and conformance of one dataset share one Menas Run; both are enriched.
    CHECK(by_name.at(kApps[0].name)
              .front()
              .at("attempt")
              .at("app_specific_data")
              .at("enceladus_run")
              .at("runId") == 4);
    CHECK(by_name.at(kApps[1].name)
              .front()
              .at("attempt")
              .at("app_specific_data")
              .at("enceladus_run")
              .at("runId") == 4);
    // Other runs are left as the default classification made them.
    for (const auto& [name, docs] : by_name) {
        if (std::none_of(std::begin(kApps), std::end(kApps),
                         [&](const Expected& e) { return name == e.name; })) {
            INFO(name);
            CHECK_FALSE(docs.front()
                            .at("app_specific_data")
                            .at("classification")
                            .as_object()
                            .contains("project"));
            CHECK_FALSE(docs.front().at("attempt").as_object().contains("app_specific_data"));
        }
    }
    const auto c2 = dashboard_coverage(load_dashboards(), enceladus_docs, json::object{},
                                       DashboardFields::Enceladus);
    for (const auto& m : c2.missing) {
        UNSCOPED_INFO("missing: " << m);
    }
    std::cout << "enceladus: " << enceladus_docs.size() << " agg documents of " << std::size(kApps)
              << " Enceladus runs; dashboard fields " << c2.found << "/" << c2.total << "\n";
    CHECK(c2.total >= 20);
    CHECK(c2.found == c2.total);
    CHECK(menas.stats().at("logins") == 1);  // one session for every run
}

TEST_CASE("enceladus: the 3.x login (JWT header), expired sessions and runs Menas does not know") {
    const auto port = shs_port();
    const auto ids = enceladus_apps(port);
    auto runs = menas_runs(ids);
    runs.pop_back();  // Menas knows nothing of the last app: it answers []
    Menas menas(3, runs, /*token_uses=*/2);
    Crawl c;
    c.write(port, "      details: auto\n      concurrency: 1\n",
            enrichers(menas.port, "        login_backoff: 10ms\n"));
    std::string log;
    REQUIRE(c.once(&log) == 0);
    INFO(log);
    CHECK(c.docs("err").empty());
    const auto by_name = agg_by_name(c);
    for (const auto& e : kApps) {
        INFO(e.name);
        const bool known = &e != &kApps[std::size(kApps) - 1];
        CHECK(by_name.at(e.name).front().at("attempt").as_object().contains("app_specific_data") ==
              known);
        CHECK(
            by_name.at(e.name).front().at("app_specific_data").at("classification").at("project") ==
            "enceladus");
    }
    CHECK(log.find("Menas holds 0 run(s) for it, none matching") != std::string::npos);
    const auto stats = menas.stats();
    // Every token is good for two requests: six runs need three logins, each after a 401.
    CHECK(stats.at("logins").as_int64() >= 3);
    CHECK(stats.at("refused").as_int64() >= 2);
    CHECK(stats.at("runs_requests") == static_cast<std::int64_t>(std::size(kApps)));
}

TEST_CASE("enceladus: Menas down, slow or refusing the login never stalls the pipeline") {
    const auto port = shs_port();
    const auto ids = enceladus_apps(port);
    const auto apps = server_apps(port);
    Menas slow(2, menas_runs(ids), 0, /*stall=*/5.0);
    Menas wrong(2, menas_runs(ids));
    const auto closed = free_port();
    const std::vector<std::pair<std::string, std::string>> cases{
        {"down", "http://127.0.0.1:" + std::to_string(closed)},
        {"slow", "http://127.0.0.1:" + std::to_string(slow.port)},
        {"wrong password", "http://127.0.0.1:" + std::to_string(wrong.port)},
    };
    for (const auto& [what, url] : cases) {
        INFO(what);
        Crawl c;
        c.write(port, "      details: auto\n",
                "    enrichers:\n      - plugin: enceladus\n        url: " + url +
                    "\n        menas_username: spot\n        menas_password: " +
                    (what == "wrong password" ? "nope" : "s3cret") +
                    "\n        read_timeout: 1s\n        connect_timeout: 1s\n"
                    "        http_attempts: 2\n        http_backoff: 10ms\n");
        std::string log;
        const auto t0 = std::chrono::steady_clock::now();
        REQUIRE(c.once(&log) == 0);
        const auto secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        INFO(log);
        CHECK(c.ids("raw").size() == apps.size());  // every run stored
        std::size_t errs = 0;
        for (const auto& d : c.docs("err")) {
            CHECK(d.at("_source").at("spot").at("error").at("stage") == "enrich:enceladus");
            ++errs;
        }
        CHECK(errs == std::size(kApps));  // one per Enceladus run, saying why
        const auto by_name = agg_by_name(c);
        for (const auto& e : kApps) {
            // Classified by name all the same; no Menas data.
            CHECK(by_name.at(e.name)
                      .front()
                      .at("app_specific_data")
                      .at("classification")
                      .at("project") == "enceladus");
            CHECK_FALSE(
                by_name.at(e.name).front().at("attempt").as_object().contains("app_specific_data"));
        }
        // After pause_after_failures (3) failures Menas is left alone: the slow case takes
        // about three timeouts, not six.
        std::cout << "enceladus, Menas " << what << ": " << apps.size() << " runs stored, " << errs
                  << " err documents, " << secs << " s\n";
        CHECK(secs < 30);
    }
}
