#include "report_data.hpp"

#include "advice_format.hpp"

#include <spot/time.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace spot::advisors::regression {

namespace json = boost::json;

namespace {

constexpr std::size_t kCurvePoints = 40;

// The model's prediction over input sizes from 0 to a quarter beyond the largest seen.
json::array curve(const DurationModel& model,
                  const Config& c,
                  const std::string& which,
                  double max_input) {
    json::array out;
    for (std::size_t i = 0; i <= kCurvePoints; ++i) {
        const double input = max_input * 1.25 * static_cast<double>(i) / kCurvePoints;
        const auto p = model.predict(input, c);
        out.push_back(json::object{{"configuration", which},
                                   {"input_bytes", input},
                                   {"duration_s", p.duration_ms / 1000},
                                   {"duration_s_low", p.duration_low / 1000},
                                   {"duration_s_high", p.duration_high / 1000},
                                   {"core_hours", p.core_hours},
                                   {"core_hours_low", p.core_hours_low},
                                   {"core_hours_high", p.core_hours_high}});
    }
    return out;
}

}  // namespace

std::string config_label(const Config& c) {
    return fmt::format("{}x{} p{} {}", static_cast<long long>(c.executors),
                       static_cast<long long>(c.cores), static_cast<long long>(c.partitions),
                       spark_memory(c.memory_bytes));
}

json::object report_data(const std::vector<Observation>& runs,
                         const std::vector<Observation>& cluster,
                         const Advice* advice,
                         const ModelOptions& options) {
    json::array points;
    double max_input = 0;
    const Observation* latest_whatif = nullptr;
    for (const auto& r : runs) {
        max_input = std::max(max_input, r.input_bytes);
        points.push_back(
            json::object{{"app_id", r.app_id},
                         {"end", iso_utc(SysMillis(std::chrono::milliseconds(r.end_ms)))},
                         {"input_bytes", r.input_bytes},
                         {"duration_s", r.duration_ms / 1000},
                         {"core_hours", r.core_hours},
                         {"configuration", config_label(r.config)},
                         {"executors", r.config.executors},
                         {"cores", r.config.cores},
                         {"partitions", r.config.partitions},
                         {"succeeded", r.succeeded}});
        if (!r.whatif.empty()) {
            latest_whatif = &r;
        }
    }
    json::object out{{"runs", std::move(points)}};
    if (latest_whatif != nullptr) {
        json::array whatif;
        for (const auto& w : latest_whatif->whatif) {
            whatif.push_back(json::object{{"executors", w.executors},
                                          {"duration_s", w.duration_ms / 1000},
                                          {"core_hours", w.core_hours}});
        }
        out["whatif"] = json::object{{"app_id", latest_whatif->app_id},
                                     {"executors", latest_whatif->config.executors},
                                     {"points", std::move(whatif)}};
    }
    if (advice != nullptr) {
        const auto model = DurationModel::fit(runs, cluster, options);
        if (model.valid()) {
            auto curves = curve(model, advice->current, "current " + config_label(advice->current),
                                max_input);
            for (auto& p : curve(model, advice->advised, "advised " + config_label(advice->advised),
                                 max_input)) {
                curves.push_back(std::move(p));
            }
            out["curves"] = std::move(curves);
        }
        out["advice"] = to_json(*advice);
        out["advice_text"] = format_advice(*advice, AdviceFormat::Text);
        out["spark_submit"] = format_advice(*advice, AdviceFormat::SparkSubmit);
    }
    return out;
}

}  // namespace spot::advisors::regression
