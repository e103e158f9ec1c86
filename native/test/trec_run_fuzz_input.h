// The property the native TREC run reader is fuzzed against (libFuzzer target
// native/test/fuzz/trec-run-native_fuzz.cc; a bounded random pass in trec_run_stress_test.cc runs
// it under every sanitizer build): each input is read three ways — one RunRangeParser over the
// whole input, regions of whole lines handed to one parser (as TrecRunParser gets them from a gzip
// stream), and read_run_fd on an in-memory file cut into up to 3 ranges read in tiny chunks (lines
// split across reads and ranges), each with every line splitter the CPU has (scalar, AVX2,
// AVX-512) — and each result must equal, exactly, that of a plain reference reader written here
// from the format of xmr/trec_run.h: the same queries in the same order, the
// same docnos ranked the same way with bit-identical scores, or the same error kind, line and
// token. Anything else (a mismatch, a sanitizer report) aborts.
#pragma once
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <strings.h>
#include <vector>

#include "xmr/trec_run.h"

namespace xmrfuzz_trec {

using xmr::trec::RunError;
using xmr::trec::RunErrorKind;
using xmr::trec::RunTable;

inline void check(bool ok) {
  if (!ok) std::abort();
}

// The reader's result in plain form: either error (kind != None) or the ranked run.
struct Outcome {
  RunError error;
  std::vector<std::string> qids;
  std::vector<std::vector<std::pair<std::string, double>>> rows;  // per query: docno, score
};

// Field separators of the format (as the qrels reader and the former TypeScript run reader split).
inline bool is_sep(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// `[+-]digits` within ±(2^31 − 1) (at most 10 digits): the rank, checked but otherwise unused.
inline bool ref_integer(const std::string& s) {
  size_t i = s[0] == '+' || s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() - i > 10) return false;
  for (size_t k = i; k < s.size(); k++)
    if (s[k] < '0' || s[k] > '9') return false;
  return std::strtoll(s.c_str() + i, nullptr, 10) <= 2147483647;
}

// `[+-](digits[.digits*] | .digits)[(e|E)[+-]digits]` as strtod reads it (±HUGE_VAL beyond the
// double range), `[+-]inf` or `[+-]infinity` in any case as ±infinity, anything else NaN. The whole
// token is compared, NUL bytes included: a field is its bytes up to a separator, so `infinity\0x`
// is not a score (a C-string comparison stopped at the NUL and called it one, a fuzz finding).
inline double ref_decimal(const std::string& s) {
  const size_t sign = s[0] == '+' || s[0] == '-' ? 1 : 0;
  const std::string word = s.substr(sign);
  const auto spells = [&](const std::string& w) { return word.size() == w.size() && strncasecmp(word.data(), w.data(), w.size()) == 0; };
  if (spells("inf") || spells("infinity")) return s[0] == '-' ? -INFINITY : INFINITY;
  size_t i = sign, digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') i++, digits++;
  if (i < s.size() && s[i] == '.')
    for (i++; i < s.size() && s[i] >= '0' && s[i] <= '9'; i++) digits++;
  if (digits == 0) return NAN;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) i++;
    const size_t e0 = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') i++;
    if (i == e0) return NAN;
  }
  if (i != s.size()) return NAN;
  return std::strtod(s.c_str(), nullptr);
}

inline Outcome reference(const uint8_t* data, size_t size) {
  Outcome out;
  const std::string text(reinterpret_cast<const char*>(data), size);
  struct Row {
    std::string docno;
    double score;
    int64_t line;
  };
  std::map<std::string, size_t> qindex;
  std::vector<std::vector<Row>> byq;
  int64_t line = 0;
  for (size_t p = 0; p < size;) {
    size_t e = text.find('\n', p);
    if (e == std::string::npos) e = size;
    line++;
    std::vector<std::string> tok;
    for (size_t i = p; i < e;) {
      while (i < e && is_sep(text[i])) i++;
      const size_t s = i;
      while (i < e && !is_sep(text[i])) i++;
      if (i > s) tok.push_back(text.substr(s, i - s));
    }
    p = e + 1;
    if (tok.empty() || tok[0][0] == '#') continue;
    RunError& err = out.error;
    err.line = line;
    if (tok.size() < 6) {
      err.kind = RunErrorKind::Fields;
      err.fields = static_cast<int>(tok.size());
      return out;
    }
    if (!ref_integer(tok[3])) {
      err.kind = RunErrorKind::Rank;
      err.token = tok[3];
      return out;
    }
    const double score = ref_decimal(tok[4]);
    if (std::isnan(score)) {
      err.kind = RunErrorKind::Score;
      err.token = tok[4];
      return out;
    }
    err.line = 0;
    auto [it, added] = qindex.try_emplace(tok[0], byq.size());
    if (added) {
      out.qids.push_back(tok[0]);
      byq.emplace_back();
    }
    byq[it->second].push_back({tok[2], score, line});
  }
  if (byq.empty()) {
    out.error.kind = RunErrorKind::Empty;
    return out;
  }
  for (size_t q = 0; q < byq.size(); q++) {  // the first repeated docno in query order
    std::map<std::string, int64_t> seen;
    for (const Row& r : byq[q]) {
      auto [it, added] = seen.try_emplace(r.docno, r.line);
      if (!added) {
        out.error = RunError{RunErrorKind::Duplicate, r.line, 0, "", out.qids[q], r.docno, it->second, ""};
        out.qids.clear();
        return out;
      }
    }
  }
  for (auto& rows : byq) {  // trec_eval's order: score descending, ties by docno descending (strcmp)
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.score > b.score || (a.score == b.score && a.docno > b.docno); });
    out.rows.emplace_back();
    for (const Row& r : rows) out.rows.back().emplace_back(r.docno, r.score);
  }
  return out;
}

