// The numbers of the course (docs/lessons.md): the engine must reproduce them exactly.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

using namespace dlplay;

namespace {

double round2(double v) { return std::round(v * 100) / 100; }

// docs/lessons.md, lesson 2: each row is one neuron's incoming weights ([units][inputs]), then the biases.
Json lesson_network() {
  return Json::parse(R"({
    "format": "dlplay-model", "version": 1, "input": [2],
    "layers": [
      {"type": "dense", "units": 2, "activation": "sigmoid", "weights": [[1, -2], [-1, 1]], "bias": [1, 0]},
      {"type": "dense", "units": 2, "activation": "sigmoid", "weights": [[2, -1], [-2, -1]], "bias": [0, 0]},
      {"type": "dense", "units": 2, "activation": "sigmoid", "weights": [[3, -1], [-1, 4]], "bias": [-2, 2]}
    ]})");
}

// docs/lessons.md, lesson 5, inline.
const float kImage[6][6] = {{1, 0, 0, 0, 0, 1}, {0, 1, 0, 0, 1, 0}, {0, 0, 1, 1, 0, 0},
                            {1, 0, 0, 0, 1, 0}, {0, 1, 0, 0, 1, 0}, {0, 0, 1, 0, 1, 0}};
const float kKernels[2][3][3] = {{{1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}},   // diagonal
                                 {{-1, 1, -1}, {-1, 1, -1}, {-1, 1, -1}}};  // vertical

Json kernels_json() {
  Json k = Json::array();
  for (const auto& kernel : kKernels) {
    Json rows = Json::array();
    for (const auto& row : kernel) rows.push_back(Json::array({row[0], row[1], row[2]}));
    k.push_back(Json::array({rows}));  // [filters][in_channels = 1][3][3]
  }
  return k;
}

Tensor lesson_image_batch() {
  Tensor x = Tensor::from_shape({1, 1, 6, 6});
  for (std::size_t i = 0; i < 6; ++i)
    for (std::size_t j = 0; j < 6; ++j) x(0, 0, i, j) = kImage[i][j];
  return x;
}

// Feature maps of both kernels; `expected` is [2][side][side], row-major.
void check_feature_maps(std::size_t stride, std::size_t padding, std::size_t side,
                        const std::vector<float>& expected) {
  CAPTURE(stride);
  CAPTURE(padding);
  Json spec = {{"format", "dlplay-model"},
               {"version", 1},
               {"input", {1, 6, 6}},
               {"layers",
                {{{"type", "conv2d"},
                  {"filters", 2},
                  {"kernel", 3},
                  {"stride", stride},
                  {"padding", padding},
                  {"weights", kernels_json()},
                  {"bias", {0, 0}}}}}};
  Model m(parse_model(spec));
  REQUIRE(m.output_shape() == Shape{2, side, side});
  const Tensor& y = m.forward(lesson_image_batch());
  REQUIRE(y.shape() == Tensor::shape_type{1, 2, side, side});
  REQUIRE(expected.size() == y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    CAPTURE(i);
    CHECK(y.data()[i] == expected[i]);  // small integers: exact
  }
}

}  // namespace

TEST_CASE("lesson 1: a neuron is a weighted sum, a bias and an activation") {
  Model m(parse_model(Json::parse(R"({"input": [2], "layers": [
      {"type": "dense", "units": 1, "activation": "sigmoid", "weights": [[0.5, -1.5]], "bias": [0.25]}]})")));
  Tensor x = {{2.f, 1.f}, {-1.f, 0.f}};
  const Tensor& y = m.forward(x);
  const double z0 = 2 * 0.5 - 1.5 + 0.25, z1 = -0.5 + 0.25;
  CHECK(y(0, 0) == doctest::Approx(1 / (1 + std::exp(-z0))).epsilon(1e-6));
  CHECK(y(1, 0) == doctest::Approx(1 / (1 + std::exp(-z1))).epsilon(1e-6));
}

TEST_CASE("lesson 2: the 2-2-2-2 sigmoid network is a function") {
  Model m(parse_model(lesson_network()));
  REQUIRE(m.size() == 3);
  Tensor x = {{1.f, -1.f}, {0.f, 0.f}};
  const Tensor& y = m.forward(x);
  REQUIRE(y.shape() == Tensor::shape_type{2, 2});
  // f([1, -1]) = [0.62, 0.83], f([0, 0]) = [0.51, 0.85]
  CHECK(round2(y(0, 0)) == 0.62);
  CHECK(round2(y(0, 1)) == 0.83);
  CHECK(round2(y(1, 0)) == 0.51);
  CHECK(round2(y(1, 1)) == 0.85);
  // Intermediate values for [1, -1]: layer 1 is [0.98, 0.12], layer 2 is [0.86, 0.11].
  CHECK(round2(m.activation(0)(0, 0)) == 0.98);
  CHECK(round2(m.activation(0)(0, 1)) == 0.12);
  CHECK(round2(m.activation(1)(0, 0)) == 0.86);
  CHECK(round2(m.activation(1)(0, 1)) == 0.11);
  // And to float precision (computed in double by hand: σ(1+2), σ(−1−1), …).
  CHECK(m.activation(0)(0, 0) == doctest::Approx(0.9820137900).epsilon(1e-6));
  CHECK(m.activation(0)(0, 1) == doctest::Approx(0.1192029220).epsilon(1e-6));
  CHECK(m.activation(1)(0, 0) == doctest::Approx(0.8635183127).epsilon(1e-6));
  CHECK(m.activation(1)(0, 1) == doctest::Approx(0.1107374438).epsilon(1e-6));
  CHECK(y(0, 0) == doctest::Approx(0.6177047778).epsilon(1e-6));
  CHECK(y(0, 1) == doctest::Approx(0.8291239842).epsilon(1e-6));
  CHECK(y(1, 0) == doctest::Approx(0.5118473770).epsilon(1e-6));
  CHECK(y(1, 1) == doctest::Approx(0.8543839010).epsilon(1e-6));
  // One example at a time gives the same answers.
  Tensor one = {{0.f, 0.f}};
  CHECK(m.forward(one)(0, 1) == doctest::Approx(0.8543839010).epsilon(1e-6));
}

