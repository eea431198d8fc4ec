// Event-log benchmark (DESIGN §7): parse speed of the eventlog source's reader.
//   eventlog_bench generate SRC_LOG OUT_LOG MIB   a synthetic log of at least MIB MiB: SRC_LOG's
//                                                 events with its task events repeated under
//                                                 fresh task ids, ending with its app end
//   eventlog_bench parse LOG                      read_log once; prints MB/s, CPU and peak RSS
#include "aggregators/analyze/analysis.hpp"
#include "aggregators/spot-aggregate/documents.hpp"
#include "normalize/normalizer.hpp"
#include "sources/eventlog/log_reader.hpp"

#include <spot/logging.hpp>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/resource.h>

using namespace spot::sources::eventlog;
namespace json = boost::json;

namespace {

int generate(const std::string& src, const std::string& out, long mib) {
    // The source log as it is, then, before its last line (the application end), its task
    // events again and again under fresh task ids until the file reaches the size.
    std::ifstream in(src);
    std::vector<std::string> lines, tasks;
    for (std::string line; std::getline(in, line);) {
        if (line.find("\"SparkListenerTaskStart\"") != std::string::npos ||
            line.find("\"SparkListenerTaskEnd\"") != std::string::npos) {
            tasks.push_back(line);
        }
        lines.push_back(std::move(line));
    }
    if (lines.empty() || tasks.empty()) {
        std::fprintf(stderr, "generate: %s has no task events\n", src.c_str());
        return 1;
    }
    std::ofstream o(out, std::ios::binary);
    std::size_t written = 0;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
        o << lines[i] << '\n';
        written += lines[i].size() + 1;
    }
    const std::size_t target = static_cast<std::size_t>(mib) << 20;
    for (std::int64_t round = 1; written < target; ++round) {
        for (const auto& l : tasks) {
            json::value v = json::parse(l);
            auto& info = v.as_object().at("Task Info").as_object();
            info["Task ID"] = round * 100'000'000 + info.at("Task ID").as_int64();
            const auto s = json::serialize(v);
            o << s << '\n';
            written += s.size() + 1;
        }
    }
    o << lines.back() << '\n';
    return 0;
}

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// The cost of the run analysis next to the aggregation it extends, on the same attempt:
// normalise + spot-aggregate's agg document, then analyze (facts, heuristics, what-if, JSON).
int analyze(const std::string& app_id, json::object attempt, const spot::AttemptTasks& tasks) {
    spot::logging::setup(spdlog::level::err, spot::logging::Format::Text);
    spot::Run run;
    run.app_id = app_id;
    run.history_host = "bench";
    run.app = json::object{{"id", app_id},
                           {"name", "bench"},
                           {"attempts", json::array{std::move(attempt)}}};
    const auto t0 = std::chrono::steady_clock::now();
    spot::core::Normalizer(spot::core::default_property_rules(), spot::logging::get("bench"))
        .apply(run);
    std::vector<std::string> untimed;
    auto doc = spot::aggregators::aggregate::agg_document(run, 0, {}, "now", untimed);
    const auto t1 = std::chrono::steady_clock::now();
    const auto& a = run.app.at("attempts").as_array()[0].as_object();
    auto analysis = spot::aggregators::analyze::analyze_attempt(a, &tasks, {});
    doc.body["attempt"].as_object()["analysis"] = spot::aggregators::analyze::to_json(analysis);
    const auto t2 = std::chrono::steady_clock::now();
    const double agg = std::chrono::duration<double>(t1 - t0).count();
    const double an = std::chrono::duration<double>(t2 - t1).count();
    std::printf(
        "aggregate_s=%.4f analyze_s=%.4f analyze_over_aggregate=%.3f findings=%zu "
        "whatif_error=%.4f\n",
        agg, an, an / agg, analysis.findings.size(),
        analysis.whatif ? analysis.whatif->error : -1.0);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "generate" && argc == 5) {
        return generate(argv[2], argv[3], std::stol(argv[4]));
    }
    if ((mode != "parse" && mode != "analyze") || argc != 3) {
        std::fprintf(stderr, "usage: %s generate SRC OUT MIB | parse LOG | analyze LOG\n", argv[0]);
        return 2;
    }
    const std::filesystem::path log = argv[2];
    auto store = local_directory(log.parent_path());
    LogEntry entry{log.filename().string(),
                   {log},
                   codec_of(log),
                   static_cast<std::int64_t>(std::filesystem::file_size(log)),
                   0};
    // Small logs are parsed again until half a second has passed, so the figure is not noise.
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    spot::Result<ParsedLog> parsed = spot::make_error(spot::ErrorCode::Internal, "not parsed");
    int rounds = 0;
    double wall = 0;
    do {
        parsed = read_log(*store, entry, 64 << 20);
        if (!parsed) {
            std::fprintf(stderr, "parse failed: %s\n", parsed.error().describe().c_str());
            return 1;
        }
        ++rounds;
        wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } while (wall < 0.5);
    const double cpu = (cpu_seconds() - c0) / rounds;
    wall /= rounds;
    auto attempt = parsed->run.attempt(0);
    auto tasks = parsed->run.take_tasks();
    std::size_t timings = 0;
    for (const auto& st : tasks.stages) {
        timings += st.tasks.capacity();
    }
    if (mode == "analyze") {
        return analyze(parsed->run.app_id(), std::move(attempt), tasks);
    }
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf(
        "log=%s bytes=%lld rounds=%d wall_s=%.4f cpu_s=%.4f mb_per_s=%.1f mb_per_cpu_s=%.1f "
        "peak_rss_mb=%.1f stages=%zu task_timings=%zu timings_mb=%.1f\n",
        log.filename().c_str(), static_cast<long long>(parsed->bytes), rounds, wall, cpu,
        static_cast<double>(parsed->bytes) / 1e6 / wall,
        static_cast<double>(parsed->bytes) / 1e6 / cpu, ru.ru_maxrss / 1024.0,
        attempt.at("stages").as_array().size(), timings,
        static_cast<double>(timings * sizeof(spot::TaskTiming)) / 1e6);
    return 0;
}
