// rrr::Reactor: the per-thread event loop that runs coroutines, timers, posted callbacks and
// (in real-time mode) libevent I/O.
//
// Determinism: in virtual-time mode the loop runs everything runnable in FIFO order, then jumps
// the clock to the earliest timer. Nothing is ordered by address or by wall-clock time, so a run
// is a pure function of the seed and the inputs.
#ifndef RRR_REACTOR_REACTOR_H_
#define RRR_REACTOR_REACTOR_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "rrr/base/rand.h"
#include "rrr/reactor/clock.h"
#include "rrr/reactor/timer_queue.h"

struct event_base;
struct event;

namespace rrr {

class Coroutine;
class NodeContext;

// How a reactor keeps time.
struct ReactorOptions {
  bool virtual_time = false;  // simulated time that jumps to the next timer when idle
  uint64_t seed = 1;          // seeds rand() and every node's stream
};

// A snapshot of what the reactor thread is running, readable from any thread (watchdog).
struct RunningInfo {
  bool in_coroutine = false;  // false: the loop itself (or nothing) is running
  uint64_t coroutine_id = 0;
  int node_id = -1;              // -1: no node
  std::string node_name;         // empty: no node
  std::string created_at;        // "file:line" of the CreateRun call, if known
  // Time::MonotonicUs() when this state (this switch) was first observed through
  // RunningCoroutineInfo(). Switches do not read the clock, so a watchdog polling every P us
  // learns when the current coroutine was entered to within P: if `switches` is unchanged and
  // in_coroutine is true, the same coroutine has run without yielding since resumed_at_us.
  uint64_t resumed_at_us = 0;
  uint64_t switches = 0;         // total coroutine switches so far
};

class Reactor {
 public:
  // Receives exceptions (other than rrr::Cancelled) that escape a coroutine body or callback.
  using CrashHandler = std::function<void(NodeContext* node, const std::string& what)>;

  // Makes a new reactor and installs it as the calling thread's current reactor, destroying the
  // previous one if nothing else holds it. REQUIRES: not called from inside a coroutine.
  static std::shared_ptr<Reactor> Create(const ReactorOptions& options = ReactorOptions());
  // The calling thread's reactor; creates a real-time one (seed 1) on first use.
  static Reactor* GetReactor();
  // The calling thread's reactor, or null if it has none (never creates one).
  static Reactor* CurrentOrNull();

  // Unwinds every live coroutine (they see rrr::Cancelled), then frees timers and the event base.
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  bool virtual_time() const { return clock_->IsVirtual(); }
  uint64_t seed() const { return options_.seed; }
  // Current time on this reactor's clock, in microseconds.
  uint64_t NowUs() const { return clock_->NowUs(); }
  const Clock& clock() const { return *clock_; }
  // The reactor-wide random stream (seeded by options.seed).
  Rand& rand() { return rand_; }
  // The libevent base used by real-time I/O (transports register their events here).
  event_base* base() const { return base_; }
  // Distinguishes reactors even if one is allocated at a freed one's address.
  uint64_t serial() const { return serial_; }

  // Runs fn once, delay_us from now, on the loop (not in a coroutine), with the node that is
  // current now made current again. Timers of a cancelled node are dropped.
  TimerId AddTimer(uint64_t delay_us, std::function<void()> fn);
  // Drops a pending timer. Returns false if it already ran or is unknown.
  bool CancelTimer(TimerId id);
  // Queues fn to run on the loop soon, after already queued work (FIFO), with the current node
  // made current again (dropped if that node is cancelled). Reactor thread only.
  void Post(std::function<void()> fn);

  // Runs until Stop() is called. In virtual time it also returns when nothing is left to do.
  // REQUIRES: not inside a coroutine or another loop of this reactor.
  void Loop();
  // Makes the running Loop/RunUntil/RunFor return after the current item. No effect otherwise.
  void Stop();
  // Runs until done() is true (checked between items) or timeout_us of reactor time passed.
  // Returns done(). In virtual time, if nothing is left to do before the deadline, the clock
  // jumps to the deadline. REQUIRES: as for Loop().
  bool RunUntil(const std::function<bool()>& done, uint64_t timeout_us);
  // Runs for exactly us microseconds of reactor time (virtual: the clock ends at now + us).
  void RunFor(uint64_t us);

