// SOLUTION FILE (instructor check, left out of the handout)
// Smoke tests of the reference transactional store (instructor checks, not graded: the graded
// driver is txn_test): a shard master of 3 and three groups of 3 on one network, every group
// joined before the first transaction. Commits and aborts with versions; conflicting and
// write-skewed transactions; a coordinator that vanishes after prepare (and one that logged
// commit and told nobody); 2PL wound and wait; bank transfers over an unreliable network with
// crashes, the sum of the balances constant in every committed read; restarts from snapshots.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "labs/harness/core/cluster.h"
#include "labs/harness/core/co_group.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/network.h"
#include "labs/harness/shardmaster/shardmaster_node.h"
#include "labs/harness/txn/txn_node.h"
#include "labs/shardmaster/client.h"
#include "labs/txn/client.h"
#include "rrr/base/time.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/rpc/errors.h"

namespace janus {
namespace {

using harness::Cluster;
using harness::ClusterOptions;
constexpr uint64_t kMs = 1000;

// The shard master, groups g100, g101, g102 (3 replicas each, all joined) and one clerk.
class World {
 public:
  World(int64_t maxraftstate, Concurrency mode) : maxraftstate_(maxraftstate), mode_(mode) {
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
      groups_.push_back(std::make_unique<Cluster<TxnNode>>(
          3,
          [this, gid](int i, Persister* p, const std::vector<std::string>& addrs) {
            return std::make_unique<TxnNode>(GroupConfig(gid, addrs), 3 + i, p);
          },
          go));
    }
    client_ = master_->NewClientContext("client");
    rrr::NodeScope scope(client_.get());
    sm_ = std::make_unique<ShardMasterClient>(master_->addrs());
    for (int g = 0; g < 3; g++) {
      verify(sm_->Join({{100 + g, groups_[g]->addrs()}}) == SmErr::OK);
    }
    config_ = sm_->Query(-1);
    ck_ = std::make_unique<TxnClient>(master_->addrs(), mode_);
    // Every group serves its shards once a plain Get of one key per shard succeeded.
    for (int k = 0; k < 10; k++) ck_->Get(std::to_string(k));
  }

  ~World() {
    ck_.reset();
    sm_.reset();
    groups_.clear();
    master_.reset();
    rrr::Transport::Default()->SetPolicy(nullptr);
  }

  std::shared_ptr<const Config> GroupConfig(uint64_t gid, const std::vector<std::string>& addrs) {
    return GroupTestConfig("txn", "<txn smoke>", {"m0", "m1", "m2"}, master_->addrs(), gid, addrs,
                           {{"maxraftstate", std::to_string(maxraftstate_)},
                            {"concurrency", ConcurrencyName(mode_)}});
  }

  Cluster<TxnNode>& group(int g) { return *groups_[g]; }
  TxnClient& ck() { return *ck_; }
  harness::FaultyNetwork& net() { return *net_; }
  uint64_t GidOf(const std::string& key) const { return config_.shards[KeyToShard(key)]; }
  // Two keys served by different groups.
  std::pair<std::string, std::string> KeysInTwoGroups() const {
    for (char a = '0'; a <= '9'; a++) {
      for (char b = a + 1; b <= '9'; b++) {
        if (GidOf(std::string(1, a)) != GidOf(std::string(1, b))) {
          return {std::string(1, a), std::string(1, b)};
        }
      }
    }
    return {"0", "1"};
  }
  std::unique_ptr<TxnClient> MakeClerk(std::shared_ptr<rrr::NodeContext>* context) {
    *context = master_->NewClientContext("c" + std::to_string(clerks_++));
    rrr::NodeScope scope(context->get());
    return std::make_unique<TxnClient>(master_->addrs(), mode_);
  }

