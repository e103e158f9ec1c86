// Reading TREC run files (`qid Q0 docno rank score tag`) into trec_eval's ranking, natively.
//
// The format as trec_eval 10 reads it (get_trec_results.c): fields separated by spaces, tabs or \r
// (so a trailing \r is tolerated; any other byte, a control byte too, is part of a field, as in the
// qrels reader); a line whose first non-blank byte is `#` is a comment; blank lines are skipped;
// anything after the tag up to the line end is ignored. Scores are C doubles (the value strtod
// gives, correctly rounded), the rank must be an integer within ±(2^31 − 1) but is otherwise unused. Every
// other line is an error at its 1-based line (RunError: what was wrong, the TypeScript side words it).
//
// The result is grouped by query (queries in order of first appearance) and each query's rows are
// in trec_eval's order (form_res_rels.c comp_sim_docno): score descending as doubles, ties by docno
// descending in byte order (strcmp). A docno listed twice for one query is an error, as in trec_eval.
//
// Docnos are kept per row (bytes in one arena, with length and hash), not interned into one global
// table: with hundreds of thousands of distinct docnos every probe of a global table is a cache
// miss, while everything a run needs (judgment lookup, duplicates, ties) compares rows of one query.
// The hash (docno_hash) is the one src/data/trec/interner.ts computes (hashBytes), so rows are looked
// up in the qrels' tables without rehashing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "xmr/big_vector.h"
#include "xmr/cpu.h"

namespace xmr::trec {

enum class RunErrorKind { None, Fields, Rank, Score, Duplicate, Empty, Io };

struct RunError {
  RunErrorKind kind = RunErrorKind::None;
  int64_t line = 0;        // 1-based line of the input (0: none)
  int fields = 0;          // Fields: how many fields the line has (< 6)
  std::string token;       // Rank, Score: the field as written
  std::string qid, docno;  // Duplicate
  int64_t first_line = 0;  // Duplicate: the line of the first occurrence
  std::string message;     // Io: the system's message
};

// The run, columnar: query q's rows are offsets[q] … offsets[q+1]−1 in ranked order; row i's docno
// is bytes[start[i], start[i] + len[i]) with hash[i].
struct RunTable {
  std::vector<uint8_t> qid_bytes;  // query ids laid end to end, first appearance first
  std::vector<int32_t> qid_ends;
  std::vector<int32_t> offsets;
  BigVector<double> scores;
  BigVector<uint32_t> start;
  BigVector<int32_t> len;
  BigVector<int32_t> hash;
  BigVector<uint8_t> bytes;
};

// The docno hash, as interner.ts hashBytes: h = 0x811c9dc5 ^ n; for each 16-byte block of the bytes
// (the last zero-padded), h = (h ^ Σ_w word_w · M_w) · 0x01000193, over its four little-endian 32-bit
// words with four odd multipliers M_w (mod 2^32); then interner.ts's finishHash (so the low bits
// depend on every byte). Blocks rather than FNV-1a's bytes: a docno of up to 16 bytes is one
// vector multiply, with no loop whose length changes from line to line (the byte loop had ~12% of
// the line kernel's samples).
uint32_t docno_hash(const uint8_t* b, size_t n);

// Parses regions of whole lines, in order (each region ends at a line end, or at the input's end),
// into local columns; several parsers over consecutive byte ranges are joined by assemble().
//
// Lines are split with vector compares (`isa`: the AVX-512 or AVX2 path finds a line's six fields
// from one 64-byte view of it) where the line is ordinary — shorter than 64 bytes, six fields or
// more, not a comment, a plain decimal score — and byte by byte otherwise; both give the same rows
// and errors (native/test: every input is read on every path this CPU has).
class RunRangeParser {
 public:
  explicit RunRangeParser(Isa isa = detect_isa());  // std::invalid_argument for a path this CPU lacks
  // Parses b[0, n); returns false after the first malformed line (error() says which, with its
  // line counted from this parser's first line).
  bool parse(const uint8_t* b, size_t n);
  const RunError& error() const { return error_; }
  int64_t lines() const { return lines_; }
  size_t rows() const { return scores_.size(); }
  void reserve(size_t rows, size_t arena_bytes);

 private:
  friend RunTable assemble(std::vector<RunRangeParser>& ranges, int threads, RunError* err);
  friend struct RunLineKernels;
  int32_t query_id(const uint8_t* s, size_t n);
  void fail(const uint8_t* b, size_t line_start, size_t n);
  size_t scalar_line(const uint8_t* b, size_t p, size_t n);
  bool fast_row(const uint8_t* b, size_t n, const size_t* tok, bool same_q, uint64_t digit, uint64_t dot, size_t p);
  void mark_row(int32_t q);
  void emit(double mant, double div, const uint8_t* docno, size_t dn, size_t avail, uint32_t hash);
  void divide();

  Isa isa_;
  size_t rows_ = 0, used_ = 0;  // rows and arena bytes written (the columns are sized ahead in parse)
  // Scores are written as ±m and divided by 10^f in batches (emit, divide): rows divided_ … rows_−1
  // hold ±m still, with their divisors in divisors_.
  static constexpr size_t kDivBatch = 64;
  size_t divided_ = 0;
  alignas(64) double divisors_[kDivBatch] = {};
  // The query id of the vector paths' previous line, as bytes (a line shorter than 64 bytes holds it);
  // fast_q_ is −1 after a line scalar_line read.
  int32_t fast_q_ = -1;
  uint32_t fast_qid_len_ = 0;
  alignas(64) uint8_t fast_qid_[64] = {};

  BigVector<double> scores_;
  BigVector<uint32_t> start_;  // into arena_
  BigVector<int32_t> len_, hash_;
  BigVector<uint8_t> arena_;
  // Instead of a query id and a line number per row (8 bytes of 34 a row, and memory first touched
  // is what the reader pays for on a VM): (first row, local query id) where the query changes, and
  // (first row, lines before it that are not rows) where that count changes.
  std::vector<std::pair<size_t, int32_t>> qruns_;
  std::vector<std::pair<size_t, int64_t>> skips_;
  std::vector<uint8_t> qid_bytes_;  // local query ids, first appearance first
  std::vector<uint32_t> qid_ends_;
  std::unordered_map<std::string, int32_t> qid_table_;
  int32_t prev_q_ = -1;
  int64_t lines_ = 0;
  RunError error_;
};

// Joins the ranges (consecutive parts of one input, in order) into the ranked run on `threads`
// threads. On failure returns an empty table with *err set: the first malformed line of the input
// if any range has one, else the first duplicate in query order, else Empty when no row was read.
RunTable assemble(std::vector<RunRangeParser>& ranges, int threads, RunError* err);

// Reads bytes [from, to) of a plain run file from `fd` (positioned reads of `chunk` bytes, grown for
// a longer line): the range is cut at line starts into `parts` ranges parsed on as many threads. Same
// result, errors included, whatever `parts` and `chunk`. `from` must be a line start (0 for the
// whole file, to = its size); lines in errors are counted from it. The chunk is 1 MiB: a buffer
// malloc re-uses from call to call (`xmrbench eval` reads a run as many windows), where one of 8 MiB
// was mapped afresh for most calls and its first-touch page faults were half of all the reader's.
// `isa` chooses the line splitter (RunRangeParser).
RunTable read_run_fd(int fd, uint64_t from, uint64_t to, int parts, RunError* err, size_t chunk = size_t{1} << 20, Isa isa = detect_isa());

}  // namespace xmr::trec
