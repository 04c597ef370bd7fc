#include "labs/harness/core/report.h"

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mutex>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/options.h"
#include "labs/harness/core/trace.h"
#include "rrr/base/time.h"
#include "rrr/reactor/reactor.h"

namespace janus {
namespace harness {
namespace {

// Indentation of the lines under a FAIL line (the width of "[FAIL] ").
const char kIndent[] = "       ";

// Everything the printer, the watchdog thread and the signal handlers share. Strings that the
// signal handler reads are rebuilt only between tests.
struct PrinterState {
  std::mutex mu;
  std::FILE* out = stdout;
  int passed = 0;
  int failed = 0;
  long earned = 0;
  long max_points = 0;
  // The running test.
  bool running = false;
  std::string full_name;
  std::string lab = "-", part = "-", name;
  int points = 0;
  bool graded = false;
  uint64_t wall_start_us = 0;
  std::vector<std::string> failures;
  // Pre-rendered for the signal handler: "[FAIL] lab/part Name  0/P pts" and the text after
  // the reason (replay command and summary with this test counted as failed).
  std::string crash_head;
  std::string crash_tail;
};

PrinterState& P() {
  static PrinterState* state = new PrinterState();
  return *state;
}

ResultPrinter* g_printer = nullptr;


std::string Indented(const std::string& text, const char* first_prefix) {
  std::string out;
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start || first) {
      out += kIndent;
      out += first ? first_prefix : "  ";
      out.append(text, start, end - start);
      out += '\n';
    }
    first = false;
    start = end + 1;
  }
  return out;
}

std::string JoinFailures(const std::vector<std::string>& failures) {
  std::string text;
  for (const std::string& f : failures) text += (text.empty() ? "" : "\n") + f;
  return text;
}

// The line under "replay:": where --trace=auto wrote this failure's viewer page, or (with no
// trace) how to get one.
std::string TraceHint(const std::string& html) {
  if (!html.empty()) return std::string(kIndent) + "trace: " + html + "\n";
  if (!Options().trace_path.empty()) return "";
  return std::string(kIndent) +
         "(add --trace=auto to the replay for a message diagram of the run, in HTML)\n";
}

std::string Summary(long earned, long max_points, int passed, int failed) {
  return "Score: " + std::to_string(earned) + "/" + std::to_string(max_points) + " points\n" +
         std::to_string(passed) + " passed, " + std::to_string(failed) + " failed\n";
}

void WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w <= 0) return;
    p += w;
    n -= static_cast<size_t>(w);
  }
}

