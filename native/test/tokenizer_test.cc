// The tokenizer kernel on hand-worked cases: normalizers, pre-tokenizers, WordPiece, Unigram,
// added tokens, truncation, padding, offsets in UTF-16 units, and thread-count independence.
// (Agreement with Hugging Face tokenizers on real text is tested from Node: test/tokenizer-*.)
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/tokenizer.h"
#include "xmr/unicode.h"

namespace {

using namespace xmr::tok;

TokenizerSpec bert_spec(bool lowercase) {
  TokenizerSpec s;
  NormalizerSpec n;
  n.kind = NormKind::Bert;
  n.lowercase = lowercase;
  n.strip_accents = lowercase;
  s.normalizers.push_back(n);
  s.pre_tokenizers.push_back(PreTokenizerSpec{});
  s.model.vocab = {"[UNK]", "[CLS]", "[SEP]", "[PAD]", "un", "##aff", "##able", "hello", "world", "!", "cafe", "café",
                   "日", "本", "Hello", "a", "##a"};
  s.model.unk_id = 0;
  s.added_tokens.push_back({1, "[CLS]", false, false});
  s.post.prefix = {1};
  s.post.prefix_types = {0};
  s.post.suffix = {2};
  s.post.suffix_types = {0};
  return s;
}

std::vector<int32_t> ids(const Tokenizer& t, const std::string& text, bool special = false) {
  std::vector<int32_t> out;
  for (const auto& x : encode_one(t, text, special)) out.push_back(x.id);
  return out;
}

using V = std::vector<int32_t>;

}  // namespace

XMR_TEST("WordPiece: greedy longest match first, ## continuations, [UNK] for the whole word") {
  auto t = make_tokenizer(bert_spec(true));
  CHECK((ids(*t, "unaffable") == V{4, 5, 6}));
  CHECK((ids(*t, "unaffablex hello") == V{0, 7}));
  CHECK((ids(*t, "Hello, WORLD!", true) == V{1, 7, 0, 8, 9, 2}));
  auto spec = bert_spec(true);
  spec.model.max_input_chars_per_word = 4;
  auto short_words = make_tokenizer(spec);
  CHECK((ids(*short_words, "unaffable hello") == V{0, 0}));
  CHECK((ids(*short_words, "aaaa") == V{15, 16, 16, 16}));
}

XMR_TEST("BertNormalizer: clean text, CJK padding, accents and case per settings") {
  auto uncased = make_tokenizer(bert_spec(true));
  CHECK((ids(*uncased, "Café\t\x01HELLO\xef\xbf\xbd") == V{10, 7}));  // control char and U+FFFD removed
  CHECK((ids(*uncased, "日本") == V{12, 13}));
  auto cased = make_tokenizer(bert_spec(false));
  CHECK((ids(*cased, "café Hello") == V{11, 14}));
  CHECK((ids(*cased, "Cafe\xcc\x81") == V{0}));  // NFD input stays decomposed without NFC
}

XMR_TEST("offsets are UTF-16 code units of the input, special tokens (0, 0)") {
  auto t = make_tokenizer(bert_spec(true));
  // U+1F600 is two UTF-16 units: "hello" starts at 3, not 2.
  auto tokens = encode_one(*t, "\xf0\x9f\x98\x80 hello unaffable", true);
  CHECK(tokens.size() == 7);
  CHECK(tokens[0].start == 0 && tokens[0].end == 0);
  CHECK(tokens[1].id == 0 && tokens[1].start == 0 && tokens[1].end == 2);
  CHECK(tokens[2].id == 7 && tokens[2].start == 3 && tokens[2].end == 8);
  CHECK(tokens[3].start == 9 && tokens[3].end == 11);
  CHECK(tokens[4].start == 11 && tokens[4].end == 14);
  CHECK(tokens[5].start == 14 && tokens[5].end == 18);
}

XMR_TEST("added tokens are matched verbatim before normalization") {
  auto t = make_tokenizer(bert_spec(true));
  CHECK((ids(*t, "hello[CLS]world") == V{7, 1, 8}));
  CHECK((ids(*t, "hello[cls]") == V{7, 0, 0, 0}));  // no "[" in the vocabulary
}

XMR_TEST("Unigram: Viterbi best path, unknowns fused (HF's documented example)") {
  TokenizerSpec s;
  s.model.kind = ModelKind::Unigram;
  s.model.vocab = {"<unk>", "a", "b", "c", "d", "cd", "ab", "abc", "abcd"};
  s.model.scores = {0, 0, 0, 0, 0, 1, 2, 5, 10};
  s.model.unk_id = 0;
  auto t = make_tokenizer(s);
  CHECK((ids(*t, "abcdacdxx") == V{8, 1, 5, 0}));
  auto tokens = encode_one(*t, "abcdacdxx", false);
  CHECK(tokens[3].start == 7 && tokens[3].end == 9);
}

