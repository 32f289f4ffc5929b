// The session: what labels mean, evaluation against a direct computation, input gradients
// against central differences, hyper-parameters, reset, and the vocabulary the parser enforces.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

using namespace dlplay;

namespace {

Json dense(std::size_t units, const char* activation) {
  return {{"type", "dense"}, {"units", units}, {"activation", activation}};
}

// n points in [-3, 3]² with labels from `label(x1, x2)`, as inline JSON data.
template <class F>
Json inline_points(std::size_t n, std::uint64_t seed, F label) {
  Rng rng(seed);
  Json x = Json::array(), y = Json::array();
  for (std::size_t i = 0; i < n; ++i) {
    const float a = rng.uniform(-3.f, 3.f), b = rng.uniform(-3.f, 3.f);
    x.push_back({a, b});
    y.push_back(label(a, b));
  }
  return {{"x", x}, {"y", y}};
}

Tensor random_tensor(const Shape& shape, Rng& rng) {
  Tensor t = Tensor::from_shape(shape);
  for (float& v : t) v = rng.uniform(-1.f, 1.f);
  return t;
}

// The session's loss for these inputs, computed directly: forward, then the loss of the output.
double direct_loss(Session& s, const Tensor& inputs, const Tensor& labels) {
  const std::size_t k = shape_size(s.model().output_shape());
  const std::size_t classes =
      data::label_classes(labels, inputs.shape()[0], "labels") ? std::max<std::size_t>(k, 2) : 0;
  const Tensor t = loss_targets(labels, classes, k, s.spec().loss);
  const Tensor& out = s.forward(inputs);
  const Tensor* logits = s.spec().loss == LossKind::cross_entropy ? s.model().output_logits() : nullptr;
  return loss_value(s.spec().loss, out, logits, t);
}

// Session::input_gradients against central differences of direct_loss, value by value.
void check_input_gradients(Session& s, const Tensor& inputs, const Tensor& labels) {
  const Tensor analytic = s.input_gradients(inputs, labels);
  REQUIRE(analytic.shape() == inputs.shape());
  Tensor x = inputs;
  double largest = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float keep = x.data()[i];
    constexpr float eps = 1e-3f;
    x.data()[i] = keep + eps;
    const double up = direct_loss(s, x, labels);
    x.data()[i] = keep - eps;
    const double down = direct_loss(s, x, labels);
    x.data()[i] = keep;
    const double numeric = (up - down) / (2.0 * static_cast<double>(eps));
    const double a = analytic.data()[i];
    INFO("value " << i << ": analytic " << a << ", numeric " << numeric);
    CHECK(std::fabs(a - numeric) <= 1e-3 + 1e-2 * (std::fabs(a) + std::fabs(numeric)));
    largest = std::max(largest, std::fabs(a));
  }
  CHECK(largest > 1e-3);  // a gradient that means something
}

Json images(std::size_t n, const Shape& shape, std::size_t classes, std::uint64_t seed) {
  Rng rng(seed);
  Json x = Json::array(), y = Json::array();
  for (std::size_t i = 0; i < n; ++i) {
    Json e = Json::array();
    for (std::size_t v = 0; v < shape_size(shape); ++v) e.push_back(rng.uniform());
    x.push_back(e);
    y.push_back(i % classes);
  }
  return {{"x", x}, {"y", y}};
}

}  // namespace

