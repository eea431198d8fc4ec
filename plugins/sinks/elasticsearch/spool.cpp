#include "spool.hpp"

#include <boost/crc.hpp>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace spot::sinks::elasticsearch {

namespace {

std::uint32_t crc32(const char* data, std::size_t n) {
    boost::crc_32_type crc;
    crc.process_bytes(data, n);
    return crc.checksum();
}

Error io_error(const std::string& what, const std::filesystem::path& p) {
    return make_error(ErrorCode::Io, what + ": " + std::strerror(errno), p.string());
}

bool read_at(int fd, std::uint64_t off, char* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        const auto r = ::pread(fd, out + got, n - got, static_cast<off_t>(off + got));
        if (r <= 0) {
            return false;
        }
        got += static_cast<std::size_t>(r);
    }
    return true;
}

}  // namespace

Spool::Spool(std::filesystem::path dir, std::uint64_t max_bytes)
    : dir_(std::move(dir)), max_bytes_(max_bytes) {}

Spool::~Spool() { close(); }

void Spool::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    if (lock_fd_ >= 0) {
        ::close(lock_fd_);  // releases the flock
        lock_fd_ = -1;
    }
}

Result<void> Spool::lock() {
    // flock locks belong to the open file description: a second open of the same spool in this
    // process (a reloaded sink while the old one still drains) is refused like another process.
    const auto path = dir_ / "spool.lock";
    lock_fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd_ < 0) {
        return io_error("cannot open the spool lock", path);
    }
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        char owner[32] = {};
        [[maybe_unused]] auto n = ::pread(lock_fd_, owner, sizeof owner - 1, 0);
        ::close(lock_fd_);
        lock_fd_ = -1;
        if (err != EWOULDBLOCK) {
            errno = err;
            return io_error("cannot lock the spool", path);
        }
        std::string pid(owner);
        pid.erase(pid.find_last_not_of(" \n") + 1);
        return make_error(ErrorCode::Io,
                          "spool is in use by another sink instance (pid " +
                              (pid.empty() ? std::string("unknown") : pid) +
                              "); two sinks must not share a spool_dir",
                          path.string());
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, pid.data(), pid.size(), 0) < 0) {
        return io_error("cannot write the spool lock", path);
    }
    return {};
}

Result<std::uint64_t> Spool::open() {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) {
        return make_error(ErrorCode::Io, "cannot create spool directory: " + ec.message(),
                          dir_.string());
    }
    if (auto locked = lock(); !locked) {
        return locked.error();
    }
    const auto data = dir_ / "spool.dat";
    fd_ = ::open(data.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) {
        return io_error("cannot open spool", data);
    }
    struct stat st {};
    ::fstat(fd_, &st);
    const auto file_size = static_cast<std::uint64_t>(st.st_size);
    head_ = 0;
    if (std::ifstream in(dir_ / "spool.head"); in) {
        in >> head_;
    }
    if (head_ > file_size) {
        head_ = 0;  // a head beyond the data: trust the data, replay it all (ids make it safe)
    }
    // Walk every record from the head; stop at the first one that is cut or corrupt.
    std::uint64_t off = head_;
    records_ = 0;
    char header[8];
    std::string payload;
    while (off + 8 <= file_size && read_at(fd_, off, header, 8)) {
        std::uint32_t len = 0, crc = 0;
        std::memcpy(&len, header, 4);
        std::memcpy(&crc, header + 4, 4);
        if (off + 8 + len > file_size) {
            break;
        }
        payload.resize(len);
        if (!read_at(fd_, off + 8, payload.data(), len) || crc32(payload.data(), len) != crc) {
            break;
        }
        off += 8 + len;
        ++records_;
    }
    const std::uint64_t cut = file_size - off;
    if (cut > 0 && ::ftruncate(fd_, static_cast<off_t>(off)) != 0) {
        return io_error("cannot cut the torn end of the spool", data);
    }
    size_ = off;
    return cut;
}

Result<void> Spool::push(const std::string& payload) {
    const auto len = static_cast<std::uint32_t>(payload.size());
    const std::uint32_t crc = crc32(payload.data(), payload.size());
    std::string rec(8, '\0');
    std::memcpy(rec.data(), &len, 4);
    std::memcpy(rec.data() + 4, &crc, 4);
    rec += payload;
    std::size_t done = 0;
    while (done < rec.size()) {
        const auto n = ::write(fd_, rec.data() + done, rec.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            // Cut what was written of this record, so the file ends on a whole record.
            [[maybe_unused]] auto ignored = ::ftruncate(fd_, static_cast<off_t>(size_));
            return io_error("cannot write to the spool", dir_ / "spool.dat");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fdatasync(fd_) != 0) {
        return io_error("cannot sync the spool", dir_ / "spool.dat");
    }
    size_ += rec.size();
    ++records_;
    return {};
}

Result<std::optional<std::string>> Spool::front() {
    if (empty()) {
        return std::optional<std::string>{};
    }
    char header[8];
    if (!read_at(fd_, head_, header, 8)) {
        return io_error("cannot read the spool", dir_ / "spool.dat");
    }
    std::uint32_t len = 0;
    std::memcpy(&len, header, 4);
    std::string payload(len, '\0');
    if (!read_at(fd_, head_ + 8, payload.data(), len)) {
        return io_error("cannot read the spool", dir_ / "spool.dat");
    }
    return std::optional<std::string>(std::move(payload));
}

Result<void> Spool::pop() {
    if (empty()) {
        return {};
    }
    char header[8];
    if (!read_at(fd_, head_, header, 8)) {
        return io_error("cannot read the spool", dir_ / "spool.dat");
    }
    std::uint32_t len = 0;
    std::memcpy(&len, header, 4);
    head_ += 8 + len;
    --records_;
    if (empty()) {
        // All replayed: start the file again (head first, so a crash in between replays nothing
        // twice beyond what ids make harmless).
        head_ = size_ = 0;
        if (::ftruncate(fd_, 0) != 0) {
            return io_error("cannot empty the spool", dir_ / "spool.dat");
        }
    }
    return save_head();
}

Result<void> Spool::save_head() {
    const auto tmp = dir_ / "spool.head.tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return io_error("cannot write", tmp);
    }
    const std::string text = std::to_string(head_) + "\n";
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                    ::fsync(fd) == 0;
    ::close(fd);
    if (!ok || ::rename(tmp.c_str(), (dir_ / "spool.head").c_str()) != 0) {
        return io_error("cannot save the spool head", tmp);
    }
    return {};
}

}  // namespace spot::sinks::elasticsearch
