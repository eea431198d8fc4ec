// Every combination of the History Server REST fixtures (applications x executors x stages x
// environments, for the v4.2.0 and v3.5.9 answers) becomes documents without error, and every
// statistic in them keeps its invariants. The reference dashboards find every field they use.
#include "aggregate_support.hpp"
#include "support/fixtures.hpp"

#include <spot/documents.hpp>
#include <spot/time.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>

using namespace spot;
using namespace spot::test;
namespace json = boost::json;

namespace {

struct RestFixtures {
    std::vector<json::object> apps;
    std::vector<json::array> executors, stages;
    std::vector<json::object> environments;
};

// URLS.tsv maps each file to the endpoint it answers.
RestFixtures load_rest(const std::filesystem::path& dir, const std::filesystem::path& urls) {
    RestFixtures f;
    std::map<std::string, json::object> apps;
    std::ifstream in(urls);
    for (std::string line; std::getline(in, line);) {
        auto tab = line.find('\t');
        if (tab == std::string::npos || !std::filesystem::exists(dir / line.substr(0, tab))) {
            continue;
        }
        const auto file = dir / line.substr(0, tab);
        const std::string url = line.substr(tab + 1);
        auto v = read_json(file);
        if (url.starts_with("applications?") || url == "applications") {
            for (auto& a : v.as_array()) {
                apps[std::string(a.at("id").as_string())] = a.as_object();
            }
        } else if (url.find("/executors") != std::string::npos) {
            f.executors.push_back(v.as_array());
        } else if (url.find("/stages") != std::string::npos) {
            f.stages.push_back(v.is_array() ? v.as_array() : json::array{v});
        } else if (url.ends_with("/environment")) {
            f.environments.push_back(v.as_object());
        } else if (v.is_object() && v.as_object().contains("attempts")) {
            apps[std::string(v.at("id").as_string())] = v.as_object();
        }
    }
    for (auto& [id, a] : apps) {
        f.apps.push_back(std::move(a));
    }
    return f;
}

std::vector<Document> all_documents() {
    static std::vector<Document> docs = [] {
        std::vector<Document> out;
        const auto rest = fixtures_dir() / "spark" / "history-rest";
        for (const auto& dir : {rest, rest / "v3.5.9"}) {
            auto f = load_rest(dir, rest / "URLS.tsv");
            REQUIRE(f.apps.size() >= 15);
            REQUIRE(f.executors.size() == 3);
            REQUIRE(f.stages.size() == 5);
            REQUIRE(f.environments.size() == 2);
            for (const auto& app : f.apps) {
                for (const auto& ex : f.executors) {
                    for (const auto& st : f.stages) {
                        for (const auto& env : f.environments) {
                            json::object a = app;
                            for (auto& attempt : a.at("attempts").as_array()) {
                                auto& o = attempt.as_object();
                                o["allexecutors"] = ex;
                                o["stages"] = st;
                                o["environment"] = env;
                            }
                            for (auto& d : process(make_run(std::move(a)), true)) {
                                out.push_back(std::move(d));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }();
    return docs;
}

void check_statistics(const json::object& stats, const std::string& where) {
    const auto elements = stats.at("elements_count");
    REQUIRE(elements.is_int64());
    for (const auto& [field, v] : stats) {
        if (field == "elements_count") {
            continue;
        }
        INFO(where << "." << std::string(field));
        const auto& s = v.as_object();
        for (const auto& [name, x] : s) {
            if (x.is_double()) {
                REQUIRE(std::isfinite(x.get_double()));
            }
        }
        for (const char* count : {"nunique", "count_not_null", "count_zeroes"}) {
            if (s.contains(count)) {
                REQUIRE(s.at(count).is_int64());
            }
        }
        if (s.contains("count_not_null")) {
            REQUIRE(s.at("count_not_null").as_int64() <= elements.as_int64());
            REQUIRE(s.at("nunique").as_int64() <= s.at("count_not_null").as_int64());
        }
        if (s.contains("mean")) {
            const double lo = s.at("min").to_number<double>(), hi = s.at("max").to_number<double>();
            const double mean = s.at("mean").to_number<double>();
            const double eps = 1e-9 * std::max(1.0, std::fabs(hi));
            REQUIRE(lo <= mean + eps);
            REQUIRE(mean <= hi + eps);
            if (lo >= 0) {
                REQUIRE(s.at("sum").to_number<double>() + eps >= hi);
            }
        }
        if (s.contains("any")) {
            REQUIRE(s.at("sum").is_int64());
            REQUIRE((s.at("all").as_bool() <= s.at("any").as_bool()));
        }
        if (s.contains("min") && s.at("min").is_string()) {
            REQUIRE(parse_timestamp(s.at("min").as_string()));
            REQUIRE(s.at("min").as_string() <= s.at("max").as_string());
        }
    }
}

}  // namespace

TEST_CASE("every REST fixture combination becomes documents with sound statistics",
          "[unit][aggregate][fixtures]") {
    const auto& docs = all_documents();
    std::size_t agg = 0, raw = 0, with_summary = 0;
    for (const auto& d : docs) {
        if (d.stream == "raw") {
            ++raw;
            continue;
        }
        ++agg;
        INFO(d.id);
        const auto& aggs = d.body.at("attempt").at("aggs").as_object();
        check_statistics(aggs.at("stages").as_object(), "stages");
        check_statistics(aggs.at("allexecutors").at("executors").as_object(), "executors");
        if (aggs.contains("summary")) {
            ++with_summary;
            const auto& s = aggs.at("summary").as_object();
            CHECK(s.at("parallel_part").as_int64() <= s.at("stages_interval").as_int64());
            CHECK(s.at("parallel_part").as_int64() <= s.at("stages_sum").as_int64());
        }
        CHECK(d.id.ends_with("-" +
                             (d.body.at("attempt").as_object().contains("attemptId")
                                  ? std::string(d.body.at("attempt").at("attemptId").as_string())
                                  : std::string("0"))));
    }
    WARN("documents: " << agg << " agg (" << with_summary << " with a summary), " << raw << " raw");
    CHECK(agg > 1000);
    CHECK(with_summary > 100);
}

TEST_CASE("raw and agg documents never carry data-keyed maps or removed fields",
          "[unit][aggregate][fixtures]") {
    for (const auto& d : all_documents()) {
        const std::string text = json::serialize(d.body);
        INFO(d.stream << " " << d.id);
        for (const char* gone : {"\"hostPort\"", "\"executorLogs\"", "\"details\"",
                                 "\"systemProperties\"", "\"classpathEntries\"", "\"javaHome\"",
                                 "\"spark_driver_host\"", "\"spark_driver_port\"", "GMT\""}) {
            const auto pos = text.find(gone);
            INFO(gone << " in: "
                      << (pos == std::string::npos ? ""
                                                   : text.substr(pos < 200 ? 0 : pos - 200, 400)));
            REQUIRE(pos == std::string::npos);
        }
        REQUIRE(text.find("\"killedTasksSummary\":{") == std::string::npos);
        REQUIRE(text.find("\"attributes\":{") == std::string::npos);
        REQUIRE(text.find("\"resources\":{") == std::string::npos);
    }
}
