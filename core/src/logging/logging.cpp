#include <spot/logging.hpp>
#include <spot/time.hpp>

#include <mutex>
#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace spot::logging {

namespace {

// One JSON object per line; the message is escaped, so a quote in it never breaks the line.
class JsonFormatter final : public spdlog::formatter {
   public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        auto t = std::chrono::time_point_cast<std::chrono::milliseconds>(msg.time);
        append(dest, "{\"time\":\"");
        append(dest, iso_utc(SysMillis(t.time_since_epoch())));
        append(dest, "\",\"level\":\"");
        auto level = spdlog::level::to_string_view(msg.level);
        dest.append(level.data(), level.data() + level.size());
        append(dest, "\",\"logger\":\"");
        escape(dest, {msg.logger_name.data(), msg.logger_name.size()});
        append(dest, "\",\"msg\":\"");
        escape(dest, {msg.payload.data(), msg.payload.size()});
        append(dest, "\"}\n");
    }
    [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }

   private:
    static void append(spdlog::memory_buf_t& dest, std::string_view s) {
        dest.append(s.data(), s.data() + s.size());
    }
    static void escape(spdlog::memory_buf_t& dest, std::string_view s) {
        for (char c : s) {
            switch (c) {
                case '"': append(dest, "\\\""); break;
                case '\\': append(dest, "\\\\"); break;
                case '\n': append(dest, "\\n"); break;
                case '\r': append(dest, "\\r"); break;
                case '\t': append(dest, "\\t"); break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        append(dest, fmt::format("\\u{:04x}", c));
                    } else {
                        dest.push_back(c);
                    }
            }
        }
    }
};

std::mutex g_mutex;
Format g_format = Format::Text;
spdlog::level::level_enum g_level = spdlog::level::info;

std::unique_ptr<spdlog::formatter> make_formatter() {
    if (g_format == Format::Json) {
        return std::make_unique<JsonFormatter>();
    }
    return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
}

spdlog::sink_ptr shared_sink() {
    static spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    return sink;
}

}  // namespace

void setup(spdlog::level::level_enum level, Format format) {
    std::lock_guard lock(g_mutex);
    g_level = level;
    g_format = format;
    shared_sink()->set_formatter(make_formatter());
    spdlog::apply_all([level](const std::shared_ptr<spdlog::logger>& l) { l->set_level(level); });
}

std::shared_ptr<spdlog::logger> get(const std::string& name) {
    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(name)) {
        return existing;
    }
    static bool formatter_set = false;
    if (!formatter_set) {
        shared_sink()->set_formatter(make_formatter());
        formatter_set = true;
    }
    auto logger = std::make_shared<spdlog::logger>(name, shared_sink());
    logger->set_level(g_level);
    spdlog::register_logger(logger);
    return logger;
}

Format parse_format(const std::string& text) {
    if (text == "json") {
        return Format::Json;
    }
    if (text == "text") {
        return Format::Text;
    }
    return isatty(STDERR_FILENO) ? Format::Text : Format::Json;
}

}  // namespace spot::logging
