// rrr::Coroutine: a stackful coroutine (boost::context::fiber) run by the thread's reactor.
//
// Coroutines switch only at Wait/Sleep/Yield. Each belongs to the node that was current when it
// was created (possibly none) and runs with that node current. A finished coroutine's stack is
// freed at once; the Coroutine object lives on while someone holds its shared_ptr.
#ifndef RRR_REACTOR_COROUTINE_H_
#define RRR_REACTOR_COROUTINE_H_

#include <boost/context/fiber.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace rrr {

class NodeContext;
class Reactor;

class Coroutine : public std::enable_shared_from_this<Coroutine> {
 public:
  enum class State { kCreated, kRunning, kSuspended, kFinished };
  // Why a suspended coroutine was resumed (internal; used by waits).
  enum class WakeReason { kNone, kReady, kTimeout, kYield, kCancel };

  // Creates a coroutine on the current reactor, owned by the current node, and runs fn at once
  // until its first wait, yield or return; then CreateRun returns (also when called from inside
  // another coroutine: the creator resumes after the child first waits). `file`/`line` name the
  // creation site for the watchdog and default to the caller's; `file` must have static storage
  // duration. If the current node is cancelled, fn does not run (the result is already finished).
  static std::shared_ptr<Coroutine> CreateRun(std::function<void()> fn,
                                              const char* file = __builtin_FILE(),
                                              int line = __builtin_LINE());
  // Like CreateRun, owned by `node` (null: no node) instead of the current node.
  static std::shared_ptr<Coroutine> CreateRunAs(NodeContext* node, std::function<void()> fn,
                                                const char* file = __builtin_FILE(),
                                                int line = __builtin_LINE());
  // The running coroutine, or null on the loop's own stack.
  static Coroutine* Current();
  // Suspends the current coroutine for us microseconds of reactor time.
  // REQUIRES: inside a coroutine. Throws rrr::Cancelled if its node is cancelled.
  static void Sleep(uint64_t us);
  // Moves the current coroutine to the back of the run queue.
  // REQUIRES: inside a coroutine. Throws rrr::Cancelled if its node is cancelled.
  static void Yield();

  ~Coroutine();
  Coroutine(const Coroutine&) = delete;
  Coroutine& operator=(const Coroutine&) = delete;

  // Sequential per reactor, starting at 1.
  uint64_t id() const { return id_; }
  // The owning node, or null.
  NodeContext* node() const { return node_.get(); }
  State state() const { return state_; }
  bool finished() const { return state_ == State::kFinished; }
  const char* created_file() const { return file_; }
  int created_line() const { return line_; }

  // ---- Building blocks for wait primitives (events, sleep). Not for lab code. ----

  // True if the coroutine must stop waiting: its node is cancelled or the reactor is being
  // destroyed.
  bool CancelRequested() const;
  // Throws rrr::Cancelled if CancelRequested(), unless an exception is already unwinding the
  // stack (then it returns true and the caller must give up waiting). Returns false otherwise.
  bool CheckCancel() const;
  // Starts a wait: returns the token that Wake must quote. REQUIRES: this == Current().
  uint64_t PrepareWait();
  // Gives control back to the resumer until woken. Returns why it was woken. Never throws; the
  // caller checks CheckCancel() afterwards. REQUIRES: this == Current(), PrepareWait() called.
  WakeReason Suspend();
  // Schedules a resume through the run queue if the coroutine still waits with `token` and has
  // no wake pending. Safe to call any number of times.
  void Wake(uint64_t token, WakeReason reason);
  // Runs the coroutine now, from the caller's stack, until it waits or finishes.
  // REQUIRES: state() is kCreated or kSuspended.
  void Resume(WakeReason reason);
  // The token of the current (or last) wait.
  uint64_t wait_token() const { return wait_token_; }

 private:
  Coroutine(Reactor* reactor, uint64_t id, std::shared_ptr<NodeContext> node,
            std::function<void()> fn, const char* file, int line);
  boost::context::fiber Body(boost::context::fiber&& caller);
  void RunUserFunction();
  void Finish();

  Reactor* reactor_;
  uint64_t id_;
  std::shared_ptr<NodeContext> node_;
  std::function<void()> fn_;
  const char* file_;
  int line_;
  State state_ = State::kCreated;
  uint64_t wait_token_ = 0;
  bool wake_pending_ = false;
  WakeReason wake_reason_ = WakeReason::kNone;
  boost::context::fiber fiber_;   // the coroutine's side; empty while running or once finished
  boost::context::fiber caller_;  // the resumer's side; valid while running
  // Stack bounds, for announcing switches to AddressSanitizer.
  const void* stack_bottom_ = nullptr;
  size_t stack_size_ = 0;
  const void* caller_bottom_ = nullptr;
  size_t caller_size_ = 0;
  void* fake_stack_ = nullptr;
  // The C++ runtime's per-thread exception state (stack of caught exceptions, count of
  // uncaught ones) belonging to this coroutine while it is not running. Swapped in and out at
  // every switch, so that std::uncaught_exceptions(), `throw;` and catch blocks see this
  // coroutine's exceptions only (otherwise a coroutine resumed from another one that is
  // unwinding would believe it is unwinding too).
  struct EhState {
    void* caught = nullptr;
    unsigned int uncaught = 0;
  };
  EhState eh_;
};

}  // namespace rrr

#endif  // RRR_REACTOR_COROUTINE_H_
