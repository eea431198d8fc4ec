// The elasticsearch sink against real OpenSearch 2.19 and 3.3 and Elasticsearch 8.17 and 9.2
// nodes (the "servers" fixture starts those of SPOT_SEARCH_NODES, tests/integration/search.sh),
// fed by spotd crawling the real History Server of the same fixture.
#include "integration/search_support.hpp"
#include "integration/shs_support.hpp"
#include "support/dashboards.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <iostream>
#include <map>
#include <csignal>
#include <random>
#include <set>
#include <thread>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

// The products of the nodes the fixture started (SPOT_SEARCH_NODES, comma-separated).
const std::vector<std::string>& products() {
    static const std::vector<std::string> list = [] {
        std::vector<std::string> out;
        std::string all = SPOT_SEARCH_NODES;
        for (std::size_t at = 0; at <= all.size();) {
            const auto comma = std::min(all.find(',', at), all.size());
            out.push_back(all.substr(at, comma - at));
            at = comma + 1;
        }
        return out;
    }();
    return list;
}

// "opensearch" or "elasticsearch": what spotd detects, whatever the version.
std::string family(const std::string& product) {
    return product.rfind("opensearch", 0) == 0 ? "opensearch" : "elasticsearch";
}

// The version search.sh starts for a product.
std::string version_of(const std::string& product) {
    static const std::map<std::string, std::string> versions{{"opensearch", "2.19.3"},
                                                             {"opensearch3", "3.3.2"},
                                                             {"elasticsearch", "8.17.0"},
                                                             {"elasticsearch9", "9.2.0"}};
    return versions.at(product);
}

struct Spotd {
    TempDir dir;
    fs::path config = dir / "spot.yaml";
    void write(unsigned short es_port,
               const std::string& prefix,
               const std::string& sink_extra = "",
               bool file_sink = false) const {
        std::string yaml =
            "state_dir: " + (dir / "state").string() +
            "\nadmin_listen: \"\"\npipelines:\n  p:\n    source:\n"
            "      plugin: history\n      url: http://127.0.0.1:" +
            std::to_string(shs_port()) +
            "\n      lookback: 36500d\n      time_step: 36500d\n"
            "      completion_timeout: 0s\n"
            "    aggregators:\n      - plugin: spot-aggregate\n        raw: true\n"
            "    sinks:\n      - plugin: elasticsearch\n        url: http://127.0.0.1:" +
            std::to_string(es_port) + "\n        agg_index: " + prefix +
            "_agg\n        raw_index: " + prefix + "_raw\n        err_index: " + prefix + "_err\n" +
            (sink_extra.find("linger") == std::string::npos ? "        linger: 50ms\n" : "") +
            sink_extra;
        if (file_sink) {
            yaml += "      - plugin: file\n        dir: " + (dir / "out").string() + "\n";
        }
        write_file(config, yaml);
    }
    int once(std::string* log = nullptr) const { return spotd_once(config, log); }
};

// A node of its own for a test that stops and starts it (search.sh), stopped at the end.
struct ScratchNode {
    TempDir work;
    std::string product;
    std::string dir = (work / "node").string();
    unsigned short port = 0;
    explicit ScratchNode(std::string p) : product(std::move(p)) {
        start();
        port = node_port(work / "node");
    }
    ~ScratchNode() { run({"/bin/bash", kScript, "stop", dir}); }
    ScratchNode(const ScratchNode&) = delete;
    ScratchNode& operator=(const ScratchNode&) = delete;
    void start() const {
        REQUIRE(run({"/bin/bash", kScript, "start", product, dir}, nullptr, nullptr,
                    std::chrono::minutes(4)) == 0);
    }
    void stop() const { REQUIRE(run({"/bin/bash", kScript, "stop", dir}) == 0); }
    static constexpr const char* kScript = SPOT_SOURCE_DIR "/tests/integration/search.sh";
};

