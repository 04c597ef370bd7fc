#include "rrr/rpc/client.h"

#include <algorithm>
#include <vector>

#include "rrr/base/logging.h"
#include "rrr/net/frame.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"
#include "rrr/rpc/errors.h"
#include "rrr/rpc/frame.h"

namespace rrr {

Client::Client(Transport* transport)
    : transport_(transport != nullptr ? transport : Transport::Default()) {
  NodeContext* node = NodeContext::Current();
  if (node != nullptr) node_ = node->shared_from_this();
  node_id_ = node != nullptr ? node->id() : kNoNode;
}

Client::~Client() {
  destroying_ = true;
  Close();
}

int Client::Connect(const std::string& addr) {
  Close();
  addr_ = addr;
  ConnectionPtr conn;
  int err = transport_->Connect(addr, node_id_, &conn);
  if (err != 0) return err;
  conn->SetHandlers([this](std::string&& frame) { OnFrame(std::move(frame)); },
                    [this]() { OnClosed(); });
  conn->SetDropHandler([this](std::string&& frame) { OnDropped(std::move(frame)); });
  conn_ = std::move(conn);
  return 0;
}

FuturePtr Client::Call(uint32_t method_id, const Marshal& args, const FutureAttr& attr) {
  uint64_t xid = next_xid_++;
  auto f = std::make_shared<Future>(xid, attr);
  int early_error = kOk;
  if (conn_ == nullptr) {
    early_error = kErrNotConnected;
  } else if (args.ContentSize() > kMaxFrameBytes - kRequestHeaderBytes) {
    Log_error("rpc: arguments of %zu bytes exceed the frame limit; call to %s refused",
              args.ContentSize(), addr_.c_str());
    early_error = kErrBadRequest;
  }
  if (early_error != kOk) {
    Reactor::GetReactor()->Post([f, early_error]() { f->Complete(early_error, Marshal()); });
    return f;
  }
  f->client_ = this;
  pending_.emplace(xid, f);
  if (attr.timeout_us > 0) {
    std::weak_ptr<Future> weak = f;
    f->timer_ = Reactor::GetReactor()->AddTimer(attr.timeout_us, [weak]() {
      FuturePtr fut = weak.lock();
      if (fut == nullptr || fut->done_) return;
      fut->timer_ = 0;
      if (fut->client_ != nullptr) fut->client_->Forget(fut.get());
      fut->Complete(kErrTimeout, Marshal());
    });
  }
  char header[kRequestHeaderBytes];
  EncodeRequestHeader(RequestHeader{xid, method_id}, header);
  conn_->Send(std::string_view(header, sizeof(header)),
              std::string_view(args.data(), args.ContentSize()));
  return f;
}

void Client::Close() {
  if (conn_ != nullptr) {
    ConnectionPtr conn = std::move(conn_);
    conn_ = nullptr;
    conn->ClearHandlers();
    conn->Close();
  }
  FailAll(kErrNotConnected);
}

void Client::OnFrame(std::string&& frame) {
  ReplyHeader h;
  Marshal payload;
  if (!ParseReply(std::move(frame), &h, &payload)) {
    Log_error("rpc: malformed reply frame from %s; closing the connection", addr_.c_str());
    Close();
    return;
  }
  auto it = pending_.find(h.xid);
  if (it == pending_.end()) {  // timed out, abandoned or answered earlier
    late_replies_++;
    return;
  }
  FuturePtr f = std::move(it->second);
  pending_.erase(it);
  f->Complete(h.error_code, std::move(payload));
}

void Client::OnClosed() {
  conn_ = nullptr;
  FailAll(kErrNotConnected);
}

void Client::OnDropped(std::string&& frame) {
  RequestHeader h;
  Marshal args;
  if (!ParseRequest(std::move(frame), &h, &args)) return;  // not one of ours: cannot happen
  auto it = pending_.find(h.xid);
  if (it == pending_.end()) return;  // timed out or abandoned earlier
  FuturePtr f = std::move(it->second);
  pending_.erase(it);
  f->Complete(kErrUnreachable, Marshal());
}

void Client::FailAll(int error_code) {
  if (pending_.empty()) return;
  std::vector<FuturePtr> failed;
  failed.reserve(pending_.size());
  for (auto& kv : pending_) failed.push_back(std::move(kv.second));
  pending_.clear();
  // Deterministic order: by xid, i.e. call order.
  std::sort(failed.begin(), failed.end(),
            [](const FuturePtr& a, const FuturePtr& b) { return a->xid() < b->xid(); });
  const bool skip_callbacks = destroying_;  // callbacks below may even destroy this client
  for (FuturePtr& f : failed) {
    f->client_ = nullptr;
    if (skip_callbacks) f->callback_ = nullptr;  // their targets may be going away with us
    f->Complete(error_code, Marshal());
  }
}

void Client::Forget(Future* f) {
  f->client_ = nullptr;
  pending_.erase(f->xid());
}

}  // namespace rrr
