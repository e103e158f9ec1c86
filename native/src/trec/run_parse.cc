// The line parser of TREC runs (see xmr/trec_run.h for the format). Ordinary lines are split by
// the vector paths (RunLineKernels: one 64-byte view of the line gives its line end and the bounds
// of its first six fields as bit masks); every other line — a comment, a blank line, one of 64 bytes
// or more, one the vector path would refuse — is read by scalar_line, one pass over its bytes,
// parsing the score as it is scanned. Any irregularity drops to fail(), which re-splits the line to
// say exactly what is wrong. The vector paths accept a line only where scalar_line would give the
// same row, so the two agree on every input. On the vector paths nothing loops per byte of a field:
// the score's digits are combined by multiply-adds (score16) and the docno hashed in one vector
// multiply (hash16); the score's division waits to be done eight at a time (divide).
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "xmr/target.h"
#include "xmr/trec_run.h"

namespace xmr::trec {
namespace {

constexpr uint32_t kFnvOffset = 0x811c9dc5u;
constexpr uint32_t kFnvPrime = 0x01000193u;
// docno_hash's word multipliers (odd, so each word's product is a bijection of the word).
constexpr uint32_t kWordMul[4] = {0x9E3779B1u, 0x85EBCA77u, 0xC2B2AE3Du, 0x27D4EB2Fu};

// Exact powers of ten 10^0 … 10^22 (every one is a double).
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

inline uint32_t finish_hash(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  return h ^ (h >> 13);
}

// Fields are separated by spaces, tabs and \r, as the qrels reader (read.ts splitLine) splits them;
// every other byte, control bytes included, belongs to a field (trec_eval, splitting on isspace,
// also keeps them). A line end ends the last field.
inline bool is_blank(uint8_t c) { return c == ' ' || c == '\t' || c == '\r'; }
inline bool in_token(uint8_t c) { return c > ' ' || (c != ' ' && c != '\t' && c != '\r' && c != '\n'); }

// The score b[s, e) as trec_eval's atof reads it, but strict: a decimal literal
// `[+-]digits[.digits][e[+-]digits]` (or `[+-].digits…`), correctly rounded (strtod is, as is the
// TypeScript side's Number()), or an infinity — `[+-]inf` or `[+-]infinity` in any case, or a
// literal beyond the double range, which strtod reads as ±HUGE_VAL: a run may rank the documents it
// filtered out at -inf, and trec_eval ranks them. NaN for anything else, a NaN literal included: it
// has no rank (trec_eval's comparator calls it equal to every score, so its place would be whatever
// its qsort happens to compare). Values that underflow to 0 or a subnormal are accepted as
// JavaScript accepts them.
double slow_decimal(const uint8_t* b, size_t s, size_t e) {
  size_t i = s;
  const bool negative = i < e && b[i] == '-';
  if (i < e && (b[i] == '+' || b[i] == '-')) i++;
  const auto spells = [&](const char* word) {
    const size_t len = std::strlen(word);
    if (e - i != len) return false;
    for (size_t j = 0; j < len; ++j)
      if ((b[i + j] | 0x20) != word[j]) return false;
    return true;
  };
  if (spells("inf") || spells("infinity")) return negative ? -HUGE_VAL : HUGE_VAL;
  size_t int_digits = 0, frac_digits = 0;
  while (i < e && b[i] >= '0' && b[i] <= '9') i++, int_digits++;
  if (i < e && b[i] == '.') {
    i++;
    while (i < e && b[i] >= '0' && b[i] <= '9') i++, frac_digits++;
  }
  if (int_digits + frac_digits == 0) return NAN;
  if (i < e && (b[i] == 'e' || b[i] == 'E')) {
    i++;
    if (i < e && (b[i] == '+' || b[i] == '-')) i++;
    size_t exp_digits = 0;
    while (i < e && b[i] >= '0' && b[i] <= '9') i++, exp_digits++;
    if (exp_digits == 0) return NAN;
  }
  if (i != e) return NAN;
  const std::string text(reinterpret_cast<const char*>(b + s), e - s);
  return std::strtod(text.c_str(), nullptr);
}

// `[+-]digits` with at most 10 digits, within ±(2^31 − 1): what the TypeScript side accepts as an
// integer field (numbers.ts parseInteger).
bool is_integer(const uint8_t* b, size_t s, size_t e) {
  size_t i = s;
  bool neg = false;
  if (i < e && (b[i] == '+' || b[i] == '-')) neg = b[i++] == '-';
  if (i == e || e - i > 10) return false;
  int64_t v = 0;
  for (; i < e; i++) {
    if (b[i] < '0' || b[i] > '9') return false;
    v = v * 10 + (b[i] - '0');
  }
  return (neg ? -v : v) <= 2147483647 && (neg ? -v : v) >= -2147483647;
}

// The score field b[s, e): `[+-]digits[.digits]` with at most 15 digits is ±m / 10^f, one correctly
// rounded division of two exact doubles (Clinger 1990; the sign may go on m, since rounding to
// nearest is symmetric); anything else goes through slow_decimal. Sets *value = ±m and *div = 10^f
// (*div = 1 after slow_decimal) for emit(), which divides later; false when it is not a number. The
// same rule as scalar_line's, which applies it while scanning, and score16's.
inline bool token_score(const uint8_t* b, size_t s, size_t e, double* value, double* div) {
  size_t i = s;
  if (b[i] == '+' || b[i] == '-') i++;
  uint64_t mant = 0;
  size_t digits = 0, frac = 0;
  for (; i < e && b[i] >= '0' && b[i] <= '9'; i++, digits++) mant = mant * 10 + (b[i] - '0');
  if (i < e && b[i] == '.') {
    for (i++; i < e && b[i] >= '0' && b[i] <= '9'; i++, frac++) mant = mant * 10 + (b[i] - '0');
    digits += frac;
  }
  if (i != e || digits == 0 || digits > 15) {
    *value = slow_decimal(b, s, e);
    *div = 1;
    return !std::isnan(*value);
  }
  *value = b[s] == '-' ? -static_cast<double>(mant) : static_cast<double>(mant);
  *div = kPow10[frac];
  return true;
}

}  // namespace

uint32_t docno_hash(const uint8_t* b, size_t n) {
  uint32_t h = kFnvOffset ^ static_cast<uint32_t>(n);
  for (size_t i = 0; i < n; i += 16) {
    uint8_t block[16] = {};
    std::memcpy(block, b + i, std::min<size_t>(16, n - i));
    uint32_t sum = 0;
    for (int w = 0; w < 4; w++) {
      uint32_t word;
      std::memcpy(&word, block + 4 * w, 4);  // little-endian, as on every target of this file
      sum += word * kWordMul[w];
    }
    h = (h ^ sum) * kFnvPrime;
  }
  return finish_hash(h);
}

RunRangeParser::RunRangeParser(Isa isa) : isa_(isa) {
  require_isa(isa);
}

void RunRangeParser::reserve(size_t rows, size_t arena_bytes) {
  scores_.reserve(rows);
  start_.reserve(rows);
  len_.reserve(rows);
  hash_.reserve(rows);
  arena_.reserve(arena_bytes);
}

int32_t RunRangeParser::query_id(const uint8_t* s, size_t n) {
  if (prev_q_ >= 0) {
    const uint32_t a = prev_q_ == 0 ? 0 : qid_ends_[prev_q_ - 1];
    if (qid_ends_[prev_q_] - a == n && std::memcmp(qid_bytes_.data() + a, s, n) == 0) return prev_q_;
  }
  auto [it, added] = qid_table_.try_emplace(std::string(reinterpret_cast<const char*>(s), n), static_cast<int32_t>(qid_ends_.size()));
  if (added) {
    qid_bytes_.insert(qid_bytes_.end(), s, s + n);
    qid_ends_.push_back(static_cast<uint32_t>(qid_bytes_.size()));
  }
  return prev_q_ = it->second;
}

// Splits the line at b[p] as the TypeScript side did (tokens: runs of bytes other than space, tab,
// \r and \n) and records what is wrong with it.
void RunRangeParser::fail(const uint8_t* b, size_t p, size_t n) {
  size_t tok[12];
  int nt = 0;
  for (;;) {
    while (p < n && is_blank(b[p])) p++;
    if (p >= n || b[p] == '\n') break;
    const size_t s = p;
    while (p < n && in_token(b[p])) p++;
    if (nt < 6) tok[2 * nt] = s, tok[2 * nt + 1] = p;
    nt++;
  }
  error_.line = lines_;
  if (nt < 6) {
    error_.kind = RunErrorKind::Fields;
    error_.fields = nt;
    return;
  }
  const bool rank_ok = is_integer(b, tok[6], tok[7]);
  const size_t k = rank_ok ? 8 : 6;
  error_.kind = rank_ok ? RunErrorKind::Score : RunErrorKind::Rank;
  error_.token.assign(reinterpret_cast<const char*>(b + tok[k]), tok[k + 1] - tok[k]);
}

// Before the row of line lines_ (counted already) for query q: records (row, q) where the query
// changes and (row, lines before it that are not rows) where that count changes. The vector paths
// call it only when a line's query id differs from the previous vector-read line's (and
// scalar_line, which reads every other line, makes the next vector-read line count as differing),
// since otherwise neither can change.
inline void RunRangeParser::mark_row(int32_t q) {
  const size_t i = rows_;
  if (qruns_.empty() || qruns_.back().second != q) qruns_.emplace_back(i, q);
  const int64_t skipped = lines_ - 1 - static_cast<int64_t>(i);
  if ((skips_.empty() ? 0 : skips_.back().second) != skipped) skips_.emplace_back(i, skipped);
}

// Appends a row whose score is mant / div. A docno of up to 16 bytes with 16 readable (`avail`) is
// copied as 16 bytes (the arena has 16 bytes of slack): one load and store instead of a call to memcpy.
inline void RunRangeParser::emit(double mant, double div, const uint8_t* docno, size_t dn, size_t avail, uint32_t hash) {
  const size_t i = rows_++;
  scores_[i] = mant;
  divisors_[i - divided_] = div;
  if (rows_ - divided_ == kDivBatch) divide();
  start_[i] = static_cast<uint32_t>(used_);
  len_[i] = static_cast<int32_t>(dn);
  hash_[i] = static_cast<int32_t>(hash);
  if (dn <= 16 && avail >= 16) std::memcpy(arena_.data() + used_, docno, 16);
  else std::memcpy(arena_.data() + used_, docno, dn);
  used_ += dn;
}

XMR_TARGET_BEGIN(XMR_ISA_AVX512)
static void divide_avx512(double* x, const double* d) {
  for (size_t j = 0; j < 64; j += 8) _mm512_storeu_pd(x + j, _mm512_div_pd(_mm512_loadu_pd(x + j), _mm512_load_pd(d + j)));
}
XMR_TARGET_END

// Divides the rows not yet divided by their divisors: one scalar division per line sat on the line's
// path (the instruction after it had the most samples of the vector paths, 10%); eight at a time in
// one vector instruction, after 64 lines, do not.
void RunRangeParser::divide() {
  static_assert(kDivBatch == 64, "divide_avx512 divides 64 rows");
  double* x = scores_.data() + divided_;
  const size_t m = rows_ - divided_;
  if (m == kDivBatch && isa_ >= Isa::Avx512) divide_avx512(x, divisors_);
  else for (size_t j = 0; j < m; j++) x[j] /= divisors_[j];
  divided_ = rows_;
}

// Reads the line at b[p] (p < n); returns the position after it, or SIZE_MAX when it is malformed.
size_t RunRangeParser::scalar_line(const uint8_t* b, size_t p, size_t n) {
  // b[p] past the end reads as a line end, so every scan below stops at the region's end.
  auto at = [&](size_t i) -> uint8_t { return i < n ? b[i] : '\n'; };
  lines_++;
  fast_q_ = -1;  // the next vector-read line calls mark_row
  const size_t line_start = p;
  while (p < n && is_blank(b[p])) p++;
  if (p >= n || b[p] == '\n') return p + 1;  // blank line
  if (b[p] == '#') {
    while (p < n && b[p] != '\n') p++;
    return p + 1;  // comment
  }
  const size_t qs = p;
  while (in_token(at(p))) p++;
  const int32_t q = query_id(b + qs, p - qs);
  while (is_blank(at(p))) p++;  // Q0 (ignored)
  if (!in_token(at(p))) return fail(b, line_start, n), SIZE_MAX;
  while (in_token(at(p))) p++;
  while (is_blank(at(p))) p++;  // docno
  if (!in_token(at(p))) return fail(b, line_start, n), SIZE_MAX;
  const size_t ds = p;
  while (in_token(at(p))) p++;
  const size_t dn = p - ds;
  while (is_blank(at(p))) p++;  // rank: an integer (is_integer), otherwise unused
  const size_t rs = p;
  if (at(p) == '+' || at(p) == '-') p++;
  while (at(p) >= '0' && at(p) <= '9') p++;
  if (in_token(at(p)) || !is_integer(b, rs, p)) return fail(b, line_start, n), SIZE_MAX;
  while (is_blank(at(p))) p++;
  // score: `[+-]digits[.digits]` with at most 15 digits is m / 10^f, one correctly rounded
  // division of two exact doubles (Clinger 1990); anything else goes through slow_decimal.
  const size_t ss = p;
  if (at(p) == '+' || at(p) == '-') p++;
  const size_t d0 = p;
  uint64_t mant = 0;
  while (at(p) >= '0' && at(p) <= '9') mant = mant * 10 + (b[p++] - '0');
  size_t digits = p - d0, frac = 0;
  if (at(p) == '.') {
    const size_t fs = ++p;
    while (at(p) >= '0' && at(p) <= '9') mant = mant * 10 + (b[p++] - '0');
    frac = p - fs;
    digits += frac;
  }
  double score, div = 1;
  if (in_token(at(p)) || digits == 0 || digits > 15) {
    while (in_token(at(p))) p++;
    score = slow_decimal(b, ss, p);
    if (std::isnan(score)) return fail(b, line_start, n), SIZE_MAX;
  } else {
    score = b[ss] == '-' ? -static_cast<double>(mant) : static_cast<double>(mant);
    div = kPow10[frac];
  }
  while (is_blank(at(p))) p++;  // tag, then anything up to the line end (ignored, as trec_eval does)
  if (!in_token(at(p))) return fail(b, line_start, n), SIZE_MAX;
  while (p < n && b[p] != '\n') p++;
  mark_row(q);
  emit(score, div, b + ds, dn, n - ds, docno_hash(b + ds, dn));
  return p + 1;
}

// The helpers of the vector paths (SSE4.1 and SSSE3 instructions, inlined into both kernels).
XMR_TARGET_BEGIN(XMR_ISA_AVX2)
alignas(16) constexpr uint8_t kLeadingOnes[32] = {255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255};

// docno_hash of the n (1 to 16) bytes at d, with 16 bytes readable there: one block, whose four
// words are multiplied in one instruction.
static inline uint32_t hash16(const uint8_t* d, size_t n) {
  const __m128i x = _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(d)), _mm_loadu_si128(reinterpret_cast<const __m128i*>(kLeadingOnes + 16 - n)));
  __m128i t = _mm_mullo_epi32(x, _mm_setr_epi32(static_cast<int>(kWordMul[0]), static_cast<int>(kWordMul[1]), static_cast<int>(kWordMul[2]), static_cast<int>(kWordMul[3])));
  t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4E));
  t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xB1));
  return finish_hash((kFnvOffset ^ static_cast<uint32_t>(n) ^ static_cast<uint32_t>(_mm_cvtsi128_si32(t))) * kFnvPrime);
}

