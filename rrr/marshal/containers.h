// Standard containers, pair and optional; they nest freely and take any element type that has
// its own operator<< / operator>> (found by argument-dependent lookup).
//
// Wire formats:
//   vector, list, set, unordered_set  varint count, then each element (sets in iteration order)
//   map, unordered_map                varint count, then key, value for each entry
//   pair                              first, then second
//   optional                          one tag byte (0 = empty, 1 = present), then the value
// Readers throw MarshalError on a count over Marshal::kMaxLength, a count the unread bytes cannot
// hold (see WireMinSize), a duplicate key in a set or map, or an optional tag other than 0/1.
// On any failure the cursor and the destination are left unchanged (decoding goes through a
// temporary that is moved into place only on success). A write that throws (a string or
// container over kMaxLength) may leave a partial encoding behind.
#pragma once

#include <algorithm>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "rrr/marshal/buffer.h"
#include "rrr/marshal/scalars.h"

namespace rrr {
namespace marshal_detail {

// One-byte integers are their own wire format, so a sequence of them is copied in bulk.
template <class T>
constexpr bool kIsByte = std::is_integral<T>::value && !std::is_same<T, bool>::value &&
                         sizeof(T) == 1;

template <class C>
void WriteElements(Marshal& m, const C& c) {
  m.WriteLength(c.size());
  for (const auto& x : c) m << x;
}

template <class M>
void WriteEntries(Marshal& m, const M& c) {
  m.WriteLength(c.size());
  for (const auto& kv : c) m << kv.first << kv.second;
}

// Decodes a set or map of n entries (already counted) into tmp, rejecting duplicate keys.
template <class C>
void InsertUnique(C& tmp, typename C::value_type&& v) {
  const size_t before = tmp.size();
  tmp.emplace_hint(tmp.end(), std::move(v));
  if (tmp.size() == before) throw MarshalError("marshal: duplicate key in set or map");
}

template <class C, class = void>
struct HasReserve : std::false_type {};
template <class C>
struct HasReserve<C, std::void_t<decltype(std::declval<C&>().reserve(size_t{0}))>>
    : std::true_type {};

// Reads a set or map: a count (each entry at least `min_bytes_each` bytes), then the entries,
// each decoded by `read_one(m)`, rejecting duplicate keys. All or nothing: `out` and the cursor
// change only on success.
template <class C, class ReadOne>
void ReadUnique(Marshal& m, C& out, size_t min_bytes_each, ReadOne read_one) {
  Marshal::ReadTxn txn(m);
  const size_t n = m.ReadLength(min_bytes_each);
  C tmp;
  if constexpr (HasReserve<C>::value) tmp.reserve(std::min(n, m.ContentSize()));
  for (size_t i = 0; i < n; i++) InsertUnique(tmp, read_one(m));
  txn.Commit();
  out = std::move(tmp);
}

}  // namespace marshal_detail

template <class T, class A>
Marshal& operator<<(Marshal& m, const std::vector<T, A>& v) {
  if constexpr (marshal_detail::kIsByte<T>) {
    m.WriteLength(v.size());
    m.Write(v.data(), v.size());
  } else {
    marshal_detail::WriteElements(m, v);
  }
  return m;
}
template <class T, class A>
Marshal& operator>>(Marshal& m, std::vector<T, A>& out) {
  Marshal::ReadTxn txn(m);
  const size_t n = m.ReadLength(WireMinSize<T>::value);
  std::vector<T, A> tmp;
  if constexpr (marshal_detail::kIsByte<T>) {
    tmp.resize(n);
    m.Read(tmp.data(), n);
  } else {
    tmp.reserve(std::min(n, m.ContentSize()));
    for (size_t i = 0; i < n; i++) {
      T x{};
      m >> x;
      tmp.push_back(std::move(x));
    }
  }
  txn.Commit();
  out = std::move(tmp);
  return m;
}

template <class T, class A>
Marshal& operator<<(Marshal& m, const std::list<T, A>& l) {
  marshal_detail::WriteElements(m, l);
  return m;
}
template <class T, class A>
Marshal& operator>>(Marshal& m, std::list<T, A>& out) {
  Marshal::ReadTxn txn(m);
  const size_t n = m.ReadLength(WireMinSize<T>::value);
  std::list<T, A> tmp;
  for (size_t i = 0; i < n; i++) {
    tmp.emplace_back();
    m >> tmp.back();
  }
  txn.Commit();
  out = std::move(tmp);
  return m;
}

template <class T, class C, class A>
Marshal& operator<<(Marshal& m, const std::set<T, C, A>& s) {
  marshal_detail::WriteElements(m, s);
  return m;
}
template <class T, class C, class A>
Marshal& operator>>(Marshal& m, std::set<T, C, A>& out) {
  marshal_detail::ReadUnique(m, out, WireMinSize<T>::value, [](Marshal& in) {
    T x{};
    in >> x;
    return x;
  });
  return m;
}

template <class T, class H, class E, class A>
Marshal& operator<<(Marshal& m, const std::unordered_set<T, H, E, A>& s) {
  marshal_detail::WriteElements(m, s);
  return m;
}
template <class T, class H, class E, class A>
Marshal& operator>>(Marshal& m, std::unordered_set<T, H, E, A>& out) {
  marshal_detail::ReadUnique(m, out, WireMinSize<T>::value, [](Marshal& in) {
    T x{};
    in >> x;
    return x;
  });
  return m;
}

template <class K, class V, class C, class A>
Marshal& operator<<(Marshal& m, const std::map<K, V, C, A>& mp) {
  marshal_detail::WriteEntries(m, mp);
  return m;
}
template <class K, class V, class C, class A>
Marshal& operator>>(Marshal& m, std::map<K, V, C, A>& out) {
  marshal_detail::ReadUnique(m, out, WireMinSize<K>::value + WireMinSize<V>::value,
                             [](Marshal& in) {
                               std::pair<K, V> kv{};
                               in >> kv.first >> kv.second;
                               return kv;
                             });
  return m;
}

template <class K, class V, class H, class E, class A>
Marshal& operator<<(Marshal& m, const std::unordered_map<K, V, H, E, A>& mp) {
  marshal_detail::WriteEntries(m, mp);
  return m;
}
template <class K, class V, class H, class E, class A>
Marshal& operator>>(Marshal& m, std::unordered_map<K, V, H, E, A>& out) {
  marshal_detail::ReadUnique(m, out, WireMinSize<K>::value + WireMinSize<V>::value,
                             [](Marshal& in) {
                               std::pair<K, V> kv{};
                               in >> kv.first >> kv.second;
                               return kv;
                             });
  return m;
}

template <class A, class B>
Marshal& operator<<(Marshal& m, const std::pair<A, B>& p) {
  return m << p.first << p.second;
}
template <class A, class B>
Marshal& operator>>(Marshal& m, std::pair<A, B>& out) {
  Marshal::ReadTxn txn(m);
  std::pair<A, B> tmp{};
  m >> tmp.first >> tmp.second;
  txn.Commit();
  out = std::move(tmp);
  return m;
}

template <class T>
Marshal& operator<<(Marshal& m, const std::optional<T>& o) {
  m << static_cast<uint8_t>(o.has_value() ? 1 : 0);
  if (o) m << *o;
  return m;
}
template <class T>
Marshal& operator>>(Marshal& m, std::optional<T>& out) {
  const uint8_t tag = m.PeekByte();
  if (tag > 1) throw MarshalError("marshal: optional tag " + std::to_string(tag) + " is not 0 or 1");
  Marshal::ReadTxn txn(m);
  m.Skip(1);
  std::optional<T> tmp;
  if (tag == 1) m >> tmp.emplace();
  txn.Commit();
  out = std::move(tmp);
  return m;
}

// Every container, optional and pair encoding takes at least one byte (count or tag).
template <class T, class A>
struct WireMinSize<std::vector<T, A>> { static constexpr size_t value = 1; };
template <class T, class A>
struct WireMinSize<std::list<T, A>> { static constexpr size_t value = 1; };
template <class T, class C, class A>
struct WireMinSize<std::set<T, C, A>> { static constexpr size_t value = 1; };
template <class T, class H, class E, class A>
struct WireMinSize<std::unordered_set<T, H, E, A>> { static constexpr size_t value = 1; };
template <class K, class V, class C, class A>
struct WireMinSize<std::map<K, V, C, A>> { static constexpr size_t value = 1; };
template <class K, class V, class H, class E, class A>
struct WireMinSize<std::unordered_map<K, V, H, E, A>> { static constexpr size_t value = 1; };
template <class T>
struct WireMinSize<std::optional<T>> { static constexpr size_t value = 1; };
template <class A, class B>
struct WireMinSize<std::pair<A, B>> {
  static constexpr size_t value = WireMinSize<A>::value + WireMinSize<B>::value;
};

}  // namespace rrr
