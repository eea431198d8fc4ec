// Regression (SPEC §7): a job's duration as a function of its input size and configuration,
// fitted from its runs, newest weighted most, with a prediction interval; core-hours follow from
// the duration and the slots the run holds. A job with too few runs borrows the shape of a model
// over every job of the cluster, and says so.
//
// The model: log(duration) linear in the input size, the executors, the slots (executors x
// cores) and the shuffle partitions; weighted ridge least squares (Eigen) with Huber weights, so
// that a run slowed by something the features do not see (a loaded node) does not bend the fit,
// and weights halving every `half_life_runs` runs back, so that the model follows a job and a
// cluster that change. Chosen on the recurring-job corpus against the baselines of
// tests/bench/regression_bench.cpp (the last run, the median, a fit on input size alone).
#pragma once

#include "observation.hpp"

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <vector>

namespace spot::advisors::regression {

struct ModelOptions {
    double half_life_runs = 4;  // weight halves every this many runs back
    double ridge = 0.1;         // on standardised features; the intercept is not penalised
    double huber = 0.1;         // log-residual beyond which a run's weight falls
    std::size_t min_runs = 5;   // fewer: the cluster model, shifted to the job's level
    double interval_z = 1.645;  // 90% two-sided
};

struct Prediction {
    double duration_ms = 0, duration_low = 0, duration_high = 0;
    double core_hours = 0, core_hours_low = 0, core_hours_high = 0;
    std::string model;      // "job" or "cluster"
    std::size_t runs = 0;   // observations the model rests on
    double past_error = 0;  // median absolute percentage error on the job's own runs
};

class DurationModel {
   public:
    // `job_runs` time-ordered (oldest first). With fewer than min_runs of them, `cluster_runs`
    // (every job's, time-ordered) give the shape and the job's own runs its level; with none at
    // all the model is empty (valid() false).
    static DurationModel fit(const std::vector<Observation>& job_runs,
                             const std::vector<Observation>& cluster_runs,
                             const ModelOptions& o);

    [[nodiscard]] bool valid() const { return !coef_.empty(); }
    [[nodiscard]] Prediction predict(double input_bytes, const Config& c) const;
    // The coefficients by feature name, the residual scale and what the fit rests on.
    [[nodiscard]] boost::json::object describe() const;

    static constexpr std::size_t kFeatures =
        5;  // intercept, input GB, executors, slots, partitions/100

   private:
    std::vector<double> coef_, mean_, scale_;  // on standardised features
    double offset_ = 0;  // the job's level over the cluster shape (cluster model only)
    double sigma_ = 0;   // residual scale of log(duration)
    double n_eff_ = 1;
    double core_ratio_ = 1;  // core-hours / (duration x slots): what the runs actually held
    std::string kind_;
    std::size_t runs_ = 0;
    double past_error_ = 0;
    ModelOptions options_;
};

// The features of one run or candidate, in kFeatures order (intercept first).
std::vector<double> features(double input_bytes, const Config& c);

}  // namespace spot::advisors::regression
