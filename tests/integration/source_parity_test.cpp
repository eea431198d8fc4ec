// The ways to a run end in the same documents: spotd with the history source over the real
// History Server, its details from the REST endpoints (`details: rest`) or from the logs it
// downloads (`details: logs`), and spotd with the eventlog source over the very logs that server
// reads must write equal agg documents, field by field, except the differences listed in kKnown
// (one line each, with the reason; the same as the eventlog parity test's).
#include "integration/shs_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <iostream>
#include <map>
#include <regex>
#include <set>

using namespace spot::test;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

struct Known {
    const char* field;  // regex over the flattened agg field name
    const char* reason;
};
const Known kKnown[] = {
    {R"(spot\.time_processed)", "when each document was made"},
    {R"(spot\.details_source)", "which path gave the details (rest, logs; none for eventlog)"},
    {R"(attempt\.aggs\.stages\.shuffle(Merged\w+|CorruptMergedBlockChunks)\.\w+)",
     "SPARK-43100: the 3.5.9 server does not read Spark 3.5's 'Push Based Shuffle' metrics and "
     "reports 0; the log is right (DESIGN §4)"},
    {R"(attempt\.aggs\.(stages\.peakExecutorMetrics|allexecutors\.driver\.peakMemoryMetrics|allexecutors\.executors\.peakMemoryMetrics)\.ConcurrentGC(Count|Time)(\.\w+)?)",
     "metrics of a newer Spark (4.x logs) that the 3.5.9 server does not know; the log has them"},
};

void flatten(const json::value& v,
             const std::string& prefix,
             std::map<std::string, json::value>& out) {
    if (v.is_object()) {
        for (const auto& [k, x] : v.get_object()) {
            flatten(x, prefix.empty() ? std::string(k) : prefix + "." + std::string(k), out);
        }
    } else {
        out[prefix] = v;
    }
}

bool same(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) {
        const double x = a.to_number<double>(), y = b.to_number<double>();
        return x == y || std::abs(x - y) <= 1e-9 * std::max(std::abs(x), std::abs(y));
    }
    return a == b;
}

std::map<std::string, json::object> agg_docs(const fs::path& file) {
    std::map<std::string, json::object> docs;
    for (const auto& line : read_lines(file)) {
        if (!line.empty()) {
            auto v = json::parse(line);
            docs[std::string(v.at("_id").as_string())] = v.at("_source").as_object();
        }
    }
    return docs;
}

std::map<std::string, json::object> crawl(const TempDir& dir,
                                          const std::string& name,
                                          const std::string& source) {
    const auto config = dir / (name + ".yaml");
    write_file(config, "state_dir: " + (dir / (name + "-state")).string() +
                           "\nadmin_listen: \"\"\npipelines:\n  p:\n    source:\n" + source +
                           "    aggregators:\n      - plugin: spot-aggregate\n"
                           "    sinks:\n      - plugin: file\n        dir: " +
                           (dir / name).string() + "\n");
    std::string log;
    const int code = spotd_once(config, &log);
    INFO(log);
    REQUIRE(code == 0);
    return agg_docs(dir / name / "agg.jsonl");
}

struct Compared {
    std::size_t documents = 0, fields = 0, differing = 0, known = 0;
};

// Compares the agg documents of `b` with those of `a` (the REST path), field by field.
Compared compare(const std::string& what,
                 const std::map<std::string, json::object>& a_docs,
                 const std::map<std::string, json::object>& b_docs) {
    Compared c;
    std::map<std::string, std::size_t> known_hits;
    for (const auto& [id, doc] : a_docs) {
        INFO(what << ": agg document " << id);
        auto it = b_docs.find(id);
        CHECK(it != b_docs.end());  // every run the server serves, the other path reads
        if (it == b_docs.end()) {
            continue;
        }
        ++c.documents;
        std::map<std::string, json::value> a, b;
        flatten(doc, "", a);
        flatten(it->second, "", b);
        std::set<std::string> fields;
        for (const auto& [k, v] : a) fields.insert(k);
        for (const auto& [k, v] : b) fields.insert(k);
        for (const auto& f : fields) {
            ++c.fields;
            const auto x = a.find(f), y = b.find(f);
            if (x != a.end() && y != b.end() && same(x->second, y->second)) {
                continue;
            }
            const Known* why = nullptr;
            for (const auto& k : kKnown) {
                if (std::regex_match(f, std::regex(k.field))) {
                    why = &k;
                }
            }
            if (why != nullptr) {
                ++c.known;
                ++known_hits[why->field];
                continue;
            }
            ++c.differing;
            UNSCOPED_INFO(what << ": " << id << " " << f << ": rest "
                               << (x == a.end() ? "absent" : json::serialize(x->second))
                               << ", other "
                               << (y == b.end() ? "absent" : json::serialize(y->second)));
        }
    }
    std::cout << what << ": " << c.documents << " agg documents, " << c.fields
              << " fields compared, " << c.differing << " differ, " << c.known
              << " known differences:\n";
    for (const auto& k : kKnown) {
        std::cout << "  " << known_hits[k.field] << " x " << k.field << " (" << k.reason << ")\n";
    }
    return c;
}

std::string history_source(unsigned short port, const std::string& details) {
    return "      plugin: history\n      url: http://127.0.0.1:" + std::to_string(port) +
           "\n      lookback: 36500d\n      time_step: 36500d\n      completion_timeout: 0s\n"
           "      details: " +
           details + "\n";
}

}  // namespace

TEST_CASE(
    "the history source (REST and downloaded logs) and the eventlog source write the same "
    "agg documents for the same logs") {
    const auto port = shs_port();
    TempDir dir;
    const auto from_rest = crawl(dir, "history-rest", history_source(port, "rest"));
    const auto from_download = crawl(dir, "history-logs", history_source(port, "logs"));
    const auto from_logs = crawl(dir, "eventlog",
                                 std::string("      plugin: eventlog\n      dir: ") +
                                     SPOT_SHS_LOGS + "\n      history_host: 127.0.0.1\n");
    REQUIRE(from_rest.size() >= 25);

    for (const auto& [id, doc] : from_rest) {
        CHECK(doc.at("spot").at("details_source").as_string() == "rest");
    }
    for (const auto& [id, doc] : from_download) {
        INFO(id);
        CHECK(doc.at("spot").at("details_source").as_string() == "logs");  // no fallback here
    }
    const auto logs = compare("history details: logs vs rest", from_rest, from_download);
    CHECK(logs.differing == 0);
    CHECK(from_download.size() == from_rest.size());
    const auto eventlog = compare("eventlog source vs history rest", from_rest, from_logs);
    CHECK(eventlog.differing == 0);
    CHECK(from_logs.size() == from_rest.size());
}
