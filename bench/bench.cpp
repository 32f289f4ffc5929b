#include "bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

namespace dlplay::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Budget {
  double warmup;  // seconds of untimed runs first
  double window;  // seconds per timed window (about)
  int windows;    // timed windows (≥ 5)
};

// Runs `run(reps)` for a warm-up, then in `windows` timed windows of about `window` seconds each.
// Returns the rate of each window in units per second, where one rep is `units_per_rep` units.
std::vector<double> measure(const std::function<void(std::size_t)>& run, double units_per_rep,
                            const Budget& b) {
  std::size_t warm_reps = 0;
  auto t0 = Clock::now();
  do {
    run(1);
    ++warm_reps;
  } while (seconds_since(t0) < b.warmup);
  double per_rep = seconds_since(t0) / static_cast<double>(warm_reps);
  auto reps = static_cast<std::size_t>(std::max(1.0, std::floor(b.window / std::max(per_rep, 1e-9))));

  std::vector<double> rates;
  for (int w = 0; w < b.windows; ++w) {
    auto start = Clock::now();
    run(reps);
    double dt = std::max(seconds_since(start), 1e-9);
    rates.push_back(static_cast<double>(reps) * units_per_rep / dt);
  }
  return rates;
}

double round_to(double v, int digits) {
  if (!std::isfinite(v) || v == 0) return v;
  double scale = std::pow(10.0, digits - 1 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
  return std::round(v * scale) / scale;
}

Json summary(const std::string& name, const std::string& unit, std::vector<double> rates,
             const std::string& what) {
  std::sort(rates.begin(), rates.end());
  std::size_t n = rates.size();
  double median = n % 2 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
  return Json{{"name", name},
              {"description", what},
              {"unit", unit},
              {"median", round_to(median, 4)},
              {"min", round_to(rates.front(), 4)},
              {"max", round_to(rates.back(), 4)},
              {"runs", n}};
}

Json gemm_workload(std::size_t n, const Budget& b) {
  Rng rng(n);
  std::vector<float> a(n * n), bm(n * n), c(n * n, 0.f);
  for (float& v : a) v = rng.uniform(-1.f, 1.f);
  for (float& v : bm) v = rng.uniform(-1.f, 1.f);
  auto run = [&](std::size_t reps) {
    for (std::size_t r = 0; r < reps; ++r)
      kernels::gemm(false, false, n, n, n, 1.f, a.data(), n, bm.data(), n, 0.f, c.data(), n);
  };
  double gflop = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n) * 1e-9;
  std::string size = std::to_string(n);
  return summary("gemm_" + size, "GFLOP/s", measure(run, gflop, b),
                 "kernels::gemm C = A·B, " + size + "×" + size + " float32");
}

// A training workload: the spec builds a Session like the CLI's, then Session::train is timed.
Json train_workload(const std::string& name, const std::string& unit, const std::string& what,
                    const Json& spec_json, const Budget& b) {
  Session session(spec_json);
  auto run = [&](std::size_t reps) { session.train(reps); };
  double units = unit == "steps/s" ? 1.0 : static_cast<double>(session.hyperparameters().batch);
  Json j = summary(name, unit, measure(run, units, b), what);
  j["diverged"] = session.trainer().diverged();
  return j;
}

Json dense(std::size_t units, const char* activation) {
  return Json{{"type", "dense"}, {"units", units}, {"activation", activation}};
}

// Random inline data of `n` examples of `values` values each in [0, 1), labels in 0..classes-1:
// returns the JSON for the spec and fills `x` (flat) and `y`.
Json random_inline(std::size_t n, std::size_t values, std::size_t classes, std::uint64_t seed) {
  Rng rng(seed);
  Json x = Json::array(), y = Json::array();
  for (std::size_t i = 0; i < n; ++i) {
    Json row = Json::array();
    for (std::size_t k = 0; k < values; ++k) row.push_back(rng.uniform());
    x.push_back(std::move(row));
    y.push_back(rng.below(classes));
  }
  return Json{{"x", std::move(x)}, {"y", std::move(y)}};
}

}  // namespace

