// rrr marshalling: include this header to get rrr::Marshal and every encoding.
//
//   rrr::Marshal m;
//   m << int32_t{7} << rrr::v64(-3) << std::string("hi") << std::vector<Pt>{...};
//   int32_t a; rrr::v64 b; std::string s; std::vector<Pt> pts;
//   m >> a >> b >> s >> pts;  // throws rrr::MarshalError on malformed or missing bytes
//
// Wire format summary (the byte layout is independent of the host):
//   intN_t / uintN_t / char   N/8 bytes, little-endian, two's complement   (scalars.h)
//   enum                      its underlying integer type                   (scalars.h)
//   bool                      1 byte, 0 or 1                                (scalars.h)
//   float / double            IEEE-754 bits as uint32 / uint64              (scalars.h)
//   std::string, Marshal      varint length + bytes                         (scalars.h)
//   rrr::v32 / rrr::v64       ZigZag + LEB128 varint, 1..5 / 1..10 bytes    (varint.h)
//   vector/list/set/map/...   varint count + elements                       (containers.h)
//   pair                      first + second                                (containers.h)
//   optional                  tag byte 0/1 + value                          (containers.h)
//   lengths and counts        unsigned LEB128 varint, at most Marshal::kMaxLength (64 MiB)
//
// User types: define, in the type's namespace,
//   rrr::Marshal& operator<<(rrr::Marshal&, const T&);
//   rrr::Marshal& operator>>(rrr::Marshal&, T&);
// and they work everywhere, inside containers too. A reader of several fields can wrap them
// in a Marshal::ReadTxn to be all-or-nothing like the built-in readers.
#pragma once

#include "rrr/marshal/buffer.h"
#include "rrr/marshal/containers.h"
#include "rrr/marshal/scalars.h"
#include "rrr/marshal/varint.h"
