// `spotd report` over the committed recurring-job corpus (real Spark runs), opened in real
// headless Chromium (Debian's package): every chart rendered, the page logged no error, and the
// figures the page shows are the advisor's.
#include "support/process.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <regex>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const fs::path kCorpus =
    fs::path(SPOT_SOURCE_DIR) / "tests" / "fixtures" / "recurring-corpus" / "events";
constexpr const char* kChromium = "/usr/bin/chromium";

// The DOM of `page` after its scripts ran (at most 30 s of page time), and what Chromium logged.
std::string rendered_dom(const fs::path& page, const TempDir& dir, std::string* log) {
    std::string dom;
    // The flags a closed network needs: no background fetches, no first-run, a fresh profile.
    const int code = run({kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                          "--disable-quic", "--no-first-run", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--enable-logging=stderr",
                          "--v=0", "--user-data-dir=" + (dir / "profile").string(),
                          "--virtual-time-budget=30000", "--dump-dom", "file://" + page.string()},
                         &dom, log, std::chrono::minutes(2));
    REQUIRE(code == 0);
    return dom;
}

std::string attribute(const std::string& dom, const std::string& name) {
    std::smatch m;
    if (std::regex_search(dom, m, std::regex(name + "=\"([^\"]*)\""))) {
        return m[1];
    }
    return "";
}

// The markup of the element with `id` up to the next chart's, for counting what it drew.
std::string section(const std::string& dom, const std::string& id, const std::string& next) {
    const auto from = dom.find("id=\"" + id + "\"");
    const auto to = next.empty() ? dom.size() : dom.find("id=\"" + next + "\"");
    REQUIRE(from != std::string::npos);
    REQUIRE(to != std::string::npos);
    return dom.substr(from, to - from);
}

std::size_t count(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("spotd report: a job's page renders every chart in headless Chromium with no error",
          "[daemon][regression][report]") {
    if (!fs::exists(kChromium)) {
        FAIL("headless Chromium is needed: deploy/install-deps.sh installs Debian's chromium");
    }
    TempDir dir;
    const auto config = dir / "spot.yaml";
    write_file(config, "state_dir: " + (dir / "state").string() + "\nadmin_listen: \"\"\n" +
                           "pipelines:\n  corpus:\n    source: {plugin: eventlog, dir: " +
                           kCorpus.string() +
                           "}\n    aggregators: [{plugin: spot-aggregate}, {plugin: analyze}]\n"
                           "    sinks: [{plugin: file, dir: " +
                           (dir / "out").string() +
                           "}]\n"
                           "    advisors: [{plugin: regression}]\n");
    REQUIRE(run({SPOTD, "--once", "--config", config.string()}, nullptr, nullptr,
                std::chrono::minutes(3)) == 0);

    std::string html, err;
    REQUIRE(run({SPOTD, "report", "--config", config.string(), "--job", "recurring-orders-etl"},
                &html, &err, std::chrono::minutes(1)) == 0);
    INFO(err);
    CHECK(html.starts_with("<!DOCTYPE html>"));
    CHECK(html.find("/*SPOT_") == std::string::npos);              // every marker replaced
    CHECK(html.find("t.version=\"6.4.0\"") != std::string::npos);  // Vega inlined: no network
    CHECK(html.find("<script src=") == std::string::npos);
    const auto page = dir / "job.html";
    write_file(page, html);

    std::string log;
    const auto dom = rendered_dom(page, dir, &log);
    INFO(log.substr(0, 4000));
    REQUIRE(attribute(dom, "data-done") == "1");
    CHECK(attribute(dom, "data-charts") == "4");  // the corpus ran the analysis: a what-if too
    CHECK(attribute(dom, "data-rendered") == "4");
    std::smatch errors;
    REQUIRE(std::regex_search(dom, errors, std::regex("<pre id=\"errors\">([^<]*)</pre>")));
    CHECK(errors[1].str().empty());
    CHECK(log.find(":ERROR:CONSOLE") == std::string::npos);
    CHECK(log.find("Uncaught") == std::string::npos);

    // Each chart is an SVG with its marks: the job's 30 runs as points on both input charts.
    const auto duration = section(dom, "duration", "core-hours");
    const auto core_hours = section(dom, "core-hours", "configurations");
    const auto configurations = section(dom, "configurations", "whatif");
    const auto whatif = section(dom, "whatif", "errors");
    for (const auto* chart : {&duration, &core_hours, &configurations, &whatif}) {
        CHECK(count(*chart, "<svg") == 1);
    }
    CHECK(count(duration, "mark-symbol role-mark") >= 1);
    CHECK(count(duration, "aria-roledescription=\"point\"") == 30);
    CHECK(count(core_hours, "aria-roledescription=\"point\"") == 30);
    // The fitted 90% bands are drawn: an area path with coordinates (a field the page asks for
    // and the data lacks leaves the group empty, or its path without a shape).
    for (const auto* chart : {&duration, &core_hours}) {
        std::smatch band;
        const auto area = chart->find("mark-area");
        REQUIRE(area != std::string::npos);
        const std::string rest = chart->substr(area, 20000);
        REQUIRE(std::regex_search(rest, band, std::regex("<path[^>]* d=\"(M[^\"]*)\"")));
        CHECK(band[1].str().size() > 40);
        CHECK(band[1].str().find("NaN") == std::string::npos);
    }
    CHECK(count(whatif, "mark-rule role-mark") == 1);  // the run's actual executor count

    // The advice table shows the advisor's own advice.
    std::string advice;
    REQUIRE(run({SPOTD, "advise", "--config", config.string(), "--job", "recurring-orders-etl",
                 "--format", "json"},
                &advice) == 0);
    const auto a = json::parse(advice).as_object();
    for (const auto& p : a.at("advised").as_array()) {
        const std::string row = "<td>" + std::string(p.at("key").as_string()) + "</td>";
        CHECK(dom.find(row) != std::string::npos);
    }

    // A mistyped job: exit 1 and the closest names; no job at all: a usage error.
    std::string none;
    CHECK(run({SPOTD, "report", "--config", config.string(), "--job", "recurring-order-etl"},
              nullptr, &none) == 1);
    CHECK(none.find("closest known jobs: recurring-orders-etl") != std::string::npos);
    CHECK(run({SPOTD, "report", "--config", config.string()}) == 2);
}
