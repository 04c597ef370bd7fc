// CounterImpl: the server side of counter.rpc.
//
// rpcgen turned counter.rpc into "counter.h" (in the build directory). Its CounterService has
// one pure virtual method per RPC; a server implements them in a subclass like this one. Every
// handler has the same shape:
//
//   void Add(const std::string& writer, const int64_t& delta,   // inputs, by const reference
//            int64_t* value,                                    // outputs, by pointer
//            rrr::DeferredReply* defer) override;               // the reply handle
//
// and the contract is: fill the outputs, then call defer->reply() exactly once. That call may
// happen at once, after waiting (each request runs in its own coroutine), or later from other
// code that kept `defer`. After reply() the handle is gone: do not touch it again.
//
// Everything runs on one thread (the reactor's), and coroutines only switch at Wait, Sleep or
// Yield, so CounterImpl needs no locks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "counter.h"  // generated from counter.rpc

namespace example {

class CounterImpl : public CounterService {
 public:
  CounterImpl() = default;
  // Fails the WaitFor calls still pending with rrr::kErrShutdown.
  ~CounterImpl() override;

  void Add(const std::string& writer, const int64_t& delta, int64_t* value,
           rrr::DeferredReply* defer) override;
  void Get(CounterState* state, rrr::DeferredReply* defer) override;
  void Echo(const std::string& msg, const uint64_t& delay_us, std::string* echoed,
            rrr::DeferredReply* defer) override;
  void WaitFor(const int64_t& target, int64_t* value, rrr::DeferredReply* defer) override;

  // The state, for tests and logs.
  const CounterState& state() const { return state_; }
  // Number of WaitFor calls not answered yet.
  size_t num_waiting() const { return waiters_.size(); }

 private:
  // A WaitFor call that is not answered yet: where its output goes and how to reply.
  struct Waiter {
    int64_t target;
    int64_t* value;  // owned by the generated code; valid until defer->reply()
    rrr::DeferredReply* defer;
  };

  // Replies to every waiter whose target the value has reached.
  void WakeWaiters();

  CounterState state_;
  std::vector<Waiter> waiters_;  // in arrival order
};

}  // namespace example
