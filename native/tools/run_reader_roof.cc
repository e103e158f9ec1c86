// How near the TREC run reader can come to the sequential read rate on this machine: for one run
// file in the page cache, a plain read of it (pread into a reused 1 MiB buffer, as the reader
// reads), the same read plus the least pass any line reader makes over the bytes (one vector
// compare per byte class: line ends and field starts found and counted, nothing converted or
// kept), and the reader itself (read_run_fd, whole run, the same threads) — then, in memory on one
// thread's CPU clock, the least pass and the reader's line kernel (RunRangeParser::parse) per line.
//
//   g++ -O3 -pthread -Inative/include native/tools/run_reader_roof.cc native/src/trec/*.cc
//       native/src/common/*.cc -o /tmp/run_reader_roof && /tmp/run_reader_roof RUN [threads [rounds]]
//
// Reading it: "near the sequential read" leaves, per line and thread, the read's time per line
// times the threads; the least pass alone is the floor of any parser's share of that budget, and
// what is left of the budget after it is all a reader could spend on scores, docnos and ranking.
// The read rate of the page cache depends on how the file was written, on these VMs 3× between a
// file written in 8 KiB pieces (Python's default) and one copied in 16 MiB pieces: larger page
// cache folios; `bench eval` writes its files in large pieces.
#include <fcntl.h>
#include <immintrin.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>
#include <vector>

#include "core_clock.h"
#include "xmr/trec_run.h"

namespace {

struct Counts {
  uint64_t lines = 0, fields = 0;
};

// The least pass over b[0, n) (n a multiple of 64): bit i of `blank` marks a space, tab, \r or line
// end; a field starts at a non-blank byte after a blank one (`carry`: the last byte before b was
// blank).
__attribute__((target("avx512f,avx512bw,bmi,popcnt"))) void least_pass_avx512(const uint8_t* b, size_t n, uint64_t& carry, Counts& c) {
  const __m512i nl = _mm512_set1_epi8('\n'), sp = _mm512_set1_epi8(' '), tab = _mm512_set1_epi8('\t'), cr = _mm512_set1_epi8('\r');
  for (size_t i = 0; i < n; i += 64) {
    const __m512i v = _mm512_loadu_si512(b + i);
    const uint64_t ends = _mm512_cmpeq_epi8_mask(v, nl);
    const uint64_t blank = ends | _mm512_cmpeq_epi8_mask(v, sp) | _mm512_cmpeq_epi8_mask(v, tab) | _mm512_cmpeq_epi8_mask(v, cr);
    c.lines += static_cast<uint64_t>(__builtin_popcountll(ends));
    c.fields += static_cast<uint64_t>(__builtin_popcountll(~blank & ((blank << 1) | carry)));
    carry = blank >> 63;
  }
}

__attribute__((target("avx2,bmi,popcnt"))) void least_pass_avx2(const uint8_t* b, size_t n, uint64_t& carry, Counts& c) {
  const __m256i nl = _mm256_set1_epi8('\n'), sp = _mm256_set1_epi8(' '), tab = _mm256_set1_epi8('\t'), cr = _mm256_set1_epi8('\r');
  for (size_t i = 0; i < n; i += 32) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i));
    const __m256i e = _mm256_cmpeq_epi8(v, nl);
    const __m256i k = _mm256_or_si256(_mm256_or_si256(e, _mm256_cmpeq_epi8(v, sp)), _mm256_or_si256(_mm256_cmpeq_epi8(v, tab), _mm256_cmpeq_epi8(v, cr)));
    const uint64_t ends = static_cast<uint32_t>(_mm256_movemask_epi8(e)), blank = static_cast<uint32_t>(_mm256_movemask_epi8(k));
    c.lines += static_cast<uint64_t>(__builtin_popcountll(ends));
    c.fields += static_cast<uint64_t>(__builtin_popcountll(~blank & ((blank << 1) | carry) & 0xffffffffu));
    carry = blank >> 31;
  }
}

void least_pass(const uint8_t* b, size_t n, uint64_t& carry, Counts& c) {
  static const bool avx512 = __builtin_cpu_supports("avx512bw");
  const size_t whole = n & ~size_t{63};
  if (avx512) least_pass_avx512(b, whole, carry, c);
  else least_pass_avx2(b, whole, carry, c);
  // The last partial block, padded with spaces (blank, neither a line end nor a field).
  if (whole < n) {
    alignas(64) uint8_t tail[64];
    std::fill(std::copy(b + whole, b + n, tail), tail + 64, uint8_t{' '});
    Counts t;
    uint64_t keep = carry;
    if (avx512) least_pass_avx512(tail, 64, keep, t);
    else least_pass_avx2(tail, 64, keep, t);
    c.lines += t.lines, c.fields += t.fields;
  }
}

