// ${ENV} expansion and <option>_file secrets.
#include "config/config.hpp"
#include "config/validator.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace spot;
using namespace spot::test;

namespace {

constexpr spot_option_decl kDecls[] = {
    {"url", SPOT_OPT_STRING, "", "url", 0, nullptr, nullptr, nullptr, nullptr},
    {"password", SPOT_OPT_STRING, "", "pw", SPOT_OPT_SECRET, nullptr, nullptr, nullptr, nullptr},
};

Options validate(const std::string& yaml, core::Validator& v) {
    return v.options(YAML::Load(yaml), kDecls, "sinks[0]", "test");
}

}  // namespace

TEST_CASE("${ENV} expands, with a fallback for unset variables", "[unit][config][secrets]") {
    ::setenv("SPOT_TEST_HOST", "es.example", 1);
    ::unsetenv("SPOT_TEST_UNSET");
    std::string missing;
    CHECK(core::expand_env("https://${SPOT_TEST_HOST}:9200", missing) == "https://es.example:9200");
    CHECK(core::expand_env("${SPOT_TEST_UNSET:-fallback}", missing) == "fallback");
    CHECK(core::expand_env("no variables", missing) == "no variables");
    CHECK_FALSE(core::expand_env("${SPOT_TEST_UNSET}", missing));
    CHECK(missing == "SPOT_TEST_UNSET");
}

TEST_CASE("a secret option can come from ${ENV}", "[unit][config][secrets]") {
    ::setenv("SPOT_TEST_PASSWORD", "s3cr3t", 1);
    core::Validator v("/tmp/spot.yaml");
    auto o = validate("{password: '${SPOT_TEST_PASSWORD}'}", v);
    CHECK(v.errors().empty());
    CHECK(o.str("password") == "s3cr3t");
}

TEST_CASE("a secret option can come from <option>_file, without the final newline",
          "[unit][config][secrets]") {
    TempDir dir;
    write_file(dir / "pw.txt", "from-file\n");
    core::Validator v(dir / "spot.yaml");
    auto o = validate("{password_file: pw.txt}", v);  // relative to the config file
    CHECK(v.errors().empty());
    CHECK(o.str("password") == "from-file");
}

TEST_CASE("secret file errors name the file and _file only exists for secrets",
          "[unit][config][secrets]") {
    core::Validator v("/tmp/spot.yaml");
    validate("{password_file: /nonexistent/pw, url_file: /tmp/x}", v);
    REQUIRE(v.errors().size() == 2);
    CHECK(v.errors()[0].find("cannot read secret file '/nonexistent/pw'") != std::string::npos);
    CHECK(v.errors()[1].find("unknown option 'url_file'") != std::string::npos);
}

TEST_CASE("a secret given both directly and as a file is an error", "[unit][config][secrets]") {
    TempDir dir;
    write_file(dir / "pw.txt", "x");
    core::Validator v(dir / "spot.yaml");
    validate("{password: a, password_file: pw.txt}", v);
    REQUIRE(v.errors().size() == 1);
    CHECK(v.errors()[0].find("given twice") != std::string::npos);
}
