// Tests of the serializability report page.
#include "labs/harness/checkers/ser_html.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace janus {
namespace harness {
namespace {

TxnRecord T(uint64_t id, int client, uint64_t begin, uint64_t end) {
  TxnRecord t;
  t.id = id;
  t.client = client;
  t.begin_us = begin;
  t.end_us = end;
  t.outcome = TxnOutcome::kCommitted;
  return t;
}

// Write skew: both on-call doctors check that the other is on call and go off call.
std::vector<TxnRecord> WriteSkew() {
  std::vector<TxnRecord> h = {
      T(1, 0, 0, 100).W("alice", "on-1").W("bob", "on-2"),
      T(2, 1, 200, 600).R("alice", "on-1", 1).R("bob", "on-2", 1).W("alice", "off-3"),
      T(3, 2, 250, 650).R("alice", "on-1", 1).R("bob", "on-2", 1).W("bob", "off</script>"),
      T(4, 0, 700, 800).R("alice", "off-3", 2).R("bob", "off</script>", 2),
  };
  h[1].label = "alice goes off call";
  return h;
}

TEST(SerHtml, DrawsTheWriteSkewCycleAndIsSelfContained) {
  const std::vector<TxnRecord> h = WriteSkew();
  const SerResult r = CheckSerializable(h);
  ASSERT_FALSE(r.ok);
  ASSERT_EQ(r.cycle.size(), 2u);
  const std::string html = RenderSerializabilityHtml("TxnTest.WriteSkew seed 3", h, r);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("TxnTest.WriteSkew seed 3"), std::string::npos);
  EXPECT_NE(html.find("NOT serializable"), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"ring\""), std::string::npos);
  // The transactions of the cycle and its edges, with why.
  EXPECT_NE(html.find(">T2</text>"), std::string::npos);
  EXPECT_NE(html.find(">T3</text>"), std::string::npos);
  EXPECT_NE(html.find("T2 -rw(bob)-&gt; T3"), std::string::npos);
  EXPECT_NE(html.find("T3 -rw(alice)-&gt; T2"), std::string::npos);
  EXPECT_NE(html.find("T2 read bob@1, T3 wrote bob@2"), std::string::npos);
  EXPECT_NE(html.find("rw(alice)</text>"), std::string::npos);
  EXPECT_NE(html.find("alice goes off call"), std::string::npos);
  EXPECT_NE(html.find("r alice@1='on-1'  r bob@1='on-2'  w alice='off-3'"), std::string::npos);
  // Nothing is fetched from elsewhere, and the value cannot close an element.
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("</script>"), std::string::npos);
  EXPECT_NE(html.find("off&lt;/script&gt;"), std::string::npos);
}

TEST(SerHtml, ShowsAnomaliesAndWritesTheFile) {
  std::vector<TxnRecord> h = {T(1, 0, 0, 10).W("x", "a"), T(2, 1, 20, 30).R("x", "a", 1)};
  h[0].outcome = TxnOutcome::kAborted;
  const SerResult r = CheckSerializable(h);
  ASSERT_FALSE(r.ok);
  const std::string path = ::testing::TempDir() + "ser_html_test.html";
  std::string error;
  ASSERT_TRUE(WriteSerializabilityHtml(path, "t", h, r, &error)) << error;
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), RenderSerializabilityHtml("t", h, r));
  EXPECT_NE(content.str().find("aborted read (G1a)"), std::string::npos);
  EXPECT_NE(content.str().find("<rect class=\"aborted\""), std::string::npos);
  std::remove(path.c_str());
  EXPECT_FALSE(WriteSerializabilityHtml("/nonexistent-dir/x.html", "t", h, r, &error));
  EXPECT_NE(error.find("/nonexistent-dir/x.html"), std::string::npos);
}

}  // namespace
}  // namespace harness
}  // namespace janus
