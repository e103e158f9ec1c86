// Probes of this machine's limits for `xmrbench profile`: the peak rate of fused multiply-adds
// (float32, and bfloat16 dot products where AVX512-BF16 is present, on AMX tiles where usable)
// and the memory bandwidth of STREAM's copy and triad (McCalpin 1995). Each is run on a chosen
// number of threads and timed here, around the parallel region, with a steady clock.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "xmr/cpu.h"

namespace xmr {

enum class FmaKind { F32, Bf16 };
enum class StreamKind { Copy, Triad };

struct ProbeTiming {
  double work;     // floating-point operations (FMA probe) or bytes (STREAM probe, per repeat)
  double seconds;  // wall time of the parallel region
};

// Every thread runs `iterations` steps of 12 independent multiply-add chains, one vector register
// each (12 > latency × ports of any current core, so the chains never wait on each other):
// float32 FMA on the ISA's widest vectors (scalar: a multiply and an add), or with kind Bf16,
// VDPBF16PS (32 bf16 products summed pairwise into 16 float32 lanes) — or, where
// amx_bf16_usable(), 4 chains of AMX's TDPBF16PS (16 × 16 × 32 products each), as the bf16 top-k
// kernels then run. Flops count a multiply and an add as two. Throws std::invalid_argument for
// Bf16 below the avx512-bf16 path.
ProbeTiming fma_probe(FmaKind kind, uint64_t iterations, int threads, Isa isa);

// STREAM on three arrays of n floats, each thread on its own contiguous share (and first touch of
// it): copy c = a; triad a = b + q·c. Runs `repeats` times and returns each repeat's timing; work is
// STREAM's byte count, 8n (copy) or 12n (triad) — no write-allocate traffic counted.
std::vector<ProbeTiming> stream_probe(StreamKind kind, size_t n, int repeats, int threads, Isa isa);

}  // namespace xmr
