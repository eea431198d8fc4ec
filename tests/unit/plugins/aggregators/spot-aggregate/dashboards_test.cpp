// The reference tool's Kibana dashboards (shared/anchors/spot-kibana) must keep working: every
// field their visualizations and saved searches on spot_agg_* / spot_err_* use exists in our
// documents, with the type their index pattern declares.
#include "aggregate_support.hpp"
#include "support/shared_fixtures.hpp"

#include <spot/documents.hpp>
#include <spot/time.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>

using namespace spot;
using namespace spot::test;
namespace json = boost::json;

namespace {

struct Dashboards {
    std::map<std::string, std::map<std::string, std::string>> pattern_types;  // title -> field -> type
    std::map<std::string, std::set<std::string>> fields;                     // title -> used fields
};

void collect(const json::value& v, std::set<std::string>& out) {
    static const std::regex kKuery(R"(([A-Za-z_][A-Za-z0-9_.]*)\s*(:|<|>))");
    if (v.is_string()) {
        const std::string s(v.as_string());
        if (!s.empty() && (s.front() == '{' || s.front() == '[')) {
            boost::system::error_code ec;
            auto inner = json::parse(s, ec);
            if (!ec) {
                collect(inner, out);
            }
        }
        return;
    }
    if (v.is_array()) {
        for (const auto& x : v.as_array()) {
            collect(x, out);
        }
        return;
    }
    if (!v.is_object()) {
        return;
    }
    for (const auto& [k, x] : v.as_object()) {
        if ((k == "field" || k == "sortField") && x.is_string() && !x.as_string().empty()) {
            out.insert(std::string(x.as_string()));
        } else if (k == "columns" && x.is_array()) {
            for (const auto& c : x.as_array()) {
                out.insert(std::string(c.as_string()));
            }
        } else if (k == "query" && x.is_string()) {
            const std::string q(x.as_string());
            for (std::sregex_iterator it(q.begin(), q.end(), kKuery), end; it != end; ++it) {
                out.insert((*it)[1].str());
            }
        } else {
            collect(x, out);
        }
    }
}

Dashboards load_dashboards() {
    Dashboards d;
    std::map<std::string, std::string> pattern_titles;  // id -> title
    std::vector<json::object> objects;
    for (const auto& e : std::filesystem::directory_iterator(shared_dir() / "anchors" / "spot-kibana")) {
        std::ifstream in(e.path());
        for (std::string line; std::getline(in, line);) {
            auto o = json::parse(line).as_object();
            if (!o.contains("type")) {
                continue;
            }
            if (o.at("type") == "index-pattern") {
                const std::string title(o.at("attributes").at("title").as_string());
                pattern_titles[std::string(o.at("id").as_string())] = title;
                auto fields = json::parse(o.at("attributes").at("fields").as_string());
                for (const auto& f : fields.as_array()) {
                    d.pattern_types[title][std::string(f.at("name").as_string())] =
                        std::string(f.at("type").as_string());
                }
            } else if (o.at("type") == "visualization" || o.at("type") == "search") {
                objects.push_back(std::move(o));
            }
        }
    }
    for (const auto& o : objects) {
        for (const auto& r : o.at("references").as_array()) {
            auto t = pattern_titles.find(std::string(r.at("id").as_string()));
            if (r.at("type") != "index-pattern" || t == pattern_titles.end()) {
                continue;
            }
            if (t->second != "spot_agg_*" && t->second != "spot_err_*") {
                continue;
            }
            std::set<std::string> used;
            collect(o.at("attributes"), used);
            for (auto f : used) {
                if (f.ends_with(".keyword")) {
                    f.resize(f.size() - 8);
                }
                d.fields[t->second].insert(f);
            }
        }
    }
    return d;
}

// Fields of the Enceladus module (issue 7), not produced by the default pipeline.
bool enceladus_field(const std::string& f) {
    static const std::regex kEnceladus(
        R"(.*enceladus.*|.*\.postprocessing\..*|app_specific_data\.classification\.(app_version|dataset|dataset_version|info_date|info_date_casted|info_version|project))");
    return std::regex_match(f, kEnceladus);
}

// Resolves "a.b.c" through objects whose own keys may contain dots (flattened statistics).
const json::value* resolve(const json::value& v, std::string_view path) {
    const auto* o = v.if_object();
    if (o == nullptr) {
        return nullptr;
    }
    for (const auto& [k, x] : *o) {
        std::string_view key = k;
        if (path == key) {
            return &x;
        }
        if (path.starts_with(key) && path.size() > key.size() && path[key.size()] == '.') {
            if (const auto* found = resolve(x, path.substr(key.size() + 1))) {
                return found;
            }
        }
    }
    return nullptr;
}

bool has_type(const json::value& v, const std::string& type) {
    if (type == "number") {
        return v.is_number();
    }
    if (type == "boolean") {
        return v.is_bool();
    }
    if (type == "date") {
        return v.is_string() && parse_timestamp(v.as_string()).has_value();
    }
    return v.is_string();
}

}  // namespace