Json run_benchmarks(bool quick) {
  const Budget gemm_budget = quick ? Budget{0.03, 0.03, 5} : Budget{0.3, 0.3, 7};
  const Budget train_budget = quick ? Budget{0.1, 0.08, 5} : Budget{0.5, 0.5, 7};
  auto t0 = Clock::now();
  Json workloads = Json::array();

  for (std::size_t n : {64, 128, 256, 512}) workloads.push_back(gemm_workload(n, gemm_budget));

  {  // W1: TensorFlow Playground's default network on the circle.
    Json spec = {{"input", Json::array({2})},
                 {"layers", Json::array({dense(8, "tanh"), dense(8, "tanh"), dense(1, "linear")})},
                 {"data", {{"name", "circle"}, {"n", 500}}},
                 {"loss", "mse"},
                 {"optimizer", {{"type", "sgd"}, {"lr", 0.03}}},
                 {"batch", 10},
                 {"steps", 1},
                 {"seed", 1}};
    // Class indices with one mse output: the targets are -1/+1, as in the playground.
    workloads.push_back(
        train_workload("w1_mlp_2_8_8_1", "steps/s",
                       "2-8-8-1 tanh MLP, linear output, mse, sgd lr 0.03, batch 10, circle 500 points", spec,
                       train_budget));
  }
  {  // W2: an MNIST-sized MLP.
    Json spec = {{"input", Json::array({784})},
                 {"layers", Json::array({dense(128, "relu"), dense(64, "relu"), dense(10, "softmax")})},
                 {"data", random_inline(quick ? 256 : 1024, 784, 10, 2)},
                 {"loss", "cross_entropy"},
                 {"optimizer", {{"type", "sgd"}, {"lr", 0.01}}},
                 {"batch", 64},
                 {"steps", 1},
                 {"seed", 2}};
    workloads.push_back(train_workload(
        "w2_mlp_784_128_64_10", "examples/s",
        "784-128-64-10 relu MLP, softmax, cross_entropy, sgd lr 0.01, batch 64, random MNIST-shaped data",
        spec, train_budget));
  }
  {  // W3: ConvNetJS's MNIST demo network.
    Json layers = Json::array({{{"type", "conv2d"},
                                {"filters", 8},
                                {"kernel", 5},
                                {"stride", 1},
                                {"padding", 2},
                                {"activation", "relu"}},
                               {{"type", "maxpool2d"}, {"size", 2}, {"stride", 2}},
                               {{"type", "conv2d"},
                                {"filters", 16},
                                {"kernel", 5},
                                {"stride", 1},
                                {"padding", 2},
                                {"activation", "relu"}},
                               {{"type", "maxpool2d"}, {"size", 3}, {"stride", 3}},
                               {{"type", "flatten"}},
                               dense(10, "softmax")});
    Json spec = {{"input", Json::array({1, 24, 24})},
                 {"layers", layers},
                 {"data", random_inline(quick ? 100 : 400, 24 * 24, 10, 3)},
                 {"loss", "cross_entropy"},
                 {"optimizer", {{"type", "sgd"}, {"lr", 0.01}}},
                 {"batch", 20},
                 {"steps", 1},
                 {"seed", 3}};
    workloads.push_back(
        train_workload("w3_cnn_mnist", "examples/s",
                       "ConvNetJS MNIST CNN [1,24,24] conv8k5-pool2-conv16k5-pool3-dense10 softmax, "
                       "cross_entropy, sgd lr 0.01, batch 20, random data",
                       spec, train_budget));
  }

  return Json{{"engine", "dlplay"},
              {"simd", kernels::simd_arch()},
              {"quick", quick},
              {"seconds", round_to(seconds_since(t0), 3)},
              {"workloads", std::move(workloads)}};
}

}  // namespace dlplay::bench
