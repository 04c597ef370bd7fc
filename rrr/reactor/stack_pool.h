// Coroutine stacks: mmap'd with a guard page below (an overflow faults instead of corrupting the
// heap) and recycled through a per-thread free list, so creating a coroutine costs no syscall in
// the steady state.
#ifndef RRR_REACTOR_STACK_POOL_H_
#define RRR_REACTOR_STACK_POOL_H_

#include <boost/context/stack_context.hpp>

#include <cstddef>

namespace rrr {

// Usable stack size per coroutine (larger under AddressSanitizer, whose frames are bigger).
#ifdef RRR_ASAN
constexpr size_t kCoroutineStackBytes = 1024 * 1024;
#else
constexpr size_t kCoroutineStackBytes = 256 * 1024;
#endif

// A StackAllocator (Boost.Context concept) drawing from the calling thread's pool.
class PooledStack {
 public:
  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context& sctx) noexcept;

  // Stacks currently cached by the calling thread's pool (for tests).
  static size_t CachedCount();
};

}  // namespace rrr

#endif  // RRR_REACTOR_STACK_POOL_H_
