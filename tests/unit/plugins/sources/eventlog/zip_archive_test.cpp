// Zips of event logs as the History Server's /logs endpoint serves them, made here with Python's
// zipfile from the example logs in deploy/examples/spark-events: read in place, in the layouts
// Spark writes, and the hostile ones refused before a byte is inflated.
#include "sources/eventlog/log_reader.hpp"
#include "support/process.hpp"

#include <catch2/catch.hpp>

using namespace spot;
using namespace spot::sources::eventlog;
using namespace spot::test;
namespace fs = std::filesystem;

namespace {

const fs::path kExamples = SPOT_SOURCE_DIR "/deploy/examples/spark-events";

// Writes `zip` with entries given as Python expressions: name -> bytes.
void make_zip(const fs::path& zip, const std::string& entries) {
    const std::string script =
        "import zipfile, sys\n"
        "with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n"
        "    for name, data in [" +
        entries + "]:\n        z.writestr(name, data)\n";
    std::string out, err;
    INFO(err);
    REQUIRE(run({"/usr/bin/python3", "-c", script, zip.string()}, &out, &err) == 0);
}

std::string file_bytes(const std::string& name) {
    return "open('" + (kExamples / name).string() + "', 'rb').read()";
}

}  // namespace

TEST_CASE("a zipped log reads the same as the file it holds") {
    TempDir dir;
    for (const std::string name : {"local-1795645116698", "local-1795645397085.zstd"}) {
        INFO(name);
        make_zip(dir / "a.zip", "('" + name + "', " + file_bytes(name) + ")");
        auto zip = zip_archive(dir / "a.zip", {});
        REQUIRE(zip.has_value());
        auto listed = (*zip)->list();
        REQUIRE(listed.has_value());
        REQUIRE(listed->size() == 1);
        CHECK(listed->front().name == name);
        auto from_zip = read_log(**zip, listed->front(), 1 << 24);
        REQUIRE(from_zip.has_value());

        auto local = local_directory(kExamples);
        const LogEntry entry{name, {kExamples / name}, codec_of(name), 0, 0};
        auto from_file = read_log(*local, entry, 1 << 24);
        REQUIRE(from_file.has_value());
        CHECK(from_zip->bytes == from_file->bytes);
        CHECK(from_zip->run.app_id() == from_file->run.app_id());
        CHECK(from_zip->run.attempt(0) == from_file->run.attempt(0));
    }
}

TEST_CASE("a zipped rolling folder is one log once it has its appstatus file") {
    TempDir dir;
    const std::string log = file_bytes("local-1795645116698");
    make_zip(dir / "rolling.zip",
             "('eventlog_v2_local-1/', b''), ('eventlog_v2_local-1/events_2_local-1', " + log +
                 "[len(" + log + ")//2:]), ('eventlog_v2_local-1/events_1_local-1', " + log +
                 "[:len(" + log + ")//2]), ('eventlog_v2_local-1/appstatus_local-1', b'')");
    auto zip = zip_archive(dir / "rolling.zip", {});
    REQUIRE(zip.has_value());
    auto listed = (*zip)->list();
    REQUIRE(listed.has_value());
    REQUIRE(listed->size() == 1);
    REQUIRE(listed->front().parts.size() == 2);
    CHECK(listed->front().parts[0] == "eventlog_v2_local-1/events_1_local-1");  // in order
    auto parsed = read_log(**zip, listed->front(), 1 << 24);
    REQUIRE(parsed.has_value());
    CHECK(parsed->run.app_id() == "local-1795645116698");
    CHECK(parsed->bytes ==
          static_cast<std::int64_t>(fs::file_size(kExamples / "local-1795645116698")));

    make_zip(dir / "open.zip", "('eventlog_v2_local-1/events_1_local-1', " + log + ")");
    auto still_written = zip_archive(dir / "open.zip", {});
    REQUIRE(still_written.has_value());
    CHECK((*still_written)->list()->empty());
}

TEST_CASE("zips with escaping names, bombs or too many bytes are refused before reading") {
    TempDir dir;
    struct Case {
        const char* entries;
        ZipLimits limits;
        const char* message;
    };
    const Case cases[] = {
        {"('../../evil', b'x')", {}, "entry '../../evil' has a '..' component"},
        {"('a/../../evil', b'x')", {}, "has a '..' component"},
        {"('/etc/evil', b'x')", {}, "entry '/etc/evil' has an absolute path"},
        {"('C:\\\\evil', b'x')", {}, "has an absolute path"},
        {"('log', bytes(8 << 20))", {}, "a zip bomb?"},
        {"('log', b'{}' * (1 << 20))", ZipLimits{1 << 20, 250, 100}, "(max_log_size)"},
        {"[('l%d' % i, b'') for i in range(20)][0], ('x', b'')", ZipLimits{1 << 20, 250, 1},
         "2 entries, more than 1"},
    };
    for (const auto& c : cases) {
        INFO(c.entries);
        make_zip(dir / "bad.zip", c.entries);
        auto zip = zip_archive(dir / "bad.zip", c.limits);
        REQUIRE_FALSE(zip.has_value());
        CHECK(zip.error().code == ErrorCode::Parse);
        CHECK(zip.error().message.find(c.message) != std::string::npos);
    }
    write_file(dir / "not.zip", "<html>500</html>");
    auto not_zip = zip_archive(dir / "not.zip", {});
    REQUIRE_FALSE(not_zip.has_value());
    CHECK(not_zip.error().message.find("not a readable zip") != std::string::npos);
}
