// Tokenize + encode in one native call (guarantees in xmr/encode_texts.h). The two phases run one
// after the other, each over the whole batch on the team: interleaving them text by text was
// measured slower, as each text's gather of embedding rows evicts the tokenizer's tables.
#include "xmr/encode_texts.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace xmr {

void encode_texts(const DualEncoder& model, const tok::Tokenizer& tok, const std::string_view* texts, size_t n,
                  const tok::EncodeOptions& opt, float* out, Isa isa) {
  require_isa(isa);
  tok::EncodeOptions o = opt;
  o.padding = tok::Padding::None;
  o.offsets = o.type_ids = o.int64 = false;
  const tok::BatchEncoding b = tok::encode_batch(tok, texts, n, o);
  std::vector<uint32_t> offsets(n + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    offsets[i + 1] = offsets[i] + b.lengths[i];
    for (uint32_t k = offsets[i]; k < offsets[i + 1]; ++k)
      if (static_cast<size_t>(b.ids32[k]) >= model.vocab())  // ids are ≥ 0
        throw std::invalid_argument("texts[" + std::to_string(i) + "] gives token id " + std::to_string(b.ids32[k]) +
                                    ", outside the model's vocabulary [0, " + std::to_string(model.vocab()) + ")");
  }
  model.encode({b.ids32.data(), b.ids32.size(), offsets.data(), n}, out, std::max(1, opt.threads), isa);
}

}  // namespace xmr