TEST_CASE("lesson 5: the built-in image and kernels are the lesson's") {
  Tensor image = data::lesson_image_6x6();
  REQUIRE(image.shape() == Tensor::shape_type{1, 6, 6});
  for (std::size_t i = 0; i < 6; ++i)
    for (std::size_t j = 0; j < 6; ++j) CHECK(image(0, i, j) == kImage[i][j]);
  Tensor k = data::lesson_kernels_3x3();
  REQUIRE(k.shape() == Tensor::shape_type{2, 1, 3, 3});
  for (std::size_t f = 0; f < 2; ++f)
    for (std::size_t i = 0; i < 3; ++i)
      for (std::size_t j = 0; j < 3; ++j) CHECK(k(f, 0, i, j) == kKernels[f][i][j]);
}

TEST_CASE("lesson 5: feature maps at stride 1 (starting 3, -1), stride 2, padding 1") {
  // Each value is the sum of a 3×3 patch times the kernel (cross-correlation, no flip).
  check_feature_maps(1, 0, 4,
                     {
                         3,  -1, -3, -1,  // diagonal kernel
                         -3, 1,  0,  -3,  //
                         -3, -3, 0,  1,   //
                         3,  -2, -2, -1,  //
                         -1, -1, -1, -1,  // vertical kernel
                         -1, -1, -2, 1,   //
                         -1, -1, -2, 1,   //
                         -1, 0,  -4, 3,   //
                     });
  check_feature_maps(2, 0, 2,
                     {
                         3, -3,   // diagonal: every other patch of the stride-1 map
                         -3, 0,   //
                         -1, -1,  // vertical
                         -1, -2,  //
                     });
  check_feature_maps(1, 1, 6,
                     {
                         2,  -2, -1, 1,  -2, 0,   // diagonal, zero padding all round
                         -2, 3,  -1, -3, -1, -2,  //
                         -2, -3, 1,  0,  -3, 0,   //
                         2,  -3, -3, 0,  1,  -2,  //
                         -2, 3,  -2, -2, -1, -1,  //
                         -1, -2, 2,  -3, 0,  0,   //
                         0,  0,  -1, -1, 0,  0,   // vertical
                         0,  -1, -1, -1, -1, 0,   //
                         0,  -1, -1, -2, 1,  -2,  //
                         0,  -1, -1, -2, 1,  -2,  //
                         0,  -1, 0,  -4, 3,  -3,  //
                         -1, 0,  0,  -3, 2,  -2,  //
                     });
}

TEST_CASE("lesson 5: the built-in kernels in a conv layer reproduce the map's first values") {
  Tensor k = data::lesson_kernels_3x3();
  Json w = Json::array();
  for (std::size_t f = 0; f < 2; ++f) {
    Json rows = Json::array();
    for (std::size_t i = 0; i < 3; ++i) rows.push_back({k(f, 0, i, 0), k(f, 0, i, 1), k(f, 0, i, 2)});
    w.push_back(Json::array({rows}));
  }
  Model m(parse_model({{"input", {1, 6, 6}},
                       {"layers", {{{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"weights", w}}}}}));
  Tensor image = data::lesson_image_6x6();
  image.reshape({1, 1, 6, 6});
  const Tensor& y = m.forward(image);
  CHECK(y(0, 0, 0, 0) == 3.f);
  CHECK(y(0, 0, 0, 1) == -1.f);
  CHECK(y(0, 1, 3, 3) == 3.f);  // the vertical kernel finds the line on the right
}

TEST_CASE("lesson 6: a conv layer needs far fewer parameters than a dense one") {
  Model conv(parse_model(Json::parse(R"({"input": [1, 28, 28], "layers": [
      {"type": "conv2d", "filters": 32, "kernel": 5}]})")));
  Model dense(parse_model(Json::parse(R"({"input": [1, 28, 28], "layers": [
      {"type": "flatten"}, {"type": "dense", "units": 32}]})")));
  CHECK(conv.param_count() == 32 * 25 + 32);
  CHECK(dense.param_count() == 784 * 32 + 32);
  CHECK(conv.layer(0).param_count() == 832);
  CHECK(dense.layer(0).param_count() == 0);
}