std::size_t server_attempts() {
    std::size_t n = 0;
    const auto apps = shs_get(shs_port(), "applications?status=completed");
    for (const auto& a : apps.as_array()) {
        n += a.at("attempts").as_array().size();
    }
    return n;
}

}  // namespace

TEST_CASE("elasticsearch: documents read back equal what was written, and passes are idempotent") {
    const std::size_t attempts = server_attempts();
    for (const std::string& product : products()) {
        INFO(product);
        const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / product);
        Spotd s;
        s.write(port, "t1", "", true);
        std::string log;
        const int code = s.once(&log);
        INFO(log);
        REQUIRE(code == 0);
        CHECK(log.find("connected to " + family(product) + " " + version_of(product)) !=
              std::string::npos);
        // What the file sink wrote is what the node holds, document for document.
        for (const std::string stream : {"agg", "raw"}) {
            const auto stored = all_docs(port, "t1_" + stream);
            std::size_t lines = 0;
            for (const auto& line : read_lines(s.dir / "out" / (stream + ".jsonl"))) {
                if (line.empty()) {
                    continue;
                }
                ++lines;
                const auto v = json::parse(line);
                const std::string id(v.at("_id").as_string());
                INFO(stream << " " << id);
                REQUIRE(stored.contains(id));
                CHECK(stored.at(id) == v.at("_source").as_object());
            }
            CHECK(stored.size() == lines);
        }
        CHECK(count(port, "t1_agg") == static_cast<std::int64_t>(attempts));
        CHECK(count(port, "t1_err") == 0);  // every fixture run can be stored

        // A second pass, and a pass from an empty state, store nothing more.
        REQUIRE(s.once() == 0);
        fs::remove_all(s.dir / "state");
        std::string again;
        REQUIRE(s.once(&again) == 0);
        CHECK(again.find("the sinks already hold") != std::string::npos);
        CHECK(count(port, "t1_agg") == static_cast<std::int64_t>(attempts));
        CHECK(count(port, "t1_raw") == static_cast<std::int64_t>(all_docs(port, "t1_raw").size()));
        CHECK(count(port, "t1_err") == 0);
        std::cout << product << ": " << attempts << " agg documents read back equal\n";
    }
}

TEST_CASE("elasticsearch: an index with a tiny field limit is raised and nothing is lost") {
    const std::size_t attempts = server_attempts();
    for (const std::string& product : products()) {
        INFO(product);
        const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / product);
        REQUIRE(node(port, "PUT", "/t2_agg",
                     R"({"settings": {"index.mapping.total_fields.limit": 100}})")
                    .status == 200);
        Spotd s;
        s.write(port, "t2");
        std::string log;
        const int code = s.once(&log);
        INFO(log);
        REQUIRE(code == 0);
        CHECK(log.find("raised index.mapping.total_fields.limit of 't2_agg'") != std::string::npos);
        CHECK(count(port, "t2_agg") == static_cast<std::int64_t>(attempts));
        CHECK(count(port, "t2_err") == 0);
    }
}

TEST_CASE("elasticsearch: a stream the sink has no index for is named in the log, once") {
    const std::size_t attempts = server_attempts();
    const std::string product = products().front();
    INFO(product);
    const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / product);
    Spotd s;
    s.write(port, "t9");
    // spot-aggregate still writes raw documents, but this sink has no raw_index.
    auto yaml = read_file(s.config);
    const auto raw = yaml.find("        raw_index: t9_raw\n");
    REQUIRE(raw != std::string::npos);
    yaml.erase(raw, std::string("        raw_index: t9_raw\n").size());
    write_file(s.config, yaml);
    std::string log;
    REQUIRE(s.once(&log) == 0);
    INFO(log);
    const std::string warning = "documents of stream 'raw' are not stored here";
    const auto first = log.find(warning);
    CHECK(first != std::string::npos);
    CHECK(log.find(warning, first + 1) == std::string::npos);
    CHECK(count(port, "t9_agg") == static_cast<std::int64_t>(attempts));
    CHECK(node(port, "GET", "/t9_raw").status == 404);
}

