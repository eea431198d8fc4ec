// A person's view of one attempt's analysis: the findings ranked, the what-if table and the
// core-hours, as plain text (what `spotd analyze` prints).
#pragma once

#include "analysis.hpp"

#include <string>

namespace spot::aggregators::analyze {

std::string text_report(const std::string& source,
                        const std::string& app_id,
                        const std::string& app_name,
                        const AttemptAnalysis& a);

}  // namespace spot::aggregators::analyze
