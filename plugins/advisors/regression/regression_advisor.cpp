#include "regression_advisor.hpp"

#include "advice_format.hpp"
#include "report_data.hpp"
#include "seed_index.hpp"

#include <spot/time.hpp>

#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>

namespace spot::advisors::regression {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

}  // namespace

RegressionAdvisor::RegressionAdvisor(const PluginContext& ctx, AdvisorSettings s)
    : log_(ctx.log),
      pipeline_(ctx.pipeline),
      settings_(std::move(s)),
      report_failure_(ctx.report_failure),
      store_(ctx.state_dir / (ctx.pipeline + "." + ctx.instance_id + ".observations.jsonl"),
             settings_.max_runs_per_job) {
    for (const char* reason : {"no_attempt", "no_job_key", "no_duration"}) {
        skipped_[reason] =
            ctx.metrics == nullptr
                ? nullptr
                : &ctx.metrics->counter("spot_advisor_runs_skipped_total",
                                        "Agg documents an advisor could not observe, by reason.",
                                        {{"pipeline", ctx.pipeline}, {"reason", reason}});
    }
    if (!settings_.seed_url.empty()) {
        auto endpoint = ctx.http->endpoint(settings_.seed_url, http::ClientOptions{}, ctx.log);
        if (!endpoint) {
            throw Exception(endpoint.error());
        }
        seed_endpoint_ = std::move(*endpoint);
    }
}

asio::awaitable<Result<void>> RegressionAdvisor::start() {
    if (auto loaded = load(); !loaded) {
        co_return loaded;
    }
    {
        // The daemon owns the file (spotd advise only reads it): unreadable lines go aside.
        std::lock_guard lock(mutex_);
        auto aside = store_.set_aside_unreadable();
        if (!aside) {
            co_return aside.error();
        }
        if (!aside->empty()) {
            log_->warn("unreadable observation lines set aside in '{}'; kept runs={}",
                       aside->string(), store_.size());
        }
    }
    if (seed_endpoint_ == nullptr || store_.size() > 0) {
        co_return Result<void>{};
    }
    // A fresh state: the runs the cluster index already holds. A failure is reported and the
    // advisor starts empty; it learns from the runs to come.
    std::size_t seeded = 0;
    auto read = co_await read_agg_index(*seed_endpoint_, settings_.seed_index,
                                        [&](const json::object& doc) {
                                            std::lock_guard lock(mutex_);
                                            seeded += learn(doc) ? 1 : 0;
                                        });
    if (!read) {
        log_->warn("observations not seeded from index '{}': {}", settings_.seed_index,
                   read.error().describe());
        if (report_failure_) {
            report_failure_(read.error(), "advise:seed");
        }
        co_return Result<void>{};
    }
    log_->info("observations seeded from index '{}' documents={} runs={}", settings_.seed_index,
               *read, seeded);
    co_return Result<void>{};
}

void RegressionAdvisor::count_skipped(const Error& why) {
    // observation_of's three refusals, as a metric label each.
    const std::string_view m = why.message;
    const char* reason = m.starts_with("no job key")        ? "no_job_key"
                         : m.starts_with("attempt without") ? "no_duration"
                                                            : "no_attempt";
    if (auto* c = skipped_[reason]) {
        c->inc();
    }
}

bool RegressionAdvisor::learn(const json::object& agg) {
    auto o = observation_of(agg, settings_.key);
    if (!o) {
        count_skipped(o.error());
        return false;
    }
    store_.add(*o);
    return static_cast<bool>(store_.append(*o));
}

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
            seeded += doc != nullptr && learn(*doc) ? 1 : 0;
        }
        log_->info("observations seeded from '{}' runs={}", settings_.seed_file.string(), seeded);
    }
    log_->info("observations loaded jobs={} runs={}", store_.jobs().size(), store_.size());
    return {};
}

