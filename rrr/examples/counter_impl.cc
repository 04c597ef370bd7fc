#include "rrr/examples/counter_impl.h"

#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"

namespace example {

CounterImpl::~CounterImpl() {
  // A DeferredReply must be answered exactly once, even when the answer is "gave up". Replying
  // is safe even if the server or the connection is already gone.
  for (Waiter& w : waiters_) w.defer->reply_error(rrr::kErrShutdown);
}

void CounterImpl::Add(const std::string& writer, const int64_t& delta, int64_t* value,
                      rrr::DeferredReply* defer) {
  state_.value += delta;
  state_.adds++;
  state_.last_writer = writer;
  *value = state_.value;  // 1. fill the outputs
  defer->reply();         // 2. send them; `defer` is gone after this line
  WakeWaiters();          // other pending calls may be answerable now
}

void CounterImpl::Get(CounterState* state, rrr::DeferredReply* defer) {
  *state = state_;
  defer->reply();
}

void CounterImpl::Echo(const std::string& msg, const uint64_t& delay_us, std::string* echoed,
                       rrr::DeferredReply* defer) {
  // Sleeping suspends only this request's coroutine. (Inputs like `msg` stay valid while the
  // handler has not returned, so using them after the sleep is fine.)
  rrr::Coroutine::Sleep(delay_us);
  *echoed = msg;
  defer->reply();
}

void CounterImpl::WaitFor(const int64_t& target, int64_t* value, rrr::DeferredReply* defer) {
  if (state_.value >= target) {
    *value = state_.value;
    defer->reply();
    return;
  }
  // Keep what the reply needs: the handle and the output pointer stay valid until reply().
  // The input `target` does not outlive this call, so it is copied.
  Log_debug("counter: WaitFor(%lld) parked at value %lld", static_cast<long long>(target),
            static_cast<long long>(state_.value));
  waiters_.push_back(Waiter{target, value, defer});
}

void CounterImpl::WakeWaiters() {
  std::vector<Waiter> still_waiting;
  for (Waiter& w : waiters_) {
    if (state_.value >= w.target) {
      *w.value = state_.value;
      w.defer->reply();
    } else {
      still_waiting.push_back(w);
    }
  }
  waiters_.swap(still_waiting);
}

}  // namespace example
