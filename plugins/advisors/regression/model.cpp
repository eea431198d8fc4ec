#include "model.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <map>

namespace spot::advisors::regression {

namespace json = boost::json;

namespace {

constexpr const char* kFeatureNames[DurationModel::kFeatures] = {"intercept", "input_gb",
                                                                 "executors", "slots",
                                                                 "partitions_per_100"};

double median(std::vector<double> v) {
    if (v.empty()) {
        return 0;
    }
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    return v[v.size() / 2];
}

struct Fit {
    Eigen::VectorXd beta;
    std::vector<double> mean, scale;
    double sigma = 0, n_eff = 1;
};

// Weighted ridge on standardised features with Huber reweighting (IRLS), target y.
Fit robust_fit(const std::vector<std::vector<double>>& rows,
               const std::vector<double>& y,
               const std::vector<double>& base_weights,
               const ModelOptions& o) {
    const auto n = static_cast<Eigen::Index>(rows.size());
    constexpr auto k = static_cast<Eigen::Index>(DurationModel::kFeatures);
    Fit f;
    f.mean.assign(k, 0);
    f.scale.assign(k, 1);
    double wsum = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        wsum += base_weights[i];
    }
    for (Eigen::Index j = 1; j < k; ++j) {
        double m = 0, v = 0;
        for (Eigen::Index i = 0; i < n; ++i) {
            m += base_weights[i] * rows[i][j];
        }
        m /= wsum;
        for (Eigen::Index i = 0; i < n; ++i) {
            v += base_weights[i] * (rows[i][j] - m) * (rows[i][j] - m);
        }
        f.mean[j] = m;
        f.scale[j] = v / wsum > 1e-12 ? std::sqrt(v / wsum) : 1;  // a constant column stays 0
    }
    Eigen::MatrixXd x(n, k);
    Eigen::VectorXd target(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        x(i, 0) = 1;
        for (Eigen::Index j = 1; j < k; ++j) {
            x(i, j) = (rows[i][j] - f.mean[j]) / f.scale[j];
        }
        target(i) = y[i];
    }
    Eigen::MatrixXd penalty = Eigen::MatrixXd::Identity(k, k) * o.ridge;
    penalty(0, 0) = 0;
    Eigen::VectorXd w = Eigen::Map<const Eigen::VectorXd>(base_weights.data(), n);
    for (int iter = 0; iter < 10; ++iter) {
        const Eigen::MatrixXd xtw = x.transpose() * w.asDiagonal();
        f.beta = (xtw * x + penalty * w.sum()).ldlt().solve(xtw * target);
        const Eigen::VectorXd r = target - x * f.beta;
        for (Eigen::Index i = 0; i < n; ++i) {
            const double a = std::abs(r(i));
            w(i) = base_weights[i] * (a <= o.huber ? 1.0 : o.huber / a);
        }
    }
    const Eigen::VectorXd r = target - x * f.beta;
    const double ws = w.sum();
    f.sigma = std::sqrt((w.array() * r.array().square()).sum() / std::max(ws, 1e-12));
    f.n_eff = ws * ws / std::max(w.array().square().sum(), 1e-12);  // Kish's effective size
    return f;
}

}  // namespace

std::vector<double> features(double input_bytes, const Config& c) {
    return {1.0, input_bytes / 1e9, c.executors, c.slots(), c.partitions / 100.0};
}