TEST_CASE("every field the reference dashboards use on spot_agg_* and spot_err_* is in our "
          "documents with the declared type",
          "[unit][aggregate][dashboards]") {
    const auto dashboards = load_dashboards();
    REQUIRE(dashboards.fields.count("spot_agg_*") == 1);
    REQUIRE(dashboards.fields.count("spot_err_*") == 1);

    // Documents: the REST fixtures (see fixtures_test.cpp for the full product; one pass of each
    // file is enough here) plus one err document.
    std::vector<json::value> agg_docs;
    const auto rest = shared_dir() / "fixtures" / "spark" / "history-rest";
    auto app = read_json(rest / "one_app_json_expectation.json").as_object();
    const char* executor_files[] = {"executor_list_json_expectation.json",
                                    "executor_list_with_executor_metrics_json_expectation.json",
                                    "executor_memory_usage_expectation.json"};
    for (const char* ex : executor_files) {
        for (const char* env : {"app_environment_expectation.json",
                                "multiple_resource_profiles_expectation.json"}) {
            json::object a = app;
            auto& attempt = a.at("attempts").as_array().at(0).as_object();
            attempt["allexecutors"] = read_json(rest / ex);
            attempt["stages"] = read_json(rest / "stage_list_json_expectation.json");
            attempt["environment"] = read_json(rest / env);
            for (auto& d : process(make_run(std::move(a)))) {
                agg_docs.emplace_back(std::move(d.body));
            }
        }
    }
    // Spark properties the dashboards chart but no fixture environment sets (they depend on how
    // a job was submitted): one run submitted with them, values as spark-submit writes them.
    {
        json::object a = app;
        auto& attempt = a.at("attempts").as_array().at(0).as_object();
        attempt["allexecutors"] = read_json(rest / executor_files[1]);
        attempt["stages"] = read_json(rest / "stage_list_json_expectation.json");
        auto env = read_json(rest / "app_environment_expectation.json").as_object();
        auto& props = env.at("sparkProperties").as_array();
        for (auto [k, v] : {std::pair{"spark.driver.cores", "2"}, {"spark.driver.memory", "4g"},
                            {"spark.executor.cores", "4"}, {"spark.executor.memory", "8g"},
                            {"spark.dynamicAllocation.enabled", "true"},
                            {"spark.sql.adaptive.enabled", "false"}}) {
            props.push_back(json::array{k, v});
        }
        attempt["environment"] = std::move(env);
        agg_docs.emplace_back(process(make_run(std::move(a))).at(0).body);
    }
    const json::value err_doc = make_error_document(
        make_error(ErrorCode::Http, "HTTP 500 from /stages"), "app-1", "shs.example", "raw").body;

    std::size_t total = 0, found = 0;
    for (const auto& [pattern, fields] : dashboards.fields) {
        const auto& types = dashboards.pattern_types.at(pattern);
        for (const auto& f : fields) {
            if (enceladus_field(f)) {
                continue;
            }
            ++total;
            auto t = types.find(f);
            const std::string type = t == types.end() ? "string" : t->second;
            bool ok = false;
            if (pattern == "spot_err_*") {
                const auto* v = resolve(err_doc, f);
                ok = v && has_type(*v, type);
            } else {
                for (const auto& d : agg_docs) {
                    const auto* v = resolve(d, f);
                    if (v && has_type(*v, type)) {
                        ok = true;
                        break;
                    }
                }
            }
            found += ok ? 1 : 0;
            CHECK(ok);
            if (!ok) {
                WARN("missing in documents: " << pattern << " " << f << " (" << type << ")");
            }
        }
    }
    WARN("dashboard field coverage: " << found << "/" << total << " = "
                                      << (total ? 100.0 * found / total : 0) << "%");
    CHECK(total >= 40);
    CHECK(found == total);
}
