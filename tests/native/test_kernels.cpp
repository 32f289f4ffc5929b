// Tests of the SIMD kernels against the scalar reference and hand-computed examples.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "dlplay/kernels.hpp"

namespace {

namespace k = dlplay::kernels;
using k::Activation;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Uniform floats in [lo, hi) from the raw mt19937 stream (fully specified by the standard, unlike
// std::uniform_real_distribution), so native and wasm builds see the same data.
struct Rng {
  std::mt19937 gen;
  explicit Rng(std::uint32_t seed) : gen(seed) {}
  float uniform(float lo, float hi) {
    return lo + (hi - lo) * static_cast<float>(gen() >> 8) * (1.0f / 16777216.0f);
  }
  std::size_t index(std::size_t lo, std::size_t hi) { return lo + gen() % (hi - lo + 1); }  // [lo, hi]
  std::vector<float> vec(std::size_t n, float lo = -1.0f, float hi = 1.0f) {
    std::vector<float> v(n);
    for (float& x : v) x = uniform(lo, hi);
    return v;
  }
};

std::uint32_t bits(float x) {
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

// FNV-1a over the bit patterns.
std::uint64_t hash_floats(const std::vector<float>& v, std::uint64_t h = 1469598103934665603ull) {
  for (float x : v) {
    const std::uint32_t u = bits(x);
    for (int b = 0; b < 4; ++b) {
      h ^= (u >> (8 * b)) & 0xffu;
      h *= 1099511628211ull;
    }
  }
  return h;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

struct GemmCase {
  bool ta, tb;
  std::size_t m, n, k, lda, ldb, ldc;
  float alpha, beta;
};

// Runs the SIMD gemm and the reference on the same data; returns the number of C elements (including
// the ldc padding, which must stay untouched) outside tolerance, and counts bit-exact mismatches.
std::size_t check_gemm(const GemmCase& g, Rng& rng, std::size_t* inexact = nullptr) {
  const std::size_t a_rows = g.ta ? g.k : g.m;
  const std::size_t b_rows = g.tb ? g.n : g.k;
  const std::vector<float> a = rng.vec(a_rows * g.lda);
  const std::vector<float> b = rng.vec(b_rows * g.ldb);
  std::vector<float> c = rng.vec(g.m * g.ldc);
  std::vector<float> c_ref = c;
  k::gemm(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a.data(), g.lda, b.data(), g.ldb, g.beta, c.data(), g.ldc);
  k::reference::gemm(g.ta, g.tb, g.m, g.n, g.k, g.alpha, a.data(), g.lda, b.data(), g.ldb, g.beta,
                     c_ref.data(), g.ldc);
  std::size_t bad = 0;
  const float tol = 1e-5f * static_cast<float>(g.k + 1) * (std::fabs(g.alpha) + std::fabs(g.beta));
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!(std::fabs(c[i] - c_ref[i]) <= tol)) ++bad;
    if (inexact != nullptr && bits(c[i]) != bits(c_ref[i])) ++*inexact;
  }
  return bad;
}

void naive_im2col(const k::ConvGeometry& g, const float* image, float* cols) {
  const std::size_t oh = g.out_h(), ow = g.out_w();
  for (std::size_t c = 0; c < g.channels; ++c)
    for (std::size_t i = 0; i < g.kernel_h; ++i)
      for (std::size_t j = 0; j < g.kernel_w; ++j)
        for (std::size_t oy = 0; oy < oh; ++oy)
          for (std::size_t ox = 0; ox < ow; ++ox) {
            const long iy = static_cast<long>(oy * g.stride + i) - static_cast<long>(g.padding);
            const long ix = static_cast<long>(ox * g.stride + j) - static_cast<long>(g.padding);
            const bool in =
                iy >= 0 && ix >= 0 && iy < static_cast<long>(g.height) && ix < static_cast<long>(g.width);
            cols[((c * g.kernel_h + i) * g.kernel_w + j) * oh * ow + oy * ow + ox] =
                in ? image[(c * g.height + static_cast<std::size_t>(iy)) * g.width +
                           static_cast<std::size_t>(ix)]
                   : 0.0f;
          }
}

}  // namespace

TEST_CASE("kernels: simd_arch names an xsimd architecture") {
  const std::string arch = k::simd_arch();
  CHECK(!arch.empty());
  MESSAGE("xsimd arch: " << arch);
}

TEST_CASE("kernels: gemm matches the reference on random shapes, transposes, alpha/beta and strides") {
  Rng rng(1234);
  const float alphas[] = {1.0f, -0.5f, 2.5f};
  const float betas[] = {0.0f, 1.0f, 0.3f, -1.5f};
  std::size_t cases = 0, bad_cases = 0, inexact = 0;
  for (int t = 0; t < 400; ++t) {
    GemmCase g{};
    g.ta = (t & 1) != 0;
    g.tb = (t & 2) != 0;
    // Bias towards small sizes and towards non-multiples of 4 and 8.
    g.m = rng.index(1, t % 3 == 0 ? 12 : 70);
    g.n = rng.index(1, t % 5 == 0 ? 12 : 70);
    g.k = rng.index(1, t % 7 == 0 ? 5 : 70);
    g.lda = (g.ta ? g.m : g.k) + (t % 4 == 0 ? rng.index(1, 5) : 0);
    g.ldb = (g.tb ? g.k : g.n) + (t % 3 == 0 ? rng.index(1, 5) : 0);
    g.ldc = g.n + (t % 2 == 0 ? rng.index(1, 5) : 0);
    g.alpha = alphas[t % 3];
    g.beta = betas[(t / 3) % 4];
    const std::size_t bad = check_gemm(g, rng, &inexact);
    ++cases;
    if (bad != 0) {
      ++bad_cases;
      CAPTURE(g.ta);
      CAPTURE(g.tb);
      CAPTURE(g.m);
      CAPTURE(g.n);
      CAPTURE(g.k);
      CAPTURE(g.alpha);
      CAPTURE(g.beta);
      CHECK(bad == 0);
    }
  }
  CHECK(cases == 400);
  CHECK(bad_cases == 0);
  // Stronger than the tolerance: each element is summed in k order like the reference, so they agree bit for
  // bit.
  CHECK(inexact == 0);
}

TEST_CASE("kernels: gemm on large shapes (k-blocking, row blocks, all transposes)") {
  Rng rng(99);
  const std::size_t shapes[][3] = {{130, 77, 1100}, {200, 20, 600}, {64, 128, 784}, {7, 300, 513},
                                   {257, 9, 33},    {96, 96, 96},   {1, 200, 900},  {300, 1, 700}};
  for (const auto& s : shapes) {
    for (int t = 0; t < 4; ++t) {
      GemmCase g{(t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 0, 0, 0, 1.0f, t == 3 ? 0.5f : 0.0f};
      g.lda = (g.ta ? g.m : g.k) + 3;
      g.ldb = (g.tb ? g.k : g.n) + 1;
      g.ldc = g.n + 2;
      std::size_t inexact = 0;
      CAPTURE(g.m);
      CAPTURE(g.n);
      CAPTURE(g.k);
      CAPTURE(t);
      CHECK(check_gemm(g, rng, &inexact) == 0);
      CHECK(inexact == 0);
    }
  }
}

TEST_CASE("kernels: gemm with beta = 0 never reads C, k = 0 and alpha = 0 scale C") {
  Rng rng(7);
  for (std::size_t m : {1, 3, 10, 33}) {
    for (std::size_t n : {1, 2, 8, 9, 70}) {
      for (std::size_t kk : {1, 2, 17, 600}) {
        const std::vector<float> a = rng.vec(m * kk), b = rng.vec(kk * n);
        std::vector<float> c(m * n, kNaN), ref(m * n, 0.0f);
        k::gemm(false, true, m, n, kk, 1.0f, a.data(), kk, b.data(), kk, 0.0f, c.data(), n);
        k::reference::gemm(false, true, m, n, kk, 1.0f, a.data(), kk, b.data(), kk, 0.0f, ref.data(), n);
        std::size_t nan = 0, diff = 0;
        for (std::size_t i = 0; i < c.size(); ++i) {
          nan += std::isnan(c[i]) ? 1 : 0;
          diff += bits(c[i]) != bits(ref[i]) ? 1 : 0;
        }
        CAPTURE(m);
        CAPTURE(n);
        CAPTURE(kk);
        CHECK(nan == 0);
        CHECK(diff == 0);
      }
    }
  }
  // k = 0: C = beta·C; beta = 0 clears NaN.
  std::vector<float> c = {1.0f, -2.0f, 4.0f, 8.0f};
  k::gemm(false, false, 2, 2, 0, 1.0f, nullptr, 1, nullptr, 2, 0.5f, c.data(), 2);
  CHECK(c == std::vector<float>{0.5f, -1.0f, 2.0f, 4.0f});
  c.assign(4, kNaN);
  k::gemm(true, true, 2, 2, 0, 1.0f, nullptr, 2, nullptr, 1, 0.0f, c.data(), 2);
  CHECK(c == std::vector<float>{0.0f, 0.0f, 0.0f, 0.0f});
  // alpha = 0 does not touch A and B.
  const std::vector<float> ab = {kNaN, kNaN, kNaN, kNaN};
  c = {1.0f, 2.0f, 3.0f, 4.0f};
  k::gemm(false, false, 2, 2, 2, 0.0f, ab.data(), 2, ab.data(), 2, 2.0f, c.data(), 2);
  CHECK(c == std::vector<float>{2.0f, 4.0f, 6.0f, 8.0f});
}

TEST_CASE("kernels: gemm hand example with every transpose") {
  // A = [1 2 3; 4 5 6] (2×3), B = [1 0; 0 1; 2 -1] (3×2): A·B = [7 -1; 16 -1].
  const std::vector<float> a = {1, 2, 3, 4, 5, 6}, at = {1, 4, 2, 5, 3, 6};
  const std::vector<float> b = {1, 0, 0, 1, 2, -1}, bt = {1, 0, 2, 0, 1, -1};
  const std::vector<float> expected = {7, -1, 16, -1};
  for (int t = 0; t < 4; ++t) {
    const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
    std::vector<float> c(4, kNaN);
    k::gemm(ta, tb, 2, 2, 3, 1.0f, ta ? at.data() : a.data(), ta ? 2 : 3, tb ? bt.data() : b.data(),
            tb ? 3 : 2, 0.0f, c.data(), 2);
    CAPTURE(t);
    CHECK(c == expected);
  }
  // alpha and beta: C = 2·A·B − 1·C.
  std::vector<float> c = {1, 1, 1, 1};
  k::gemm(false, false, 2, 2, 3, 2.0f, a.data(), 3, b.data(), 2, -1.0f, c.data(), 2);
  CHECK(c == std::vector<float>{13, -3, 31, -3});
}

TEST_CASE("kernels: activations match the reference for every length and position") {
  Rng rng(42);
  const Activation fs[] = {Activation::linear, Activation::relu,    Activation::leaky_relu,
                           Activation::tanh,   Activation::sigmoid, Activation::softmax};
  for (Activation f : fs) {
    for (std::size_t rows : {1, 3}) {
      for (std::size_t cols = 1; cols <= 37; ++cols) {
        std::vector<float> x = rng.vec(rows * cols, -6.0f, 6.0f);
        std::vector<float> ref = x;
        k::activate(f, x.data(), rows, cols, 0.1f);
        k::reference::activate(f, ref.data(), rows, cols, 0.1f);
        std::size_t bad = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
          if (!(std::fabs(x[i] - ref[i]) <= 2e-6f + 2e-6f * std::fabs(ref[i]))) ++bad;
        }
        CAPTURE(static_cast<int>(f));
        CAPTURE(rows);
        CAPTURE(cols);
        CHECK(bad == 0);
      }
    }
  }
}

TEST_CASE("kernels: an element's activation does not depend on its position (tails use the batch path)") {
  for (Activation f : {Activation::tanh, Activation::sigmoid, Activation::leaky_relu}) {
    for (float v : {-3.7f, -0.3f, 0.1234567f, 2.5f, 9.0f}) {
      for (std::size_t n = 1; n <= 37; ++n) {
        std::vector<float> x(n, v);
        k::activate(f, x.data(), 1, n, 0.01f);
        std::vector<float> first(1, v);
        k::activate(f, first.data(), 1, 1, 0.01f);
        std::size_t diff = 0;
        for (float y : x) diff += bits(y) != bits(first[0]) ? 1 : 0;
        CAPTURE(static_cast<int>(f));
        CAPTURE(v);
        CAPTURE(n);
        CHECK(diff == 0);
      }
    }
  }
}

TEST_CASE("kernels: activations at extreme values") {
  std::vector<float> x = {-kInf, -1000.0f, -100.0f, -89.0f, 0.0f, 89.0f, 100.0f, 1000.0f, kInf};
  std::vector<float> s = x;
  k::activate(Activation::sigmoid, s.data(), 1, s.size(), 0.0f);
  const std::vector<float> s_expected = {0.0f, 0.0f, 0.0f, 0.0f, 0.5f, 1.0f, 1.0f, 1.0f, 1.0f};
  for (std::size_t i = 0; i < s.size(); ++i) {
    CAPTURE(x[i]);
    CHECK(!std::isnan(s[i]));
    CHECK(s[i] == doctest::Approx(s_expected[i]).epsilon(1e-6));
  }
  CHECK(s.front() == 0.0f);
  CHECK(s.back() == 1.0f);

  std::vector<float> t = x;
  k::activate(Activation::tanh, t.data(), 1, t.size(), 0.0f);
  const std::vector<float> t_expected = {-1, -1, -1, -1, 0, 1, 1, 1, 1};
  CHECK(t == t_expected);

  std::vector<float> r = x;
  k::activate(Activation::relu, r.data(), 1, r.size(), 0.0f);
  CHECK(r == std::vector<float>{0, 0, 0, 0, 0, 89, 100, 1000, kInf});

  std::vector<float> l = {-10.0f, -0.0f, 0.0f, 3.0f, -kInf};
  k::activate(Activation::leaky_relu, l.data(), 1, l.size(), 0.2f);
  CHECK(l == std::vector<float>{-2.0f, 0.0f, 0.0f, 3.0f, -kInf});
}

TEST_CASE("kernels: softmax is stable for large logits") {
  std::vector<float> x = {1000.0f, 1000.0f};
  k::activate(Activation::softmax, x.data(), 1, 2, 0.0f);
  CHECK(x == std::vector<float>{0.5f, 0.5f});

  // Two rows: [1000, 0, −1000] and three equal −1000s.
  std::vector<float> y = {1000.0f, 0.0f, -1000.0f, -1000.0f, -1000.0f, -1000.0f};
  k::activate(Activation::softmax, y.data(), 2, 3, 0.0f);
  CHECK(y[0] == 1.0f);
  CHECK(y[1] == 0.0f);
  CHECK(y[2] == 0.0f);
  for (int i = 3; i < 6; ++i) CHECK(y[i] == doctest::Approx(1.0 / 3.0).epsilon(1e-6));

  Rng rng(5);
  for (std::size_t cols : {1, 4, 10, 13, 100}) {
    std::vector<float> z = rng.vec(4 * cols, -50.0f, 50.0f);
    k::activate(Activation::softmax, z.data(), 4, cols, 0.0f);
    for (std::size_t r = 0; r < 4; ++r) {
      double sum = 0.0;
      for (std::size_t c = 0; c < cols; ++c) {
        CHECK(z[r * cols + c] >= 0.0f);
        sum += z[r * cols + c];
      }
      CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
    }
  }
}

TEST_CASE("kernels: activation backward matches the reference") {
  Rng rng(11);
  const Activation fs[] = {Activation::linear, Activation::relu,    Activation::leaky_relu,
                           Activation::tanh,   Activation::sigmoid, Activation::softmax};
  for (Activation f : fs) {
    for (std::size_t rows : {1, 2}) {
      for (std::size_t cols = 1; cols <= 37; ++cols) {
        // y is a genuine output of f (softmax rows, tanh in (−1, 1), …), including exact zeros for relu.
        std::vector<float> y = rng.vec(rows * cols, -4.0f, 4.0f);
        if (cols > 2) y[1] = 0.0f;
        k::reference::activate(f, y.data(), rows, cols, 0.05f);
        std::vector<float> d = rng.vec(rows * cols, -2.0f, 2.0f);
        std::vector<float> ref = d;
        k::activate_backward(f, y.data(), d.data(), rows, cols, 0.05f);
        k::reference::activate_backward(f, y.data(), ref.data(), rows, cols, 0.05f);
        std::size_t bad = 0;
        for (std::size_t i = 0; i < d.size(); ++i) {
          if (!(std::fabs(d[i] - ref[i]) <= 1e-6f + 1e-5f * std::fabs(ref[i]))) ++bad;
        }
        CAPTURE(static_cast<int>(f));
        CAPTURE(rows);
        CAPTURE(cols);
        CHECK(bad == 0);
      }
    }
  }
  // Hand values: relu passes d where y > 0; leaky scales by alpha; tanh by 1 − y²; sigmoid by y(1 − y).
  const std::vector<float> y = {0.0f, 0.5f, -0.5f, 0.25f};
  std::vector<float> d = {1, 1, 1, 2};
  k::activate_backward(Activation::relu, y.data(), d.data(), 1, 4, 0.0f);
  CHECK(d == std::vector<float>{0, 1, 0, 2});
  d = {1, 1, 1, 2};
  k::activate_backward(Activation::leaky_relu, y.data(), d.data(), 1, 4, 0.1f);
  CHECK(d == std::vector<float>{0.1f, 1, 0.1f, 2});
  d = {1, 1, 1, 2};
  k::activate_backward(Activation::tanh, y.data(), d.data(), 1, 4, 0.0f);
  CHECK(d == std::vector<float>{1, 0.75f, 0.75f, 2 * 0.9375f});
  d = {1, 1, 1, 2};
  k::activate_backward(Activation::sigmoid, y.data(), d.data(), 1, 4, 0.0f);
  CHECK(d == std::vector<float>{0, 0.25f, -0.75f, 2 * 0.1875f});
  // softmax: y = [0.5, 0.5], d = [1, 0] → Σ d·y = 0.5 → y ⊙ (d − 0.5) = [0.25, −0.25].
  const std::vector<float> ys = {0.5f, 0.5f};
  d = {1, 0};
  k::activate_backward(Activation::softmax, ys.data(), d.data(), 1, 2, 0.0f);
  CHECK(d == std::vector<float>{0.25f, -0.25f});
}

TEST_CASE("kernels: bias, row/column sums, axpy and scale") {
  Rng rng(3);
  for (std::size_t rows : {1, 2, 5}) {
    for (std::size_t cols = 1; cols <= 37; ++cols) {
      const std::vector<float> x = rng.vec(rows * cols);
      const std::vector<float> bias_c = rng.vec(cols), bias_r = rng.vec(rows);

      std::vector<float> y = x;
      k::add_row_bias(y.data(), bias_c.data(), rows, cols);
      std::vector<float> z = x;
      k::add_channel_bias(z.data(), bias_r.data(), rows, cols);
      std::size_t bad = 0;
      for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t c = 0; c < cols; ++c) {
          bad += y[r * cols + c] != x[r * cols + c] + bias_c[c] ? 1 : 0;
          bad += z[r * cols + c] != x[r * cols + c] + bias_r[r] ? 1 : 0;
        }
      }

      std::vector<float> sr(cols, 1.0f), sc(rows, -1.0f);
      k::sum_rows(x.data(), rows, cols, sr.data());
      k::sum_cols(x.data(), rows, cols, sc.data());
      for (std::size_t c = 0; c < cols; ++c) {
        double s = 1.0;
        for (std::size_t r = 0; r < rows; ++r) s += x[r * cols + c];
        bad += std::fabs(sr[c] - s) <= 1e-5 ? 0 : 1;
      }
      for (std::size_t r = 0; r < rows; ++r) {
        double s = -1.0;
        for (std::size_t c = 0; c < cols; ++c) s += x[r * cols + c];
        bad += std::fabs(sc[r] - s) <= 1e-5 ? 0 : 1;
      }

      const std::size_t n = rows * cols;
      std::vector<float> w = rng.vec(n);
      const std::vector<float> w0 = w;
      k::axpy(n, -0.75f, x.data(), w.data());
      for (std::size_t i = 0; i < n; ++i) bad += w[i] == w0[i] + -0.75f * x[i] ? 0 : 1;
      std::vector<float> u = x;
      k::scale(n, 3.0f, u.data());
      for (std::size_t i = 0; i < n; ++i) bad += u[i] == 3.0f * x[i] ? 0 : 1;
      CAPTURE(rows);
      CAPTURE(cols);
      CHECK(bad == 0);
    }
  }
}

