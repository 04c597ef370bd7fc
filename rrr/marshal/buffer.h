// rrr::Marshal, the byte buffer every rrr message is encoded into, and rrr::MarshalError.
// The typed operators << and >> live in scalars.h, varint.h and containers.h; include
// "rrr/marshal/marshal.h" to get all of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace rrr {

// Thrown by every decoding function on malformed or truncated input, and by the encoders when
// asked to write a length over Marshal::kMaxLength. Never an abort: input bytes are untrusted.
class MarshalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A growable byte buffer with a read cursor. Writes append at the end; reads consume from the
// cursor. "Content" always means the unread bytes [cursor, end).
//
// Failure guarantee: every built-in read (the methods below and the operator>> overloads of
// this module) either succeeds or throws MarshalError leaving the cursor and the destination
// value exactly as they were. User-defined operator>> can get the same with ReadTxn.
//
// Not thread-safe; a Marshal belongs to one reactor thread at a time.
class Marshal {
 public:
  // Upper bound on any length prefix (string bytes or container element count), 64 MiB.
  // Readers reject larger prefixes; writers refuse to produce them.
  static constexpr size_t kMaxLength = size_t{64} << 20;

  // An empty buffer.
  Marshal() = default;
  // A buffer whose content is `bytes` (moved in, not copied).
  explicit Marshal(std::string bytes) : buf_(std::move(bytes)), wpos_(buf_.size()) {}
  // A buffer whose content is a copy of [data, data + size).
  Marshal(const void* data, size_t size)
      : buf_(static_cast<const char*>(data), size), wpos_(size) {}
  // Same as Marshal(std::move(bytes)).
  static Marshal FromString(std::string bytes) { return Marshal(std::move(bytes)); }

  // Copies hold only the unread content of the source.
  Marshal(const Marshal& other) : buf_(other.data(), other.ContentSize()), wpos_(buf_.size()) {}
  Marshal& operator=(const Marshal& other);
  // Moves leave the source empty and usable.
  Marshal(Marshal&& other) noexcept;
  Marshal& operator=(Marshal&& other) noexcept;
  ~Marshal() = default;

  // Number of unread bytes.
  size_t ContentSize() const { return wpos_ - rpos_; }
  // True iff there is no unread byte.
  bool Empty() const { return rpos_ == wpos_; }
  // Pointer to the first unread byte; valid until the next non-const call.
  const char* data() const { return buf_.data() + rpos_; }

  // Appends [p, p + n). REQUIRES: the range is not inside this Marshal's own storage.
  void Write(const void* p, size_t n) {
    MaybeCompact();
    if (buf_.size() - wpos_ < n) Grow(n);
    if (n > 0) std::memcpy(&buf_[wpos_], p, n);
    wpos_ += n;
  }
  // Appends the unread content of `other` (which is left unchanged).
  // REQUIRES: &other != this.
  void Append(const Marshal& other) { Write(other.data(), other.ContentSize()); }
  // Appends the unread content of `other` and empties it; steals its storage when this is empty.
  void Append(Marshal&& other);

  // Copies the next n bytes to p and consumes them. Throws MarshalError (consuming nothing) if
  // fewer than n bytes are unread.
  void Read(void* p, size_t n) {
    Require(n);
    if (n > 0) std::memcpy(p, buf_.data() + rpos_, n);
    rpos_ += n;
  }
  // Copies the next n bytes to p without consuming them. Throws MarshalError if fewer than n.
  void Peek(void* p, size_t n) const {
    Require(n);
    if (n > 0) std::memcpy(p, buf_.data() + rpos_, n);
  }
  // The next byte, not consumed. Throws MarshalError if there is none.
  uint8_t PeekByte() const {
    Require(1);
    return static_cast<uint8_t>(buf_[rpos_]);
  }
  // Decodes a T exactly like operator>> would, but leaves the cursor where it was.
  template <class T>
  void Peek(T* out) {
    size_t saved = rpos_;
    try {
      *this >> *out;
    } catch (...) {
      rpos_ = saved;
      throw;
    }
    rpos_ = saved;
  }
  // Consumes n bytes. Throws MarshalError (consuming nothing) if fewer than n are unread.
  void Skip(size_t n) {
    Require(n);
    rpos_ += n;
  }

