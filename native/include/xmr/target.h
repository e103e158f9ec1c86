// Compile the functions between XMR_TARGET_BEGIN(...) and XMR_TARGET_END for an instruction set,
// so one binary carries every ISA path and the dispatchers pick one per call (cpu.h).
// Only file-local code may sit between them: an inline or template function shared with other
// files, compiled here with wider instructions, could be the copy the linker keeps (and crash on
// an older CPU).
#pragma once

#define XMR_PRAGMA(x) _Pragma(#x)
#if defined(__clang__)
#define XMR_TARGET_BEGIN(isa) XMR_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define XMR_TARGET_END _Pragma("clang attribute pop")
#else
#define XMR_TARGET_BEGIN(isa) _Pragma("GCC push_options") XMR_PRAGMA(GCC target(isa))
#define XMR_TARGET_END _Pragma("GCC pop_options")
#endif

// The target strings of the instruction-set paths (cpu.h's Isa), in one place so that a path's
// kernels and the vector helpers they inline (common/simd.h, common/vector_types.h) agree: a helper
// compiled for more than its caller is not inlined. cpu.cc detect_isa tests the same features.
#define XMR_ISA_AVX2 "avx2,fma"
#define XMR_ISA_AVX512 "avx512f,avx512bw,avx512vl,avx512dq,fma"
#define XMR_ISA_AVX512BF16 "avx512f,avx512bw,avx512vl,avx512dq,avx512bf16,fma"
