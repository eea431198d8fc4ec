// Readers for the block formats of Spark's lz4, snappy and lzf codecs (see block_codecs.cpp).
#pragma once

#include "log_store.hpp"

#include <string>
#include <vector>

namespace spot::sources::eventlog {

// Decompresses a block at a time from `raw`; read() serves the current block.
class BlockStream : public ByteStream {
   public:
    BlockStream(std::unique_ptr<ByteStream> raw, std::string name);
    [[nodiscard]] Result<std::size_t> read(char* buffer, std::size_t size) final;

   protected:
    // Fills block_ with the next block; false at the end of the input.
    [[nodiscard]] virtual Result<bool> next_block() = 0;
    [[nodiscard]] Result<bool> read_exact(unsigned char* out, std::size_t n);
    [[nodiscard]] Result<void> fail(const std::string& why) const;

    std::vector<char> block_;
    std::vector<unsigned char> input_;

   private:
    std::unique_ptr<ByteStream> raw_;
    std::string name_;
    std::size_t pos_ = 0;
};

class Lz4BlockStream final : public BlockStream {
    using BlockStream::BlockStream;
    Result<bool> next_block() override;
};

class SnappyBlockStream final : public BlockStream {
    using BlockStream::BlockStream;
    Result<bool> next_block() override;
    bool header_read_ = false;
};

class LzfBlockStream final : public BlockStream {
    using BlockStream::BlockStream;
    Result<bool> next_block() override;
};

}  // namespace spot::sources::eventlog
