// The playground's 2-D data sets, after TensorFlow Playground's dataset.ts, and the lessons' images.
//
// Differences from dataset.ts, all deliberate:
//  - labels are class indices (dataset.ts's +1 → 1, −1 → 0); regression targets are [N, 1];
//  - exactly n points (dataset.ts makes ⌈n/2⌉ per class, n + 1 in all for odd n);
//  - draws come from dlplay::Rng, so a seed gives the same points natively and in wasm;
//    sin/cos/sqrt are computed in double and rounded to float;
//  - points stay inside [-6, 6]² (gaussian draws outside are drawn again) and regression
//    targets are clamped to [-1, 1];
//  - the points are shuffled (the playground shuffles them before splitting, too);
//  - gaussian and spiral also come with 3 to 6 classes (K clusters on a circle, K spiral arms);
//    with 2 they are dataset.ts's, draw for draw.
#include "dlplay/data.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "dlplay/rng.hpp"
#include "dlplay/vocabulary.hpp"

namespace dlplay::data {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr float kExtent = 6.f;  // every point lies in [-kExtent, kExtent]²

constexpr double kClusterRadius = 3.5;  // the K-class gaussian set's centres lie on this circle

struct Point {
  float x, y, label;
};

// Class k's share of n points among K classes: n/K, one more for the first n mod K classes.
std::size_t share(std::size_t n, std::size_t classes, std::size_t k) {
  return n / classes + (k < n % classes ? 1 : 0);
}

double dist(double x, double y, double cx, double cy) {
  return std::sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
}

std::vector<Point> circle(std::size_t n, float noise, Rng& rng) {
  constexpr float radius = 5.f;
  std::vector<Point> pts;
  pts.reserve(n);
  // dataset.ts: positives with r in [0, radius/2], negatives with r in [0.7·radius, radius]; the label
  // is that of the point moved by the noise, the point itself is not moved.
  auto gen = [&](std::size_t count, float r_lo, float r_hi) {
    for (std::size_t i = 0; i < count; ++i) {
      float r = rng.uniform(r_lo, r_hi);
      float angle = rng.uniform(0.f, static_cast<float>(2 * kPi));
      auto x = static_cast<float>(r * std::sin(static_cast<double>(angle)));
      auto y = static_cast<float>(r * std::cos(static_cast<double>(angle)));
      float nx = rng.uniform(-radius, radius) * noise;
      float ny = rng.uniform(-radius, radius) * noise;
      float label = dist(x + nx, y + ny, 0, 0) < radius * 0.5 ? 1.f : 0.f;
      pts.push_back({x, y, label});
    }
  };
  gen(n - n / 2, 0.f, radius * 0.5f);
  gen(n / 2, radius * 0.7f, radius);
  return pts;
}

std::vector<Point> xor_points(std::size_t n, float noise, Rng& rng) {
  constexpr float padding = 0.3f;
  std::vector<Point> pts;
  pts.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    float x = rng.uniform(-5.f, 5.f);
    x += x > 0 ? padding : -padding;
    float y = rng.uniform(-5.f, 5.f);
    y += y > 0 ? padding : -padding;
    float nx = rng.uniform(-5.f, 5.f) * noise;
    float ny = rng.uniform(-5.f, 5.f) * noise;
    float label = (x + nx) * (y + ny) >= 0 ? 1.f : 0.f;
    pts.push_back({x, y, label});
  }
  return pts;
}