TEST_CASE("kernels: im2col on hand-computed examples") {
  const std::vector<float> image = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // 1×3×3
  {
    const k::ConvGeometry g{1, 3, 3, 2, 2, 1, 0};
    REQUIRE(g.col_rows() == 4);
    REQUIRE(g.col_cols() == 4);
    std::vector<float> cols(16, kNaN);
    k::im2col(g, image.data(), cols.data());
    CHECK(cols == std::vector<float>{1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9});
  }
  {
    const k::ConvGeometry g{1, 3, 3, 3, 3, 2, 1};  // 3×3 kernel, stride 2, padding 1 → 2×2 output
    REQUIRE(g.out_h() == 2);
    REQUIRE(g.out_w() == 2);
    std::vector<float> cols(36, kNaN);
    k::im2col(g, image.data(), cols.data());
    CHECK(cols == std::vector<float>{0, 0, 0, 5,  //
                                     0, 0, 4, 6,  //
                                     0, 0, 5, 0,  //
                                     0, 2, 0, 8,  //
                                     1, 3, 7, 9,  //
                                     2, 0, 8, 0,  //
                                     0, 5, 0, 0,  //
                                     4, 6, 0, 0,  //
                                     5, 0, 0, 0});
    // col2im of all ones counts how many patches read each pixel.
    std::vector<float> counts(9, 0.0f);
    const std::vector<float> ones(36, 1.0f);
    k::col2im(g, ones.data(), counts.data());
    CHECK(counts == std::vector<float>{1, 2, 1, 2, 4, 2, 1, 2, 1});
  }
}

