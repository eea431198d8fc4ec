// The HTTP client's options, declared once for every plugin that talks HTTP: a plugin puts
// SPOT_HTTP_CLIENT_OPTIONS in its option table and reads them back with client_options().
#pragma once

#include <spot/http.hpp>
#include <spot/options.hpp>
#include <spot/plugin.hpp>

// clang-format off
#define SPOT_HTTP_CLIENT_OPTIONS                                                                  \
    spot::option("connect_timeout", SPOT_OPT_DURATION, "10s",                                    \
                 "Longest wait for a TCP connection (and TLS handshake).", 0, nullptr, "100ms",   \
                 "10m"),                                                                          \
    spot::option("read_timeout", SPOT_OPT_DURATION, "60s",                                       \
                 "Longest wait for a whole response once the request is sent.", 0, nullptr,       \
                 "100ms", "1h"),                                                                  \
    spot::option("http_attempts", SPOT_OPT_INT, "4",                                             \
                 "Tries per request when the connection fails, times out, or the server answers " \
                 "429 or 5xx (exponential back-off with jitter; Retry-After is honoured).", 0,    \
                 nullptr, "1", "20"),                                                             \
    spot::option("http_backoff", SPOT_OPT_DURATION, "500ms",                                     \
                 "First back-off between tries; doubles each time up to 30s.", 0, nullptr,       \
                 "10ms", "10m"),                                                                  \
    spot::option("max_connections", SPOT_OPT_INT, "8",                                           \
                 "Requests in flight at once to this server (kept-alive connections).", 0,       \
                 nullptr, "1", "256"),                                                            \
    spot::option("max_response_size", SPOT_OPT_SIZE, "256MiB",                                   \
                 "A larger response is an error (protects memory).", 0, nullptr, "1KiB",         \
                 "4GiB"),                                                                         \
    spot::option("ca_file", SPOT_OPT_PATH, "",                                                   \
                 "PEM CA bundle to verify the server's certificate; empty: the system's."),       \
    spot::option("client_cert", SPOT_OPT_PATH, "",                                               \
                 "PEM client certificate (chain) for mutual TLS; empty: none."),                  \
    spot::option("client_key", SPOT_OPT_PATH, "",                                                \
                 "PEM private key of client_cert; empty: in client_cert's file."),                \
    spot::option("insecure", SPOT_OPT_BOOL, "false",                                             \
                 "Skip TLS certificate verification (logged as a warning at every start)."),      \
    spot::option("username", SPOT_OPT_STRING, "", "Basic authentication user; empty: none."),   \
    spot::option("password", SPOT_OPT_STRING, "", "Basic authentication password.",             \
                 SPOT_OPT_SECRET),                                                                \
    spot::option("token", SPOT_OPT_STRING, "",                                                   \
                 "Bearer token (used when no username is given).", SPOT_OPT_SECRET)

// AWS SigV4 signing (Amazon OpenSearch Service), for plugins whose servers may live on AWS.
#define SPOT_HTTP_AWS_OPTIONS                                                                     \
    spot::option("aws_region", SPOT_OPT_STRING, "",                                              \
                 "Sign requests with AWS SigV4 for this region (Amazon OpenSearch Service); "    \
                 "empty: no signing."),                                                           \
    spot::option("aws_service", SPOT_OPT_ENUM, "es",                                             \
                 "SigV4 service name: es (managed domains) or aoss (Serverless).", 0, "es|aoss"), \
    spot::option("aws_access_key_id", SPOT_OPT_STRING, "", "AWS access key id.", SPOT_OPT_SECRET),\
    spot::option("aws_secret_access_key", SPOT_OPT_STRING, "", "AWS secret access key.",         \
                 SPOT_OPT_SECRET),                                                                \
    spot::option("aws_session_token", SPOT_OPT_STRING, "",                                       \
                 "AWS session token of temporary credentials; empty: none.", SPOT_OPT_SECRET)
// clang-format on

namespace spot::http {

// Reads the options declared by SPOT_HTTP_CLIENT_OPTIONS (and SPOT_HTTP_AWS_OPTIONS when the
// plugin declares them).
ClientOptions client_options(const Options& options);

}  // namespace spot::http
