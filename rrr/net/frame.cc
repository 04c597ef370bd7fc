#include "rrr/net/frame.h"

#include <cstring>

namespace rrr {

std::string EncodeHello(int node_id) {
  std::string out(kFramePrefixBytes + kHelloBytes, '\0');
  PutU32(&out[0], static_cast<uint32_t>(kHelloBytes));
  PutU32(&out[4], kHelloMagic);
  PutU32(&out[8], static_cast<uint32_t>(node_id));
  return out;
}

bool DecodeHello(const std::string& body, int* node_id) {
  if (body.size() != kHelloBytes || GetU32(body.data()) != kHelloMagic) return false;
  *node_id = static_cast<int>(GetU32(body.data() + 4));
  return true;
}

void FrameDecoder::Append(const char* data, size_t n) {
  char* dst = Reserve(n);
  if (n > 0) std::memcpy(dst, data, n);
  Commit(n);
}

char* FrameDecoder::Reserve(size_t n) {
  if (begin_ == end_) {
    begin_ = end_ = 0;
  }
  if (buf_.size() - end_ < n) {
    // Slide the unread bytes to the front first; grow only if that is not enough.
    if (begin_ > 0) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buf_.size() - end_ < n) buf_.resize(end_ + n);
  }
  return buf_.data() + end_;
}

void FrameDecoder::Commit(size_t n) { end_ += n; }

void FrameDecoder::ShrinkIfEmpty(size_t keep_bytes) {
  if (begin_ != end_ || buf_.capacity() <= keep_bytes) return;
  std::vector<char>().swap(buf_);
  begin_ = end_ = 0;
}

FrameDecoder::Status FrameDecoder::Next(std::string* frame) {
  if (!error_.empty()) return kError;
  size_t avail = end_ - begin_;
  if (avail < kFramePrefixBytes) return kNeedMore;
  uint32_t len = GetU32(buf_.data() + begin_);
  if (len > max_) {
    error_ = "frame length " + std::to_string(len) + " exceeds the limit of " +
             std::to_string(max_) + " bytes";
    return kError;
  }
  if (avail - kFramePrefixBytes < len) return kNeedMore;
  const char* body = buf_.data() + begin_ + kFramePrefixBytes;
  frame->assign(body, len);
  begin_ += kFramePrefixBytes + len;
  return kFrame;
}

}  // namespace rrr