XMR_TEST("Metaspace replaces spaces and splits before each replacement") {
  TokenizerSpec s;
  PreTokenizerSpec m;
  m.kind = PreKind::Metaspace;
  s.pre_tokenizers.push_back(m);
  s.model.kind = ModelKind::Unigram;
  s.model.vocab = {"<unk>", "\xe2\x96\x81Hey", "\xe2\x96\x81", "\xe2\x96\x81" "friend", "!"};
  s.model.scores = {0, -1, -1, -1, -1};
  s.model.unk_id = 0;
  auto t = make_tokenizer(s);
  CHECK((ids(*t, "Hey   friend!") == V{1, 2, 2, 3, 4}));
  auto tokens = encode_one(*t, "Hey   friend!", false);
  CHECK(tokens[0].start == 0 && tokens[0].end == 3);   // the prepended ▁ aligns with 'H'
  CHECK(tokens[3].start == 5 && tokens[3].end == 12);  // ▁friend includes its space
}

XMR_TEST("NFC composes, NFKC folds compatibility characters") {
  TokenizerSpec s;
  NormalizerSpec n;
  n.kind = NormKind::Nfc;
  s.normalizers.push_back(n);
  PreTokenizerSpec pre;
  pre.kind = PreKind::WhitespaceSplit;
  s.pre_tokenizers.push_back(pre);
  s.model.vocab = {"[UNK]", "\xc3\xa9", "fi", "2", "\xef\xac\x81", "\xc2\xb2"};
  s.model.unk_id = 0;
  CHECK((ids(*make_tokenizer(s), "e\xcc\x81 \xef\xac\x81 \xc2\xb2") == V{1, 4, 5}));
  s.normalizers[0].kind = NormKind::Nfkc;
  CHECK((ids(*make_tokenizer(s), "e\xcc\x81 \xef\xac\x81 \xc2\xb2") == V{1, 2, 3}));
}

XMR_TEST("Unicode classes: whitespace, HF punctuation and marks, lower-casing") {
  using namespace xmr::unicode;
  CHECK(has(0x3000, kWhiteSpace) && has(0xA0, kWhiteSpace) && !has(0x200B, kWhiteSpace));
  CHECK(has(0x3002, kHfPunct) && has(0x00BF, kHfPunct) && has('$', kHfPunct) && !has(0x2E43, kHfPunct));
  CHECK(has(0x0301, kHfMark) && has(0x0903, kHfMark) && !has(0x111C9, kHfMark));
  std::u32string lower;
  append_lower(0x130, &lower);
  append_lower(0x41, &lower);
  append_lower(0x416, &lower);
  CHECK((lower == std::u32string{0x69, 0x307, 0x61, 0x436}));
}

XMR_TEST("batch: truncation, padding and identical results for any thread count") {
  auto t = make_tokenizer(bert_spec(true));
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) texts.push_back(std::string(static_cast<size_t>(i % 17), 'a') + " hello unaffable world");
  std::vector<std::string_view> views(texts.begin(), texts.end());
  EncodeOptions o;
  o.max_length = 8;
  o.padding = Padding::Longest;
  o.pad_id = 3;
  o.offsets = true;
  o.threads = 1;
  const BatchEncoding one = encode_batch(*t, views.data(), views.size(), o);
  o.threads = 3;
  const BatchEncoding three = encode_batch(*t, views.data(), views.size(), o);
  CHECK(one.cols == 8 && one.rows == 300);
  CHECK(one.ids32 == three.ids32 && one.offsets == three.offsets && one.lengths == three.lengths);
  CHECK((std::vector<int32_t>(one.ids32.begin(), one.ids32.begin() + 8) == V{1, 7, 4, 5, 6, 8, 2, 3}));
  CHECK(one.mask8[7] == 0 && one.mask8[6] == 1);
  o.padding = Padding::None;
  o.max_length = 0;
  const BatchEncoding ragged = encode_batch(*t, views.data(), views.size(), o);
  size_t total = 0;
  for (uint32_t l : ragged.lengths) total += l;
  CHECK(ragged.cols == 0 && ragged.ids32.size() == total);
  o.max_length = 1;
  bool threw = false;
  try { encode_batch(*t, views.data(), views.size(), o); } catch (const std::invalid_argument&) { threw = true; }
  CHECK(threw);
}

