#include "state/state_store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace spot::core {

namespace {

Error io_error(const std::string& what, const std::filesystem::path& p) {
    return make_error(ErrorCode::Io, what + ": " + std::strerror(errno), p.string());
}

Result<void> write_all(int fd, std::string_view content, const std::filesystem::path& p) {
    while (!content.empty()) {
        ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error("write failed", p);
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

}  // namespace

Result<void> write_file_atomically(const std::filesystem::path& file, std::string_view content) {
    auto tmp = file;
    tmp += ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        return io_error("cannot create", tmp);
    }
    auto written = write_all(fd, content, tmp);
    if (written && ::fsync(fd) != 0) {
        written = io_error("fsync failed", tmp);
    }
    ::close(fd);
    if (!written) {
        return written;
    }
    if (::rename(tmp.c_str(), file.c_str()) != 0) {
        return io_error("cannot rename into place", file);
    }
    // The rename is durable only once the directory entry is.
    int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

Result<void> StateStore::open() {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) {
        return make_error(ErrorCode::Io, "cannot create state_dir: " + ec.message(), dir_.string());
    }
    if (::access(dir_.c_str(), W_OK) != 0) {
        return io_error("state_dir is not writable", dir_);
    }
    return {};
}

std::filesystem::path StateStore::file_of(const std::string& pipeline) const {
    return dir_ / (pipeline + ".state.json");
}

Result<boost::json::value> StateStore::load(const std::string& pipeline) const {
    auto file = file_of(pipeline);
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return boost::json::value(nullptr);
    }
    std::ostringstream content;
    content << in.rdbuf();
    boost::system::error_code ec;
    auto value = boost::json::parse(content.str(), ec);
    if (ec) {
        return make_error(ErrorCode::Json,
                          "state file is not valid JSON (" + ec.message() +
                              "); move it away to start this pipeline afresh",
                          file.string());
    }
    return value;
}

Result<void> StateStore::save(const std::string& pipeline, const boost::json::value& state) {
    return write_file_atomically(file_of(pipeline), boost::json::serialize(state));
}

}  // namespace spot::core
