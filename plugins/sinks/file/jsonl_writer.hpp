// Appends whole JSON lines to one file. A batch goes out in one write() and, with fsync on, is
// durable when append() returns. A line torn by a crash is cut when the file is opened again, so
// readers only ever see complete lines.
#pragma once

#include <spot/result.hpp>

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace spot::sinks::file {

class JsonlWriter {
   public:
    JsonlWriter(std::filesystem::path path, std::int64_t max_size, bool fsync);
    ~JsonlWriter();
    JsonlWriter(const JsonlWriter&) = delete;
    JsonlWriter& operator=(const JsonlWriter&) = delete;

    // `lines` is one or more complete lines, each ending in '\n'.
    [[nodiscard]] Result<void> append(std::string_view lines);
    [[nodiscard]] Result<void> sync();
    // Bytes cut from a torn tail when the file was last opened (for logs and tests).
    [[nodiscard]] std::int64_t repaired_bytes() const { return repaired_; }

   private:
    [[nodiscard]] Result<void> open();
    [[nodiscard]] Result<void> rotate();

    std::filesystem::path path_;
    std::int64_t max_size_;
    bool fsync_;
    int fd_ = -1;
    std::int64_t size_ = 0;
    std::int64_t repaired_ = 0;
};

// Cuts everything after the last '\n' of `path`; returns the number of bytes cut.
[[nodiscard]] Result<std::int64_t> cut_torn_tail(const std::filesystem::path& path);

}  // namespace spot::sinks::file
