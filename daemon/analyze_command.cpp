#include "analyze_command.hpp"

#include "normalize/normalizer.hpp"

#include <aggregators/analyze/report.hpp>
#include <sources/eventlog/log_reader.hpp>
#include <spot/logging.hpp>

#include <boost/json/serialize.hpp>
#include <iostream>

namespace spot::daemon {

namespace fs = std::filesystem;
namespace ev = sources::eventlog;
namespace an = aggregators::analyze;

namespace {

// The log at `path` as the directory store sees it: a file of any codec, or a rolling
// eventlog_v2_* folder. In-progress logs are not complete runs.
Result<ev::LogEntry> entry_of(ev::LogStore& store, const fs::path& path) {
    auto listed = store.list();
    if (!listed) {
        return listed.error();
    }
    for (auto& e : *listed) {
        if (e.name == path.filename().string()) {
            return e;
        }
    }
    return make_error(ErrorCode::Parse,
                      "not a complete Spark event log (in progress, or a folder without its "
                      "appstatus_* file)");
}

Result<Run> read_run(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return make_error(ErrorCode::Io, "no such file");
    }
    const auto parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
    auto store = ev::local_directory(parent);
    auto entry = entry_of(*store, path);
    if (!entry) {
        return entry.error();
    }
    auto parsed = ev::read_log(*store, *entry, 64u << 20);
    if (!parsed) {
        return parsed.error();
    }
    auto& b = parsed->run;
    if (b.app_id().empty()) {
        return make_error(ErrorCode::Parse,
                          "no SparkListenerApplicationStart event: not a Spark "
                          "event log");
    }
    Run run;
    run.app_id = b.app_id();
    run.history_host = "n/a";
    run.app = json::object{{"id", b.app_id()},
                           {"name", b.app_name()},
                           {"attempts", json::array{b.attempt(entry->mtime_ms)}}};
    run.tasks.push_back(b.take_tasks());
    return run;
}

}  // namespace

int analyze_logs(const std::vector<std::string>& logs, const std::string& format, bool gates) {
    const core::Normalizer normalizer(core::default_property_rules(), logging::get("analyze"));
    an::Thresholds t;
    t.gates = gates;
    int code = 0;
    for (const auto& log : logs) {
        Result<Run> run;
        try {
            run = read_run(log);
        } catch (const std::exception& e) {
            run = error_from_exception(e, "");
        }
        if (!run) {
            std::cerr << "spotd analyze: " << log << ": " << run.error().describe() << "\n";
            code = 1;
            continue;
        }
        normalizer.apply(*run);
        for (const auto& v : run->app.at("attempts").as_array()) {
            const auto& attempt = v.as_object();
            const auto analysis = an::analyze_attempt(attempt, an::tasks_of(*run, attempt), t);
            if (format == "json") {
                json::object o{{"file", log},
                               {"id", run->app_id},
                               {"name", run->app.at("name")},
                               {"attemptId", attempt.contains("attemptId") ? attempt.at("attemptId")
                                                                           : json::value()},
                               {"duration", attempt.contains("duration") ? attempt.at("duration")
                                                                         : json::value()},
                               {"analysis", an::to_json(analysis)}};
                std::cout << json::serialize(o) << "\n";
            } else {
                std::cout << an::text_report(log, run->app_id,
                                             std::string(run->app.at("name").as_string()), analysis)
                          << "\n";
            }
        }
    }
    return code;
}

}  // namespace spot::daemon
