// The local-directory LogStore: the files of a directory and of its folders one level down,
// laid out by group_logs.
#include "log_store.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>

namespace spot::sources::eventlog {

namespace {

std::int64_t mtime_ms(const std::filesystem::path& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
        return 0;
    }
    return st.st_mtim.tv_sec * 1000LL + st.st_mtim.tv_nsec / 1'000'000;
}

class PlainFile final : public ByteStream {
   public:
    explicit PlainFile(const std::filesystem::path& p) : in_(p, std::ios::binary) {}
    [[nodiscard]] bool ok() const { return in_.good(); }
    Result<std::size_t> read(char* buffer, std::size_t size) override {
        in_.read(buffer, static_cast<std::streamsize>(size));
        if (in_.bad()) {
            return make_error(ErrorCode::Io, "read failed");
        }
        return static_cast<std::size_t>(in_.gcount());
    }

   private:
    std::ifstream in_;
};

class LocalDirectory final : public LogStore {
   public:
    explicit LocalDirectory(std::filesystem::path dir) : dir_(std::move(dir)) {}

    Result<std::vector<LogEntry>> list() override {
        std::error_code ec;
        std::vector<StoredFile> files;
        auto add = [&](const std::filesystem::directory_entry& e, const std::string& rel) {
            files.push_back(
                StoredFile{rel, static_cast<std::int64_t>(e.file_size()), mtime_ms(e.path())});
        };
        for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
            const std::string name = e.path().filename().string();
            if (e.is_regular_file()) {
                add(e, name);
            } else if (e.is_directory() && !name.starts_with(".")) {
                std::error_code sub_ec;  // a folder that vanishes meanwhile is skipped
                for (const auto& f : std::filesystem::directory_iterator(e.path(), sub_ec)) {
                    if (f.is_regular_file()) {
                        add(f, name + "/" + f.path().filename().string());
                    }
                }
            }
        }
        if (ec) {
            return make_error(ErrorCode::Io, "cannot list: " + ec.message(), dir_.string());
        }
        return group_logs(files, dir_);
    }

    Result<std::unique_ptr<ByteStream>> open(const std::filesystem::path& part,
                                             Codec codec) override {
        auto f = std::make_unique<PlainFile>(part);
        if (!f->ok()) {
            return make_error(ErrorCode::Io, std::string("cannot open: ") + std::strerror(errno),
                              part.string());
        }
        return decoding_stream(std::move(f), codec, part.string());
    }

   private:
    std::filesystem::path dir_;
};

}  // namespace

std::unique_ptr<LogStore> local_directory(std::filesystem::path dir) {
    return std::make_unique<LocalDirectory>(std::move(dir));
}

}  // namespace spot::sources::eventlog