TEST_CASE("session: one number per example is a class index, a row holds targets") {
  // The MLP page's own points: labels 0/1, mse, a tanh output. Targets are −1/+1.
  Json spec = {{"input", {2}},
               {"layers", {dense(4, "tanh"), dense(1, "tanh")}},
               {"data", inline_points(40, 3, [](float a, float) { return a > 0 ? 1 : 0; })},
               {"seed", 4}};
  Session classes(spec);
  CHECK(classes.trainer().classes() == 2);
  CHECK(classes.data().classes == 2);
  // The same labels as target rows: regression towards 0/1, a different loss.
  Json rows = spec;
  for (Json& v : rows["data"]["y"]) v = Json::array({v});
  Session regression(rows);
  CHECK(regression.trainer().classes() == 0);
  const double a = classes.metrics().train_loss, b = regression.metrics().train_loss;
  CHECK(a != b);
  // Direct: the mse of the outputs against −1/+1.
  const Tensor& out = classes.forward(classes.data().x);
  double mse = 0;
  for (std::size_t i = 0; i < 40; ++i) {
    const double t = classes.data().y(i) > 0 ? 1.0 : -1.0;
    mse += (out(i, 0) - t) * (out(i, 0) - t);
  }
  CHECK(a == doctest::Approx(mse / 40).epsilon(1e-6));
  // A fraction is not a class index; the message says how to give targets.
  Json bad = spec;
  bad["data"]["y"][3] = 0.132;
  try {
    Session s(bad);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("data.y[3]: a class index must be a whole number") == 0);
    CHECK(std::string(e.what()).find("one row per example") != std::string::npos);
  }
  // Three classes need three outputs.
  Json three = spec;
  three["data"]["y"][0] = 2;
  CHECK_THROWS_WITH_AS(Session{three}, doctest::Contains("3 classes need one output per class"), Error);
}

TEST_CASE("session: evaluate gives what a direct computation gives") {
  Json spec = {{"input", {2}},
               {"layers", {dense(8, "relu"), dense(3, "softmax")}},
               {"data", inline_points(90, 5, [](float a, float b) { return a > 1 ? 2 : (b > 0 ? 1 : 0); })},
               {"loss", "cross_entropy"},
               {"optimizer", {{"type", "adam"}, {"lr", 0.02}}},
               {"test_ratio", 0.3},
               {"seed", 9}};
  Session s(spec);
  s.train(400);
  const Metrics m = s.metrics();
  const Evaluation e = s.evaluate(SplitKind::test);
  REQUIRE(e.count == s.trainer().test_indices().size());
  CHECK(e.classes == 3);
  CHECK(e.loss == m.test_loss);
  CHECK(e.accuracy == m.test_accuracy);
  // Each example: outputs, softmax probabilities, argmax, label; the confusion matrix counts them.
  std::vector<std::uint32_t> confusion(9, 0);
  double loss = 0;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < e.count; ++i) {
    const std::size_t idx = e.indices[i];
    CHECK(idx == s.trainer().test_indices()[i]);
    Tensor x = {{s.data().x(idx, 0), s.data().x(idx, 1)}};
    const Tensor out = s.forward(x);
    const auto label = static_cast<std::int32_t>(s.data().y(idx));
    CHECK(e.labels[i] == label);
    for (std::size_t c = 0; c < 3; ++c) {
      CHECK(e.outputs(i, c) == out(0, c));
      CHECK(e.probabilities(i, c) == out(0, c));  // the softmax's outputs are the probabilities
    }
    const auto best = static_cast<std::int32_t>(std::max_element(out.begin(), out.end()) - out.begin());
    CHECK(e.predicted[i] == best);
    correct += best == label;
    ++confusion[static_cast<std::size_t>(label) * 3 + static_cast<std::size_t>(best)];
    loss -= std::log(e.probabilities(i, static_cast<std::size_t>(label)));
  }
  CHECK(e.confusion == confusion);
  CHECK(e.accuracy == doctest::Approx(static_cast<double>(correct) / e.count));
  CHECK(e.loss == doctest::Approx(loss / e.count).epsilon(1e-4));
  CHECK(m.test_accuracy > 0.8);
  // The first 5 training examples only.
  const Evaluation first = s.evaluate(SplitKind::train, 5);
  CHECK(first.count == 5);
  CHECK(first.indices[4] == s.trainer().train_indices()[4]);
}

