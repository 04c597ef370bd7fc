// Fixed-width encodings: integers, enums, bool, float/double, and byte strings.
// Integers are little-endian on the wire whatever the host's byte order.
#pragma once

#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "rrr/marshal/buffer.h"

namespace rrr {
namespace marshal_detail {

template <class T>
using EnableIfInteger =
    std::enable_if_t<std::is_integral<T>::value && !std::is_same<T, bool>::value, int>;

// Stores v into out[0..sizeof(U)) least significant byte first. U is unsigned.
template <class U>
inline void PutLE(unsigned char* out, U v) {
  for (size_t i = 0; i < sizeof(U); i++) out[i] = static_cast<unsigned char>(v >> (8 * i));
}

// Inverse of PutLE.
template <class U>
inline U GetLE(const unsigned char* in) {
  U v = 0;
  for (size_t i = 0; i < sizeof(U); i++) v = static_cast<U>(v | (static_cast<U>(in[i]) << (8 * i)));
  return v;
}

template <class U>
inline void WriteLE(Marshal& m, U v) {
  unsigned char b[sizeof(U)];
  PutLE(b, v);
  m.Write(b, sizeof(U));
}

template <class U>
inline U ReadLE(Marshal& m) {
  unsigned char b[sizeof(U)];
  m.Read(b, sizeof(U));
  return GetLE<U>(b);
}

}  // namespace marshal_detail

// Any integer type except bool (char, int8_t .. uint64_t, long long, ...): sizeof(T) bytes,
// two's complement, little-endian.
template <class T, marshal_detail::EnableIfInteger<T> = 0>
Marshal& operator<<(Marshal& m, T v) {
  marshal_detail::WriteLE(m, static_cast<std::make_unsigned_t<T>>(v));
  return m;
}
template <class T, marshal_detail::EnableIfInteger<T> = 0>
Marshal& operator>>(Marshal& m, T& v) {
  v = static_cast<T>(marshal_detail::ReadLE<std::make_unsigned_t<T>>(m));
  return m;
}

// Enums: encoded as their underlying integer type. Any value of that type is accepted on read.
template <class T, std::enable_if_t<std::is_enum<T>::value, int> = 0>
Marshal& operator<<(Marshal& m, T v) {
  return m << static_cast<std::underlying_type_t<T>>(v);
}
template <class T, std::enable_if_t<std::is_enum<T>::value, int> = 0>
Marshal& operator>>(Marshal& m, T& v) {
  std::underlying_type_t<T> raw;
  m >> raw;
  v = static_cast<T>(raw);
  return m;
}

// bool: one byte, 0 or 1; any other byte throws MarshalError on read. (A template so that
// pointers and other types convertible to bool are not silently accepted.)
template <class T, std::enable_if_t<std::is_same<T, bool>::value, int> = 0>
Marshal& operator<<(Marshal& m, T v) {
  const unsigned char b = v ? 1 : 0;
  m.Write(&b, 1);
  return m;
}
template <class T, std::enable_if_t<std::is_same<T, bool>::value, int> = 0>
Marshal& operator>>(Marshal& m, T& v) {
  unsigned char b;
  m.Peek(&b, 1);
  if (b > 1) throw MarshalError("marshal: bool byte " + std::to_string(b) + " is not 0 or 1");
  m.Skip(1);
  v = b == 1;
  return m;
}

// float / double: the IEEE-754 bit pattern as a little-endian uint32 / uint64. Every bit
// pattern (NaNs included) round-trips exactly.
template <class T, std::enable_if_t<std::is_same<T, float>::value || std::is_same<T, double>::value,
                                    int> = 0>
Marshal& operator<<(Marshal& m, T v) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  static_assert(sizeof(T) == sizeof(U), "IEEE-754 float/double expected");
  U bits;
  std::memcpy(&bits, &v, sizeof bits);
  marshal_detail::WriteLE(m, bits);
  return m;
}
template <class T, std::enable_if_t<std::is_same<T, float>::value || std::is_same<T, double>::value,
                                    int> = 0>
Marshal& operator>>(Marshal& m, T& v) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  const U bits = marshal_detail::ReadLE<U>(m);
  std::memcpy(&v, &bits, sizeof bits);
  return m;
}

// Byte strings: varint length, then the bytes. Writing more than Marshal::kMaxLength bytes
// throws MarshalError. Reading checks the length against the limit and the unread bytes.
inline Marshal& operator<<(Marshal& m, std::string_view s) {
  m.WriteLength(s.size());
  m.Write(s.data(), s.size());
  return m;
}
inline Marshal& operator<<(Marshal& m, const std::string& s) { return m << std::string_view(s); }
// REQUIRES: s is a NUL-terminated string (encoded like std::string, without the NUL).
inline Marshal& operator<<(Marshal& m, const char* s) { return m << std::string_view(s); }
inline Marshal& operator>>(Marshal& m, std::string& s) {
  const size_t n = m.ReadLength(1);
  s.assign(m.data(), n);
  m.Skip(n);
  return m;
}

// A nested Marshal: its unread content as a byte string (the inner buffer is not consumed).
// Reading replaces `inner` with the decoded bytes. REQUIRES: &inner != &m.
inline Marshal& operator<<(Marshal& m, const Marshal& inner) {
  return m << std::string_view(inner.data(), inner.ContentSize());
}
inline Marshal& operator>>(Marshal& m, Marshal& inner) {
  const size_t n = m.ReadLength(1);
  inner = Marshal(m.data(), n);
  m.Skip(n);
  return m;
}

template <class T>
struct WireMinSize<T, std::enable_if_t<std::is_arithmetic<T>::value || std::is_enum<T>::value>> {
  static constexpr size_t value = sizeof(T);
};
template <>
struct WireMinSize<std::string> {
  static constexpr size_t value = 1;
};
template <>
struct WireMinSize<Marshal> {
  static constexpr size_t value = 1;
};

}  // namespace rrr