  // Sends one raw transaction request to group `gid` until a server answers other than
  // ErrWrongLeader / ErrTimeout (the test plays a clerk that vanishes half way).
  template <typename Call>
  TxnErr Raw(uint64_t gid, Call call) {
    const std::vector<std::string>& servers = config_.groups.at(gid);
    while (true) {
      for (const std::string& addr : servers) {
        rrr::Client* c = pool_.GetClient(addr);
        if (c == nullptr) continue;
        TxnProxy proxy(c);
        rrr::FutureAttr attr;
        attr.timeout_us = 250 * kMs;
        TxnErr err = TxnErr::ErrTimeout;
        if (!call(proxy, attr, &err)) continue;
        if (err != TxnErr::ErrWrongLeader && err != TxnErr::ErrTimeout) return err;
      }
      rrr::Coroutine::Sleep(50 * kMs);
    }
  }
  TxnErr RawPrepare(uint64_t gid, uint64_t tx, uint64_t coord, const std::string& key,
                    const std::string& value) {
    return Raw(gid, [&](TxnProxy& p, const rrr::FutureAttr& attr, TxnErr* err) {
      rrr::FuturePtr f = p.async_Prepare(tx, 1, coord, {}, {TxWrite{key, value}}, attr);
      f->Wait();
      TxnProxy::PrepareReply r = TxnProxy::DecodePrepare(f);
      *err = r.err;
      return r.error_code == rrr::kOk;
    });
  }
  TxnErr RawResolve(uint64_t gid, uint64_t tx, bool commit, bool* committed) {
    return Raw(gid, [&](TxnProxy& p, const rrr::FutureAttr& attr, TxnErr* err) {
      rrr::FuturePtr f = p.async_Resolve(tx, commit, attr);
      f->Wait();
      TxnProxy::ResolveReply r = TxnProxy::DecodeResolve(f);
      *err = r.err;
      *committed = r.committed;
      return r.error_code == rrr::kOk;
    });
  }

