// AVX-512F micro-kernels: up to 12 queries × 32 documents per step in 24 zmm accumulators.
#include <immintrin.h>

#include <algorithm>
#include <functional>
#include <type_traits>
#include <vector>

#include "../common/simd.h"
#include "../common/vector_types.h"
#include "score_kernels.h"
#include "topk_collect.h"
#include "xmr/target.h"

namespace xmr::detail {
namespace {

XMR_TARGET_BEGIN(XMR_ISA_AVX512)

using simd::VecAvx512;

#include "score_vector_kernels.inc"

// In-register transpose of a 16×16 block: r[i] holds row i on entry and column i on return
// (unpack pairs of rows, then pairs of pairs, then exchange 128-bit lanes twice).
inline void transpose16(__m512 r[16]) {
  __m512 t[16], u[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    u[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
    u[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
    u[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
    u[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
  }
  // u[4g + c] holds columns c, c+4, c+8, c+12 (one per 128-bit lane) of rows 4g .. 4g+3.
  for (int c = 0; c < 4; ++c) {
    const __m512 a = _mm512_shuffle_f32x4(u[c], u[c + 4], 0x88), b = _mm512_shuffle_f32x4(u[c], u[c + 4], 0xdd);
    const __m512 e = _mm512_shuffle_f32x4(u[c + 8], u[c + 12], 0x88), f = _mm512_shuffle_f32x4(u[c + 8], u[c + 12], 0xdd);
    r[c] = _mm512_shuffle_f32x4(a, e, 0x88);
    r[c + 8] = _mm512_shuffle_f32x4(a, e, 0xdd);
    r[c + 4] = _mm512_shuffle_f32x4(b, f, 0x88);
    r[c + 12] = _mm512_shuffle_f32x4(b, f, 0xdd);
  }
}

// Packing by 16×16 transposes: the scalar loop's stride-32 stores cost as much as the scoring
// when queries are few (100 queries over 1M × 128 documents).
void f32_pack(const float* docs, size_t dim, size_t count, size_t strips, float* packed) {
  size_t c0 = 0;
  for (; c0 + 16 <= count; c0 += 16) {
    float* base = packed + (c0 / 32) * dim * 32 + c0 % 32;
    const float* rows = docs + c0 * dim;
    size_t p0 = 0;
    for (; p0 + 16 <= dim; p0 += 16) {
      __m512 r[16];
      for (int i = 0; i < 16; ++i) r[i] = _mm512_loadu_ps(rows + i * dim + p0);
      transpose16(r);
      for (int i = 0; i < 16; ++i) _mm512_store_ps(base + (p0 + i) * 32, r[i]);
    }
    for (; p0 < dim; ++p0)
      for (size_t i = 0; i < 16; ++i) base[p0 * 32 + i] = rows[i * dim + p0];
  }
  for (size_t c = c0; c < strips * 32; ++c) {
    float* dst = packed + (c / 32) * dim * 32 + c % 32;
    for (size_t p = 0; p < dim; ++p) dst[p * 32] = c < count ? docs[c * dim + p] : 0.0f;
  }
}

// hit_key for 16 scores at once: −0 becomes +0 (x + 0), then the sign-dependent flip to an
// order-preserving integer in the high half and ~id in the low half. NaN never passes the compare.
size_t filter_keys(const float* s, size_t count, float threshold, int32_t first_id, uint64_t* out) {
  const __m512 thr = _mm512_set1_ps(threshold);
  const __m512i sign = _mm512_set1_epi32(static_cast<int>(0x80000000u));
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  size_t kept = 0;
  for (size_t j = 0; j < count; j += 16) {
    const __mmask16 tail = simd::tail_mask16(count - j);
    const __m512 v = _mm512_maskz_loadu_ps(tail, s + j);
    const __mmask16 win = _mm512_mask_cmp_ps_mask(tail, v, thr, _CMP_GT_OQ);
    if (win == 0) continue;
    const __m512i u = _mm512_castps_si512(_mm512_add_ps(v, _mm512_setzero_ps()));
    const __m512i ord = _mm512_xor_si512(u, _mm512_or_si512(_mm512_srai_epi32(u, 31), sign));
    // ~(first_id + j + l) = ~(first_id + j) − l, in wrapping 32-bit arithmetic
    const __m512i nid = _mm512_sub_epi32(
        _mm512_set1_epi32(static_cast<int>(~(static_cast<uint32_t>(first_id) + static_cast<uint32_t>(j)))), lane);
    // The half is a template argument: the extract's immediate must be a constant (clang refuses
    // a function argument even after inlining).
    const auto keys = [&](auto half) {
      const __m512i o = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(ord, decltype(half)::value));
      const __m512i i = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(nid, decltype(half)::value));
      return _mm512_or_si512(_mm512_slli_epi64(o, 32), i);
    };
    const __mmask8 lo = static_cast<__mmask8>(win), hi = static_cast<__mmask8>(win >> 8);
    _mm512_storeu_si512(out + kept, _mm512_maskz_compress_epi64(lo, keys(std::integral_constant<int, 0>{})));
    kept += static_cast<size_t>(__builtin_popcount(lo));
    _mm512_storeu_si512(out + kept, _mm512_maskz_compress_epi64(hi, keys(std::integral_constant<int, 1>{})));
    kept += static_cast<size_t>(__builtin_popcount(hi));
  }
  return kept;
}

// Quickselect whose partitions are vector compares and compresses, 8 keys per step: each pass
// splits the candidates around a median-of-three pivot into the keys above it and those below it
// (two buffers; a pass may write into the buffer it reads, never ahead of what it has read), and
// continues in the side that holds the k-th largest; a last pass keeps the keys ≥ it in place.
// std::nth_element's branchy partitions over the 2k reservoir took ~4% of a 100k × 384, 1,000-query,
// k = 100 call at 2 threads (perf on native/tools/topk_breakdown.cc).
HitKey select_keys(HitKey* keys, size_t n, size_t k) {
  thread_local std::vector<HitKey> buf;
  if (buf.size() < 2 * (n + 8)) buf.resize(2 * (n + 8));
  HitKey *above = buf.data(), *below = buf.data() + n + 8;
  const HitKey* src = keys;
  size_t m = n, need = k;  // the answer is the need-th largest of src[0 .. m)
  HitKey kth;
  for (;;) {
    if (m <= 16) {
      // The key with need − 1 keys above it: each key's rank by two compares against all of them.
      const __mmask8 lo = static_cast<__mmask8>(m >= 8 ? 0xffu : (1u << m) - 1);
      const __mmask8 hi = static_cast<__mmask8>(m >= 16 ? 0xffu : m > 8 ? (1u << (m - 8)) - 1 : 0u);
      const __m512i v0 = _mm512_maskz_loadu_epi64(lo, src), v1 = _mm512_maskz_loadu_epi64(hi, src + 8);
      kth = src[0];
      for (size_t i = 0; i < m; ++i) {
        const __m512i x = _mm512_set1_epi64(static_cast<long long>(src[i]));
        const int above = __builtin_popcount(_mm512_mask_cmpgt_epu64_mask(lo, v0, x)) +
                          __builtin_popcount(_mm512_mask_cmpgt_epu64_mask(hi, v1, x));
        if (static_cast<size_t>(above) == need - 1) {
          kth = src[i];
          break;
        }
      }
      break;
    }
    const HitKey a = src[0], b = src[m / 2], c = src[m - 1];
    const HitKey pivot = std::max(std::min(a, b), std::min(std::max(a, b), c));
    const __m512i p = _mm512_set1_epi64(static_cast<long long>(pivot));
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < m; i += 8) {
      const __mmask8 valid = static_cast<__mmask8>(m - i >= 8 ? 0xffu : (1u << (m - i)) - 1);
      const __m512i v = _mm512_maskz_loadu_epi64(valid, src + i);
      const __mmask8 gt = _mm512_mask_cmpgt_epu64_mask(valid, v, p), lt = _mm512_mask_cmplt_epu64_mask(valid, v, p);
      _mm512_storeu_si512(above + na, _mm512_maskz_compress_epi64(gt, v));
      na += static_cast<size_t>(__builtin_popcount(gt));
      _mm512_storeu_si512(below + nb, _mm512_maskz_compress_epi64(lt, v));
      nb += static_cast<size_t>(__builtin_popcount(lt));
    }
    if (na >= need) {
      src = above;
      m = na;
    } else if (na + 1 == need) {
      kth = pivot;
      break;
    } else {
      src = below;
      m = nb;
      need -= na + 1;
    }
  }
  const __m512i t = _mm512_set1_epi64(static_cast<long long>(kth));
  size_t kept = 0;
  for (size_t i = 0; i < n; i += 8) {
    const __mmask8 valid = static_cast<__mmask8>(n - i >= 8 ? 0xffu : (1u << (n - i)) - 1);
    const __m512i v = _mm512_maskz_loadu_epi64(valid, keys + i);
    const __mmask8 ge = _mm512_mask_cmpge_epu64_mask(valid, v, t);
    _mm512_storeu_si512(keys + kept, _mm512_maskz_compress_epi64(ge, v));
    kept += static_cast<size_t>(__builtin_popcount(ge));
  }
  return kth;
}

// gate_masks_avx512: the masks F32Kernel::score computes in registers, from scores in memory.
void gate_masks(const float* S, size_t rows, size_t strips, size_t lds, const float* gate, uint32_t* masks) {
  for (size_t r = 0; r < rows; ++r) {
    const __m512 g = _mm512_set1_ps(gate[r]);
    const float* row = S + r * lds;
    for (size_t s = 0; s < strips; ++s)
      masks[r * strips + s] = static_cast<uint32_t>(_mm512_cmp_ps_mask(_mm512_loadu_ps(row + s * 32), g, _CMP_NLE_UQ)) |
                              static_cast<uint32_t>(_mm512_cmp_ps_mask(_mm512_loadu_ps(row + s * 32 + 16), g, _CMP_NLE_UQ)) << 16;
  }
}

XMR_TARGET_END

}  // namespace

void gate_masks_avx512(const float* S, size_t rows, size_t strips, size_t lds, const float* gate, uint32_t* masks) {
  gate_masks(S, rows, strips, lds, gate, masks);
}

size_t filter_keys_avx512(const float* s, size_t count, float threshold, int32_t first_id, uint64_t* out) {
  return filter_keys(s, count, threshold, first_id, out);
}

HitKey select_keys_avx512(HitKey* keys, size_t n, size_t k) { return select_keys(keys, n, k); }

const F32Kernel& f32_kernel_avx512() {
  static const F32Kernel k{12, 32, f32_pack, f32_score_rows<VecAvx512, 12>};
  return k;
}

const Bf16Kernel& bf16_kernel_avx512() {
  static const Bf16Kernel k{12, false, 32, bf16_score_rows<VecAvx512, 12>};
  return k;
}

}  // namespace xmr::detail
