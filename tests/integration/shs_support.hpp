// The History Server started by the CTest fixture "shs" (tests/integration/shs.sh).
#pragma once

#include "support/http_get.hpp"
#include "support/process.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <regex>

namespace spot::test {

inline unsigned short shs_port(const std::filesystem::path& state_file = SPOT_SHS_STATE) {
    const auto state = read_file(state_file);
    INFO("the History Server did not start: no port in " << state_file
         << " (see the 'integration: start History Server' test's output)");
    std::smatch m;
    REQUIRE(std::regex_search(state, m, std::regex("port=(\\d+)")));
    return static_cast<unsigned short>(std::stoi(m[1]));
}

// GET /api/v1/<path>, which must answer 200 with JSON.
inline boost::json::value shs_get(unsigned short port, const std::string& path) {
    auto a = http_get(port, "/api/v1/" + path);
    INFO("GET /api/v1/" << path);
    REQUIRE(a.status == 200);
    return boost::json::parse(a.body);
}

}  // namespace spot::test