TEST_CASE("elasticsearch: a mapping conflict becomes an err document naming the run") {
    const std::size_t attempts = server_attempts();
    for (const std::string& product : products()) {
        INFO(product);
        const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / product);
        // `name` is a string in every agg document: a long mapping refuses them all.
        REQUIRE(node(port, "PUT", "/t3_agg",
                     R"({"mappings": {"properties": {"name": {"type": "long"}}}})")
                    .status == 200);
        Spotd s;
        s.write(port, "t3");
        std::string log;
        const int code = s.once(&log);
        INFO(log);
        REQUIRE(code == 0);
        CHECK(count(port, "t3_agg") == 0);
        const auto errs = all_docs(port, "t3_err");
        CHECK(errs.size() == attempts);
        std::set<std::string> apps;
        for (const auto& [id, e] : errs) {
            const auto& spot = e.at("spot").as_object();
            CHECK(spot.at("error").at("stage").as_string() == "sink:elasticsearch");
            CHECK(spot.at("error").at("type").as_string() == "BulkItemError");
            CHECK(spot.at("index").as_string() == "t3_agg");
            CHECK(std::string(spot.at("error").at("message").as_string()).find("name") !=
                  std::string::npos);
            apps.insert(std::string(spot.at("spark_app_id").as_string()));
        }
        CHECK(apps.size() >= 20);  // each err document names its run
        CHECK_FALSE(apps.contains("n/a"));
        // A second pass does not duplicate them: their ids come from their content.
        REQUIRE(s.once() == 0);
        CHECK(count(port, "t3_err") == static_cast<std::int64_t>(attempts));
    }
}

TEST_CASE("elasticsearch: a node that is down gets everything from the spool once it is back") {
    const std::size_t attempts = server_attempts();
    for (const std::string& product : products()) {
        INFO(product);
        ScratchNode node(product);
        const auto port = node.port;
        node.stop();

        Spotd s;
        s.write(port, "t4", "        http_attempts: 2\n        http_backoff: 10ms\n");
        std::string log;
        const int code = s.once(&log);
        INFO(log);
        REQUIRE(code == 0);  // durably in the spool: acknowledged
        const auto spool = s.dir / "state" / "spool" / "p.elasticsearch" / "spool.dat";
        REQUIRE(fs::exists(spool));
        CHECK(fs::file_size(spool) > 0);

        node.start();
        std::string replay;
        REQUIRE(s.once(&replay) == 0);
        INFO(replay);
        CHECK(replay.find("spool replayed") != std::string::npos);
        CHECK(fs::file_size(spool) == 0);
        CHECK(count(port, "t4_agg") == static_cast<std::int64_t>(attempts));
        CHECK(count(port, "t4_err") == 0);
    }
}

TEST_CASE("elasticsearch: kill -9 of spotd five times mid-crawl, then a restart: exact counts") {
    const std::size_t attempts = server_attempts();
    const auto apps = shs_get(shs_port(), "applications?status=completed").as_array().size();
    std::mt19937 rng(20261126);
    for (const std::string& product : products()) {
        INFO(product);
        const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / product);
        Spotd s;
        // One document per bulk request, so a kill lands between or inside bulk writes.
        s.write(port, "t5", "        batch_documents: 1\n        linger: 0s\n");
        std::uniform_int_distribution<int> delay_ms(150, 1500);
        for (int trial = 0; trial < 5; ++trial) {
            Process p({SPOTD, "--once", "--config", s.config.string()}, s.dir.path());
            std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
            p.signal(SIGKILL);
            p.wait(std::chrono::seconds(10));
        }
        std::string log;
        const int code = s.once(&log);
        INFO(log);
        REQUIRE(code == 0);
        CHECK(count(port, "t5_agg") == static_cast<std::int64_t>(attempts));
        CHECK(count(port, "t5_raw") == static_cast<std::int64_t>(apps));
        CHECK(count(port, "t5_err") == 0);
        const auto spool = s.dir / "state" / "spool" / "p.elasticsearch" / "spool.dat";
        CHECK((!fs::exists(spool) || fs::file_size(spool) == 0));
    }
}

