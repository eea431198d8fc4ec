// Fuzz target: event-log reading (line splitting, the simdjson task-end path, the DOM path,
// the Run builder). Any input gives an attempt or an error; nothing throws.
#include "sources/eventlog/log_reader.hpp"

#include <boost/json/serialize.hpp>
#include <cstdint>
#include <fstream>
#include <unistd.h>

using namespace spot::sources::eventlog;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                             ("spot-fuzz-eventlog-" + std::to_string(::getpid()));
    static const bool made = std::filesystem::create_directories(dir) || true;
    (void)made;
    std::ofstream(dir / "log", std::ios::binary)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    auto store = local_directory(dir);
    LogEntry entry{"log", {dir / "log"}, Codec::None, static_cast<std::int64_t>(size), 0};
    auto parsed = read_log(*store, entry, 1 << 20);
    if (parsed) {
        (void)boost::json::serialize(parsed->run.attempt(0));
    }
    return 0;
}
