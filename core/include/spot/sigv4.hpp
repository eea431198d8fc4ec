// AWS Signature Version 4, for Amazon OpenSearch Service (service "es", or "aoss" for
// OpenSearch Serverless). Checked against AWS's published test suite vectors.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spot::http {

struct AwsCredentials {
    std::string access_key_id, secret_access_key, session_token;
    std::string region, service = "es";
};

std::string sha256_hex(std::string_view data);

// The Authorization header value for a request. `headers` are the headers to sign (any case;
// host and x-amz-date at least); `query` is the raw query string (without '?'); `amz_date` is
// yyyyMMddTHHmmssZ.
std::string sigv4_authorization(const AwsCredentials& credentials,
                                std::string_view method,
                                std::string_view path,
                                std::string_view query,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::string_view payload_sha256,
                                std::string_view amz_date);

}  // namespace spot::http
