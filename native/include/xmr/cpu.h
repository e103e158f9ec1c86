// Instruction-set paths and their run-time detection. Kernels are compiled for every path in one
// binary (GCC/Clang target attributes), and one is chosen per call, never by the build machine's flags.
#pragma once
#include <string>

namespace xmr {

// Ordered from least to most capable: a path is usable when the CPU supports it and every lower one.
enum class Isa { Scalar = 0, Avx2 = 1, Avx512 = 2, Avx512Bf16 = 3 };

// The most capable path this CPU (and OS, for the AVX register state) supports.
Isa detect_isa();

// "scalar" | "avx2" | "avx512" | "avx512-bf16"
const char* isa_name(Isa isa);

// Throws std::invalid_argument("this CPU does not support <name>") unless this CPU runs `isa`:
// the kernels' one check of a requested path (the bindings check first, with the best path named).
void require_isa(Isa isa);

// Whether the avx512-bf16 path may also use AMX tiles (TDPBF16PS): this CPU runs that path, has
// AMX-TILE and AMX-BF16, the OS enables their register state, and — on Linux, where a process must
// ask for the 8 KB of tile data its threads' context switches then save — the request (made once,
// for the whole process) was granted. Not an Isa of its own: on a path's name the scores of both kernels
// are the float32 sums of the same exact bf16 products, accumulated in the same order.
bool amx_bf16_usable();

// Parses an ISA name; "auto" gives detect_isa(). Returns false for an unknown name.
bool parse_isa(const std::string& name, Isa* out);

}  // namespace xmr
