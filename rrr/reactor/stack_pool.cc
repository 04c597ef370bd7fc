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

struct FreeList {
  std::vector<void*> stacks;  // base addresses of whole mappings
  FreeList() { stacks.reserve(kMaxCached); }  // deallocate must not allocate
  ~FreeList() {
    for (void* p : stacks) munmap(p, MappingBytes());
  }
};

FreeList& Pool() {
  thread_local FreeList pool;
  return pool;
}

}  // namespace

boost::context::stack_context PooledStack::allocate() {
  void* base = nullptr;
  FreeList& pool = Pool();
  if (!pool.stacks.empty()) {
    base = pool.stacks.back();
    pool.stacks.pop_back();
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
  FreeList& pool = Pool();
  if (pool.stacks.size() < kMaxCached) {
    pool.stacks.push_back(base);
  } else {
    munmap(base, MappingBytes());
  }
}

size_t PooledStack::CachedCount() { return Pool().stacks.size(); }

}  // namespace rrr
