// The line parser of TREC runs (see xmr/trec_run.h for the format): one pass over each line's
// bytes, hashing and copying the docno and parsing the score as they are scanned. Any irregularity
// drops to fail(), which re-splits the line to say exactly what is wrong.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "xmr/trec_run.h"

namespace xmr::trec {
namespace {

constexpr uint32_t kFnvOffset = 0x811c9dc5u;
constexpr uint32_t kFnvPrime = 0x01000193u;

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

// A decimal literal `[+-]digits[.digits][e[+-]digits]` (or `[+-].digits…`) as the whole of b[s, e),
// correctly rounded, finite; NaN otherwise. strtod is correctly rounded (glibc), as is the
// TypeScript side's Number(); values that underflow to 0 or a subnormal are accepted as JavaScript
// accepts them.
double slow_decimal(const uint8_t* b, size_t s, size_t e) {
  size_t i = s;
  if (i < e && (b[i] == '+' || b[i] == '-')) i++;
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
  errno = 0;
  const double v = std::strtod(text.c_str(), nullptr);
  return std::isfinite(v) ? v : NAN;
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

}  // namespace

uint32_t docno_hash(const uint8_t* b, size_t n) {
  uint32_t h = kFnvOffset;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * kFnvPrime;
  return finish_hash(h);
}

void RunRangeParser::reserve(size_t rows, size_t arena_bytes) {
  q_.reserve(rows);
  scores_.reserve(rows);
  start_.reserve(rows);
  len_.reserve(rows);
  hash_.reserve(rows);
  line_.reserve(rows);
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

bool RunRangeParser::parse(const uint8_t* b, size_t n) {
  if (error_.kind != RunErrorKind::None) return false;
  size_t p = 0;
  // b[p] past the end reads as a line end, so every scan below stops at the region's end.
  auto at = [&](size_t i) -> uint8_t { return i < n ? b[i] : '\n'; };
  while (p < n) {
    lines_++;
    const size_t line_start = p;
    while (p < n && is_blank(b[p])) p++;
    if (p >= n || b[p] == '\n') {
      p++;
      continue;  // blank line
    }
    if (b[p] == '#') {
      while (p < n && b[p] != '\n') p++;
      p++;
      continue;  // comment
    }
    const size_t qs = p;
    while (in_token(at(p))) p++;
    const int32_t q = query_id(b + qs, p - qs);
    while (is_blank(at(p))) p++;  // Q0 (ignored)
    if (!in_token(at(p))) return fail(b, line_start, n), false;
    while (in_token(at(p))) p++;
    while (is_blank(at(p))) p++;  // docno: hashed and copied in one pass
    if (!in_token(at(p))) return fail(b, line_start, n), false;
    const size_t ds = p;
    uint32_t h = kFnvOffset;
    for (uint8_t c; in_token(c = at(p)); p++) h = (h ^ c) * kFnvPrime;
    const size_t dn = p - ds;
    while (is_blank(at(p))) p++;  // rank: an integer (is_integer), otherwise unused
    const size_t rs = p;
    if (at(p) == '+' || at(p) == '-') p++;
    while (at(p) >= '0' && at(p) <= '9') p++;
    if (in_token(at(p)) || !is_integer(b, rs, p)) return fail(b, line_start, n), false;
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
    double score;
    if (in_token(at(p)) || digits == 0 || digits > 15) {
      while (in_token(at(p))) p++;
      score = slow_decimal(b, ss, p);
      if (std::isnan(score)) return fail(b, line_start, n), false;
    } else {
      score = static_cast<double>(mant) / kPow10[frac];
      if (b[ss] == '-') score = -score;
    }
    while (is_blank(at(p))) p++;  // tag, then anything up to the line end (ignored, as trec_eval does)
    if (!in_token(at(p))) return fail(b, line_start, n), false;
    while (p < n && b[p] != '\n') p++;
    p++;
    q_.push_back(q);
    scores_.push_back(score);
    start_.push_back(static_cast<uint32_t>(arena_.size()));
    len_.push_back(static_cast<int32_t>(dn));
    hash_.push_back(static_cast<int32_t>(finish_hash(h)));
    line_.push_back(static_cast<int32_t>(lines_));
    arena_.insert(arena_.end(), b + ds, b + ds + dn);
  }
  return true;
}

}  // namespace xmr::trec
