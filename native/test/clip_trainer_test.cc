// CLIP-style training (trainer.h, ImageSource): on a synthetic task of 8 classes — 4 colours × 2
// shapes, noisy 8×8 images, captions "<colour> <shape> <filler>" — training both towers from scratch
// learns to match images to their class caption; the thread count changes no bit; the locked-image
// mode (LiT) leaves the image tower untouched while the text tower learns.
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "check.h"
#include "xmr/checkpoint.h"
#include "xmr/image_tower.h"
#include "xmr/splitmix.h"
#include "xmr/trainer.h"

namespace {

constexpr size_t kClasses = 8, kPerClass = 6, kSide = 8, kVocab = 4 + 2 + 4;

// Class k: colour k % 4 (red, green, blue, yellow), shape k / 4 (0: square in the top-left
// quadrant, 1: horizontal bar across the bottom half), on a dark background, with uniform noise.
struct Task {
  std::vector<float> pixels;        // images × 8 × 8 × 3
  std::vector<int32_t> ids;         // captions
  std::vector<uint32_t> offsets;
  std::vector<int32_t> cls;         // class of image i (= of caption i)
};

Task make_task(uint64_t seed) {
  static const float colours[4][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}};
  xmr::SplitMix64 rng(seed);
  Task t;
  t.offsets.push_back(0);
  for (size_t k = 0; k < kClasses; ++k)
    for (size_t r = 0; r < kPerClass; ++r) {
      for (size_t y = 0; y < kSide; ++y)
        for (size_t x = 0; x < kSide; ++x) {
          const bool on = k / 4 == 0 ? (y < 4 && x < 4) : (y >= 5 && y < 7);
          for (size_t c = 0; c < 3; ++c)
            t.pixels.push_back((on ? colours[k % 4][c] : 0.1f) + 0.2f * static_cast<float>(rng.uniform()));
        }
      t.ids.push_back(static_cast<int32_t>(k % 4));
      t.ids.push_back(static_cast<int32_t>(4 + k / 4));
      t.ids.push_back(static_cast<int32_t>(6 + rng.next() % 4));
      t.offsets.push_back(static_cast<uint32_t>(t.ids.size()));
      t.cls.push_back(static_cast<int32_t>(k));
    }
  return t;
}

// Batches of 8, one image of each class (in-batch negatives are then never the same class).
void make_batches(size_t steps, uint64_t seed, std::vector<int32_t>* idx) {
  xmr::SplitMix64 rng(seed);
  for (size_t s = 0; s < steps; ++s)
    for (size_t k = 0; k < kClasses; ++k) idx->push_back(static_cast<int32_t>(k * kPerClass + rng.next() % kPerClass));
}

// Fraction of images whose nearest class caption (caption r = 0 of each class) is their own class.
double image_to_text_accuracy(const xmr::DualEncoder& text, const float* image_emb, const Task& task) {
  const size_t d = text.out_dim(), n = kClasses * kPerClass;
  std::vector<int32_t> ids;
  std::vector<uint32_t> off = {0};
  for (size_t k = 0; k < kClasses; ++k) {
    ids.push_back(static_cast<int32_t>(k % 4));
    ids.push_back(static_cast<int32_t>(4 + k / 4));
    off.push_back(static_cast<uint32_t>(ids.size()));
  }
  std::vector<float> te(kClasses * d);
  text.encode({ids.data(), ids.size(), off.data(), kClasses}, te.data(), 1, xmr::Isa::Scalar);
  size_t hits = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t best = 0;
    float best_s = -2;
    for (size_t k = 0; k < kClasses; ++k) {
      float s = 0;
      for (size_t r = 0; r < d; ++r) s += image_emb[i * d + r] * te[k * d + r];
      if (s > best_s) best_s = s, best = k;
    }
    hits += static_cast<int32_t>(best) == task.cls[i];
  }
  return double(hits) / double(n);
}

xmr::TrainerConfig clip_config(int threads) {
  xmr::TrainerConfig c;
  c.tau = 0.1f;
  c.symmetric = true;
  c.lr = 0.01f;
  c.threads = threads;
  c.isa = xmr::detect_isa() >= xmr::Isa::Avx512 ? xmr::Isa::Avx512 : xmr::detect_isa();
  return c;
}

struct Run {
  std::shared_ptr<xmr::DualEncoder> text;
  std::shared_ptr<xmr::ImageTower> image;
  std::unique_ptr<xmr::Trainer> trainer;
};

Run make_run(int threads) {
  Run r;
  r.text = std::make_shared<xmr::DualEncoder>(kVocab, 16, 16);
  r.text->init(1, 0.1f);
  r.image = std::make_shared<xmr::ImageTower>(xmr::ImageTowerShape{kSide, kSide, 4, 24, 16});
  r.image->init(2);
  r.trainer = std::make_unique<xmr::Trainer>(r.text, clip_config(threads));
  r.trainer->set_image_tower(r.image);
  return r;
}

