#include "exporter/gzip_sink.h"

#include <zlib.h>

namespace xee::exporter {

GzipSink::GzipSink(ExpositionSink& downstream, int level)
    : downstream_(downstream),
      stream_(std::make_unique<z_stream_s>()),
      output_(std::make_unique_for_overwrite<char[]>(kChunkBytes)) {
  // windowBits 15 + 16 selects the gzip wrapper; memLevel 8 is zlib's default.
  ok_ = deflateInit2(stream_.get(), level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

GzipSink::~GzipSink() {
  if (ok_) deflateEnd(stream_.get());
}

bool GzipSink::write(std::string_view bytes) {
  return ok_ && deflate_and_send(bytes, Z_NO_FLUSH);
}

bool GzipSink::finish() {
  return ok_ && deflate_and_send({}, Z_FINISH);
}

bool GzipSink::deflate_and_send(std::string_view bytes, int flush_mode) {
  z_stream& stream = *stream_;
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  int status = Z_OK;
  do {
    stream.next_out = reinterpret_cast<Bytef*>(output_.get());
    stream.avail_out = static_cast<uInt>(kChunkBytes);
    status = deflate(&stream, flush_mode);
    const std::size_t produced = kChunkBytes - stream.avail_out;
    if (status == Z_STREAM_ERROR ||
        (produced > 0 && !downstream_.write({output_.get(), produced}))) {
      ok_ = false;
      deflateEnd(&stream);
      return false;
    }
    // Z_NO_FLUSH is done once all input is taken and the output buffer was not filled; Z_FINISH
    // once zlib reports the end of the stream.
  } while (flush_mode == Z_FINISH ? status != Z_STREAM_END : stream.avail_out == 0);
  return true;
}

}  // namespace xee::exporter
