// verify() aborts (checked by death test) except inside a VerifyThrowsScope, where it throws
// rrr::VerifyError naming the expression, the place and the message; scopes nest.
#include "rrr/base/verify.h"

#include <gtest/gtest.h>

#include <string>

namespace rrr {
namespace {

TEST(VerifyDeathTest, AbortsOutsideAScope) {
  EXPECT_DEATH(verify_msg(1 + 1 == 3, "arithmetic"), "verify failed: 1 \\+ 1 == 3");
}

TEST(Verify, ThrowsInsideAScopeAndAbortsAgainAfter) {
  {
    VerifyThrowsScope outer;
    {
      VerifyThrowsScope inner;
      EXPECT_THROW(verify(false), VerifyError);
    }
    try {
      verify_msg(2 < 1, "order");
      FAIL() << "no exception";
    } catch (const VerifyError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind("verify failed: 2 < 1 at ", 0), 0u) << what;
      EXPECT_NE(what.find("verify_test.cc:"), std::string::npos) << what;
      EXPECT_EQ(what.substr(what.size() - 7), ": order") << what;
    }
  }
  EXPECT_DEATH(verify(false), "verify failed");
}

}  // namespace
}  // namespace rrr
