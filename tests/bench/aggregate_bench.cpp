// Aggregation benchmark (DESIGN §7): a synthetic run of 5,000 executors and 20,000 stages in the
// REST shape, element shapes copied from the fixtures (tests/fixtures/spark). Modes, each in its
// own process so peak memory is per mode:
//   aggregate_bench generate FILE           write the run
//   aggregate_bench parse FILE              parse only
//   aggregate_bench aggregate FILE          parse + normalise + classify + aggregate
// Prints one line of figures; tests/bench/run.sh runs them and compares.
#include "aggregators/spot-aggregate/documents.hpp"
#include "enrichers/classify/classify.hpp"
#include "normalize/normalizer.hpp"

#include <spot/logging.hpp>
#include <spot/time.hpp>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/resource.h>

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string iso(std::int64_t ms) {
    return spot::iso_utc(spot::SysMillis(std::chrono::milliseconds(ms))).substr(0, 23) + "GMT";
}

int generate(const std::string& fixtures, const std::string& out) {
    const std::string rest = fixtures + "/spark/history-rest/";
    auto executors =
        json::parse(slurp(rest + "executor_list_with_executor_metrics_json_expectation.json"));
    auto stages = json::parse(slurp(rest + "stage_list_with_peak_metrics_expectation.json"));
    auto env = json::parse(slurp(rest + "app_environment_expectation.json"));
    auto app = json::parse(slurp(rest + "one_app_json_expectation.json")).as_object();
    const json::object exec_template = executors.as_array().at(1).as_object();
    const json::object stage_template = stages.as_array().at(0).as_object();
    std::mt19937_64 rng(42);
    const std::int64_t start = 1'700'000'000'000;
    json::array all_execs;
    for (int i = 0; i < 5000; ++i) {
        json::object e = exec_template;
        e["id"] = i == 0 ? std::string("driver") : std::to_string(i);
        e["addTime"] = iso(start + static_cast<std::int64_t>(rng() % 60'000));
        if (i % 3 == 0) {
            e["removeTime"] = iso(start + 3'000'000 + static_cast<std::int64_t>(rng() % 600'000));
        }
        e["totalCores"] = 1 + static_cast<int>(rng() % 8);
        e["totalDuration"] = static_cast<std::int64_t>(rng() % 10'000'000);
        e["totalInputBytes"] = static_cast<std::int64_t>(rng() % 10'000'000'000ULL);
        e["maxMemory"] = static_cast<std::int64_t>(1 + rng() % 8) * 1024 * 1024 * 1024;
        all_execs.push_back(std::move(e));
    }
    json::array all_stages;
    for (int i = 0; i < 20000; ++i) {
        json::object s = stage_template;
        s["stageId"] = i;
        const std::int64_t t0 = start + static_cast<std::int64_t>(rng() % 3'000'000);
        s["submissionTime"] = iso(t0);
        s["firstTaskLaunchedTime"] = iso(t0 + static_cast<std::int64_t>(rng() % 5'000));
        s["completionTime"] = iso(t0 + 5'000 + static_cast<std::int64_t>(rng() % 600'000));
        s["inputBytes"] = static_cast<std::int64_t>(rng() % 100'000'000'000ULL);
        s["outputBytes"] = static_cast<std::int64_t>(rng() % 10'000'000'000ULL);
        s["numCompleteTasks"] = static_cast<std::int64_t>(rng() % 20'000);
        s["executorCpuTime"] = static_cast<std::int64_t>(rng() % 1'000'000'000'000ULL);
        s["name"] = fmt::format("stage {} at Job.scala:{}", i, rng() % 500);
        all_stages.push_back(std::move(s));
    }
    auto& attempt = app.at("attempts").as_array().at(0).as_object();
    attempt["startTime"] = iso(start);
    attempt["endTime"] = iso(start + 3'700'000);
    attempt["duration"] = 3'700'000;
    attempt["allexecutors"] = std::move(all_execs);
    attempt["stages"] = std::move(all_stages);
    attempt["environment"] = env;
    std::ofstream(out, std::ios::binary) << json::serialize(app);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: %s generate FIXTURES_DIR FILE | parse FILE | aggregate FILE\n",
                     argv[0]);
        return 2;
    }
    const std::string mode = argv[1];
    if (mode == "generate") {
        return generate(argv[2], argv[3]);
    }
    // Parsed as a source does: streamed in 64 KiB reads, never holding the whole text, into a
    // monotonic arena that is released with the run.
    const auto t0 = Clock::now();
    std::ifstream in(argv[2], std::ios::binary);
    json::stream_parser parser(json::make_shared_resource<json::monotonic_resource>());
    std::vector<char> chunk(64 * 1024);
    std::size_t json_bytes = 0;
    while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
        parser.write(chunk.data(), static_cast<std::size_t>(in.gcount()));
        json_bytes += static_cast<std::size_t>(in.gcount());
    }
    parser.finish();
    json::value v = parser.release();
    const auto t1 = Clock::now();
    std::size_t docs = 0;
    spot::Run run;  // destroyed after the clock stops, in both modes, like `v`
    if (mode == "aggregate") {
        run.app = json::object(std::move(v.as_object()));  // keeps the arena
        run.app_id = std::string(run.app.at("id").as_string());
        run.history_host = "bench";
        spot::logging::setup(spdlog::level::err, spot::logging::Format::Text);
        spot::core::Normalizer(spot::core::default_property_rules(), spot::logging::get("bench"))
            .apply(run);
        run.app["app_specific_data"] = json::object{
            {"classification", spot::enrichers::classify::classification_of("bench app")}};
        std::vector<std::string> untimed;
        auto doc = spot::aggregators::aggregate::agg_document(run, 0, {}, "now", untimed);
        docs = doc.body.size() > 0 ? 1 : 0;
    }
    const auto t2 = Clock::now();
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf(
        "mode=%s json_bytes=%zu parse_s=%.3f work_s=%.3f total_s=%.3f peak_rss_bytes=%ld "
        "docs=%zu\n",
        mode.c_str(), json_bytes, std::chrono::duration<double>(t1 - t0).count(),
        std::chrono::duration<double>(t2 - t1).count(),
        std::chrono::duration<double>(t2 - t0).count(), ru.ru_maxrss * 1024L, docs);
    return 0;
}
