#include "rrr/rpc/server.h"

#include <errno.h>

#include "rrr/base/log_limit.h"
#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"
#include "rrr/rpc/errors.h"
#include "rrr/rpc/frame.h"

namespace rrr {

Server::Server(Transport* transport)
    : transport_(transport != nullptr ? transport : Transport::Default()),
      handlers_(std::make_shared<HandlerTable>()) {
  NodeContext* node = NodeContext::Current();
  if (node != nullptr) node_ = node->shared_from_this();
  node_id_ = node != nullptr ? node->id() : kNoNode;
}

Server::~Server() {
  for (auto& l : listeners_) l->Close();
  listeners_.clear();
  std::map<uint64_t, ConnectionPtr> conns;
  conns.swap(conns_);
  for (auto& kv : conns) {
    kv.second->ClearHandlers();
    kv.second->Close();
  }
}

void Server::RegisterService(Service* service) { service->RegisterTo(this); }

int Server::RegHandler(uint32_t method_id, Handler handler) {
  return RegHandler(method_id, nullptr, std::move(handler));
}

int Server::RegHandler(uint32_t method_id, const char* name, Handler handler) {
  if (handlers_->count(method_id) > 0) {
    Log_error("rpc: method id 0x%08x registered twice", method_id);
    return EEXIST;
  }
  // Copy on write: running requests keep the table they started with.
  auto table = std::make_shared<HandlerTable>(*handlers_);
  (*table)[method_id] = Registered{std::move(handler), name};
  handlers_ = std::move(table);
  return 0;
}

int Server::Listen(const std::string& addr, int* port_out) {
  std::unique_ptr<Listener> listener;
  int err = transport_->Listen(
      addr, node_id_, [this](ConnectionPtr conn) { OnAccept(std::move(conn)); }, &listener);
  if (err != 0) {
    Log_error("rpc: cannot listen on %s: %s", addr.c_str(), strerror(err));
    return err;
  }
  addr_ = listener->addr();
  if (port_out != nullptr) *port_out = listener->port();
  listeners_.push_back(std::move(listener));
  return 0;
}

void Server::OnAccept(ConnectionPtr conn) {
  uint64_t id = next_conn_id_++;
  conn->SetHandlers([this, id](std::string&& frame) { OnFrame(id, std::move(frame)); },
                    [this, id]() { conns_.erase(id); });
  conns_.emplace(id, std::move(conn));
}

void Server::OnFrame(uint64_t conn_id, std::string&& frame) {
  auto it = conns_.find(conn_id);
  if (it == conns_.end()) return;
  RequestHeader h;
  Marshal args;
  if (!ParseRequest(std::move(frame), &h, &args)) {
    Log_error_limited("rpc.malformed",
                      "rpc: malformed request frame from node %d; closing that connection",
                      it->second->remote_node());
    ConnectionPtr conn = std::move(it->second);
    conns_.erase(it);
    conn->ClearHandlers();
    conn->Close();
    return;
  }
  // A crashed node answers nothing.
  if (node_ != nullptr && node_->cancelled()) return;
  auto hit = handlers_->find(h.method_id);
  if (hit == handlers_->end()) {
    Log_warn_limited("rpc.no_method", "rpc: no handler for method id 0x%08x (xid %llu)",
                     h.method_id, static_cast<unsigned long long>(h.xid));
    char header[kReplyHeaderBytes];
    EncodeReplyHeader(ReplyHeader{h.xid, kErrNoMethod}, header);
    it->second->Send(std::string_view(header, sizeof(header)));
    return;
  }
  auto* reply = new DeferredReply(it->second, h.xid);
  reply->args_ = std::move(args);
  reply->handler_ = &hit->second.handler;
  reply->handler_table_ = handlers_;  // the handler outlives RegHandler and ~Server
  if (node_ != nullptr) {
    reply->BelongTo(node_.get());
    reply->pending_key_ = node_->AddPendingRequest(h.method_id, hit->second.name);
  }
  NodeScope scope(node_.get());
  // Two pointers: small enough for std::function to store without allocating. `started` is
  // written only before the coroutine first waits, while this frame still exists.
  bool started = false;
  Coroutine::CreateRun([reply, &started]() {
    started = true;
    RunHandler(*reply->handler_, reply->args_, reply);
  });
  if (!started) reply->Unref(2);  // the reactor is shutting down: nobody will answer
}

void Server::RunHandler(const Handler& handler, Marshal& args, DeferredReply* reply) {
  try {
    handler(args, reply);
  } catch (const MarshalError& e) {
    if (!reply->replied_) {
      Log_warn_limited("rpc.bad_args", "rpc: xid %llu: bad arguments: %s",
                       static_cast<unsigned long long>(reply->xid_), e.what());
      reply->reply_error(kErrBadRequest);
    }
    reply->Unref();
    return;
  } catch (const Cancelled&) {
    // The node died: no reply, like a crashed machine. An unsent reply of a node may still be
    // held by the node's objects (their destructors may answer it: dropped), so it is freed when
    // the node is destroyed; one of no node (reactor teardown) goes now.
    reply->Unref(reply->replied_ || reply->node_ != nullptr ? 1 : 2);
    throw;
  } catch (...) {
    if (!reply->replied_) reply->reply_error(kErrShutdown);
    reply->Unref();
    throw;
  }
  reply->Unref();
}

}  // namespace rrr
