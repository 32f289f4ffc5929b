#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "dlplay/data.hpp"

using namespace dlplay;

namespace {

std::size_t count_label(const Dataset& d, float label) {
  std::size_t c = 0;
  for (std::size_t i = 0; i < d.size(); ++i) c += d.y(i) == label ? 1 : 0;
  return c;
}

bool same(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace

TEST_CASE("data: every built-in set has the right sizes and shapes") {
  for (const std::string& name : data::names_2d()) {
    CAPTURE(name);
    for (std::size_t n : {std::size_t{1}, std::size_t{7}, std::size_t{500}}) {
      CAPTURE(n);
      Dataset d = data::make_2d(name, n, 0.2f, 3);
      CHECK(d.size() == n);
      CHECK(d.x.shape() == Tensor::shape_type{n, 2});
      if (data::is_classification_2d(name)) {
        CHECK(d.classes == 2);
        CHECK(d.y.shape() == Tensor::shape_type{n});
        for (float v : d.y) CHECK((v == 0.f || v == 1.f));
      } else {
        CHECK(d.classes == 0);
        CHECK(d.y.shape() == Tensor::shape_type{n, 1});
        for (float v : d.y) CHECK((v >= -1.f && v <= 1.f));
      }
    }
  }
  CHECK(data::names_2d().size() == 6);
  CHECK_FALSE(data::is_classification_2d("plane"));
  CHECK_FALSE(data::is_classification_2d("multi_gaussian"));
}

TEST_CASE("data: points lie inside [-6, 6]² at every noise level") {
  for (const std::string& name : data::names_2d()) {
    for (float noise : {0.f, 0.25f, 0.5f, 1.f}) {
      CAPTURE(name);
      CAPTURE(noise);
      Dataset d = data::make_2d(name, 400, noise, 11);
      for (float v : d.x) {
        REQUIRE(std::isfinite(v));
        CHECK(std::abs(v) <= 6.f);
      }
    }
  }
}

TEST_CASE("data: classification sets are balanced") {
  for (const char* name : {"circle", "xor", "gaussian", "spiral"}) {
    CAPTURE(name);
    Dataset d = data::make_2d(name, 500, 0.f, 5);
    std::size_t ones = count_label(d, 1.f);
    if (std::string(name) == "xor") {
      // Labels follow the quadrant: balanced only on average.
      CHECK(ones > 200);
      CHECK(ones < 300);
    } else {
      CHECK(ones == 250);
      CHECK(count_label(d, 0.f) == 250);
    }
  }
  Dataset odd = data::make_2d("circle", 7, 0.f, 1);
  CHECK(count_label(odd, 1.f) + count_label(odd, 0.f) == 7);
}

TEST_CASE("data: circle labels follow the radius at noise 0") {
  Dataset d = data::make_2d("circle", 600, 0.f, 42);
  for (std::size_t i = 0; i < d.size(); ++i) {
    double r = std::hypot(d.x(i, 0), d.x(i, 1));
    CHECK(r <= 5.0 + 1e-4);
    if (d.y(i) == 1.f)
      CHECK(r < 2.5 + 1e-4);
    else
      CHECK(r >= 3.5 - 1e-4);
  }
}

TEST_CASE("data: circle noise moves labels, not points") {
  Dataset d = data::make_2d("circle", 1000, 0.5f, 42);
  std::size_t flipped = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    double r = std::hypot(d.x(i, 0), d.x(i, 1));
    CHECK(r <= 5.0 + 1e-4);
    CHECK((r < 2.5 + 1e-4 || r >= 3.5 - 1e-4));
    flipped += (r < 3.0) != (d.y(i) == 1.f) ? 1 : 0;
  }
  CHECK(flipped > 50);
}

TEST_CASE("data: xor labels follow the sign of x·y at noise 0, away from the axes") {
  Dataset d = data::make_2d("xor", 500, 0.f, 7);
  std::size_t quadrants[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < d.size(); ++i) {
    float x = d.x(i, 0), y = d.x(i, 1);
    CHECK(std::abs(x) >= 0.3f - 1e-6f);
    CHECK(std::abs(y) >= 0.3f - 1e-6f);
    CHECK(std::abs(x) <= 5.3f + 1e-5f);
    CHECK(std::abs(y) <= 5.3f + 1e-5f);
    CHECK(d.y(i) == (x * y >= 0 ? 1.f : 0.f));
    quadrants[(x > 0 ? 1 : 0) + (y > 0 ? 2 : 0)]++;
  }
  for (std::size_t q : quadrants) CHECK(q > 80);
}

TEST_CASE("data: gaussian clusters sit at (2, 2) and (-2, -2) and spread with noise") {
  auto stats = [](float noise) {
    Dataset d = data::make_2d("gaussian", 2000, noise, 9);
    double sum[2][2] = {{0, 0}, {0, 0}}, sq = 0;
    std::size_t cnt[2] = {0, 0};
    for (std::size_t i = 0; i < d.size(); ++i) {
      auto c = static_cast<std::size_t>(d.y(i));
      sum[c][0] += d.x(i, 0);
      sum[c][1] += d.x(i, 1);
      cnt[c]++;
      double cx = c == 1 ? 2 : -2;
      sq += (d.x(i, 0) - cx) * (d.x(i, 0) - cx);
    }
    REQUIRE(cnt[0] == 1000);
    REQUIRE(cnt[1] == 1000);
    CHECK(sum[1][0] / 1000 == doctest::Approx(2).epsilon(0.1));
    CHECK(sum[1][1] / 1000 == doctest::Approx(2).epsilon(0.1));
    CHECK(sum[0][0] / 1000 == doctest::Approx(-2).epsilon(0.1));
    CHECK(sum[0][1] / 1000 == doctest::Approx(-2).epsilon(0.1));
    return sq / 2000;  // variance along x
  };
  double v0 = stats(0.f);
  CHECK(v0 == doctest::Approx(0.5).epsilon(0.15));  // dataset.ts: variance 0.5 at noise 0
  double v1 = stats(0.3f);
  CHECK(v1 > 1.5);  // variance 2.6 before the [-6, 6] truncation
}

TEST_CASE("data: spiral points follow the two arms at noise 0") {
  Dataset d = data::make_2d("spiral", 200, 0.f, 1);
  // Each arm holds r = i/n·5 for i = 0..n-1, at angle t = 1.75·(r/5)·2π (+π for label 0).
  for (std::size_t i = 0; i < d.size(); ++i) {
    double x = d.x(i, 0), y = d.x(i, 1);
    double r = std::hypot(x, y);
    CHECK(r < 5.0);
    double t = 1.75 * r / 5 * 2 * 3.141592653589793 + (d.y(i) == 1.f ? 0 : 3.141592653589793);
    CHECK(x == doctest::Approx(r * std::sin(t)).epsilon(1e-3).scale(1));
    CHECK(y == doctest::Approx(r * std::cos(t)).epsilon(1e-3).scale(1));
  }
}

TEST_CASE("data: plane and multi_gaussian targets at noise 0") {
  Dataset p = data::make_2d("plane", 300, 0.f, 2);
  for (std::size_t i = 0; i < p.size(); ++i) {
    double expect = std::clamp((p.x(i, 0) + p.x(i, 1)) / 10.0, -1.0, 1.0);
    CHECK(p.y(i, 0) == doctest::Approx(expect).epsilon(1e-5));
  }
  Dataset g = data::make_2d("multi_gaussian", 300, 0.f, 2);
  bool pos = false, neg = false;
  for (std::size_t i = 0; i < g.size(); ++i) {
    pos = pos || g.y(i, 0) > 0.5f;
    neg = neg || g.y(i, 0) < -0.5f;
    // Far from every centre the target is 0.
    double x = g.x(i, 0), y = g.x(i, 1);
    bool far = true;
    for (double cx : {-4.0, 0.0, 4.0})
      for (double cy : {-2.5, 2.5}) far = far && std::hypot(x - cx, y - cy) >= 2.0;
    if (far) CHECK(g.y(i, 0) == 0.f);
  }
  CHECK(pos);
  CHECK(neg);
}

TEST_CASE("data: the same seed gives the same data, another seed other data") {
  for (const std::string& name : data::names_2d()) {
    CAPTURE(name);
    Dataset a = data::make_2d(name, 100, 0.1f, 123);
    Dataset b = data::make_2d(name, 100, 0.1f, 123);
    Dataset c = data::make_2d(name, 100, 0.1f, 124);
    CHECK(same(a.x, b.x));
    CHECK(same(a.y, b.y));
    CHECK_FALSE(same(a.x, c.x));
  }
}

TEST_CASE("data: unknown names and bad noise are errors") {
  CHECK_THROWS_WITH_AS(
      data::make_2d("foo", 10, 0.f, 0),
      "data.name: unknown data set 'foo' (expected circle, xor, gaussian, spiral, plane, multi_gaussian)",
      Error);
  CHECK_THROWS_AS(data::make_2d("circle", 10, -0.1f, 0), Error);
  CHECK_THROWS_AS(data::make_2d("circle", 10, 1.5f, 0), Error);
  CHECK(data::make_2d("circle", 0, 0.f, 0).size() == 0);
}

TEST_CASE("data: split partitions the indices") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{10}, std::size_t{101}}) {
    for (float ratio : {0.f, 0.2f, 0.5f, 1.f}) {
      CAPTURE(n);
      CAPTURE(ratio);
      data::Split s = data::split(n, ratio, 5);
      CHECK(s.test.size() == static_cast<std::size_t>(std::llround(n * static_cast<double>(ratio))));
      CHECK(s.train.size() + s.test.size() == n);
      std::set<std::size_t> all(s.train.begin(), s.train.end());
      all.insert(s.test.begin(), s.test.end());
      CHECK(all.size() == n);
      if (n) CHECK(*all.rbegin() == n - 1);
    }
  }
  data::Split a = data::split(100, 0.3f, 1), b = data::split(100, 0.3f, 1), c = data::split(100, 0.3f, 2);
  CHECK(a.test == b.test);
  CHECK(a.train == b.train);
  CHECK(a.test != c.test);
  CHECK_THROWS_AS(data::split(10, 1.5f, 0), Error);
}