std::vector<Point> gaussian(std::size_t n, float noise, std::size_t classes, Rng& rng) {
  // dataset.ts: variance = linear [0, 0.5] → [0.5, 4] of the noise (extrapolated beyond 0.5).
  double variance = 0.5 + static_cast<double>(noise) * (4.0 - 0.5) / 0.5;
  auto stddev = static_cast<float>(std::sqrt(variance));
  std::vector<Point> pts;
  pts.reserve(n);
  auto draw = [&](float mean) {
    for (int tries = 0; tries < 1000; ++tries) {
      float v = rng.normal(mean, stddev);
      if (v >= -kExtent && v <= kExtent) return v;
    }
    return mean;  // unreachable in practice: each try lands inside with probability > 0.5
  };
  auto gen = [&](std::size_t count, float cx, float cy, float label) {
    for (std::size_t i = 0; i < count; ++i) {
      float x = draw(cx);
      float y = draw(cy);
      pts.push_back({x, y, label});
    }
  };
  if (classes == 2) {  // TensorFlow Playground's two clusters, exactly as they always were
    gen(n - n / 2, 2.f, 2.f, 1.f);
    gen(n / 2, -2.f, -2.f, 0.f);
    return pts;
  }
  // K clusters with their centres evenly on a circle, class 0 on the positive x axis.
  for (std::size_t k = 0; k < classes; ++k) {
    const double angle = 2 * kPi * static_cast<double>(k) / static_cast<double>(classes);
    gen(share(n, classes, k), static_cast<float>(kClusterRadius * std::cos(angle)),
        static_cast<float>(kClusterRadius * std::sin(angle)), static_cast<float>(k));
  }
  return pts;
}

std::vector<Point> spiral(std::size_t n, float noise, std::size_t classes, Rng& rng) {
  std::vector<Point> pts;
  pts.reserve(n);
  auto gen = [&](std::size_t count, double delta_t, float label) {
    for (std::size_t i = 0; i < count; ++i) {
      double frac = static_cast<double>(i) / static_cast<double>(count);
      double r = frac * 5;
      double t = 1.75 * frac * 2 * kPi + delta_t;
      float nx = rng.uniform(-1.f, 1.f) * noise;
      float ny = rng.uniform(-1.f, 1.f) * noise;
      auto x = static_cast<float>(r * std::sin(t)) + nx;
      auto y = static_cast<float>(r * std::cos(t)) + ny;
      pts.push_back({x, y, label});
    }
  };
  if (classes == 2) {  // TensorFlow Playground's two arms, exactly as they always were
    gen(n - n / 2, 0, 1.f);
    gen(n / 2, kPi, 0.f);
    return pts;
  }
  // K arms, arm k turned by 2πk/K.
  for (std::size_t k = 0; k < classes; ++k)
    gen(share(n, classes, k), 2 * kPi * static_cast<double>(k) / static_cast<double>(classes),
        static_cast<float>(k));
  return pts;
}

float clamp1(double v) { return static_cast<float>(std::min(1.0, std::max(-1.0, v))); }

std::vector<Point> plane(std::size_t n, float noise, Rng& rng) {
  std::vector<Point> pts;
  pts.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    float x = rng.uniform(-kExtent, kExtent);
    float y = rng.uniform(-kExtent, kExtent);
    float nx = rng.uniform(-kExtent, kExtent) * noise;
    float ny = rng.uniform(-kExtent, kExtent) * noise;
    // dataset.ts: linear [-10, 10] → [-1, 1] of x + y (unclamped there).
    pts.push_back({x, y, clamp1((static_cast<double>(x + nx) + static_cast<double>(y + ny)) / 10.0)});
  }
  return pts;
}

std::vector<Point> multi_gaussian(std::size_t n, float noise, Rng& rng) {
  struct G {
    double cx, cy, sign;
  };
  static const G gaussians[] = {{-4, 2.5, 1},   {0, 2.5, -1}, {4, 2.5, 1},
                                {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
  auto label_of = [](double x, double y) {
    // The gaussian largest in absolute value; its value falls linearly from 1 at the centre to 0 at
    // distance 2 (clamped).
    double label = 0;
    for (const G& g : gaussians) {
      double d = dist(x, y, g.cx, g.cy);
      double v = g.sign * std::min(1.0, std::max(0.0, 1.0 - d / 2.0));
      if (std::abs(v) > std::abs(label)) label = v;
    }
    return label;
  };
  std::vector<Point> pts;
  pts.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    float x = rng.uniform(-kExtent, kExtent);
    float y = rng.uniform(-kExtent, kExtent);
    float nx = rng.uniform(-kExtent, kExtent) * noise;
    float ny = rng.uniform(-kExtent, kExtent) * noise;
    pts.push_back({x, y, clamp1(label_of(x + nx, y + ny))});
  }
  return pts;
}

}  // namespace

