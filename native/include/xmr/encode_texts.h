// Strings to embeddings with the dual encoder in one pass: each text is tokenized (xmr/tokenizer.h)
// and encoded (xmr/dual_encoder.h) at once, on the thread that tokenized it. The bag-of-subwords
// model reads nothing but a text's own ids, so no id matrix is built, copied or handed to
// JavaScript, and the ids are read while they are still in cache. Each embedding is computed by
// DualEncoder::encode_row, as DualEncoder::encode computes it: the result equals tokenizing with
// encode_batch and then encoding, bit for bit, whatever the thread count.
#pragma once
#include <cstddef>
#include <string_view>

#include "xmr/cpu.h"
#include "xmr/dual_encoder.h"
#include "xmr/tokenizer.h"

namespace xmr {

// texts[0..n) (UTF-8) into out (n × model.out_dim(), row-major), on opt.threads threads (padding
// and the id formats of opt are ignored). Throws std::invalid_argument when `isa` is not supported
// or a token id falls outside the model's vocabulary (naming the text).
void encode_texts(const DualEncoder& model, const tok::Tokenizer& tok, const std::string_view* texts, size_t n,
                  const tok::EncodeOptions& opt, float* out, Isa isa);

}  // namespace xmr
