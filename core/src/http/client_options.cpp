#include <spot/http_options.hpp>

namespace spot::http {

ClientOptions client_options(const Options& o) {
    ClientOptions c;
    c.connect_timeout = o.duration("connect_timeout");
    c.read_timeout = o.duration("read_timeout");
    c.max_attempts = static_cast<int>(o.integer("http_attempts"));
    c.backoff_initial = o.duration("http_backoff");
    c.max_connections = static_cast<std::size_t>(o.integer("max_connections"));
    c.max_response_bytes = static_cast<std::size_t>(o.integer("max_response_size"));
    c.ca_file = o.str("ca_file");
    c.cert_file = o.str("client_cert");
    c.key_file = o.str("client_key");
    c.insecure = o.flag("insecure");
    c.username = o.str("username");
    c.password = o.str("password");
    c.bearer_token = o.str("token");
    if (o.has("aws_region") && !o.str("aws_region").empty()) {
        c.aws.region = o.str("aws_region");
        c.aws.service = o.str("aws_service");
        c.aws.access_key_id = o.str("aws_access_key_id");
        c.aws.secret_access_key = o.str("aws_secret_access_key");
        c.aws.session_token = o.str("aws_session_token");
        if (c.aws.access_key_id.empty() || c.aws.secret_access_key.empty()) {
            throw Exception(make_error(ErrorCode::Config,
                                       "aws_region is set: aws_access_key_id and "
                                       "aws_secret_access_key are needed too"));
        }
    }
    return c;
}

}  // namespace spot::http
