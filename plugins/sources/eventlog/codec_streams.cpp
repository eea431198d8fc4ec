// Decompression on top of any byte stream (a local file, a zip entry): zstd frames here, the
// JVM block formats of lz4, snappy and lzf in block_codecs.cpp.
#include "block_codecs.hpp"
#include "log_store.hpp"

#include <zstd.h>

namespace spot::sources::eventlog {

namespace {

// Spark's zstd codec writes standard zstd frames (zstd-jni), possibly several in a row.
class ZstdStream final : public ByteStream {
   public:
    explicit ZstdStream(std::unique_ptr<ByteStream> raw)
        : raw_(std::move(raw)), ctx_(ZSTD_createDStream()), in_buf_(ZSTD_DStreamInSize()) {}
    ~ZstdStream() override { ZSTD_freeDStream(ctx_); }
    ZstdStream(const ZstdStream&) = delete;
    ZstdStream& operator=(const ZstdStream&) = delete;
    [[nodiscard]] bool ok() const { return ctx_ != nullptr; }

    Result<std::size_t> read(char* buffer, std::size_t size) override {
        ZSTD_outBuffer out{buffer, size, 0};
        while (out.pos == 0) {
            if (in_.pos == in_.size) {
                auto n = raw_->read(in_buf_.data(), in_buf_.size());
                if (!n) {
                    return n.error();
                }
                if (*n == 0) {
                    if (!frame_done_) {
                        return make_error(ErrorCode::Parse, "zstd stream ends inside a frame");
                    }
                    return std::size_t{0};
                }
                in_ = ZSTD_inBuffer{in_buf_.data(), *n, 0};
            }
            std::size_t r = ZSTD_decompressStream(ctx_, &out, &in_);
            if (ZSTD_isError(r)) {
                return make_error(ErrorCode::Parse, std::string("zstd: ") + ZSTD_getErrorName(r));
            }
            frame_done_ = r == 0;
        }
        return out.pos;
    }

   private:
    std::unique_ptr<ByteStream> raw_;
    ZSTD_DStream* ctx_;
    std::vector<char> in_buf_;
    ZSTD_inBuffer in_{nullptr, 0, 0};
    bool frame_done_ = true;
};

}  // namespace

Result<std::unique_ptr<ByteStream>> decoding_stream(std::unique_ptr<ByteStream> raw,
                                                    Codec codec,
                                                    const std::string& name) {
    switch (codec) {
        case Codec::None: return raw;
        case Codec::Zstd: {
            auto z = std::make_unique<ZstdStream>(std::move(raw));
            if (!z->ok()) {
                return make_error(ErrorCode::Internal, "cannot create a zstd decoder", name);
            }
            return std::unique_ptr<ByteStream>(std::move(z));
        }
        case Codec::Lz4:
            return std::unique_ptr<ByteStream>(
                std::make_unique<Lz4BlockStream>(std::move(raw), name));
        case Codec::Snappy:
            return std::unique_ptr<ByteStream>(
                std::make_unique<SnappyBlockStream>(std::move(raw), name));
        case Codec::Lzf:
            return std::unique_ptr<ByteStream>(
                std::make_unique<LzfBlockStream>(std::move(raw), name));
    }
    return make_error(ErrorCode::Parse, std::string("unknown codec '") + codec_name(codec) + "'",
                      name);
}

}  // namespace spot::sources::eventlog
