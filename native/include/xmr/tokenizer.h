// A text tokenizer equivalent to Hugging Face tokenizers for the components listed below, built
// for throughput: a whole batch per call, split over threads, ids and offsets in flat arrays.
//
// Pipeline per text (as in HF): split out added (special) tokens found verbatim in the text →
// normalize each remaining segment (a sequence of normalizers) → pre-tokenize it into words → the
// model turns each word into tokens → truncate → add the post-processor's special tokens → pad.
// Offsets are in UTF-16 code units of the input text (what JavaScript strings index), end
// exclusive; special and padding tokens have (0, 0).
//
// The spec is already validated and flattened (src/tokenize/ parses tokenizer.json); make_tokenizer
// checks what could make the kernel misbehave and throws std::invalid_argument otherwise.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xmr::tok {

// ReplaceWhitespace: HF's Replace with the regex `\s+` (CLIP's clean-up): every run of White_Space
// becomes `content`. ReplaceSpaces: the Replace with the regex ` {2,}` that sentencepiece
// conversions carry (XLM-R, mT5): every run of two or more U+0020 becomes `content`. Precompiled:
// sentencepiece's precompiled_charsmap (parse_precompiled).
enum class NormKind { Bert, Nfc, Nfd, Nfkc, Nfkd, Lowercase, StripAccents, Replace, Strip, Prepend, ReplaceWhitespace, ReplaceSpaces, Precompiled };

struct NormalizerSpec {
  NormKind kind = NormKind::Nfc;
  // Bert
  bool clean_text = true, handle_chinese_chars = true, strip_accents = true, lowercase = true;
  // Replace (a literal pattern, every non-overlapping occurrence) / Prepend
  std::string pattern, content;
  // Strip
  bool left = true, right = true;
  // Precompiled: the charsmap's double-array trie (Darts units) and its NUL-terminated replacements
  std::vector<uint32_t> trie;
  std::string replacements;
};

// Fills out->trie and out->replacements from a precompiled_charsmap (the bytes of tokenizer.json's
// base64 string): a little-endian u32 byte size of the trie, the trie, then the replacements.
// Throws std::invalid_argument when the bytes cannot be that (as HF refuses them).
void parse_precompiled(std::string_view charsmap, NormalizerSpec* out);

enum class Behavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };
enum class PrependScheme { Always, Never, First };
enum class PreKind { Bert, Whitespace, WhitespaceSplit, Metaspace, Punctuation, Digits, ByteLevel, Split };
// The patterns a Split pre-tokenizer may use: a literal string, or one of the regexes real
// tokenizer.json files carry, matched by hand-written code (tokenizer_bytelevel.cc) with
// Oniguruma's semantics: GPT-2's (ByteLevel's own), CLIP's, CLIP's with its two special tokens,
// Llama 3's (GPT-4's cl100k) and Qwen2's (the same with one digit at a time).
enum class SplitPattern { Literal, Gpt2, Clip, ClipWithSpecials, Llama3, Qwen2 };

struct PreTokenizerSpec {
  PreKind kind = PreKind::Bert;
  char32_t replacement = 0x2581;  // Metaspace
  PrependScheme prepend_scheme = PrependScheme::Always;
  bool split = true;
  Behavior behavior = Behavior::Isolated;  // Punctuation
  bool individual_digits = false;          // Digits
  bool add_prefix_space = false;           // ByteLevel: a space before each word not starting with one
  bool use_regex = true;                   // ByteLevel: split with GPT-2's regex
  SplitPattern pattern = SplitPattern::Literal;  // Split (behavior above)
  std::string literal;                     // Split with a literal pattern
  bool invert = false;                     // Split: the matches are the words
};

enum class ModelKind { WordPiece, Unigram, Bpe };

struct ModelSpec {
  ModelKind kind = ModelKind::WordPiece;
  std::vector<std::string> vocab;  // UTF-8, index = id; "" marks an id the vocabulary skips (a hole)
  std::vector<double> scores;      // Unigram: one per vocab entry
  int32_t unk_id = -1;             // −1: none (Unigram then fails on an unknown character)
  std::string continuing_subword_prefix = "##";
  size_t max_input_chars_per_word = 100;
  bool byte_fallback = false;
  // BPE: merges in rank order (token pairs; the result must be in the vocabulary); the prefix of
  // every non-first symbol and the suffix of the last ("" = none, as HF's None); unknown
  // characters fused into one unk token; whole words in the vocabulary kept unmerged.
  std::vector<std::pair<std::string, std::string>> merges;
  std::string end_of_word_suffix;
  bool fuse_unk = false, ignore_merges = false;
};

