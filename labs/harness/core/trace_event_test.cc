// The structured trace's writer: JSON escaping, event lines, and the HTML embedding.
#include <gtest/gtest.h>

#include <string>

#include "labs/harness/core/note.h"
#include "labs/harness/core/trace_auto.h"
#include "labs/harness/core/trace_event.h"

namespace janus {
namespace harness {
namespace {

std::string Json(const std::string& s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

TEST(TraceJson, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(Json("a\\b"), "\"a\\\\b\"");
  EXPECT_EQ(Json("l1\nl2\tt\rr"), "\"l1\\nl2\\tt\\rr\"");
  EXPECT_EQ(Json(std::string("\x01\x1f\b\f", 4)), "\"\\u0001\\u001f\\b\\f\"");
  EXPECT_EQ(Json(std::string("nul\0x", 5)), "\"nul\\u0000x\"");
  EXPECT_EQ(Json("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // UTF-8 passes through
  EXPECT_EQ(Json("</script>"), "\"</script>\"");       // HTML escaping is the page's job
}

TEST(TraceJson, EventLineHasTypeTimeAndFieldsInOrder) {
  const std::string line = TraceEvent("send")
                               .Uint("id", 7)
                               .Int("from", -1)
                               .Str("args", "term=3 \"x\"")
                               .Bool("ok", true)
                               .Raw("groups", "[[0,1],[2]]")
                               .Json();
  EXPECT_EQ(line,
            "{\"ev\":\"send\",\"t_us\":0,\"id\":7,\"from\":-1,\"args\":\"term=3 \\\"x\\\"\","
            "\"ok\":true,\"groups\":[[0,1],[2]]}");
  EXPECT_EQ(TraceEvent("meta", false).Int("version", 1).Json(),
            "{\"ev\":\"meta\",\"version\":1}");
}

TEST(TraceJson, OffByDefaultAndNotesCostNothing) {
  EXPECT_FALSE(StructuredTrace());
  EXPECT_FALSE(NotesOn());
  Note("never formatted", 1, 2.5, true, "x");  // no sink: returns at once
  NoteRole("leader", 3);
}

TEST(TraceHtml, EmbedsEventsJoinedByCommasAndEscapesClosingTags) {
  const std::string page =
      RenderTraceHtml("{\"ev\":\"meta\"}\n\n{\"ev\":\"note\",\"text\":\"</script><b>\"}\n");
  EXPECT_EQ(page.find("/*@TRACE_EVENTS@*/"), std::string::npos);
  EXPECT_NE(page.find("{\"ev\":\"meta\"},\n{\"ev\":\"note\",\"text\":\"<\\/script><b>\"}"),
            std::string::npos);
  EXPECT_EQ(page.find("</script><b>"), std::string::npos);
  EXPECT_NE(page.find("<html"), std::string::npos) << "the viewer page is embedded";
}

}  // namespace
}  // namespace harness
}  // namespace janus
