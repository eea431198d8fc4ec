#include "regression_advisor.hpp"

#include "advice_format.hpp"

#include <spot/time.hpp>

#include <boost/json.hpp>
#include <algorithm>
#include <fstream>

namespace spot::advisors::regression {

RegressionAdvisor::RegressionAdvisor(const PluginContext& ctx, AdvisorSettings s)
    : log_(ctx.log),
      pipeline_(ctx.pipeline),
      settings_(std::move(s)),
      store_(ctx.state_dir / (ctx.pipeline + "." + ctx.instance_id + ".observations.jsonl"),
             settings_.max_runs_per_job) {}

asio::awaitable<Result<void>> RegressionAdvisor::start() { co_return load(); }

Result<void> RegressionAdvisor::load() {
    std::lock_guard lock(mutex_);
    if (auto r = store_.load(); !r) {
        return r;
    }
    if (store_.skipped_lines() > 0) {
        log_->warn("observation lines skipped (cut or not observations) file='{}' lines={}",
                   store_.file().string(), store_.skipped_lines());
    }
    if (store_.size() == 0 && !settings_.seed_file.empty()) {
        // A fresh state: learn from what a sink already holds (the file sink's agg.jsonl).
        std::ifstream in(settings_.seed_file);
        std::size_t seeded = 0;
        for (std::string line; std::getline(in, line);) {
            boost::system::error_code ec;
            auto v = json::parse(line, ec);
            const auto* doc = !ec && v.is_object() ? &v.get_object() : nullptr;
            if (doc != nullptr && doc->contains("_source") && doc->at("_source").is_object()) {
                doc = &doc->at("_source").get_object();  // the file sink's line shape
            }
            if (doc == nullptr) {
                continue;
            }
            if (auto o = observation_of(*doc, settings_.key)) {
                store_.add(*o);
                if (auto a = store_.append(*o); !a) {
                    return a;
                }
                ++seeded;
            }
        }
        log_->info("observations seeded from '{}' runs={}", settings_.seed_file.string(), seeded);
    }
    log_->info("observations loaded jobs={} runs={}", store_.jobs().size(), store_.size());
    return {};
}

Result<std::vector<Document>> RegressionAdvisor::observe(const std::vector<Document>& acknowledged) {
    std::lock_guard lock(mutex_);
    std::vector<Document> out;
    for (const auto& d : acknowledged) {
        if (d.stream != "agg") {
            continue;
        }
        auto o = observation_of(d.body, settings_.key);
        if (!o) {
            log_->debug("not observed id='{}' error={}", d.id, o.error().describe());
            continue;
        }
        store_.add(*o);
        if (auto a = store_.append(*o); !a) {
            return a.error();
        }
        if (!settings_.write_advice) {
            continue;
        }
        AdviceRequest request = settings_.defaults;
        request.job = o->job;
        auto advice = advice_for(o->job, request);
        if (!advice) {
            continue;  // too few runs anywhere: nothing to advise yet
        }
        json::object body = to_json(*advice);
        body["based_on_run"] = o->app_id;
        body["spot"] = json::object{{"time_processed", iso_utc_now()}, {"pipeline", pipeline_}};
        out.push_back(Document{"advice", o->job + "@" + o->app_id, std::move(body)});
    }
    return out;
}

Result<Advice> RegressionAdvisor::advice_for(const std::string& job, const AdviceRequest& request) const {
    // The cluster's runs only matter to a job too young for its own model: not copied otherwise.
    auto own = store_.runs_of(job);
    const auto cluster = own.size() < settings_.model.min_runs ? store_.all_runs()
                                                                : std::vector<Observation>{};
    return advise(own, cluster, request, settings_.bounds, settings_.model);
}

Result<AdviceRequest> RegressionAdvisor::request_of(
    const std::string& job, const std::vector<std::pair<std::string, std::string>>& params) const {
    AdviceRequest r = settings_.defaults;
    r.job = job;
    for (const auto& [k, v] : params) {
        auto number = [&]() -> Result<double> {
            try {
                std::size_t used = 0;
                const double x = std::stod(v, &used);
                if (used == v.size() && x >= 0) {
                    return x;
                }
            } catch (const std::exception&) {
            }
            return make_error(ErrorCode::Config, k + ": '" + v + "' is not a non-negative number", "");
        };
        if (k == "goal") {
            auto g = goal_of(v);
            if (!g) {
                return make_error(ErrorCode::Config, "goal: '" + v + "' is not cost, time or deadline", "");
            }
            r.goal = *g;
        } else if (k == "input_bytes") {
            auto size = parse_size(v);
            if (!size) {
                return make_error(ErrorCode::Config, "input_bytes: '" + v + "' is not a size", "");
            }
            r.input_bytes = static_cast<double>(*size);
        } else if (k == "deadline") {
            auto d = parse_duration(v);
            if (!d) {
                return make_error(ErrorCode::Config, "deadline: '" + v + "' is not a duration", "");
            }
            r.deadline_ms = static_cast<double>(d->count());
            if (std::none_of(params.begin(), params.end(), [](const auto& p) { return p.first == "goal"; })) {
                r.goal = Goal::Deadline;
            }
        } else if (k == "slowdown_budget" || k == "cost_budget") {
            auto x = number();
            if (!x) {
                return x.error();
            }
            (k == "slowdown_budget" ? r.slowdown_budget : r.cost_budget) = *x;
        } else if (k != "format" && k != "pipeline") {
            return make_error(ErrorCode::Config,
                              "unknown parameter '" + k + "' (goal, input_bytes, deadline, "
                              "slowdown_budget, cost_budget)", "");
        }
    }
    return r;
}

json::value RegressionAdvisor::jobs() const {
    json::array out;
    const auto cluster = store_.all_runs();
    for (const auto& [name, runs] : store_.jobs()) {
        if (runs.empty()) {
            continue;
        }
        const std::vector<Observation> own(runs.begin(), runs.end());
        const auto model = DurationModel::fit(own, cluster, settings_.model);
        const auto p = model.predict(runs.back().input_bytes, runs.back().config);
        out.push_back(json::object{
            {"job", name},
            {"pipeline", pipeline_},
            {"runs", runs.size()},
            {"last_run", runs.back().app_id},
            {"last_end", iso_utc(SysMillis(std::chrono::milliseconds(runs.back().end_ms)))},
            {"model", p.model},
            {"model_error", p.past_error}});
    }
    return out;
}

Result<json::value> RegressionAdvisor::job(const std::string& name) const {
    const auto runs = store_.runs_of(name);
    if (runs.empty()) {
        return make_error(ErrorCode::NotFound, "no runs of job '" + name + "' observed", pipeline_);
    }
    json::array observations;
    for (const auto& r : runs) {
        observations.push_back(to_json(r));
    }
    AdviceRequest request = settings_.defaults;
    request.job = name;
    json::object out{{"job", name}, {"pipeline", pipeline_}, {"observations", std::move(observations)}};
    if (auto a = advice_for(name, request)) {
        out["model"] = a->model;
        out["advice"] = to_json(*a);
    } else {
        out["advice_error"] = a.error().describe();
    }
    return json::value(std::move(out));
}

Result<json::value> RegressionAdvisor::query(
    std::string_view path, const std::vector<std::pair<std::string, std::string>>& params) {
    std::lock_guard lock(mutex_);
    if (path == "jobs") {
        return jobs();
    }
    if (!path.starts_with("jobs/")) {
        return make_error(ErrorCode::NotFound, "no such question: " + std::string(path), pipeline_);
    }
    std::string name(path.substr(5));
    constexpr std::string_view kAdvice = "/advice";
    if (!(name.size() > kAdvice.size() && name.ends_with(kAdvice))) {
        return job(name);
    }
    name.resize(name.size() - kAdvice.size());
    if (store_.runs_of(name).empty()) {
        return make_error(ErrorCode::NotFound, "no runs of job '" + name + "' observed", pipeline_);
    }
    auto request = request_of(name, params);
    if (!request) {
        return request.error();
    }
    auto a = advice_for(name, *request);
    if (!a) {
        return a.error();
    }
    json::object out = to_json(*a);
    out["formatted"] = json::object{{"text", format_advice(*a, AdviceFormat::Text)},
                                    {"spark-submit", format_advice(*a, AdviceFormat::SparkSubmit)},
                                    {"properties", format_advice(*a, AdviceFormat::Properties)}};
    return json::value(std::move(out));
}

}  // namespace spot::advisors::regression
