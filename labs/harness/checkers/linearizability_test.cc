// Tests of the linearizability checker on hand-made histories, a large random history and one
// built to exhaust the time limit.
#include "labs/harness/checkers/linearizability.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <random>

#include "labs/harness/checkers/kv_history_gen.h"

namespace janus {
namespace harness {
namespace {

// Builders for hand-made histories: [call, ret] ordering points.
KvOp Get(int client, const std::string& key, const std::string& out, uint64_t call, uint64_t ret) {
  KvOp op;
  op.client = client;
  op.kind = KvOpKind::kGet;
  op.key = key;
  op.output = out;
  op.call = call;
  op.ret = ret;
  return op;
}

KvOp Put(int client, const std::string& key, const std::string& v, uint64_t call, uint64_t ret) {
  KvOp op;
  op.client = client;
  op.kind = KvOpKind::kPut;
  op.key = key;
  op.value = v;
  op.call = call;
  op.ret = ret;
  return op;
}

KvOp Append(int client, const std::string& key, const std::string& v, uint64_t call, uint64_t ret) {
  KvOp op = Put(client, key, v, call, ret);
  op.kind = KvOpKind::kAppend;
  return op;
}

KvOp Pending(KvOp op) {
  op.returned = false;
  op.ret = 0;
  return op;
}

LinVerdict Check(const std::vector<KvOp>& ops, uint64_t timeout_ms = 5000) {
  return CheckKvLinearizable(ops, LinOptions{timeout_ms}).verdict;
}

TEST(Linearizability, EmptyHistoryIsLinearizable) {
  LinResult r = CheckKvLinearizable({}, LinOptions{});
  EXPECT_EQ(r.verdict, LinVerdict::kOk);
  EXPECT_TRUE(r.keys.empty());
}

TEST(Linearizability, SequentialHistory) {
  EXPECT_EQ(Check({Get(0, "k", "", 1, 2), Put(0, "k", "a", 3, 4), Get(1, "k", "a", 5, 6),
                   Append(1, "k", "b", 7, 8), Get(0, "k", "ab", 9, 10), Put(2, "k", "c", 11, 12),
                   Get(2, "k", "c", 13, 14)}),
            LinVerdict::kOk);
}

TEST(Linearizability, StaleReadIsIllegal) {
  std::vector<KvOp> h = {Put(0, "k", "a", 1, 2), Put(1, "k", "b", 3, 4), Get(2, "k", "a", 5, 6)};
  LinResult r = CheckKvLinearizable(h, LinOptions{});
  ASSERT_EQ(r.verdict, LinVerdict::kIllegal);
  ASSERT_EQ(r.keys.size(), 1u);
  EXPECT_EQ(r.keys[0].best_order, (std::vector<size_t>{0, 1}));
  ASSERT_EQ(r.keys[0].stuck, (std::vector<size_t>{2}));
  EXPECT_NE(r.keys[0].stuck_reasons[0].find("returned \"a\" but the value was \"b\""),
            std::string::npos)
      << r.keys[0].stuck_reasons[0];
  const std::string summary = r.Summary(h);
  EXPECT_NE(summary.find("NOT linearizable"), std::string::npos) << summary;
  EXPECT_NE(summary.find("client 2 Get(\"k\") -> \"a\""), std::string::npos) << summary;
}

TEST(Linearizability, ReadOfEmptyAfterCompletedPutIsIllegal) {
  EXPECT_EQ(Check({Put(0, "k", "a", 1, 2), Get(1, "k", "", 3, 4)}), LinVerdict::kIllegal);
}

TEST(Linearizability, LostAppendIsIllegal) {
  // Both appends completed before the Get started: the Get must see both.
  EXPECT_EQ(Check({Append(0, "k", "x", 1, 2), Append(1, "k", "y", 3, 4), Get(2, "k", "x", 5, 6)}),
            LinVerdict::kIllegal);
  EXPECT_EQ(Check({Append(0, "k", "x", 1, 2), Append(1, "k", "y", 3, 4), Get(2, "k", "y", 5, 6)}),
            LinVerdict::kIllegal);
}

TEST(Linearizability, DuplicateAppendIsIllegal) {
  // A retried append applied twice.
  EXPECT_EQ(Check({Append(0, "k", "x", 1, 2), Get(1, "k", "xx", 3, 4)}), LinVerdict::kIllegal);
  EXPECT_EQ(Check({Append(0, "k", "x", 1, 4), Append(1, "k", "y", 2, 3), Get(2, "k", "xyx", 5, 6)}),
            LinVerdict::kIllegal);
}

// The explanation names the likely cause (lin_explain.h), once per key, after the stuck ops.
std::string ExplainedCause(const std::vector<KvOp>& h) {
  LinResult r = CheckKvLinearizable(h, LinOptions{});
  EXPECT_EQ(r.verdict, LinVerdict::kIllegal);
  const std::string summary = r.Summary(h);
  const size_t at = summary.find("\n  likely cause: ");
  EXPECT_EQ(summary.find("likely cause", at + 17), std::string::npos) << summary;
  return at == std::string::npos ? "" : summary.substr(at + 17);
}

TEST(Linearizability, ExplainsADuplicateAppend) {
  std::vector<KvOp> h = {Append(0, "k", "x 0 0 y", 1, 2), Append(1, "k", "x 1 0 y", 3, 4),
                         Get(2, "k", "x 0 0 yx 1 0 yx 1 0 y", 5, 6)};
  EXPECT_EQ(ExplainedCause(h),
            "a duplicate: client 1's Append(\"x 1 0 y\") appears 2 times in what client 2's Get "
            "returned (at bytes 7, 14) but was sent once; an Append applied twice: was a retried "
            "request not recognised as a duplicate?");
}

TEST(Linearizability, ExplainsADuplicateInALongValueWithADiff) {
  // Ten appends by client 1, the fifth applied twice: the Get is named, with the duplicate as
  // the difference (not a value shortened in the middle), and the cause is the Append.
  std::vector<KvOp> h;
  std::string value, seen;
  for (int n = 0; n < 10; n++) {
    const std::string text = "x 1 " + std::to_string(n) + " y";
    h.push_back(Append(1, "k", text, 2 * n + 1, 2 * n + 2));
    value += text;
    seen += n == 4 ? text + text : text;
  }
  h.push_back(Get(2, "k", seen, 100, 101));
  LinResult r = CheckKvLinearizable(h, LinOptions{});
  ASSERT_EQ(r.verdict, LinVerdict::kIllegal);
  ASSERT_EQ(r.keys[0].stuck, (std::vector<size_t>{10}));
  EXPECT_EQ(r.keys[0].stuck_reasons[0],
            "Get returned 77 bytes but the value was 70 bytes: both start with the same 35 bytes "
            "(...\" yx 1 3 yx 1 4 y\"), then the Get has \"x 1 4 y\" where the value has \"\", "
            "then both end with the same 35 bytes (\"x 1 5 yx 1 6 yx \"...)");
  EXPECT_NE(r.keys[0].likely_cause.find("a duplicate: client 1's Append(\"x 1 4 y\") appears 2 "
                                        "times in what client 2's Get returned (at bytes 28, 35)"),
            std::string::npos)
      << r.keys[0].likely_cause;
  EXPECT_NE(r.Summary(h).find("client 2 Get(\"k\") -> \"x 1 0 yx 1 1 yx 1 2 yx 1 3 yx 1 4 yx 1 "
                              "4...\" (77 bytes)"),
            std::string::npos)
      << r.Summary(h);
}

TEST(Linearizability, ExplainsAStaleRead) {
  std::vector<KvOp> h = {Put(0, "k", "a", 1, 2), Put(1, "k", "b", 3, 4), Get(2, "k", "a", 5, 6)};
  EXPECT_EQ(ExplainedCause(h),
            "a stale read: client 2's Get returned the value the key had before client 1's "
            "Put(\"b\"), which had returned before the Get was called; a Get answered from a "
            "server's own map, by a follower or by a leader that lost its leadership?");
  // Missing the last appends: the value of the key three writes earlier.
  std::vector<KvOp> appends = {Append(0, "k", "x", 1, 2), Append(0, "k", "y", 3, 4),
                               Append(1, "k", "z", 5, 6), Append(1, "k", "w", 7, 8),
                               Get(2, "k", "x", 9, 10)};
  EXPECT_NE(ExplainedCause(appends).find("a stale read: client 2's Get returned the value the key "
                                         "had before client 0's Append(\"y\"), which had "
                                         "returned before the Get was called, and misses 3 "
                                         "writes in all"),
            std::string::npos)
      << ExplainedCause(appends);
}

TEST(Linearizability, ExplainsAStaleReadTheSearchFittedIn) {
  // Put "a" and Append "b" overlap; the Append returned before client 2's Get was called, which
  // still returned "a". The search fits that Get in by placing the Append first (so the Put
  // erases it) and gets stuck at client 3's later Get, which is right ("a" then "b" was the
  // order): the cause is the stale Get, as client 3's answer shows.
  KvOp stale = Get(2, "k", "a", 5, 6);
  stale.call_us = 1500000;
  KvOp later = Get(3, "k", "ab", 7, 8);
  later.call_us = 1700000;
  std::vector<KvOp> h = {Put(0, "k", "a", 1, 4), Append(1, "k", "b", 2, 3), stale, later};
  LinResult r = CheckKvLinearizable(h, LinOptions{});
  ASSERT_EQ(r.verdict, LinVerdict::kIllegal);
  EXPECT_EQ(r.keys[0].stuck, (std::vector<size_t>{3}));
  EXPECT_EQ(ExplainedCause(h),
            "a stale read: client 2's Get at 1.500s returned an earlier value of the key, without "
            "client 1's Append(\"b\"), which had returned before the Get was called (client 3's "
            "Get at 1.700s returned the same beginning followed by that Append); a Get answered "
            "from a server's own map, by a follower or by a leader that lost its leadership?");
}

TEST(Linearizability, ExplainsALostWrite) {
  // x was acknowledged before the Get was called; "y" was never the key's value.
  std::vector<KvOp> h = {Append(0, "k", "x", 1, 2), Append(1, "k", "y", 3, 4),
                         Get(2, "k", "y", 5, 6)};
  EXPECT_EQ(ExplainedCause(h),
            "a lost write: client 0's Append(\"x\") returned before client 2's Get was called, "
            "but that Get's answer does not contain it; was it acknowledged before it was "
            "committed, or its log entry lost later?");
}

TEST(Linearizability, NamesNoCauseWhenNoneFits) {
  // "z" was never written: neither a duplicate, nor an earlier value, nor a missing write.
  std::vector<KvOp> h = {Put(0, "k", "a", 1, 10), Get(1, "k", "z", 2, 9)};
  LinResult r = CheckKvLinearizable(h, LinOptions{});
  ASSERT_EQ(r.verdict, LinVerdict::kIllegal);
  EXPECT_EQ(r.keys[0].likely_cause, "");
  EXPECT_EQ(r.Summary(h).find("likely cause"), std::string::npos) << r.Summary(h);
}

TEST(Linearizability, AppendsOutOfRealTimeOrderAreIllegal) {
  // x completed before y was called, so "yx" is impossible.
  EXPECT_EQ(Check({Append(0, "k", "x", 1, 2), Append(0, "k", "y", 3, 4), Get(1, "k", "yx", 5, 6)}),
            LinVerdict::kIllegal);
}

TEST(Linearizability, ConcurrentAppendsInEitherOrderAreFine) {
  for (const char* seen : {"xy", "yx"}) {
    EXPECT_EQ(
        Check({Append(0, "k", "x", 1, 10), Append(1, "k", "y", 2, 9), Get(2, "k", seen, 11, 12)}),
        LinVerdict::kOk)
        << seen;
  }
}

TEST(Linearizability, GetOverlappingAPutMaySeeEitherValue) {
  for (const char* seen : {"a", "b"}) {
    EXPECT_EQ(Check({Put(0, "k", "a", 1, 2), Put(1, "k", "b", 3, 8), Get(2, "k", seen, 4, 6)}),
              LinVerdict::kOk)
        << seen;
  }
  // ...but once a read saw the new value, a later read may not see the old one.
  EXPECT_EQ(Check({Put(0, "k", "a", 1, 2), Put(1, "k", "b", 3, 20), Get(2, "k", "b", 4, 6),
                   Get(3, "k", "a", 7, 8)}),
            LinVerdict::kIllegal);
}

TEST(Linearizability, OverlappingReadsAndWritesOfManyClients) {
  // Four clients, everything overlapping with something; one valid order is
  // Put a, Get a, Append b, Get ab, Put c, Append d, Get cd.
  EXPECT_EQ(Check({Put(0, "k", "a", 1, 5), Get(1, "k", "a", 2, 7), Append(2, "k", "b", 6, 12),
                   Get(3, "k", "ab", 8, 14), Put(0, "k", "c", 13, 16), Append(1, "k", "d", 15, 18),
                   Get(2, "k", "cd", 17, 19)}),
            LinVerdict::kOk);
}

TEST(Linearizability, ValueNeverWrittenIsIllegal) {
  EXPECT_EQ(Check({Put(0, "k", "a", 1, 10), Get(1, "k", "z", 2, 9)}), LinVerdict::kIllegal);
}

TEST(Linearizability, EqualPointsCountAsOverlapping) {
  // The Get's call and the Put's return share a point: they overlap, so "" is allowed.
  EXPECT_EQ(Check({Put(0, "k", "a", 1, 3), Get(1, "k", "", 3, 4)}), LinVerdict::kOk);
}

TEST(Linearizability, KeysAreCheckedIndependently) {
  std::vector<KvOp> h = {Put(0, "a", "1", 1, 2),    Get(1, "a", "1", 3, 4),
                         Put(0, "b", "2", 5, 6),    Get(1, "b", "", 7, 8),
                         Append(2, "c", "x", 1, 8), Get(3, "c", "x", 9, 10)};
  LinResult r = CheckKvLinearizable(h, LinOptions{});
  EXPECT_EQ(r.verdict, LinVerdict::kIllegal);
  ASSERT_EQ(r.keys.size(), 3u);
  EXPECT_EQ(r.keys[0].key, "a");
  EXPECT_EQ(r.keys[0].verdict, LinVerdict::kOk);
  EXPECT_EQ(r.keys[1].key, "b");
  EXPECT_EQ(r.keys[1].verdict, LinVerdict::kIllegal);
  EXPECT_EQ(r.keys[1].stuck, (std::vector<size_t>{3}));
  EXPECT_EQ(r.checked_ops, 6u);
}

TEST(Linearizability, PendingWriteMayOrMayNotHaveTakenEffect) {
  const KvOp pending = Pending(Append(0, "k", "x", 1, 0));
  EXPECT_EQ(Check({pending, Get(1, "k", "", 2, 3)}), LinVerdict::kOk);
  EXPECT_EQ(Check({pending, Get(1, "k", "x", 2, 3)}), LinVerdict::kOk);
  EXPECT_EQ(Check({pending, Get(1, "k", "", 2, 3), Get(1, "k", "x", 4, 5)}), LinVerdict::kOk);
  // Once seen it stays.
  EXPECT_EQ(Check({pending, Get(1, "k", "x", 2, 3), Get(1, "k", "", 4, 5)}), LinVerdict::kIllegal);
  // It cannot take effect before it was called.
  EXPECT_EQ(Check({Get(1, "k", "x", 1, 2), Pending(Append(0, "k", "x", 3, 0))}),
            LinVerdict::kIllegal);
}

TEST(Linearizability, PendingGetIsIgnored) {
  LinResult r = CheckKvLinearizable(
      {Put(0, "k", "a", 1, 2), Pending(Get(1, "k", "whatever", 3, 0))}, LinOptions{});
  EXPECT_EQ(r.verdict, LinVerdict::kOk);
  EXPECT_EQ(r.checked_ops, 1u);
}

// A random history of `clients` clients on `keys` keys that is linearizable by construction:
// each operation takes effect at a random instant inside its interval, and Gets return what a
// map updated in that order holds.
std::vector<KvOp> RandomLinearizableHistory(uint32_t seed, int clients, int keys,
                                            int ops_per_client, bool puts = true,
                                            uint64_t max_len = 60) {
  std::mt19937 rng(seed);
  struct Planned {
    KvOp op;
    uint64_t effect;  // instant it takes effect (distinct, strictly inside [call, ret])
  };
  std::vector<Planned> plan;
  for (int c = 0; c < clients; c++) {
    uint64_t t = 1 + rng() % 50;
    for (int i = 0; i < ops_per_client; i++) {
      KvOp op;
      op.client = c;
      op.key = "k" + std::to_string(rng() % keys);
      const int dice = static_cast<int>(rng() % 10);
      op.kind = dice < 4 ? KvOpKind::kGet : (dice < 6 && puts) ? KvOpKind::kPut : KvOpKind::kAppend;
      if (op.kind != KvOpKind::kGet)
        op.value = "c" + std::to_string(c) + "." + std::to_string(i) + ";";
      // Points are multiples of clients*4 plus the client number, so no two are equal.
      op.call = (t * 4 + 1) * clients + c;
      const uint64_t len = 1 + rng() % max_len;
      op.ret = ((t + len) * 4 + 3) * clients + c;
      const uint64_t effect_t = t + rng() % (len + 1);
      plan.push_back(Planned{op, (effect_t * 4 + 2) * clients + c});
      t += len + 1 + rng() % 30;
    }
  }
  std::sort(plan.begin(), plan.end(),
            [](const Planned& a, const Planned& b) { return a.effect < b.effect; });
  std::map<std::string, std::string> store;
  std::vector<KvOp> ops;
  for (Planned& p : plan) {
    std::string& v = store[p.op.key];
    if (p.op.kind == KvOpKind::kGet) p.op.output = v;
    if (p.op.kind == KvOpKind::kPut) v = p.op.value;
    if (p.op.kind == KvOpKind::kAppend) v += p.op.value;
    ops.push_back(p.op);
  }
  std::shuffle(ops.begin(), ops.end(), rng);  // the checker must not rely on input order
  return ops;
}

TEST(Linearizability, LargeRandomLinearizableHistoryIsQuick) {
  for (uint32_t seed = 1; seed <= 3; seed++) {
    std::vector<KvOp> h = RandomLinearizableHistory(seed, 15, 3, 200);
    const auto start = std::chrono::steady_clock::now();
    LinResult r = CheckKvLinearizable(h, LinOptions{10000});
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(r.verdict, LinVerdict::kOk) << "seed " << seed << ": " << r.Summary(h);
    EXPECT_EQ(r.checked_ops, 3000u);
    EXPECT_LT(secs, 3.0) << "seed " << seed;
  }
}

TEST(Linearizability, ManyOverlappingAppendsToOneKeyAreQuick) {
  // Five clients appending to one key with long, heavily overlapping operations and Gets in
  // between: without pruning by what later Gets saw, the search would try every order of the
  // overlapping appends.
  for (uint32_t seed = 1; seed <= 5; seed++) {
    std::vector<KvOp> h = RandomLinearizableHistory(seed, 5, 1, 150, /*puts=*/false, 400);
    const auto start = std::chrono::steady_clock::now();
    LinResult r = CheckKvLinearizable(h, LinOptions{10000});
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(r.verdict, LinVerdict::kOk) << "seed " << seed << ": " << r.Summary(h);
    EXPECT_LT(secs, 2.0) << "seed " << seed;
  }
}

// The reference semantics: tries every order of the operations that respects real time.
bool BruteForceLinearizable(const std::vector<KvOp>& ops) {
  std::vector<size_t> order;
  for (size_t i = 0; i < ops.size(); i++) {
    if (ops[i].returned || ops[i].kind != KvOpKind::kGet) order.push_back(i);
  }
  const size_t n = order.size();
  std::vector<bool> used(n, false);
  std::vector<size_t> chosen;
  std::function<bool(std::map<std::string, std::string>)> rec =
      [&](std::map<std::string, std::string> store) -> bool {
    if (chosen.size() == n) return true;
    for (size_t a = 0; a < n; a++) {
      if (used[a]) continue;
      const KvOp& op = ops[order[a]];
      // `op` may go next only if no other unused operation returned before it was called.
      bool allowed = true;
      for (size_t b = 0; b < n && allowed; b++) {
        const KvOp& other = ops[order[b]];
        if (b != a && !used[b] && other.returned && other.ret < op.call) allowed = false;
      }
      if (!allowed) continue;
      std::map<std::string, std::string> next = store;
      if (op.kind == KvOpKind::kGet && next[op.key] != op.output) continue;
      if (op.kind == KvOpKind::kPut) next[op.key] = op.value;
      if (op.kind == KvOpKind::kAppend) next[op.key] += op.value;
      used[a] = true;
      chosen.push_back(a);
      if (rec(next)) return true;
      chosen.pop_back();
      used[a] = false;
    }
    return false;
  };
  return rec({});
}

// Random small histories checked against BruteForceLinearizable. `put_heavy` draws more Puts,
// of longer values, and Gets that often start with a Put's value (what the pruning by pending
// Puts and the merging of values no Get can see depend on).
void CheckAgainstBruteForce(uint32_t seed, bool put_heavy) {
  std::mt19937 rng(seed);
  int legal = 0, illegal = 0;
  for (int round = 0; round < 4000; round++) {
    std::vector<KvOp> h;
    const int n = 2 + static_cast<int>(rng() % 6);
    for (int i = 0; i < n; i++) {
      KvOp op;
      op.client = i;
      op.key = rng() % 4 == 0 ? "b" : "a";
      const int dice = static_cast<int>(rng() % 6);
      op.kind = dice < 3                     ? KvOpKind::kGet
                : dice < (put_heavy ? 5 : 4) ? KvOpKind::kPut
                                             : KvOpKind::kAppend;
      const char* values[] = {"x", "y", "xy", "yx", "", "xx", "yxy", "xyx"};
      if (op.kind == KvOpKind::kGet) {
        op.output = values[rng() % (put_heavy ? 8 : 5)];
      } else {
        op.value = values[rng() % (put_heavy && op.kind == KvOpKind::kPut ? 4 : 2)];
      }
      op.call = rng() % 10;
      op.ret = op.call + rng() % 6;
      op.returned = rng() % 8 != 0;
      if (!op.returned) op.ret = 0;
      h.push_back(op);
    }
    const bool expected = BruteForceLinearizable(h);
    const LinVerdict got = Check(h);
    ASSERT_EQ(got, expected ? LinVerdict::kOk : LinVerdict::kIllegal) << "round " << round;
    (expected ? legal : illegal)++;
  }
  // Both outcomes were exercised.
  EXPECT_GT(legal, 400);
  EXPECT_GT(illegal, 400);
}

TEST(Linearizability, AgreesWithBruteForceOnSmallRandomHistories) {
  CheckAgainstBruteForce(12345, /*put_heavy=*/false);
}

TEST(Linearizability, AgreesWithBruteForceOnSmallRandomHistoriesWithManyPuts) {
  CheckAgainstBruteForce(54321, /*put_heavy=*/true);
}

TEST(Linearizability, CorruptedRandomHistoryIsIllegal) {
  std::vector<KvOp> h = RandomLinearizableHistory(7, 8, 2, 100);
  // Make one Get late in the history read a value nobody wrote.
  size_t victim = h.size();
  uint64_t latest = 0;
  for (size_t i = 0; i < h.size(); i++) {
    if (h[i].kind == KvOpKind::kGet && h[i].call > latest) {
      latest = h[i].call;
      victim = i;
    }
  }
  ASSERT_LT(victim, h.size());
  h[victim].output += "#";
  LinResult r = CheckKvLinearizable(h, LinOptions{20000});
  EXPECT_EQ(r.verdict, LinVerdict::kIllegal) << r.Summary(h);
}

TEST(Linearizability, TimeoutYieldsUnknown) {
  // Fifty clients on one key, every operation overlapping dozens of others: deciding it takes
  // more than a minute (it is linearizable), far more than 150 ms.
  KvGenOptions o;
  o.clients = 50;
  o.keys = 1;
  o.ops_per_client = 30;
  const std::vector<KvOp> h = GenerateKvHistory(o).ops;
  const auto start = std::chrono::steady_clock::now();
  LinResult r = CheckKvLinearizable(h, LinOptions{150});
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.verdict, LinVerdict::kUnknown);
  EXPECT_LT(secs, 2.0);
  EXPECT_EQ(r.undecided, std::vector<std::string>{"0"});
  ASSERT_EQ(r.keys.size(), 1u);
  EXPECT_EQ(r.keys[0].undecided, LinUndecided::kTimeLimit);
  EXPECT_TRUE(r.keys[0].best_order.empty());
  EXPECT_NE(r.Summary(h).find("key \"0\": not decided (" + std::to_string(r.keys[0].ops.size()) +
                              " operations): the time limit ran out"),
            std::string::npos)
      << r.Summary(h);
  EXPECT_STREQ(LinVerdictName(r.verdict), "unknown (not decided)");
}

TEST(Linearizability, ShowKvValueAbbreviatesLongValues) {
  EXPECT_EQ(ShowKvValue("abc"), "\"abc\"");
  const std::string shown = ShowKvValue(std::string(1000, 'x'));
  EXPECT_LT(shown.size(), 80u);
  EXPECT_NE(shown.find("1000 bytes"), std::string::npos);
}

}  // namespace
}  // namespace harness
}  // namespace janus
