// What `spotd report` draws for one job, as data: the runs (input, duration, core-hours, the
// configuration each ran with), the fitted curves with their intervals at the current and the
// advised configuration over the input sizes seen, the what-if curve of the latest run that has
// one, and the advice. The page (daemon/report) only lays it out.
#pragma once

#include "setter.hpp"

#include <boost/json/object.hpp>

namespace spot::advisors::regression {

// `runs` time-ordered (oldest first), `cluster` every job's; `advice` when one could be made.
boost::json::object report_data(const std::vector<Observation>& runs,
                                const std::vector<Observation>& cluster,
                                const Advice* advice,
                                const ModelOptions& options);

// "4x2 p200 3g": a configuration as the charts label it.
std::string config_label(const Config& c);

}  // namespace spot::advisors::regression