  // Unsigned LEB128 varint: 7 bits per byte, low groups first, high bit = "more follows".
  // Encodings are canonical (no trailing 0x00 group), at most 10 bytes.
  void WriteVarint(uint64_t v);
  // Reads a varint. Throws MarshalError (consuming nothing) if it is truncated, longer than 10
  // bytes, overflows 64 bits, is non-canonical, or its value exceeds max_value.
  uint64_t ReadVarint(uint64_t max_value = UINT64_MAX);

  // Writes a length prefix (a varint). Throws MarshalError, writing nothing, if n > kMaxLength.
  void WriteLength(uint64_t n);
  // Reads a length prefix of n items that take at least min_bytes_each bytes each. Throws
  // MarshalError (consuming nothing) if the varint is bad, n > kMaxLength, or n * min_bytes_each
  // exceeds ContentSize() after the prefix.
  size_t ReadLength(size_t min_bytes_each = 1);

  // The unread bytes, copied. Does not consume.
  std::string ToString() const { return std::string(data(), ContentSize()); }
  // The unread bytes, moved out; the buffer is left empty.
  std::string Release();
  // Hex dump of at most max_bytes unread bytes ("0a ff ..."), "..." appended if cut; for logs.
  std::string DebugString(size_t max_bytes = 64) const;

  // Drops all content (keeps the allocated capacity).
  void Clear() {
    rpos_ = 0;
    wpos_ = 0;
  }
  // Makes room for `n` more bytes to be written without reallocation.
  void Reserve(size_t n);
  // Exchanges contents (and cursors) with `other` in O(1).
  void swap(Marshal& other) noexcept {
    buf_.swap(other.buf_);
    std::swap(rpos_, other.rpos_);
    std::swap(wpos_, other.wpos_);
  }

  // All-or-nothing composite reads: restores the read cursor on destruction unless Commit()
  // was called. Use inside a user operator>> that reads several fields.
  // REQUIRES: no write, Clear, Release, swap or move of the Marshal while a ReadTxn is alive.
  class ReadTxn {
   public:
    explicit ReadTxn(Marshal& m) : m_(m), saved_(m.rpos_) {}
    ~ReadTxn() {
      if (!committed_) m_.rpos_ = saved_;
    }
    ReadTxn(const ReadTxn&) = delete;
    ReadTxn& operator=(const ReadTxn&) = delete;
    // Keeps the bytes consumed since construction consumed.
    void Commit() { committed_ = true; }

   private:
    Marshal& m_;
    size_t saved_;
    bool committed_ = false;
  };

 private:
  // Throws MarshalError unless at least n bytes are unread.
  void Require(size_t n) const {
    if (n > ContentSize()) ThrowShort(n);
  }
  [[noreturn]] void ThrowShort(size_t n) const;
  // Reclaims the consumed prefix when that is cheap relative to the work already done.
  // Cost: one memmove of the content, done only once the consumed prefix is at least as large
  // as the content (or the content is empty), so appends stay amortized O(1).
  void MaybeCompact() {
    if (rpos_ != 0 &&
        (rpos_ == wpos_ || (rpos_ >= kCompactMinBytes && rpos_ >= wpos_ - rpos_))) {
      Compact();
    }
  }
  void Compact();
  // Enlarges the storage so that n more bytes fit after wpos_ (at least doubling it).
  void Grow(size_t n);

  static constexpr size_t kCompactMinBytes = 4096;

  // Storage: consumed prefix [0, rpos_), content [rpos_, wpos_), spare room [wpos_, size()).
  // The spare room is part of the string's size so appends are a bounds check and a memcpy.
  std::string buf_;
  size_t rpos_ = 0;  // read cursor
  size_t wpos_ = 0;  // end of the content
};

// Same as a.swap(b); found by `using std::swap; swap(a, b);`.
inline void swap(Marshal& a, Marshal& b) noexcept { a.swap(b); }

// True iff both hold the same unread bytes (cursor positions are irrelevant).
bool operator==(const Marshal& a, const Marshal& b);
inline bool operator!=(const Marshal& a, const Marshal& b) { return !(a == b); }

// Lower bound on the encoded size in bytes of any value of T; used by container readers to
// reject element counts the remaining bytes cannot hold. 0 (no bound) unless specialized; this
// module specializes it for every type it encodes. A user type may specialize it too, but only
// with a true lower bound.
template <class T, class Enable = void>
struct WireMinSize {
  static constexpr size_t value = 0;
};

}  // namespace rrr