TEST_CASE("session: evaluate for one output and for regression") {
  Json spec = {{"input", {2}},
               {"layers", {dense(4, "tanh"), dense(1, "tanh")}},
               {"data", {{"name", "xor"}, {"n", 60}}},
               {"seed", 2}};
  Session s(spec);
  s.train(30);
  const Evaluation e = s.evaluate(SplitKind::train);
  REQUIRE(e.classes == 2);
  for (std::size_t i = 0; i < e.count; ++i) {
    const float o = e.outputs(i, 0);
    CHECK(e.predicted[i] == (o >= 0 ? 1 : 0));
    CHECK(e.probabilities(i, 1) == doctest::Approx(std::clamp((o + 1.f) / 2.f, 0.f, 1.f)));
    CHECK(e.probabilities(i, 0) + e.probabilities(i, 1) == doctest::Approx(1.0));
  }
  Session r({{"input", {2}}, {"layers", {dense(1, "linear")}}, {"data", {{"name", "plane"}, {"n", 50}}}});
  const Evaluation re = r.evaluate(SplitKind::train);
  CHECK(re.classes == 0);
  CHECK(re.accuracy == -1);
  CHECK(re.predicted.empty());
  CHECK(re.confusion.empty());
  CHECK(re.outputs.shape()[0] == 50);
  CHECK(re.loss == r.metrics().train_loss);
}