TEST_CASE("data: a split with labels is stratified") {
  // 70 of class 0, 20 of class 1, 10 of class 2.
  Tensor labels = Tensor::from_shape({100});
  for (std::size_t i = 0; i < 100; ++i) labels(i) = i % 10 < 7 ? 0.f : (i % 10 < 9 ? 1.f : 2.f);
  data::Split s = data::split(100, 0.2f, 3, &labels);
  REQUIRE(s.test.size() == 20);
  REQUIRE(s.train.size() == 80);
  std::size_t per_class[3] = {0, 0, 0};
  for (std::size_t i : s.test) per_class[static_cast<std::size_t>(labels(i))]++;
  CHECK(per_class[0] == 14);
  CHECK(per_class[1] == 4);
  CHECK(per_class[2] == 2);
  std::set<std::size_t> all(s.train.begin(), s.train.end());
  all.insert(s.test.begin(), s.test.end());
  CHECK(all.size() == 100);

  // Uneven shares still add up to round(n · ratio).
  Dataset d = data::make_2d("circle", 51, 0.f, 4);
  data::Split t = data::split(51, 0.5f, 4, &d.y);
  CHECK(t.test.size() == 26);
  CHECK(t.train.size() == 25);
  std::size_t ones = 0;
  for (std::size_t i : t.test) ones += d.y(i) == 1.f ? 1 : 0;
  CHECK((ones == 13 || ones == 12));

  Tensor bad = Tensor::from_shape({3});
  bad(0) = 0.f;
  bad(1) = 1.5f;
  bad(2) = 0.f;
  CHECK_THROWS_AS(data::split(3, 0.5f, 0, &bad), Error);
  CHECK_THROWS_AS(data::split(4, 0.5f, 0, &labels), Error);
}