XMR_TEST("clip: training both towers learns the 8-class task (image→text accuracy ≫ 1/8), thread-count invariant") {
  const Task task = make_task(7);
  const size_t steps = 150, n = kClasses * kPerClass;
  std::vector<int32_t> idx;
  make_batches(steps, 3, &idx);
  const xmr::SequencePool pool{task.ids.data(), task.ids.size(), task.offsets.data(), n};
  const xmr::ImageSource src{task.pixels.data(), nullptr, n};
  Run a = make_run(1), b = make_run(2);
  std::vector<xmr::StepStats> st(steps);
  a.trainer->train_images(pool, src, idx.data(), idx.data(), kClasses, steps, st.data());
  b.trainer->train_images(pool, src, idx.data(), idx.data(), kClasses, steps, nullptr);
  CHECK(a.trainer->step() == steps);
  CHECK(st.back().loss < 0.5f * st.front().loss);
  CHECK(std::memcmp(a.image->params(), b.image->params(), a.image->param_count() * sizeof(float)) == 0);
  CHECK(std::memcmp(a.text->embeddings(), b.text->embeddings(), a.text->embedding_floats() * sizeof(float)) == 0);
  std::vector<float> emb(n * 16);
  a.image->encode(task.pixels.data(), n, emb.data(), 1, xmr::Isa::Scalar);
  const double acc = image_to_text_accuracy(*a.text, emb.data(), task);
  CHECK_MSG(acc >= 0.9, "accuracy " + std::to_string(acc));
}

XMR_TEST("clip: locked image tower (LiT) — the tower stays bit-identical, the text tower learns") {
  const Task task = make_task(8);
  const size_t steps = 150, n = kClasses * kPerClass;
  std::vector<int32_t> idx;
  make_batches(steps, 5, &idx);
  Run r = make_run(2);
  const std::vector<float> before(r.image->params(), r.image->params() + r.image->param_count());
  std::vector<float> emb(n * 16);
  r.image->encode(task.pixels.data(), n, emb.data(), 1, xmr::Isa::Scalar);
  const xmr::SequencePool pool{task.ids.data(), task.ids.size(), task.offsets.data(), n};
  const double acc0 = image_to_text_accuracy(*r.text, emb.data(), task);
  r.trainer->train_images(pool, {nullptr, emb.data(), n}, idx.data(), idx.data(), kClasses, steps, nullptr);
  CHECK(std::memcmp(before.data(), r.image->params(), before.size() * sizeof(float)) == 0);
  const double acc = image_to_text_accuracy(*r.text, emb.data(), task);
  CHECK_MSG(acc >= 0.5 && acc > acc0, "accuracy " + std::to_string(acc0) + " → " + std::to_string(acc));
}

XMR_TEST("clip: resuming from both towers' checkpoints continues the run bit for bit") {
  const Task task = make_task(9);
  const size_t steps = 40, n = kClasses * kPerClass;
  std::vector<int32_t> idx;
  make_batches(steps, 6, &idx);
  const xmr::SequencePool pool{task.ids.data(), task.ids.size(), task.offsets.data(), n};
  const xmr::ImageSource src{task.pixels.data(), nullptr, n};
  Run whole = make_run(1), first = make_run(1);
  whole.trainer->train_images(pool, src, idx.data(), idx.data(), kClasses, steps, nullptr);
  const size_t half = steps / 2, off = half * kClasses;
  first.trainer->train_images(pool, src, idx.data(), idx.data(), kClasses, half, nullptr);
  auto& ft = *first.trainer;
  const auto text_bytes = xmr::write_checkpoint(*first.text, {ft.mE().data(), ft.vE().data(), ft.mW().data(), ft.vW().data()},
                                                0.1f, ft.step(), "{}");
  const auto image_bytes = xmr::write_image_checkpoint(*first.image, ft.mI().data(), ft.vI().data(), ft.step(), "{}");
  // A fresh run restored from the two files.
  Run r = make_run(1);
  const auto tc = xmr::read_checkpoint(text_bytes.data(), text_bytes.size());
  const auto ic = xmr::read_image_checkpoint(image_bytes.data(), image_bytes.size());
  std::copy(tc.E.begin(), tc.E.end(), r.text->embeddings());
  std::copy(tc.W.begin(), tc.W.end(), r.text->projection());
  std::copy(ic.params.begin(), ic.params.end(), r.image->params());
  r.trainer->mE() = tc.mE, r.trainer->vE() = tc.vE, r.trainer->mW() = tc.mW, r.trainer->vW() = tc.vW;
  r.trainer->mI() = ic.m, r.trainer->vI() = ic.v;
  r.trainer->set_step(tc.step);
  r.trainer->train_images(pool, src, idx.data() + off, idx.data() + off, kClasses, steps - half, nullptr);
  CHECK(r.trainer->step() == steps);
  CHECK(std::memcmp(whole.image->params(), r.image->params(), r.image->param_count() * sizeof(float)) == 0);
  CHECK(std::memcmp(whole.text->embeddings(), r.text->embeddings(), r.text->embedding_floats() * sizeof(float)) == 0);
  CHECK(std::memcmp(whole.text->projection(), r.text->projection(), r.text->projection_floats() * sizeof(float)) == 0);
}

XMR_TEST("clip: the image side is checked before any update") {
  Run r = make_run(1);
  const Task task = make_task(1);
  const xmr::SequencePool pool{task.ids.data(), task.ids.size(), task.offsets.data(), 2};
  const int32_t cap[2] = {0, 1}, img[2] = {0, 5};
  auto error_of = [&](const xmr::ImageSource& s) {
    try {
      r.trainer->train_images(pool, s, cap, img, 2, 1, nullptr);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error_of({nullptr, nullptr, 2}) == "give either image pixels or image embeddings");
  CHECK(error_of({task.pixels.data(), nullptr, 5}) == "images[1] = 5 is not an image of the source [0, 5)");
  CHECK(r.trainer->step() == 0);
  auto wrong = std::make_shared<xmr::ImageTower>(xmr::ImageTowerShape{8, 8, 4, 4, 3});
  try {
    r.trainer->set_image_tower(wrong);
    CHECK(false);
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()) == "the image tower's outDim (3) must equal the text tower's (16)");
  }
}

}  // namespace