// token_score's fast rule for the score field b[s, e) of the line at p (`digit`, `dot`: its digit
// and '.' bytes, bit i for b[p + i]) without a loop per digit: the up to 15 digits are gathered
// right-aligned into 16 bytes (the dot squeezed out by one shuffle) and combined by multiply-adds,
// 2, 4, 8 and 16 digits at a time. False where that does not apply (the field has another byte,
// two dots, no digit or more than 15, more than 16 bytes after its sign, or starts within 16
// bytes of b): token_score then decides.
static inline bool score16(const uint8_t* b, size_t s, size_t e, size_t p, uint64_t digit, uint64_t dot, double* mant, double* div) {
  const bool sign = b[s] == '+' || b[s] == '-';
  const unsigned lo = static_cast<unsigned>(s - p) + sign, hi = static_cast<unsigned>(e - p);
  if (e < 16 || hi - lo > 16) return false;
  const uint64_t body = ((uint64_t{1} << hi) - 1) & ~((uint64_t{1} << lo) - 1);  // hi < 64: lines are shorter
  const uint64_t digs = body & digit, dots = body & dot;
  const unsigned nd = static_cast<unsigned>(__builtin_popcountll(digs));
  if ((digs | dots) != body || (dots & (dots - 1)) != 0 || nd == 0 || nd > 15) return false;
  const unsigned frac = dots != 0 ? hi - 1 - static_cast<unsigned>(__builtin_ctzll(dots)) : 0;
  // The 16 bytes ending at e; byte i < 16 − frac takes byte i − 1 when there is a dot (index −1:
  // zero), which closes the dot's gap; then the nd digits are the last nd bytes.
  const __m128i iota = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m128i shift = _mm_cmpgt_epi8(_mm_set1_epi8(static_cast<char>(dots != 0 ? 16 - frac : 0)), iota);
  const __m128i x = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + e - 16)), _mm_add_epi8(iota, shift));
  const __m128i d = _mm_and_si128(_mm_sub_epi8(x, _mm_set1_epi8('0')), _mm_cmpgt_epi8(iota, _mm_set1_epi8(static_cast<char>(15 - nd))));
  const __m128i d2 = _mm_maddubs_epi16(d, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
  const __m128i d4 = _mm_madd_epi16(d2, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
  const __m128i d8 = _mm_madd_epi16(_mm_packus_epi32(d4, d4), _mm_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1));
  const uint64_t m = uint64_t{static_cast<uint32_t>(_mm_cvtsi128_si32(d8))} * 100000000u + static_cast<uint32_t>(_mm_extract_epi32(d8, 1));
  *mant = b[s] == '-' ? -static_cast<double>(m) : static_cast<double>(m);
  *div = kPow10[frac];
  return true;
}