XMR_TEST("bad input: invalid UTF-8, NUL bytes, empty and long texts") {
  auto t = make_tokenizer(bert_spec(true));
  CHECK((ids(*t, std::string("\xff\xfe hello \xed\xa0\x80", 12)) == V{7}));
  CHECK((ids(*t, std::string("hello\0world", 11)) == V{0}));  // NUL removed: one unknown word, as in HF
  CHECK((ids(*t, "", true) == V{1, 2}));
  std::string big(1 << 20, 'a');
  CHECK((ids(*t, big) == V{0}));  // longer than max_input_chars_per_word
}

namespace {

// The clusters grapheme_end cuts s into, as their ends.
std::vector<size_t> cluster_ends(const std::u32string& s) {
  std::vector<size_t> out;
  for (size_t i = 0; i < s.size(); i = out.back()) out.push_back(xmr::unicode::grapheme_end(s.data(), i, s.size()));
  return out;
}

}  // namespace

XMR_TEST("grapheme clusters: every case of Unicode 15.0's GraphemeBreakTest.txt") {
  std::FILE* f = std::fopen("native/test/data/GraphemeBreakTest-15.0.txt", "r");
  CHECK_MSG(f != nullptr, "native/test/data/GraphemeBreakTest-15.0.txt (run from the package folder)");
  if (f == nullptr) return;
  char line[1024];
  int cases = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (line[0] == '#') continue;
    // "÷ 0020 × 0308 ÷": code points, and after each the mark saying whether a cluster ends there
    std::u32string s;
    std::vector<size_t> want;
    for (const char* p = line; *p != '\0';) {
      if (std::strncmp(p, "\xc3\xb7", 2) == 0) {  // ÷
        if (!s.empty()) want.push_back(s.size());
        p += 2;
      } else if (std::strncmp(p, "\xc3\x97", 2) == 0) {  // ×
        p += 2;
      } else if (std::isxdigit(static_cast<unsigned char>(*p))) {
        char* end;
        s.push_back(static_cast<char32_t>(std::strtoul(p, &end, 16)));
        p = end;
      } else {
        ++p;
      }
    }
    CHECK_MSG(cluster_ends(s) == want, std::string("GraphemeBreakTest line: ") + line);
    ++cases;
  }
  std::fclose(f);
  CHECK(cases == 602);
}

XMR_TEST("Precompiled: a malformed charsmap is refused; a trie pointing anywhere is read safely") {
  const auto refused = [](std::string_view bytes) {
    NormalizerSpec n;
    try {
      parse_precompiled(bytes, &n);
    } catch (const std::invalid_argument&) {
      return true;
    }
    return false;
  };
  CHECK(refused(std::string_view("\x01\x00\x00", 3)));                           // no room for the trie size
  CHECK(refused(std::string_view("\x08\x00\x00\x00\x01\x02\x03\x04", 8)));      // a trie past the end
  CHECK(refused(std::string_view("\x00\x00\x00\x00\xc3\x28", 6)));              // replacements not UTF-8
  // A 3-unit trie with one key, the byte 0x01: the root (offset 0), the key's unit (label 1, a
  // leaf, offset 3 so its value sits at 1 ^ 3 = 2), and the value: the offset of the replacement
  // in "é". Offset 0 replaces; 1 (inside é's UTF-8) and 999 (past the end) would make HF panic and
  // here match nothing; a root whose offset sends every byte outside the array matches nothing.
  const auto trie = [](uint8_t value) {
    return std::string("\x0c\x00\x00\x00" "\x00\x00\x00\x00" "\x01\x0d\x00\x00", 12) + std::string(1, static_cast<char>(value)) +
           std::string("\x00\x00\x00", 3) + "\xc3\xa9";
  };
  const std::pair<std::string, bool> cases[] = {{trie(0), true}, {trie(1), false}, {trie(231), false},
                                                {std::string("\x04\x00\x00\x00\xff\xff\xff\xff", 8), false}};
  for (const auto& [bytes, replaces] : cases) {
    TokenizerSpec s;
    NormalizerSpec p;
    p.kind = NormKind::Precompiled;
    parse_precompiled(bytes, &p);
    s.normalizers.push_back(p);
    s.model.vocab = {"[UNK]", "\xc3\xa9"};
    s.model.unk_id = 0;
    auto t = make_tokenizer(std::move(s));
    CHECK(ids(*t, "\x01") == (replaces ? V{1} : V{0}));
  }
}
