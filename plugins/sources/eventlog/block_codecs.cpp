// The block formats Spark's JVM codec libraries write around lz4, snappy and lzf data. None is
// the standard frame format of its algorithm, so each is read here block by block; the
// algorithms themselves are Debian's liblz4, libsnappy and liblzf.
//   lz4 (lz4-java LZ4BlockOutputStream): "LZ4Block", token (method | level), compressed length,
//       decompressed length, checksum (all little-endian), data; an empty block ends a stream.
//   snappy (snappy-java SnappyOutputStream): "\x82SNAPPY\0", version, compatible version, then
//       big-endian length + snappy data per block.
//   lzf (compress-lzf): "ZV", type (0 stored, 1 compressed), big-endian length, for compressed
//       chunks the big-endian decompressed length, data.
#include "block_codecs.hpp"

#include <cstring>
#include <liblzf/lzf.h>
#include <lz4.h>
#include <snappy-c.h>

namespace spot::sources::eventlog {

namespace {

constexpr std::size_t kMaxBlock = 64 * 1024 * 1024;  // larger declared sizes are corruption

std::uint32_t le32(const unsigned char* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint32_t be32(const unsigned char* p) {
    return (static_cast<std::uint32_t>(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}
std::uint32_t be16(const unsigned char* p) { return (p[0] << 8) | p[1]; }

}  // namespace

BlockStream::BlockStream(std::unique_ptr<ByteStream> raw, std::string name)
    : raw_(std::move(raw)), name_(std::move(name)) {}

// Reads exactly n bytes; false at a clean end of input before the first byte.
Result<bool> BlockStream::read_exact(unsigned char* out, std::size_t n) {
    std::size_t got = 0;
    while (got < n) {
        auto r = raw_->read(reinterpret_cast<char*>(out) + got, n - got);
        if (!r) {
            return r.error();
        }
        if (*r == 0) {
            if (got == 0) {
                return false;
            }
            return make_error(ErrorCode::Parse, "truncated " + name_ + " block", name_);
        }
        got += *r;
    }
    return true;
}

Result<std::size_t> BlockStream::read(char* buffer, std::size_t size) {
    while (pos_ == block_.size()) {
        block_.clear();
        pos_ = 0;
        auto more = next_block();
        if (!more) {
            return more.error();
        }
        if (!*more) {
            return std::size_t{0};
        }
    }
    std::size_t n = std::min(size, block_.size() - pos_);
    std::memcpy(buffer, block_.data() + pos_, n);
    pos_ += n;
    return n;
}

Result<void> BlockStream::fail(const std::string& why) const {
    return make_error(ErrorCode::Parse, why, name_);
}

Result<bool> Lz4BlockStream::next_block() {
    unsigned char header[21];
    auto ok = read_exact(header, sizeof(header));
    if (!ok || !*ok) {
        return ok;
    }
    if (std::memcmp(header, "LZ4Block", 8) != 0) {
        return fail("not an lz4-java block (bad magic)").error();
    }
    const int method = header[8] & 0xF0;
    const std::uint32_t compressed = le32(header + 9), size = le32(header + 13);
    if (size == 0) {
        return true;  // end of one stream; another may follow
    }
    if (compressed > kMaxBlock || size > kMaxBlock) {
        return fail("lz4 block larger than 64 MiB").error();
    }
    input_.resize(compressed);
    if (auto r = read_exact(input_.data(), compressed); !r || !*r) {
        return r ? fail("truncated lz4 block").error() : r.error();
    }
    block_.resize(size);
    if (method == 0x10) {  // stored
        std::memcpy(block_.data(), input_.data(), size);
    } else if (method == 0x20) {
        int n = LZ4_decompress_safe(reinterpret_cast<const char*>(input_.data()), block_.data(),
                                    static_cast<int>(compressed), static_cast<int>(size));
        if (n != static_cast<int>(size)) {
            return fail("corrupt lz4 block").error();
        }
    } else {
        return fail("unknown lz4-java block method").error();
    }
    return true;
}

Result<bool> SnappyBlockStream::next_block() {
    if (!header_read_) {
        unsigned char header[16];
        auto ok = read_exact(header, sizeof(header));
        if (!ok || !*ok) {
            return ok;
        }
        if (std::memcmp(header, "\x82SNAPPY\0", 8) != 0) {
            return fail("not a snappy-java stream (bad magic)").error();
        }
        header_read_ = true;
    }
    unsigned char len[4];
    auto ok = read_exact(len, sizeof(len));
    if (!ok || !*ok) {
        return ok;
    }
    const std::uint32_t compressed = be32(len);
    if (compressed > kMaxBlock) {
        return fail("snappy block larger than 64 MiB").error();
    }
    input_.resize(compressed);
    if (auto r = read_exact(input_.data(), compressed); !r || !*r) {
        return r ? fail("truncated snappy block").error() : r.error();
    }
    std::size_t size = 0;
    const char* in = reinterpret_cast<const char*>(input_.data());
    if (snappy_uncompressed_length(in, compressed, &size) != SNAPPY_OK || size > kMaxBlock) {
        return fail("corrupt snappy block").error();
    }
    block_.resize(size);
    if (snappy_uncompress(in, compressed, block_.data(), &size) != SNAPPY_OK) {
        return fail("corrupt snappy block").error();
    }
    block_.resize(size);
    return true;
}

Result<bool> LzfBlockStream::next_block() {
    unsigned char header[5];
    auto ok = read_exact(header, sizeof(header));
    if (!ok || !*ok) {
        return ok;
    }
    if (header[0] != 'Z' || header[1] != 'V') {
        return fail("not an lzf chunk (bad magic)").error();
    }
    const std::uint32_t length = be16(header + 3);
    if (header[2] == 0) {  // stored
        block_.resize(length);
        if (auto r = read_exact(reinterpret_cast<unsigned char*>(block_.data()), length);
            !r || !*r) {
            return r ? fail("truncated lzf chunk").error() : r.error();
        }
        return true;
    }
    if (header[2] != 1) {
        return fail("unknown lzf chunk type").error();
    }
    unsigned char size_bytes[2];
    if (auto r = read_exact(size_bytes, 2); !r || !*r) {
        return r ? fail("truncated lzf chunk").error() : r.error();
    }
    const std::uint32_t size = be16(size_bytes);
    input_.resize(length);
    if (auto r = read_exact(input_.data(), length); !r || !*r) {
        return r ? fail("truncated lzf chunk").error() : r.error();
    }
    block_.resize(size);
    if (lzf_decompress(input_.data(), length, block_.data(), size) != size) {
        return fail("corrupt lzf chunk").error();
    }
    return true;
}

}  // namespace spot::sources::eventlog
