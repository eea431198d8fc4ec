#include "jobs_api.hpp"

#include "report_command.hpp"

#include <boost/json.hpp>
#include <optional>

namespace spot::daemon {

namespace json = boost::json;

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() &&
            std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out.push_back(
                static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
            i += 2;
        } else {
            out.push_back(s[i] == '+' ? ' ' : s[i]);
        }
    }
    return out;
}

Params query_params(std::string_view query) {
    Params out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            out.emplace_back(percent_decode(pair.substr(0, eq)),
                             eq == std::string_view::npos ? ""
                                                          : percent_decode(pair.substr(eq + 1)));
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return out;
}

Result<json::value> ask_advisors(const std::vector<std::shared_ptr<core::Pipeline>>& pipelines,
                                 std::string_view question,
                                 const Params& params) {
    std::string only;
    for (const auto& [k, v] : params) {
        only = k == "pipeline" ? v : only;
    }
    json::array listed;
    bool any = false;
    std::optional<Error> not_found;  // an advisor's own answer says more (the closest names)
    for (const auto& p : pipelines) {
        if (!p->has_advisors() || (!only.empty() && p->name() != only)) {
            continue;
        }
        any = true;
        auto answer = p->query_advisors(question, params);
        if (question == "jobs") {
            if (!answer) {
                return answer;
            }
            if (answer->is_array()) {
                for (auto& j : answer->get_array()) {
                    listed.push_back(std::move(j));
                }
            }
            continue;
        }
        if (answer || answer.error().code != ErrorCode::NotFound) {
            return answer;
        }
        not_found = answer.error();
    }
    if (!any) {
        return make_error(ErrorCode::NotFound,
                          only.empty()
                              ? "no pipeline has an advisor (advisors: [{plugin: regression}])"
                              : "no pipeline '" + only + "' with an advisor",
                          "");
    }
    if (question == "jobs") {
        return json::value(std::move(listed));
    }
    return not_found
               ? *not_found
               : make_error(ErrorCode::NotFound, "no advisor knows " + std::string(question), "");
}

AdminResponse jobs_response(const std::vector<std::shared_ptr<core::Pipeline>>& pipelines,
                            std::string_view path,
                            std::string_view query) {
    // Job names may hold any character: each segment arrives percent-encoded.
    std::string question;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = std::min(path.find('/', start), path.size());
        question +=
            (question.empty() ? "" : "/") + percent_decode(path.substr(start, slash - start));
        start = slash + 1;
    }
    // The report as the page itself, for a browser pointed at the admin endpoint.
    const bool page = question.ends_with("/report.html");
    if (page) {
        question.resize(question.size() - 5);
    }
    auto answer = ask_advisors(pipelines, question, query_params(query));
    if (answer && page && answer->is_object()) {
        return {200, "text/html; charset=utf-8", report_page(answer->get_object())};
    }
    if (!answer) {
        const unsigned status = answer.error().code == ErrorCode::NotFound ? 404
                                : answer.error().code == ErrorCode::Config ? 400
                                                                           : 500;
        return {status, "application/json",
                json::serialize(json::object{{"error", answer.error().describe()}}) + "\n"};
    }
    return {200, "application/json", json::serialize(*answer) + "\n"};
}

}  // namespace spot::daemon
