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
        case ErrorCode::NotFound: return "NotFoundError";
    }
    return "InternalError";
}

Error error_from_exception(const std::exception& e, const std::string& context) {
    if (const auto* se = dynamic_cast<const Exception*>(&e)) {
        Error err = se->error();
        if (err.context.empty()) {
            err.context = context;
        }
        return err;
    }
    return make_error(ErrorCode::Internal, std::string("unexpected exception: ") + e.what(),
                      context);
}

Error error_from_exception(const std::exception_ptr& e, const std::string& context) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return error_from_exception(ex, context);
    } catch (...) {
        return make_error(ErrorCode::Internal, "unexpected exception of unknown type", context);
    }
}

}  // namespace spot
