// The files of a structured trace for a person to open: the JSON lines themselves and the
// viewer page with the events embedded (docs/trace-format.md, "HTML embedding"). Used by
// --trace=auto for each failing test.
#pragma once

#include <cstdint>
#include <string>

namespace janus {
namespace harness {

// The viewer page (labs/harness/trace_view/viewer.html, embedded into the binary at build
// time) with `/*@TRACE_EVENTS@*/` replaced by the event lines of `jsonl` joined with ","
// (empty lines skipped; every "</" written as "<\/").
std::string RenderTraceHtml(const std::string& jsonl);

// The absolute path, without extension, of the files WriteAutoTrace writes:
// <dir>/<test>-seed<S>.
std::string AutoTraceBase(const std::string& dir, const std::string& test, uint64_t seed);

// Writes <dir>/<test>-seed<S>.jsonl (= `jsonl`) and <dir>/<test>-seed<S>.html, creating `dir`
// if needed. Returns the HTML's absolute path, or "" with *error set.
std::string WriteAutoTrace(const std::string& dir, const std::string& test, uint64_t seed,
                           const std::string& jsonl, std::string* error);

}  // namespace harness
}  // namespace janus
