// Where event logs live. The local directory is the first implementation; HDFS or S3 stores can
// be added behind the same interface.
#pragma once

#include <spot/result.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace spot::sources::eventlog {

enum class Codec { None, Zstd, Lz4, Snappy, Lzf };

// One attempt's log: a single file, or the ordered parts of a rolling eventlog_v2_* folder.
struct LogEntry {
    std::string name;                          // file or folder name: the state key
    std::vector<std::filesystem::path> parts;  // in order
    Codec codec = Codec::None;
    std::int64_t size = 0;                     // all parts together
    std::int64_t mtime_ms = 0;                 // newest part
};

// Reads bytes, decompressing as needed; read() returns 0 at the end.
class ByteStream {
   public:
    virtual ~ByteStream() = default;
    [[nodiscard]] virtual Result<std::size_t> read(char* buffer, std::size_t size) = 0;
};

class LogStore {
   public:
    virtual ~LogStore() = default;
    // Every complete-looking log: in-progress files (.inprogress) and rolling folders without
    // their appstatus_* file are left out.
    [[nodiscard]] virtual Result<std::vector<LogEntry>> list() = 0;
    [[nodiscard]] virtual Result<std::unique_ptr<ByteStream>> open(const std::filesystem::path& part,
                                                                   Codec codec) = 0;
};

std::unique_ptr<LogStore> local_directory(std::filesystem::path dir);
Codec codec_of(const std::filesystem::path& file);
const char* codec_name(Codec codec);

}  // namespace spot::sources::eventlog