TEST_CASE("kernels: im2col matches a naive gather and col2im is its adjoint") {
  Rng rng(21);
  int tested = 0;
  for (int t = 0; t < 300; ++t) {
    k::ConvGeometry g{};
    g.channels = rng.index(1, 3);
    g.height = rng.index(1, 9);
    g.width = rng.index(1, 9);
    g.padding = rng.index(0, 2);
    g.kernel_h = rng.index(1, 5);
    g.kernel_w = rng.index(1, 5);
    g.stride = rng.index(1, 3);
    if (g.kernel_h > g.height + 2 * g.padding || g.kernel_w > g.width + 2 * g.padding) continue;
    ++tested;
    const std::vector<float> x = rng.vec(g.channels * g.height * g.width);
    const std::vector<float> c = rng.vec(g.col_rows() * g.col_cols());
    std::vector<float> cols(c.size(), kNaN), expected(c.size());
    k::im2col(g, x.data(), cols.data());
    naive_im2col(g, x.data(), expected.data());
    std::vector<float> back(x.size(), 0.0f);
    k::col2im(g, c.data(), back.data());
    CAPTURE(g.channels);
    CAPTURE(g.height);
    CAPTURE(g.width);
    CAPTURE(g.kernel_h);
    CAPTURE(g.kernel_w);
    CAPTURE(g.stride);
    CAPTURE(g.padding);
    CHECK(cols == expected);
    const double lhs = dot(cols, c), rhs = dot(x, back);
    CHECK(lhs == doctest::Approx(rhs).epsilon(1e-5));
  }
  CHECK(tested > 150);
}