TEST_CASE("elasticsearch: end to end, the dashboards' fields are in the documents read back") {
    // History Server -> history -> classify -> spot-aggregate -> the node. The raw index is
    // created with a conflicting mapping, so the err index holds real err documents too.
    const auto dashboards = load_dashboards();
    const std::size_t attempts = server_attempts();
    for (const std::string& product : products()) {
        INFO(product);
        const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / product);
        REQUIRE(node(port, "PUT", "/t6_raw",
                     R"({"mappings": {"properties": {"name": {"type": "long"}}}})")
                    .status == 200);
        Spotd s;
        s.write(port, "t6");
        std::string log;
        const int code = s.once(&log);
        INFO(log);
        REQUIRE(code == 0);
        std::vector<json::value> agg;
        for (auto& [id, d] : all_docs(port, "t6_agg")) {
            agg.emplace_back(std::move(d));
        }
        CHECK(agg.size() == attempts);  // one agg document per attempt of every application
        const auto errs = all_docs(port, "t6_err");
        REQUIRE_FALSE(errs.empty());
        for (const auto& [id, e] : errs) {
            CHECK(e.at("spot").at("index").as_string() == "t6_raw");  // only the raw conflict
        }
        const auto c = dashboard_coverage(dashboards, agg, errs.begin()->second);
        for (const auto& m : c.missing) {
            UNSCOPED_INFO("missing in documents read back: " << m);
        }
        std::cout << product << ": dashboard field coverage on documents read back " << c.found
                  << "/" << c.total << "\n";
        CHECK(c.total >= 40);
        CHECK(c.found == c.total);
    }
}

// The leaf types a node gave the fields matching `pattern` in `index` (GET _mapping/field).
TEST_CASE(
    "elasticsearch: every field is typed by the index template, and every field of "
    "Spot's own dashboards is in the documents with the type they expect") {
    const auto dashboards = load_dashboards(spot_dashboards());
    REQUIRE(dashboards.fields.contains("spot_agg_*"));
    const std::size_t attempts = server_attempts();
    for (const std::string& product : products()) {
        INFO(product);
        const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / product);
        Spotd s;
        s.write(port, "t12");
        std::string yaml = read_file(s.config);
        const std::string agg = "      - plugin: spot-aggregate\n        raw: true\n";
        yaml.replace(yaml.find(agg), agg.size(),
                     agg +
                         "      - plugin: analyze\n        gates: false\n");  // short fixture runs
        write_file(s.config, yaml);
        std::string log;
        const int code = s.once(&log);
        INFO(log);
        REQUIRE(code == 0);
        std::vector<json::value> docs;
        std::size_t with_findings = 0;
        for (auto& [id, d] : all_docs(port, "t12_agg")) {
            with_findings +=
                d.at("attempt").at("analysis").at("findings_count").to_number<std::int64_t>() > 0;
            docs.emplace_back(std::move(d));
        }
        CHECK(docs.size() == attempts);
        CHECK(with_findings > 0);
        CHECK(count(port, "t12_err") == 0);  // no mapping refused a finding
        const auto c = dashboard_coverage(dashboards, docs, json::object{});
        for (const auto& m : c.missing) {
            UNSCOPED_INFO("missing in documents read back: " << m);
        }
        std::cout << product << ": Spot dashboard field coverage " << c.found << "/" << c.total
                  << "\n";
        CHECK(c.total >= 10);
        CHECK(c.found == c.total);
        // The type each dashboard field expects is the one the index has (explicit, not guessed).
        const auto& expected = dashboards.es_types.at("spot_agg_*");
        for (const auto& f : dashboards.fields.at("spot_agg_*")) {
            INFO(f);
            auto want = expected.find(f);
            REQUIRE(want != expected.end());
            const auto got = mapped_types(port, "t12_agg", f);
            REQUIRE(got.contains(f));
            CHECK(got.at(f) == want->second);
        }
        // Findings' figures: numbers double, words keyword, whatever the first value looked like.
        const auto figures = mapped_types(port, "t12_agg", "attempt.analysis.findings.figures.*");
        CHECK(figures.size() >= 5);
        for (const auto& [name, type] : figures) {
            INFO(name);
            CHECK((type == "double" || type == "keyword"));
        }
        // Every field of every document typed by the template (mappings/*.json, families.json),
        // none by the catch-all rules a field nobody foresaw would fall to.
        for (const std::string index : {"t12_agg", "t12_raw"}) {
            INFO(index);
            const auto c = template_coverage(port, index);
            std::cout << product << ": " << index << ": " << c.explicit_fields
                      << " fields typed by name, " << c.family_fields << " by path template, "
                      << c.untyped.size() << " untyped\n";
            CHECK(c.explicit_fields >= 100);
            CHECK(c.untyped == std::vector<std::string>{});
        }
    }
}

