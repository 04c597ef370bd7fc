// Length-prefixed framing of a byte stream (used by the tcp transport) and the hello frame
// that tells each side of a tcp connection the node id of the other.
//
// Wire: every frame is `u32 length` (little-endian) followed by `length` bytes. The first frame
// in each direction of a tcp connection is a hello: u32 kHelloMagic, i32 node id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rrr {

// Largest frame body accepted (64 MiB). A longer length prefix is a protocol error.
constexpr uint32_t kMaxFrameBytes = 64u << 20;
// Bytes of the length prefix.
constexpr size_t kFramePrefixBytes = 4;
// First four bytes of a hello frame body ("RRRH" read as a little-endian u32).
constexpr uint32_t kHelloMagic = 0x48525252u;
// Size of a hello frame body.
constexpr size_t kHelloBytes = 8;

// Writes `v` little-endian into out[0..3].
inline void PutU32(char* out, uint32_t v) {
  for (int i = 0; i < 4; i++) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
// Reads a little-endian u32 from in[0..3].
inline uint32_t GetU32(const char* in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) v |= static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << (8 * i);
  return v;
}

// Returns the full hello frame (prefix included) announcing `node_id`.
std::string EncodeHello(int node_id);
// Parses a hello frame body. Returns false (and leaves *node_id alone) unless `body` is exactly
// a well-formed hello.
bool DecodeHello(const std::string& body, int* node_id);

// Splits a byte stream into frames. Bytes are appended with Append (or written in place with
// Reserve + Commit); Next pops whole frames. After a protocol error the decoder stays failed.
class FrameDecoder {
 public:
  enum Status { kFrame, kNeedMore, kError };

  explicit FrameDecoder(uint32_t max_frame_bytes = kMaxFrameBytes) : max_(max_frame_bytes) {}

  // Appends `n` bytes of the stream.
  void Append(const char* data, size_t n);
  // Returns a writable area of at least `n` bytes at the end of the buffer; REQUIRES the
  // caller to Commit how many of them it filled before any other call.
  char* Reserve(size_t n);
  // Marks `n` bytes of the area returned by Reserve as stream content.
  void Commit(size_t n);

  // kFrame: *frame holds the next frame body (prefix removed). kNeedMore: no whole frame yet.
  // kError: the next length prefix exceeds the limit; error() says why.
  Status Next(std::string* frame);

  // Changes the largest frame body accepted from the next length prefix on (e.g. a small
  // limit until the hello arrived, the normal one after it).
  void set_max_frame_bytes(uint32_t max_frame_bytes) { max_ = max_frame_bytes; }
  // Bytes received but not yet returned as frames.
  size_t buffered() const { return end_ - begin_; }
  // Bytes of memory held by the buffer (at least buffered()).
  size_t allocated() const { return buf_.capacity(); }
  // Frees the buffer's memory if nothing is buffered and it holds more than keep_bytes.
  void ShrinkIfEmpty(size_t keep_bytes);
  // Description of the protocol error, empty if none.
  const std::string& error() const { return error_; }

 private:
  uint32_t max_;
  std::vector<char> buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  std::string error_;
};

}  // namespace rrr