TEST_CASE("kernels: max and average pooling on a hand example") {
  // 1×4×5 image, 2×2 windows, stride 2 → 2×2 output (floor: the last column is dropped).
  const std::vector<float> image = {1,  3,  2, 2, 100,  //
                                    3,  0,  1, 2, 100,  //
                                    -1, -2, 5, 6, 100,  //
                                    -3, -4, 7, 8, 100};
  const k::PoolGeometry g{1, 4, 5, 2, 2};
  REQUIRE(g.out_h() == 2);
  REQUIRE(g.out_w() == 2);
  std::vector<float> out(4, kNaN);
  std::vector<std::uint32_t> argmax(4, 999);
  k::maxpool_forward(g, image.data(), out.data(), argmax.data());
  CHECK(out == std::vector<float>{3, 2, -1, 8});
  // Ties: 3 at index 1 comes before 3 at index 5; 2 at index 2 before 2 at 3 and 8.
  CHECK(argmax == std::vector<std::uint32_t>{1, 2, 10, 18});

  std::vector<float> d_image(20, 0.0f);
  const std::vector<float> d_out = {1, 2, 3, 4};
  k::maxpool_backward(g, d_out.data(), argmax.data(), d_image.data());
  std::vector<float> expected(20, 0.0f);
  expected[1] = 1;
  expected[2] = 2;
  expected[10] = 3;
  expected[18] = 4;
  CHECK(d_image == expected);

  k::avgpool_forward(g, image.data(), out.data());
  CHECK(out == std::vector<float>{7.0f / 4, 7.0f / 4, -10.0f / 4, 26.0f / 4});
  std::fill(d_image.begin(), d_image.end(), 0.0f);
  k::avgpool_backward(g, d_out.data(), d_image.data());
  CHECK(d_image == std::vector<float>{0.25f, 0.25f, 0.5f, 0.5f, 0,  //
                                      0.25f, 0.25f, 0.5f, 0.5f, 0,  //
                                      0.75f, 0.75f, 1,    1,    0,  //
                                      0.75f, 0.75f, 1,    1,    0});
}

