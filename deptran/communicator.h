// Communicator: a node's outgoing RPC connections, by site id. Each lab subclasses it with its
// send helpers (e.g. RaftCommo::BroadcastRequestVote), built on GetProxy<XxxProxy>(site_id).
//
//   class RaftCommo : public janus::Communicator {
//    public:
//     using Communicator::Communicator;
//     rrr::FuturePtr SendVote(int to, const VoteArgs& a, const rrr::FutureAttr& attr) {
//       return GetProxy<RaftProxy>(to)->async_RequestVote(a, attr);
//     }
//   };
//
// Connections are opened lazily, on the first GetClient/GetProxy for a site, using the site's
// address in the config at that moment (so a cluster whose servers listen on port 0 and record
// their real ports with Config::SetPort works, as long as they listen before the first send). A
// lost connection is re-opened on the next GetClient. A site that cannot be reached still gets a
// (disconnected) client: its calls fail with rrr::kErrNotConnected like any network failure, so
// callers never see a null proxy.
//
// Clients are created for the node that was current when the Communicator was constructed, so
// the network policy and the per-node counters attribute its traffic to that node.
//
// Single-threaded: used from its node's reactor thread only.
#pragma once

#include <map>
#include <memory>
#include <typeindex>
#include <utility>
#include <vector>

#include "deptran/config.h"
#include "rrr/rpc/client.h"

namespace rrr {
class NodeContext;
class Transport;
}  // namespace rrr

namespace janus {

class Communicator {
 public:
  // The communicator of site `site_id` of `config`, sending over `transport` (nullptr: the
  // current reactor's rrr::Transport::Default(), resolved now). The config is shared, not
  // copied, so later SetPort calls are seen.
  // REQUIRES: config != nullptr, 0 <= site_id < config->NumSites().
  Communicator(int site_id, std::shared_ptr<const Config> config,
               rrr::Transport* transport = nullptr);
  // Closes every connection (pending calls fail with kErrNotConnected) and frees the proxies.
  virtual ~Communicator();
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  int site_id() const { return site_id_; }
  int partition_id() const { return partition_id_; }
  const Config& config() const { return *config_; }
  rrr::Transport* transport() const { return transport_; }

  // Site ids of this site's partition other than itself, ascending.
  std::vector<int> PeerIds() const;
  // Site ids of partition `partition_id`, ascending. REQUIRES: valid partition id.
  std::vector<int> SiteIdsOf(int partition_id) const;

  // The client for `site_id`, connecting on first use and reconnecting if the connection was
  // lost. Never null; the pointer stays valid for the communicator's life.
  // REQUIRES: valid site id (sending to oneself is allowed).
  rrr::Client* GetClient(int site_id);

  // A Proxy (any class constructible from rrr::Client*, e.g. a generated XxxProxy) for
  // `site_id`, made once per (site, Proxy type) and cached. Never null; valid for the
  // communicator's life. Calls GetClient, so a lost connection is re-opened.
  template <class Proxy>
  Proxy* GetProxy(int site_id) {
    rrr::Client* client = GetClient(site_id);
    auto& cached = proxies_[site_id];
    for (auto& entry : cached) {
      if (entry.first == std::type_index(typeid(Proxy))) return static_cast<Proxy*>(entry.second.get());
    }
    auto proxy = std::make_shared<Proxy>(client);
    cached.emplace_back(std::type_index(typeid(Proxy)), proxy);
    return proxy.get();
  }

  // Closes every connection; they re-open on the next GetClient. Proxies stay valid.
  void CloseAll();

  // Number of times a connection was (re)opened successfully, for tests and diagnostics.
  uint64_t connects() const { return connects_; }

 private:
  int site_id_;
  int partition_id_;
  std::shared_ptr<const Config> config_;
  rrr::Transport* transport_;
  std::weak_ptr<rrr::NodeContext> node_;  // owner node (expired: none)
  bool has_node_ = false;
  std::map<int, std::unique_ptr<rrr::Client>> clients_;
  // Per site, the proxies made so far in creation order (one per Proxy type).
  std::map<int, std::vector<std::pair<std::type_index, std::shared_ptr<void>>>> proxies_;
  uint64_t connects_ = 0;
};

}  // namespace janus