// The row of an ordinary line whose fields are b[tok[2k], tok[2k+1]) (k = 0, 2, 3, 4: as
// RunLineKernels::fields gives them) and that ends at b[line_end] (a line end or the region's
// end), when scalar_line would read it so; false
// otherwise (scalar_line then reads the line, and reports it if malformed). `same_q`: the first
// field equals the previous vector-read line's; `digit`, `dot`: the line's digit and '.' bytes.
__attribute__((always_inline)) inline bool RunRangeParser::fast_row(const uint8_t* b, size_t n, const size_t* tok, bool same_q, uint64_t digit, uint64_t dot, size_t p) {
  if (b[tok[0]] == '#') return false;
  // The rank: 1 to 9 digits after an optional sign is an integer within ±(2^31 − 1); anything
  // else is checked by is_integer.
  const size_t rs = tok[6] + (b[tok[6]] == '+' || b[tok[6]] == '-'), rn = tok[7] - rs;
  const uint64_t want = (uint64_t{1} << (rn & 15)) - 1;
  if (!(rn >= 1 && rn <= 9 && ((digit >> (rs - p)) & want) == want) && !is_integer(b, tok[6], tok[7])) return false;
  double mant, div;
  if (!score16(b, tok[8], tok[9], p, digit, dot, &mant, &div) && !token_score(b, tok[8], tok[9], &mant, &div)) return false;
  lines_++;
  if (!same_q) {
    const size_t qn = tok[1] - tok[0];
    fast_q_ = query_id(b + tok[0], qn);
    std::memcpy(fast_qid_, b + tok[0], qn);
    fast_qid_len_ = static_cast<uint32_t>(qn);
    mark_row(fast_q_);
  }
  const size_t dn = tok[5] - tok[4];
  emit(mant, div, b + tok[4], dn, n - tok[4], dn <= 16 && n - tok[4] >= 16 ? hash16(b + tok[4], dn) : docno_hash(b + tok[4], dn));
  return true;
}
XMR_TARGET_END