TEST_CASE("kernels: pooling backward is the adjoint of forward (overlapping windows, several channels)") {
  Rng rng(8);
  for (int t = 0; t < 60; ++t) {
    k::PoolGeometry g{};
    g.channels = rng.index(1, 3);
    g.height = rng.index(2, 9);
    g.width = rng.index(2, 9);
    g.size = rng.index(1, 3);
    g.stride = rng.index(1, 3);
    if (g.size > g.height || g.size > g.width) continue;
    const std::size_t n_out = g.channels * g.out_h() * g.out_w();
    const std::vector<float> x = rng.vec(g.channels * g.height * g.width);
    const std::vector<float> d = rng.vec(n_out);
    std::vector<float> y(n_out);
    std::vector<std::uint32_t> am(n_out);
    k::maxpool_forward(g, x.data(), y.data(), am.data());
    std::vector<float> dx(x.size(), 0.0f);
    k::maxpool_backward(g, d.data(), am.data(), dx.data());
    CAPTURE(t);
    CHECK(dot(y, d) == doctest::Approx(dot(x, dx)).epsilon(1e-5));
    for (std::size_t o = 0; o < n_out; ++o) CHECK(x[am[o]] == y[o]);

    k::avgpool_forward(g, x.data(), y.data());
    std::fill(dx.begin(), dx.end(), 0.0f);
    k::avgpool_backward(g, d.data(), dx.data());
    CHECK(dot(y, d) == doctest::Approx(dot(x, dx)).epsilon(1e-5));
  }
}

