// How Spark lays out event logs, whatever holds them (a directory, a downloaded zip): single
// files, rolling eventlog_v2_* folders and Spark 1.x folders, in-progress ones left out.
#include "log_store.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace spot::sources::eventlog {

namespace {

bool skipped(const std::string& name) {
    return name.empty() || name.starts_with(".") || name.ends_with(".inprogress") ||
           name.ends_with(".crc");
}

// eventlog_v2_<app>/: events_<N>_<app>[.codec] parts plus appstatus_<app>[.inprogress].
std::optional<LogEntry> rolling(const std::string& dir,
                                const std::vector<StoredFile>& files,
                                const std::filesystem::path& root) {
    LogEntry entry;
    entry.name = dir;
    bool complete = false;
    std::vector<std::pair<long, std::string>> parts;
    for (const auto& f : files) {
        const std::string n = f.path.substr(dir.size() + 1);
        if (n.starts_with("appstatus_") && !n.ends_with(".inprogress") && !n.ends_with(".crc")) {
            complete = true;
        } else if (n.starts_with("events_") && !n.ends_with(".crc")) {
            parts.emplace_back(std::strtol(n.c_str() + 7, nullptr, 10), f.path);
            entry.size += f.size;
            entry.mtime_ms = std::max(entry.mtime_ms, f.mtime_ms);
        }
    }
    if (!complete || parts.empty()) {
        return std::nullopt;  // still being written
    }
    std::sort(parts.begin(), parts.end());
    for (auto& [n, p] : parts) {
        entry.parts.push_back(root / p);
    }
    entry.codec = codec_of(entry.parts.front());
    return entry;
}

// Spark 1.x: <app>/EVENT_LOG_1 with SPARK_VERSION_<v>, optional COMPRESSION_CODEC_<name>,
// and APPLICATION_COMPLETE once the application has ended.
std::optional<LogEntry> spark1_folder(const std::string& dir,
                                      const std::vector<StoredFile>& files,
                                      const std::filesystem::path& root) {
    const StoredFile* log = nullptr;
    bool complete = false;
    Codec codec = Codec::None;
    for (const auto& f : files) {
        const std::string n = f.path.substr(dir.size() + 1);
        if (n == "EVENT_LOG_1") {
            log = &f;
        } else if (n == "APPLICATION_COMPLETE") {
            complete = true;
        } else if (n.starts_with("COMPRESSION_CODEC_")) {
            codec = codec_of(std::filesystem::path("x." + n.substr(18)));
        }
    }
    if (log == nullptr || !complete) {
        return std::nullopt;
    }
    return LogEntry{dir, {root / log->path}, codec, log->size, log->mtime_ms};
}

}  // namespace

std::vector<LogEntry> group_logs(const std::vector<StoredFile>& files,
                                 const std::filesystem::path& root) {
    std::vector<LogEntry> out;
    std::map<std::string, std::vector<StoredFile>> folders;
    for (const auto& f : files) {
        const auto slash = f.path.find('/');
        if (slash == std::string::npos) {
            if (!skipped(f.path)) {
                out.push_back(
                    LogEntry{f.path, {root / f.path}, codec_of(f.path), f.size, f.mtime_ms});
            }
        } else if (f.path.find('/', slash + 1) == std::string::npos && slash + 1 < f.path.size()) {
            folders[f.path.substr(0, slash)].push_back(f);  // one level down, as Spark writes
        }
    }
    for (const auto& [dir, contents] : folders) {
        if (skipped(dir)) {
            continue;
        }
        auto entry = dir.starts_with("eventlog_v2_") ? rolling(dir, contents, root)
                                                     : spark1_folder(dir, contents, root);
        if (entry) {
            out.push_back(std::move(*entry));
        }
    }
    std::sort(out.begin(), out.end(),
              [](const LogEntry& a, const LogEntry& b) { return a.name < b.name; });
    return out;
}

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

}  // namespace spot::sources::eventlog
