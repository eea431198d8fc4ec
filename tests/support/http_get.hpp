#pragma once

#include <string>

namespace spot::test {

struct HttpAnswer {
    int status = 0;  // 0: no answer (connection refused, timeout)
    std::string content_type;
    std::string body;
};

// One plain HTTP/1.1 GET to 127.0.0.1:port.
HttpAnswer http_get(unsigned short port, const std::string& target);

}  // namespace spot::test