// The vector paths: from line start p, read lines while they are ordinary; return the start of the
// first line left for scalar_line (or n). Masks have bit i for byte p + i: `tok` the bytes of
// fields (not blank, before the line end), field starts tok & ~(tok << 1), last bytes tok & ~(tok >> 1).
struct RunLineKernels {
  // The bounds of the fields a row needs — the 1st (query), 3rd to 5th (docno, rank, score) as
  // tok[0, 1] and tok[4 … 9] — of a line of `len` < 64 bytes at p, from its blank mask; false with
  // fewer than six fields. The k-th field starts at the k-th set bit of `starts`: one chain of
  // lowest-bit clears, checked once, instead of a loop testing each of six fields (this was ~80 of
  // the ~360 instructions a line took, callgrind).
  static inline bool fields(uint64_t blank, unsigned len, size_t p, size_t* tok) {
    const uint64_t in = ~blank & ((uint64_t{1} << len) - 1);
    const uint64_t s0 = in & ~(in << 1), l0 = in & ~(in >> 1);
    auto next = [](uint64_t x) { return x & (x - 1); };
    const uint64_t s2 = next(next(s0)), s3 = next(s2), s4 = next(s3);
    if (next(s4) == 0) return false;
    const uint64_t l2 = next(next(l0)), l3 = next(l2), l4 = next(l3);
    tok[0] = p + static_cast<size_t>(__builtin_ctzll(s0));
    tok[1] = p + static_cast<size_t>(__builtin_ctzll(l0)) + 1;
    tok[4] = p + static_cast<size_t>(__builtin_ctzll(s2));
    tok[5] = p + static_cast<size_t>(__builtin_ctzll(l2)) + 1;
    tok[6] = p + static_cast<size_t>(__builtin_ctzll(s3));
    tok[7] = p + static_cast<size_t>(__builtin_ctzll(l3)) + 1;
    tok[8] = p + static_cast<size_t>(__builtin_ctzll(s4));
    tok[9] = p + static_cast<size_t>(__builtin_ctzll(l4)) + 1;
    return true;
  }
  static size_t avx512(RunRangeParser& r, const uint8_t* b, size_t p, size_t n);
  static size_t avx2(RunRangeParser& r, const uint8_t* b, size_t p, size_t n);
};

