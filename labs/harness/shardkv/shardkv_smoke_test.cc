// SOLUTION FILE (instructor check, left out of the handout)
// Smoke tests of the sharded KV store (instructor checks, not graded: the graded driver is
// shardkv_test): a shard master of 3 and two or three groups of 3 on one network, a clerk writing
// and reading while groups join and leave, a whole group restarting from its snapshots, and the
// old owners deleting the shards they gave away. They exercise the reference end to end; the
// handout's stubs fail them quickly.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "labs/harness/core/cluster.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/network.h"
#include "labs/harness/shardkv/shardkv_node.h"
#include "labs/harness/shardmaster/shardmaster_node.h"
#include "labs/shardkv/client.h"
#include "labs/shardmaster/client.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/coroutine.h"

namespace janus {
namespace {

using harness::Cluster;
using harness::ClusterOptions;
constexpr uint64_t kMs = 1000;

// The shard master, groups g100, g101, g102 (3 replicas each) and one client, on one network.
class World {
 public:
  explicit World(int64_t maxraftstate) : maxraftstate_(maxraftstate) {
    net_ = harness::FaultyNetwork::Install(rrr::Transport::Default());
    ClusterOptions mo;
    mo.name_prefix = "m";
    mo.network = net_;
    master_ = std::make_unique<Cluster<ShardMasterNode>>(
        3,
        [](int i, Persister* p, const std::vector<std::string>& addrs) {
          auto config = std::make_shared<const Config>(Config::FromAddresses("shardmaster", addrs));
          return std::make_unique<ShardMasterNode>(config, i, p);
        },
        mo);
    for (int g = 0; g < 3; g++) {
      ClusterOptions go;
      go.name_prefix = "g" + std::to_string(100 + g) + "-";
      go.first_id = 100 * (g + 1);
      go.network = net_;
      const uint64_t gid = 100 + g;
      groups_.push_back(std::make_unique<Cluster<ShardKvNode>>(
          3,
          [this, gid](int i, Persister* p, const std::vector<std::string>& addrs) {
            return std::make_unique<ShardKvNode>(GroupConfig(gid, addrs), 3 + i, p);
          },
          go));
    }
    client_ = master_->NewClientContext("client");
    rrr::NodeScope scope(client_.get());
    sm_ = std::make_unique<ShardMasterClient>(master_->addrs());
    ck_ = std::make_unique<ShardKvClient>(master_->addrs());
  }

  ~World() {
    ck_.reset();
    sm_.reset();
    groups_.clear();
    master_.reset();
    rrr::Transport::Default()->SetPolicy(nullptr);
  }

  // A config naming the shard master ("ctrl", sites 0..2) and the group (sites 3..5).
  std::shared_ptr<const Config> GroupConfig(uint64_t gid, const std::vector<std::string>& addrs) {
    ConfigBuilder b("shardkv", "<shardkv smoke>");
    b.AddPartition(kShardMasterPartition);
    for (int i = 0; i < 3; i++) b.AddSiteAt("m" + std::to_string(i), master_->addrs()[i]);
    b.AddPartition("g" + std::to_string(gid));
    for (size_t i = 0; i < addrs.size(); i++) {
      b.AddSiteAt("g" + std::to_string(gid) + "-" + std::to_string(i), addrs[i]);
    }
    b.SetOption("maxraftstate", std::to_string(maxraftstate_));
    return std::make_shared<const Config>(b.Build());
  }

  Cluster<ShardKvNode>& group(int g) { return *groups_[g]; }
  void Join(int g) {
    ASSERT_EQ(sm_->Join({{100 + g, groups_[g]->addrs()}}), SmErr::OK);
  }
  void Leave(int g) { ASSERT_EQ(sm_->Leave({static_cast<uint64_t>(100 + g)}), SmErr::OK); }
  ShardKvClient& ck() { return *ck_; }
  // Bytes group g's replicas persist (Raft state + snapshot).
  size_t PersistedBytes(int g) {
    size_t total = 0;
    for (int i = 0; i < 3; i++) {
      Persister* p = groups_[g]->GetPersister(i);
      total += p->RaftStateSize() + p->SnapshotSize();
    }
    return total;
  }