TEST_CASE("data: the convolution lesson's image and kernels") {
  Tensor img = data::lesson_image_6x6();
  REQUIRE(img.shape() == Tensor::shape_type{1, 6, 6});
  const float rows[6][6] = {{1, 0, 0, 0, 0, 1}, {0, 1, 0, 0, 1, 0}, {0, 0, 1, 1, 0, 0},
                            {1, 0, 0, 0, 1, 0}, {0, 1, 0, 0, 1, 0}, {0, 0, 1, 0, 1, 0}};
  for (std::size_t r = 0; r < 6; ++r)
    for (std::size_t c = 0; c < 6; ++c) CHECK(img(0, r, c) == rows[r][c]);

  Tensor k = data::lesson_kernels_3x3();
  REQUIRE(k.shape() == Tensor::shape_type{2, 1, 3, 3});
  const float diag[3][3] = {{1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
  const float vert[3][3] = {{-1, 1, -1}, {-1, 1, -1}, {-1, 1, -1}};
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t c = 0; c < 3; ++c) {
      CHECK(k(0, 0, r, c) == diag[r][c]);
      CHECK(k(1, 0, r, c) == vert[r][c]);
    }

  // docs/lessons.md, lesson 5: kernel 1 with stride 1 starts "3 -1".
  auto corr = [&](std::size_t oy, std::size_t ox) {
    float s = 0;
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t c = 0; c < 3; ++c) s += img(0, oy + r, ox + c) * k(0, 0, r, c);
    return s;
  };
  CHECK(corr(0, 0) == 3.f);
  CHECK(corr(0, 1) == -1.f);
}