TEST_CASE("session: input gradients through every layer type, checked numerically") {
  Rng rng(17);
  SUBCASE("dense, every activation, mse") {
    for (const char* act : {"relu", "leaky_relu", "tanh", "sigmoid", "linear"}) {
      INFO(std::string(act));
      Session s({{"input", {3}}, {"layers", {dense(5, act), dense(2, "tanh")}}, {"seed", 3}});
      check_input_gradients(s, random_tensor({4, 3}, rng), random_tensor({4, 2}, rng));
    }
  }
  SUBCASE("conv, pools, dropout (as at evaluation), flatten, softmax cross-entropy") {
    for (const char* pool : {"maxpool2d", "avgpool2d"}) {
      Json spec = {
          {"input", {2, 6, 5}},
          {"layers",
           {{{"type", "conv2d"}, {"filters", 3}, {"kernel", 3}, {"padding", 1}, {"activation", "tanh"}},
            {{"type", pool}, {"size", 2}},
            {{"type", "dropout"}, {"rate", 0.5}},
            {{"type", "flatten"}},
            {{"type", "dense"}, {"units", 3}},
            {{"type", "softmax"}}}},
          {"data", images(6, {2, 6, 5}, 3, 4)},
          {"loss", "cross_entropy"},
          {"seed", 5}};
      Session s(spec);
      Tensor x = random_tensor({2, 2, 6, 5}, rng);
      check_input_gradients(s, x, Tensor{0.f, 2.f});
    }
  }
  SUBCASE("binary cross-entropy on a sigmoid output") {
    Json spec = {{"input", {2}},
                 {"layers", {dense(4, "tanh"), dense(1, "sigmoid")}},
                 {"data", {{"name", "circle"}, {"n", 20}}},
                 {"loss", "cross_entropy"},
                 {"seed", 6}};
    Session s(spec);
    check_input_gradients(s, random_tensor({3, 2}, rng), Tensor{0.f, 1.f, 1.f});
  }
  SUBCASE("with input features: the gradient is with respect to the points") {
    Json spec = {{"input", {7}},
                 {"features", {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"}},
                 {"layers", {dense(4, "tanh"), dense(1, "tanh")}},
                 {"data", {{"name", "xor"}, {"n", 20}}},
                 {"seed", 7}};
    Session s(spec);
    const Tensor pts = random_tensor({3, 2}, rng);
    check_input_gradients(s, pts, Tensor{1.f, 0.f, 1.f});
    CHECK(s.input_gradients(pts, Tensor{1.f, 0.f, 1.f}).shape() == pts.shape());
  }
}

TEST_CASE("session: input gradients leave the training gradients and the model alone") {
  Session s(
      {{"input", {2}}, {"layers", {dense(3, "tanh"), dense(1, "tanh")}}, {"data", "circle"}, {"seed", 1}});
  s.train(3);
  std::vector<Tensor> before;
  for (const Param& p : s.model().params()) before.push_back(*p.grad);
  s.input_gradients(Tensor{{1.f, 2.f}}, Tensor{1.f});
  std::vector<Param> after = s.model().params();
  for (std::size_t i = 0; i < before.size(); ++i) CHECK(*after[i].grad == before[i]);
  CHECK_THROWS_WITH_AS(s.input_gradients(Tensor{{1.f, 2.f}}, Tensor{{1.f, 2.f}}),
                       doctest::Contains("labels: 2 targets per example but the model has 1 output"), Error);
}

TEST_CASE("session: reset keeps the data and the current hyper-parameters") {
  Json spec = {{"input", {2}},
               {"layers", {dense(6, "tanh"), dense(1, "tanh")}},
               {"data", {{"name", "circle"}, {"n", 100}}},
               {"optimizer", {{"type", "sgd"}, {"lr", 0.03}}},
               {"seed", 8}};
  Session fresh(spec);
  const double start = fresh.metrics().train_loss;
  Session s(spec);
  s.set({{"lr", 0.1}, {"batch", 5}, {"optimizer", "adam"}});
  s.train(50);
  s.reset();
  CHECK(s.trainer().steps_done() == 0);
  CHECK(s.metrics().train_loss == start);  // the same initial weights, the same data
  CHECK(s.hyperparameters().optimizer.lr == 0.1f);
  CHECK(s.hyperparameters().optimizer.type == OptimizerKind::adam);
  CHECK(s.trainer().spec().hyper.batch == 5);
  // A run after reset is the run of a spec with those hyper-parameters.
  Json changed = spec;
  changed["optimizer"] = {{"type", "adam"}, {"lr", 0.1}};
  changed["batch"] = 5;
  Session direct(changed);
  s.train(20);
  direct.train(20);
  CHECK(s.metrics().train_loss == direct.metrics().train_loss);
  s.reset(99);
  CHECK(s.spec().seed == 99);
  CHECK(s.metrics().train_loss != start);
}

TEST_CASE("vocabulary: every name it lists is one the parser accepts, and only those") {
  const Json v = vocab::to_json();
  for (const Json& l : v["layers"]) {
    Json layer = {{"type", l["type"]}};
    if (l["type"] == "dense") layer["units"] = 2;
    if (l["type"] == "conv2d") layer = {{"type", "conv2d"}, {"filters", 1}, {"kernel", 1}};
    if (l["type"] == "maxpool2d" || l["type"] == "avgpool2d") layer["size"] = 1;
    const bool spatial = layer.contains("kernel") || layer.contains("size");
    const bool recurrent = l["type"] == "rnn" || l["type"] == "lstm" || l["type"] == "gru";
    if (recurrent) layer["units"] = 2;
    if (l["type"] == "embedding") layer = {{"type", "embedding"}, {"vocab", 3}, {"units", 2}};
    const Json layers = spatial ? Json::array({layer}) : Json::array({{{"type", "flatten"}}, layer});
    // A sequence [steps, features] for the recurrent layers, token ids [steps] for an embedding.
    const Json input = recurrent ? Json{2, 2} : l["type"] == "embedding" ? Json{4} : Json{1, 2, 2};
    CHECK_NOTHROW(
        Model(parse_model({{"input", input}, {"layers", recurrent ? Json::array({layer}) : layers}})));
  }
  CHECK(v["layers"].size() == vocab::layer_types().size());
  for (const Json& o : v["optimizers"]) {
    Hyperparameters h;
    parse_hyperparameters({{"optimizer", o["type"]}}, h);
    CHECK(vocab::optimizers().at(static_cast<std::size_t>(h.optimizer.type)) == o["type"]);
  }
  Hyperparameters unknown;
  CHECK_THROWS_WITH_AS(parse_hyperparameters({{"optimizer", "adamw"}}, unknown),
                       doctest::Contains("optimizer: unknown value 'adamw'"), Error);
  // The ranges are the parser's: the bounds pass, just past them fails.
  const Json lr = v["hyperparameters"]["lr"];
  Hyperparameters h;
  CHECK_NOTHROW(parse_hyperparameters({{"lr", lr["max"]}}, h));
  CHECK_THROWS_AS(parse_hyperparameters({{"lr", lr["max"].get<double>() * 1.01}}, h), Error);
  const Json rate = v["layers"][5]["fields"]["rate"];
  CHECK(v["layers"][5]["type"] == "dropout");
  CHECK(LayerSpec{}.rate == static_cast<float>(rate["default"].get<double>()));
  CHECK(v["features"] == Json(vocab::features()));
  CHECK(v["datasets"].size() == data::names_2d().size());
}

TEST_CASE("session: the loss surface over two parameters is the loss at each point") {
  Session s({{"input", {1}},
             {"layers", {dense(1, "tanh"), dense(1, "linear")}},
             {"data", {{"x", {{-1}, {0}, {1}, {2}}}, {"y", {{-0.5}, {0}, {0.5}, {0.8}}}}},
             {"seed", 3}});
  const float w0 = s.model().layer(0).params()[0].value->data()[0];
  const float w1 = s.model().layer(1).params()[0].value->data()[0];
  const double before = s.metrics().train_loss;
  const Tensor surface = s.loss_surface({0, 0}, {1, 0}, -2.f, 2.f, -3.f, 3.f, 5);
  REQUIRE(surface.shape() == std::vector<std::size_t>{5, 5});
  // Unchanged after the sweep.
  CHECK(s.model().layer(0).params()[0].value->data()[0] == w0);
  CHECK(s.model().layer(1).params()[0].value->data()[0] == w1);
  CHECK(s.metrics().train_loss == before);
  // Row 3, column 1: a = −1, b = 1.5, computed by setting them by hand.
  s.model().layer(0).params()[0].value->data()[0] = -1.f;
  s.model().layer(1).params()[0].value->data()[0] = 1.5f;
  CHECK(surface(3, 1) == static_cast<float>(s.metrics().train_loss));
  CHECK_THROWS_WITH_AS(s.loss_surface({0, 0}, {0, 0}, 0, 1, 0, 1, 3), doctest::Contains("the same parameter"),
                       Error);
  CHECK_THROWS_WITH_AS(s.loss_surface({0, 5}, {1, 0}, 0, 1, 0, 1, 3),
                       doctest::Contains("index 5 is outside 0..0"), Error);
  CHECK_THROWS_WITH_AS(s.loss_surface({0, 0, true}, {3, 0}, 0, 1, 0, 1, 3),
                       doctest::Contains("layer: expected"), Error);
}

TEST_CASE("layers: a parameter count past the limit is refused, even where 32-bit sizes would wrap") {
  // 64·256·256 inputs × 1024 units = 2³² weights (+ 1024 biases): 1024 parameters if it wrapped.
  const Json big = {{"input", {64, 256, 256}}, {"layers", {{{"type", "flatten"}}, dense(1024, "linear")}}};
  CHECK_THROWS_WITH_AS(Model(parse_model(big)), doctest::Contains("parameters is more than the limit"),
                       Error);
  const Json huge = {{"input", {16'000'000, 16'000'000, 16'000'000}}, {"layers", {{{"type", "flatten"}}}}};
  CHECK_THROWS_WITH_AS(parse_model(huge), doctest::Contains("is too large"), Error);
}