 private:
  const int64_t maxraftstate_;
  const Concurrency mode_;
  std::shared_ptr<harness::FaultyNetwork> net_;
  std::unique_ptr<Cluster<ShardMasterNode>> master_;
  std::vector<std::unique_ptr<Cluster<TxnNode>>> groups_;
  std::shared_ptr<rrr::NodeContext> client_;
  std::unique_ptr<ShardMasterClient> sm_;
  std::unique_ptr<TxnClient> ck_;
  ShardConfig config_;
  rrr::ClientPool pool_;
  int clerks_ = 0;
};

GRADED_TEST(TxnSmoke, CommitAbortVersions, "txn-smoke", "check", 1, 60000) {
  World w(-1, Concurrency::kOcc);
  TxnClient& ck = w.ck();
  uint64_t v = 99;
  EXPECT_EQ(ck.Get("a", &v), "");
  EXPECT_EQ(v, 0u);
  ck.Put("a", "1", &v);
  EXPECT_EQ(v, 1u);
  ck.Append("a", "2", &v);
  EXPECT_EQ(v, 2u);
  EXPECT_EQ(ck.Get("a", &v), "12");
  EXPECT_EQ(v, 2u);

  auto keys = w.KeysInTwoGroups();
  uint64_t tx = ck.TxBegin();
  std::string got;
  EXPECT_EQ(ck.TxGet(tx, keys.first, &got, &v), TX_NOTFOUND);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(ck.TxPut(tx, keys.first, "x"), TX_OK);
  EXPECT_EQ(ck.TxPut(tx, keys.second, "y"), TX_OK);
  EXPECT_EQ(ck.TxGet(tx, keys.second, &got, &v), TX_OK);  // its own write
  EXPECT_EQ(got, "y");
  EXPECT_EQ(v, kTxOwnWriteVersion);
  EXPECT_EQ(ck.TxCommit(tx), TX_COMMITTED);
  EXPECT_EQ(ck.Get(keys.first, &v), "x");
  EXPECT_EQ(v, 1u);
  EXPECT_EQ(ck.Get(keys.second, &v), "y");
  EXPECT_EQ(v, 1u);

  tx = ck.TxBegin();
  EXPECT_EQ(ck.TxGet(tx, keys.first, &got, &v), TX_OK);
  EXPECT_EQ(got, "x");
  ck.TxPut(tx, keys.first, "gone");
  ck.TxPut(tx, keys.second, "gone");
  EXPECT_EQ(ck.TxAbort(tx), TX_ABORTED);
  EXPECT_EQ(ck.TxCommit(tx), TX_ABORTED);  // over
  EXPECT_EQ(ck.Get(keys.first, &v), "x");
  EXPECT_EQ(v, 1u);
  EXPECT_EQ(ck.Get(keys.second, &v), "y");
  EXPECT_EQ(v, 1u);
}

void Conflicts(Concurrency mode) {
  World w(-1, mode);
  TxnClient& ck = w.ck();
  auto keys = w.KeysInTwoGroups();
  const std::string x = keys.first, y = keys.second;
  ck.Put(x, "0");
  ck.Put(y, "0");
  // Lost update: both read x and write it; the first to commit wins, the other aborts.
  std::string got;
  // (Under 2PL the older wins: t1 begins 1 ms before t2, t3 before t4.)
  const uint64_t t1 = ck.TxBegin();
  rrr::Coroutine::Sleep(1 * kMs);
  const uint64_t t2 = ck.TxBegin();
  ASSERT_EQ(ck.TxGet(t1, x, &got), TX_OK);
  const int r2 = ck.TxGet(t2, x, &got);  // under 2PL both hold shared locks
  ASSERT_EQ(r2, TX_OK);
  ck.TxPut(t1, x, "1");
  ck.TxPut(t2, x, "2");
  const int c1 = ck.TxCommit(t1);  // 2PL: t1 is older, wounds t2
  const int c2 = ck.TxCommit(t2);
  EXPECT_EQ(c1, TX_COMMITTED);
  EXPECT_EQ(c2, TX_ABORTED);
  EXPECT_EQ(ck.Get(x), "1");
  // Write skew: both read x and y; t3 writes x, t4 writes y: at most one commits.
  const uint64_t t3 = ck.TxBegin();
  rrr::Coroutine::Sleep(1 * kMs);
  const uint64_t t4 = ck.TxBegin();
  ASSERT_EQ(ck.TxGet(t3, x, &got), TX_OK);
  ASSERT_EQ(ck.TxGet(t3, y, &got), TX_OK);
  ASSERT_EQ(ck.TxGet(t4, x, &got), TX_OK);
  ASSERT_EQ(ck.TxGet(t4, y, &got), TX_OK);
  ck.TxPut(t3, x, "3");
  ck.TxPut(t4, y, "4");
  const int c3 = ck.TxCommit(t3), c4 = ck.TxCommit(t4);
  EXPECT_FALSE(c3 == TX_COMMITTED && c4 == TX_COMMITTED);
  EXPECT_EQ(c3, TX_COMMITTED);
}

GRADED_TEST(TxnSmoke, ConflictsOcc, "txn-smoke", "check", 1, 60000) { Conflicts(Concurrency::kOcc); }
GRADED_TEST(TxnSmoke, Conflicts2pl, "txn-smoke", "check", 1, 60000) { Conflicts(Concurrency::k2pl); }

// A clerk prepares at two groups and vanishes: both groups ask the coordinator group, which
// logs an abort; the locks go away within a few seconds.
GRADED_TEST(TxnSmoke, CoordinatorVanishesBeforeDecision, "txn-smoke", "check", 1, 60000) {
  World w(-1, Concurrency::kOcc);
  auto keys = w.KeysInTwoGroups();
  const uint64_t ga = w.GidOf(keys.first), gb = w.GidOf(keys.second);
  const uint64_t tx = 12345;
  ASSERT_EQ(w.RawPrepare(ga, tx, ga, keys.first, "never"), TxnErr::OK);
  ASSERT_EQ(w.RawPrepare(gb, tx, ga, keys.second, "never"), TxnErr::OK);
  const uint64_t start = rrr::Time::Now();
  w.ck().Put(keys.second, "after");  // waits for gb's lock
  w.ck().Put(keys.first, "after");
  EXPECT_LT(rrr::Time::Now() - start, 4000 * kMs);
  EXPECT_EQ(w.ck().Get(keys.first), "after");
  EXPECT_EQ(w.ck().Get(keys.second), "after");
  // The coordinator logged the abort: a late commit proposal is answered with it.
  bool committed = true;
  EXPECT_EQ(w.RawResolve(ga, tx, true, &committed), TxnErr::OK);
  EXPECT_FALSE(committed);
}

// A clerk prepares at two groups, logs commit at the coordinator group and vanishes before
// telling the other participant: that participant learns the commit from the coordinator.
GRADED_TEST(TxnSmoke, CoordinatorVanishesAfterDecision, "txn-smoke", "check", 1, 60000) {
  World w(-1, Concurrency::kOcc);
  auto keys = w.KeysInTwoGroups();
  const uint64_t ga = w.GidOf(keys.first), gb = w.GidOf(keys.second);
  const uint64_t tx = 777;
  ASSERT_EQ(w.RawPrepare(ga, tx, ga, keys.first, "A"), TxnErr::OK);
  ASSERT_EQ(w.RawPrepare(gb, tx, ga, keys.second, "B"), TxnErr::OK);
  bool committed = false;
  ASSERT_EQ(w.RawResolve(ga, tx, true, &committed), TxnErr::OK);
  ASSERT_TRUE(committed);
  uint64_t v = 0;
  EXPECT_EQ(w.ck().Get(keys.first, &v), "A");
  EXPECT_EQ(v, 1u);
  const uint64_t start = rrr::Time::Now();
  EXPECT_EQ(w.ck().Get(keys.second, &v), "B");  // waits until gb resolves
  EXPECT_EQ(v, 1u);
  EXPECT_LT(rrr::Time::Now() - start, 4000 * kMs);
}

// 2PL: an older transaction wounds a younger reader; a younger writer waits for an older reader.
GRADED_TEST(TxnSmoke, WoundAndWait, "txn-smoke", "check", 1, 60000) {
  World w(-1, Concurrency::k2pl);
  TxnClient& ck = w.ck();
  ck.Put("k", "0");
  std::string got;
  const uint64_t old_tx = ck.TxBegin();
  rrr::Coroutine::Sleep(1 * kMs);
  const uint64_t young = ck.TxBegin();
  ASSERT_EQ(ck.TxGet(young, "k", &got), TX_OK);
  ck.TxPut(old_tx, "k", "old");
  EXPECT_EQ(ck.TxCommit(old_tx), TX_COMMITTED);  // wounds the young reader
  ck.TxPut(young, "k", "young");
  EXPECT_EQ(ck.TxCommit(young), TX_ABORTED);
  EXPECT_EQ(ck.Get("k"), "old");

  // Wait: an older reader holds k; a younger writer's prepare waits until the reader is done.
  const uint64_t reader = ck.TxBegin();
  rrr::Coroutine::Sleep(1 * kMs);
  const uint64_t writer = ck.TxBegin();
  ASSERT_EQ(ck.TxGet(reader, "k", &got), TX_OK);
  ck.TxPut(writer, "k", "w");
  harness::CoGroup side;
  int writer_outcome = 0;
  side.Go(nullptr, [&] { writer_outcome = ck.TxCommit(writer); });
  rrr::Coroutine::Sleep(300 * kMs);
  EXPECT_EQ(writer_outcome, 0) << "the younger writer did not wait for the older reader";
  EXPECT_EQ(ck.TxCommit(reader), TX_COMMITTED);
  side.Wait();
  EXPECT_EQ(writer_outcome, TX_COMMITTED);
  EXPECT_EQ(ck.Get("k"), "w");
}

// Bank transfers between 6 accounts (two per group) by 4 clerks over an unreliable network
// while replicas crash and restart; every committed read of all accounts sums to the total.
void Bank(Concurrency mode) {
  World w(1000, mode);
  const std::vector<std::string> accounts = {"0", "1", "2", "3", "4", "5"};
  for (const std::string& a : accounts) w.ck().Put(a, "100");
  w.net().SetUnreliable(true);
  const int kClerks = 4, kRounds = 15;
  std::vector<std::shared_ptr<rrr::NodeContext>> contexts(kClerks);
  std::vector<std::unique_ptr<TxnClient>> clerks;
  for (int c = 0; c < kClerks; c++) clerks.push_back(w.MakeClerk(&contexts[c]));
  int committed = 0, aborted = 0, audits = 0;
  harness::CoGroup clients;
  for (int c = 0; c < kClerks; c++) {
    clients.Go(contexts[c].get(), [&, c] {
      rrr::Rand& rand = harness::Env().rand();
      TxnClient& ck = *clerks[c];
      for (int r = 0; r < kRounds; r++) {
        const uint64_t tx = ck.TxBegin();
        if (c == 0) {  // an auditor: reads every account
          int sum = 0;
          bool ok = true;
          for (const std::string& a : accounts) {
            std::string v;
            if (ck.TxGet(tx, a, &v) != TX_OK) {
              ok = false;
              break;
            }
            sum += std::stoi(v);
          }
          if (ok && ck.TxCommit(tx) == TX_COMMITTED) {
            audits++;
            ASSERT_EQ(sum, 600) << "a committed audit saw a sum of " << sum;
          }
          continue;
        }
        const std::string from = accounts[rand.Below(accounts.size())];
        std::string to = accounts[rand.Below(accounts.size())];
        if (to == from) to = accounts[(std::stoi(from) + 1) % accounts.size()];
        std::string vf, vt;
        if (ck.TxGet(tx, from, &vf) != TX_OK || ck.TxGet(tx, to, &vt) != TX_OK) {
          aborted++;
          continue;
        }
        ck.TxPut(tx, from, std::to_string(std::stoi(vf) - 1));
        ck.TxPut(tx, to, std::to_string(std::stoi(vt) + 1));
        if (ck.TxCommit(tx) == TX_COMMITTED) {
          committed++;
        } else {
          aborted++;
        }
      }
    });
  }
  rrr::Rand& rand = harness::Env().rand();
  for (int step = 0; step < 6; step++) {
    const int g = static_cast<int>(rand.Below(3)), i = static_cast<int>(rand.Below(3));
    w.group(g).Crash(i);
    rrr::Coroutine::Sleep(400 * kMs);
    w.group(g).Restart(i);
    w.group(g).Connect(i);
    rrr::Coroutine::Sleep(300 * kMs);
  }
  clients.Wait();
  w.net().SetUnreliable(false);
  int sum = 0;
  for (const std::string& a : accounts) sum += std::stoi(w.ck().Get(a));
  EXPECT_EQ(sum, 600);
  EXPECT_GT(committed, 0);
  EXPECT_GT(audits, 0);
  std::printf("bank %s: %d transfers committed, %d aborted, %d audits committed\n",
               ConcurrencyName(mode), committed, aborted, audits);
}

GRADED_TEST(TxnSmoke, BankOcc, "txn-smoke", "check", 1, 200000) { Bank(Concurrency::kOcc); }
GRADED_TEST(TxnSmoke, Bank2pl, "txn-smoke", "check", 1, 200000) { Bank(Concurrency::k2pl); }

// Deadlock freedom: 5 clerks run transactions that read and write two of four keys (spread
// over the groups) in random order; every transaction finishes, none takes more than 5 s.
void Contention(Concurrency mode) {
  World w(-1, mode);
  const int kClerks = 5, kRounds = 20;
  std::vector<std::shared_ptr<rrr::NodeContext>> contexts(kClerks);
  std::vector<std::unique_ptr<TxnClient>> clerks;
  for (int c = 0; c < kClerks; c++) clerks.push_back(w.MakeClerk(&contexts[c]));
  int committed = 0;
  uint64_t longest = 0;
  const uint64_t begin = rrr::Time::Now();
  harness::CoGroup clients;
  for (int c = 0; c < kClerks; c++) {
    clients.Go(contexts[c].get(), [&, c] {
      rrr::Rand& rand = harness::Env().rand();
      TxnClient& ck = *clerks[c];
      for (int r = 0; r < kRounds; r++) {
        const uint64_t start = rrr::Time::Now();
        const uint64_t tx = ck.TxBegin();
        const std::string a = std::to_string(rand.Below(4)), b = std::to_string(rand.Below(4));
        std::string va, vb;
        int outcome = TX_ABORTED;
        if (ck.TxGet(tx, a, &va) != TX_ABORTED && ck.TxGet(tx, b, &vb) != TX_ABORTED) {
          ck.TxPut(tx, a, va + "a");
          ck.TxPut(tx, b, vb + "b");
          outcome = ck.TxCommit(tx);
        }
        if (outcome == TX_COMMITTED) committed++;
        longest = std::max(longest, rrr::Time::Now() - start);
      }
    });
  }
  clients.Wait();
  EXPECT_GT(committed, 0);
  EXPECT_LT(longest, 5000 * kMs);
  std::printf("contention %s: %d of %d committed in %llu ms, longest %llu ms\n",
              ConcurrencyName(mode), committed, kClerks * kRounds,
              static_cast<unsigned long long>((rrr::Time::Now() - begin) / kMs),
              static_cast<unsigned long long>(longest / kMs));
}

GRADED_TEST(TxnSmoke, ContentionOcc, "txn-smoke", "check", 1, 120000) {
  Contention(Concurrency::kOcc);
}
GRADED_TEST(TxnSmoke, Contention2pl, "txn-smoke", "check", 1, 120000) {
  Contention(Concurrency::k2pl);
}

// Transactions while a whole group restarts from its snapshots: committed values survive.
GRADED_TEST(TxnSmoke, SnapshotsAndRestart, "txn-smoke", "check", 1, 90000) {
  World w(1000, Concurrency::kOcc);
  TxnClient& ck = w.ck();
  for (int r = 0; r < 30; r++) {
    const uint64_t tx = ck.TxBegin();
    for (int k = 0; k < 10; k++) ck.TxPut(tx, std::to_string(k), "r" + std::to_string(r));
    ASSERT_EQ(ck.TxCommit(tx), TX_COMMITTED);
  }
  for (int g = 0; g < 3; g++) {
    for (int i = 0; i < 3; i++) w.group(g).Crash(i);
  }
  for (int g = 0; g < 3; g++) {
    for (int i = 0; i < 3; i++) {
      w.group(g).Restart(i);
      w.group(g).Connect(i);
    }
  }
  for (int k = 0; k < 10; k++) {
    uint64_t v = 0;
    EXPECT_EQ(ck.Get(std::to_string(k), &v), "r29");
    EXPECT_EQ(v, 30u);
  }
  for (int g = 0; g < 3; g++) {
    size_t bytes = 0;
    for (int i = 0; i < 3; i++) {
      bytes += w.group(g).GetPersister(i)->RaftStateSize();
    }
    EXPECT_LT(bytes, 3u * 8 * 1000) << "group g" << 100 + g;
  }
}

}  // namespace
}  // namespace janus
