// verify(expr): an always-on check of an internal invariant (not for validating input).
//
// On failure it logs the expression, file:line and a backtrace, then aborts the process.
#ifndef RRR_BASE_VERIFY_H_
#define RRR_BASE_VERIFY_H_

namespace rrr {

// Reports a failed check and aborts. `message` may be null. Used by the macros below.
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