XMR_TARGET_BEGIN(XMR_ISA_AVX512)
// Bytes past the region's end are masked off the load and count as line ends.
size_t RunLineKernels::avx512(RunRangeParser& r, const uint8_t* b, size_t p, size_t n) {
  const __m512i nl = _mm512_set1_epi8('\n'), sp = _mm512_set1_epi8(' '), tab = _mm512_set1_epi8('\t'), cr = _mm512_set1_epi8('\r');
  const __m512i zero = _mm512_set1_epi8('0'), ten = _mm512_set1_epi8(10), dot = _mm512_set1_epi8('.');
  while (p < n) {
    const __mmask64 valid = n - p >= 64 ? ~__mmask64{0} : (__mmask64{1} << (n - p)) - 1;
    const __m512i v = _mm512_maskz_loadu_epi8(valid, b + p);
    const uint64_t ends = _mm512_cmpeq_epi8_mask(v, nl) | ~valid;
    if (ends == 0) return p;  // a line of 64 bytes or more
    const unsigned len = static_cast<unsigned>(__builtin_ctzll(ends));
    const uint64_t blank = _mm512_cmpeq_epi8_mask(v, sp) | _mm512_cmpeq_epi8_mask(v, tab) | _mm512_cmpeq_epi8_mask(v, cr);
    const uint64_t digit = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, zero), ten);
    size_t tok[12];
    if (!fields(blank, len, p, tok)) return p;
    const size_t qn = tok[1] - tok[0];
    const bool same_q = r.fast_q_ >= 0 && tok[0] == p && qn == r.fast_qid_len_ &&
                        _mm512_mask_cmpneq_epi8_mask((uint64_t{1} << qn) - 1, v, _mm512_load_si512(r.fast_qid_)) == 0;
    if (!r.fast_row(b, n, tok, same_q, digit, _mm512_cmpeq_epi8_mask(v, dot), p)) return p;
    p += len + 1;
  }
  return p;
}
XMR_TARGET_END