TEST_CASE(
    "elasticsearch: the node stopped mid-crawl and started again: every document once, spool "
    "empty") {
    const std::size_t attempts = server_attempts();
    for (const std::string& product : products()) {
        INFO(product);
        ScratchNode node(product);
        const auto port = node.port;

        // A slow crawl (one run and one document at a time) in daemon mode.
        Spotd s;
        s.write(port, "t7",
                "        batch_documents: 1\n        bulk_concurrency: 1\n        http_attempts: "
                "2\n"
                "        http_backoff: 10ms\n");
        std::string yaml = read_file(s.config);
        yaml.replace(yaml.find("  p:\n"), 5, "  p:\n    concurrency: 1\n    poll_interval: 1s\n");
        write_file(s.config, yaml);
        Process daemon({SPOTD, "--config", s.config.string()}, s.dir.path());
        REQUIRE(eventually([&] { return count(port, "t7_agg") >= 3; }, std::chrono::seconds(60)));
        node.stop();  // mid-crawl
        const auto spool = s.dir / "state" / "spool" / "p.elasticsearch" / "spool.dat";
        CHECK(eventually([&] { return fs::exists(spool) && fs::file_size(spool) > 0; },
                         std::chrono::seconds(60)));
        std::this_thread::sleep_for(std::chrono::seconds(3));
        node.start();
        const bool complete =
            eventually([&] { return count(port, "t7_agg") == static_cast<std::int64_t>(attempts); },
                       std::chrono::seconds(180));
        CHECK(eventually([&] { return fs::file_size(spool) == 0; }, std::chrono::seconds(60)));
        daemon.signal(SIGTERM);
        const auto code = daemon.wait(std::chrono::seconds(60));
        const std::string log = daemon.out() + daemon.err();
        INFO(log);
        CHECK(complete);
        CHECK(code == 0);
        CHECK(count(port, "t7_agg") == static_cast<std::int64_t>(attempts));  // exactly once each
        CHECK(count(port, "t7_err") == 0);
        CHECK(log.find("spool replayed") != std::string::npos);
    }
}

