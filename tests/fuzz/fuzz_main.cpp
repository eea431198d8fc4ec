// Replays a corpus through a fuzz target, then a fixed number of deterministic mutations of each
// input (byte flips, truncations, splices, JSON/YAML punctuation), so GCC builds run the targets
// under ctest and ASan/UBSan. Built with clang and -fsanitize=fuzzer, the same target files are
// libFuzzer targets and this file is left out.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string mutate(std::string s, std::mt19937& rng) {
    static const char kBytes[] = "{}[]\":,\n-. 0\\\x80\xff";
    const int kind = static_cast<int>(rng() % 5);
    if (s.empty()) {
        return std::string(1, kBytes[rng() % (sizeof(kBytes) - 1)]);
    }
    const std::size_t at = rng() % s.size();
    switch (kind) {
        case 0: s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8))); break;
        case 1: s.resize(at); break;
        case 2: s.insert(at, s.substr(rng() % s.size(), rng() % 64)); break;
        case 3: s[at] = kBytes[rng() % (sizeof(kBytes) - 1)]; break;
        default: s.erase(at, rng() % 32); break;
    }
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MUTATIONS CORPUS_DIR...\n", argv[0]);
        return 2;
    }
    const int mutations = std::stoi(argv[1]);
    std::mt19937 rng(12345);
    std::size_t inputs = 0;
    for (int i = 2; i < argc; ++i) {
        for (const auto& e : std::filesystem::recursive_directory_iterator(argv[i])) {
            if (!e.is_regular_file()) {
                continue;
            }
            std::ifstream in(e.path(), std::ios::binary);
            std::ostringstream text;
            text << in.rdbuf();
            std::string input = text.str();
            LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()),
                                   input.size());
            ++inputs;
            std::string current = input;
            for (int m = 0; m < mutations; ++m) {
                current = (m % 8 == 0) ? mutate(input, rng) : mutate(current, rng);
                LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(current.data()),
                                       current.size());
                ++inputs;
            }
        }
    }
    if (inputs == 0) {
        std::fprintf(stderr, "FAIL: no corpus files found\n");
        return 1;
    }
    std::printf("%zu inputs run without a crash\n", inputs);
    return 0;
}
