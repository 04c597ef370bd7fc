// verify(expr): an always-on check of an internal invariant (not for validating input).
//
// On failure it logs the expression, file:line and a backtrace, then aborts the process; inside
// a VerifyThrowsScope it throws VerifyError instead (used where a failed check means bad input,
// e.g. deptran_server restoring saved state, which must end in a clean error, not an abort).
#ifndef RRR_BASE_VERIFY_H_
#define RRR_BASE_VERIFY_H_

#include <stdexcept>
#include <string>

namespace rrr {

// A failed verify inside a VerifyThrowsScope; what() is "verify failed: EXPR at FILE:LINE[: MSG]".
class VerifyError : public std::logic_error {
 public:
  explicit VerifyError(const std::string& what) : std::logic_error(what) {}
};

// While an instance lives, verify failures on this thread throw VerifyError instead of aborting.
// Nests; the previous mode comes back when it is destroyed. Meant for short, bounded stretches
// whose failures are the input's fault (a verify inside a noexcept function still terminates).
class VerifyThrowsScope {
 public:
  VerifyThrowsScope();
  ~VerifyThrowsScope();
  VerifyThrowsScope(const VerifyThrowsScope&) = delete;
  VerifyThrowsScope& operator=(const VerifyThrowsScope&) = delete;

 private:
  bool previous_;
};

// Reports a failed check and aborts (throws VerifyError inside a VerifyThrowsScope). `message` may be null. Used by the macros below.
[[noreturn]] void VerifyFailed(const char* expr, const char* file, int line, const char* message);

// Writes a symbolized backtrace of the calling thread to stderr (best effort).
void PrintBacktrace();

}  // namespace rrr

// Aborts with the expression text, file:line and a backtrace if `expr` is false.
#define verify(expr) \
  ((expr) ? static_cast<void>(0) : ::rrr::VerifyFailed(#expr, __FILE__, __LINE__, nullptr))

// Like verify, with an explanation (a C string) printed next to the expression.
#define verify_msg(expr, msg) \
  ((expr) ? static_cast<void>(0) : ::rrr::VerifyFailed(#expr, __FILE__, __LINE__, (msg)))

#endif  // RRR_BASE_VERIFY_H_