TEST_CASE(
    "elasticsearch: a cluster whose answers are malformed: documents spooled, err documents, "
    "nothing hangs") {
    // The fault proxy in front of the real node breaks product detection (GET / of the wrong
    // shape on OpenSearch, the nodes API as garbage on Elasticsearch, whose GET / answers 405),
    // or answers the template installs with 500 and then garbage. spotd must spool every
    // document, write err documents naming the fault (to the file sink beside it), exit in
    // time, and hand the spool to the healthy node on the next start.
    const std::size_t attempts = server_attempts();
    struct Case {
        const char* name;
        std::string rules;
        const char* message;
    };
    for (const std::string& product : products()) {
        const std::string detection_rule =
            family(product) == "opensearch"
                ? R"({"path": "^/$", "fault": "badversion", "method": "GET"})"
                : R"({"path": "^/_nodes/_local", "fault": "garbage", "method": "GET"})";
        const Case cases[] = {
            {"detection", "[" + detection_rule + "]", "product detection"},
            {"templates",
             R"([{"path": "^/_index_template/", "fault": "html500", "method": "PUT", "times": 4},
                 {"path": "^/_index_template/", "fault": "garbage", "method": "PUT"}])",
             "index template not acknowledged"},
        };
        for (const auto& c : cases) {
            INFO(product << " " << c.name);
            const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / product);
            const std::string prefix = std::string("t8") + c.name[0];
            Spotd s;
            std::string log;
            {
                FaultProxy proxy(port, c.rules);
                s.write(proxy.port, prefix,
                        "        http_attempts: 2\n        http_backoff: 10ms\n", true);
                const auto t0 = std::chrono::steady_clock::now();
                const int code = s.once(&log);
                INFO(log);
                REQUIRE(code == 0);  // spooled durably: acknowledged
                CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(90));
                CHECK_FALSE(proxy.injected().empty());
            }
            const auto spool = s.dir / "state" / "spool" / "p.elasticsearch" / "spool.dat";
            REQUIRE(fs::exists(spool));
            CHECK(fs::file_size(spool) > 0);
            // The err documents in the file sink name the sink and the fault.
            std::size_t sink_errs = 0;
            for (const auto& line : read_lines(s.dir / "out" / "err.jsonl")) {
                const auto e = json::parse(line).at("_source").at("spot");
                if (e.at("error").at("stage").as_string() == "sink:elasticsearch") {
                    ++sink_errs;
                    CHECK(std::string(e.at("error").at("message").as_string()).find(c.message) !=
                          std::string::npos);
                }
            }
            CHECK(sink_errs >= 1);
            CHECK(sink_errs <= 3);  // once per distinct reason, not once per batch
            // The node itself, unbroken: the spool is replayed and every run is there once.
            s.write(port, prefix, "", true);
            std::string replay;
            REQUIRE(s.once(&replay) == 0);
            INFO(replay);
            CHECK(fs::file_size(spool) == 0);
            CHECK(count(port, prefix + "_agg") == static_cast<std::int64_t>(attempts));
        }
    }
}

TEST_CASE("elasticsearch: two sinks on one spool: the second is refused, naming the owner") {
    // Two pipelines in one daemon whose sinks name the same spool_dir: the lock refuses the
    // second at start, with a clear error, instead of two replays of one file. Daemon mode, so
    // that the first pipeline holds its spool while the second starts.
    const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / "opensearch");
    TempDir dir;
    const auto spool = dir / "shared-spool";
    std::string yaml =
        "state_dir: " + (dir / "state").string() + "\nadmin_listen: \"\"\npipelines:\n";
    for (const char* p : {"a", "b"}) {
        yaml += std::string("  ") + p +
                ":\n    poll_interval: 1h\n    source:\n      plugin: eventlog\n"
                "      dir: " +
                (dir / "empty").string() +
                "\n    sinks:\n      - plugin: elasticsearch\n        url: http://127.0.0.1:" +
                std::to_string(port) +
                "\n        agg_index: t9_agg\n        spool_dir: " + spool.string() + "\n";
    }
    fs::create_directories(dir / "empty");
    write_file(dir / "spot.yaml", yaml);
    std::string out, err;
    const int code = run({SPOTD, "--config", (dir / "spot.yaml").string()}, &out, &err,
                         std::chrono::seconds(60));
    const std::string log = out + err;
    INFO(log);
    CHECK(code == 1);  // refused, and spotd stops instead of running half its config
    CHECK(log.find("spool is in use by another sink instance (pid ") != std::string::npos);
    CHECK(log.find("spool.lock") != std::string::npos);
}

