// TxnTester: the transactions lab's test fixture. One shard-master cluster (three
// ShardMasterNodes s0..s2, the partition "ctrl" of the groups' configs) and `ngroups` replica
// groups (gids 100, 101, ...; three TxnNodes each, named g100-0 .. g100-2), all on one reactor
// and one FaultyNetwork, built as ShardKvTester builds its own (labs/harness/shardkv/
// shardkv_tester.h, whose design notes apply here). Every group joins at the start and the
// placement never changes afterwards: transactions run on a static placement, which the tester
// reads once (config()).
//
// Clerks are TxnClients on nodes of their own. Every transaction (TxBegin .. TxCommit/TxAbort)
// and every plain operation goes through the tester, which records it in one TxnHistory
// (labs/harness/checkers/txn_history.h): reads with value and version, writes, the outcome.
// End() checks that the committed transactions are serializable (a violation writes an HTML
// picture of the cycle into the current directory and names it), then that no group server
// holds a request unanswered (LabTester's pending-request check, over every group).
//
// The history's model requires unique written values: the tests write values made by
// UniqueValue() (or their own unique strings), never the same value twice.
//
// Helpers that find a problem record a googletest failure at the line of the test that called
// them and throw harness::ScenarioFailure. Everything runs on the test's reactor, in coroutines.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "labs/harness/checkers/txn_history.h"
#include "labs/harness/core/lab_tester.h"
#include "labs/harness/shardmaster/shardmaster_node.h"
#include "labs/harness/txn/txn_node.h"
#include "labs/shardmaster/client.h"
#include "labs/txn/client.h"
#include "rrr/reactor/event.h"
#include "rrr/reactor/node.h"

namespace janus {

// A clerk of the test: a TxnClient on a node of its own.
struct TxnTestClerk {
  int id = 0;  // client number in the history
  std::shared_ptr<rrr::NodeContext> context;
  std::unique_ptr<TxnClient> client;
  bool crashed = false;  // CrashClerk: its node is gone, it must not be used again
};

// A transaction of the test: the clerk running it, the id TxBegin returned, and its record.
struct TestTx {
  TxnTestClerk* ck = nullptr;
  uint64_t id = 0;      // what TxBegin returned
  size_t record = 0;    // index in the tester's history
  bool ended = false;   // committed, aborted or given up
};

// What TxnTester's constructor builds.
struct TxnTesterOptions {
  int ngroups = 3;
  bool unreliable = false;            // random drops and delays from the start
  std::string concurrency = "occ";    // the servers' option `concurrency`: occ or 2pl
  int64_t maxraftstate = -1;          // the servers' option `maxraftstate`
};

class TxnTester : public harness::LabTester<ShardMasterNode> {
 public:
  // Servers per replica group and in the shard master.
  static constexpr int kGroupSize = 3;
  // How long one call may take before the test fails (tests have tighter budgets).
  static constexpr uint64_t kOpLimitUs = 30 * 1000 * 1000;

  // Starts the shard master and the groups, joins every group (one Join request) and reads
  // the placement.
  explicit TxnTester(const TxnTesterOptions& options);
  // Stops every clerk and coroutine, then the groups, then the shard master.
  ~TxnTester() override;

  int ngroups() const { return static_cast<int>(groups_.size()); }
  const std::string& concurrency() const { return options_.concurrency; }
  // The gid of group g (100 + g).
  static uint64_t Gid(int g) { return 100 + static_cast<uint64_t>(g); }
  harness::Cluster<TxnNode>& group(int g) { return *groups_.at(g); }
  harness::TxnHistory& history() { return history_; }