XMR_TARGET_BEGIN(XMR_ISA_AVX2)
// Lines within 64 bytes of the region's end are left to scalar_line (no masked byte loads in AVX2).
size_t RunLineKernels::avx2(RunRangeParser& r, const uint8_t* b, size_t p, size_t n) {
  const __m256i nl = _mm256_set1_epi8('\n'), sp = _mm256_set1_epi8(' '), tab = _mm256_set1_epi8('\t'), cr = _mm256_set1_epi8('\r');
  const __m256i zero = _mm256_set1_epi8('0'), nine = _mm256_set1_epi8('9'), dot = _mm256_set1_epi8('.');
  // Digits: '0' ≤ c ≤ '9' as max(c, '0') == c and min(c, '9') == c (unsigned byte compares).
  auto digits = [&](__m256i x) { return _mm256_and_si256(_mm256_cmpeq_epi8(_mm256_max_epu8(x, zero), x), _mm256_cmpeq_epi8(_mm256_min_epu8(x, nine), x)); };
  auto mask = [](__m256i lo, __m256i hi) {
    return static_cast<uint32_t>(_mm256_movemask_epi8(lo)) | static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(hi))) << 32;
  };
  while (n - p >= 64) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + p));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + p + 32));
    const uint64_t ends = mask(_mm256_cmpeq_epi8(lo, nl), _mm256_cmpeq_epi8(hi, nl));
    if (ends == 0) return p;
    const unsigned len = static_cast<unsigned>(__builtin_ctzll(ends));
    const uint64_t blank = mask(_mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(lo, sp), _mm256_cmpeq_epi8(lo, tab)), _mm256_cmpeq_epi8(lo, cr)),
                                _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(hi, sp), _mm256_cmpeq_epi8(hi, tab)), _mm256_cmpeq_epi8(hi, cr)));
    const uint64_t digit = mask(digits(lo), digits(hi));
    size_t tok[12];
    if (!fields(blank, len, p, tok)) return p;
    const size_t qn = tok[1] - tok[0];
    bool same_q = false;
    if (r.fast_q_ >= 0 && tok[0] == p && qn == r.fast_qid_len_) {
      const __m256i* prev = reinterpret_cast<const __m256i*>(r.fast_qid_);
      const uint64_t eq = mask(_mm256_cmpeq_epi8(lo, _mm256_load_si256(prev)), _mm256_cmpeq_epi8(hi, _mm256_load_si256(prev + 1)));
      same_q = (~eq & ((uint64_t{1} << qn) - 1)) == 0;
    }
    if (!r.fast_row(b, n, tok, same_q, digit, mask(_mm256_cmpeq_epi8(lo, dot), _mm256_cmpeq_epi8(hi, dot)), p)) return p;
    p += len + 1;
  }
  return p;
}
XMR_TARGET_END

