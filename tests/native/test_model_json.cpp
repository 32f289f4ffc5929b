// A model JSON's "features" and "loss": parsed with errors that name the field, read by a session
// built from the model alone as a training session reads them, and written by Session::to_json(),
// so that a saved session loads back to the same predictions, bit for bit.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "dlplay/dlplay.hpp"
#include "dlplay/features.hpp"

using namespace dlplay;

namespace {

std::string error_of(const Json& j) {
  try {
    Session s(Json::parse(j.dump()));  // as text, as the CLI and the bindings see it
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

Json dense(std::size_t units, const char* activation) {
  return {{"type", "dense"}, {"units", units}, {"activation", activation}};
}

Json model(std::size_t inputs, Json extra = Json::object()) {
  Json j = {
      {"format", "dlplay-model"}, {"input", {inputs}}, {"layers", {dense(4, "tanh"), dense(1, "tanh")}}};
  for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
  return j;
}

bool same(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::equal(a.begin(), a.end(), b.begin());
}

// Points across [-6, 6]², with some off the grid.
Tensor points() {
  Tensor p = Tensor::from_shape({9, 2});
  const float v[18] = {1, 2, -3, 0.5f, 0, 0, 5.5f, -5.5f, -1.25f, 4, 2.5f, 2.5f, -6, 6, 0.1f, -0.2f, 3, -4};
  std::copy(v, v + 18, p.data());
  return p;
}

// Session(s.to_json()) predicts as s does, bit for bit, directly and through the JSON's text:
// forward, every layer's grid, classify and input gradients (with the given labels).
void check_round_trip(Session& s, const Tensor& labels) {
  const Json saved = s.to_json();
  const Tensor x = points();
  Session a(saved), b(Json::parse(saved.dump()));
  for (Session* r : {&a, &b}) {
    CHECK(r->input_shape() == s.input_shape());
    CHECK(r->features() == s.features());
    CHECK(r->spec().loss == s.spec().loss);
    CHECK(same(r->forward(x), s.forward(x)));
    for (int layer = -1; layer < static_cast<int>(s.model().size()); ++layer)
      CHECK(same(r->grid(layer, -6, 6, -6, 6, 7), s.grid(layer, -6, 6, -6, 6, 7)));
    const Evaluation e = s.classify(x), f = r->classify(x);
    CHECK(f.classes == e.classes);
    CHECK(f.predicted == e.predicted);
    CHECK(same(f.outputs, e.outputs));
    CHECK(same(f.probabilities, e.probabilities));
    CHECK(same(r->input_gradients(x, labels), s.input_gradients(x, labels)));
    CHECK(r->to_pytorch() == s.to_pytorch());
    CHECK(r->to_json() == saved);  // and saving it again writes the same document
  }
}

}  // namespace

TEST_CASE("model json: features and loss are checked, and each message names the field") {
  const Json features = {"x1", "x2", "x1sq"};
  CHECK(error_of(model(3, {{"features", features}, {"loss", "mse"}})) == "<no error>");
  CHECK(error_of(model(3, {{"features", {"x1", "x3", "x2"}}})) ==
        "features[1]: unknown value 'x3' (expected one of x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2)");
  CHECK(error_of(model(3, {{"features", {"x1", "x2", "x1"}}})) == "features[2]: feature 'x1' is given twice");
  CHECK(error_of(model(2, {{"features", features}})) ==
        "input: expected [3], one value per feature, got [2]");
  CHECK(error_of(model(3, {{"features", "x1"}})) ==
        "features: expected an array of feature names, e.g. [\"x1\", \"x2\"]");
  CHECK(error_of(model(3, {{"features", Json::array()}})) == "features: choose at least one feature");
  CHECK(error_of(model(3, {{"features", {"x1", 2, "x2"}}})) ==
        "features[1]: expected a string, got the number 2");
  CHECK(error_of(model(2, {{"loss", "hinge"}})) ==
        "loss: unknown value 'hinge' (expected one of mse, cross_entropy)");
  CHECK(error_of(model(2, {{"loss", 1}})) == "loss: expected a string, got the number 1");
  // The same messages as for a training spec.
  Json spec = model(2, {{"features", features}, {"data", "xor"}});
  CHECK(error_of(spec) == "input: expected [3], one value per feature, got [2]");
  // Other keys are still unknown to a model, which lists its own.
  CHECK(error_of(model(2, {{"feature", features}})) ==
        "model.feature: unknown field (expected one of format, version, input, layers, init, seed, name, "
        "features, loss, vocabulary)");
  // parse_model checks them too (and gives the network alone).
  CHECK_THROWS_WITH_AS(parse_model(model(2, {{"features", features}})),
                       "input: expected [3], one value per feature, got [2]", Error);
  CHECK(parse_model(model(3, {{"features", features}, {"loss", "cross_entropy"}})).input == Shape{3});
  const ModelJson m =
      parse_model_json(model(3, {{"features", {"sinx2", "x1", "x1x2"}}, {"loss", "cross_entropy"}}));
  CHECK(m.features == std::vector<Feature>{Feature::sinx2, Feature::x1, Feature::x1x2});
  CHECK(m.loss == LossKind::cross_entropy);
  CHECK_FALSE(parse_model_json(model(2)).loss.has_value());
}

TEST_CASE("model json: features and loss are model keys, training fields still make a training spec") {
  CHECK_FALSE(is_training_spec(model(3, {{"features", {"x1", "x2", "x1sq"}}, {"loss", "mse"}})));
  for (const char* key : {"data", "optimizer", "batch", "steps", "epochs", "lr", "momentum", "regularization",
                          "regularization_rate", "test_ratio", "log_every"}) {
    CAPTURE(key);
    CHECK(is_training_spec(model(2, {{key, 1}})));
  }
  CHECK(error_of(model(3, {{"features", {"x1", "x2", "x1sq"}}, {"batch", 10}})) ==
        "data: missing (a built-in set like \"circle\" or inline {\"x\": [...], \"y\": [...]})");
}

TEST_CASE("model json: a model alone with features takes 2-D points, as a training session does") {
  const Json features = {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"};
  Json spec = model(7, {{"features", features}, {"loss", "mse"}, {"seed", 4}});
  Session alone(spec);
  CHECK_FALSE(alone.trainable());
  CHECK(alone.input_shape() == Shape{2});
  CHECK(alone.model().input_shape() == Shape{7});
  const Json info = alone.info();
  CHECK(info["inputShape"] == Json({2}));
  CHECK(info["modelInputShape"] == Json({7}));
  CHECK(info["features"] == features);
  CHECK(info["loss"] == "mse");
  CHECK_FALSE(info.contains("classes"));

  // The same model in a training spec (same seed, same weights) gives the same outputs.
  Json t = spec;
  t["data"] = {{"name", "circle"}, {"n", 20}};
  Session trained(t);
  const Tensor x = points();
  CHECK(same(alone.forward(x), trained.forward(x)));
  CHECK(same(alone.model_input(), features::apply(x, alone.features())));
  CHECK(same(alone.grid(0, -6, 6, -6, 6, 5), trained.grid(0, -6, 6, -6, 6, 5)));
  Tensor labels = Tensor::from_shape({9});
  for (std::size_t i = 0; i < 9; ++i) labels.data()[i] = static_cast<float>(i % 2);
  const Tensor g = alone.input_gradients(x, labels);
  CHECK(g.shape() == x.shape());
  CHECK(same(g, trained.input_gradients(x, labels)));
  // Feature values are not points.
  CHECK_THROWS_WITH_AS(alone.forward(Tensor::from_shape({1, 7})),
                       "input: each example must have shape [2] (2 values), got 7 values", Error);
}

TEST_CASE("model json: a model alone reads one output with its loss, and without one as before") {
  Json w = model(2);
  w["layers"][1]["weights"] = {{1, -1, 0.5, 2}};
  w["layers"][1]["bias"] = {0.1};
  const Tensor x = points();
  {
    Session plain(w);
    const Evaluation e = plain.classify(x);
    CHECK(e.classes == 0);
    CHECK(e.predicted.empty());
    CHECK_FALSE(plain.info().contains("loss"));
    CHECK_FALSE(plain.to_json().contains("loss"));
    CHECK_FALSE(plain.to_json().contains("features"));
    CHECK(plain.to_json() == plain.model().to_json());
  }
  for (const char* loss : {"mse", "cross_entropy"}) {
    CAPTURE(loss);
    Json j = w;
    j["loss"] = loss;
    Session alone(j);
    Json t = j;
    t["data"] = {{"x", {{0, 0}, {1, 1}}}, {"y", {0, 1}}};  // class labels: it classifies
    Session trained(t);
    const Evaluation e = alone.classify(x), f = trained.classify(x);
    CHECK(e.classes == 2);
    CHECK(e.predicted == f.predicted);
    CHECK(same(e.probabilities, f.probabilities));
    const float out = e.outputs.data()[0];
    const float p = std::string(loss) == "mse" ? (out + 1.f) * 0.5f : out;
    CHECK(e.probabilities.data()[1] == std::clamp(p, 0.f, 1.f));
    CHECK(alone.to_json()["loss"] == loss);
  }
}

TEST_CASE("model json: a saved training session loads back to the same predictions, bit for bit") {
  SUBCASE("features, dropout and a softmax over 3 classes") {
    Json spec = {{"input", {5}},
                 {"features", {"x1", "x2", "x1sq", "x1x2", "sinx2"}},
                 {"layers", {dense(8, "relu"), {{"type", "dropout"}, {"rate", 0.25}}, dense(3, "softmax")}},
                 {"data", {{"name", "gaussian"}, {"n", 90}, {"classes", 3}, {"noise", 0.2}}},
                 {"loss", "cross_entropy"},
                 {"optimizer", "adam"},
                 {"lr", 0.02},
                 {"seed", 11}};
    Session s(spec);
    s.train(60);
    const Json saved = s.to_json();
    CHECK(saved["format"] == "dlplay-model");
    CHECK(saved["features"] == spec["features"]);
    CHECK(saved["loss"] == "cross_entropy");
    CHECK(saved["input"] == Json({5}));
    CHECK_FALSE(is_training_spec(saved));
    for (const char* key : {"data", "optimizer", "lr", "batch"}) CHECK_FALSE(saved.contains(key));
    CHECK(Session(saved).classify(points()).classes == 3);
    Tensor labels = Tensor::from_shape({9});
    for (std::size_t i = 0; i < 9; ++i) labels.data()[i] = static_cast<float>(i % 3);
    check_round_trip(s, labels);
  }
  SUBCASE("one tanh output trained with mse") {
    Json spec = {{"input", {2}},
                 {"layers", {dense(6, "tanh"), dense(1, "tanh")}},
                 {"data", {{"name", "circle"}, {"n", 100}, {"noise", 0.1}}},
                 {"loss", "mse"},
                 {"seed", 3}};
    Session s(spec);
    s.train(100);
    const Json saved = s.to_json();
    CHECK(saved["loss"] == "mse");
    CHECK_FALSE(saved.contains("features"));
    CHECK(s.classify(points()).classes == 2);
    Tensor labels = Tensor::from_shape({9});
    for (std::size_t i = 0; i < 9; ++i) labels.data()[i] = static_cast<float>(i % 2);
    check_round_trip(s, labels);
  }
  SUBCASE("a model alone with features and a loss saves them again") {
    Json m = model(2, {{"features", {"x2", "x1"}}, {"loss", "cross_entropy"}, {"seed", 5}});
    m["layers"][1]["activation"] = "sigmoid";
    Session s(m);
    CHECK(s.to_json()["features"] == Json({"x2", "x1"}));
    CHECK(s.to_json()["loss"] == "cross_entropy");
    Tensor labels = Tensor::from_shape({9});
    for (std::size_t i = 0; i < 9; ++i) labels.data()[i] = static_cast<float>(i % 2);
    check_round_trip(s, labels);
  }
}
