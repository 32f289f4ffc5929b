// The built-in sets with more than two classes: "gaussian" and "spiral" with "classes": K.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

using namespace dlplay;

namespace {

constexpr double kPi = 3.141592653589793;

// FNV-1a over the bit patterns.
std::uint64_t hash(const Tensor& t) {
  std::uint64_t h = 1469598103934665603ull;
  for (float x : t) {
    std::uint32_t u;
    std::memcpy(&u, &x, sizeof u);
    for (int b = 0; b < 4; ++b) {
      h ^= (u >> (8 * b)) & 0xffu;
      h *= 1099511628211ull;
    }
  }
  return h;
}

bool same(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

std::vector<std::size_t> counts(const Dataset& d, std::size_t k) {
  std::vector<std::size_t> c(k, 0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    const auto label = static_cast<std::size_t>(d.y(i));
    REQUIRE(label < k);
    REQUIRE(d.y(i) == static_cast<float>(label));
    c[label]++;
  }
  return c;
}

Json spec_with(const Json& data, std::size_t outputs) {
  return {{"input", {2}},
          {"layers",
           {{{"type", "dense"}, {"units", 8}, {"activation", "tanh"}},
            {{"type", "dense"}, {"units", outputs}, {"activation", "softmax"}}}},
          {"data", data},
          {"loss", "cross_entropy"},
          {"seed", 1}};
}

}  // namespace

TEST_CASE("multi-class: two classes give exactly the points the sets always gave (golden hashes)") {
  // Computed from the generators before they took a class count: n 301, seed 17.
  struct Golden {
    const char* name;
    float noise;
    std::uint64_t x, y;
  };
  const Golden golden[] = {{"gaussian", 0.f, 15438390467214620624ull, 14545006764355227914ull},
                           {"gaussian", 0.35f, 14890998136016294409ull, 13607961322275223818ull},
                           {"spiral", 0.f, 17693821932386919647ull, 14545006764355227914ull},
                           {"spiral", 0.35f, 3576550000046784799ull, 14545006764355227914ull}};
  for (const Golden& g : golden) {
    CAPTURE(std::string(g.name));
    CAPTURE(g.noise);
    const Dataset d = data::make_2d(g.name, 301, g.noise, 17);
    CHECK(hash(d.x) == g.x);
    CHECK(hash(d.y) == g.y);
    const Dataset two = data::make_2d(g.name, 301, g.noise, 17, 2);
    CHECK(same(two.x, d.x));
    CHECK(same(two.y, d.y));
    CHECK(two.classes == 2);
  }
  // And through a spec: "classes": 2 is the set without it.
  Session a(spec_with({{"name", "spiral"}, {"n", 100}}, 2));
  Session b(spec_with({{"name", "spiral"}, {"n", 100}, {"classes", 2}}, 2));
  CHECK(same(a.data().x, b.data().x));
}

TEST_CASE("multi-class: K = 3 to 6 give K labels, each about n/K times, inside [-6, 6]², per seed") {
  for (const char* name : {"gaussian", "spiral"}) {
    for (std::size_t k = 3; k <= 6; ++k) {
      for (float noise : {0.f, 0.5f, 1.f}) {
        CAPTURE(std::string(name));
        CAPTURE(k);
        CAPTURE(noise);
        const Dataset d = data::make_2d(name, 301, noise, 5, k);
        REQUIRE(d.size() == 301);
        CHECK(d.classes == k);
        CHECK(d.y.shape() == Tensor::shape_type{301});
        for (std::size_t c : counts(d, k)) CHECK((c == 301 / k || c == 301 / k + 1));
        for (float v : d.x) {
          REQUIRE(std::isfinite(v));
          CHECK(std::abs(v) <= 6.f);
        }
        const Dataset again = data::make_2d(name, 301, noise, 5, k);
        CHECK(same(again.x, d.x));
        CHECK(same(again.y, d.y));
        CHECK_FALSE(same(data::make_2d(name, 301, noise, 6, k).x, d.x));
      }
    }
  }
}

TEST_CASE("multi-class: gaussian centres lie evenly on a circle, spiral arms are turned by 2π/K") {
  for (std::size_t k = 3; k <= 6; ++k) {
    CAPTURE(k);
    const Dataset g = data::make_2d("gaussian", 1200, 0.f, 3, k);
    std::vector<double> sx(k, 0), sy(k, 0);
    const std::vector<std::size_t> c = counts(g, k);
    for (std::size_t i = 0; i < g.size(); ++i) {
      sx[static_cast<std::size_t>(g.y(i))] += g.x(i, 0);
      sy[static_cast<std::size_t>(g.y(i))] += g.x(i, 1);
    }
    for (std::size_t j = 0; j < k; ++j) {
      const double angle = 2 * kPi * static_cast<double>(j) / static_cast<double>(k);
      CHECK(sx[j] / static_cast<double>(c[j]) ==
            doctest::Approx(3.5 * std::cos(angle)).scale(1).epsilon(0.05));
      CHECK(sy[j] / static_cast<double>(c[j]) ==
            doctest::Approx(3.5 * std::sin(angle)).scale(1).epsilon(0.05));
    }

    const Dataset s = data::make_2d("spiral", 300, 0.f, 3, k);
    for (std::size_t i = 0; i < s.size(); ++i) {
      const double x = s.x(i, 0), y = s.x(i, 1), r = std::hypot(x, y);
      CHECK(r < 5.0);
      const double t = 1.75 * r / 5 * 2 * kPi + 2 * kPi * s.y(i) / static_cast<double>(k);
      CHECK(x == doctest::Approx(r * std::sin(t)).epsilon(1e-3).scale(1));
      CHECK(y == doctest::Approx(r * std::cos(t)).epsilon(1e-3).scale(1));
    }
  }
}

TEST_CASE(
    "multi-class: classes for a set that takes none, or out of range, is an error naming data.classes") {
  for (const char* name : {"circle", "xor"}) {
    CAPTURE(std::string(name));
    CHECK_THROWS_WITH_AS(Session(spec_with({{"name", name}, {"classes", 3}}, 3)),
                         (std::string("data.classes: the ") + name +
                          " set has two classes of its own (only gaussian and spiral take \"classes\")")
                             .c_str(),
                         Error);
    CHECK_THROWS_AS(data::make_2d(name, 10, 0.f, 0, 2), Error);
  }
  for (const char* name : {"plane", "multi_gaussian"}) {
    CAPTURE(std::string(name));
    CHECK_THROWS_WITH_AS(Session(spec_with({{"name", name}, {"classes", 2}}, 1)),
                         (std::string("data.classes: the ") + name +
                          " set is a regression set (only gaussian and spiral take \"classes\")")
                             .c_str(),
                         Error);
  }
  CHECK_THROWS_WITH_AS(Session(spec_with({{"name", "gaussian"}, {"classes", 7}}, 7)),
                       "data.classes: expected a whole number from 2 to 6, got 7", Error);
  CHECK_THROWS_WITH_AS(Session(spec_with({{"name", "spiral"}, {"classes", 1}}, 2)),
                       "data.classes: expected a whole number from 2 to 6, got 1", Error);
  CHECK_THROWS_WITH_AS(Session(spec_with({{"name", "spiral"}, {"classes", 2.5}}, 2)),
                       "data.classes: expected a whole number from 2 to 6, got the number 2.5", Error);
  CHECK_THROWS_WITH_AS(Session(spec_with({{"name", "spiral"}, {"classes", "3"}}, 3)),
                       "data.classes: expected a whole number from 2 to 6, got the string \"3\"", Error);
  CHECK_THROWS_WITH_AS(data::make_2d("spiral", 10, 0.f, 0, 0),
                       "data.classes: expected a whole number from 2 to 6, got 0", Error);
  // Inline data has no class count to give (its labels say it).
  CHECK_THROWS_WITH_AS(Session(spec_with({{"x", {{0, 0}}}, {"y", {0}}, {"classes", 3}}, 3)),
                       doctest::Contains("data.classes: unknown field"), Error);
  // K classes need K outputs.
  CHECK_THROWS_WITH_AS(Session(spec_with({{"name", "gaussian"}, {"classes", 4}}, 3)),
                       "data.y: 4 classes but the model has 3 outputs", Error);
}

TEST_CASE("multi-class: the vocabulary says which sets take classes, with the parser's range") {
  const Json v = vocab::to_json();
  for (const Json& set : v["datasets"]) {
    CAPTURE(set.dump());
    const std::string name = set["name"];
    CHECK(set.contains("classes") == data::takes_classes(name));
    if (!set.contains("classes")) continue;
    CHECK(set["classes"] == Json({{"min", 2}, {"max", 6}, {"default", 2}, {"integer", true}}));
    const Json& r = set["classes"];
    CHECK_NOTHROW(Session(spec_with({{"name", name}, {"n", 12}, {"classes", r["max"].get<int>()}}, 6)));
    CHECK_THROWS_AS(Session(spec_with({{"name", name}, {"classes", r["max"].get<int>() + 1}}, 6)), Error);
  }
}

TEST_CASE("multi-class: a softmax network learns 3 gaussian clusters and 3 spiral arms") {
  // Gaussian clusters: a short run reaches > 90 % test accuracy.
  Json g =
      spec_with({{"name", "gaussian"}, {"n", 300}, {"noise", 0.1}, {"classes", 3}, {"test_ratio", 0.3}}, 3);
  g["optimizer"] = {{"type", "adam"}, {"lr", 0.03}};
  Session sg(g);
  CHECK(sg.info()["classes"] == 3);
  sg.train(300);
  const Metrics mg = sg.metrics();
  CHECK(mg.test_accuracy >= 0.9);
  const Evaluation eg = sg.evaluate(SplitKind::test);
  CHECK(eg.classes == 3);
  CHECK(eg.confusion.size() == 9);

  // Spiral arms take a larger network and longer.
  Json s = {{"input", {2}},
            {"layers",
             {{{"type", "dense"}, {"units", 16}, {"activation", "relu"}},
              {{"type", "dense"}, {"units", 16}, {"activation", "relu"}},
              {{"type", "dense"}, {"units", 3}, {"activation", "softmax"}}}},
            {"data", {{"name", "spiral"}, {"n", 300}, {"classes", 3}, {"test_ratio", 0.2}}},
            {"loss", "cross_entropy"},
            {"optimizer", {{"type", "adam"}, {"lr", 0.01}}},
            {"batch", 10},
            {"seed", 2}};
  Session ss(s);
  CHECK(ss.info()["classes"] == 3);
  const double before = ss.metrics().train_accuracy;
  ss.train(3000);
  const Metrics ms = ss.metrics();
  MESSAGE("3-arm spiral: train accuracy " << before << " -> " << ms.train_accuracy << ", test "
                                          << ms.test_accuracy);
  CHECK(ms.train_accuracy >= 0.9);
  CHECK(ms.test_accuracy >= 0.9);
}