inline Outcome plain(RunTable&& t, const RunError& err) {
  Outcome out;
  out.error = err;
  if (err.kind != RunErrorKind::None) {
    check(t.scores.empty() && t.offsets.empty());
    return out;
  }
  const size_t nq = t.qid_ends.size(), n = t.scores.size();
  check(t.offsets.size() == nq + 1 && t.offsets[0] == 0 && static_cast<size_t>(t.offsets[nq]) == n);
  check(t.start.size() == n && t.len.size() == n && t.hash.size() == n && n > 0);
  for (size_t q = 0; q < nq; q++) {
    const size_t s = q == 0 ? 0 : static_cast<size_t>(t.qid_ends[q - 1]), e = static_cast<size_t>(t.qid_ends[q]);
    check(s < e && e <= t.qid_bytes.size());
    out.qids.emplace_back(t.qid_bytes.begin() + static_cast<ptrdiff_t>(s), t.qid_bytes.begin() + static_cast<ptrdiff_t>(e));
    check(t.offsets[q] < t.offsets[q + 1]);
    out.rows.emplace_back();
    for (int32_t i = t.offsets[q]; i < t.offsets[q + 1]; i++) {
      const size_t r = static_cast<size_t>(i);
      check(t.len[r] > 0 && t.start[r] + static_cast<size_t>(t.len[r]) <= t.bytes.size());
      const uint8_t* d = t.bytes.data() + t.start[r];
      check(static_cast<uint32_t>(t.hash[r]) == xmr::trec::docno_hash(d, static_cast<size_t>(t.len[r])));
      out.rows.back().emplace_back(std::string(reinterpret_cast<const char*>(d), static_cast<size_t>(t.len[r])), t.scores[r]);
    }
  }
  return out;
}

inline void check_same(const Outcome& got, const Outcome& want) {
  const RunError &a = got.error, &b = want.error;
  check(a.kind == b.kind);
  if (a.kind != RunErrorKind::None) {
    check(a.line == b.line && a.fields == b.fields && a.token == b.token);
    check(a.qid == b.qid && a.docno == b.docno && a.first_line == b.first_line);
    return;
  }
  check(got.qids == want.qids && got.rows.size() == want.rows.size());
  for (size_t q = 0; q < got.rows.size(); q++) {
    check(got.rows[q].size() == want.rows[q].size());
    for (size_t i = 0; i < got.rows[q].size(); i++) {
      const double x = got.rows[q][i].second, y = want.rows[q][i].second;
      check(got.rows[q][i].first == want.rows[q][i].first);
      check(std::memcmp(&x, &y, sizeof x) == 0);  // bit-identical: -0 stays -0
    }
  }
}

// One parser over regions of whole lines cut after every `every`-th line end (0: one region).
inline Outcome by_regions(const uint8_t* data, size_t size, size_t every, int threads, xmr::Isa isa) {
  std::vector<xmr::trec::RunRangeParser> ranges(1, xmr::trec::RunRangeParser(isa));
  size_t from = 0, seen = 0;
  for (size_t i = 0; i < size; i++) {
    if (data[i] == '\n' && every > 0 && ++seen % every == 0) {
      ranges[0].parse(data + from, i + 1 - from);
      from = i + 1;
    }
  }
  ranges[0].parse(data + from, size - from);
  RunError err;
  RunTable t = xmr::trec::assemble(ranges, threads, &err);
  return plain(std::move(t), err);
}

inline Outcome by_file(const uint8_t* data, size_t size, int parts, size_t chunk, xmr::Isa isa) {
  const int fd = memfd_create("trec-run-fuzz", 0);
  check(fd >= 0);
  for (size_t done = 0; done < size;) {
    const ssize_t w = write(fd, data + done, size - done);
    check(w > 0);
    done += static_cast<size_t>(w);
  }
  RunError err;
  RunTable t = xmr::trec::read_run_fd(fd, 0, size, parts, &err, chunk, isa);
  close(fd);
  return plain(std::move(t), err);
}

// The input is the run file; its hash chooses the cuts (regions, ranges, read chunk), so the seeds
// are plain run files and every mutation also varies the cuts.
inline void fuzz_one(const uint8_t* data, size_t size) {
  const uint32_t knob = xmr::trec::docno_hash(data, size);
  const Outcome want = reference(data, size);
  // Every line splitter this CPU has (scalar, AVX2, AVX-512), each reading the same input.
  for (xmr::Isa isa : {xmr::Isa::Scalar, xmr::Isa::Avx2, xmr::Isa::Avx512}) {
    if (isa > xmr::detect_isa()) break;
    check_same(by_regions(data, size, 0, 1, isa), want);
    check_same(by_regions(data, size, 1 + knob % 4, 2, isa), want);
    check_same(by_file(data, size, 1 + (knob >> 8) % 3, 1 + (knob >> 16) % 16, isa), want);
  }
}

}  // namespace xmrfuzz_trec
