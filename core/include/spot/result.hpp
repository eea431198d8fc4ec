// Errors as values: every call that can fail from outside (network, files, config, malformed
// input) returns spot::Result<T>. Exceptions are caught only at boundaries (STYLE §5).
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>
#include <exception>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace spot {

// Stable class names: they become `spot.error.type` in err documents (SPEC §4.4).
enum class ErrorCode {
    Config,
    Io,
    Json,
    Http,
    Timeout,
    Connection,
    Plugin,
    Parse,
    Cancelled,
    Internal,
    NotFound,  // what was asked for does not exist (a job an advisor never saw)
};

std::string_view error_type_name(ErrorCode code) noexcept;

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;
    std::string context;       // where: pipeline, plugin, app id, URL or config path
    unsigned http_status = 0;  // the last HTTP status, for ErrorCode::Http

    [[nodiscard]] std::string describe() const {
        return context.empty() ? message : context + ": " + message;
    }
};

inline std::ostream& operator<<(std::ostream& os, const Error& e) { return os << e.describe(); }

class Exception : public std::runtime_error {
   public:
    explicit Exception(Error e) : std::runtime_error(e.describe()), error_(std::move(e)) {}
    [[nodiscard]] const Error& error() const noexcept { return error_; }

   private:
    Error error_;
};

// Lets Result<T>::value() throw spot::Exception instead of a generic system_error.
[[noreturn]] inline void throw_exception_from_error(const Error& e, const boost::source_location&) {
    throw Exception(e);
}

template <class T>
using Result = boost::system::result<T, Error>;

inline Error make_error(ErrorCode code, std::string message, std::string context = {}) {
    return Error{code, std::move(message), std::move(context)};
}

// The Error an escaped exception stands for: a spot::Exception's own, anything else as an
// Internal error. `context` fills in where the error names none.
Error error_from_exception(const std::exception& e, const std::string& context);
Error error_from_exception(const std::exception_ptr& e, const std::string& context);

}  // namespace spot
