// The local-directory LogStore: plain and zstd files, rolling eventlog_v2_* folders.
#include "block_codecs.hpp"
#include "log_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sys/stat.h>
#include <zstd.h>

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
    bool ok() const { return in_.good(); }
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

// Spark's zstd codec writes standard zstd frames (zstd-jni), possibly several in a row.
class ZstdFile final : public ByteStream {
   public:
    explicit ZstdFile(const std::filesystem::path& p)
        : file_(p), ctx_(ZSTD_createDStream()), in_buf_(ZSTD_DStreamInSize()) {}
    ~ZstdFile() override { ZSTD_freeDStream(ctx_); }
    bool ok() const { return file_.ok() && ctx_ != nullptr; }

    Result<std::size_t> read(char* buffer, std::size_t size) override {
        ZSTD_outBuffer out{buffer, size, 0};
        while (out.pos == 0) {
            if (in_.pos == in_.size) {
                auto n = file_.read(in_buf_.data(), in_buf_.size());
                if (!n) {
                    return n.error();
                }
                if (*n == 0) {
                    if (!frame_done_) {
                        return make_error(ErrorCode::Parse, "zstd stream ends inside a frame");
                    }
                    return std::size_t{0};
                }
                in_ = ZSTD_inBuffer{in_buf_.data(), *n, 0};
            }
            std::size_t r = ZSTD_decompressStream(ctx_, &out, &in_);
            if (ZSTD_isError(r)) {
                return make_error(ErrorCode::Parse, std::string("zstd: ") + ZSTD_getErrorName(r));
            }
            frame_done_ = r == 0;
        }
        return out.pos;
    }

   private:
    PlainFile file_;
    ZSTD_DStream* ctx_;
    std::vector<char> in_buf_;
    ZSTD_inBuffer in_{nullptr, 0, 0};
    bool frame_done_ = true;
};

class LocalDirectory final : public LogStore {
   public:
    explicit LocalDirectory(std::filesystem::path dir) : dir_(std::move(dir)) {}

