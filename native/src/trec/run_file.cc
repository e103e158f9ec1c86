// Reading a plain run file, or a byte range of one, on several threads (xmr/trec_run.h): the range
// is cut at line starts near from + k·(to − from)/parts; each thread reads its range with positioned reads in chunks into one
// reused buffer (no page faults beyond the first chunk, no copy of the file in memory) and parses
// the whole lines of each chunk, moving the partial last line to the front before the next read.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "xmr/parallel.h"
#include "xmr/trec_run.h"

namespace xmr::trec {
namespace {

struct IoFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

size_t read_at(int fd, uint8_t* buf, size_t want, uint64_t pos) {
  for (;;) {
    const ssize_t got = pread(fd, buf, want, static_cast<off_t>(pos));
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) throw IoFailure(std::strerror(errno));
  }
}

// The first line start at or after `at` (just past a \n), or `size`.
uint64_t next_line_start(int fd, uint64_t at, uint64_t size) {
  uint8_t buf[1 << 16];
  while (at < size) {
    const size_t got = read_at(fd, buf, static_cast<size_t>(std::min<uint64_t>(sizeof buf, size - at)), at);
    if (got == 0) return size;
    const void* nl = std::memchr(buf, '\n', got);
    if (nl != nullptr) return at + static_cast<size_t>(static_cast<const uint8_t*>(nl) - buf) + 1;
    at += got;
  }
  return size;
}

// Parses bytes [from, to); the parser's columns are reserved for `reserve` bytes of input.
void parse_range(int fd, uint64_t from, uint64_t to, uint64_t reserve, size_t chunk, RunRangeParser& parser) {
  // Typical runs take ~33 bytes a line, 7 of them the docno: reserve once instead of regrowing,
  // with room for the most rows and docno bytes one chunk could add (RunRangeParser::parse sizes
  // its columns so before parsing a chunk). Reserved pages are only mapped, not touched.
  const uint64_t bytes = to - from;
  parser.reserve(static_cast<size_t>(reserve / 28 + chunk / 11 + 1024), static_cast<size_t>(reserve / 4 + chunk + 4096));
  std::vector<uint8_t> buf(static_cast<size_t>(std::min<uint64_t>(std::max<size_t>(chunk, 1), std::max<uint64_t>(bytes, 1))));
  size_t carry = 0;
  uint64_t pos = from;
  for (;;) {
    if (carry == buf.size()) buf.resize(buf.size() * 2);  // a line longer than the buffer
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size() - carry, to - pos));
    const size_t got = want > 0 ? read_at(fd, buf.data() + carry, want, pos) : 0;
    pos += got;
    const size_t filled = carry + got;
    if (got == 0) {
      if (filled > 0) parser.parse(buf.data(), filled);
      return;
    }
    size_t last = filled;
    while (last > 0 && buf[last - 1] != '\n') last--;
    if (last == 0) {
      carry = filled;
      continue;
    }
    if (!parser.parse(buf.data(), last)) return;
    carry = filled - last;
    std::memmove(buf.data(), buf.data() + last, carry);
  }
}

}  // namespace

RunTable read_run_fd(int fd, uint64_t from, uint64_t to, int parts, RunError* err, size_t chunk, Isa isa) {
  try {
    std::vector<uint64_t> bounds{from};
    for (int k = 1; k < parts; k++) {
      const uint64_t b = next_line_start(fd, from + (to - from) * static_cast<uint64_t>(k) / static_cast<uint64_t>(parts), to);
      if (b > bounds.back() && b < to) bounds.push_back(b);
    }
    bounds.push_back(to);
    std::vector<RunRangeParser> ranges(bounds.size() - 1, RunRangeParser(isa));
    parallel_tasks(static_cast<int>(ranges.size()), [&](int k) {
      // The first range's columns are reserved for the whole input: assemble() appends the others to them.
      const uint64_t lo = bounds[static_cast<size_t>(k)], hi = bounds[static_cast<size_t>(k) + 1];
      parse_range(fd, lo, hi, k == 0 ? to - from : hi - lo, chunk, ranges[static_cast<size_t>(k)]);
    });
    return assemble(ranges, parts, err);
  } catch (const IoFailure& e) {
    err->kind = RunErrorKind::Io;
    err->message = e.what();
    return {};
  }
}

}  // namespace xmr::trec
