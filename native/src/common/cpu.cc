#include "xmr/cpu.h"

#include <cpuid.h>

#include <cstdint>
#include <stdexcept>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

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

bool amx_bf16_usable() {
  static const bool usable = [] {
    if (detect_isa() < Isa::Avx512Bf16) return false;
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    const bool tile = (d >> 24) & 1, bf16 = (d >> 22) & 1;  // CPUID.(7,0):EDX AMX-TILE, AMX-BF16
    if (!tile || !bf16 || !__get_cpuid(1, &a, &b, &c, &d) || !((c >> 27) & 1)) return false;  // OSXSAVE
    uint32_t lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & (3u << 17)) != (3u << 17)) return false;  // XCR0: XTILECFG and XTILEDATA enabled
#if defined(__linux__)
    constexpr long kReqXcompPerm = 0x1023, kXfeatureXtiledata = 18;  // asm/prctl.h (Linux ≥ 5.16)
    return syscall(SYS_arch_prctl, kReqXcompPerm, kXfeatureXtiledata) == 0;
#else
    return false;
#endif
  }();
  return usable;
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
