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
    return c;
}

}  // namespace spot::http
