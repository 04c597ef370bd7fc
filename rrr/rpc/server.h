// rrr::Server: accepts connections on a Transport and runs one coroutine per request.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "rrr/marshal/buffer.h"
#include "rrr/net/transport.h"
#include "rrr/rpc/deferred_reply.h"

namespace rrr {

class NodeContext;
class Server;

// Base of generated services: RegisterTo registers one handler per method.
class Service {
 public:
  virtual ~Service() = default;
  // Calls server->RegHandler for each method of the service.
  virtual void RegisterTo(Server* server) = 0;
};

class Server {
 public:
  // Runs for one request inside its own coroutine. `args` holds the marshalled arguments and
  // stays valid for the whole coroutine. The handler must eventually call reply->reply() or
  // reply->reply_error() (possibly from another coroutine). If the coroutine ends with an
  // exception before a reply was sent, the server replies for it: kErrBadRequest for a
  // MarshalError (bad arguments), kErrShutdown for other exceptions (which then propagate to
  // the reactor's crash handler), and nothing for rrr::Cancelled (its node died). A handler
  // that passed `reply` to someone else must therefore not end with an exception.
  using Handler = std::function<void(Marshal& args, DeferredReply* reply)>;

  // Serves through `transport` (nullptr: Transport::Default()). Handlers will run as coroutines
  // of the node that is current now (none outside any node). REQUIRES: the server is used on
  // the reactor thread only and destroyed before the reactor and the transport.
  explicit Server(Transport* transport = nullptr);
  // Closes every listener and connection (so the address can be listened on again, e.g. by a
  // restarted node). Requests still being handled keep running; their replies are dropped.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Same as service->RegisterTo(this). The service must outlive the server's handlers.
  void RegisterService(Service* service);
  // Routes requests for `method_id` to `handler`. Returns 0, or EEXIST (logged) if the id
  // already has a handler. May be called before or after Listen.
  int RegHandler(uint32_t method_id, Handler handler);
  // Same, naming the method (e.g. "KvService.Put", as generated services do) for reports of
  // requests still waiting for their reply (NodeContext::pending_requests). `name` must have
  // static storage duration (a string literal).
  int RegHandler(uint32_t method_id, const char* name, Handler handler);

  // Starts accepting on `addr` ("host:port"; port 0 picks a free one, stored in *port_out when
  // non-null). Returns 0 or an errno value. May be called more than once (several addresses).
  int Listen(const std::string& addr, int* port_out = nullptr);

  // Address of the most recent successful Listen ("host:port" with the real port).
  const std::string& addr() const { return addr_; }
  // Number of live accepted connections.
  size_t num_connections() const { return conns_.size(); }
  // Node id the server runs its handlers for (kNoNode if none).
  int node_id() const { return node_id_; }

 private:
  struct Registered {
    Handler handler;
    const char* name = nullptr;
  };
  using HandlerTable = std::unordered_map<uint32_t, Registered>;

  void OnAccept(ConnectionPtr conn);
  void OnFrame(uint64_t conn_id, std::string&& frame);
  // Body of a request's coroutine: runs the handler and answers for it if it throws.
  static void RunHandler(const Handler& handler, Marshal& args, DeferredReply* reply);

  Transport* transport_;
  std::shared_ptr<NodeContext> node_;
  int node_id_;
  std::shared_ptr<const HandlerTable> handlers_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::map<uint64_t, ConnectionPtr> conns_;  // by accept order (never by address)
  uint64_t next_conn_id_ = 1;
  std::string addr_;
};

}  // namespace rrr
