// SparkListenerTaskEnd lines are about half the lines and nine tenths of the bytes of a log.
// They are read with simdjson's on-demand parser straight into a TaskEnd, without building a
// DOM; any line it does not understand goes to the DOM path, which reports errors.
#pragma once

#include "run_builder.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace spot::sources::eventlog {

class TaskEndParser {
   public:
    TaskEndParser();
    ~TaskEndParser();
    // True when `line` was a task end and `out` holds it; false: use the DOM path.
    [[nodiscard]] bool parse(std::string_view line, TaskEnd& out);

   private:
    struct Impl;  // simdjson stays out of this header
    std::unique_ptr<Impl> impl_;
};

}  // namespace spot::sources::eventlog
