// Training works: fixed steps and seeds, specs as JSON, the same path as the CLI and the worker
// (a Session). Kept lean: the suite also runs as wasm in Node.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "dlplay/dlplay.hpp"

using namespace dlplay;

namespace {

struct Run {
  std::unique_ptr<Session> session;
  Model* model;
  Trainer* trainer;
};

// As the CLI and the bindings build a run.
Run build(const Json& j) {
  Run r;
  r.session = std::make_unique<Session>(j);
  r.model = &r.session->model();
  r.trainer = &r.session->trainer();
  return r;
}

Json dense(std::size_t units, const char* activation) {
  return {{"type", "dense"}, {"units", units}, {"activation", activation}};
}

Json mlp(const Json& layers, const char* set, std::uint64_t seed) {
  return {{"input", {2}},
          {"layers", layers},
          {"data", {{"name", set}, {"n", 400}, {"noise", 0}}},
          {"test_ratio", 0.25},
          {"seed", seed}};
}

double weight_norm1(Model& m) {
  double s = 0;
  for (const Param& p : m.params())
    if (p.regularized)
      for (float v : *p.value) s += std::fabs(v);
  return s;
}

double weight_norm2(Model& m) {
  double s = 0;
  for (const Param& p : m.params())
    if (p.regularized)
      for (float v : *p.value) s += static_cast<double>(v) * v;
  return s;
}

std::vector<Tensor> weights(Model& m) {
  std::vector<Tensor> w;
  for (const Param& p : m.params()) w.push_back(*p.value);
  return w;
}

bool same_weights(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].shape() != b[i].shape() || !std::equal(a[i].begin(), a[i].end(), b[i].begin())) return false;
  return true;
}

}  // namespace

TEST_CASE("training: a small MLP learns circle and xor (> 95% test accuracy, 3 seeds)") {
  for (const char* set : {"circle", "xor"}) {
    for (std::uint64_t seed : {1, 2, 3}) {
      CAPTURE(std::string(set));
      CAPTURE(seed);
      // TensorFlow Playground's default: 2-8-8-1 tanh, mse on −1/+1 targets.
      Json j = mlp({dense(8, "tanh"), dense(8, "tanh"), dense(1, "tanh")}, set, seed);
      j["loss"] = "mse";
      j["optimizer"] = {{"type", "adam"}, {"lr", 0.01}};
      j["batch"] = 10;
      Run r = build(j);
      const Metrics before = r.trainer->evaluate();
      r.trainer->train(500);
      const Metrics after = r.trainer->evaluate();
      CHECK_FALSE(after.diverged);
      CHECK(after.train_loss < before.train_loss);
      CHECK(after.test_accuracy > 0.95);
      CHECK(after.train_accuracy > 0.95);

      // And with a softmax output and cross-entropy.
      j["layers"] = {dense(8, "tanh"), dense(8, "tanh"), dense(2, "softmax")};
      j["loss"] = "cross_entropy";
      Run c = build(j);
      c.trainer->train(500);
      CHECK(c.trainer->evaluate().test_accuracy > 0.95);
    }
  }
}

TEST_CASE("training: a 2-16-16-2 ReLU network learns the spiral (> 90% test accuracy, 3 seeds)") {
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    Json j = mlp({dense(16, "relu"), dense(16, "relu"), dense(2, "softmax")}, "spiral", seed);
    j["data"]["n"] = 500;
    j["loss"] = "cross_entropy";
    j["optimizer"] = {{"type", "adam"}, {"lr", 0.02}};
    j["batch"] = 32;
    Run r = build(j);
    r.trainer->train(1200);
    const Metrics m = r.trainer->evaluate();
    CHECK(m.test_accuracy > 0.90);
    CHECK(m.train_accuracy > 0.90);
  }
}

