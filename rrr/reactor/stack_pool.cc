#include "rrr/reactor/stack_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <new>
#include <vector>

#ifdef RRR_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace rrr {
namespace {

constexpr size_t kMaxCached = 64;

size_t PageSize() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

// Total mapping: the guard page plus the usable stack.
size_t MappingBytes() { return kCoroutineStackBytes + PageSize(); }

// Set when this thread's pool has been destroyed at thread exit. Trivially destructible, so it
// stays readable after the pool is gone: a reactor torn down later (thread-locals are destroyed
// in reverse order of construction) then unmaps its stacks directly instead of using the pool.
thread_local bool tl_pool_destroyed = false;

struct FreeList {
  std::vector<void*> stacks;  // base addresses of whole mappings
  FreeList() { stacks.reserve(kMaxCached); }  // deallocate must not allocate
  ~FreeList() {
    for (void* p : stacks) munmap(p, MappingBytes());
    stacks.clear();
    tl_pool_destroyed = true;
  }
};

// This thread's pool, or nullptr once it has been destroyed at thread exit.
FreeList* Pool() {
  if (tl_pool_destroyed) return nullptr;
  thread_local FreeList pool;
  return &pool;
}

}  // namespace

boost::context::stack_context PooledStack::allocate() {
  void* base = nullptr;
  FreeList* pool = Pool();
  if (pool != nullptr && !pool->stacks.empty()) {
    base = pool->stacks.back();
    pool->stacks.pop_back();
  } else {
    base = mmap(nullptr, MappingBytes(), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    if (mprotect(base, PageSize(), PROT_NONE) != 0) {
      munmap(base, MappingBytes());
      throw std::bad_alloc();
    }
  }
#ifdef RRR_ASAN
  // A recycled stack may still carry poisoned redzones of frames that never returned.
  __asan_unpoison_memory_region(static_cast<char*>(base) + PageSize(), kCoroutineStackBytes);
#endif
  boost::context::stack_context sctx;
  sctx.size = kCoroutineStackBytes;
  sctx.sp = static_cast<char*>(base) + MappingBytes();
  return sctx;
}

void PooledStack::deallocate(boost::context::stack_context& sctx) noexcept {
  void* base = static_cast<char*>(sctx.sp) - MappingBytes();
  FreeList* pool = Pool();
  if (pool != nullptr && pool->stacks.size() < kMaxCached) {
    pool->stacks.push_back(base);
  } else {
    munmap(base, MappingBytes());
  }
}

size_t PooledStack::CachedCount() {
  FreeList* pool = Pool();
  return pool == nullptr ? 0 : pool->stacks.size();
}

}  // namespace rrr