const std::vector<std::string>& names_2d() {
  static const std::vector<std::string> names = {"circle", "xor",   "gaussian",
                                                 "spiral", "plane", "multi_gaussian"};
  return names;
}

void apply_label_rule(Dataset& d, const std::string& field) {
  d.classes = label_classes(d.y, d.size(), field);
}

std::size_t label_classes(const Tensor& y, std::size_t n, const std::string& field) {
  if (y.dimension() == 0 || y.dimension() > 2 || y.shape()[0] != n)
    throw Error(field + ": expected one label (or one row of targets) per example (" + std::to_string(n) +
                ")");
  if (y.dimension() == 2) {
    if (y.shape()[1] == 0) throw Error(field + ": expected at least one target value per example");
    for (float v : y)
      if (!std::isfinite(v)) throw Error(field + ": target values must be finite numbers");
    return 0;
  }
  float top = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float v = y(i);
    if (!(v >= 0 && v == std::floor(v) && v < 1e6f))
      throw Error(field + "[" + std::to_string(i) + "]: a class index must be a whole number from 0, got " +
                  std::to_string(v) + " (give targets as one row per example, e.g. [[0.5], [1.2]])");
    top = std::max(top, v);
  }
  return std::max<std::size_t>(2, static_cast<std::size_t>(top) + 1);
}

bool is_classification_2d(const std::string& name) {
  return name == "circle" || name == "xor" || name == "gaussian" || name == "spiral";
}

bool takes_classes(const std::string& name) { return name == "gaussian" || name == "spiral"; }

void check_classes(const std::string& name, std::size_t classes) {
  const Range& r = vocab::range::classes;
  if (!takes_classes(name)) {
    const bool known = std::find(names_2d().begin(), names_2d().end(), name) != names_2d().end();
    if (known)
      throw Error("data.classes: the " + name + " set " +
                  (is_classification_2d(name) ? std::string("has two classes of its own")
                                              : std::string("is a regression set")) +
                  " (only gaussian and spiral take \"classes\")");
    return;  // an unknown name is make_2d's error
  }
  if (classes < r.min || classes > r.max)
    throw Error("data.classes: expected a whole number from " + std::to_string(static_cast<int>(r.min)) +
                " to " + std::to_string(static_cast<int>(r.max)) + ", got " + std::to_string(classes));
}

Dataset make_2d(const std::string& name, std::size_t n, float noise, std::uint64_t seed,
                std::optional<std::size_t> classes) {
  if (!(noise >= 0.f && noise <= 1.f))
    throw Error("data.noise: must be between 0 and 1, got " + std::to_string(noise));
  if (classes) check_classes(name, *classes);
  const std::size_t k = classes.value_or(2);
  Rng rng(seed);
  std::vector<Point> pts;
  if (name == "circle")
    pts = circle(n, noise, rng);
  else if (name == "xor")
    pts = xor_points(n, noise, rng);
  else if (name == "gaussian")
    pts = gaussian(n, noise, k, rng);
  else if (name == "spiral")
    pts = spiral(n, noise, k, rng);
  else if (name == "plane")
    pts = plane(n, noise, rng);
  else if (name == "multi_gaussian")
    pts = multi_gaussian(n, noise, rng);
  else
    throw Error("data.name: unknown data set '" + name +
                "' (expected circle, xor, gaussian, spiral, plane, multi_gaussian)");
  rng.shuffle(pts.begin(), pts.end());

  const bool classification = is_classification_2d(name);
  Dataset d;
  d.x = Tensor::from_shape({n, 2});
  d.y = classification ? Tensor::from_shape({n}) : Tensor::from_shape({n, 1});
  d.classes = classification ? k : 0;
  for (std::size_t i = 0; i < n; ++i) {
    d.x.data()[2 * i] = pts[i].x;
    d.x.data()[2 * i + 1] = pts[i].y;
    d.y.data()[i] = pts[i].label;
  }
  return d;
}

