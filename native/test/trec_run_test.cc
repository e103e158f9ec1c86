// The native TREC run reader: parsing edge cases (CRLF, no final newline, comments and text after
// the tag, huge docnos, numbers as strtod reads them), errors with their line, trec_eval's order,
// duplicates, and files read on several threads (lines split across read chunks and ranges) giving
// the same result as one thread.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>
#include <vector>

#include "check.h"
#include "xmr/trec_run.h"

namespace {

using xmr::trec::RunError;
using xmr::trec::RunErrorKind;
using xmr::trec::RunTable;

// Parses `text` handed over in regions of whole lines cut after every `cut`-th line end.
RunTable parse(const std::string& text, RunError* err, size_t every = 0) {
  std::vector<xmr::trec::RunRangeParser> ranges(1);
  const auto* b = reinterpret_cast<const uint8_t*>(text.data());
  size_t from = 0, seen = 0;
  for (size_t i = 0; i < text.size(); i++) {
    if (text[i] == '\n' && every > 0 && ++seen % every == 0) {
      ranges[0].parse(b + from, i + 1 - from);
      from = i + 1;
    }
  }
  ranges[0].parse(b + from, text.size() - from);
  return xmr::trec::assemble(ranges, 2, err);
}

// a == b, with both values in the failure message.
template <typename A, typename B>
void check_eq(const A& a, const B& b, const char* file, int line) {
  if (!(a == b)) {
    std::string sa, sb;
    if constexpr (std::is_arithmetic_v<A>) sa = std::to_string(a); else sa = std::string(a).substr(0, 200);
    if constexpr (std::is_arithmetic_v<B>) sb = std::to_string(b); else sb = std::string(b).substr(0, 200);
    xmrtest::fail(file, line, "expected " + sb + ", got " + sa);
  }
}
#define CHECK_EQ(a, b) check_eq((a), (b), __FILE__, __LINE__)

std::string docno(const RunTable& t, size_t i) { return std::string(t.bytes.begin() + t.start[i], t.bytes.begin() + t.start[i] + t.len[i]); }

std::string qid(const RunTable& t, size_t q) {
  const size_t s = q == 0 ? 0 : static_cast<size_t>(t.qid_ends[q - 1]);
  return std::string(t.qid_bytes.begin() + static_cast<ptrdiff_t>(s), t.qid_bytes.begin() + t.qid_ends[q]);
}

// "qid:docno=score,…" in the table's order, queries separated by "|".
std::string dump(const RunTable& t) {
  std::string out;
  for (size_t q = 0; q + 1 < t.offsets.size(); q++) {
    if (q > 0) out += "|";
    out += qid(t, q) + ":";
    for (int32_t i = t.offsets[q]; i < t.offsets[q + 1]; i++) {
      char s[40];
      std::snprintf(s, sizeof s, "%.17g", t.scores[static_cast<size_t>(i)]);
      out += (i > t.offsets[q] ? "," : "") + docno(t, static_cast<size_t>(i)) + "=" + s;
    }
  }
  return out;
}

std::string read_file(const std::string& text, int parts, RunError* err, size_t chunk = size_t{8} << 20) {
  char path[] = "/tmp/xmr-trec-run-XXXXXX";
  const int fd = mkstemp(path);
  CHECK(fd >= 0);
  CHECK(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  RunTable t = xmr::trec::read_run_fd(fd, 0, text.size(), parts, err, chunk);
  close(fd);
  unlink(path);
  return dump(t);
}

XMR_TEST("trec run: parses crlf tabs comments trailing text and no final newline") {
  RunError err;
  const RunTable t = parse("# a comment\r\n  # indented comment\nq1\tQ0\td1\t1\t0.5\trun extra words\r\n\r\n   \nq1 Q0 d2 2 0.25 run\nq2 Q0 d3 1 -1e-3 run", &err);
  CHECK(err.kind == RunErrorKind::None);
  CHECK_EQ(dump(t), std::string("q1:d1=0.5,d2=0.25|q2:d3=-0.001"));
  CHECK_EQ(t.hash[0], static_cast<int32_t>(xmr::trec::docno_hash(reinterpret_cast<const uint8_t*>("d1"), 2)));
}

XMR_TEST("trec run: scores as strtod reads them") {
  RunError err;
  const RunTable t = parse("q Q0 a 1 0.12345678901234567890 t\nq Q0 b 2 +7 t\nq Q0 c 3 .5 t\nq Q0 d 4 5. t\nq Q0 e 5 1E2 t\nq Q0 f 6 1e-400 t\n", &err);
  CHECK(err.kind == RunErrorKind::None);
  CHECK_EQ(dump(t), std::string("q:e=100,b=7,d=5,c=0.5,a=0.12345678901234568,f=0"));
}

XMR_TEST("trec run: ties broken by docno descending in byte order") {
  RunError err;
  // written in the wrong tie order and out of score order; \xc3\xa9 (é) sorts above ASCII bytes
  const RunTable t = parse("q Q0 d10 1 1 t\nq Q0 d9 2 1 t\nq Q0 d\xc3\xa9 3 1 t\nq Q0 z 4 2 t\nq Q0 d1 5 1 t\n", &err);
  CHECK(err.kind == RunErrorKind::None);
  CHECK_EQ(dump(t), std::string("q:z=2,d\xc3\xa9=1,d9=1,d10=1,d1=1"));
}

XMR_TEST("trec run: huge docnos and interleaved queries") {
  RunError err;
  const std::string big(100000, 'x');
  const RunTable t = parse("a Q0 " + big + " 1 1 t\nb Q0 y 1 1 t\na Q0 " + big + "y 2 2 t\n", &err, 1);
  CHECK(err.kind == RunErrorKind::None);
  CHECK_EQ(dump(t), "a:" + big + "y=2," + big + "=1|b:y=1");
}

XMR_TEST("trec run: malformed lines are errors at their line") {
  struct Case {
    std::string text;
    RunErrorKind kind;
    int64_t line;
    std::string token;
    int fields;
  };
  const std::vector<Case> cases = {
      {"q Q0 d 1 0.5 t\nq Q0 e 2 0.4\n", RunErrorKind::Fields, 2, "", 5},
      {"q Q0 d", RunErrorKind::Fields, 1, "", 3},
      {"q Q0 d one 0.5 t\n", RunErrorKind::Rank, 1, "one", 0},
      {"q Q0 d - 0.5 t\n", RunErrorKind::Rank, 1, "-", 0},
      {"\r\n\nq Q0 d 1 0.5x t\n", RunErrorKind::Score, 3, "0.5x", 0},
      {"q Q0 d 1 nan t\n", RunErrorKind::Score, 1, "nan", 0},
      {"q Q0 d 1 infinite t\n", RunErrorKind::Score, 1, "infinite", 0},
      // A NUL is part of the field: `infinity\0x` is not `infinity` (C-string reading would stop there).
      {std::string("q Q0 d 1 infinity\0x t\n", 22), RunErrorKind::Score, 1, std::string("infinity\0x", 10), 0},
      {"q Q0 d 1 1e t\n", RunErrorKind::Score, 1, "1e", 0},
      {"q Q0 d 1 . t\n", RunErrorKind::Score, 1, ".", 0},
      {"q Q0 d 1 0.5\r\n", RunErrorKind::Fields, 1, "", 5},
  };
  for (const auto& c : cases) {
    RunError err;
    parse(c.text, &err);
    CHECK(err.kind == c.kind);
    CHECK_EQ(err.line, c.line);
    CHECK_EQ(err.token, c.token);
    CHECK_EQ(err.fields, c.fields);
  }
  RunError empty;
  parse("\n  \n# only a comment\n", &empty);
  CHECK(empty.kind == RunErrorKind::Empty);
}

XMR_TEST("trec run: duplicates report the first in query order") {
  RunError err;
  parse("q1 Q0 d1 1 0.5 t\nq2 Q0 d1 1 0.5 t\nq2 Q0 d2 2 0.4 t\nq1 Q0 d1 2 0.4 t\nq2 Q0 d2 3 0.3 t\n", &err);
  CHECK(err.kind == RunErrorKind::Duplicate);
  CHECK_EQ(err.qid, std::string("q1"));
  CHECK_EQ(err.docno, std::string("d1"));
  CHECK_EQ(err.line, 4);
  CHECK_EQ(err.first_line, 1);
}

XMR_TEST("trec run: files read alike on any number of threads") {
  // Lines far longer than a read chunk's tail, queries across range cuts, ties, CRLF, no final newline.
  std::string text;
  unsigned x = 7;
  for (int q = 0; q < 300; q++)
    for (int d = 0; d < 40; d++) {
      x = x * 1103515245u + 12345u;
      text += "q" + std::to_string(q % 150) + " Q0 doc" + std::to_string(d) + "_" + std::to_string(q) + " " + std::to_string(d + 1) + " " +
              std::to_string((x >> 8) % 50) + (d % 7 == 0 ? " run\r\n" : " run\n");
    }
  text.pop_back();
  RunError e1;
  const std::string one = read_file(text, 1, &e1);
  CHECK(e1.kind == RunErrorKind::None);
  CHECK(one.size() > 1000);
  for (int parts : {2, 3, 7}) {
    RunError e;
    CHECK_EQ(read_file(text, parts, &e), one);
    CHECK(e.kind == RunErrorKind::None);
  }
  // read chunks of 16 and 1,000 bytes: lines split across chunks, and lines longer than a chunk
  for (size_t chunk : {size_t{16}, size_t{1000}}) {
    RunError e;
    CHECK_EQ(read_file(text, 3, &e, chunk), one);
    CHECK(e.kind == RunErrorKind::None);
  }
  RunError by_line;
  CHECK_EQ(dump(parse(text, &by_line, 3)), one);
  // an error late in the file keeps its line whatever the number of ranges
  const std::string bad = text + "\nq1 Q0 dx 1 0.5x run\n" + text.substr(0, 60);
  for (int parts : {1, 2, 5}) {
    RunError e;
    read_file(bad, parts, &e, 1000);
    CHECK(e.kind == RunErrorKind::Score);
    CHECK_EQ(e.line, 12001);
  }
}

}  // namespace

XMR_TEST("trec run: control bytes are part of a field, \\r separates fields, the rank is an int32 (fuzz finding)") {
  RunError err;
  // Fields end only at space, tab, \r and the line end: `q\x04` was cut at \x04 and the line refused
  // with a score error.
  RunTable t = parse(std::string("q\x04 Q0 d\x0b" "1 1 1.25 t\nq\x04\rQ0 d2 2 0.5 t\x01\n"), &err);
  CHECK(err.kind == RunErrorKind::None);
  CHECK_EQ(dump(t), std::string("q\x04:d\x0b" "1=1.25,d2=0.5"));
  err = RunError();
  parse("q1 Q0 d1 2147483648 1 t\n", &err);
  CHECK(err.kind == RunErrorKind::Rank && err.line == 1);
  CHECK_EQ(err.token, std::string("2147483648"));
  err = RunError();
  CHECK_EQ(dump(parse("q1 Q0 d1 -2147483647 1 t\n", &err)), std::string("q1:d1=1"));
}

// RunRangeParser(isa) over `text` as one region; the dump, or "error <kind> line <n> <token>".
// Every row's hash must be docno_hash of its docno, whichever path hashed it.
std::string read_with(const std::string& text, xmr::Isa isa) {
  std::vector<xmr::trec::RunRangeParser> ranges(1, xmr::trec::RunRangeParser(isa));
  ranges[0].parse(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  RunError err;
  const RunTable t = xmr::trec::assemble(ranges, 1, &err);
  for (size_t i = 0; i < t.scores.size(); i++) CHECK_EQ(static_cast<uint32_t>(t.hash[i]), xmr::trec::docno_hash(t.bytes.data() + t.start[i], static_cast<size_t>(t.len[i])));
  if (err.kind == RunErrorKind::None) return dump(t);
  return "error " + std::to_string(static_cast<int>(err.kind)) + " line " + std::to_string(err.line) + " " + err.token + " " +
         std::to_string(err.fields);
}

XMR_TEST("trec run: the vector line splitters read lines at a vector's edges as the scalar reader does") {
  // Lines of 56 … 72 bytes (the vector paths see 64 bytes from a line's start: fields, the line
  // end or the region's end fall on either side of that edge), with tabs, spaces, \r, CRLF, a
  // leading blank, a new query every few lines, a docno longer than a vector, and no final newline.
  std::string text;
  size_t lines = 0;
  const char* gaps[] = {" ", "\t", " \t", "\r "};
  for (size_t len = 56; len <= 72; len++) {
    for (size_t g = 0; g < 4; g++, lines++) {
      std::string head = std::string(g == 3 ? " " : "") + "q" + std::to_string(len / 4) + gaps[g] + "Q0" + gaps[g];
      std::string tail = std::string(gaps[g]) + std::to_string(lines + 1) + gaps[g] + "0.25" + std::to_string(g) + gaps[g] + "run";
      const std::string end = g == 1 ? "\r\n" : "\n";
      const std::string docno = "d" + std::to_string(lines);
      const size_t fixed = head.size() + docno.size() + tail.size() + end.size();
      text += head + docno + std::string(len > fixed ? len - fixed : 0, 'x') + tail + end;
    }
  }
  text += "q99 Q0 " + std::string(80, 'y') + " 1 0.5 run\nq99 Q0 last 2 0.125 run";
  const std::string want = read_with(text, xmr::Isa::Scalar);
  CHECK(want.rfind("q14:", 0) == 0 && want.find("last=0.125") != std::string::npos);
  CHECK_EQ(static_cast<size_t>(std::count(want.begin(), want.end(), '=')), lines + 2);
  // The same lines with a malformed one placed at each edge: the error and its line must agree.
  const std::string bad[] = {" 1 0.5x run\n", " 1x 0.5 run\n", " 1 0.5\n", " 1 0.5 run\n"};
  for (xmr::Isa isa : {xmr::Isa::Avx2, xmr::Isa::Avx512}) {
    if (isa > xmr::detect_isa()) break;
    CHECK_EQ(read_with(text, isa), want);
    for (size_t cut = 0; cut < 3; cut++) CHECK_EQ(read_with(text.substr(0, text.size() - 40 * cut), isa), read_with(text.substr(0, text.size() - 40 * cut), xmr::Isa::Scalar));
    for (const std::string& b : bad) {
      for (size_t len = 50; len <= 70; len += 4) {
        const size_t at = text.find('\n', 300) + 1;
        const std::string t = text.substr(0, at) + "q1 Q0 " + std::string(len - 12, 'z') + b + text.substr(at);
        const std::string scalar = read_with(t, xmr::Isa::Scalar);
        CHECK(b == bad[3] ? scalar.rfind("error", 0) != 0 : scalar.rfind("error", 0) == 0);
        CHECK_EQ(read_with(t, isa), scalar);
      }
    }
  }
}

XMR_TEST("trec run: scores of 1 to 17 digits with the dot anywhere, and docnos of 1 to 40 bytes, read alike on every path") {
  // The vector paths parse a score of up to 15 digits with multiply-adds and hash a docno of up to
  // 16 bytes with one vector multiply; every other field goes the scalar way. One query per line,
  // so the dump is in line order; the first lines end within 16 bytes of the input's start.
  std::string text = "a Q0 b 1 1 t\nc Q0 d 1 .5 t\n";
  std::string want = "a:b=1|c:d=0.5";
  uint64_t x = 88172645463325252u;
  auto next = [&x] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
  const char* signs[] = {"", "-", "+"};
  size_t q = 0;
  for (size_t nd = 1; nd <= 17; nd++) {
    for (size_t dot = 0; dot <= nd + 1; dot++) {  // dot == nd + 1: no dot
      for (const char* sign : signs) {
        std::string score = sign;
        for (size_t i = 0; i < nd; i++) score += (i == dot ? "." : "") + std::to_string(next() % 10);
        if (dot == nd) score += ".";
        std::string docno;
        for (size_t i = 0, dn = 1 + q % 40; i < dn; i++) docno += "abcdefghijklmnopqrstuvwxyz0123456789_\x01\xc3\xa9"[next() % 40];
        text += "q" + std::to_string(q) + " Q0 " + docno + " 1 " + score + " t\n";
        char v[40];
        std::snprintf(v, sizeof v, "%.17g", std::strtod(score.c_str(), nullptr));
        want += "|q" + std::to_string(q) + ":" + docno + "=" + v;
        q++;
      }
    }
  }
  CHECK_EQ(read_with(text, xmr::Isa::Scalar), want);
  for (xmr::Isa isa : {xmr::Isa::Avx2, xmr::Isa::Avx512}) {
    if (isa > xmr::detect_isa()) break;
    CHECK_EQ(read_with(text, isa), want);
  }
}