DurationModel DurationModel::fit(const std::vector<Observation>& job_runs,
                                 const std::vector<Observation>& cluster_runs,
                                 const ModelOptions& o) {
    DurationModel m;
    m.options_ = o;
    if (job_runs.empty()) {
        return m;
    }
    const bool own = job_runs.size() >= o.min_runs;
    const auto& runs = own ? job_runs : cluster_runs;
    if (runs.empty()) {
        return m;
    }
    // The cluster's shape is fitted on each job's deviation from its own mean level.
    std::map<std::string, std::pair<double, std::size_t>> level;
    for (const auto& r : runs) {
        auto& [sum, count] = level[r.job];
        sum += std::log(r.duration_ms);
        ++count;
    }
    std::vector<std::vector<double>> rows;
    std::vector<double> y, weights;
    const double n = static_cast<double>(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const auto& r = runs[i];
        rows.push_back(features(r.input_bytes, r.config));
        const auto& [sum, count] = level[r.job];
        y.push_back(std::log(r.duration_ms) - (own ? 0.0 : sum / static_cast<double>(count)));
        weights.push_back(std::pow(0.5, (n - 1 - static_cast<double>(i)) / o.half_life_runs));
    }
    const auto f = robust_fit(rows, y, weights, o);
    m.coef_.assign(f.beta.data(), f.beta.data() + f.beta.size());
    m.mean_ = f.mean;
    m.scale_ = f.scale;
    m.sigma_ = f.sigma;
    m.n_eff_ = f.n_eff;
    m.kind_ = own ? "job" : "cluster";
    m.runs_ = runs.size();
    if (!own) {
        // The job's level: its own runs' mean residual against the cluster shape.
        double off = 0;
        for (const auto& r : job_runs) {
            m.offset_ = 0;
            off +=
                std::log(r.duration_ms) - std::log(m.predict(r.input_bytes, r.config).duration_ms);
        }
        m.offset_ = off / static_cast<double>(job_runs.size());
    }
    std::vector<double> ratios, errors;
    for (const auto& r : job_runs) {
        const double held = r.duration_ms * r.config.slots() / 3.6e6;
        if (held > 0 && r.core_hours > 0) {
            ratios.push_back(r.core_hours / held);
        }
    }
    m.core_ratio_ = ratios.empty() ? 1.0 : median(ratios);
    for (const auto& r : job_runs) {
        errors.push_back(std::abs(m.predict(r.input_bytes, r.config).duration_ms - r.duration_ms) /
                         r.duration_ms);
    }
    m.past_error_ = median(errors);
    return m;
}

Prediction DurationModel::predict(double input_bytes, const Config& c) const {
    Prediction p;
    if (!valid()) {
        return p;
    }
    const auto x = features(input_bytes, c);
    double log_d = offset_ + coef_[0];
    for (std::size_t j = 1; j < kFeatures; ++j) {
        log_d += coef_[j] * (x[j] - mean_[j]) / scale_[j];
    }
    const double half = options_.interval_z * sigma_ * std::sqrt(1.0 + 1.0 / n_eff_);
    p.duration_ms = std::exp(log_d);
    p.duration_low = std::exp(log_d - half);
    p.duration_high = std::exp(log_d + half);
    const double per_ms = core_ratio_ * c.slots() / 3.6e6;
    p.core_hours = p.duration_ms * per_ms;
    p.core_hours_low = p.duration_low * per_ms;
    p.core_hours_high = p.duration_high * per_ms;
    p.model = kind_;
    p.runs = runs_;
    p.past_error = past_error_;
    return p;
}

json::object DurationModel::describe() const {
    json::array coefficients;
    for (std::size_t j = 0; j < coef_.size(); ++j) {
        coefficients.push_back(json::object{{"feature", kFeatureNames[j]},
                                            {"coefficient", coef_[j]},
                                            {"mean", mean_[j]},
                                            {"scale", scale_[j]}});
    }
    return {{"kind", kind_},
            {"form", "log(duration_ms) = intercept + sum(coefficient x (feature - mean) / scale)"},
            {"coefficients", std::move(coefficients)},
            {"job_offset", offset_},
            {"sigma_log", sigma_},
            {"effective_runs", n_eff_},
            {"core_hours_per_slot_hour", core_ratio_},
            {"runs", runs_},
            {"past_error", past_error_},
            {"half_life_runs", options_.half_life_runs},
            {"ridge", options_.ridge}};
}

}  // namespace spot::advisors::regression
