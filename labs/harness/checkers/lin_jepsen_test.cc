// Tests of the Jepsen text format (jepsen_kv.h), of the generator of histories with a known
// verdict (kv_history_gen.h), and of the linearizability checker on generated histories the
// sizes of porcupine's c01/c10/c50 ones, converted through the text format: a definite and
// right verdict, the key reported, the keys left undecided, and a report that does not depend
// on the number of threads.
#include <gtest/gtest.h>

#include <algorithm>

#include "labs/harness/checkers/jepsen_kv.h"
#include "labs/harness/checkers/kv_history_gen.h"
#include "labs/harness/checkers/linearizability.h"

namespace janus {
namespace harness {
namespace {

// A generous limit: the verdicts below take milliseconds; the limit only keeps a regression
// from hanging the test.
constexpr uint64_t kLimitMs = 60000;

// The generated history as text and back, as a history from elsewhere would come in.
std::vector<KvOp> ThroughText(const KvGenHistory& h) {
  std::vector<KvOp> ops;
  std::string error;
  EXPECT_TRUE(ParseJepsenKv(WriteJepsenKv(h.ops), &ops, &error)) << error;
  return ops;
}

// The key the result reports as NOT linearizable ("" if none).
std::string ReportedKey(const LinResult& r) {
  for (const LinKeyResult& k : r.keys) {
    if (k.verdict == LinVerdict::kIllegal) return k.key;
  }
  return "";
}

TEST(JepsenKv, ParsesOkFailInfoAndPendingOperations) {
  const std::string text =
      "{:process 0, :type :invoke, :f :put, :key \"a\", :value \"x 0 0 y\"}\n"
      "{:process 1, :type :invoke, :f :get, :key \"a\", :value nil}\n"
      "{:process 0, :type :ok, :f :put, :key \"a\", :value \"x 0 0 y\"}\n"
      "\n"
      "{:process 1, :type :ok, :f :get, :key \"a\", :value \"say \\\"hi\\\"\\\\\"}\n"
      "{:process 2, :type :invoke, :f :append, :key \"b\", :value \"z\"}\n"
      "{:process 2, :type :fail, :f :append, :key \"b\", :value \"z\"}\n"
      "{:process 3, :type :invoke, :f :append, :key \"b\", :value \"w\"}\n"
      "{:process 3, :type :info, :f :append, :key \"b\", :value \"w\"}\n"
      "{:process 4, :type :invoke, :f :get, :key \"b\", :value nil}\n";
  std::vector<KvOp> ops;
  std::string error;
  ASSERT_TRUE(ParseJepsenKv(text, &ops, &error)) << error;
  ASSERT_EQ(ops.size(), 4u);  // the failed Append is dropped
  EXPECT_EQ(ops[0].kind, KvOpKind::kPut);
  EXPECT_EQ(ops[0].value, "x 0 0 y");
  EXPECT_EQ(ops[0].call, 1u);
  EXPECT_EQ(ops[0].ret, 3u);
  EXPECT_EQ(ops[1].client, 1);
  EXPECT_EQ(ops[1].output, "say \"hi\"\\");
  EXPECT_EQ(ops[1].ret, 5u);  // line numbers, blank lines included
  EXPECT_EQ(ops[2].value, "w");
  EXPECT_FALSE(ops[2].returned);  // :info: may or may not have happened
  EXPECT_FALSE(ops[3].returned);  // no end line
}

TEST(JepsenKv, ReadsTimesAndNemesisLines) {
  const std::string text =
      "{:process 0, :type :invoke, :f :put, :key \"a\", :value \"1\", :time 5000}\n"
      "{:process :nemesis, :type :info, :f :kill, :value \"kv1 kv2\", :time 6000}\n"
      "{:process 0, :type :ok, :f :put, :key \"a\", :value \"1\", :time 9000}\n"
      "{:process :nemesis, :type :info, :f :heal, :value nil, :time 12000}\n";
  std::vector<KvOp> ops;
  std::vector<TimedEvent> events;
  std::string error;
  ASSERT_TRUE(ParseJepsenKv(text, &ops, &error, &events)) << error;
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].call, 1u);  // the order is still the line order
  EXPECT_EQ(ops[0].ret, 3u);
  EXPECT_EQ(ops[0].call_us, 5u);  // :time is in nanoseconds
  EXPECT_EQ(ops[0].return_us, 9u);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].time_us, 6u);
  EXPECT_EQ(events[0].description, "kill kv1 kv2");
  EXPECT_EQ(events[1].description, "heal");
  // Without an events vector the nemesis lines are skipped all the same.
  ASSERT_TRUE(ParseJepsenKv(text, &ops, &error)) << error;
  EXPECT_EQ(ops.size(), 1u);
}

