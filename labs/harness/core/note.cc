#include "labs/harness/core/note.h"

namespace janus {
namespace harness {

namespace note_detail {
TextSink g_text_sink = nullptr;
RoleSink g_role_sink = nullptr;
ApplySink g_apply_sink = nullptr;
}  // namespace note_detail

void SetNoteSinks(note_detail::TextSink text, note_detail::RoleSink role,
                  note_detail::ApplySink apply) {
  note_detail::g_text_sink = text;
  note_detail::g_role_sink = role;
  note_detail::g_apply_sink = apply;
}

}  // namespace harness
}  // namespace janus