TEST_CASE("training: a small CNN tells the 6×6 lesson's diagonal strokes from vertical ones") {
  // Every 3-pixel vertical stroke (class 0) and diagonal stroke (class 1) on a 6×6 image.
  Json xs = Json::array(), ys = Json::array();
  auto add = [&](int r0, int c0, int dc, int label) {
    std::vector<std::vector<float>> img(6, std::vector<float>(6, 0.f));
    for (int k = 0; k < 3; ++k) img[r0 + k][c0 + k * dc] = 1.f;
    xs.push_back(Json::array({img}));  // [1][6][6]
    ys.push_back(label);
  };
  for (int r = 0; r <= 3; ++r)
    for (int c = 0; c < 6; ++c) add(r, c, 0, 0);
  for (int r = 0; r <= 3; ++r)
    for (int c = 0; c <= 3; ++c) add(r, c, 1, 1);
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    Json j = {{"input", {1, 6, 6}},
              {"layers",
               {{{"type", "conv2d"}, {"filters", 8}, {"kernel", 3}, {"activation", "relu"}},
                {{"type", "maxpool2d"}, {"size", 2}},
                {{"type", "flatten"}},
                dense(2, "softmax")}},
              {"data", {{"x", xs}, {"y", ys}}},
              {"loss", "cross_entropy"},
              {"optimizer", {{"type", "adam"}, {"lr", 0.02}}},
              {"batch", 8},
              {"seed", seed}};
    Run r = build(j);
    REQUIRE(r.trainer->train_indices().size() == 40);
    r.trainer->train(600);
    const Metrics m = r.trainer->evaluate();
    CHECK(m.train_accuracy == 1.0);
    CHECK(m.train_loss < 0.1);
  }
}

TEST_CASE("training: the same spec and seed give a bit-identical run; another seed does not") {
  auto trace = [](std::uint64_t seed) {
    Json j = mlp({dense(6, "relu"), dense(2, "softmax")}, "xor", seed);
    j["loss"] = "cross_entropy";
    j["optimizer"] = {{"type", "sgd"}, {"lr", 0.05}, {"momentum", 0.9}};
    j["layers"].insert(j["layers"].begin() + 1, Json{{"type", "dropout"}, {"rate", 0.2}});
    Run r = build(j);
    std::vector<double> losses;
    for (int i = 0; i < 60; ++i) losses.push_back(r.trainer->step());
    losses.push_back(r.trainer->evaluate().test_loss);
    return std::make_pair(losses, weights(*r.model));
  };
  const auto a = trace(7), b = trace(7), c = trace(8);
  CHECK(a.first == b.first);  // exact equality of doubles
  CHECK(same_weights(a.second, b.second));
  CHECK(a.first != c.first);
  CHECK_FALSE(same_weights(a.second, c.second));
}

TEST_CASE("training: every optimiser lowers the loss") {
  const Json optimizers[] = {
      {{"type", "sgd"}, {"lr", 0.1}},
      {{"type", "sgd"}, {"lr", 0.03}, {"momentum", 0.9}},
      {{"type", "sgd"}, {"lr", 0.03}, {"momentum", 0.9}, {"nesterov", true}},
      {{"type", "adam"}, {"lr", 0.01}},
      {{"type", "adagrad"}, {"lr", 0.1}},
      {{"type", "rmsprop"}, {"lr", 0.01}},
  };
  for (const Json& opt : optimizers) {
    CAPTURE(opt.dump());
    Json j = mlp({dense(8, "tanh"), dense(1, "tanh")}, "circle", 4);
    j["optimizer"] = opt;
    Run r = build(j);
    const double before = r.trainer->evaluate().train_loss;
    r.trainer->train(300);
    const Metrics after = r.trainer->evaluate();
    CHECK_FALSE(after.diverged);
    CHECK(after.train_loss < 0.7 * before);
  }
}

TEST_CASE("training: L2 and L1 regularisation shrink the weights") {
  auto norm_after = [](const Json& reg) {
    Json j = mlp({dense(8, "tanh"), dense(8, "tanh"), dense(1, "tanh")}, "xor", 5);
    j["optimizer"] = {{"type", "sgd"}, {"lr", 0.03}};
    if (!reg.is_null()) j["regularization"] = reg;
    Run r = build(j);
    const double start = weight_norm2(*r.model);
    r.trainer->train(400);
    CHECK_FALSE(r.trainer->evaluate().diverged);
    return std::make_tuple(start, weight_norm2(*r.model), weight_norm1(*r.model));
  };
  const auto none = norm_after(nullptr);
  const auto l2 = norm_after({{"type", "l2"}, {"rate", 0.03}});
  const auto l1 = norm_after({{"type", "l1"}, {"rate", 0.03}});
  CHECK(std::get<0>(none) == std::get<0>(l2));  // the same initial weights
  CHECK(std::get<1>(l2) < 0.75 * std::get<1>(none));
  CHECK(std::get<2>(l1) < 0.75 * std::get<2>(none));
  // The rate given at the top level works too.
  Json j = mlp({dense(8, "tanh"), dense(1, "tanh")}, "xor", 5);
  j["regularization"] = "l2";
  j["regularization_rate"] = 0.5;
  Run r = build(j);
  const double start = weight_norm2(*r.model);
  r.trainer->train(200);
  CHECK(weight_norm2(*r.model) < 0.5 * start);
}