// An added token: matched verbatim in the raw text before normalization (normalized = false), or
// in the normalized text, its content normalized too (normalized = true), as HF's two passes do.
// lstrip/rstrip also swallow the whitespace before/after a match.
struct AddedTokenSpec {
  int32_t id = 0;
  std::string content;
  bool lstrip = false, rstrip = false;
  bool normalized = false;
};

// Bert/Roberta/Template processing of a single sequence: prefix tokens, the sequence, suffix tokens.
struct PostSpec {
  std::vector<int32_t> prefix, suffix;
  std::vector<uint8_t> prefix_types, suffix_types;
  uint8_t sequence_type = 0;
  bool trim_offsets = false;  // RobertaProcessing: trim whitespace (and 'Ġ') from token offsets
  bool add_prefix_space = false;
};

struct TokenizerSpec {
  std::vector<NormalizerSpec> normalizers;
  std::vector<PreTokenizerSpec> pre_tokenizers;
  ModelSpec model;
  std::vector<AddedTokenSpec> added_tokens;
  PostSpec post;
};

class Tokenizer;  // immutable once built; share freely between threads
std::shared_ptr<const Tokenizer> make_tokenizer(TokenizerSpec spec);

enum class Padding { None, Longest, MaxLength };

struct EncodeOptions {
  size_t max_length = 0;  // 0: no truncation; counts the special tokens added
  bool truncate_left = false;
  Padding padding = Padding::None;
  bool pad_left = false;
  int32_t pad_id = 0;
  uint8_t pad_type_id = 0;
  bool add_special_tokens = true;
  bool offsets = false;
  bool type_ids = false;
  bool int64 = false;  // ids, attention mask and type ids as int64 (ONNX inputs)
  int threads = 1;
};

// Row-major rows × cols arrays when padded; when not padded, rows are concatenated (cols = 0) and
// `lengths` delimits them. Exactly one of the 32/64-bit families is filled (EncodeOptions::int64).
struct BatchEncoding {
  size_t rows = 0, cols = 0;
  std::vector<uint32_t> lengths;  // tokens per row before padding
  std::vector<int32_t> ids32;
  std::vector<int64_t> ids64;
  std::vector<uint8_t> mask8;
  std::vector<int64_t> mask64;
  std::vector<uint8_t> types8;
  std::vector<int64_t> types64;
  std::vector<uint32_t> offsets;  // (start, end) pairs per token
};

// texts are UTF-8 (invalid bytes read as U+FFFD, one UTF-16 unit each).
BatchEncoding encode_batch(const Tokenizer& tok, const std::string_view* texts, size_t n, const EncodeOptions& opt);

// Debugging aid for the CLI and tests: the tokens of one text as (id, start, end).
struct TokenInfo {
  int32_t id;
  uint32_t start, end;
};
std::vector<TokenInfo> encode_one(const Tokenizer& tok, std::string_view text, bool add_special_tokens);
// The text after the normalizers (UTF-8), and the words after the pre-tokenizers as
// (normalized word, UTF-16 start, end) — what HF's normalizeString / preTokenizeString show.
std::string normalize_text(const Tokenizer& tok, std::string_view text);
struct WordInfo {
  std::string text;
  uint32_t start, end;
};
std::vector<WordInfo> pre_tokenize_text(const Tokenizer& tok, std::string_view text);
const std::string& token_string(const Tokenizer& tok, int32_t id);  // "" when out of range
size_t vocab_size(const Tokenizer& tok);  // 1 + the largest id of the vocabulary and the added tokens
// Heap bytes the tokenizer's tables hold (container capacities; allocator overhead aside): what the
// binding reports to V8 as external memory, so that dead tokenizers prompt a GC as their size warrants.
size_t memory_bytes(const Tokenizer& tok);

}  // namespace xmr::tok
