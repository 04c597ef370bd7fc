#include "rrr/rpc/future.h"

#include <exception>

#include "rrr/base/logging.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"
#include "rrr/rpc/client.h"
#include "rrr/rpc/errors.h"

namespace rrr {

Future::Future(uint64_t xid, FutureAttr attr)
    : xid_(xid), callback_(std::move(attr.callback)),
      reactor_serial_(Reactor::GetReactor()->serial()) {
  NodeContext* node = NodeContext::Current();
  if (node != nullptr) node_ = node->shared_from_this();
}

Future::~Future() = default;

void Future::Wait(uint64_t timeout_us) {
  Event::Wait(timeout_us);
  if (done_) return;
  // Abandon the call: a late reply finds no pending entry and is ignored.
  if (client_ != nullptr) client_->Forget(this);
  Complete(kErrTimeout, Marshal());
}

void Future::Complete(int error_code, Marshal&& reply) {
  if (done_) return;
  done_ = true;
  error_code_ = error_code;
  reply_ = std::move(reply);
  client_ = nullptr;
  if (timer_ != 0) {
    Reactor* r = Reactor::CurrentOrNull();
    if (r != nullptr && r->serial() == reactor_serial_) r->CancelTimer(timer_);
    timer_ = 0;
  }
  Test();
  std::function<void(Future*)> callback = std::move(callback_);
  callback_ = nullptr;
  if (!callback || (node_ != nullptr && node_->cancelled())) return;
  NodeScope scope(node_.get());
  try {
    callback(this);
  } catch (const Cancelled&) {
    // The callback's node died while it ran; nothing to report.
  } catch (const std::exception& e) {
    Reactor::GetReactor()->ReportCrash(node_.get(), std::string("rpc callback threw: ") + e.what());
  }
}

}  // namespace rrr