TEST_CASE("training: divergence at lr 1000 is detected, not a crash") {
  Json j = mlp({dense(16, "relu"), dense(16, "relu"), dense(1, "linear")}, "circle", 1);
  j["optimizer"] = {{"type", "sgd"}, {"lr", 1000}};
  Run r = build(j);
  CHECK_FALSE(r.trainer->diverged());
  for (int i = 0; i < 50; ++i) r.trainer->step();
  const Metrics m = r.trainer->record();
  CHECK(m.diverged);
  CHECK(r.trainer->diverged());
  CHECK(r.trainer->history().back().diverged);
  const Json mj = m.to_json();  // NaN is not JSON: the losses are null
  CHECK(mj["diverged"] == true);
  CHECK((mj["train_loss"].is_null() || std::isfinite(mj["train_loss"].get<double>())));
  CHECK_NOTHROW(mj.dump());
  CHECK_NOTHROW(r.trainer->train(5));  // still no crash
}

TEST_CASE("training: Trainer::set changes the learning rate mid-training") {
  Json j = mlp({dense(8, "tanh"), dense(1, "tanh")}, "circle", 2);
  j["optimizer"] = {{"type", "sgd"}, {"lr", 0.03}, {"momentum", 0}};
  Run r = build(j);
  r.trainer->train(20);
  const auto w20 = weights(*r.model);

  r.session->set({{"lr", 0}});
  CHECK(r.trainer->spec().hyper.optimizer.lr == 0.f);
  r.trainer->train(20);  // lr 0: nothing moves
  CHECK(same_weights(weights(*r.model), w20));
  CHECK(r.trainer->steps_done() == 40);

  r.session->set({{"lr", 0.1}, {"batch", 25}});
  CHECK(r.trainer->spec().hyper.batch == 25);
  CHECK(r.session->hyperparameters().batch == 25);
  const double before = r.trainer->evaluate().train_loss;
  r.trainer->train(100);
  CHECK_FALSE(same_weights(weights(*r.model), w20));
  CHECK(r.trainer->evaluate().train_loss < before);

  // A bad hyper-parameter leaves them all untouched.
  CHECK_THROWS_AS(r.session->set({{"lr", 0.5}, {"batch", 0}}), Error);
  CHECK(r.session->hyperparameters().optimizer.lr == 0.1f);
  CHECK(r.trainer->spec().hyper.optimizer.lr == 0.1f);
}

TEST_CASE("training: gradient_rms is the RMS of every gradient, and falls near 0 when tanh saturates") {
  const Json layers = {dense(8, "tanh"), dense(8, "tanh"), dense(1, "tanh")};
  Json healthy = mlp(layers, "circle", 4);
  healthy["optimizer"] = {{"type", "sgd"}, {"lr", 0.03}};
  Json saturated = healthy;
  saturated["optimizer"]["lr"] = 200;

  Session h(healthy);
  CHECK(h.metrics(false).gradient_rms == 0);  // no step yet
  CHECK_FALSE(h.metrics().to_json().contains("gradient_rms"));
  h.train(50);
  const Metrics m = h.metrics();
  // The same figure from the gradients themselves.
  double sum = 0;
  std::size_t count = 0;
  for (const Param& p : h.model().params())
    for (float g : *p.grad) {
      sum += static_cast<double>(g) * g;
      ++count;
    }
  CHECK(m.gradient_rms == doctest::Approx(std::sqrt(sum / static_cast<double>(count))));
  CHECK(h.metrics(false).gradient_rms == m.gradient_rms);  // without the pass over the data too
  CHECK(m.to_json()["gradient_rms"] == m.gradient_rms);
  CHECK(m.gradient_rms > 1e-3);

  Session s(saturated);
  s.train(50);
  const Metrics ms = s.metrics();
  MESSAGE("gradient RMS after 50 steps: lr 0.03 " << m.gradient_rms << ", lr 200 " << ms.gradient_rms);
  CHECK_FALSE(ms.diverged);
  CHECK(ms.gradient_rms < 1e-4);
  CHECK(ms.gradient_rms < m.gradient_rms / 100);
}
