// Golden tests: every testdata/*.rpc must compile to exactly testdata/<name>.expected.h, and
// every testdata/errors/*.rpc must fail with exactly testdata/errors/<name>.expected.err.
// After an intended change of the output, refresh the goldens with
//   RPCGEN_UPDATE_GOLDEN=1 ./rpcgen_tests --gtest_filter='Golden*'
// and review them with `git diff rrr/rpcgen/testdata`.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rrr/rpcgen/rpcgen.h"

namespace rrr {
namespace rpcgen {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> RpcFiles(const fs::path& dir) {
  std::vector<fs::path> v;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".rpc") v.push_back(e.path());
  }
  std::sort(v.begin(), v.end());
  return v;
}

bool Updating() {
  const char* v = getenv("RPCGEN_UPDATE_GOLDEN");
  return v != nullptr && v[0] != '\0' && std::string(v) != "0";
}

// Compares `actual` with the golden file, or rewrites it when updating.
void CheckGolden(const fs::path& golden, const std::string& actual) {
  if (Updating()) {
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; create it with "
                                  << "RPCGEN_UPDATE_GOLDEN=1 ./rpcgen_tests";
  EXPECT_EQ(actual, ReadFile(golden)) << "output differs from " << golden
                                      << " (refresh with RPCGEN_UPDATE_GOLDEN=1)";
}

TEST(GoldenTest, GeneratedHeaders) {
  std::vector<fs::path> files = RpcFiles(RPCGEN_TESTDATA_DIR);
  ASSERT_GE(files.size(), 3u);
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    std::string header, errors;
    ASSERT_TRUE(Compile(p.filename().string(), ReadFile(p), CheckOptions(), &header, &errors))
        << errors;
    fs::path golden = p;
    golden.replace_extension(".expected.h");
    CheckGolden(golden, header);
  }
}

TEST(GoldenTest, ErrorMessages) {
  std::vector<fs::path> files = RpcFiles(fs::path(RPCGEN_TESTDATA_DIR) / "errors");
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    std::string header, errors;
    ASSERT_FALSE(Compile(p.filename().string(), ReadFile(p), CheckOptions(), &header, &errors));
    fs::path golden = p;
    golden.replace_extension(".expected.err");
    CheckGolden(golden, errors);
  }
}

// Every prefix of every good input either compiles or fails with located errors; none crashes.
TEST(GoldenTest, TruncatedInputsFailCleanly) {
  for (const fs::path& p : RpcFiles(RPCGEN_TESTDATA_DIR)) {
    std::string src = ReadFile(p);
    for (size_t n = 0; n < src.size(); n++) {
      std::string header, errors;
      if (!Compile("t.rpc", src.substr(0, n), CheckOptions(), &header, &errors)) {
        ASSERT_EQ(errors.compare(0, 6, "t.rpc:"), 0) << errors;
        ASSERT_EQ(errors.back(), '\n');
      }
    }
  }
}

}  // namespace
}  // namespace rpcgen
}  // namespace rrr
