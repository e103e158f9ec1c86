// Joining parsed ranges into the ranked run (xmr/trec_run.h): global query ids in order of first
// appearance, rows copied after the first range's (one thread per range), grouped by query, checked for
// duplicates and put in trec_eval's order (threads over queries).
#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>

#include "xmr/parallel.h"
#include "xmr/trec_run.h"

namespace xmr::trec {
namespace {

// strcmp order of two rows' docnos.
inline int compare_docnos(const RunTable& t, size_t a, size_t b) {
  const int32_t la = t.len[a], lb = t.len[b];
  const int c = std::memcmp(t.bytes.data() + t.start[a], t.bytes.data() + t.start[b], static_cast<size_t>(std::min(la, lb)));
  return c != 0 ? c : (la > lb) - (la < lb);
}

inline bool same_docno(const RunTable& t, size_t a, size_t b) {
  return t.hash[a] == t.hash[b] && t.len[a] == t.len[b] &&
         std::memcmp(t.bytes.data() + t.start[a], t.bytes.data() + t.start[b], static_cast<size_t>(t.len[a])) == 0;
}

// The first docno repeated within rows [lo, hi) (in row order): its row and the first occurrence's,
// or false. A small open-addressing table on the row hashes (`table` is scratch), at most a quarter
// full; a slot holds a row's hash (high half) and its index within the query + 1 (low half; a query
// has fewer than 2^31 rows: offsets are int32), so a probe reads no other column unless the hashes
// match. (Half full with indices only, the probe loop's data-dependent branches and its reads of
// the hash column were 60% of this pass.)
bool find_duplicate(const RunTable& t, size_t lo, size_t hi, std::vector<uint64_t>& table, size_t* second, size_t* first) {
  size_t size = 16;
  while (size < 4 * (hi - lo)) size *= 2;
  if (table.size() < size) table.resize(size);
  std::fill(table.begin(), table.begin() + static_cast<ptrdiff_t>(size), 0);
  const size_t mask = size - 1;
  for (size_t i = lo; i < hi; i++) {
    const uint32_t h = static_cast<uint32_t>(t.hash[i]);
    const uint64_t entry = uint64_t{h} << 32 | (i - lo + 1);
    for (size_t slot = h & mask;; slot = (slot + 1) & mask) {
      const uint64_t e = table[slot];
      if (e == 0) {
        table[slot] = entry;
        break;
      }
      const size_t j = lo + static_cast<uint32_t>(e) - 1;
      if ((e >> 32) == h && same_docno(t, i, j)) {
        *second = i;
        *first = j;
        return true;
      }
    }
  }
  return false;
}

// Puts rows [lo, hi) in trec_eval's order. Runs are nearly always written ranked, so one pass
// checks; when the scores are in order and only groups of tied scores are out of docno order
// (retrievers seldom break ties by docno descending: with 1,000 six-decimal scores per query
// about 40% of queries have a tie), just those groups are insertion-sorted; anything else is
// sorted whole (docnos are distinct here, so the order is total).
void rank(RunTable& t, size_t lo, size_t hi, std::vector<uint32_t>& idx) {
  auto before = [&](size_t a, size_t b) {  // a ranks above b
    return t.scores[a] > t.scores[b] || (t.scores[a] == t.scores[b] && compare_docnos(t, a, b) > 0);
  };
  bool scores_ordered = true, ties_ordered = true;
  for (size_t i = lo + 1; i < hi && scores_ordered; i++) {
    if (t.scores[i - 1] < t.scores[i]) scores_ordered = false;
    else if (ties_ordered && t.scores[i - 1] == t.scores[i] && compare_docnos(t, i - 1, i) < 0) ties_ordered = false;
  }
  if (scores_ordered && ties_ordered) return;
  if (scores_ordered) {
    for (size_t g = lo; g < hi;) {
      size_t e = g + 1;
      while (e < hi && t.scores[e] == t.scores[g]) e++;
      for (size_t i = g + 1; i < e; i++) {
        for (size_t j = i; j > g && compare_docnos(t, j - 1, j) < 0; j--) {
          std::swap(t.scores[j - 1], t.scores[j]);  // equal as doubles, but -0 and 0 keep their bits
          std::swap(t.start[j - 1], t.start[j]);
          std::swap(t.len[j - 1], t.len[j]);
          std::swap(t.hash[j - 1], t.hash[j]);
        }
      }
      g = e;
    }
    return;
  }
  idx.resize(hi - lo);
  std::iota(idx.begin(), idx.end(), static_cast<uint32_t>(lo));
  std::sort(idx.begin(), idx.end(), [&](uint32_t a, uint32_t b) { return before(a, b); });
  auto permute = [&](auto& col) {
    using T = typename std::decay_t<decltype(col)>::value_type;
    std::vector<T> tmp(hi - lo);
    for (size_t k = 0; k < hi - lo; k++) tmp[k] = col[idx[k]];
    std::copy(tmp.begin(), tmp.end(), col.begin() + static_cast<ptrdiff_t>(lo));
  };
  permute(t.scores);
  permute(t.start);
  permute(t.len);
  permute(t.hash);
}

template <typename T>
void reorder(BigVector<T>& col, const std::vector<uint32_t>& order) {
  BigVector<T> out(order.size());
  for (size_t j = 0; j < order.size(); j++) out[j] = col[order[j]];
  col.swap(out);
}

}  // namespace

RunTable assemble(std::vector<RunRangeParser>& ranges, int threads, RunError* err) {
  // The first malformed line of the input, numbered from the input's start.
  int64_t line_base = 0;
  for (const auto& r : ranges) {
    if (r.error().kind != RunErrorKind::None) {
      *err = r.error();
      err->line += line_base;
      return {};
    }
    line_base += r.lines();
  }
  RunTable t;
  // Global query ids: ranges in order, each range's queries in their first-seen order.
  std::unordered_map<std::string, int32_t> ids;
  std::vector<std::vector<int32_t>> qmap(ranges.size());
  for (size_t k = 0; k < ranges.size(); k++) {
    const auto& r = ranges[k];
    for (size_t j = 0, s = 0; j < r.qid_ends_.size(); s = r.qid_ends_[j++]) {
      std::string qid(reinterpret_cast<const char*>(r.qid_bytes_.data() + s), r.qid_ends_[j] - s);
      auto [it, added] = ids.try_emplace(qid, static_cast<int32_t>(t.qid_ends.size()));
      if (added) {
        t.qid_bytes.insert(t.qid_bytes.end(), qid.begin(), qid.end());
        t.qid_ends.push_back(static_cast<int32_t>(t.qid_bytes.size()));
      }
      qmap[k].push_back(it->second);
    }
  }
  std::vector<size_t> row_base(ranges.size() + 1, 0), arena_base(ranges.size() + 1, 0);
  std::vector<int64_t> lines_before(ranges.size(), 0);
  for (size_t k = 0; k < ranges.size(); k++) {
    row_base[k + 1] = row_base[k] + ranges[k].rows();
    arena_base[k + 1] = arena_base[k] + ranges[k].arena_.size();
    if (k > 0) lines_before[k] = lines_before[k - 1] + ranges[k - 1].lines();
  }
  const size_t n = row_base.back();
  if (n == 0) {
    err->kind = RunErrorKind::Empty;
    return {};
  }
  if (arena_base.back() > UINT32_MAX) {
    err->kind = RunErrorKind::Io;
    err->message = "docnos of more than 4 GiB in one run are not supported";
    return {};
  }
  // Query runs and line skips of all ranges, numbered from the input's start (kept for errors:
  // the ranges are freed below).
  std::vector<std::pair<size_t, int32_t>> qruns;
  std::vector<std::vector<std::pair<size_t, int64_t>>> skips(ranges.size());
  for (size_t k = 0; k < ranges.size(); k++) {
    for (const auto& [row, q] : ranges[k].qruns_) qruns.emplace_back(row_base[k] + row, qmap[k][static_cast<size_t>(q)]);
    skips[k].swap(ranges[k].skips_);
  }
  // The 1-based input line of row i (in the order read).
  auto line_of = [&](size_t i) -> int64_t {
    const size_t k = static_cast<size_t>(std::upper_bound(row_base.begin(), row_base.end() - 1, i) - row_base.begin()) - 1;
    const size_t r = i - row_base[k];
    const auto& sk = skips[k];
    const auto at = std::upper_bound(sk.begin(), sk.end(), r, [](size_t x, const std::pair<size_t, int64_t>& e) { return x < e.first; });
    return lines_before[k] + static_cast<int64_t>(r) + 1 + (at == sk.begin() ? 0 : std::prev(at)->second);
  };
  // The first range's columns become the run's, grown in place (read_run_fd reserves them for the
  // whole input: reserved pages are only mapped, and memory touched for the first time is what
  // costs on a VM), and the other ranges are copied after them, one thread per range.
  auto& r0 = ranges[0];
  t.scores.swap(r0.scores_);
  t.start.swap(r0.start_);
  t.len.swap(r0.len_);
  t.hash.swap(r0.hash_);
  t.bytes.swap(r0.arena_);
  t.scores.resize(n);
  t.start.resize(n);
  t.len.resize(n);
  t.hash.resize(n);
  t.bytes.resize(arena_base.back());
  parallel_tasks(static_cast<int>(ranges.size()), [&](int task) {
    const size_t k = static_cast<size_t>(task), b = row_base[k], a = arena_base[k];
    if (k == 0) return;
    auto& r = ranges[k];
    for (size_t i = 0; i < r.rows(); i++) t.start[b + i] = static_cast<uint32_t>(r.start_[i] + a);
    std::copy(r.scores_.begin(), r.scores_.end(), t.scores.begin() + static_cast<ptrdiff_t>(b));
    std::copy(r.len_.begin(), r.len_.end(), t.len.begin() + static_cast<ptrdiff_t>(b));
    std::copy(r.hash_.begin(), r.hash_.end(), t.hash.begin() + static_cast<ptrdiff_t>(b));
    std::copy(r.arena_.begin(), r.arena_.end(), t.bytes.begin() + static_cast<ptrdiff_t>(a));
    r = RunRangeParser();  // free the range's columns now
  });
  // Group by query: a counting sort, skipped when each query is one block (nearly every run: the
  // query ids of the runs never decrease, as ids are numbered in order of first appearance).
  const size_t nq = t.qid_ends.size();
  t.offsets.assign(nq + 1, 0);
  bool contiguous = true;
  // Query run j holds rows qruns[j].first .. run_end(j).
  const auto run_end = [&](size_t j) { return j + 1 < qruns.size() ? qruns[j + 1].first : n; };
  for (size_t j = 0; j < qruns.size(); j++) {
    const size_t end = run_end(j);
    t.offsets[static_cast<size_t>(qruns[j].second) + 1] += static_cast<int32_t>(end - qruns[j].first);
    if (j > 0 && qruns[j].second < qruns[j - 1].second) contiguous = false;
  }
  for (size_t k = 0; k < nq; k++) t.offsets[k + 1] += t.offsets[k];
  std::vector<uint32_t> order;  // grouped row → row as read (when not contiguous)
  if (!contiguous) {
    std::vector<int32_t> next(t.offsets.begin(), t.offsets.end() - 1);
    order.resize(n);
    for (size_t j = 0; j < qruns.size(); j++) {
      const size_t end = run_end(j);
      int32_t& at = next[static_cast<size_t>(qruns[j].second)];
      for (size_t i = qruns[j].first; i < end; i++) order[static_cast<size_t>(at++)] = static_cast<uint32_t>(i);
    }
    reorder(t.scores, order);
    reorder(t.start, order);
    reorder(t.len, order);
    reorder(t.hash, order);
  }
  // Duplicates, then ranking, per query on `threads` threads (queries split by row count). The
  // first duplicate in query order is reported, as a sequential pass would.
  const int parts = std::max(1, std::min<int>(threads, static_cast<int>(nq)));
  std::vector<size_t> dup_query(static_cast<size_t>(parts), SIZE_MAX), dup_second(static_cast<size_t>(parts)), dup_first(static_cast<size_t>(parts));
  std::vector<size_t> q_begin(static_cast<size_t>(parts) + 1, nq);
  q_begin[0] = 0;
  for (int p = 1; p < parts; p++) {
    const size_t target = n * static_cast<size_t>(p) / static_cast<size_t>(parts);
    q_begin[static_cast<size_t>(p)] = static_cast<size_t>(std::upper_bound(t.offsets.begin(), t.offsets.end() - 1, static_cast<int32_t>(target)) - t.offsets.begin());
    q_begin[static_cast<size_t>(p)] = std::max(q_begin[static_cast<size_t>(p)], q_begin[static_cast<size_t>(p) - 1]);
  }
  parallel_tasks(parts, [&](int task) {
    const size_t p = static_cast<size_t>(task);
    std::vector<uint64_t> table;
    std::vector<uint32_t> idx;
    for (size_t q = q_begin[p]; q < q_begin[p + 1]; q++) {
      const size_t lo = static_cast<size_t>(t.offsets[q]), hi = static_cast<size_t>(t.offsets[q + 1]);
      if (find_duplicate(t, lo, hi, table, &dup_second[p], &dup_first[p])) {
        dup_query[p] = q;
        return;
      }
      rank(t, lo, hi, idx);
    }
  });
  for (size_t p = 0; p < static_cast<size_t>(parts); p++) {
    if (dup_query[p] == SIZE_MAX) continue;
    const size_t q = dup_query[p], i = dup_second[p], j = dup_first[p];
    const size_t qs = q == 0 ? 0 : static_cast<size_t>(t.qid_ends[q - 1]);
    err->kind = RunErrorKind::Duplicate;
    err->qid.assign(reinterpret_cast<const char*>(t.qid_bytes.data() + qs), static_cast<size_t>(t.qid_ends[q]) - qs);
    err->docno.assign(reinterpret_cast<const char*>(t.bytes.data() + t.start[i]), static_cast<size_t>(t.len[i]));
    err->line = line_of(order.empty() ? i : order[i]);
    err->first_line = line_of(order.empty() ? j : order[j]);
    return {};
  }
  return t;
}

}  // namespace xmr::trec
