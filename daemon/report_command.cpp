#include "report_command.hpp"

#include "advise_command.hpp"

#include <boost/json.hpp>
#include <iostream>

namespace spot::daemon {

namespace report_assets {
extern const std::string_view page, vega, vega_lite;  // report_assets.cpp, made by the build
}

namespace {

namespace json = boost::json;

// Replaces the one occurrence of `marker` in `page`.
void put(std::string& page, std::string_view marker, std::string_view content) {
    const auto at = page.find(marker);
    if (at != std::string::npos) {
        page.replace(at, marker.size(), content);
    }
}

}  // namespace

std::string report_page(const json::object& data) {
    // Inside <script>, "</" would end the element early: JSON allows "<" as \u003c.
    std::string payload;
    for (char c : json::serialize(data)) {
        payload += c == '<' ? std::string("\\u003c") : std::string(1, c);
    }
    std::string page(report_assets::page);
    // The data first: the libraries are large and must not be searched for markers.
    put(page, "/*SPOT_REPORT_DATA*/", payload);
    const auto vega_at = page.find("/*SPOT_VEGA*/");
    put(page, "/*SPOT_VEGA_LITE*/", report_assets::vega_lite);
    if (vega_at != std::string::npos) {
        page.replace(vega_at, std::string_view("/*SPOT_VEGA*/").size(), report_assets::vega);
    }
    return page;
}

int report_command(const core::Config& config, const CommandLine& cl) {
    OfflineAdvisors advisors(config);
    int code = 0;
    if (auto opened = advisors.open(cl.pipeline, code); !opened) {
        std::cerr << "spotd: " << opened.error().describe() << "\n";
        return code;
    }
    auto answer = advisors.ask("jobs/" + cl.job + "/report", question_params(cl));
    if (!answer) {
        std::cerr << "spotd: " << answer.error().describe() << "\n";
        return answer.error().code == ErrorCode::Config ? 2 : 1;
    }
    std::cout << report_page(answer->as_object());
    return std::cout ? 0 : 1;
}

}  // namespace spot::daemon
