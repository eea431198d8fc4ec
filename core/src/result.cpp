#include <spot/result.hpp>

namespace spot {

std::string_view error_type_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::Config: return "ConfigError";
        case ErrorCode::Io: return "IoError";
        case ErrorCode::Json: return "JsonError";
        case ErrorCode::Http: return "HttpError";
        case ErrorCode::Timeout: return "Timeout";
        case ErrorCode::Connection: return "ConnectionError";
        case ErrorCode::Plugin: return "PluginError";
        case ErrorCode::Parse: return "ParseError";
        case ErrorCode::Cancelled: return "Cancelled";
        case ErrorCode::Internal: return "InternalError";
    }
    return "InternalError";
}

}  // namespace spot
