#include "log_reader.hpp"

#include "task_end_parser.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/stream_parser.hpp>
#include <fmt/format.h>

#include <optional>

namespace spot::sources::eventlog {

namespace json = boost::json;

namespace {

// Lines start with {"Event":"<name>": events the History Server does not use for the four
// endpoints (SQL plans, job and accumulator updates, which can be deeply nested and large) are
// skipped without parsing.
bool wanted(std::string_view line) {
    constexpr std::string_view kPrefix = "{\"Event\":\"";
    if (!line.starts_with(kPrefix)) {
        return true;  // unusual layout: parse it and let the builder decide
    }
    auto name = line.substr(kPrefix.size(), 96);
    return RunBuilder::uses(event_name(name.substr(0, name.find('"'))));
}

// Where the "Accumulables" array of a task's info starts and ends, so that parsing can skip
// it: it is about half of every SparkListenerTaskEnd line, the bulk of a log, and nothing the
// History Server's four endpoints use. Returns false when the line has no such array.
bool find_accumulables(std::string_view line, std::size_t& begin, std::size_t& end) {
    constexpr std::string_view kKey = "\"Accumulables\":[";
    begin = line.find(kKey);
    if (begin == std::string_view::npos) {
        return false;
    }
    std::size_t i = begin + kKey.size();
    int depth = 1;
    bool in_string = false;
    for (; i < line.size() && depth > 0; ++i) {
        const char c = line[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    if (depth != 0) {
        return false;  // malformed: let the parser report it
    }
    begin += kKey.size() - 1;  // keep `"Accumulables":`, drop the array
    end = i;
    return true;
}

}  // namespace

// Streams the lines of a log's parts to `on_line(line, last)`, which returns false to stop early;
// a line longer than `max_line` is an error. Returns the uncompressed bytes read.
template <class OnLine>
Result<std::int64_t> for_each_line(LogStore& store,
                                   const LogEntry& entry,
                                   std::size_t max_line,
                                   std::size_t chunk_size,
                                   OnLine&& on_line) {
    std::vector<char> chunk(chunk_size);
    std::string pending;  // an incomplete line carried over to the next chunk
    std::int64_t bytes = 0, lines = 0;
    for (const auto& part : entry.parts) {
        auto stream = store.open(part, entry.codec);
        if (!stream) {
            return stream.error();
        }
        for (;;) {
            auto n = (*stream)->read(chunk.data(), chunk.size());
            if (!n) {
                Error e = n.error();
                e.context = part.string();
                return e;
            }
            if (*n == 0) {
                break;
            }
            bytes += static_cast<std::int64_t>(*n);
            std::string_view data(chunk.data(), *n);
            while (!data.empty()) {
                auto nl = data.find('\n');
                if (nl == std::string_view::npos) {
                    pending.append(data);
                    if (pending.size() > max_line) {
                        return make_error(ErrorCode::Parse,
                                          fmt::format("line {} is longer than max_line_size ({} "
                                                      "bytes)",
                                                      lines + 1, max_line),
                                          entry.name);
                    }
                    break;
                }
                ++lines;
                Result<bool> more;
                if (pending.empty()) {
                    more = on_line(data.substr(0, nl), false);
                } else {
                    pending.append(data.substr(0, nl));
                    more = on_line(std::string_view(pending), false);
                    pending.clear();
                }
                if (!more) {
                    return more.error();
                }
                if (!*more) {
                    return bytes;
                }
                data.remove_prefix(nl + 1);
            }
        }
    }
    if (!pending.empty()) {
        if (auto more = on_line(std::string_view(pending), true); !more) {
            return more.error();
        }
    }
    return bytes;
}

Result<ParsedLog> read_log(LogStore& store, const LogEntry& entry, std::size_t max_line) {
    ParsedLog out;
    json::parse_options options;
    options.max_depth = 1024;  // Spark nests query plans deeply
    json::stream_parser parser(json::storage_ptr(), options);
    unsigned char arena[16 * 1024];
    TaskEndParser fast;
    auto parse_line = [&](std::string_view line, bool last) -> Result<void> {
        ++out.lines;
        if (line.empty() || !wanted(line)) {
            return {};
        }
        if (line.starts_with("{\"Event\":\"SparkListenerTaskEnd\"")) {
            TaskEnd t;
            if (fast.parse(line, t)) {
                out.run.add_task_end(t);
                return {};
            }  // anything unusual: the DOM path below reads it or reports it
        }
        json::monotonic_resource mr(arena, sizeof(arena));
        parser.reset(&mr);
        boost::system::error_code ec;
        std::size_t skip_begin = 0, skip_end = 0;
        if (line.starts_with("{\"Event\":\"SparkListenerTaskEnd\"") &&
            find_accumulables(line, skip_begin, skip_end)) {
            parser.write(line.data(), skip_begin, ec);
            if (!ec) {
                parser.write("[]", 2, ec);
            }
            if (!ec) {
                parser.write(line.data() + skip_end, line.size() - skip_end, ec);
            }
        } else {
            parser.write(line.data(), line.size(), ec);
        }
        if (!ec) {
            parser.finish(ec);  // a whole line: incomplete JSON is an error
        }
        if (ec) {
            if (last) {
                out.cut_last_line = true;
                return {};
            }
            return make_error(ErrorCode::Json,
                              fmt::format("line {} is not JSON ({})", out.lines, ec.message()),
                              entry.name);
        }
        json::value v = parser.release();
        if (v.is_object()) {
            try {
                out.run.add(v.get_object());
            } catch (const std::exception& e) {
                // A value of an unexpected type: this log is an err document, the pass goes on.
                return make_error(ErrorCode::Parse, fmt::format("line {}: {}", out.lines, e.what()),
                                  entry.name);
            }
        }
        return {};
    };
    auto bytes = for_each_line(store, entry, max_line, 1 << 20,
                               [&](std::string_view line, bool last) -> Result<bool> {
                                   if (auto parsed = parse_line(line, last); !parsed) {
                                       return parsed.error();
                                   }
                                   return true;
                               });
    if (!bytes) {
        return bytes.error();
    }
    out.bytes = *bytes;
    return out;
}

Result<LogIdentity> identify_log(LogStore& store, const LogEntry& entry, std::size_t max_line) {
    // Spark writes the application start within the first lines (after the log start and,
    // sometimes, resource profiles and environment): read until it, never the whole log.
    constexpr std::string_view kStart = "{\"Event\":\"SparkListenerApplicationStart\"";
    std::int64_t lines = 0;
    std::optional<Result<LogIdentity>> found;
    auto read = for_each_line(
        store, entry, max_line, 64 << 10, [&](std::string_view line, bool) -> Result<bool> {
            ++lines;
            if (!line.starts_with(kStart)) {
                return true;
            }
            boost::system::error_code ec;
            auto v = json::parse(line, ec);
            const auto* o = !ec && v.is_object() ? &v.get_object() : nullptr;
            const auto* id = o != nullptr ? o->if_contains("App ID") : nullptr;
            if (id == nullptr || !id->is_string() || id->get_string().empty()) {
                found = make_error(ErrorCode::Parse,
                                   fmt::format("line {}: an application start without an App ID",
                                               lines),
                                   entry.name);
            } else {
                const auto* attempt = o->if_contains("App Attempt ID");
                found = LogIdentity{std::string(id->get_string()),
                                    attempt != nullptr && attempt->is_string()
                                        ? std::string(attempt->get_string())
                                        : std::string()};
            }
            return false;
        });
    if (!read) {
        return read.error();
    }
    if (found) {
        return *found;
    }
    return make_error(ErrorCode::Parse, "no SparkListenerApplicationStart event", entry.name);
}

}  // namespace spot::sources::eventlog