Tensor lesson_image_6x6() {
  Tensor t = Tensor::from_shape({1, 6, 6});
  static const float pixels[36] = {
      1, 0, 0, 0, 0, 1,  //
      0, 1, 0, 0, 1, 0,  //
      0, 0, 1, 1, 0, 0,  //
      1, 0, 0, 0, 1, 0,  //
      0, 1, 0, 0, 1, 0,  //
      0, 0, 1, 0, 1, 0,  //
  };
  std::copy(pixels, pixels + 36, t.data());
  return t;
}

Tensor lesson_kernels_3x3() {
  Tensor t = Tensor::from_shape({2, 1, 3, 3});
  static const float weights[18] = {
      1,  -1, -1,  // kernel 1: diagonal
      -1, 1,  -1,  //
      -1, -1, 1,   //
      -1, 1,  -1,  // kernel 2: vertical
      -1, 1,  -1,  //
      -1, 1,  -1,  //
  };
  std::copy(weights, weights + 18, t.data());
  return t;
}

Split split(std::size_t n, float test_ratio, std::uint64_t seed, const Tensor* labels) {
  if (!(test_ratio >= 0.f && test_ratio <= 1.f))
    throw Error("test_ratio: must be between 0 and 1, got " + std::to_string(test_ratio));
  const auto n_test = static_cast<std::size_t>(std::llround(static_cast<double>(n) * test_ratio));
  Rng rng(seed);
  Split s;
  if (!labels) {
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    rng.shuffle(idx.begin(), idx.end());
    s.test.assign(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(n_test));
    s.train.assign(idx.begin() + static_cast<std::ptrdiff_t>(n_test), idx.end());
    return s;
  }

  if (labels->size() != n)
    throw Error("data.y: " + std::to_string(labels->size()) + " labels for " + std::to_string(n) +
                " examples");
  // Group the indices by class.
  std::vector<std::vector<std::size_t>> by_class;
  for (std::size_t i = 0; i < n; ++i) {
    float v = labels->data()[i];
    if (!(v >= 0.f && v < 1e6f) || v != std::floor(v))
      throw Error("data.y[" + std::to_string(i) + "]: a class index must be a non-negative integer, got " +
                  std::to_string(v));
    auto c = static_cast<std::size_t>(v);
    if (c >= by_class.size()) by_class.resize(c + 1);
    by_class[c].push_back(i);
  }
  // Each class gives ⌊count · ratio⌋ test examples; the ones still missing for round(n · ratio) go to
  // the classes with the largest remainders (ties: the lower class index).
  const std::size_t k = by_class.size();
  std::vector<std::size_t> quota(k);
  std::vector<double> remainder(k);
  std::size_t assigned = 0;
  for (std::size_t c = 0; c < k; ++c) {
    double exact = static_cast<double>(by_class[c].size()) * test_ratio;
    quota[c] = std::min(by_class[c].size(), static_cast<std::size_t>(std::floor(exact)));
    remainder[c] = exact - static_cast<double>(quota[c]);
    assigned += quota[c];
  }
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t pass = 0; assigned < n_test && pass < 2; ++pass)
    for (std::size_t c : order)
      if (assigned < n_test && quota[c] < by_class[c].size()) {
        ++quota[c];
        ++assigned;
      }
  for (std::size_t c = 0; c < k; ++c) {
    auto& idx = by_class[c];
    rng.shuffle(idx.begin(), idx.end());
    s.test.insert(s.test.end(), idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(quota[c]));
    s.train.insert(s.train.end(), idx.begin() + static_cast<std::ptrdiff_t>(quota[c]), idx.end());
  }
  rng.shuffle(s.train.begin(), s.train.end());
  rng.shuffle(s.test.begin(), s.test.end());
  return s;
}

}  // namespace dlplay::data
