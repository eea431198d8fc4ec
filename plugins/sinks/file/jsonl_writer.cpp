#include "jsonl_writer.hpp"

#include <spot/time.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace spot::sinks::file {

namespace {

Error io_error(const std::string& what, const std::filesystem::path& p) {
    return make_error(ErrorCode::Io, what + ": " + std::strerror(errno), p.string());
}

}  // namespace

Result<std::int64_t> cut_torn_tail(const std::filesystem::path& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT ? Result<std::int64_t>(0) : io_error("cannot open", path);
    }
    struct stat st {};
    ::fstat(fd, &st);
    std::int64_t end = st.st_size;
    std::int64_t keep = end;
    std::vector<char> block(64 * 1024);
    // Scan backwards for the last newline; a healthy file ends in one, so this reads one block.
    while (keep > 0) {
        std::int64_t from =
            std::max<std::int64_t>(0, keep - static_cast<std::int64_t>(block.size()));
        ssize_t n = ::pread(fd, block.data(), static_cast<std::size_t>(keep - from), from);
        if (n <= 0) {
            ::close(fd);
            return io_error("cannot read", path);
        }
        auto* last = static_cast<char*>(::memrchr(block.data(), '\n', static_cast<std::size_t>(n)));
        if (last != nullptr) {
            keep = from + (last - block.data()) + 1;
            break;
        }
        keep = from;
    }
    if (keep != end && ::ftruncate(fd, keep) != 0) {
        ::close(fd);
        return io_error("cannot cut the torn tail", path);
    }
    ::close(fd);
    return end - keep;
}

JsonlWriter::JsonlWriter(std::filesystem::path path, std::int64_t max_size, bool fsync)
    : path_(std::move(path)), max_size_(max_size), fsync_(fsync) {}

JsonlWriter::~JsonlWriter() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

Result<void> JsonlWriter::open() {
    auto cut = cut_torn_tail(path_);
    if (!cut) {
        return cut.error();
    }
    repaired_ = *cut;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd_ < 0) {
        return io_error("cannot open", path_);
    }
    struct stat st {};
    ::fstat(fd_, &st);
    size_ = st.st_size;
    return {};
}

Result<void> JsonlWriter::rotate() {
    if (auto synced = sync(); !synced) {
        return synced;
    }
    ::close(fd_);
    fd_ = -1;
    // <stream>.jsonl -> <stream>.<UTC time>.jsonl: names sort in the order they were written.
    std::string stamp = iso_utc_now();
    std::erase(stamp, ':');
    auto rotated = path_.parent_path() / (path_.stem().string() + "." + stamp + ".jsonl");
    for (int n = 1; std::filesystem::exists(rotated); ++n) {
        // Several rotations within one millisecond must not overwrite each other.
        rotated = path_.parent_path() /
                  (path_.stem().string() + "." + stamp + "-" + std::to_string(n) + ".jsonl");
    }
    if (::rename(path_.c_str(), rotated.c_str()) != 0) {
        return io_error("cannot rotate", path_);
    }
    return open();
}

Result<void> JsonlWriter::append(std::string_view lines) {
    if (fd_ < 0) {
        if (auto opened = open(); !opened) {
            return opened;
        }
    }
    if (size_ > 0 && size_ + static_cast<std::int64_t>(lines.size()) > max_size_) {
        if (auto rotated = rotate(); !rotated) {
            return rotated;
        }
    }
    const std::int64_t before = size_;
    while (!lines.empty()) {
        ssize_t n = ::write(fd_, lines.data(), lines.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            auto error = io_error("write failed", path_);
            // Leave no partial batch behind (ENOSPC mid-way): the caller retries it whole.
            if (::ftruncate(fd_, before) == 0) {
                size_ = before;
            }
            return error;
        }
        size_ += n;
        lines.remove_prefix(static_cast<std::size_t>(n));
    }
    return fsync_ ? sync() : Result<void>{};
}

Result<void> JsonlWriter::sync() {
    if (fd_ >= 0 && ::fdatasync(fd_) != 0) {
        return io_error("fdatasync failed", path_);
    }
    return {};
}

}  // namespace spot::sinks::file
