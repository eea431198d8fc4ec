// A zip of event logs (what the History Server's /logs endpoint serves), read in place with
// Debian's libzip: entries are streamed through the codec decoders, never extracted. The checks
// run before any byte is inflated: entry names (no absolute paths, no `..`), the entry count,
// declared sizes and compression ratios (a zip bomb); and while reading, an entry may not
// inflate beyond its declared size.
#include "log_store.hpp"

#include <fmt/format.h>
#include <map>
#include <zip.h>

namespace spot::sources::eventlog {

namespace {

constexpr std::uint64_t kRatioFloor = 1u << 20;  // small entries may compress very well

std::string zip_message(int code) {
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    std::string m = zip_error_strerror(&e);
    zip_error_fini(&e);
    return m;
}

// Why an entry name could escape the place it is read into, or empty when it is safe.
std::string unsafe_name(std::string_view name) {
    if (name.empty()) {
        return "an empty name";
    }
    if (name.front() == '/' || name.find('\\') != std::string_view::npos ||
        (name.size() > 1 && name[1] == ':')) {
        return "an absolute path";
    }
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto end = std::min(name.find('/', start), name.size());
        if (name.substr(start, end - start) == "..") {
            return "a '..' component";
        }
        start = end + 1;
    }
    return {};
}

class ZipEntryStream final : public ByteStream {
   public:
    ZipEntryStream(zip_file_t* file, std::uint64_t declared, std::string name)
        : file_(file), declared_(declared), name_(std::move(name)) {}
    ~ZipEntryStream() override { zip_fclose(file_); }
    ZipEntryStream(const ZipEntryStream&) = delete;
    ZipEntryStream& operator=(const ZipEntryStream&) = delete;

    Result<std::size_t> read(char* buffer, std::size_t size) override {
        const zip_int64_t n = zip_fread(file_, buffer, size);
        if (n < 0) {
            return make_error(ErrorCode::Parse,
                              std::string("cannot inflate: ") + zip_file_strerror(file_), name_);
        }
        read_ += static_cast<std::uint64_t>(n);
        if (read_ > declared_) {
            return make_error(ErrorCode::Parse,
                              fmt::format("entry inflates beyond its declared {} bytes (a zip "
                                          "bomb?)",
                                          declared_),
                              name_);
        }
        return static_cast<std::size_t>(n);
    }

   private:
    zip_file_t* file_;
    std::uint64_t declared_, read_ = 0;
    std::string name_;
};

class ZipArchive final : public LogStore {
   public:
    ZipArchive(zip_t* zip, std::string where) : zip_(zip), where_(std::move(where)) {}
    ~ZipArchive() override { zip_discard(zip_); }
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    Result<void> check(const ZipLimits& limits) {
        const zip_int64_t count = zip_get_num_entries(zip_, 0);
        if (count < 0 || static_cast<std::uint64_t>(count) > limits.max_entries) {
            return make_error(ErrorCode::Parse,
                              fmt::format("{} entries, more than {}", count, limits.max_entries),
                              where_);
        }
        std::uint64_t total = 0;
        for (zip_int64_t i = 0; i < count; ++i) {
            zip_stat_t st;
            zip_stat_init(&st);
            if (zip_stat_index(zip_, static_cast<zip_uint64_t>(i), 0, &st) != 0 ||
                (st.valid & (ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) !=
                    (ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) {
                return make_error(ErrorCode::Parse, fmt::format("entry {} is unreadable", i),
                                  where_);
            }
            const std::string name = st.name;
            if (auto why = unsafe_name(name); !why.empty()) {
                return make_error(ErrorCode::Parse,
                                  fmt::format("refused: entry '{}' has {}", name, why), where_);
            }
            total += st.size;
            if (total > limits.max_bytes) {
                return make_error(ErrorCode::Parse,
                                  fmt::format("refused: entries declare more than {} bytes "
                                              "(max_log_size)",
                                              limits.max_bytes),
                                  where_);
            }
            if (st.size > kRatioFloor &&
                static_cast<double>(st.size) >
                    limits.max_ratio *
                        static_cast<double>(std::max<zip_uint64_t>(st.comp_size, 1))) {
                return make_error(ErrorCode::Parse,
                                  fmt::format("refused: entry '{}' inflates {} bytes to {} (ratio "
                                              "over {}: a zip bomb?)",
                                              name, st.comp_size, st.size, limits.max_ratio),
                                  where_);
            }
            if (name.ends_with('/')) {
                continue;  // a folder entry
            }
            entries_[name] = Entry{static_cast<zip_uint64_t>(i), st.size};
            files_.push_back(StoredFile{name, static_cast<std::int64_t>(st.size),
                                        (st.valid & ZIP_STAT_MTIME) != 0 ? st.mtime * 1000LL : 0});
        }
        return {};
    }

    Result<std::vector<LogEntry>> list() override { return group_logs(files_, {}); }

    Result<std::unique_ptr<ByteStream>> open(const std::filesystem::path& part,
                                             Codec codec) override {
        const auto it = entries_.find(part.string());
        if (it == entries_.end()) {
            return make_error(ErrorCode::Io, "no such entry", where_ + ":" + part.string());
        }
        zip_file_t* f = zip_fopen_index(zip_, it->second.index, 0);
        if (f == nullptr) {
            return make_error(ErrorCode::Parse,
                              std::string("cannot open entry: ") + zip_strerror(zip_),
                              where_ + ":" + part.string());
        }
        const std::string name = where_ + ":" + part.string();
        return decoding_stream(std::make_unique<ZipEntryStream>(f, it->second.size, name), codec,
                               name);
    }

   private:
    struct Entry {
        zip_uint64_t index = 0;
        std::uint64_t size = 0;
    };
    zip_t* zip_;
    std::string where_;
    std::map<std::string, Entry> entries_;
    std::vector<StoredFile> files_;
};

}  // namespace

Result<std::unique_ptr<LogStore>> zip_archive(const std::filesystem::path& file, ZipLimits limits) {
    int code = 0;
    zip_t* zip = zip_open(file.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (zip == nullptr) {
        return make_error(ErrorCode::Parse, "not a readable zip: " + zip_message(code),
                          file.string());
    }
    auto archive = std::make_unique<ZipArchive>(zip, file.filename().string());
    if (auto checked = archive->check(limits); !checked) {
        return checked.error();
    }
    return std::unique_ptr<LogStore>(std::move(archive));
}

}  // namespace spot::sources::eventlog
