// Fuzz target: a /logs zip from a hostile or broken server (libzip's reading of it, the checks on
// names and sizes, the layouts, the codecs, the parser behind them). Any input gives logs or an
// error; nothing throws, nothing is written but the input file itself.
#include "sources/eventlog/log_reader.hpp"

#include <boost/json/serialize.hpp>
#include <cstdint>
#include <fstream>
#include <unistd.h>

using namespace spot::sources::eventlog;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path file =
        std::filesystem::temp_directory_path() /
        ("spot-fuzz-zip-" + std::to_string(::getpid()) + ".zip");
    std::ofstream(file, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    ZipLimits limits;
    limits.max_bytes = 64u << 20;  // a mutated size field must not make a replay slow
    auto zip = zip_archive(file, limits);
    if (zip) {
        auto logs = (*zip)->list();
        if (logs) {
            for (const auto& entry : *logs) {
                auto parsed = read_log(**zip, entry, 1 << 20);
                if (parsed) {
                    (void)boost::json::serialize(parsed->run.attempt(0));
                }
            }
        }
    }
    return 0;
}