  // Reports escaped exceptions (default: Log_error and continue).
  void SetCrashHandler(CrashHandler handler) { crash_handler_ = std::move(handler); }
  // Reports an escaped exception to the crash handler (used by coroutines and callbacks).
  void ReportCrash(NodeContext* node, const std::string& what);

  // Thread-safe snapshot for a watchdog thread (see RunningInfo::resumed_at_us).
  RunningInfo RunningCoroutineInfo() const;

  // Creates an event (or any object) owned by a shared_ptr. Kept for the course skeleton's API.
  template <typename T, typename... Args>
  static std::shared_ptr<T> CreateSpEvent(Args&&... args) {
    return std::make_shared<T>(std::forward<Args>(args)...);
  }

  // Per-reactor objects owned by other layers (e.g. the default transport), destroyed in reverse
  // order of first insertion after coroutines are unwound and before the event base is freed.
  void SetAttachment(const std::string& key, std::shared_ptr<void> value);
  // The attachment stored under key, or null.
  std::shared_ptr<void> GetAttachment(const std::string& key) const;

  // Introspection for tests and diagnostics.
  size_t pending_timers() const { return timers_.size(); }
  size_t runnable() const { return runq_.size(); }
  size_t live_coroutines() const { return live_.size(); }
  // True while the destructor unwinds coroutines.
  bool tearing_down() const { return tearing_down_; }

 private:
  friend class Coroutine;
  friend class NodeContext;

  struct Runnable {
    std::shared_ptr<Coroutine> co;  // resume co if it still waits with `token`...
    uint64_t token = 0;
    std::function<void()> fn;            // ...or run fn
    std::shared_ptr<NodeContext> node;   // node for fn
  };

  explicit Reactor(const ReactorOptions& options);
  void InstallHooks();
  bool Run(const std::function<bool()>& done, uint64_t deadline_us);
  bool RunDueTimers();
  bool RunQueued();
  void PollIo(uint64_t timeout_us);
  void RunCallback(const std::function<void()>& fn, const std::shared_ptr<NodeContext>& node);

  // Used by Coroutine and NodeContext.
  void EnqueueResume(std::shared_ptr<Coroutine> co, uint64_t token);
  uint64_t NextCoroutineId() { return next_coroutine_id_++; }
  void AddLive(const std::shared_ptr<Coroutine>& co);
  void RemoveLive(uint64_t id);
  void NoteRunning(const Coroutine* co);
  uint64_t NextIncarnation(int node_id) { return incarnations_[node_id]++; }
  std::vector<std::shared_ptr<Coroutine>> LiveCoroutines() const;
  size_t CancelNodeTimers(const NodeContext* node) { return timers_.CancelNode(node); }

  ReactorOptions options_;
  std::unique_ptr<Clock> clock_;
  VirtualClock* vclock_ = nullptr;  // == clock_ in virtual mode
  Rand rand_;
  uint64_t serial_;
  event_base* base_ = nullptr;
  event* wake_ev_ = nullptr;
  TimerQueue timers_;
  std::deque<Runnable> runq_;
  std::map<uint64_t, std::shared_ptr<Coroutine>> live_;  // by id: deterministic order
  std::map<int, uint64_t> incarnations_;
  uint64_t next_coroutine_id_ = 1;
  bool in_loop_ = false;
  bool stop_requested_ = false;
  bool tearing_down_ = false;
  CrashHandler crash_handler_;
  std::vector<std::pair<std::string, std::shared_ptr<void>>> attachments_;

  // What the thread runs now, for RunningCoroutineInfo(). Kept cheap to update on every switch.
  struct RunningState {
    bool in_coroutine = false;
    uint64_t coroutine_id = 0;
    int node_id = -1;
    std::shared_ptr<const std::string> node_name;
    const char* file = nullptr;
    int line = 0;
    uint64_t switches = 0;
  };
  mutable std::mutex running_mu_;  // guards running_
  RunningState running_;
  mutable uint64_t observed_switches_ = 0;  // switch count at the last RunningCoroutineInfo()
  mutable uint64_t observed_at_us_ = 0;     // when that count was first observed
};

// Shorthand for Reactor::GetReactor().
inline Reactor* GetReactor() { return Reactor::GetReactor(); }

}  // namespace rrr

#endif  // RRR_REACTOR_REACTOR_H_