TEST(JepsenKv, RejectsABadLineByItsNumber) {
  const std::string get = "{:process 0, :type :invoke, :f :get, :key \"a\", :value nil}\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{:process 0, :type :ok, :f :get, :key \"a\", :value \"\"}",
       "line 1: process 0 has no operation in progress"},
      {get + get, "line 2: process 0 invokes while its last op runs"},
      {get + "{:process 0, :type :ok, :f :put, :key \"a\", :value \"\"}",
       "line 2: :f or :key differs from the process's :invoke"},
      {get + "{:process 0, :type :ok, :f :get, :key \"a\", :value nil}",
       "line 2: an :ok Get needs a string :value"},
      {"\n{:process 1, :type :crash, :f :get, :key \"a\", :value nil}",
       "line 2: unknown :type :crash"},
      {"{:process 1, :type :invoke, :f :cas, :key \"a\", :value nil}", "line 1: unknown :f :cas"},
      {"{:process 1, :type :invoke, :f :get, :key \"a\"}", "line 1: missing :value"},
      {"{:process 1, :type :invoke, :f :get, :key \"a, :value nil}",
       "line 1: unterminated string in :key"},
      {":process 1", "line 1: expected '{'"},
      {"{:process 1, :type :invoke, :f :get, :key \"a\", :value nil, :time \"x\"}",
       "line 1: bad :time"},
      {"{:process 1, :type :invoke, :f :get, :key \"a\", :value nil, :index 3}",
       "line 1: unexpected field (expected :process :type :f :key :value, optionally :time)"},
      {"{:process :nemesis, :type :info, :f \"kill\", :value nil}",
       "line 1: a nemesis line needs a keyword :f"},
  };
  for (const auto& [text, expected] : cases) {
    std::vector<KvOp> ops;
    std::string error;
    EXPECT_FALSE(ParseJepsenKv(text, &ops, &error)) << text;
    EXPECT_EQ(error, expected) << text;
  }
}

TEST(JepsenKv, WrittenHistoriesParseBackUnchanged) {
  const KvGenHistory h = GenerateKvHistory(KvGenPreset("c10", 3, 2));
  const std::vector<KvOp> back = ThroughText(h);
  ASSERT_EQ(back.size(), h.ops.size());
  for (size_t i = 0; i < back.size(); i++) {
    const KvOp &a = h.ops[i], &b = back[i];
    EXPECT_TRUE(a.client == b.client && a.kind == b.kind && a.key == b.key && a.value == b.value &&
                a.output == b.output && a.call == b.call && a.returned == b.returned &&
                (!a.returned || a.ret == b.ret))
        << "operation " << i;
  }
}

// The generator's claims, checked by the checker (itself checked against brute force in
// linearizability_test.cc) on many small histories: every violation it injects is one, and
// its histories without violations are linearizable.
TEST(KvHistoryGen, KnownVerdictsAgreeWithTheChecker) {
  int bad_histories = 0;
  for (uint32_t seed = 1; seed <= 300; seed++) {
    KvGenOptions o;
    o.seed = seed;
    o.clients = 2 + seed % 4;
    o.keys = 1 + seed % 3;
    o.ops_per_client = 6;
    o.crash_percent = 10;
    o.stuck_percent = 10;
    o.bad_keys = seed % 2;
    const KvGenHistory h = GenerateKvHistory(o);
    const LinResult r = CheckKvLinearizable(ThroughText(h), LinOptions{kLimitMs});
    const LinVerdict expected = h.bad_keys.empty() ? LinVerdict::kOk : LinVerdict::kIllegal;
    ASSERT_EQ(r.verdict, expected) << "seed " << seed << ": " << r.Summary(h.ops);
    if (!h.bad_keys.empty()) {
      bad_histories++;
      EXPECT_EQ(ReportedKey(r), h.bad_keys[0]) << "seed " << seed;
    }
  }
  EXPECT_GT(bad_histories, 100);
}

TEST(LinJepsen, PorcupineSizedHistoriesGetADefiniteRightVerdict) {
  for (const char* size : {"c01", "c10", "c50"}) {
    for (uint32_t seed = 1; seed <= 2; seed++) {
      for (int bad_keys : {0, 4}) {
        const KvGenHistory h = GenerateKvHistory(KvGenPreset(size, seed, bad_keys));
        const std::vector<KvOp> ops = ThroughText(h);
        const LinResult r = CheckKvLinearizable(ops, LinOptions{kLimitMs});
        const std::string what = std::string(size) + " seed " + std::to_string(seed) +
                                 (bad_keys ? " bad: " : " ok: ") + r.Summary(ops);
        EXPECT_TRUE(r.undecided.empty()) << what;
        if (bad_keys == 0) {
          EXPECT_EQ(r.verdict, LinVerdict::kOk) << what;
        } else {
          ASSERT_EQ(h.bad_keys.size(), 4u);
          EXPECT_EQ(r.verdict, LinVerdict::kIllegal) << what;
          EXPECT_EQ(ReportedKey(r), h.bad_keys[0]) << what;  // the first, all keys decided
        }
      }
    }
  }
}

