#include <spot/http.hpp>

#include <regex>

namespace spot::http {

Result<Url> Url::parse(std::string_view text) {
    // scheme://[user[:password]@]host[:port][/path]; IPv6 hosts in brackets.
    static const std::regex kUrl(
        R"(^(https?)://(?:([^:@/]*)(?::([^@/]*))?@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d{1,5}))?(/[^?#]*)?$)",
        std::regex::icase);
    std::cmatch m;
    if (!std::regex_match(text.begin(), text.end(), m, kUrl)) {
        return make_error(ErrorCode::Config,
                          "not an http(s) URL of the form scheme://host[:port][/path]",
                          std::string(text));
    }
    Url u;
    u.scheme = m[1].str();
    for (auto& c : u.scheme) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    u.user = m[2].str();
    u.password = m[3].str();
    u.host = m[4].str();
    if (u.host.size() > 2 && u.host.front() == '[') {
        u.host = u.host.substr(1, u.host.size() - 2);
    }
    u.port = m[5].matched ? m[5].str() : (u.tls() ? "443" : "80");
    u.base_path = m[6].str();
    while (!u.base_path.empty() && u.base_path.back() == '/') {
        u.base_path.pop_back();
    }
    return u;
}

std::string body_excerpt(std::string_view body, std::size_t max) {
    std::string out;
    for (char c : body.substr(0, max)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    if (body.size() > max) {
        out += "...";
    }
    return out.empty() ? std::string("<empty body>") : out;
}

std::string Response::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

}  // namespace spot::http
