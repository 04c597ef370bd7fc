#include "rrr/reactor/coroutine.h"

#include <cxxabi.h>

#include <exception>
#include <memory>
#include <utility>

#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"
#include "rrr/reactor/stack_pool.h"

#ifdef RRR_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace rrr {
namespace {

thread_local Coroutine* tl_current = nullptr;

// AddressSanitizer must be told about every switch between stacks, in both directions.
inline void AsanStartSwitch(void** fake_stack, const void* bottom, size_t size) {
#ifdef RRR_ASAN
  __sanitizer_start_switch_fiber(fake_stack, bottom, size);
#else
  (void)fake_stack, (void)bottom, (void)size;
#endif
}
inline void AsanFinishSwitch(void* fake_stack, const void** bottom_old, size_t* size_old) {
#ifdef RRR_ASAN
  __sanitizer_finish_switch_fiber(fake_stack, bottom_old, size_old);
#else
  (void)fake_stack, (void)bottom_old, (void)size_old;
#endif
}

// Layout of the Itanium C++ ABI's __cxa_eh_globals (libstdc++ and libc++abi alike).
struct EhGlobals {
  void* caught;
  unsigned int uncaught;
};

// Installs `next` as the thread's exception state and returns the one it replaces.
template <typename State>
inline State SwapEhState(const State& next) {
  EhGlobals* g = reinterpret_cast<EhGlobals*>(abi::__cxa_get_globals());
  State prev;
  prev.caught = g->caught;
  prev.uncaught = g->uncaught;
  g->caught = next.caught;
  g->uncaught = next.uncaught;
  return prev;
}

}  // namespace

Coroutine::Coroutine(Reactor* reactor, uint64_t id, std::shared_ptr<NodeContext> node,
                     std::function<void()> fn, const char* file, int line)
    : reactor_(reactor), id_(id), node_(std::move(node)), fn_(std::move(fn)), file_(file),
      line_(line) {
  if (!fn_) {  // a coroutine that will never run (see CreateRun)
    state_ = State::kFinished;
    return;
  }
  PooledStack stack;
  boost::context::stack_context sctx = stack.allocate();
  stack_bottom_ = static_cast<char*>(sctx.sp) - sctx.size;
  stack_size_ = sctx.size;
  boost::context::preallocated prealloc(sctx.sp, sctx.size, sctx);
  fiber_ = boost::context::fiber(std::allocator_arg, prealloc, stack,
                                 [this](boost::context::fiber&& caller) {
                                   return Body(std::move(caller));
                                 });
}

Coroutine::~Coroutine() {
  if (node_ != nullptr) node_->coroutines_.erase(id_);
  // A fiber still holding a stack here was never finished (reactor teardown fallback);
  // destroying it unwinds it with Boost's forced_unwind, with its own exception state.
  if (fiber_) {
    EhState outside = SwapEhState(eh_);
    fiber_ = boost::context::fiber();
    eh_ = SwapEhState(outside);
  }
}

std::shared_ptr<Coroutine> Coroutine::CreateRun(std::function<void()> fn, const char* file,
                                                int line) {
  Reactor* reactor = Reactor::GetReactor();
  NodeContext* node = NodeContext::Current();
  std::shared_ptr<NodeContext> owner = node != nullptr ? node->shared_from_this() : nullptr;
  if ((node != nullptr && node->cancelled()) || reactor->tearing_down()) {
    Log_debug("CreateRun ignored: node cancelled or reactor shutting down (%s:%d)", file, line);
    return std::shared_ptr<Coroutine>(
        new Coroutine(reactor, reactor->NextCoroutineId(), std::move(owner), nullptr, file, line));
  }
  verify_msg(static_cast<bool>(fn), "CreateRun with an empty function");
  std::shared_ptr<Coroutine> co(
      new Coroutine(reactor, reactor->NextCoroutineId(), std::move(owner), std::move(fn), file,
                    line));
  reactor->AddLive(co);
  if (node != nullptr) node->coroutines_[co->id_] = co.get();
  co->Resume(WakeReason::kNone);
  return co;
}

std::shared_ptr<Coroutine> Coroutine::CreateRunAs(NodeContext* node, std::function<void()> fn,
                                                  const char* file, int line) {
  NodeScope scope(node);
  return CreateRun(std::move(fn), file, line);
}

Coroutine* Coroutine::Current() { return tl_current; }

