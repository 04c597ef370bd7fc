// harness::Note and harness::NoteRole: how lab code, reference or student, adds its own events
// to the trace of a test run (docs/trace-format.md: `note` and `role` events; the viewer draws
// them on the node's lane and role bands). Each is recorded with the current node and the
// virtual time. Without a trace they cost one load and a branch: the values are not even
// formatted. Usable anywhere in the labs (labs/raft/*.cc ...); outside a graded test driver
// (e.g. deptran_server) they do nothing.
//
//   harness::Note("became leader", term);          // text "became leader 7"
//   harness::Note("commit", commit_index, "->", n); // values joined with spaces
//   harness::NoteRole("leader", term);              // role: leader, candidate or follower
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>

namespace janus {
namespace harness {

namespace note_detail {
using TextSink = void (*)(const std::string& text);
using RoleSink = void (*)(const char* role, uint64_t term);
using ApplySink = void (*)(uint64_t index, const std::string& command);
extern TextSink g_text_sink;  // null: notes are off
extern RoleSink g_role_sink;
extern ApplySink g_apply_sink;

inline void Append(std::string* out, const std::string& v) { *out += v; }
inline void Append(std::string* out, const char* v) { *out += v != nullptr ? v : "(null)"; }
template <class T>
void Append(std::string* out, const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    *out += v ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    *out += std::to_string(v);
  } else if constexpr (std::is_enum_v<T>) {
    *out += std::to_string(static_cast<std::underlying_type_t<T>>(v));
  } else {
    static_assert(std::is_floating_point_v<T>, "harness::Note takes numbers and strings");
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", static_cast<double>(v));
    *out += buf;
  }
}
}  // namespace note_detail

// True while notes are recorded (a driver run with --trace).
inline bool NotesOn() { return note_detail::g_text_sink != nullptr; }

// Records a note: `text` followed by each value (numbers, bools, strings), separated by spaces.
template <class... Values>
void Note(const std::string& text, const Values&... values) {
  if (!NotesOn()) return;
  std::string line = text;
  ((line += ' ', note_detail::Append(&line, values)), ...);
  note_detail::g_text_sink(line);
}

// Records that the current node now has `role` ("leader", "candidate" or "follower") in `term`.
inline void NoteRole(const char* role, uint64_t term) {
  if (note_detail::g_role_sink != nullptr) note_detail::g_role_sink(role, term);
}

// For the harness's own node wrappers (labs/harness/raft/raft_node.cc), not for labs: the
// current node applied `command` (a short text) at `index`. Call only if NotesOn().
inline void NoteApply(uint64_t index, const std::string& command) {
  if (note_detail::g_apply_sink != nullptr) note_detail::g_apply_sink(index, command);
}

// Installs the receivers of notes (the harness's trace does; all null: notes off).
void SetNoteSinks(note_detail::TextSink text, note_detail::RoleSink role,
                  note_detail::ApplySink apply);

}  // namespace harness
}  // namespace janus