TEST(LinJepsen, TheReportDoesNotDependOnThreads) {
  const KvGenHistory h = GenerateKvHistory(KvGenPreset("c50", 5, 3));
  const std::vector<KvOp> ops = ThroughText(h);
  LinOptions one{kLimitMs};
  one.threads = 1;
  const LinResult r1 = CheckKvLinearizable(ops, one);
  ASSERT_EQ(r1.verdict, LinVerdict::kIllegal) << r1.Summary(ops);
  for (int threads : {2, 3, 8}) {
    LinOptions o{kLimitMs};
    o.threads = threads;
    const LinResult r = CheckKvLinearizable(ops, o);
    EXPECT_EQ(r.Summary(ops), r1.Summary(ops)) << threads << " threads";
    EXPECT_EQ(r.threads, threads);
    for (size_t k = 0; k < r.keys.size(); k++) {
      EXPECT_EQ(r.keys[k].verdict, r1.keys[k].verdict) << "key " << r.keys[k].key;
      EXPECT_EQ(r.keys[k].best_order, r1.keys[k].best_order) << "key " << r.keys[k].key;
    }
  }
  // The keys after the reported one are not reported, decided or not.
  const std::string reported = ReportedKey(r1);
  for (const LinKeyResult& k : r1.keys) {
    if (k.key > reported) {
      EXPECT_EQ(k.undecided, LinUndecided::kNotNeeded) << k.key;
    } else if (k.key < reported) {
      EXPECT_EQ(k.verdict, LinVerdict::kOk) << k.key;
    }
  }
}

// A hot key (over a third of all operations, 50 clients) takes seconds to decide; the violations in
// other keys are reported without waiting for it, and it is named as not decided only if it
// comes before the key reported.
TEST(LinJepsen, AHardKeyDoesNotHideTheOthers) {
  KvGenOptions o = KvGenPreset("c50", 4, 4);
  o.hot_percent = 30;
  const KvGenHistory h = GenerateKvHistory(o);
  ASSERT_EQ(std::count(h.bad_keys.begin(), h.bad_keys.end(), "0"), 0);  // key "1" is bad
  const std::vector<KvOp> ops = ThroughText(h);
  LinOptions options{kLimitMs};
  options.settle_ms = 100;
  const LinResult r = CheckKvLinearizable(ops, options);
  ASSERT_EQ(r.verdict, LinVerdict::kIllegal) << r.Summary(ops);
  const std::string reported = ReportedKey(r);
  EXPECT_NE(std::find(h.bad_keys.begin(), h.bad_keys.end(), reported), h.bad_keys.end());
  for (const std::string& key : r.undecided) EXPECT_LT(key, reported);
  if (!r.undecided.empty()) {
    EXPECT_EQ(r.keys[0].undecided, LinUndecided::kSettled);
    EXPECT_NE(
        r.Summary(ops).find("key \"0\": not decided (" + std::to_string(r.keys[0].ops.size()) +
                            " operations): stopped once a later key was found NOT "
                            "linearizable"),
        std::string::npos)
        << r.Summary(ops);
  }
}

TEST(LinJepsen, TheMemoryBoundLeavesAKeyUndecided) {
  KvGenOptions o = KvGenPreset("c50", 2, 0);
  o.hot_percent = 30;
  const std::vector<KvOp> ops = ThroughText(GenerateKvHistory(o));
  LinOptions options{kLimitMs};
  options.memory_limit_mb = 1;
  options.threads = 1;
  const LinResult r = CheckKvLinearizable(ops, options);
  EXPECT_EQ(r.verdict, LinVerdict::kUnknown) << r.Summary(ops);
  ASSERT_FALSE(r.undecided.empty());
  EXPECT_EQ(r.undecided[0], "0");
  EXPECT_EQ(r.keys[0].undecided, LinUndecided::kMemoryLimit);
  EXPECT_NE(r.Summary(ops).find("key \"0\": not decided (" + std::to_string(r.keys[0].ops.size()) +
                                " operations): the search reached its memory bound"),
            std::string::npos)
      << r.Summary(ops);
}

}  // namespace
}  // namespace harness
}  // namespace janus
