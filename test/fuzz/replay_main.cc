// A main() for fuzz targets built without libFuzzer: replays a seed corpus through
// LLVMFuzzerTestOneInput so every ordinary build checks the target on its corpus.
//
//   <target>_corpus_replay [--no-prefixes] PATH...
// Each PATH is a file or a directory (its regular files, in name order). Every input is run
// whole and, unless --no-prefixes, also cut at every shorter length (cheap extra coverage of
// truncated input). Exits 0 after all inputs ran; a crash, an abort or an escaping exception
// is the failure. Exits 2 if no input was found (a wrong path must not pass silently).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> CollectInputs(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const std::string& p : paths) {
    if (fs::is_directory(p)) {
      std::vector<fs::path> in_dir;
      for (const auto& entry : fs::directory_iterator(p)) {
        if (entry.is_regular_file()) in_dir.push_back(entry.path());
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (fs::is_regular_file(p)) {
      files.emplace_back(p);
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", p.c_str());
    }
  }
  return files;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
  bool prefixes = true;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; i++) {
    const std::string arg = argv[i];
    if (arg == "--no-prefixes") {
      prefixes = false;
    } else {
      paths.push_back(arg);
    }
  }
  const std::vector<fs::path> files = CollectInputs(paths);
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--no-prefixes] FILE_OR_DIR...  (no input found)\n", argv[0]);
    return 2;
  }
  size_t runs = 0;
  for (const fs::path& file : files) {
    const std::string bytes = ReadFile(file);
    // The whole input first, then its proper prefixes, each in an exactly-sized heap copy so
    // that a sanitizer build catches reads past the end.
    for (size_t k = 0; k <= (prefixes ? bytes.size() : 0); k++) {
      const size_t n = k == 0 ? bytes.size() : k - 1;
      const std::vector<uint8_t> input(bytes.begin(), bytes.begin() + static_cast<long>(n));
      try {
        LLVMFuzzerTestOneInput(input.data(), input.size());
      } catch (const std::exception& e) {
        std::fprintf(stderr, "replay: %s (first %zu bytes): uncaught exception: %s\n",
                     file.c_str(), n, e.what());
        return 1;
      }
      runs++;
    }
  }
  std::printf("replay: %zu files, %zu runs, no failure\n", files.size(), runs);
  return 0;
}
