// Strings to embeddings with the dual encoder in one native call: the texts are tokenized
// (xmr/tokenizer.h, encode_batch without padding) and the ragged ids encoded (DualEncoder::encode)
// without going back to JavaScript, so no id arrays are copied out, checked in TypeScript or
// handed over again. The result equals tokenizing and then encoding, bit for bit, whatever the
// thread count.
#pragma once
#include <cstddef>
#include <string_view>

#include "xmr/cpu.h"
#include "xmr/dual_encoder.h"
#include "xmr/tokenizer.h"

namespace xmr {

// texts[0..n) (UTF-8) into out (n × model.out_dim(), row-major), on opt.threads threads (padding,
// offsets, type ids and the id format of opt are ignored). Throws std::invalid_argument when `isa` is not supported
// or a token id falls outside the model's vocabulary (naming the text).
void encode_texts(const DualEncoder& model, const tok::Tokenizer& tok, const std::string_view* texts, size_t n,
                  const tok::EncodeOptions& opt, float* out, Isa isa);

}  // namespace xmr
