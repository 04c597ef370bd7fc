// Frame-oriented transports. A Connection carries whole frames (byte strings) in both
// directions; a Transport opens connections (Connect) and accepts them (Listen). Two
// implementations share this interface: TcpTransport (libevent sockets, real time) and
// SimTransport (in-process delivery on the reactor's clock, usually virtual time). Both consult
// the Transport's NetPolicy for every frame and count traffic per node.
//
// Threading: a transport and its connections belong to one reactor thread; every method and
// callback runs there.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "rrr/net/policy.h"

namespace rrr {

class Reactor;
class Transport;

// One end of a frame connection. Created by Transport::Connect (an "outbound" end: it sends
// requests and receives replies) or handed to a listener's accept handler (an "inbound" end:
// it receives requests and sends replies). Owned by shared_ptr; the transport keeps only weak
// references, so dropping the last reference closes the connection.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // Receives one whole frame body. May call Close() or drop references to the connection.
  using FrameHandler = std::function<void(std::string&& frame)>;
  // Called once when the connection dies for a reason other than a local Close(): the peer
  // closed it, an I/O error, or malformed input (logged). Never called after Close().
  using CloseHandler = std::function<void()>;
  // Receives a frame this end sent that the policy dropped with FrameFate::notify_sender, after
  // the fate's fail_after_us (see policy.h). Runs on the reactor, outside any node; never after
  // Close() or once the connection died. May call Close() or drop references to the connection.
  using DropHandler = std::function<void(std::string&& frame)>;

  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Installs the callbacks. REQUIRES: called before control returns to the reactor after
  // Connect returned the connection or the accept handler received it.
  void SetHandlers(FrameHandler on_frame, CloseHandler on_close);
  // Installs the callback for reported drops (none by default: reported drops are then as
  // silent as the others). Same REQUIRES as SetHandlers.
  void SetDropHandler(DropHandler on_drop);
  // Removes the callbacks, the drop handler included (safe from inside one of them).
  void ClearHandlers();

  // Queues one frame whose body is `head` followed by `body`. Frames are sent in order unless
  // the policy delays some. A no-op on a closed connection. Frames longer than kMaxFrameBytes
  // are a programming error (verify).
  virtual void Send(std::string_view head, std::string_view body = {}) = 0;
  // Closes this end; frames already queued are still delivered (sim) or handed to the kernel
  // if it takes them at once (tcp; frames held until the peer's hello are dropped). The peer
  // sees its CloseHandler. Idempotent.
  virtual void Close() = 0;

  // True once closed by either side or by an error.
  bool closed() const { return closed_; }
  // Node ids of this end and of the peer (kNoNode if none; the peer id of a tcp connection is
  // kNoNode until the peer's hello arrived).
  int local_node() const { return local_node_; }
  int remote_node() const { return remote_node_; }
  // True for ends created by Connect.
  bool outbound() const { return outbound_; }

 protected:
  Connection(Transport* transport, int local_node, int remote_node, bool outbound)
      : transport_(transport), local_node_(local_node), remote_node_(remote_node),
        outbound_(outbound) {}

  // Counts a frame (`head` + `body`) sent by this end and asks the policy about it.
  FrameFate DecideSend(std::string_view head, std::string_view body);
  // For a frame (`head` + `body`) that DecideSend dropped with `fate`: if the fate asks for it
  // and a DropHandler is installed, schedules the handler's call fail_after_us from now.
  void ReportDrop(const FrameFate& fate, std::string_view head, std::string_view body);
  // Asks the policy whether `frame`, which arrived at this end, may be handed over; counts a
  // drop against the sender otherwise.
  bool CheckDeliver(std::string_view frame);
  // Hands a frame to the FrameHandler (if any).
  void DeliverFrame(std::string&& frame);
  // Marks the connection closed and, if `notify`, runs the CloseHandler once.
  void MarkClosed(bool notify);

  // Runs fn after delay_us on the transport's reactor, outside any node.
  void AddTransportTimer(uint64_t delay_us, std::function<void()> fn);

  Transport* transport_;
  int local_node_;
  int remote_node_;
  bool outbound_;
  bool closed_ = false;

 private:
  NodeCounters* counters_ = nullptr;  // of local_node_, looked up on the first send
  FrameHandler on_frame_;
  CloseHandler on_close_;
  DropHandler on_drop_;
};

using ConnectionPtr = std::shared_ptr<Connection>;

// A listening address. Destroying it (or Close) stops accepting; connections already accepted
// live on.
class Listener {
 public:
  virtual ~Listener() = default;
  // Stops accepting new connections. Idempotent.
  virtual void Close() = 0;
  // The bound address as "host:port", with the real port when 0 was asked.
  const std::string& addr() const { return addr_; }
  int port() const { return port_; }

 protected:
  std::string addr_;
  int port_ = 0;
};

class Transport {
 public:
  // Receives each accepted connection; it must keep a reference (and SetHandlers) to keep it.
  using AcceptHandler = std::function<void(ConnectionPtr conn)>;

  virtual ~Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Starts listening on `addr` ("host:port"; port 0 picks a free port) for node `local_node`.
  // Returns 0 and sets *listener, or returns an errno value (EINVAL malformed address,
  // EADDRINUSE, ...).
  virtual int Listen(const std::string& addr, int local_node, AcceptHandler on_accept,
                     std::unique_ptr<Listener>* listener) = 0;
  // Opens a connection from node `local_node` to `addr`. Returns 0 and sets *conn, or an errno
  // value (ECONNREFUSED when nobody listens there, EINVAL for a malformed address). Never
  // waits for the reactor; frames sent before the peer is known are queued.
  virtual int Connect(const std::string& addr, int local_node, ConnectionPtr* conn) = 0;
  // "tcp" or "sim".
  virtual const char* name() const = 0;

  // Installs the policy consulted for every frame (nullptr: deliver everything).
  void SetPolicy(std::shared_ptr<NetPolicy> policy) { policy_ = std::move(policy); }
  NetPolicy* policy() const { return policy_.get(); }

  // Traffic counters of `node` (zeros if it sent nothing).
  NodeCounters Counters(int node) const;
  // Counters of `node`, created on first use; the pointer stays valid for the transport's life.
  NodeCounters* MutableCounters(int node) { return &counters_[node]; }
  // Sets every counter back to zero.
  void ResetCounters();

  // The current reactor's default transport: a SimTransport if the reactor runs on virtual
  // time, a TcpTransport otherwise; created on first use and destroyed with the reactor
  // (or replaced by SetDefault).
  static Transport* Default();
  // Replaces the current reactor's default transport (nullptr: back to the automatic choice).
  static void SetDefault(std::shared_ptr<Transport> transport);

  // The reactor whose thread and clock the transport uses.
  Reactor* reactor() const { return reactor_; }

 protected:
  // Binds the transport to the calling thread's current reactor (Reactor::GetReactor()).
  Transport();
  // Runs fn after delay_us on the reactor, outside any node: transport work (deliveries, close
  // notifications) must not vanish when the sending node is cancelled.
  void AddTransportTimer(uint64_t delay_us, std::function<void()> fn);

 private:
  friend class Connection;

  Reactor* reactor_;
  std::shared_ptr<NetPolicy> policy_;
  std::map<int, NodeCounters> counters_;
};

// Splits "host:port" at the last ':'. Returns false unless both parts are present and the port
// is a number in [0, 65535].
bool SplitHostPort(const std::string& addr, std::string* host, int* port);

}  // namespace rrr
