// Tests of the history recorder and of the HTML report.
#include "labs/harness/checkers/lin_html.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "labs/harness/checkers/kv_history.h"
#include "labs/harness/checkers/linearizability.h"

namespace janus {
namespace harness {
namespace {

TEST(KvHistory, RecordsOrderingPointsInObservedOrder) {
  KvHistory h;
  const size_t a = h.Call(1, KvOpKind::kPut, "k", "v");
  const size_t b = h.Call(2, KvOpKind::kGet, "k", "");
  h.Return(a, "");
  h.Return(b, "v");
  const size_t c = h.Call(1, KvOpKind::kAppend, "k", "w");
  ASSERT_EQ(h.ops().size(), 3u);
  EXPECT_EQ(h.completed(), 2u);
  EXPECT_LT(h.ops()[a].call, h.ops()[b].call);
  EXPECT_LT(h.ops()[b].call, h.ops()[a].ret);
  EXPECT_LT(h.ops()[a].ret, h.ops()[b].ret);
  EXPECT_LT(h.ops()[b].ret, h.ops()[c].call);
  EXPECT_EQ(h.ops()[b].output, "v");
  EXPECT_FALSE(h.ops()[c].returned);
  EXPECT_LE(h.ops()[a].call_us, h.ops()[a].return_us);
  h.AddEventAt(42, "disconnect s1");
  ASSERT_EQ(h.events().size(), 1u);
  EXPECT_EQ(h.events()[0].time_us, 42u);
  // The recorded history is linearizable (the Get overlaps the Put and saw it).
  EXPECT_EQ(CheckKvLinearizable(h.ops(), LinOptions{}).verdict, LinVerdict::kOk);
}

KvOp Op(int client, KvOpKind kind, const std::string& value, const std::string& output,
        uint64_t call_us, uint64_t return_us, uint64_t call, uint64_t ret) {
  KvOp op;
  op.client = client;
  op.kind = kind;
  op.key = "key-1";
  op.value = value;
  op.output = output;
  op.call = call;
  op.ret = ret;
  op.call_us = call_us;
  op.return_us = return_us;
  return op;
}

TEST(LinHtml, ShowsStuckOperationsFaultsAndIsSelfContained) {
  std::vector<KvOp> ops = {
      Op(0, KvOpKind::kAppend, "x", "", 1000, 2000, 1, 2),
      Op(1, KvOpKind::kAppend, "y", "", 3000, 4000, 3, 4),
      // A lost append, and a value that tries to close the script element.
      Op(2, KvOpKind::kGet, "", "x</script><b>", 5000, 6000, 5, 6),
  };
  std::vector<TimedEvent> events = {{2500, "partition [0 1] [2 3 4]"}, {9000, "heal"}};
  LinResult r = CheckKvLinearizable(ops, LinOptions{});
  ASSERT_EQ(r.verdict, LinVerdict::kIllegal);
  const std::string html = RenderLinearizabilityHtml("KvTest.Lost seed 7", ops, r, events);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("KvTest.Lost seed 7"), std::string::npos);
  EXPECT_NE(html.find("partition [0 1] [2 3 4]"), std::string::npos);
  EXPECT_NE(html.find("\"stuck\""), std::string::npos);
  EXPECT_NE(html.find("key-1"), std::string::npos);
  // Nothing is fetched from elsewhere.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  // The value was escaped: exactly one closing script tag (the page's own).
  size_t closes = 0;
  for (size_t at = html.find("</script>"); at != std::string::npos;
       at = html.find("</script>", at + 1)) {
    closes++;
  }
  EXPECT_EQ(closes, 1u);
}

TEST(LinHtml, WritesTheFile) {
  std::vector<KvOp> ops = {Op(0, KvOpKind::kPut, "a", "", 10, 20, 1, 2),
                           Op(1, KvOpKind::kGet, "", "", 30, 40, 3, 4)};
  LinResult r = CheckKvLinearizable(ops, LinOptions{});
  ASSERT_EQ(r.verdict, LinVerdict::kIllegal);
  const std::string path = ::testing::TempDir() + "lin_html_test.html";
  std::string error;
  ASSERT_TRUE(WriteLinearizabilityHtml(path, "t", ops, r, {}, &error)) << error;
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), RenderLinearizabilityHtml("t", ops, r, {}));
  std::remove(path.c_str());
  EXPECT_FALSE(WriteLinearizabilityHtml("/nonexistent-dir/x.html", "t", ops, r, {}, &error));
  EXPECT_NE(error.find("/nonexistent-dir/x.html"), std::string::npos);
}

TEST(LinHtml, LinksOperationsIntoTheTraceTimeline) {
  std::vector<KvOp> ops = {Op(0, KvOpKind::kPut, "a", "", 1000, 2000, 1, 2),
                           Op(1, KvOpKind::kGet, "", "", 3000, 4000, 3, 4)};
  LinResult r = CheckKvLinearizable(ops, LinOptions{});
  ASSERT_EQ(r.verdict, LinVerdict::kIllegal);
  // Display times start at the first call (1000); the trace's t_us 0 is reactor time 400.
  const std::string html =
      RenderLinearizabilityHtml("t", ops, r, {}, LinTraceLink{"KvA.X-trace.html", "KvA.X", 400});
  EXPECT_NE(html.find("trace: {page: \"KvA.X-trace.html\", test: \"KvA.X\", offset: 600}"),
            std::string::npos);
  EXPECT_NE(html.find("#t=\""), std::string::npos);
  // No trace page, or no times to map: no links.
  EXPECT_NE(RenderLinearizabilityHtml("t", ops, r, {}).find("trace: null"), std::string::npos);
  for (KvOp& op : ops) op.call_us = op.return_us = 0;
  EXPECT_NE(RenderLinearizabilityHtml("t", ops, r, {}, LinTraceLink{"p.html", "KvA.X", 0})
                .find("trace: null"),
            std::string::npos);
}

}  // namespace
}  // namespace harness
}  // namespace janus