// Reads bytes [from, to) of fd in 1 MiB positioned reads into one buffer, with or without the least
// pass over each chunk.
Counts read_range(int fd, uint64_t from, uint64_t to, bool scan) {
  std::vector<uint8_t> buf(size_t{1} << 20);
  Counts c;
  uint64_t carry = 1;
  for (uint64_t pos = from; pos < to;) {
    const ssize_t got = pread(fd, buf.data(), std::min<uint64_t>(buf.size(), to - pos), static_cast<off_t>(pos));
    if (got <= 0) {
      std::perror("pread");
      std::exit(1);
    }
    if (scan) least_pass(buf.data(), static_cast<size_t>(got), carry, c);
    pos += static_cast<uint64_t>(got);
  }
  return c;
}

// The wall time of f on `threads` threads (each given its index), fastest and median of `rounds`.
struct Wall {
  double best, median;
};
Wall wall(int threads, int rounds, const std::function<void(int)>& f) {
  std::vector<double> ts;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(f, t);
    f(0);
    for (auto& th : pool) th.join();
    ts.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ts.begin(), ts.end());
  return {ts.front(), ts[ts.size() / 2]};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s RUN [threads [rounds]]\n", argv[0]);
    return 2;
  }
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 2, rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 9;
  const int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  const Counts whole = read_range(fd, 0, size, true);  // also brings the file into the page cache
  const double lines = static_cast<double>(whole.lines);
  std::printf("%s: %.1f MB, %.0f lines (%.1f bytes a line), %.0f fields; %d threads, %d rounds, wall clock\n", argv[1], size / 1e6, lines,
              size / lines, static_cast<double>(whole.fields), threads, rounds);
  const auto share = [&](int t, int of) { return std::make_pair(size * t / of, size * (t + 1) / of); };
  const auto row = [&](const char* what, int th, Wall w, double ref) {
    std::printf("  %-44s %d thread%s  best %7.1f ms  median %7.1f ms  %6.0f MB/s", what, th, th == 1 ? " " : "s", w.best * 1e3, w.median * 1e3,
                size / w.median / 1e6);
    if (ref > 0) std::printf("  %.2f× the read on 1 thread", ref / w.median);
    std::printf("\n");
  };
  const Wall read1 = wall(1, rounds, [&](int) { read_range(fd, 0, size, false); });
  row("read (pread, 1 MiB buffer)", 1, read1, 0);
  const Wall readn = wall(threads, rounds, [&](int t) { auto [a, b] = share(t, threads); read_range(fd, a, b, false); });
  row("read", threads, readn, read1.median);
  const Wall least = wall(threads, rounds, [&](int t) { auto [a, b] = share(t, threads); read_range(fd, a, b, true); });
  row("read + least pass (line ends, field starts)", threads, least, read1.median);
  const Wall reader = wall(1, rounds, [&](int) {
    xmr::trec::RunError err;
    const xmr::trec::RunTable run = xmr::trec::read_run_fd(fd, 0, size, threads, &err);
    if (err.kind != xmr::trec::RunErrorKind::None) {
      std::fprintf(stderr, "the run reader refused %s at line %lld\n", argv[1], static_cast<long long>(err.line));
      std::exit(1);
    }
  });
  row("run reader (read_run_fd, whole run)", threads, reader, read1.median);

  // In memory, one thread, on its CPU clock: what each pass costs a line with no read around it.
  std::vector<uint8_t> text(size);
  if (pread(fd, text.data(), size, 0) != static_cast<ssize_t>(size)) {
    std::perror("pread");
    return 1;
  }
  const double least_s = xmr_tools::fastest(rounds, [&] {
    Counts c;
    uint64_t carry = 1;
    least_pass(text.data(), text.size(), carry, c);
    return c.lines;
  });
  const double kernel_s = xmr_tools::fastest(rounds, [&] {
    xmr::trec::RunRangeParser parser;
    parser.reserve(text.size() / 28 + 1, text.size());
    return parser.parse(text.data(), text.size()) ? parser.rows() : size_t{0};
  });
  std::printf("  in memory, 1 thread (CPU clock, fastest): least pass %.2f ns a line; the reader's line kernel %.2f ns a line (with the first touch of its columns)\n",
              least_s * 1e9 / lines, kernel_s * 1e9 / lines);
  std::printf("  budget at the read's rate on 1 thread: %.2f ns a line on each of %d threads (for reading, parsing and ranking)\n",
              read1.median * 1e9 / lines * threads, threads);
  return 0;
}
