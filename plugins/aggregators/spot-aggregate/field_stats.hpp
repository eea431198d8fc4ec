// Statistics over the elements of an array of objects (executors, stages), SPEC §4.3: nested
// objects flattened with '.', per field by type: numbers min/max/sum/mean/nunique/count_zeroes/
// count_not_null; dates min/max; booleans any/all/sum; strings nunique/count_not_null; lists
// ignored. One pass over the elements; field names are resolved through a positional cache, so
// arrays of same-shaped objects cost one string compare per field, not a hash lookup.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <algorithm>
#include <vector>

namespace spot::aggregators::aggregate {

// Names of fields holding ISO dates (after normalisation) rather than text.
bool is_date_field(std::string_view flattened_name);

class FieldStats {
   public:
    // Adds one element. Values must stay alive until result() (strings are kept as views).
    void add(const boost::json::object& element);
    // Adds one numeric value for `name` to the current element (custom metrics not stored in
    // the element itself). Call between add() calls for the element they belong to.
    void add_number(std::string_view name, double value, bool integral);
    void add_date(std::string_view name, std::int64_t epoch_ms);

    [[nodiscard]] std::size_t elements() const { return elements_; }
    // {field: {stat: value}, ..., elements_count: N}; statistics without a value are omitted.
    [[nodiscard]] boost::json::object result() const;

   private:
    enum class Kind : std::uint8_t { Unknown, Number, Date, Bool, String };
    struct Acc {
        std::string name;
        Kind kind = Kind::Unknown;
        std::int64_t count = 0;  // non-null values of the field's kind
        std::int64_t zeroes = 0;
        std::int64_t true_count = 0;
        bool integral = true;
        std::int64_t imin = 0, imax = 0;
        std::int64_t isum = 0;
        bool sum_overflow = false;  // the exact sum left int64: report the double one
        double dmin = 0, dmax = 0, dsum = 0;
        // For nunique: every value, sorted and deduplicated once in result(). A vector costs 8 or
        // 16 bytes a value and one sort; a hash set costs a node and a hash per value.
        mutable std::vector<double> numbers;
        mutable std::vector<std::string_view> strings;
    };
    struct CacheSlot {
        std::string key;  // full flattened name at this traversal position
        std::size_t index = 0;
    };

    void walk(const boost::json::object& o, std::string& prefix);
    std::size_t field(std::string_view name);
    void value(Acc& acc, const boost::json::value& v);
    void number(Acc& acc, double d, std::int64_t i, bool integral);
    static void add_date_to(Acc& acc, std::int64_t ms);

    std::vector<Acc> fields_;
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<CacheSlot> cache_;
    std::size_t position_ = 0;
    std::size_t elements_ = 0;
};

}  // namespace spot::aggregators::aggregate
