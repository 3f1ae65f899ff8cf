#include "exporter/deflate_sink.h"

#include <zlib.h>

namespace xee::exporter {

DeflateSink::DeflateSink(ExpositionSink& downstream, int level)
    : downstream_(downstream),
      stream_(std::make_unique<z_stream_s>()),
      output_(std::make_unique_for_overwrite<char[]>(kChunkBytes)),
      crc_(static_cast<std::uint32_t>(crc32(0, nullptr, 0))) {
  // Negative windowBits: raw deflate, no zlib or gzip wrapper (the exposition writes its own).
  // memLevel 8 is zlib's default.
  ok_ = deflateInit2(stream_.get(), level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
}

DeflateSink::~DeflateSink() {
  if (ok_) deflateEnd(stream_.get());
}

bool DeflateSink::write(std::string_view bytes) {
  if (!ok_) return false;
  crc_ = static_cast<std::uint32_t>(
      crc32_z(crc_, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
  length_ += bytes.size();
  return deflate_and_send(bytes, Z_NO_FLUSH);
}

bool DeflateSink::finish(bool last) {
  return ok_ && deflate_and_send({}, last ? Z_FINISH : Z_SYNC_FLUSH);
}

bool DeflateSink::deflate_and_send(std::string_view bytes, int flush_mode) {
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
    // zlib is done with this call once it leaves room in the output buffer; Z_FINISH also needs
    // the end of the stream to have been written.
  } while (stream.avail_out == 0 || (flush_mode == Z_FINISH && status != Z_STREAM_END));
  return true;
}

std::string_view gzip_header() {
  // ID1 ID2, CM=8 (deflate), FLG=0, MTIME=0 (none), XFL=0, OS=255 (unknown).
  static constexpr char kHeader[] = {'\x1f', '\x8b', '\x08', '\x00', '\x00',
                                     '\x00', '\x00', '\x00', '\x00', '\xff'};
  return {kHeader, sizeof kHeader};
}

std::string gzip_trailer(std::uint32_t crc, std::uint64_t length) {
  std::string trailer(8, '\0');
  const auto size_mod_2_32 = static_cast<std::uint32_t>(length);
  for (int i = 0; i < 4; ++i) {
    trailer[i] = static_cast<char>((crc >> (8 * i)) & 0xff);
    trailer[4 + i] = static_cast<char>((size_mod_2_32 >> (8 * i)) & 0xff);
  }
  return trailer;
}

std::uint32_t crc32_of_joined(std::uint32_t first, std::uint32_t second,
                              std::uint64_t second_length) {
  return static_cast<std::uint32_t>(
      crc32_combine(first, second, static_cast<z_off_t>(second_length)));
}

}  // namespace xee::exporter
