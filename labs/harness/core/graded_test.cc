#include "labs/harness/core/graded_test.h"

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>

#include "labs/harness/core/runner.h"
#include "labs/harness/core/trace.h"
#include "rrr/base/logging.h"
#include "rrr/base/verify.h"

namespace janus {
namespace harness {
namespace {

// Extra real time a run may take beyond its reactor-time limit before the watchdog calls it
// hung (covers teardown and slow machines; the reactor-time check normally fires first).
constexpr uint64_t kWallGraceUs = 30 * 1000 * 1000;

struct Registry {
  std::vector<GradedTestInfo> tests;
  std::map<std::string, size_t> by_name;
};

Registry& Reg() {
  static Registry* registry = new Registry();  // used during static initialization
  return *registry;
}

std::atomic<uint64_t> g_rpcs{0};
TestEnv* g_env = nullptr;  // reactor thread only
GradedRunStats g_last;

}  // namespace

bool RegisterGradedTest(const char* suite, const char* name, const char* lab, const char* part,
                        int points, uint64_t budget_ms) {
  GradedTestInfo info;
  info.suite = suite;
  info.name = name;
  info.lab = lab;
  info.part = part;
  info.points = points;
  info.budget_ms = budget_ms;
  Registry& r = Reg();
  verify_msg(r.by_name.count(info.full_name()) == 0, "two graded tests with the same name");
  verify_msg(points >= 0 && budget_ms > 0, "graded test needs points >= 0 and a budget > 0");
  r.by_name[info.full_name()] = r.tests.size();
  r.tests.push_back(std::move(info));
  return true;
}

const std::vector<GradedTestInfo>& GradedTests() { return Reg().tests; }

const GradedTestInfo* FindGradedTest(const std::string& full_name) {
  const Registry& r = Reg();
  auto it = r.by_name.find(full_name);
  return it == r.by_name.end() ? nullptr : &r.tests[it->second];
}

void PrintGradedTestList(std::FILE* out) {
  for (const GradedTestInfo& t : GradedTests()) {
    std::fprintf(out, "%s\t%s\t%s\t%s\t%d\t%llu\n", t.full_name().c_str(), t.lab.c_str(),
                 t.part.c_str(), t.name.c_str(), t.points,
                 static_cast<unsigned long long>(t.budget_ms));
  }
  std::fflush(out);
}

TestEnv::TestEnv(const GradedTestInfo* info, NetMode net, uint64_t iteration_seed, uint64_t seed)
    : info_(info), net_(net), iteration_seed_(iteration_seed), seed_(seed),
      rand_(rrr::Rand(seed).Fork(0x7465737400000000ull)) {}

void TestEnv::CountRpc() { g_rpcs.fetch_add(1, std::memory_order_relaxed); }
uint64_t TestEnv::rpcs() { return g_rpcs.load(std::memory_order_relaxed); }

TestEnv& Env() {
  verify_msg(g_env != nullptr, "harness::Env() called outside a graded test");
  return *g_env;
}

bool InGradedTest() { return g_env != nullptr; }
TestEnv* CurrentEnvOrNull() { return g_env; }
const GradedRunStats& LastGradedRun() { return g_last; }

void RunGradedTest(const char* full_name, void (*body)()) {
  const GradedTestInfo* info = FindGradedTest(full_name);
  verify_msg(info != nullptr, "RunGradedTest for a test that GRADED_TEST did not register");
  const DriverOptions& opt = Options();
  const uint64_t iteration_seed = CurrentIterationSeed();
  TestEnv env(info, opt.net, iteration_seed, TestSeed(iteration_seed, info->full_name()));
  g_rpcs.store(0);
  g_env = &env;

  RunSpec spec;
  spec.virtual_time = env.sim();
  spec.seed = env.seed();
  const uint64_t budget_us = info->budget_ms * 1000;
  spec.limit_us = env.sim() ? budget_us : budget_us * kTcpBudgetFactor;
  spec.wall_limit_us = (env.sim() ? budget_us * 2 : spec.limit_us) + kWallGraceUs;
  HarnessEvent(std::string("test ") + full_name + " start: net=" + NetModeName(opt.net) +
               " seed=" + std::to_string(env.seed()) +
               " (run seed " + std::to_string(iteration_seed) + ")");
  TraceTestStart(info->full_name(), iteration_seed);
  RunOutcome out = RunOnFreshReactor(spec, [body] { body(); });
  if (!out.finished) {
    ADD_FAILURE_AT(nullptr, -1) << "time budget exceeded: the test was still running after "
                  << (spec.limit_us / 1000) << " ms of "
                  << (env.sim() ? "virtual time (its budget)"
                                : "real time (budget x " + std::to_string(kTcpBudgetFactor) + ")");
  }
  char stats[96];
  std::snprintf(stats, sizeof(stats), " virt %.3fs rpcs %llu",
                static_cast<double>(out.virtual_us) / 1e6,
                static_cast<unsigned long long>(env.rpcs()));
  HarnessEvent(std::string("test ") + full_name + " end: " +
               (::testing::Test::HasFailure() ? "FAIL" : "PASS") + stats);
  g_last.full_name = info->full_name();
  g_last.virtual_us = out.virtual_us;
  g_last.rpcs = env.rpcs();
  g_last.iteration_seed = iteration_seed;
  g_env = nullptr;
}

}  // namespace harness
}  // namespace janus
