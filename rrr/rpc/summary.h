// Short one-line texts of RPC argument and result values, for traces (rpcgen's generated
// summarizers use these; see method_info.h). Scalars print their value, strings a quoted
// prefix, containers their size ("[3]"), pairs and optionals their parts, and anything else
// (structs, pass-through types) "{..}". Deterministic: no addresses, no locale.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace rrr {
namespace summary {

template <class T, class = void>
struct HasSize : std::false_type {};
template <class T>
struct HasSize<T, std::void_t<decltype(std::declval<const T&>().size())>> : std::true_type {};

template <class T>
struct IsPair : std::false_type {};
template <class A, class B>
struct IsPair<std::pair<A, B>> : std::true_type {};

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// The quoted first `max` bytes of `s` (non-printable bytes shown as '.').
inline std::string Quoted(const std::string& s, size_t max = 24) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < max; i++) {
    const char c = s[i];
    out += (c >= 0x20 && c < 0x7f) ? c : '.';
  }
  out += s.size() > max ? "\"..." : "\"";
  return out;
}

// The text of one value (see the file comment).
template <class T>
std::string Of(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    return std::to_string(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", static_cast<double>(v));
    return buf;
  } else if constexpr (std::is_enum_v<T>) {
    return std::to_string(static_cast<std::underlying_type_t<T>>(v));
  } else if constexpr (std::is_same_v<T, std::string>) {
    return Quoted(v);
  } else if constexpr (IsPair<T>::value) {
    return "(" + Of(v.first) + "," + Of(v.second) + ")";
  } else if constexpr (IsOptional<T>::value) {
    return v.has_value() ? Of(*v) : std::string("none");
  } else if constexpr (HasSize<T>::value) {
    return "[" + std::to_string(v.size()) + "]";
  } else {
    return "{..}";
  }
}

// Appends " name=<Of(v)>" (no leading space on an empty *out).
template <class T>
void Field(std::string* out, const char* name, const T& v) {
  if (!out->empty()) *out += ' ';
  *out += name;
  *out += '=';
  *out += Of(v);
}

}  // namespace summary
}  // namespace rrr
