// The dual encoder's forward pass against a hand computation, pool validation, and the checkpoint
// format: round trip, and every kind of damage (truncation, foreign file, flipped byte) → an error.
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/checkpoint.h"
#include "xmr/dual_encoder.h"

namespace {

using xmr::Isa;

std::vector<Isa> isas() { return xmrtest::runnable({Isa::Scalar, Isa::Avx2, Isa::Avx512}); }

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

XMR_TEST("dual_encoder: encode = normalize(W · mean E[ids]) on every ISA, empty sequence → 0") {
  const size_t V = 7, d = 19, dp = 5;
  xmr::DualEncoder m(V, d, dp);
  m.init(3, 0.5f);
  const std::vector<int32_t> ids = {1, 4, 4, 6, 2, 0, 3};
  const std::vector<uint32_t> off = {0, 4, 4, 7};
  xmr::SequencePool pool{ids.data(), ids.size(), off.data(), 3};
  for (Isa isa : isas()) {
    std::vector<float> out(3 * dp, -1.0f);
    m.encode(pool, out.data(), 2, isa);
    for (size_t s = 0; s < 3; ++s) {
      std::vector<double> mean(d, 0.0), u(dp, 0.0);
      const size_t n = off[s + 1] - off[s];
      for (size_t k = off[s]; k < off[s + 1]; ++k)
        for (size_t p = 0; p < d; ++p) mean[p] += m.embeddings()[size_t(ids[k]) * d + p] / double(n);
      double nn = 0;
      for (size_t r = 0; r < dp; ++r) {
        for (size_t p = 0; p < d; ++p) u[r] += m.projection()[r * d + p] * mean[p];
        nn += u[r] * u[r];
      }
      for (size_t r = 0; r < dp; ++r) {
        const double want = n == 0 ? 0.0 : u[r] / std::sqrt(nn);
        CHECK_MSG(std::fabs(out[s * dp + r] - want) < 1e-5, "seq " + std::to_string(s) + " isa " + xmr::isa_name(isa));
      }
    }
  }
}

// Every length from 0 to 70 puts the tail (n mod 8, n mod 16) and the whole-vector loops of both
// vector paths at every position; the 16 floats past n are sentinels the masked stores must not touch.
XMR_TEST("dual_encoder: the vector loops (dot, axpy, Adam) agree with the scalar path on every ISA and tail") {
  const xmr::detail::AdamCoeffs c{0.9f, 0.999f, 0.01f, 1.0f / 0.19f, 1.0f / 0.0199f, 1e-8f, 0.9999f};
  const auto& ref = xmr::detail::vec_ops_scalar();
  for (Isa isa : isas()) {
    const auto& ops = xmr::detail::vec_ops(isa);
    for (size_t n = 0; n <= 70; ++n) {
      const std::string at = std::string(" isa ") + xmr::isa_name(isa) + ", n " + std::to_string(n);
      std::vector<float> x(n + 16), y(n + 16, 7.0f), p(n + 16, 3.0f), g(n + 16), m(n + 16, 5.0f), v(n + 16, 6.0f);
      for (size_t i = 0; i < n; ++i) {
        x[i] = std::sin(0.7f * static_cast<float>(i) + 0.1f);
        y[i] = std::cos(1.3f * static_cast<float>(i));
        p[i] = 0.5f - 0.01f * static_cast<float>(i);
        g[i] = std::sin(2.1f * static_cast<float>(i)) * 0.3f;
        m[i] = 0.01f * static_cast<float>(i % 7);
        v[i] = 0.001f * static_cast<float>(i % 5);
      }
      double want = 0;
      for (size_t i = 0; i < n; ++i) want += static_cast<double>(x[i]) * y[i];
      CHECK_MSG(std::fabs(ops.dot(x.data(), y.data(), n) - want) <= 1e-5 * (1 + std::fabs(want)), "dot" + at);
      std::vector<float> y0 = y, p2 = p, m2 = m, v2 = v;
      ops.axpy(0.25f, x.data(), y.data(), n);
      for (size_t i = 0; i < n + 16; ++i)
        CHECK_MSG(y[i] == (i < n ? std::fma(0.25f, x[i], y0[i]) : 7.0f), "axpy" + at + ", i " + std::to_string(i));
      // Adam: the scalar path's values within 1e-6 of the operands' scale (GCC may fuse a multiply and
      // an add of the AVX2 path into one FMA, one rounding fewer, and β₁m + (1 − β₁)g may cancel), and
      // not a float past n written.
      ops.adam(p.data(), g.data(), m.data(), v.data(), n, c);
      ref.adam(p2.data(), g.data(), m2.data(), v2.data(), n, c);
      const auto close = [](float a, float b) { return std::fabs(a - b) <= 1e-6f * (std::fabs(b) + 0.01f); };
      for (size_t i = 0; i < n + 16; ++i)
        CHECK_MSG(i < n ? close(p[i], p2[i]) && close(m[i], m2[i]) && close(v[i], v2[i]) : p[i] == 3.0f && m[i] == 5.0f && v[i] == 6.0f,
                  "adam" + at + ", i " + std::to_string(i));
    }
  }
}

XMR_TEST("dual_encoder: without a projection the output is the normalised mean; init is seeded") {
  xmr::DualEncoder a(10, 8, 0), b(10, 8, 0), c(10, 8, 0);
  a.init(42, 1.0f);
  b.init(42, 1.0f);
  c.init(43, 1.0f);
  CHECK(std::memcmp(a.embeddings(), b.embeddings(), 80 * sizeof(float)) == 0);
  CHECK(std::memcmp(a.embeddings(), c.embeddings(), 80 * sizeof(float)) != 0);
  CHECK(a.out_dim() == 8 && !a.has_projection() && a.projection_floats() == 0);
  const std::vector<int32_t> ids = {3};
  const std::vector<uint32_t> off = {0, 1};
  std::vector<float> out(8);
  a.encode({ids.data(), 1, off.data(), 1}, out.data(), 1, Isa::Scalar);
  double nn = 0;
  for (size_t p = 0; p < 8; ++p) nn += double(a.embeddings()[24 + p]) * a.embeddings()[24 + p];
  for (size_t p = 0; p < 8; ++p) CHECK(std::fabs(out[p] - a.embeddings()[24 + p] / std::sqrt(nn)) < 1e-6);
}

XMR_TEST("dual_encoder: bad pools are rejected with the offending position") {
  xmr::DualEncoder m(5, 4, 0);
  std::vector<float> out(8);
  const std::vector<int32_t> ids = {1, 5};
  const std::vector<uint32_t> off = {0, 1, 2};
  CHECK(error_of([&] { m.encode({ids.data(), 2, off.data(), 2}, out.data(), 1, Isa::Scalar); }) ==
        "ids[1] = 5 is outside the vocabulary [0, 5)");
  const std::vector<uint32_t> bad = {0, 2, 1};
  CHECK(error_of([&] { m.encode({ids.data(), 2, bad.data(), 2}, out.data(), 1, Isa::Scalar); }) ==
        "offsets must not decrease: offsets[2] = 1 < offsets[1] = 2");
  const std::vector<uint32_t> past = {0, 1, 3};
  CHECK(error_of([&] { m.encode({ids.data(), 2, past.data(), 2}, out.data(), 1, Isa::Scalar); }) ==
        "offsets[2] = 3 is past the end of ids (length 2)");
}

xmr::DualEncoder small_model() {
  xmr::DualEncoder m(11, 6, 3);
  m.init(9, 0.3f);
  return m;
}

XMR_TEST("checkpoint: round trip keeps weights, moments, step, tau and config bit for bit") {
  auto m = small_model();
  std::vector<float> mE(66), vE(66), mW(18), vW(18);
  for (size_t i = 0; i < 66; ++i) mE[i] = float(i) * 0.5f, vE[i] = float(i) * 0.25f;
  for (size_t i = 0; i < 18; ++i) mW[i] = -float(i), vW[i] = float(i) + 1;
  const auto bytes = xmr::write_checkpoint(m, {mE.data(), vE.data(), mW.data(), vW.data()}, 0.05f, 1234, "{\"a\":1}");
  CHECK(bytes.size() == 80 + 7 + (66 + 18) * 3 * 4 + 8);
  const auto c = xmr::read_checkpoint(bytes.data(), bytes.size());
  CHECK(c.vocab == 11 && c.dim == 6 && c.proj_dim == 3 && c.tau == 0.05f && c.step == 1234 && c.config == "{\"a\":1}");
  CHECK(c.has_optimizer);
  CHECK(std::memcmp(c.E.data(), m.embeddings(), 66 * 4) == 0);
  CHECK(std::memcmp(c.W.data(), m.projection(), 18 * 4) == 0);
  CHECK(c.mE == mE && c.vE == vE && c.mW == mW && c.vW == vW);
  const auto light = xmr::write_checkpoint(m, {}, 0.1f, 0, "");
  const auto l = xmr::read_checkpoint(light.data(), light.size());
  CHECK(!l.has_optimizer && l.mE.empty() && l.E.size() == 66);
}

XMR_TEST("checkpoint: crc32 is zlib's (\"123456789\" → 0xCBF43926)") {
  const char* s = "123456789";
  CHECK(xmr::crc32(reinterpret_cast<const uint8_t*>(s), 9) == 0xCBF43926u);
  CHECK(xmr::crc32(reinterpret_cast<const uint8_t*>(s) + 4, 5, xmr::crc32(reinterpret_cast<const uint8_t*>(s), 4)) == 0xCBF43926u);
}

XMR_TEST("checkpoint: truncated, foreign, newer, corrupted and over-long bytes give clear errors") {
  auto m = small_model();
  const auto good = xmr::write_checkpoint(m, {}, 0.05f, 7, "{}");
  auto read = [](const std::vector<uint8_t>& b) { return error_of([&] { xmr::read_checkpoint(b.data(), b.size()); }); };
  CHECK(read(std::vector<uint8_t>(good.begin(), good.begin() + 40)) ==
        "truncated checkpoint: 40 bytes is shorter than the 88-byte header and trailer");
  CHECK(read(std::vector<uint8_t>(good.begin(), good.end() - 1)) ==
        "truncated checkpoint: " + std::to_string(good.size() - 1) + " bytes, the header announces " + std::to_string(good.size()));
  std::vector<uint8_t> foreign(good);
  foreign[0] = 'P';
  CHECK(read(foreign) == "not a dual-encoder checkpoint (it does not start with the magic bytes \"XMRDE\\0\")");
  CHECK(read({}) == "not a dual-encoder checkpoint (it does not start with the magic bytes \"XMRDE\\0\")");
  std::vector<uint8_t> newer(good);
  newer[6] = 2;
  CHECK(read(newer) == "unsupported checkpoint version 2 (this build reads version 1)");
  std::vector<uint8_t> longer(good);
  longer.push_back(0);
  CHECK(read(longer) == "corrupted checkpoint: 1 bytes after the end");
  std::vector<uint8_t> shapes(good);
  shapes[16] ^= 0x40;
  CHECK(read(shapes) == "corrupted checkpoint header (payload size does not match the shapes)");
  // Every single flipped payload bit is caught by the CRC.
  for (size_t at : {size_t(80), size_t(83), good.size() / 2, good.size() - 9}) {
    std::vector<uint8_t> bad(good);
    bad[at] ^= 0x10;
    CHECK_MSG(read(bad).rfind("corrupted checkpoint: CRC-32 mismatch", 0) == 0, "byte " + std::to_string(at));
  }
  // No prefix of a valid file parses (and none crashes).
  for (size_t n = 0; n < good.size(); n += 7) CHECK(!read(std::vector<uint8_t>(good.begin(), good.begin() + n)).empty());
}

}  // namespace
