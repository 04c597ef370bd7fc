// Polymorphic messages: Marshallable (a subclass per command/log entry type, identified by its
// kind) and MarshallDeputy (the value that carries one through rrr::Marshal and RPCs).
//
//   struct PutCmd : janus::Marshallable {
//     PutCmd() : Marshallable(kKindPutCmd) {}
//     std::string key, value;
//     rrr::Marshal& ToMarshal(rrr::Marshal& m) const override { return m << key << value; }
//     rrr::Marshal& FromMarshal(rrr::Marshal& m) override { return m >> key >> value; }
//   };
//   JANUS_REGISTER_MARSHALLABLE(kKindPutCmd, PutCmd);   // in a .cc file
//
//   janus::MarshallDeputy d(std::make_shared<PutCmd>());  // send d (alone, in a vector, map...)
//   auto put = d.As<PutCmd>();                             // on the receiver; null if not a PutCmd
//
// Wire format of a MarshallDeputy:
//   kind     int32, 4 bytes little-endian (kKindNone = 0 for an empty deputy)
//   length   unsigned LEB128 varint, the payload size in bytes (<= rrr::Marshal::kMaxLength)
//   payload  exactly what the subclass's ToMarshal wrote (empty for kKindNone)
// The length prefix lets a receiver skip a payload it cannot decode.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "deptran/kinds.h"
#include "deptran/marshallable_registry.h"
#include "rrr/marshal/marshal.h"

namespace janus {

// Base of every type carried by a MarshallDeputy. Subclasses set kind_ in their default
// constructor and register themselves with JANUS_REGISTER_MARSHALLABLE.
class Marshallable {
 public:
  explicit Marshallable(int32_t kind) : kind_(kind) {}
  virtual ~Marshallable() = default;

  // Appends this object's fields to m; returns m.
  virtual rrr::Marshal& ToMarshal(rrr::Marshal& m) const = 0;
  // Reads back exactly what ToMarshal wrote, into this default-constructed object; returns m.
  // May throw rrr::MarshalError on malformed input.
  virtual rrr::Marshal& FromMarshal(rrr::Marshal& m) = 0;

  int32_t kind_;  // identifies the subclass on the wire; see deptran/kinds.h
};

// Decoding failure of a MarshallDeputy: unknown kind, a payload that does not decode (or leaves
// bytes over), or a truncated deputy. The message names the kind and, when known, the type.
class MarshallableError : public rrr::MarshalError {
 public:
  MarshallableError(int32_t kind, const std::string& what)
      : rrr::MarshalError(what), kind_(kind) {}
  // The kind read from the wire (kKindNone if even the kind was missing).
  int32_t kind() const { return kind_; }

 private:
  int32_t kind_;
};

// A value holding any registered Marshallable (or nothing). Copies share the object.
class MarshallDeputy {
 public:
  // Empty: sp_data_ null, kind_ kKindNone.
  MarshallDeputy() = default;
  // Wraps `data`; kind_ is taken from data->kind_ (kKindNone if data is null).
  explicit MarshallDeputy(std::shared_ptr<Marshallable> data);

  // The object as a T, or nullptr if empty or of another type.
  template <class T>
  std::shared_ptr<T> As() const {
    return std::dynamic_pointer_cast<T>(sp_data_);
  }

  std::shared_ptr<Marshallable> sp_data_;
  int32_t kind_ = kKindNone;  // sp_data_->kind_ when set, kKindNone when empty
};

// Writes the deputy (format above). The kind written is sp_data_->kind_.
rrr::Marshal& operator<<(rrr::Marshal& m, const MarshallDeputy& d);

// Reads a deputy, creating its object through MarshallableRegistry::Global(). On success, d is
// replaced. Errors (d is left unchanged in all cases):
//  - header missing or length over the unread bytes: MarshallableError, nothing consumed;
//  - unknown kind, payload that throws while decoding, or payload bytes left unread by
//    FromMarshal: MarshallableError after the whole deputy (header and payload) is consumed, so
//    the next value in m still decodes.
rrr::Marshal& operator>>(rrr::Marshal& m, MarshallDeputy& d);

}  // namespace janus

namespace rrr {
// A deputy takes at least 5 bytes (kind + 1-byte length): bounds vector<MarshallDeputy> counts.
template <>
struct WireMinSize<janus::MarshallDeputy> {
  static constexpr size_t value = 5;
};
}  // namespace rrr