void OnFatalSignal(int sig) {
  PrinterState& s = P();
  if (s.running) {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    const uint64_t now = static_cast<uint64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
    const uint64_t wall = now > s.wall_start_us ? now - s.wall_start_us : 0;
    rrr::Reactor* r = rrr::Reactor::CurrentOrNull();
    const uint64_t virt = r != nullptr ? r->NowUs() : 0;
    char buf[512];
    int n = snprintf(buf, sizeof(buf),
                     "%s  virt %llu.%03llus  wall %llu.%03llus  rpcs %llu  seed %llu\n"
                     "%scrashed: signal %d (%s)\n",
                     s.crash_head.c_str(), static_cast<unsigned long long>(virt / 1000000),
                     static_cast<unsigned long long>(virt / 1000 % 1000),
                     static_cast<unsigned long long>(wall / 1000000),
                     static_cast<unsigned long long>(wall / 1000 % 1000),
                     static_cast<unsigned long long>(TestEnv::rpcs()),
                     static_cast<unsigned long long>(CurrentIterationSeed()), kIndent, sig,
                     strsignal(sig));
    fflush(s.out);
    if (n > 0) WriteAll(STDOUT_FILENO, buf, static_cast<size_t>(n) < sizeof(buf) ? n : sizeof(buf) - 1);
    WriteAll(STDOUT_FILENO, s.crash_tail.data(), s.crash_tail.size());
  }
  FlushTrace();
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

ResultPrinter::ResultPrinter(std::FILE* out) { P().out = out; }

void ResultPrinter::OnTestIterationStart(const ::testing::UnitTest&, int iteration) {
  SetCurrentIteration(iteration);
}

void ResultPrinter::OnTestStart(const ::testing::TestInfo& info) {
  PrinterState& s = P();
  std::lock_guard<std::mutex> lock(s.mu);
  s.full_name = std::string(info.test_suite_name()) + "." + info.name();
  const GradedTestInfo* g = FindGradedTest(s.full_name);
  s.graded = g != nullptr;
  s.lab = g != nullptr ? g->lab : "-";
  s.part = g != nullptr ? g->part : "-";
  s.name = g != nullptr ? g->name : s.full_name;
  s.points = g != nullptr ? g->points : 0;
  s.failures.clear();
  s.wall_start_us = rrr::Time::MonotonicUs();
  s.crash_head = "[FAIL] " + s.lab + "/" + s.part + " " + s.name + "  0/" +
                 std::to_string(s.points) + " pts";
  s.crash_tail = std::string(kIndent) + "replay: " +
                 ReplayCommand(s.full_name, CurrentIterationSeed()) + "\n" +
                 Summary(s.earned, s.max_points + s.points, s.passed, s.failed + 1);
  s.running = true;
}

void ResultPrinter::OnTestPartResult(const ::testing::TestPartResult& result) {
  if (!result.failed()) return;
  PrinterState& s = P();
  std::string text = result.message();
  // googletest starts the message of FAIL()/ADD_FAILURE() with "Failed": say less.
  if (text.compare(0, 7, "Failed\n") == 0) text = text.substr(7);
  if (result.file_name() != nullptr) {
    std::string where = ShortSourcePath(result.file_name());
    if (result.line_number() > 0) where += ":" + std::to_string(result.line_number());
    text = where + ": " + text;
  }
  std::lock_guard<std::mutex> lock(s.mu);
  s.failures.push_back(text);
}

void ResultPrinter::OnTestEnd(const ::testing::TestInfo& info) {
  PrinterState& s = P();
  const uint64_t wall = rrr::Time::MonotonicUs() - s.wall_start_us;
  const bool passed = !info.result()->Failed();
  uint64_t virt = 0, rpcs = 0;
  const GradedRunStats& last = LastGradedRun();
  if (s.graded && last.full_name == s.full_name) {
    virt = last.virtual_us;
    rpcs = last.rpcs;
  }
  const uint64_t seed = CurrentIterationSeed();
  std::lock_guard<std::mutex> lock(s.mu);
  s.running = false;
  const int earned = passed ? s.points : 0;
  std::string text =
      FormatResultLine(passed, s.lab, s.part, s.name, earned, s.points, virt, wall, rpcs, seed) +
      "\n";
  const std::string html = TraceTestEnd(s.full_name, seed, passed, JoinFailures(s.failures));
  if (!passed) {
    for (const std::string& f : s.failures) text += Indented(f, "");
    text += std::string(kIndent) + "replay: " + ReplayCommand(s.full_name, seed) + "\n";
    text += TraceHint(html);
  }
  (passed ? s.passed : s.failed)++;
  s.earned += earned;
  s.max_points += s.points;
  std::fputs(text.c_str(), s.out);
  std::fflush(s.out);
}

void ResultPrinter::PrintSummary() {
  PrinterState& s = P();
  std::lock_guard<std::mutex> lock(s.mu);
  std::fputs(Summary(s.earned, s.max_points, s.passed, s.failed).c_str(), s.out);
  std::fflush(s.out);
}

int ResultPrinter::passed() const {
  std::lock_guard<std::mutex> lock(P().mu);
  return P().passed;
}

int ResultPrinter::failed() const {
  std::lock_guard<std::mutex> lock(P().mu);
  return P().failed;
}

ResultPrinter* TheResultPrinter() { return g_printer; }

void InstallResultPrinter() {
  ::testing::TestEventListeners& listeners = ::testing::UnitTest::GetInstance()->listeners();
  delete listeners.Release(listeners.default_result_printer());
  g_printer = new ResultPrinter(stdout);
  listeners.Append(g_printer);  // googletest owns it from now on
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = OnFatalSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_NODEFER;
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &sa, nullptr);
}

void EmergencyFail(const std::string& reason, uint64_t virtual_us) {
  PrinterState& s = P();
  std::string text;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    const uint64_t wall = rrr::Time::MonotonicUs() - s.wall_start_us;
    const uint64_t seed = CurrentIterationSeed();
    text = FormatResultLine(false, s.lab, s.part, s.name, 0, s.points, virtual_us, wall,
                            TestEnv::rpcs(), seed) + "\n";
    for (const std::string& f : s.failures) text += Indented(f, "");
    text += Indented(reason, "");
    text += std::string(kIndent) + "replay: " + ReplayCommand(s.full_name, seed) + "\n";
    std::vector<std::string> all = s.failures;
    all.push_back(reason);
    text += TraceHint(TraceTestEnd(s.full_name, seed, false, JoinFailures(all)));
    text += Summary(s.earned, s.max_points + s.points, s.passed, s.failed + 1);
    std::fputs(text.c_str(), s.out);
    std::fflush(s.out);
  }
  FlushTrace();
  _exit(1);
}

}  // namespace harness
}  // namespace janus
