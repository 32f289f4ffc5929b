// Checkpoints: a session trained 137 steps, checkpointed and restored into a fresh session from the
// same spec, trains its next 200 steps to the last bit like one trained 337 steps straight, for every
// optimiser, with dropout, mid-epoch, after hyper-parameter changes and a reset; and checkpoints
// that do not fit are refused with the field named, leaving the session as it was.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

using namespace dlplay;

namespace {

Json dense(std::size_t units, const char* activation) {
  return {{"type", "dense"}, {"units", units}, {"activation", activation}};
}

// 200 circle points, 160 to train on in batches of 7: 137 steps end in the middle of an epoch.
Json circle(const Json& optimizer, bool dropout = false) {
  Json layers = Json::array({dense(8, "tanh")});
  if (dropout) layers.push_back({{"type", "dropout"}, {"rate", 0.3}});
  layers.push_back(dense(6, "relu"));
  layers.push_back(dense(1, "tanh"));
  return {{"input", {2}},
          {"layers", layers},
          {"data", {{"name", "circle"}, {"n", 200}, {"noise", 0.1}}},
          {"test_ratio", 0.2},
          {"optimizer", optimizer},
          {"batch", 7},
          {"seed", 3}};
}

// Three spiral arms through input features, a softmax and cross-entropy, L2 and dropout.
Json spiral() {
  return {{"input", {5}},
          {"features", {"x1", "x2", "x1sq", "x2sq", "sinx1"}},
          {"layers", {dense(10, "relu"), {{"type", "dropout"}, {"rate", 0.2}}, dense(3, "softmax")}},
          {"data", {{"name", "spiral"}, {"n", 150}, {"noise", 0.05}, {"classes", 3}}},
          {"test_ratio", 0.2},
          {"loss", "cross_entropy"},
          {"optimizer", {{"type", "adam"}, {"lr", 0.01}}},
          {"regularization", {{"type", "l2"}, {"rate", 0.001}}},
          {"batch", 9},
          {"seed", 11}};
}

// A small CNN on 4×4 images of 3 classes.
Json cnn() {
  Rng rng(5);
  Json x = Json::array(), y = Json::array();
  for (std::size_t i = 0; i < 45; ++i) {
    Json e = Json::array();
    for (std::size_t v = 0; v < 16; ++v) e.push_back(rng.uniform() + (v % 3 == i % 3 ? 0.5f : 0.f));
    x.push_back(e);
    y.push_back(i % 3);
  }
  return {{"input", {1, 4, 4}},
          {"layers",
           {{{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"padding", 1}, {"activation", "relu"}},
            {{"type", "maxpool2d"}, {"size", 2}},
            {{"type", "flatten"}},
            dense(3, "softmax")}},
          {"data", {{"x", x}, {"y", y}}},
          {"loss", "cross_entropy"},
          {"optimizer", {{"type", "sgd"}, {"lr", 0.1}, {"momentum", 0.8}, {"nesterov", true}}},
          {"batch", 4},
          {"seed", 2}};
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.size() == b.size() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_rng(const Rng::State& a, const Rng::State& b) {
  return a.state == b.state && a.has_spare == b.has_spare && same_bits(a.spare, b.spare);
}

// Every field of two checkpoints, floats bit for bit.
void check_same(const Checkpoint& a, const Checkpoint& b) {
  REQUIRE(a.layers.size() == b.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    const Checkpoint::Layer &x = a.layers[i], &y = b.layers[i];
    CHECK(x.type == y.type);
    CHECK(x.activation == y.activation);
    CHECK(x.input_shape == y.input_shape);
    CHECK(x.output_shape == y.output_shape);
    REQUIRE(x.params.size() == y.params.size());
    for (std::size_t j = 0; j < x.params.size(); ++j) {
      INFO("layer " << i << ", parameter " << j);
      CHECK(x.params[j].name == y.params[j].name);
      CHECK(x.params[j].shape == y.params[j].shape);
      CHECK(same_bits(x.params[j].value, y.params[j].value));
      CHECK(same_bits(x.params[j].gradient, y.params[j].gradient));
      CHECK(same_bits(x.params[j].m, y.params[j].m));
      CHECK(same_bits(x.params[j].v, y.params[j].v));
    }
    REQUIRE(x.rng.has_value() == y.rng.has_value());
    if (x.rng) CHECK(same_rng(*x.rng, *y.rng));
  }
  CHECK(a.features == b.features);
  CHECK(a.loss == b.loss);
  CHECK(a.classes == b.classes);
  CHECK(a.train_size == b.train_size);
  CHECK(a.test_size == b.test_size);
  CHECK(a.data_hash == b.data_hash);
  CHECK(a.seed == b.seed);
  CHECK(hyperparameters_to_json(a.hyper) == hyperparameters_to_json(b.hyper));
  CHECK(a.optimizer_steps == b.optimizer_steps);
  CHECK(a.step == b.step);
  CHECK(a.examples == b.examples);
  CHECK(a.order == b.order);
  CHECK(a.cursor == b.cursor);
  CHECK(same_rng(a.rng, b.rng));
  CHECK(a.diverged == b.diverged);
}

using Change = std::function<void(Session&)>;

// `before` runs on both sessions at step 0 and `at137` at step 137 (before the checkpoint).
Checkpoint check_continues(const Json& spec, const Change& before = {}, const Change& at137 = {}) {
  Session straight(spec), first(spec);
  if (before) {
    before(straight);
    before(first);
  }
  straight.train(137);
  first.train(137);
  if (at137) {
    at137(straight);
    at137(first);
  }
  const Checkpoint c = first.checkpoint();
  Session resumed(spec);
  resumed.restore(c);
  check_same(resumed.checkpoint(), c);
  const Metrics m0 = straight.metrics(false), m1 = resumed.metrics(false);
  CHECK(m1.step == 137);
  CHECK(m1.examples == m0.examples);
  CHECK(same_bits(m1.epoch, m0.epoch));
  CHECK(same_bits(m1.gradient_rms, m0.gradient_rms));
  for (int i = 0; i < 200; ++i) {
    const double a = straight.trainer().step(), b = resumed.trainer().step();
    INFO("step " << 138 + i << ": " << a << " straight, " << b << " resumed");
    REQUIRE(same_bits(a, b));
  }
  check_same(resumed.checkpoint(), straight.checkpoint());
  const Metrics e0 = straight.metrics(), e1 = resumed.metrics();
  CHECK(same_bits(e0.train_loss, e1.train_loss));
  CHECK(same_bits(e0.test_loss, e1.test_loss));
  CHECK(hyperparameters_to_json(resumed.hyperparameters()) ==
        hyperparameters_to_json(straight.hyperparameters()));
  return c;
}

std::string restore_error(Session& s, const Checkpoint& c) {
  try {
    s.restore(c);
  } catch (const Error& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

TEST_CASE("checkpoint: sgd with momentum continues bit for bit, mid-epoch") {
  const Checkpoint c = check_continues(circle({{"type", "sgd"}, {"lr", 0.05}, {"momentum", 0.9}}));
  CHECK(c.train_size == 160);
  CHECK(c.test_size == 40);
  CHECK(c.examples == 137 * 7);
  CHECK(c.cursor == (137 % 22) * 7);  // 22 batches of 7 an epoch: the 6th epoch is under way
  CHECK(c.optimizer_steps == 137);
  CHECK(c.layers[0].params[0].m.size() == 16);
}

TEST_CASE("checkpoint: adam, adagrad and rmsprop continue bit for bit") {
  check_continues(circle({{"type", "adam"}, {"lr", 0.01}}));
  check_continues(circle({{"type", "adagrad"}, {"lr", 0.1}}));
  check_continues(circle({{"type", "rmsprop"}, {"lr", 0.005}, {"rho", 0.8}}));
}

TEST_CASE("checkpoint: dropout's masks continue where they were") {
  const Checkpoint c = check_continues(circle({{"type", "adam"}, {"lr", 0.01}}, true));
  REQUIRE(c.layers.size() == 4);
  CHECK(c.layers[1].rng.has_value());
  CHECK(!c.layers[0].rng.has_value());
  check_continues(spiral());
}

TEST_CASE("checkpoint: a CNN with nesterov momentum continues bit for bit") { check_continues(cnn()); }

TEST_CASE("checkpoint: changed hyper-parameters, a new optimizer, a reset with another seed") {
  // Changed while training: the checkpoint carries them, the fresh session takes them.
  const Checkpoint c =
      check_continues(circle({{"type", "sgd"}, {"lr", 0.05}, {"momentum", 0.9}}), {}, [](Session& s) {
        s.set({{"lr", 0.02}, {"batch", 13}, {"momentum", 0.5}});
      });
  CHECK(c.hyper.batch == 13);
  CHECK(c.hyper.optimizer.lr == 0.02f);
  // Another optimizer just before the checkpoint: no moment estimates yet.
  const Checkpoint fresh = check_continues(circle({{"type", "sgd"}, {"lr", 0.05}}), {}, [](Session& s) {
    s.set({{"optimizer", "rmsprop"}});
  });
  CHECK(fresh.optimizer_steps == 0);
  CHECK(fresh.layers[0].params[0].m.size() == 0);
  // reset with seed 9: another split and order; the session from the spec (seed 3) adopts it.
  const Checkpoint r =
      check_continues(circle({{"type", "adam"}, {"lr", 0.01}}, true), [](Session& s) { s.reset(9); });
  CHECK(r.seed == 9);
}

TEST_CASE("checkpoint: at step 0, and of a diverged session") {
  const Json spec = circle({{"type", "sgd"}, {"lr", 0.05}});
  Session a(spec);
  const Checkpoint c = a.checkpoint();
  CHECK(c.step == 0);
  CHECK(c.optimizer_steps == 0);
  Session b(spec);
  b.train(5);
  b.restore(c);
  check_same(b.checkpoint(), c);
  CHECK(b.metrics(false).gradient_rms == 0);

  Session d(spec);
  d.train(10);
  d.model().layer(2).params()[1].value->data()[0] = std::nanf("");
  d.train(2);
  REQUIRE(d.metrics(false).diverged);
  const Checkpoint dc = d.checkpoint();
  Session e(spec);
  e.restore(dc);
  CHECK(e.metrics(false).diverged);
  check_same(e.checkpoint(), dc);  // NaN weights and all, bit for bit
}

TEST_CASE("checkpoint: one that does not fit is refused, naming the field, and changes nothing") {
  const Json spec = circle({{"type", "adam"}, {"lr", 0.01}}, true);
  Session a(spec);
  a.train(50);
  const Checkpoint good = a.checkpoint();
  Session s(spec);
  s.train(3);
  const Checkpoint before = s.checkpoint();
  auto refused = [&](const std::function<void(Checkpoint&)>& spoil) {
    Checkpoint c = good;
    spoil(c);
    const std::string message = restore_error(s, c);
    INFO(message);
    check_same(s.checkpoint(), before);  // all or nothing
    return message;
  };

  CHECK(refused([](Checkpoint& c) { c.version = 2; }) ==
        "checkpoint.version: 2 is not a version this engine reads (1)");
  CHECK(refused([](Checkpoint& c) { c.layers.pop_back(); }) ==
        "checkpoint.layers: 3 layers, but this model has 4 (a checkpoint of another model)");
  CHECK(
      refused([](Checkpoint& c) { c.layers[2].output_shape = {5}; }) ==
      "checkpoint.layers[2].outputShape: [5], but this model's layer 2 outputs [6] (a checkpoint of another "
      "model)");
  CHECK(refused([](Checkpoint& c) { c.layers[0].activation = "relu"; }) ==
        "checkpoint.layers[0].activation: relu, but this model's layer 0 has tanh (a checkpoint of another "
        "model)");
  CHECK(refused([](Checkpoint& c) {
          c.layers[0].params[0].shape = {2, 8};
        }) ==
        "checkpoint.layers[0].params[0].shape: [2, 8], but this model's weights are [8, 2] (a checkpoint of "
        "another model)");
  CHECK(refused([](Checkpoint& c) { c.layers[2].params[1].value = Tensor::from_shape({5}); }) ==
        "checkpoint.layers[2].params[1].value: expected 6 values (shape [6]), got 5");
  CHECK(refused([](Checkpoint& c) { c.layers[0].params[0].gradient = Tensor::from_shape({15}); }) ==
        "checkpoint.layers[0].params[0].gradient: expected 16 values (shape [8, 2]), got 15");
  CHECK(refused([](Checkpoint& c) { c.layers[3].params[0].v = Tensor::from_shape({1}); }) ==
        "checkpoint.layers[3].params[0].v: expected 6 values (shape [1, 6]), got 1");
  CHECK(refused([](Checkpoint& c) {
          c.layers[3].params[1].m = Tensor::from_shape({0});
          c.layers[3].params[1].v = Tensor::from_shape({0});
        }) ==
        "checkpoint.layers[3].params[1].m: the optimizer's moment estimates are given for some parameters "
        "and not others");
  CHECK(refused([](Checkpoint& c) { c.layers[1].rng.reset(); }) ==
        "checkpoint.layers[1].rng: missing (a dropout layer's generator)");
  CHECK(refused([](Checkpoint& c) { c.layers[0].rng = Rng::State{}; }) ==
        "checkpoint.layers[0].rng: given for a layer that draws no random numbers");
  CHECK(refused([](Checkpoint& c) {
          c.features = {"x1", "x2"};
        }) == "checkpoint.features: [x1, x2], but this session computes [] (a checkpoint of another spec)");
  CHECK(refused([](Checkpoint& c) { c.loss = "cross_entropy"; }) ==
        "checkpoint.loss: cross_entropy, but this session trains with mse (a checkpoint of another spec)");
  CHECK(refused([](Checkpoint& c) { c.train_size = 150; }) ==
        "checkpoint.trainSize: 150 examples, but this session's training split has 160 (a checkpoint of "
        "another "
        "data set or test_ratio)");
  CHECK(refused([](Checkpoint& c) { c.data_hash ^= 1; }).rfind("checkpoint.dataHash: ", 0) == 0);
  CHECK(refused([](Checkpoint& c) { c.hyper.optimizer.lr = -1; }) ==
        "checkpoint.hyperparameters.optimizer.lr: expected a number from 0.0 to 1000.0, got -1.0");
  CHECK(refused([](Checkpoint& c) { c.hyper.batch = 0; }) ==
        "checkpoint.hyperparameters.batch: expected a whole number from 1 to 100000, got 0");
  CHECK(refused([](Checkpoint& c) { c.seed = 1ull << 32; }) ==
        "checkpoint.seed: expected a whole number from 0 to 4294967295");
  CHECK(refused([](Checkpoint& c) { c.optimizer_steps = 0; }) ==
        "checkpoint.optimizerSteps: 0, but the optimizer has moment estimates (it has stepped)");
  CHECK(refused([](Checkpoint& c) { c.optimizer_steps = 51; }) ==
        "checkpoint.optimizerSteps: 51 is more than the steps trained (50)");
  CHECK(refused([](Checkpoint& c) { c.order.pop_back(); }) ==
        "checkpoint.order: 159 indices, but the training split has 160 examples");
  CHECK(refused([](Checkpoint& c) { c.order[7] = c.order[3]; }) ==
        "checkpoint.order[7]: " + std::to_string(good.order[3]) + " appears twice");
  CHECK(refused([](Checkpoint& c) { c.order[0] = 100000; }) ==
        "checkpoint.order[0]: 100000 is not an example of the training split");
  CHECK(refused([](Checkpoint& c) { c.cursor = 161; }) ==
        "checkpoint.cursor: 161 is past the end of the order (160)");
  CHECK(refused([](Checkpoint& c) { c.examples = 10; }) ==
        "checkpoint.examples: 10 examples seen in 50 steps (every step sees at least one)");

  // Another model, other data, another split of the same data.
  Session other(circle({{"type", "adam"}, {"lr", 0.01}}));
  CHECK(restore_error(other, good) ==
        "checkpoint.layers: 4 layers, but this model has 3 (a checkpoint of another model)");
  Json noisier = spec;
  noisier["data"]["noise"] = 0.2;
  Session n(noisier);
  CHECK(restore_error(n, good).rfind("checkpoint.dataHash: ", 0) == 0);
  Json split = spec;
  split["test_ratio"] = 0.3;
  Session t(split);
  CHECK(restore_error(t, good).rfind(
            "checkpoint.trainSize: 160 examples, but this session's training split has 140", 0) == 0);

  // A model alone has no training to checkpoint.
  Session model(Session(spec).to_json());
  CHECK_THROWS_WITH_AS(model.checkpoint(), "this session has no training data (its spec has no \"data\")",
                       Error);
  CHECK_THROWS_WITH_AS(model.restore(good), "this session has no training data (its spec has no \"data\")",
                       Error);

  // After all that, s still trains as it did.
  Session twin(spec);
  twin.train(3);
  for (int i = 0; i < 20; ++i) REQUIRE(same_bits(s.trainer().step(), twin.trainer().step()));
}

TEST_CASE("checkpoint: the data fingerprint as text") {
  CHECK(fingerprint_string(0x0123456789abcdefULL) == "0123456789abcdef");
  CHECK(parse_fingerprint("0123456789abcdef", "h") == 0x0123456789abcdefULL);
  CHECK_THROWS_WITH_AS(parse_fingerprint("0123456789ABCDEF", "h"),
                       "h: expected 16 hexadecimal digits (0-9, a-f), got \"0123456789ABCDEF\"", Error);
  CHECK_THROWS_WITH_AS(parse_fingerprint("abc", "h"),
                       "h: expected 16 hexadecimal digits (0-9, a-f), got \"abc\"", Error);
}