boost::context::fiber Coroutine::Body(boost::context::fiber&& caller) {
  caller_ = std::move(caller);
  AsanFinishSwitch(nullptr, &caller_bottom_, &caller_size_);
  RunUserFunction();
  // Release captures while still on this stack's thread of control, then leave for good: the
  // fiber's stack is freed once control is back on the resumer's stack.
  fn_ = nullptr;
  AsanStartSwitch(nullptr, caller_bottom_, caller_size_);
  return std::move(caller_);
}

void Coroutine::RunUserFunction() {
  try {
    fn_();
  } catch (const Cancelled&) {
    // A cancelled coroutine simply ends.
  } catch (const boost::context::detail::forced_unwind&) {
    throw;  // Boost is destroying this fiber; let it finish the unwinding.
  } catch (const std::exception& e) {
    reactor_->ReportCrash(node_.get(), e.what());
  } catch (...) {
    reactor_->ReportCrash(node_.get(), "unknown exception");
  }
}

void Coroutine::Resume(WakeReason reason) {
  verify_msg(state_ == State::kCreated || state_ == State::kSuspended,
             "resuming a coroutine that is running or finished");
  std::shared_ptr<Coroutine> self = shared_from_this();  // Finish() may drop the last owner
  Coroutine* prev_co = tl_current;
  NodeContext* prev_node = NodeContext::Current();
  tl_current = this;
  NodeContext::SetCurrent(node_.get());
  state_ = State::kRunning;
  wake_pending_ = false;
  wake_reason_ = reason;
  reactor_->NoteRunning(this);

  EhState resumer = SwapEhState(eh_);
  AsanStartSwitch(&fake_stack_, stack_bottom_, stack_size_);
  fiber_ = std::move(fiber_).resume();
  AsanFinishSwitch(fake_stack_, nullptr, nullptr);
  eh_ = SwapEhState(resumer);

  tl_current = prev_co;
  NodeContext::SetCurrent(prev_node);
  reactor_->NoteRunning(prev_co);
  if (!fiber_) Finish();
}

void Coroutine::Finish() {
  state_ = State::kFinished;
  if (node_ != nullptr) node_->coroutines_.erase(id_);
  reactor_->RemoveLive(id_);
}

bool Coroutine::CancelRequested() const {
  return (node_ != nullptr && node_->cancelled()) || reactor_->tearing_down();
}

bool Coroutine::CheckCancel() const {
  if (!CancelRequested()) return false;
  if (std::uncaught_exceptions() > 0) return true;  // e.g. a destructor waiting while unwinding
  throw Cancelled();
}

uint64_t Coroutine::PrepareWait() {
  verify_msg(tl_current == this, "waiting on behalf of a coroutine that is not running");
  ++wait_token_;
  wake_pending_ = false;
  wake_reason_ = WakeReason::kNone;
  return wait_token_;
}

Coroutine::WakeReason Coroutine::Suspend() {
  verify_msg(tl_current == this, "Suspend outside the coroutine itself");
  NodeContext* saved_node = NodeContext::Current();  // a NodeScope may be active inside
  state_ = State::kSuspended;
  AsanStartSwitch(&fake_stack_, caller_bottom_, caller_size_);
  caller_ = std::move(caller_).resume();
  AsanFinishSwitch(fake_stack_, &caller_bottom_, &caller_size_);
  NodeContext::SetCurrent(saved_node);
  return wake_reason_;
}

void Coroutine::Wake(uint64_t token, WakeReason reason) {
  if (state_ != State::kSuspended || token != wait_token_ || wake_pending_) return;
  wake_pending_ = true;
  wake_reason_ = reason;
  reactor_->EnqueueResume(shared_from_this(), token);
}

void Coroutine::Sleep(uint64_t us) {
  Coroutine* co = tl_current;
  verify_msg(co != nullptr, "Coroutine::Sleep called outside a coroutine");
  if (co->CheckCancel()) return;
  uint64_t token = co->PrepareWait();
  std::weak_ptr<Coroutine> weak = co->shared_from_this();
  TimerId timer = co->reactor_->AddTimer(us, [weak, token] {
    if (auto c = weak.lock()) c->Wake(token, WakeReason::kTimeout);
  });
  co->Suspend();
  co->reactor_->CancelTimer(timer);  // no-op if it fired
  co->CheckCancel();
}

void Coroutine::Yield() {
  Coroutine* co = tl_current;
  verify_msg(co != nullptr, "Coroutine::Yield called outside a coroutine");
  if (co->CheckCancel()) return;
  uint64_t token = co->PrepareWait();
  co->wake_pending_ = true;
  co->wake_reason_ = WakeReason::kYield;
  co->reactor_->EnqueueResume(co->shared_from_this(), token);
  co->Suspend();
  co->CheckCancel();
}

}  // namespace rrr

