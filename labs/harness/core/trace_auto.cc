#include "labs/harness/core/trace_auto.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace janus {
namespace harness {

// Defined in the file that CMake generates from viewer.html (embed_text.cmake).
extern const char kTraceViewerHtml[];

namespace {

constexpr char kPlaceholder[] = "/*@TRACE_EVENTS@*/";

bool WriteFile(const std::string& path, const std::string& text, std::string* error) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    *error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace

std::string RenderTraceHtml(const std::string& jsonl) {
  std::string events;
  events.reserve(jsonl.size() + jsonl.size() / 16);
  size_t start = 0;
  while (start < jsonl.size()) {
    size_t end = jsonl.find('\n', start);
    if (end == std::string::npos) end = jsonl.size();
    if (end > start) {
      if (!events.empty()) events += ",\n";
      for (size_t i = start; i < end; i++) {
        events += jsonl[i];
        if (jsonl[i] == '<' && i + 1 < end && jsonl[i + 1] == '/') events += '\\';
      }
    }
    start = end + 1;
  }
  std::string page = kTraceViewerHtml;
  const size_t at = page.find(kPlaceholder);
  if (at == std::string::npos) return page;
  page.replace(at, sizeof(kPlaceholder) - 1, events);
  return page;
}

std::string AutoTraceBase(const std::string& dir, const std::string& test, uint64_t seed) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(dir, ec);
  if (ec) abs = dir;
  return abs.lexically_normal().string() + "/" + test + "-seed" + std::to_string(seed);
}

std::string WriteAutoTrace(const std::string& dir, const std::string& test, uint64_t seed,
                           const std::string& jsonl, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = "cannot create " + dir + ": " + ec.message();
    return "";
  }
  const std::string base = AutoTraceBase(dir, test, seed);
  if (!WriteFile(base + ".jsonl", jsonl, error)) return "";
  if (!WriteFile(base + ".html", RenderTraceHtml(jsonl), error)) return "";
  return base + ".html";
}

}  // namespace harness
}  // namespace janus
