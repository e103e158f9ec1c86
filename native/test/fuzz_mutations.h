// The committed seed corpus of a native fuzz target and deterministic mutations of it, for the
// bounded passes in the sanitizer tests (*_stress_test.cc): each native libFuzzer target's input
// function runs over its seeds and their mutations in every `npm run test:native`, while
// `sh scripts/fuzz.sh TARGET SECONDS` runs it under libFuzzer for as long as one likes.
// The mutation kinds are those of the TypeScript targets (test/helpers/fuzz.ts): bit flips,
// truncation, a line duplicated or dropped, inserted garbage, a number replaced by an odd literal,
// CRLF line ends, the empty input — one to three of them, chosen by a seeded generator, so the pass
// is the same on every run.
#pragma once
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace xmrfuzz_seeds {

struct Seed {
  std::string name;
  std::vector<uint8_t> bytes;
};

// fuzz/corpus/<target>/*, sorted by name (found from this header's path, so the test runs from any folder).
inline std::vector<Seed> seeds(const std::string& target) {
  const std::filesystem::path root = std::filesystem::path(__FILE__).parent_path() / "../../fuzz/corpus" / target;
  std::vector<Seed> out;
  for (const auto& e : std::filesystem::directory_iterator(root)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::ifstream in(e.path(), std::ios::binary);
    out.push_back({name, std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {})});
  }
  std::sort(out.begin(), out.end(), [](const Seed& a, const Seed& b) { return a.name < b.name; });
  return out;
}

// One to three mutations of `b`, drawn from `rng`.
inline std::vector<uint8_t> mutate(std::vector<uint8_t> b, std::mt19937_64& rng) {
  static const char* const garbage[] = {"\0", "\xff", "\xef\xbb\xbf", "\xe2\x80\xa8", "\"", "\\", "{", "}", "[", "]", ",",
                                        ":", "\t", "\n", "\r", " ", "#", "\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x99\x82", "\xcc\x81", "null", "1e999", "\n\n"};
  static const char* const numbers[] = {"NaN", "inf", "1e309", "-1e309", "1e39", "1e-50", "9007199254740993", "99999999999999999999",
                                        "2147483648", "-2147483649", "-1", "0x10", "1,5", "+", "-", ".", "1e", "--1", "", "-0", "00012", ".5"};
  const auto line_spans = [&] {
    std::vector<std::pair<size_t, size_t>> out;
    size_t s = 0;
    for (size_t i = 0; i < b.size(); i++)
      if (b[i] == '\n') out.emplace_back(s, i + 1), s = i + 1;
    if (s < b.size()) out.emplace_back(s, b.size());
    return out;
  };
  const auto splice = [&](size_t s, size_t e, const std::vector<uint8_t>& ins) {
    std::vector<uint8_t> out(b.begin(), b.begin() + static_cast<ptrdiff_t>(s));
    out.insert(out.end(), ins.begin(), ins.end());
    out.insert(out.end(), b.begin() + static_cast<ptrdiff_t>(e), b.end());
    b = std::move(out);
  };
  // "\0" is the one garbage piece of length 0 to strlen: it stands for the NUL byte.
  const auto bytes_of = [](const char* s) { return std::vector<uint8_t>(s, s + (*s ? std::char_traits<char>::length(s) : 1)); };
  for (size_t n = 1 + rng() % 3; n > 0; n--) {
    const size_t at = rng() % (b.size() + 1);
    // Weights as in test/helpers/fuzz.ts: flip 4, truncate 2, dup 2, drop 2, insert 3, number 4, crlf 1, empty 1.
    const uint64_t k = rng() % 19;
    if (k < 4) {
      if (!b.empty()) b[at % b.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    } else if (k < 6) {
      b.resize(at);
    } else if (k < 10) {
      const auto lines = line_spans();
      if (lines.empty()) continue;
      const auto [s, e] = lines[rng() % lines.size()];
      if (k < 8) splice(s, s, std::vector<uint8_t>(b.begin() + static_cast<ptrdiff_t>(s), b.begin() + static_cast<ptrdiff_t>(e)));
      else splice(s, e, {});
    } else if (k < 13) {
      std::vector<uint8_t> ins;
      if (rng() % 2) ins = bytes_of(garbage[rng() % std::size(garbage)]);
      else for (size_t i = 1 + rng() % 8; i > 0; i--) ins.push_back(static_cast<uint8_t>(rng()));
      splice(at, at, ins);
    } else if (k < 17) {  // the nth run of digits (with its sign, point and exponent) becomes an odd literal
      std::vector<std::pair<size_t, size_t>> spans;
      const auto digit = [&](size_t i) { return i < b.size() && b[i] >= '0' && b[i] <= '9'; };
      for (size_t i = 0; i < b.size();) {
        if (!digit(i)) { i++; continue; }
        size_t s = i > 0 && (b[i - 1] == '-' || b[i - 1] == '+' || b[i - 1] == '.') ? i - 1 : i;
        while (digit(i) || (i < b.size() && (b[i] == '.' || b[i] == 'e' || b[i] == 'E'))) i++;
        spans.emplace_back(s, i);
      }
      if (spans.empty()) continue;
      const auto [s, e] = spans[rng() % spans.size()];
      const char* lit = numbers[rng() % std::size(numbers)];
      splice(s, e, std::vector<uint8_t>(lit, lit + std::char_traits<char>::length(lit)));
    } else if (k < 18) {
      std::vector<uint8_t> out;
      for (size_t i = 0; i < b.size(); i++) {
        if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) out.push_back('\r');
        out.push_back(b[i]);
      }
      b = std::move(out);
    } else {
      b.clear();
    }
  }
  return b;
}

}  // namespace xmrfuzz_seeds