// Native (sse2) and wasm (SIMD128) builds must give bit-identical results. These hashes were computed by the
// native build and checked against the wasm build. If an intended change to a kernel's arithmetic (or an
// xsimd upgrade) moves them, update them only after confirming both builds print the same new values.
TEST_CASE("kernels: results are bit-identical across builds (golden hashes)") {
  Rng rng(2024);
  std::uint64_t h_gemm = 1469598103934665603ull;
  const std::size_t shapes[][3] = {{10, 8, 2}, {37, 29, 70}, {64, 128, 784}, {5, 600, 9}};
  for (const auto& s : shapes) {
    for (int t = 0; t < 4; ++t) {
      const bool ta = (t & 1) != 0, tb = (t & 2) != 0;
      const std::vector<float> a = rng.vec(s[0] * s[2]), b = rng.vec(s[2] * s[1]);
      std::vector<float> c = rng.vec(s[0] * s[1]);
      k::gemm(ta, tb, s[0], s[1], s[2], 0.75f, a.data(), ta ? s[0] : s[2], b.data(), tb ? s[2] : s[1],
              t == 2 ? 0.0f : 0.5f, c.data(), s[1]);
      h_gemm = hash_floats(c, h_gemm);
    }
  }
  std::uint64_t h_act = 1469598103934665603ull;
  for (Activation f : {Activation::tanh, Activation::sigmoid, Activation::softmax}) {
    std::vector<float> x = rng.vec(7 * 13, -20.0f, 20.0f);
    k::activate(f, x.data(), 7, 13, 0.0f);
    h_act = hash_floats(x, h_act);
    std::vector<float> d = rng.vec(x.size());
    k::activate_backward(f, x.data(), d.data(), 7, 13, 0.0f);
    h_act = hash_floats(d, h_act);
  }
  MESSAGE("gemm hash " << h_gemm << ", activation hash " << h_act);
  CHECK(h_gemm == 10001923067647999423ull);
  CHECK(h_act == 7138113081237521113ull);
}