TEST_CASE(
    "elasticsearch: SIGHUP while the spool waits for a node that is down: every document once") {
    // The reloaded sink must not open the spool the old one still replays: the old pipeline's
    // sink stops (its replay joined, the spool unlocked) before the new one starts and locks it.
    const std::size_t attempts = server_attempts();
    ScratchNode node("opensearch");
    const auto port = node.port;
    node.stop();

    Spotd s;
    s.write(port, "t10", "        http_attempts: 2\n        http_backoff: 10ms\n", true);
    {
        auto yaml = read_file(s.config);
        yaml.replace(yaml.find("admin_listen"), 0, "log_format: text\n");
        yaml.replace(yaml.find("    source:"), 0, "    poll_interval: 1s\n");
        write_file(s.config, yaml);
    }
    Process spotd({SPOTD, "--config", s.config.string()}, s.dir.path());
    const auto spool = s.dir / "state" / "spool" / "p.elasticsearch" / "spool.dat";
    REQUIRE(eventually([&] { return fs::exists(spool) && fs::file_size(spool) > 0; },
                       std::chrono::seconds(120)));
    spotd.signal(SIGHUP);
    REQUIRE(eventually(
        [&] {
            return spotd.out().find("reloaded config generation=2") != std::string::npos ||
                   spotd.err().find("reloaded config generation=2") != std::string::npos;
        },
        std::chrono::seconds(60)));
    node.start();
    const bool drained =
        eventually([&] { return fs::file_size(spool) == 0; }, std::chrono::seconds(120));
    spotd.signal(SIGTERM);
    CHECK(spotd.wait(std::chrono::seconds(60)) == 0);
    const std::string log = spotd.out() + spotd.err();
    INFO(log);
    CHECK(drained);
    CHECK(log.find("spool is in use") == std::string::npos);
    CHECK(count(port, "t10_agg") == static_cast<std::int64_t>(attempts));
    // The file sink saw each run once: nothing was processed twice across the reload.
    std::map<std::string, int> seen;
    for (const auto& line : read_lines(s.dir / "out" / "agg.jsonl")) {
        ++seen[std::string(json::parse(line).at("_id").as_string())];
    }
    CHECK(seen.size() == attempts);
    for (const auto& [id, n] : seen) {
        INFO(id);
        CHECK(n == 1);
    }
}

TEST_CASE(
    "elasticsearch: two pipelines into one index, one of them failing, each with its own state") {
    // One daemon crawls the real History Server and a second "cluster" whose server is gone
    // (a closed port): the healthy pipeline lands every run, the failing one writes err
    // documents into the same err index and does not stop the other.
    const std::size_t attempts = server_attempts();
    const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / "opensearch");
    TempDir dir;
    const auto sink =
        "    aggregators:\n      - plugin: spot-aggregate\n"
        "    sinks:\n      - plugin: elasticsearch\n        url: http://127.0.0.1:" +
        std::to_string(port) +
        "\n        agg_index: t11_agg\n        err_index: t11_err\n"
        "        linger: 50ms\n";
    const auto source = [](unsigned short p) {
        return "    source:\n      plugin: history\n      url: http://127.0.0.1:" +
               std::to_string(p) +
               "\n      lookback: 36500d\n      time_step: 36500d\n      completion_timeout: 0s\n"
               "      http_attempts: 2\n      http_backoff: 10ms\n      retry_sleep: 10ms\n"
               "      retry_attempts: 2\n";
    };
    const auto closed = static_cast<unsigned short>(free_port());
    write_file(dir / "spot.yaml", "state_dir: " + (dir / "state").string() +
                                      "\nadmin_listen: \"\"\npipelines:\n  healthy:\n" +
                                      source(shs_port()) + sink + "  gone:\n" + source(closed) +
                                      sink);
    std::string log;
    const int code = spotd_once(dir / "spot.yaml", &log);
    INFO(log);
    CHECK(code == 0);
    CHECK(count(port, "t11_agg") == static_cast<std::int64_t>(attempts));
    std::size_t listing_errors = 0;
    for (const auto& [id, e] : all_docs(port, "t11_err")) {
        listing_errors += e.at("spot").at("error").at("stage") == "listing" ? 1 : 0;
    }
    CHECK(listing_errors == 1);
    CHECK(fs::exists(dir / "state" / "healthy.state.json"));
    CHECK(read_file(dir / "state" / "healthy.state.json").find("application_") !=
          std::string::npos);
}