 private:
  const int64_t maxraftstate_;
  std::shared_ptr<harness::FaultyNetwork> net_;
  std::unique_ptr<Cluster<ShardMasterNode>> master_;
  std::vector<std::unique_ptr<Cluster<ShardKvNode>>> groups_;
  std::shared_ptr<rrr::NodeContext> client_;
  std::unique_ptr<ShardMasterClient> sm_;
  std::unique_ptr<ShardKvClient> ck_;
};

// Ten keys, one per shard ("0".."9" fall in shards 8, 9, 0, ... 7).
std::vector<std::string> TenKeys() {
  std::vector<std::string> keys;
  for (int i = 0; i < 10; i++) keys.push_back(std::to_string(i));
  return keys;
}

// Appends one more letter to every key and checks every value.
void AppendAndCheck(World& w, std::map<std::string, std::string>* want, char letter) {
  for (auto& kv : *want) {
    w.ck().Append(kv.first, std::string(1, letter));
    kv.second += letter;
  }
  for (const auto& kv : *want) {
    ASSERT_EQ(w.ck().Get(kv.first), kv.second) << "key " << kv.first;
  }
}

GRADED_TEST(ShardKvSmoke, JoinLeave, "shardkv-smoke", "check", 1, 60000) {
  World w(-1);
  w.Join(0);
  std::map<std::string, std::string> want;
  for (const std::string& k : TenKeys()) {
    w.ck().Put(k, "x");
    want[k] = "x";
  }
  ASSERT_NO_FATAL_FAILURE(AppendAndCheck(w, &want, 'a'));
  w.Join(1);
  ASSERT_NO_FATAL_FAILURE(AppendAndCheck(w, &want, 'b'));
  w.Join(2);
  ASSERT_NO_FATAL_FAILURE(AppendAndCheck(w, &want, 'c'));
  w.Leave(0);
  ASSERT_NO_FATAL_FAILURE(AppendAndCheck(w, &want, 'd'));
  w.Leave(1);
  ASSERT_NO_FATAL_FAILURE(AppendAndCheck(w, &want, 'e'));
  // Every shard now lives on g102: the groups that left must have let go of their data.
  w.Join(0);
  ASSERT_NO_FATAL_FAILURE(AppendAndCheck(w, &want, 'f'));
}

GRADED_TEST(ShardKvSmoke, SnapshotsAndRestart, "shardkv-smoke", "check", 1, 90000) {
  World w(1000);
  w.Join(0);
  w.Join(1);
  std::map<std::string, std::string> want;
  for (const std::string& k : TenKeys()) {
    w.ck().Put(k, "x");
    want[k] = "x";
  }
  for (char c = 'a'; c < 'k'; c++) ASSERT_NO_FATAL_FAILURE(AppendAndCheck(w, &want, c));
  // Both groups restart from what they persisted (snapshots included), while g102 joins.
  for (int g = 0; g < 2; g++) {
    for (int i = 0; i < 3; i++) w.group(g).Crash(i);
  }
  w.Join(2);
  for (int g = 0; g < 2; g++) {
    for (int i = 0; i < 3; i++) {
      w.group(g).Restart(i);
      w.group(g).Connect(i);
    }
  }
  ASSERT_NO_FATAL_FAILURE(AppendAndCheck(w, &want, 'k'));
  for (int g = 0; g < 3; g++) {
    EXPECT_LT(w.PersistedBytes(g), 3u * 8 * 1000) << "group g" << 100 + g;
  }
}

GRADED_TEST(ShardKvSmoke, OldOwnersDeleteShards, "shardkv-smoke", "check", 1, 60000) {
  World w(1);  // snapshot after every command: persisted bytes ~ the data a group holds
  w.Join(0);
  const std::string big(2000, 'v');
  for (const std::string& k : TenKeys()) w.ck().Put(k, big);
  const size_t with_all = w.PersistedBytes(0);
  EXPECT_GT(with_all, 3u * 10 * 2000) << "g100 holds all ten values";
  w.Join(1);
  w.Leave(0);
  for (const std::string& k : TenKeys()) ASSERT_EQ(w.ck().Get(k), big);
  // g100 gave every shard to g101; once g101 confirmed, g100 deletes them.
  rrr::Coroutine::Sleep(2000 * kMs);
  EXPECT_LT(w.PersistedBytes(0), 3u * 2000) << "g100 still persists the shards it gave away";
  EXPECT_GT(w.PersistedBytes(1), 3u * 10 * 2000) << "g101 holds all ten values";
}

}  // namespace
}  // namespace janus