  // ---- Placement (txn_tester_keys.cc), from the configuration read at the start. ----
  const ShardConfig& config() const { return config_; }
  // The group (index g, not gid) serving key's shard.
  int GroupOf(const std::string& key) const;
  // A key served by group g: a letter whose shard group g serves, then `suffix`.
  std::string KeyOnGroup(int g, const std::string& suffix = "") const;
  // Fails unless every key is in the same shard.
  void AssertSameShard(const std::vector<std::string>& keys, const char* file = __builtin_FILE(),
                       int line = __builtin_LINE());
  // Fails unless every key is served by a different group.
  void AssertDifferentGroups(const std::vector<std::string>& keys,
                             const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // A value never written before in this test: "<tag>.<n>".
  std::string UniqueValue(const std::string& tag = "v");

  // ---- Group servers and clerks: faults. Each change is recorded as a history event. ----
  void ShutdownGroup(int g);  // crashes every server of group g (persisters survive)
  void StartGroup(int g);     // restarts every crashed server of group g and connects it
  void CrashServer(int g, int i);
  void RestartServer(int g, int i);  // from its persister, connected; REQUIRES: it is down
  void DisconnectServer(int g, int i);
  void ConnectServer(int g, int i);
  // Cuts each server (group, index) of `servers` off from every other node (clerks included);
  // the rest of the network stays connected. HealPartition undoes it.
  void IsolateServers(const std::vector<std::pair<int, int>>& servers);
  void HealPartition();
  // The coordinator disappears: the clerk's node is cut off and its coroutines are unwound
  // (a transaction it was committing never hears back: its outcome stays unknown). The clerk
  // object is destroyed; the clerk must not be used again.
  void CrashClerk(TxnTestClerk* ck);
  // RPC requests clerk ck's node has sent so far.
  uint64_t ClerkRpcs(const TxnTestClerk* ck) const;

  // ---- Clerks and transactions (txn_tester_clerks.cc), recorded in the history. Callable
  // from any coroutine of the test; the caller waits, failing after kOpLimitUs. ----
  TxnTestClerk* MakeClerk();
  TestTx Begin(TxnTestClerk* ck, const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // TxGet: returns the code (0, TX_NOTFOUND, TX_ABORTED or an error); sets *value/*version.
  int Get(TestTx* tx, const std::string& key, std::string* value = nullptr,
          uint64_t* version = nullptr, const char* file = __builtin_FILE(),
          int line = __builtin_LINE());
  // TxPut (buffered at the clerk); returns its code.
  int Put(TestTx* tx, const std::string& key, const std::string& value,
          const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // TxCommit / TxAbort; return the code.
  int Commit(TestTx* tx, const char* file = __builtin_FILE(), int line = __builtin_LINE());
  int Abort(TestTx* tx, const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // The same in the background: the event is set to the code when the call returns. The
  // caller keeps *tx alive until then.
  std::shared_ptr<rrr::BoxEvent<int>> StartGet(TestTx* tx, const std::string& key);
  std::shared_ptr<rrr::BoxEvent<int>> StartCommit(TestTx* tx);

  // Checks: fail unless the call answers as said.
  // Get returns 0 and `expected` ("" with TX_NOTFOUND when expected is kMissing).
  static constexpr const char* kMissing = "\x01<missing>";
  void CheckGet(TestTx* tx, const std::string& key, const std::string& expected,
                const char* file = __builtin_FILE(), int line = __builtin_LINE());
  void CheckCommitted(TestTx* tx, const char* file = __builtin_FILE(),
                      int line = __builtin_LINE());
  void CheckAborted(TestTx* tx, const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Fails unless `code` is `want` (TX_COMMITTED / TX_ABORTED / ...), naming `what`.
  void CheckCode(int code, int want, const std::string& what, const char* file = __builtin_FILE(),
                 int line = __builtin_LINE());

  // Plain operations (not in a transaction), recorded as one-operation transactions.
  std::string PlainGet(TxnTestClerk* ck, const std::string& key,
                       const char* file = __builtin_FILE(), int line = __builtin_LINE());
  void PlainPut(TxnTestClerk* ck, const std::string& key, const std::string& value,
                const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Writes every key of `keys` with a fresh unique value in one transaction through a fresh
  // clerk, failing unless it commits; returns the values written.
  std::map<std::string, std::string> InstallValues(const std::vector<std::string>& keys,
                                                   const char* file = __builtin_FILE(),
                                                   int line = __builtin_LINE());
  // Reads every key in one transaction through a fresh clerk, failing unless it commits with
  // the values of `expected` (kMissing: the key has none). Gives the serializability check a
  // read of each final version.
  void CheckFinal(const std::map<std::string, std::string>& expected,
                  const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // ---- The bank workload (txn_tester_bank.cc): accounts holding "<balance>#<unique tag>",
  // transfers (read two accounts, move a random amount, commit) and audits (read every
  // account, commit; a committed audit must see the initial total). ----
  struct BankOptions {
    int clients = 4;                        // concurrent clerks, each looping
    uint64_t pause_us_max = 20 * 1000;      // random pause after each transaction
    int audit_percent = 20;                 // share of audits among the transactions
    // Each transaction (TxBegin .. its answer) must end within this (0: only kOpLimitUs per
    // call): a deadlock, or a lock never released, fails the test.
    uint64_t tx_limit_us = 0;
  };
  struct BankStats {
    int transfers_committed = 0;
    int transfers_aborted = 0;
    int audits_committed = 0;
    int audits_aborted = 0;
    uint64_t slowest_tx_us = 0;
  };
  static constexpr int64_t kInitialBalance = 1000;
  // Creates the accounts (one transaction putting kInitialBalance in each), failing unless it
  // commits.
  void OpenAccounts(const std::vector<std::string>& accounts, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE());
  // Starts options.clients clerks looping on transfers and audits over `accounts` (opened).
  void StartBank(const std::vector<std::string>& accounts, const BankOptions& options);
  // Tells them to stop and waits (failing after kOpLimitUs); returns what they did.
  BankStats StopBank(const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // One transfer from account a to b through ck, on ck's node; the code TxCommit answered (or
  // the failing TxGet's). Checks what it reads.
  int Transfer(TxnTestClerk* ck, const std::string& a, const std::string& b, int64_t amount);
  // One audit through ck: reads every account; if it commits, fails unless the balances sum to
  // the initial total. Returns the commit's code.
  int Audit(TxnTestClerk* ck, const std::string& why, const char* file = __builtin_FILE(),
            int line = __builtin_LINE());
  // The coordinator disappears mid-commit: a new clerk reads accounts a and b, writes both and
  // starts TxCommit; once the clerk has sent `after_rpcs` RPCs since the commit started, and
  // `delay_us` later, its node crashes. Returns true if the commit had already answered.
  bool TransferAndCrashCoordinator(const std::string& a, const std::string& b,
                                   uint64_t after_rpcs, uint64_t delay_us,
                                   const char* file = __builtin_FILE(),
                                   int line = __builtin_LINE());
  // Audits through a fresh clerk until one commits (its sum checked), failing after limit_us.
  void FinalAudit(uint64_t limit_us, const char* file = __builtin_FILE(),
                  int line = __builtin_LINE());
  // Accounts "0".."9": ten keys in ten different shards, so on every group. Fails unless every
  // group serves at least two of them.
  std::vector<std::string> TenAccounts(const char* file = __builtin_FILE(),
                                       int line = __builtin_LINE());
  // Fresh clerks transfer between a and b, retrying aborted attempts, until one commits; fails
  // if that takes more than limit_us (a lock left behind, a prepared transaction never
  // resolved). Returns how long it took.
  uint64_t TransferCommitsWithin(const std::string& a, const std::string& b, uint64_t limit_us,
                                 const char* file = __builtin_FILE(),
                                 int line = __builtin_LINE());

  // Runs the serializability checker over the whole history (failing with an HTML report).
  void CheckSerializable(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // "T7 (c2, tx 12)": how failure messages name a transaction.
  std::string Name(const TestTx& tx) const;
  // "TX_COMMITTED (101)", ...
  static std::string CodeName(int code);

 protected:
  // Serializability of the whole history, then the groups' pending-request check.
  void EndChecks(const char* file, int line) override;
  void CheckBackground() override { harness::ThrowIfFailed(); }

 private:
  std::unique_ptr<TxnNode> MakeGroupNode(int g, int i, Persister* persister,
                                         const std::vector<std::string>& addrs);
  void JoinAll();
  // Runs fn in a new coroutine of ck's node (at once if the caller already runs on it) and
  // waits up to kOpLimitUs; fails naming `what` on timeout.
  void RunOnClerk(TxnTestClerk* ck, const std::function<void()>& fn, const std::string& what,
                  const char* file, int line);
  // LabTester's pending-request check (CheckPendingDrainOf) over the group servers.
  void CheckGroupsPendingDrain(const char* file, int line);
  // The bodies of the calls, on ck's node.
  int DoGet(TestTx* tx, const std::string& key, std::string* value, uint64_t* version);
  int DoCommit(TestTx* tx);

  TxnTesterOptions options_;
  harness::TxnHistory history_;
  ShardConfig config_;
  uint64_t next_record_id_ = 1;
  uint64_t next_value_ = 1;
  std::vector<std::unique_ptr<harness::Cluster<TxnNode>>> groups_;
  std::shared_ptr<rrr::NodeContext> admin_;  // the shard-master clerk's node
  std::unique_ptr<ShardMasterClient> admin_client_;
  std::vector<std::unique_ptr<TxnTestClerk>> clerks_;
  // The bank workload.
  void BankLoop(TxnTestClerk* ck, BankOptions options);
  std::vector<std::string> accounts_;
  BankStats bank_stats_;
  bool bank_stop_ = false;
  harness::CoGroup workers_;
};

}  // namespace janus
