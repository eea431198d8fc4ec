// The test data committed under tests/fixtures (each folder's README says where it comes from).
// A test that cannot see its fixtures fails with the folder it looked for: never passes quietly.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace spot::test {

inline std::filesystem::path fixtures_dir() {
    const std::filesystem::path dir = std::filesystem::path(SPOT_SOURCE_DIR) / "tests" / "fixtures";
    INFO("this test reads the fixtures at " << dir.lexically_normal() << "; they are missing");
    REQUIRE(std::filesystem::is_directory(dir / "spark"));
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
