#include "deptran/persister.h"

namespace janus {

std::shared_ptr<Persister> MemoryPersister::Copy() const {
  return std::make_shared<MemoryPersister>(state_, snapshot_);
}

}  // namespace janus
