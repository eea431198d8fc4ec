// Access to ../shared beside the checkout. Tests that need it FAIL with a message naming the
// missing folder: a test that cannot see its fixtures must never pass quietly.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace spot::test {

inline std::filesystem::path shared_dir() {
    const std::filesystem::path dir = std::filesystem::path(SPOT_SOURCE_DIR) / ".." / "shared";
    INFO("this test reads the shared fixtures, expected at "
         << dir.lexically_normal() << " (the 'shared' folder beside the checkout); it is missing");
    REQUIRE(std::filesystem::is_directory(dir / "fixtures"));
    return dir.lexically_normal();
}

inline boost::json::value read_json(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    INFO("reading " << p);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return boost::json::parse(s.str());
}

}  // namespace spot::test
