// The process-wide map from Marshallable kind to a factory of the matching subclass, and the
// one-line static registration macro.
//
//   // in foo_cmd.cc, at namespace scope, next to FooCmd's member definitions:
//   JANUS_REGISTER_MARSHALLABLE(kKindFooCmd, FooCmd);
//
// FooCmd must be default-constructible and its default constructor must set kind_ = kKindFooCmd
// (checked at registration). Registration runs during static initialization; a duplicate kind,
// kind <= 0 or a kind_ mismatch prints the offending registration and aborts the program before
// main runs, so a clash between two labs cannot go unnoticed.
//
// Linking note: a static library's object file is linked only if something references it. Put
// the macro in the .cc that defines the type's ToMarshal/FromMarshal (referenced through the
// vtable whenever the type is constructed anywhere), or link the lab's sources as an OBJECT
// library, so a receiver-only process still has the registration.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace janus {

class Marshallable;

class MarshallableRegistry {
 public:
  // Makes a default-constructed instance of one registered type.
  using Factory = std::function<std::shared_ptr<Marshallable>()>;

  // The registry that MarshallDeputy decoding consults. Safe to use during static init.
  static MarshallableRegistry& Global();

  // Registers `factory` for `kind`; `type_name` appears in error messages. Returns true on
  // success. Returns false, registering nothing and describing why in *error (if non-null),
  // when kind <= 0 (kind 0 is kKindNone), factory is empty or returns null, the object it makes
  // has kind_ != kind, or kind is already registered.
  bool Register(int32_t kind, const std::string& type_name, Factory factory, std::string* error);

  // True iff `kind` is registered.
  bool Contains(int32_t kind) const;
  // The registered type name of `kind`, or "" if unregistered.
  std::string NameOf(int32_t kind) const;
  // A new default-constructed object of `kind`, or nullptr if unregistered.
  std::shared_ptr<Marshallable> Create(int32_t kind) const;
  // All registered kinds, ascending.
  std::vector<int32_t> Kinds() const;

 private:
  struct Entry {
    std::string type_name;
    Factory factory;
  };
  mutable std::mutex mu_;  // registration may happen on any thread; lookups are frequent
  std::map<int32_t, Entry> entries_;
};

// Registers into MarshallableRegistry::Global(); on failure prints
// "<file>:<line>: JANUS_REGISTER_MARSHALLABLE(<type_name>): <reason>" to stderr and aborts.
// Returns true. Used by the macro below.
bool RegisterMarshallableOrDie(int32_t kind, const char* type_name,
                               MarshallableRegistry::Factory factory, const char* file, int line);

}  // namespace janus

#define JANUS_REGISTER_CONCAT_INNER_(a, b) a##b
#define JANUS_REGISTER_CONCAT_(a, b) JANUS_REGISTER_CONCAT_INNER_(a, b)

// Registers Marshallable subclass `Type` under `kind` at static-initialization time. Use at
// namespace scope in a .cc file, once per type.
#define JANUS_REGISTER_MARSHALLABLE(kind, Type)                                                \
  [[maybe_unused]] static const bool JANUS_REGISTER_CONCAT_(janus_marshallable_registered_,   \
                                                            __COUNTER__) =                     \
      ::janus::RegisterMarshallableOrDie(                                                      \
          (kind), #Type,                                                                       \
          []() -> std::shared_ptr<::janus::Marshallable> { return std::make_shared<Type>(); }, \
          __FILE__, __LINE__)
