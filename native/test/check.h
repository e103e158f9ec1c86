// A minimal test harness for the Node-free C++ tests (no third-party framework to install):
// XMR_TEST registers a case, CHECK records a failure with file and line and carries on.
#pragma once
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "xmr/cpu.h"

namespace xmrtest {

struct Case {
  const char* name;
  std::function<void()> fn;
};

inline std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

inline int& failures() {
  static int n = 0;
  return n;
}

struct Register {
  Register(const char* name, std::function<void()> fn) { registry().push_back({name, std::move(fn)}); }
};

inline void fail(const char* file, int line, const std::string& what) {
  if (++failures() <= 20) std::fprintf(stderr, "  %s:%d: %s\n", file, line, what.c_str());
}

// The paths among `paths` this CPU runs (the kernel tests compare each with the scalar one).
inline std::vector<xmr::Isa> runnable(std::initializer_list<xmr::Isa> paths) {
  std::vector<xmr::Isa> out;
  for (xmr::Isa i : paths)
    if (i <= xmr::detect_isa()) out.push_back(i);
  return out;
}

}  // namespace xmrtest

#define XMR_CONCAT2(a, b) a##b
#define XMR_CONCAT(a, b) XMR_CONCAT2(a, b)
#define XMR_TEST(name)                                                                   \
  static void XMR_CONCAT(test_, __LINE__)();                                             \
  static xmrtest::Register XMR_CONCAT(reg_, __LINE__)(name, XMR_CONCAT(test_, __LINE__)); \
  static void XMR_CONCAT(test_, __LINE__)()
#define CHECK(cond)                                              \
  do {                                                           \
    if (!(cond)) xmrtest::fail(__FILE__, __LINE__, "CHECK(" #cond ")"); \
  } while (0)
#define CHECK_MSG(cond, msg)                                    \
  do {                                                          \
    if (!(cond)) xmrtest::fail(__FILE__, __LINE__, (msg));      \
  } while (0)
