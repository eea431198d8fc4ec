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
    if (auto saved = write_file_atomically(file_of(pipeline), boost::json::serialize(state));
        !saved) {
        return saved;
    }
    // The state holds every journaled checkpoint now. A crash before the truncation is durable
    // replays some of them again, which a source's commit() takes as a no-op.
    const auto journal = journal_of(pipeline);
    if (std::filesystem::exists(journal) && ::truncate(journal.c_str(), 0) != 0) {
        return io_error("cannot empty the journal", journal);
    }
    return {};
}

std::filesystem::path StateStore::journal_of(const std::string& pipeline) const {
    return dir_ / (pipeline + ".journal.jsonl");
}

Result<void> StateStore::append_journal(const std::string& pipeline,
                                        const boost::json::value& checkpoint) {
    const auto journal = journal_of(pipeline);
    int fd = ::open(journal.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
        return io_error("cannot open the journal", journal);
    }
    auto written = write_all(fd, boost::json::serialize(checkpoint) + "\n", journal);
    if (written && ::fdatasync(fd) != 0) {
        written = io_error("fdatasync failed", journal);
    }
    ::close(fd);
    return written;
}

Result<std::vector<boost::json::value>> StateStore::load_journal(
    const std::string& pipeline) const {
    std::vector<boost::json::value> out;
    std::ifstream in(journal_of(pipeline), std::ios::binary);
    for (std::string line; std::getline(in, line);) {
        boost::system::error_code ec;
        auto v = boost::json::parse(line, ec);
        if (ec) {
            if (in.peek() == std::char_traits<char>::eof()) {
                break;  // the last line, cut by a crash mid-append: its run is taken again
            }
            return make_error(ErrorCode::Json,
                              "journal line is not valid JSON (" + ec.message() +
                                  "); move it away to process those runs again",
                              journal_of(pipeline).string());
        }
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace spot::core