    Result<std::vector<LogEntry>> list() override {
        std::error_code ec;
        std::vector<LogEntry> out;
        for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
            const std::string name = e.path().filename().string();
            if (name.starts_with(".") || name.ends_with(".inprogress") || name.ends_with(".crc")) {
                continue;
            }
            if (e.is_directory() && name.starts_with("eventlog_v2_")) {
                if (auto entry = rolling(e.path())) {
                    out.push_back(std::move(*entry));
                }
            } else if (e.is_directory()) {
                if (auto entry = spark1_folder(e.path())) {
                    out.push_back(std::move(*entry));
                }
            } else if (e.is_regular_file()) {
                LogEntry entry{name, {e.path()}, codec_of(e.path()),
                               static_cast<std::int64_t>(e.file_size()), mtime_ms(e.path())};
                out.push_back(std::move(entry));
            }
        }
        if (ec) {
            return make_error(ErrorCode::Io, "cannot list: " + ec.message(), dir_.string());
        }
        std::sort(out.begin(), out.end(),
                  [](const LogEntry& a, const LogEntry& b) { return a.name < b.name; });
        return out;
    }

    Result<std::unique_ptr<ByteStream>> open(const std::filesystem::path& part,
                                             Codec codec) override {
        if (codec == Codec::None) {
            auto f = std::make_unique<PlainFile>(part);
            if (!f->ok()) {
                return make_error(ErrorCode::Io, std::string("cannot open: ") + std::strerror(errno),
                                  part.string());
            }
            return std::unique_ptr<ByteStream>(std::move(f));
        }
        if (codec == Codec::Zstd) {
            auto f = std::make_unique<ZstdFile>(part);
            if (!f->ok()) {
                return make_error(ErrorCode::Io, "cannot open", part.string());
            }
            return std::unique_ptr<ByteStream>(std::move(f));
        }
        auto f = std::make_unique<PlainFile>(part);
        if (!f->ok()) {
            return make_error(ErrorCode::Io, std::string("cannot open: ") + std::strerror(errno),
                              part.string());
        }
        const std::string name = part.string();
        switch (codec) {
            case Codec::Lz4: return std::unique_ptr<ByteStream>(std::make_unique<Lz4BlockStream>(std::move(f), name));
            case Codec::Snappy: return std::unique_ptr<ByteStream>(std::make_unique<SnappyBlockStream>(std::move(f), name));
            case Codec::Lzf: return std::unique_ptr<ByteStream>(std::make_unique<LzfBlockStream>(std::move(f), name));
            default: break;
        }
        return make_error(ErrorCode::Parse, std::string("unknown codec '") + codec_name(codec) + "'",
                          part.string());
    }

   private:
    // eventlog_v2_<app>/: events_<N>_<app>[.codec] parts plus appstatus_<app>[.inprogress].
    std::optional<LogEntry> rolling(const std::filesystem::path& dir) {
        LogEntry entry;
        entry.name = dir.filename().string();
        bool complete = false;
        std::vector<std::pair<long, std::filesystem::path>> parts;
        std::error_code ec;
        for (const auto& f : std::filesystem::directory_iterator(dir, ec)) {
            const std::string n = f.path().filename().string();
            if (n.starts_with("appstatus_") && !n.ends_with(".inprogress") && !n.ends_with(".crc")) {
                complete = true;
            } else if (n.starts_with("events_") && !n.ends_with(".crc")) {
                parts.emplace_back(std::strtol(n.c_str() + 7, nullptr, 10), f.path());
                entry.size += static_cast<std::int64_t>(f.file_size());
                entry.mtime_ms = std::max(entry.mtime_ms, mtime_ms(f.path()));
            }
        }
        if (!complete || parts.empty()) {
            return std::nullopt;  // still being written
        }
        std::sort(parts.begin(), parts.end());
        for (auto& [n, p] : parts) {
            entry.parts.push_back(p);
        }
        entry.codec = codec_of(entry.parts.front());
        return entry;
    }

    // Spark 1.x: <app>/EVENT_LOG_1 with SPARK_VERSION_<v>, optional COMPRESSION_CODEC_<name>,
    // and APPLICATION_COMPLETE once the application has ended.
    std::optional<LogEntry> spark1_folder(const std::filesystem::path& dir) {
        const auto log = dir / "EVENT_LOG_1";
        std::error_code ec;
        if (!std::filesystem::is_regular_file(log, ec) ||
            !std::filesystem::exists(dir / "APPLICATION_COMPLETE", ec)) {
            return std::nullopt;
        }
        LogEntry entry{dir.filename().string(), {log}, Codec::None,
                       static_cast<std::int64_t>(std::filesystem::file_size(log, ec)), mtime_ms(log)};
        for (const auto& f : std::filesystem::directory_iterator(dir, ec)) {
            const std::string n = f.path().filename().string();
            if (n.starts_with("COMPRESSION_CODEC_")) {
                entry.codec = codec_of(std::filesystem::path("x." + n.substr(18)));
            }
        }
        return entry;
    }

    std::filesystem::path dir_;
};

}  // namespace

Codec codec_of(const std::filesystem::path& file) {
    const auto ext = file.extension().string();
    if (ext == ".zstd" || ext == ".zst") {
        return Codec::Zstd;
    }
    if (ext == ".lz4") {
        return Codec::Lz4;
    }
    if (ext == ".snappy") {
        return Codec::Snappy;
    }
    if (ext == ".lzf") {
        return Codec::Lzf;
    }
    return Codec::None;
}

const char* codec_name(Codec codec) {
    switch (codec) {
        case Codec::None: return "none";
        case Codec::Zstd: return "zstd";
        case Codec::Lz4: return "lz4";
        case Codec::Snappy: return "snappy";
        case Codec::Lzf: return "lzf";
    }
    return "?";
}

std::unique_ptr<LogStore> local_directory(std::filesystem::path dir) {
    return std::make_unique<LocalDirectory>(std::move(dir));
}

}  // namespace spot::sources::eventlog
