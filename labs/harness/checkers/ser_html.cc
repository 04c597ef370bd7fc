#include "labs/harness/checkers/ser_html.h"

#include <fstream>

namespace janus {
namespace harness {

// STUB (being implemented on h/ser).
std::string RenderSerializabilityHtml(const std::string& title,
                                      const std::vector<TxnRecord>& txns,
                                      const SerResult& result) {
  (void)txns;
  return "<!DOCTYPE html><html><body><h1>" + title + "</h1><p>" + result.explanation +
         "</p></body></html>\n";
}

bool WriteSerializabilityHtml(const std::string& path, const std::string& title,
                              const std::vector<TxnRecord>& txns, const SerResult& result,
                              std::string* error) {
  std::ofstream out(path);
  out << RenderSerializabilityHtml(title, txns, result);
  out.close();
  if (!out) {
    *error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace harness
}  // namespace janus