bool RunRangeParser::parse(const uint8_t* b, size_t n) {
  if (error_.kind != RunErrorKind::None) return false;
  // Columns sized for the most rows b can hold (a result line takes at least 12 bytes: six 1-byte
  // fields, five blanks and its end; the last may lack the end), written through indices, and cut
  // to the rows read at the end. resize() grows geometrically and writes nothing (BigVector).
  const size_t most = rows_ + n / 11 + 1;
  scores_.resize(most);
  start_.resize(most);
  len_.resize(most);
  hash_.resize(most);
  arena_.resize(used_ + n + 16);
  size_t (*const fast)(RunRangeParser&, const uint8_t*, size_t, size_t) =
      isa_ >= Isa::Avx512 ? &RunLineKernels::avx512 : isa_ >= Isa::Avx2 ? &RunLineKernels::avx2 : nullptr;
  bool ok = true;
  for (size_t p = 0; p < n;) {
    if (fast != nullptr && (p = fast(*this, b, p, n)) >= n) break;
    if ((p = scalar_line(b, p, n)) == SIZE_MAX) {
      ok = false;
      break;
    }
  }
  divide();
  scores_.resize(rows_);
  start_.resize(rows_);
  len_.resize(rows_);
  hash_.resize(rows_);
  arena_.resize(used_);
  return ok;
}

}  // namespace xmr::trec
