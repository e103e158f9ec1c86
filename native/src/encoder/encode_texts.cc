// Fused tokenize + encode (formulas and guarantees in xmr/encode_texts.h).
#include "xmr/encode_texts.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace xmr {

void encode_texts(const DualEncoder& model, const tok::Tokenizer& tok, const std::string_view* texts, size_t n,
                  const tok::EncodeOptions& opt, float* out, Isa isa) {
  if (isa > detect_isa()) throw std::invalid_argument(std::string("this CPU does not support ") + isa_name(isa));
  const size_t vocab = model.vocab(), dp = model.out_dim();
  // One scratch row per thread of the tokenizer's team.
  std::vector<std::vector<float>> scratch(static_cast<size_t>(std::max(1, opt.threads)), std::vector<float>(model.dim()));
  tok::tokenize_each(tok, texts, n, opt, [&](int thread, size_t i, const int32_t* ids, size_t len) {
    for (size_t k = 0; k < len; ++k)
      if (ids[k] < 0 || static_cast<size_t>(ids[k]) >= vocab)
        throw std::invalid_argument("texts[" + std::to_string(i) + "] gives token id " + std::to_string(ids[k]) +
                                    ", outside the model's vocabulary [0, " + std::to_string(vocab) + ")");
    model.encode_row(ids, len, out + i * dp, scratch[static_cast<size_t>(thread)].data(), isa);
  });
}

}  // namespace xmr
