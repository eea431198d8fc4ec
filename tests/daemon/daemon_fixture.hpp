// A spotd config in a temp directory, with the test plugins available.
#pragma once

#include "support/process.hpp"

#include <boost/json/parse.hpp>
#include <fmt/format.h>
#include <map>
#include <set>

namespace spot::test {

struct DaemonFixture {
    TempDir dir;
    std::filesystem::path config = dir / "spot.yaml";
    std::filesystem::path runs = dir / "runs";
    std::filesystem::path out = dir / "out";
    std::filesystem::path state = dir / "state";

    // `body` is the pipeline's enrichers/aggregators part; runfiles source and file sink added.
    std::string pipeline_yaml(const std::string& name,
                              const std::string& body,
                              const std::string& pipeline_options = "") const {
        return fmt::format(
            "  {}:\n{}    source: {{plugin: runfiles, dir: {}}}\n{}"
            "    sinks: [{{plugin: file, dir: {}}}]\n",
            name, pipeline_options, runs.string(), body, out.string());
    }

    void write_config(const std::string& pipelines, const std::string& top = "") const {
        write_file(config, fmt::format("state_dir: {}\nplugin_dir: {}\nlog_format: text\n{}"
                                       "pipelines:\n{}",
                                       state.string(), SPOT_TEST_PLUGIN_DIR, top, pipelines));
    }

    // _id of every line of out/<stream>.jsonl, with how often each appears.
    std::map<std::string, int> ids(const std::string& stream = "agg") const {
        std::map<std::string, int> seen;
        for (const auto& line : read_lines(out / (stream + ".jsonl"))) {
            auto v = boost::json::parse(line).as_object();
            if (const auto* id = v.if_contains("_id")) {
                ++seen[std::string(id->as_string())];
            }
        }
        return seen;
    }

    std::vector<boost::json::object> docs(const std::string& stream) const {
        std::vector<boost::json::object> out_docs;
        for (const auto& line : read_lines(out / (stream + ".jsonl"))) {
            out_docs.push_back(boost::json::parse(line).as_object().at("_source").as_object());
        }
        return out_docs;
    }

    // File names recorded as processed in the pipeline's state.
    std::set<std::string> committed(const std::string& pipeline) const {
        std::set<std::string> files;
        auto text = read_file(state / (pipeline + ".state.json"));
        if (text.empty()) {
            return files;
        }
        const auto state_doc = boost::json::parse(text);  // outlives the loop
        for (const auto& [k, v] : state_doc.at("files").as_object()) {
            files.insert(std::string(k));
        }
        return files;
    }
};

}  // namespace spot::test
