#include "rrr/marshal/buffer.h"

namespace rrr {

Marshal& Marshal::operator=(const Marshal& other) {
  if (this != &other) {
    buf_.assign(other.data(), other.ContentSize());
    rpos_ = 0;
    wpos_ = buf_.size();
  }
  return *this;
}

Marshal::Marshal(Marshal&& other) noexcept
    : buf_(std::move(other.buf_)), rpos_(other.rpos_), wpos_(other.wpos_) {
  other.buf_.clear();
  other.rpos_ = 0;
  other.wpos_ = 0;
}

Marshal& Marshal::operator=(Marshal&& other) noexcept {
  if (this != &other) {
    buf_ = std::move(other.buf_);
    rpos_ = other.rpos_;
    wpos_ = other.wpos_;
    other.buf_.clear();
    other.rpos_ = 0;
    other.wpos_ = 0;
  }
  return *this;
}

void Marshal::Append(Marshal&& other) {
  if (this == &other) return;
  if (Empty()) {
    swap(other);
  } else {
    Append(static_cast<const Marshal&>(other));
  }
  other.Clear();
}

void Marshal::ThrowShort(size_t n) const {
  throw MarshalError("marshal: need " + std::to_string(n) + " bytes, only " +
                     std::to_string(ContentSize()) + " left");
}

void Marshal::Compact() {
  if (rpos_ != wpos_) std::memmove(&buf_[0], &buf_[rpos_], wpos_ - rpos_);
  wpos_ -= rpos_;
  rpos_ = 0;
}

void Marshal::Grow(size_t n) {
  size_t want = buf_.size() * 2;
  if (want < wpos_ + n) want = wpos_ + n;
  if (want < 64) want = 64;
  buf_.resize(want);
}

void Marshal::Reserve(size_t n) {
  MaybeCompact();
  if (buf_.size() - wpos_ < n) buf_.resize(wpos_ + n);
}

void Marshal::WriteVarint(uint64_t v) {
  char out[10];
  size_t n = 0;
  while (v >= 0x80) {
    out[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out[n++] = static_cast<char>(v);
  Write(out, n);
}

uint64_t Marshal::ReadVarint(uint64_t max_value) {
  const auto* p = reinterpret_cast<const unsigned char*>(data());
  const size_t avail = ContentSize();
  uint64_t v = 0;
  for (size_t i = 0; i < 10; i++) {
    if (i == avail) throw MarshalError("marshal: truncated varint");
    const uint64_t b = p[i];
    if (i == 9 && b > 1) throw MarshalError("marshal: varint overflows 64 bits");
    v |= (b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      if (b == 0 && i > 0) throw MarshalError("marshal: non-canonical varint (trailing zero group)");
      if (v > max_value) {
        throw MarshalError("marshal: varint " + std::to_string(v) + " exceeds " +
                           std::to_string(max_value));
      }
      rpos_ += i + 1;
      return v;
    }
  }
  throw MarshalError("marshal: varint longer than 10 bytes");
}

void Marshal::WriteLength(uint64_t n) {
  if (n > kMaxLength) {
    throw MarshalError("marshal: length " + std::to_string(n) + " over limit " +
                       std::to_string(kMaxLength));
  }
  WriteVarint(n);
}

size_t Marshal::ReadLength(size_t min_bytes_each) {
  const size_t saved = rpos_;
  const uint64_t n = ReadVarint();
  if (n > kMaxLength) {
    rpos_ = saved;
    throw MarshalError("marshal: length " + std::to_string(n) + " over limit " +
                       std::to_string(kMaxLength));
  }
  if (min_bytes_each > 0 && n > ContentSize() / min_bytes_each) {
    const size_t left = ContentSize();
    rpos_ = saved;
    throw MarshalError("marshal: length " + std::to_string(n) + " needs at least " +
                       std::to_string(n * min_bytes_each) + " bytes, only " +
                       std::to_string(left) + " left");
  }
  return static_cast<size_t>(n);
}

std::string Marshal::Release() {
  std::string out;
  if (rpos_ == 0) {
    buf_.resize(wpos_);
    out.swap(buf_);
  } else {
    out.assign(data(), ContentSize());
  }
  Clear();
  return out;
}

std::string Marshal::DebugString(size_t max_bytes) const {
  static const char kHex[] = "0123456789abcdef";
  const size_t n = ContentSize() < max_bytes ? ContentSize() : max_bytes;
  std::string out;
  out.reserve(n * 3 + 3);
  for (size_t i = 0; i < n; i++) {
    const auto b = static_cast<unsigned char>(data()[i]);
    if (i > 0) out.push_back(' ');
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xf]);
  }
  if (n < ContentSize()) out += n > 0 ? " ..." : "...";
  return out;
}

bool operator==(const Marshal& a, const Marshal& b) {
  return a.ContentSize() == b.ContentSize() &&
         (a.ContentSize() == 0 || std::memcmp(a.data(), b.data(), a.ContentSize()) == 0);
}

}  // namespace rrr
