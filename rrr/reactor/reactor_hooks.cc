// The reactor's links into rrr/base (time, randomness, log context) and the watchdog snapshot.
#include <mutex>

#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace rrr {
namespace {

bool ReactorNow(uint64_t* now_us) {
  Reactor* r = Reactor::CurrentOrNull();
  if (r == nullptr) return false;
  *now_us = r->NowUs();
  return true;
}

Rand* ReactorRand() {
  NodeContext* node = NodeContext::Current();
  if (node != nullptr) return &node->rand();
  Reactor* r = Reactor::CurrentOrNull();
  return r != nullptr ? &r->rand() : nullptr;
}

void ReactorLogContext(LogContext* ctx) {
  Reactor* r = Reactor::CurrentOrNull();
  if (r != nullptr) {
    ctx->has_time = true;
    ctx->time_us = r->NowUs();
  }
  NodeContext* node = NodeContext::Current();
  if (node != nullptr) ctx->node = node->name();
  Coroutine* co = Coroutine::Current();
  if (co != nullptr) ctx->coroutine = co->id();
}

}  // namespace

void Reactor::InstallHooks() {
  Time::SetNowHook(&ReactorNow);
  Rand::SetCurrentHook(&ReactorRand);
  Log::SetContextHook(&ReactorLogContext);
}

void Reactor::NoteRunning(const Coroutine* co) {
  // Called on every switch: no clock read here (it would dominate the switch cost). The time a
  // switch happened is taken by the observer, see RunningCoroutineInfo().
  std::lock_guard<std::mutex> lock(running_mu_);
  running_.switches++;
  if (co == nullptr) {
    running_.in_coroutine = false;
    running_.coroutine_id = 0;
    running_.node_id = -1;
    running_.node_name.reset();
    running_.file = nullptr;
    running_.line = 0;
    return;
  }
  running_.in_coroutine = true;
  running_.coroutine_id = co->id();
  NodeContext* node = co->node();
  running_.node_id = node != nullptr ? node->id() : -1;
  if (node == nullptr) {
    running_.node_name.reset();
  } else if (running_.node_name.get() != &node->name()) {
    running_.node_name = node->shared_name();
  }
  running_.file = co->created_file();
  running_.line = co->created_line();
}

RunningInfo Reactor::RunningCoroutineInfo() const {
  const uint64_t now = Time::MonotonicUs();
  RunningInfo info;
  std::lock_guard<std::mutex> lock(running_mu_);
  if (running_.switches != observed_switches_ || observed_at_us_ == 0) {
    observed_switches_ = running_.switches;
    observed_at_us_ = now;
  }
  info.in_coroutine = running_.in_coroutine;
  info.coroutine_id = running_.coroutine_id;
  info.node_id = running_.node_id;
  if (running_.node_name != nullptr) info.node_name = *running_.node_name;
  if (running_.file != nullptr) {
    info.created_at = running_.file;
    if (running_.line > 0) info.created_at += ":" + std::to_string(running_.line);
  }
  info.resumed_at_us = observed_at_us_;
  info.switches = running_.switches;
  return info;
}

}  // namespace rrr
