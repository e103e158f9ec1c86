// Runs every registered C++ test; the last line is "N passed, N failed" for CI.
#include <cstdio>

#include "check.h"

int main() {
  int passed = 0, failed = 0;
  for (const auto& c : xmrtest::registry()) {
    const int before = xmrtest::failures();
    c.fn();
    const bool ok = xmrtest::failures() == before;
    std::printf("%s %s\n", ok ? "ok  " : "FAIL", c.name);
    (ok ? passed : failed)++;
  }
  std::printf("native: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
