#include "xmr/cpu.h"

#include <stdexcept>

namespace xmr {

Isa detect_isa() {
  // __builtin_cpu_supports consults CPUID and, for AVX/AVX-512, the OS-enabled XSAVE state (GCC >= 11 / Clang).
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  const bool bf16 = avx512 && __builtin_cpu_supports("avx512bf16");
  return bf16 ? Isa::Avx512Bf16 : avx512 ? Isa::Avx512 : avx2 ? Isa::Avx2 : Isa::Scalar;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Scalar: return "scalar";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
    case Isa::Avx512Bf16: return "avx512-bf16";
  }
  return "scalar";
}

void require_isa(Isa isa) {
  if (isa > detect_isa()) throw std::invalid_argument(std::string("this CPU does not support ") + isa_name(isa));
}

bool parse_isa(const std::string& name, Isa* out) {
  if (name == "auto") { *out = detect_isa(); return true; }
  for (Isa isa : {Isa::Scalar, Isa::Avx2, Isa::Avx512, Isa::Avx512Bf16}) {
    if (name == isa_name(isa)) { *out = isa; return true; }
  }
  return false;
}

}  // namespace xmr