TEST_CASE(
    "elasticsearch: a regression advisor with no state learns every run the OpenSearch agg "
    "index holds, once") {
    const auto port = node_port(fs::path(SPOT_SEARCH_DIR) / "opensearch");
    const fs::path corpus =
        fs::path(SPOT_SOURCE_DIR) / "tests" / "fixtures" / "recurring-corpus" / "events";
    TempDir dir;
    // The cluster as it was: the corpus' runs crawled into an agg index, no advisor anywhere.
    const auto crawl = dir / "crawl.yaml";
    write_file(crawl,
               "state_dir: " + (dir / "crawl-state").string() + "\nadmin_listen: \"\"\n" +
                   "pipelines:\n  corpus:\n    source: {plugin: eventlog, dir: " + corpus.string() +
                   "}\n    aggregators: [{plugin: spot-aggregate}]\n"
                   "    sinks:\n      - {plugin: elasticsearch, url: http://127.0.0.1:" +
                   std::to_string(port) +
                   ", agg_index: seed_agg, err_index: seed_err, linger: 50ms}\n");
    std::string log;
    REQUIRE(spotd_once(crawl, &log) == 0);
    REQUIRE(count(port, "seed_agg") == 90);

    // A new deployment (or a lost state_dir): an advisor seeded from that index on its first start.
    const auto fresh = dir / "fresh.yaml";
    fs::create_directories(dir / "no-logs");
    write_file(fresh, "state_dir: " + (dir / "fresh-state").string() + "\nadmin_listen: \"\"\n" +
                          "pipelines:\n  corpus:\n    source: {plugin: eventlog, dir: " +
                          (dir / "no-logs").string() +
                          "}\n    sinks: [{plugin: file, dir: " + (dir / "out").string() +
                          "}]\n    advisors:\n      - {plugin: regression, "
                          "seed_url: http://127.0.0.1:" +
                          std::to_string(port) + ", seed_index: seed_agg}\n");
    log.clear();
    REQUIRE(spotd_once(fresh, &log) == 0);
    INFO(log);
    CHECK(log.find("observations seeded from index 'seed_agg' documents=90 runs=90") !=
          std::string::npos);
    auto jobs_now = [&] {
        std::string out;
        REQUIRE(run({SPOTD, "advise", "--config", fresh.string(), "--format", "json"}, &out) == 0);
        return json::parse(out).as_array();
    };
    const auto jobs = jobs_now();
    REQUIRE(jobs.size() == 3);
    for (const auto& j : jobs) {
        CHECK(j.at("runs").to_number<int>() == 30);
        CHECK(j.at("model").as_string() == "job");
    }
    // Started again, it has a state: nothing is read twice.
    log.clear();
    REQUIRE(spotd_once(fresh, &log) == 0);
    CHECK(log.find("seeded from index") == std::string::npos);
    for (const auto& j : jobs_now()) {
        CHECK(j.at("runs").to_number<int>() == 30);
    }
    // An index that does not exist: the advisor starts empty, the daemon runs.
    const auto missing = dir / "missing.yaml";
    std::string yaml = read_file(fresh);
    yaml.replace(yaml.find("seed_index: seed_agg"), 20, "seed_index: no_such_");
    yaml.replace(yaml.find("fresh-state"), 11, "other-state");
    write_file(missing, yaml);
    log.clear();
    CHECK(spotd_once(missing, &log) == 0);
    CHECK(log.find("documents=0 runs=0") != std::string::npos);
}
