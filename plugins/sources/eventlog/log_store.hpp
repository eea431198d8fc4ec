// Where event logs live: a local directory, or a zip the History Server's /logs endpoint
// served. HDFS or S3 stores can be added behind the same interface.
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
    std::int64_t size = 0;      // all parts together
    std::int64_t mtime_ms = 0;  // newest part
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
    [[nodiscard]] virtual Result<std::unique_ptr<ByteStream>> open(
        const std::filesystem::path& part, Codec codec) = 0;
};

std::unique_ptr<LogStore> local_directory(std::filesystem::path dir);

// What a zip of logs may hold (zip_archive.cpp). Sizes are uncompressed.
struct ZipLimits {
    std::uint64_t max_bytes = 64ull << 30;  // all entries together, declared and as read
    double max_ratio = 250;                 // uncompressed / compressed, per entry over 1 MiB
    std::size_t max_entries = 10'000;
};
// The logs in a zip file, read in place (nothing is extracted). Refuses (Parse error) entries
// with absolute paths or `..`, more than `max_entries` entries, and sizes or ratios over the
// limits; an entry that inflates beyond its declared size fails when read.
[[nodiscard]] Result<std::unique_ptr<LogStore>> zip_archive(const std::filesystem::path& file,
                                                            ZipLimits limits);

// A file as a store lists it: its path relative to the store, '/'-separated.
struct StoredFile {
    std::string path;
    std::int64_t size = 0, mtime_ms = 0;
};
// Spark's layouts over a store's files: single files, rolling eventlog_v2_* folders (complete
// once they hold appstatus_*), Spark 1.x folders (complete with APPLICATION_COMPLETE);
// in-progress logs are left out. Parts are `root / path`. Sorted by name.
[[nodiscard]] std::vector<LogEntry> group_logs(const std::vector<StoredFile>& files,
                                               const std::filesystem::path& root);
// Wraps `raw` in the decoder of `codec` (None: raw itself). `name` is for error messages.
[[nodiscard]] Result<std::unique_ptr<ByteStream>> decoding_stream(std::unique_ptr<ByteStream> raw,
                                                                  Codec codec,
                                                                  const std::string& name);
Codec codec_of(const std::filesystem::path& file);
const char* codec_name(Codec codec);

}  // namespace spot::sources::eventlog
