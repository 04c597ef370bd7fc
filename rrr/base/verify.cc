#include "rrr/base/verify.h"

#include <execinfo.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "rrr/base/logging.h"

namespace rrr {

namespace {
thread_local bool t_verify_throws = false;
}  // namespace

VerifyThrowsScope::VerifyThrowsScope() : previous_(t_verify_throws) { t_verify_throws = true; }

VerifyThrowsScope::~VerifyThrowsScope() { t_verify_throws = previous_; }

void PrintBacktrace() {
  void* frames[64];
  int n = backtrace(frames, 64);
  static const char kHeader[] = "backtrace:\n";
  ssize_t ignored = write(STDERR_FILENO, kHeader, sizeof(kHeader) - 1);
  (void)ignored;
  backtrace_symbols_fd(frames, n, STDERR_FILENO);
}

void VerifyFailed(const char* expr, const char* file, int line, const char* message) {
  if (t_verify_throws) {
    throw VerifyError(std::string("verify failed: ") + expr + " at " + file + ":" +
                      std::to_string(line) + (message != nullptr ? ": " : "") +
                      (message != nullptr ? message : ""));
  }
  Log::Write(LogLevel::kFatal, "verify failed: %s at %s:%d%s%s", expr, file, line,
             message != nullptr ? ": " : "", message != nullptr ? message : "");
  if (Log::HasCustomSink()) {  // the reason for an abort must reach the terminal too
    std::string text = std::string("verify failed: ") + expr + " at " + file + ":" +
                       std::to_string(line) + (message != nullptr ? ": " : "") +
                       (message != nullptr ? message : "") + "\n";
    ssize_t ignored = write(STDERR_FILENO, text.data(), text.size());
    (void)ignored;
  }
  PrintBacktrace();
  abort();
}

}  // namespace rrr
