// The structured trace of a scripted run (the fault-heavy toy scenario: partitions, crashes,
// restarts, an unreliable and reordering network) holds every kind of event the harness writes
// without a lab tester, each line one JSON object, and RPC ids that match up.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include "labs/harness/core/note.h"
#include "labs/harness/core/runner.h"
#include "labs/harness/core/trace.h"
#include "labs/harness/core/trace_event.h"
#include "labs/harness/toy/toy_scenario.h"

namespace janus {
namespace harness {
namespace {

std::string Field(const std::string& line, const std::string& key) {
  const std::string k = "\"" + key + "\":";
  const size_t at = line.find(k);
  if (at == std::string::npos) return "";
  size_t start = at + k.size(), end = start;
  if (line[start] == '"') {
    end = line.find('"', start + 1);
    return line.substr(start + 1, end - start - 1);
  }
  while (end < line.size() && line[end] != ',' && line[end] != '}') end++;
  return line.substr(start, end - start);
}

TEST(StructuredTrace, ScriptedRunHasEveryHarnessEvent) {
  const std::string path = ::testing::TempDir() + "/trace_test.jsonl";
  std::string error;
  ASSERT_TRUE(SetupLogging("error", path, &error)) << error;
  TraceMeta("trace_test", 7, "sim");
  TraceTestStart("Trace.Scripted", 7);
  RunSpec spec;
  spec.seed = 7;
  spec.limit_us = 60 * 1000000ull;
  RunOutcome out = RunOnFreshReactor(spec, [] {
    Note("scenario starts", 12, "rounds");
    NoteRole("leader", 3);
    toy_lab::RunFaultHeavyScenario(12);
  });
  EXPECT_TRUE(out.finished);
  EXPECT_EQ(TraceTestEnd("Trace.Scripted", 7, true, ""), "");
  CloseTrace();
  EXPECT_FALSE(StructuredTrace());

  std::ifstream in(path);
  std::string line;
  std::map<std::string, int> count;
  std::set<std::string> sent, drops_at;
  int lines = 0, unmatched = 0;
  while (std::getline(in, line)) {
    lines++;
    ASSERT_EQ(line.rfind("{\"ev\":\"", 0), 0u) << line;
    ASSERT_EQ(line.back(), '}') << line;
    const std::string ev = Field(line, "ev");
    count[ev]++;
    if (ev == "send") sent.insert(Field(line, "id"));
    if (ev == "duplicate") sent.insert(Field(line, "copy_id"));
    if ((ev == "deliver" || ev == "reply" || ev == "drop" || ev == "delay") &&
        sent.count(Field(line, "id")) == 0) {
      unmatched++;
    }
    if (ev == "drop") drops_at.insert(Field(line, "reason"));
    if (ev == "send") {
      EXPECT_EQ(Field(line, "service"), "CounterService") << line;
      EXPECT_NE(Field(line, "args"), "") << line;
    }
  }
  EXPECT_EQ(unmatched, 0);
  EXPECT_EQ(count["meta"], 1);
  for (const char* ev : {"test_start", "test_end", "node", "send", "deliver", "reply",
                         "reply_deliver", "drop", "delay", "crash", "restart", "disconnect",
                         "partition", "heal", "net_mode", "note", "role", "log"}) {
    EXPECT_GT(count[ev], 0) << "no " << ev << " event in " << lines << " lines";
  }
  EXPECT_TRUE(drops_at.count("partitioned")) << "a partition dropped nothing";
  EXPECT_TRUE(drops_at.count("unreliable")) << "the unreliable network dropped nothing";
}

}  // namespace
}  // namespace harness
}  // namespace janus
