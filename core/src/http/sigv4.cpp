#include <spot/sigv4.hpp>

#include <algorithm>
#include <map>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace spot::http {

namespace {

std::string hex(const unsigned char* data, std::size_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        out += kHex[data[i] >> 4];
        out += kHex[data[i] & 15];
    }
    return out;
}

std::string hmac(std::string_view key, std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
    return std::string(reinterpret_cast<const char*>(md), len);
}

// RFC 3986 encoding, unreserved characters kept; with keep_escapes an existing %XX stays as it is.
std::string uri_encode(std::string_view s, bool keep_slash, bool keep_escapes = true) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
            (keep_slash && c == '/')) {
            out += static_cast<char>(c);
        } else if (keep_escapes && c == '%' && i + 2 < s.size() &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += '%';
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string canonical_query(std::string_view query) {
    std::vector<std::pair<std::string, std::string>> params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto part = query.substr(0, amp);
        if (!part.empty()) {
            const auto eq = part.find('=');
            params.emplace_back(uri_encode(part.substr(0, eq), false),
                                eq == std::string_view::npos
                                    ? ""
                                    : uri_encode(part.substr(eq + 1), false));
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (const auto& [k, v] : params) {
        out += (out.empty() ? "" : "&") + k + "=" + v;
    }
    return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
    return hex(md, len);
}

std::string sigv4_authorization(const AwsCredentials& c,
                                std::string_view method,
                                std::string_view path,
                                std::string_view query,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::string_view payload_sha256,
                                std::string_view amz_date) {
    std::map<std::string, std::string> canon;  // sorted by lower-case name
    for (const auto& [k, v] : headers) {
        std::string name = k;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        std::string value = v;
        value.erase(0, value.find_first_not_of(' '));
        value.erase(value.find_last_not_of(' ') + 1);
        canon[name] = value;
    }
    std::string canonical_headers, signed_headers;
    for (const auto& [k, v] : canon) {
        canonical_headers += k + ":" + v + "\n";
        signed_headers += (signed_headers.empty() ? "" : ";") + k;
    }
    // Services other than S3 sign the path encoded once more.
    const std::string encoded_path = uri_encode(path.empty() ? "/" : path, true);
    const std::string canonical_path =
        c.service == "s3" ? encoded_path : uri_encode(encoded_path, true, false);
    const std::string request = std::string(method) + "\n" + canonical_path + "\n" +
                                canonical_query(query) + "\n" + canonical_headers + "\n" +
                                signed_headers + "\n" + std::string(payload_sha256);
    const std::string date(amz_date.substr(0, 8));
    const std::string scope = date + "/" + c.region + "/" + c.service + "/aws4_request";
    const std::string to_sign =
        "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope + "\n" + sha256_hex(request);
    const std::string key =
        hmac(hmac(hmac(hmac("AWS4" + c.secret_access_key, date), c.region), c.service),
             "aws4_request");
    const std::string sig = hmac(key, to_sign);
    return "AWS4-HMAC-SHA256 Credential=" + c.access_key_id + "/" + scope +
           ", SignedHeaders=" + signed_headers +
           ", Signature=" + hex(reinterpret_cast<const unsigned char*>(sig.data()), sig.size());
}

}  // namespace spot::http
