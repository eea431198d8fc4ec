// The on-disk spool that keeps bulk bodies while the cluster cannot take them, replayed in
// order when it answers again. A record is [u32 length][u32 crc32][payload], appended and
// fsynced before the documents count as acknowledged; `spool.head` holds the offset of the first
// record not yet replayed (rewritten atomically). On open, a record cut by a crash (short, or
// failing its checksum) is cut off the file, never replayed.
#pragma once

#include <spot/result.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace spot::sinks::elasticsearch {

class Spool {
   public:
    Spool(std::filesystem::path dir, std::uint64_t max_bytes);
    ~Spool();
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    // Takes the spool's lock (`spool.lock`, holding the owner's pid; refused with the owner named
    // while another instance, in this process or another, holds it), opens (creates) the files
    // and checks every record; returns bytes cut from a torn tail.
    Result<std::uint64_t> open();
    // Closes the files and releases the lock (also done by the destructor).
    void close();
    // Appends one record durably (write + fsync).
    Result<void> push(const std::string& payload);
    // The first record not yet replayed, if any.
    Result<std::optional<std::string>> front();
    // Marks the first record replayed; empties the files once all are.
    Result<void> pop();

    [[nodiscard]] bool empty() const { return head_ >= size_; }
    [[nodiscard]] std::uint64_t pending_bytes() const { return size_ - head_; }
    [[nodiscard]] std::size_t records() const { return records_; }
    [[nodiscard]] bool full() const { return pending_bytes() >= max_bytes_; }

   private:
    Result<void> lock();
    Result<void> save_head();
    std::filesystem::path dir_;
    std::uint64_t max_bytes_;
    int fd_ = -1;
    int lock_fd_ = -1;
    std::uint64_t head_ = 0, size_ = 0;
    std::size_t records_ = 0;
};

}  // namespace spot::sinks::elasticsearch