Result<std::vector<Document>> RegressionAdvisor::observe(
    const std::vector<Document>& acknowledged) {
    std::lock_guard lock(mutex_);
    std::vector<Document> out;
    for (const auto& d : acknowledged) {
        if (d.stream != "agg") {
            continue;
        }
        auto o = observation_of(d.body, settings_.key);
        if (!o) {
            log_->debug("not observed id='{}' error={}", d.id, o.error().describe());
            count_skipped(o.error());
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
        if (!advice || advice->status != "ok") {
            continue;  // too few runs: nothing to advise yet
        }
        json::object body = to_json(*advice);
        body["based_on_run"] = o->app_id;
        body["spot"] = json::object{{"time_processed", iso_utc_now()}, {"pipeline", pipeline_}};
        out.push_back(Document{"advice", o->job + "@" + o->app_id, std::move(body)});
    }
    return out;
}

Result<Advice> RegressionAdvisor::advice_for(const std::string& job,
                                             const AdviceRequest& request) const {
    // The cluster's runs only matter to a job too young for its own model: not copied otherwise.
    auto own = store_.runs_of(job);
    const auto cluster =
        own.size() < settings_.model.min_runs ? store_.all_runs() : std::vector<Observation>{};
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
                if (used == v.size() && std::isfinite(x) && x >= 0) {
                    return x;
                }
            } catch (const std::exception&) {
            }
            return make_error(ErrorCode::Config, k + ": '" + v + "' is not a non-negative number",
                              "");
        };
        if (k == "goal") {
            auto g = goal_of(v);
            if (!g) {
                return make_error(ErrorCode::Config,
                                  "goal: '" + v + "' is not cost, time or deadline", "");
            }
            r.goal = *g;
        } else if (k == "input_bytes") {
            auto size = parse_size(v);
            if (!size) {
                return make_error(ErrorCode::Config,
                                  "input_bytes: '" + v +
                                      "' is not a size (a non-negative number of bytes, or with "
                                      "a unit: 512m, 20g)",
                                  "");
            }
            // No Spark run reads a pebibyte: a value past it is a mistaken unit, and a model
            // asked about it would only extrapolate.
            if (*size > (std::int64_t{1} << 50)) {
                return make_error(ErrorCode::Config,
                                  "input_bytes: '" + v + "' is more than 1 PiB: not a run's input",
                                  "");
            }
            r.input_bytes = static_cast<double>(*size);
        } else if (k == "deadline") {
            auto d = parse_duration(v);
            if (!d) {
                return make_error(ErrorCode::Config, "deadline: '" + v + "' is not a duration", "");
            }
            r.deadline_ms = static_cast<double>(d->count());
            if (std::none_of(params.begin(), params.end(),
                             [](const auto& p) { return p.first == "goal"; })) {
                r.goal = Goal::Deadline;
            }
        } else if (k == "slowdown_budget" || k == "cost_budget" || k == "min_gain") {
            auto x = number();
            if (!x) {
                return x.error();
            }
            (k == "slowdown_budget" ? r.slowdown_budget
             : k == "cost_budget"   ? r.cost_budget
                                    : r.min_gain) = *x;
        } else if (k != "format" && k != "pipeline") {
            return make_error(ErrorCode::Config,
                              "unknown parameter '" + k +
                                  "' (goal, input_bytes, deadline, "
                                  "slowdown_budget, cost_budget, min_gain)",
                              "");
        }
    }
    return r;
}

Error RegressionAdvisor::unknown_job(const std::string& name) const {
    // The names people mistype are close to the real ones: offer the three nearest.
    std::vector<std::pair<std::size_t, std::string>> near;
    for (const auto& [job, runs] : store_.jobs()) {
        near.emplace_back(edit_distance(name, job), job);
    }
    std::sort(near.begin(), near.end());
    std::string closest;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, near.size()); ++i) {
        closest += (i ? ", " : "") + near[i].second;
    }
    return make_error(ErrorCode::NotFound,
                      "no runs of job '" + name + "' observed" +
                          (closest.empty() ? "" : "; closest known jobs: " + closest),
                      pipeline_);
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
        out.push_back(
            json::object{{"job", name},
                         {"pipeline", pipeline_},
                         {"runs", runs.size()},
                         {"last_run", runs.back().app_id},
                         {"last_end",
                          iso_utc(SysMillis(std::chrono::milliseconds(runs.back().end_ms)))},
                         {"model", p.model},
                         {"model_error", p.past_error}});
    }
    return out;
}

Result<json::value> RegressionAdvisor::job(const std::string& name) const {
    const auto runs = store_.runs_of(name);
    if (runs.empty()) {
        return unknown_job(name);
    }
    json::array observations;
    for (const auto& r : runs) {
        observations.push_back(to_json(r));
    }
    AdviceRequest request = settings_.defaults;
    request.job = name;
    json::object out{{"job", name},
                     {"pipeline", pipeline_},
                     {"observations", std::move(observations)}};
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
    std::string question;  // advice, report or none (the job itself)
    for (std::string_view q : {"/advice", "/report"}) {
        if (name.size() > q.size() && name.ends_with(q)) {
            question = q.substr(1);
            name.resize(name.size() - q.size());
        }
    }
    if (question.empty()) {
        return job(name);
    }
    if (store_.runs_of(name).empty()) {
        return unknown_job(name);
    }
    auto request = request_of(name, params);
    if (!request) {
        return request.error();
    }
    auto a = advice_for(name, *request);
    if (question == "report") {
        const auto runs = store_.runs_of(name);
        const auto cluster =
            runs.size() < settings_.model.min_runs ? store_.all_runs() : std::vector<Observation>{};
        const Advice* advice = a && a->status == "ok" ? &*a : nullptr;
        json::object out = report_data(runs, cluster, advice, settings_.model);
        out["job"] = name;
        out["pipeline"] = pipeline_;
        out["generated"] = iso_utc_now();
        if (!a) {
            out["advice_error"] = a.error().describe();
        } else if (advice == nullptr) {
            out["advice_text"] = format_advice(*a, AdviceFormat::Text);
        }
        return json::value(std::move(out));
    }
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
