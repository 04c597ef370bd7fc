#include "deptran/marshallable_registry.h"

#include <cstdio>
#include <cstdlib>

#include "deptran/marshallable.h"

namespace janus {

MarshallableRegistry& MarshallableRegistry::Global() {
  // Constructed on first use, so registrations from any translation unit's static
  // initializers are safe; never destroyed, so late users during exit are safe too.
  static MarshallableRegistry* registry = new MarshallableRegistry();
  return *registry;
}

bool MarshallableRegistry::Register(int32_t kind, const std::string& type_name, Factory factory,
                                    std::string* error) {
  std::string why;
  if (kind <= 0) {
    why = "kind " + std::to_string(kind) + " is reserved (kinds start at 1, 0 means empty)";
  } else if (!factory) {
    why = "no factory";
  } else {
    std::shared_ptr<Marshallable> probe = factory();
    if (!probe) {
      why = "the factory returned null";
    } else if (probe->kind_ != kind) {
      why = "a default-constructed " + type_name + " has kind_ = " +
            std::to_string(probe->kind_) + ", but it is registered as kind " +
            std::to_string(kind);
    }
  }
  if (why.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(kind);
    if (it != entries_.end()) {
      why = "kind " + std::to_string(kind) + " (range " + KindRangeName(kind) +
            ") is already registered by " + it->second.type_name;
    } else {
      entries_.emplace(kind, Entry{type_name, std::move(factory)});
      return true;
    }
  }
  if (error != nullptr) *error = why;
  return false;
}

bool MarshallableRegistry::Contains(int32_t kind) const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.count(kind) > 0;
}

std::string MarshallableRegistry::NameOf(int32_t kind) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(kind);
  return it == entries_.end() ? std::string() : it->second.type_name;
}

std::shared_ptr<Marshallable> MarshallableRegistry::Create(int32_t kind) const {
  Factory factory;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(kind);
    if (it == entries_.end()) return nullptr;
    factory = it->second.factory;
  }
  return factory();  // outside the lock: a constructor may itself touch the registry
}

std::vector<int32_t> MarshallableRegistry::Kinds() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int32_t> kinds;
  for (const auto& kv : entries_) kinds.push_back(kv.first);
  return kinds;
}

bool RegisterMarshallableOrDie(int32_t kind, const char* type_name,
                               MarshallableRegistry::Factory factory, const char* file, int line) {
  std::string error;
  if (!MarshallableRegistry::Global().Register(kind, type_name, std::move(factory), &error)) {
    std::fprintf(stderr, "%s:%d: JANUS_REGISTER_MARSHALLABLE(%d, %s): %s\n", file, line,
                 static_cast<int>(kind), type_name, error.c_str());
    std::abort();
  }
  return true;
}

}  // namespace janus
