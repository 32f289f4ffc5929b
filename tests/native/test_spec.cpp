// Specs: every kind of mistake gets a dlplay::Error whose message names the field; and a model
// saved with to_json() loads back to the same function with the fields the spec gave.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "dlplay/dlplay.hpp"

using namespace dlplay;

namespace {

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<not a dlplay::Error> ") + e.what();
  }
  return "<no error>";
}

// The message contains every part (field names, values, limits).
void expect(const std::string& message, std::initializer_list<const char*> parts) {
  INFO("message: ", message);
  CHECK(message.rfind("<", 0) != 0);  // it threw a dlplay::Error
  for (const char* part : parts) {
    INFO("expected to contain: ", std::string(part));
    CHECK(message.find(part) != std::string::npos);
  }
}

// As the CLI and the worker see a spec: JSON text, where 0 and 3 are unsigned and -3 is signed.
Json as_text(const Json& j) { return Json::parse(j.dump()); }

// Parses and builds a model (shape errors come from the Model constructor).
std::string model_error(const Json& j) {
  return error_of([&] { Model m(parse_model(as_text(j))); });
}

std::string model_error(const char* text) { return model_error(Json::parse(text)); }

Json one_layer(const Shape& input, const Json& layer) { return {{"input", input}, {"layers", {layer}}}; }

// Builds a session from a training spec, as the CLI and the bindings do.
std::string training_error(const Json& j) {
  return error_of([&] { Session s(as_text(j)); });
}

Json training(Json extra) {
  Json j = {{"input", {2}},
            {"layers", {{{"type", "dense"}, {"units", 2}, {"activation", "softmax"}}}},
            {"data", "xor"},
            {"loss", "cross_entropy"}};
  for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
  return j;
}

}  // namespace

TEST_CASE("spec: a valid model and training spec parse") {
  CHECK(model_error(R"({"format": "dlplay-model", "version": 1, "input": [2],
      "layers": [{"type": "dense", "units": 2, "activation": "sigmoid"}]})") == "<no error>");
  CHECK(training_error(training(
            {{"optimizer", {{"type", "adam"}, {"lr", 0.01}}}, {"batch", 5}, {"steps", 10}})) == "<no error>");
}

TEST_CASE("spec: layer type, sizes and limits") {
  expect(model_error(one_layer({2}, {{"type", "dense2"}, {"units", 2}})), {"layers[0].type", "dense2"});
  expect(model_error(one_layer({2}, {{"units", 2}})), {"layers[0].type", "missing"});
  expect(model_error(one_layer({2}, {{"type", "dense"}})), {"layers[0].units", "missing"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", -3}})), {"layers[0].units", "-3"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", 0}})), {"layers[0].units", "got 0"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", 2.5}})),
         {"layers[0].units", "whole number"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", "4"}})), {"layers[0].units", "string"});
  // 100000 inputs × 1000 units: over the 50 million limit, named with the layer.
  expect(model_error(one_layer({100000}, {{"type", "dense"}, {"units", 1000}})),
         {"layers[0]", "100001000", "50000000"});
  expect(model_error(R"({"input": [2], "layers": [{"type": "dense", "units": 4},
      {"type": "dense", "units": 50000000}]})"),
         {"layers[1]", "50000000"});
  expect(model_error(one_layer({2}, {{"type", "conv2d"}, {"filters", 2}})), {"layers[0].kernel", "missing"});
  expect(model_error(one_layer({1, 5, 5}, {{"type", "conv2d"}, {"filters", -3}, {"kernel", 3}})),
         {"layers[0].filters", "-3"});
  expect(
      model_error(one_layer({1, 5, 5}, {{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"stride", 0}})),
      {"layers[0].stride"});
  expect(
      model_error(one_layer({1, 5, 5}, {{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"padding", 3}})),
      {"layers[0].padding"});
  expect(model_error(one_layer({1, 5, 5}, {{"type", "maxpool2d"}})), {"layers[0].size", "missing"});
  expect(model_error(one_layer({1, 5, 5}, {{"type", "avgpool2d"}, {"size", 0}})), {"layers[0].size"});
  expect(model_error(one_layer({4}, {{"type", "dropout"}, {"rate", 1}})), {"layers[0].rate"});
  expect(model_error(one_layer({4}, {{"type", "dropout"}, {"rate", -0.1}})), {"layers[0].rate"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", 2}, {"activation", "swish"}})),
         {"layers[0].activation", "swish"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", 2}, {"init", "glorot"}})),
         {"layers[0].init", "glorot"});
  expect(model_error(one_layer({2}, {{"type", "leaky_relu"}, {"alpha", 2}})), {"layers[0].alpha"});
  expect(model_error(one_layer(
             {1, 5, 5}, {{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}, {"activation", "softmax"}})),
         {"layers[0].activation", "softmax"});
}

TEST_CASE("spec: zero sizes are rejected whether the JSON came from text or was built in code") {
  // nlohmann keeps a parsed 0 as an unsigned number: the lower bound must hold for those too
  // (a stride of 0 from text used to reach the layer and divide by zero).
  const char* text[] = {
      R"({"input": [2], "layers": [{"type": "dense", "units": 0}]})",
      R"({"input": [2, 0], "layers": [{"type": "relu"}]})",
      R"({"input": [1, 5, 5], "layers": [{"type": "conv2d", "filters": 2, "kernel": 3, "stride": 0}]})",
      R"({"input": [1, 5, 5], "layers": [{"type": "conv2d", "filters": 0, "kernel": 3}]})",
      R"({"input": [1, 5, 5], "layers": [{"type": "conv2d", "filters": 2, "kernel": 0}]})",
      R"({"input": [1, 5, 5], "layers": [{"type": "maxpool2d", "size": 2, "stride": 0}]})",
      R"({"input": [1, 5, 5], "layers": [{"type": "avgpool2d", "size": 0}]})",
  };
  const char* fields[] = {"layers[0].units",  "input[1]",         "layers[0].stride", "layers[0].filters",
                          "layers[0].kernel", "layers[0].stride", "layers[0].size"};
  for (std::size_t i = 0; i < 7; ++i) {
    CAPTURE(std::string(text[i]));
    const Json parsed = Json::parse(text[i]);
    REQUIRE(parsed.dump().find("0") != std::string::npos);
    expect(error_of([&] { Model m(parse_model(parsed)); }), {fields[i], "got 0"});
  }
  expect(error_of([&] {
           parse_training(Json::parse(R"({"input": [2], "layers": [{"type": "relu"}],
      "data": "xor", "batch": 0})"));
         }),
         {"batch", "got 0"});
  expect(error_of([&] {
           parse_training(Json::parse(R"({"input": [2], "layers": [{"type": "relu"}],
      "data": {"name": "xor", "n": 0}})"));
         }),
         {"data.n", "got 0"});
}

TEST_CASE("spec: unknown fields (typos) are named") {
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"unit", 2}})),
         {"layers[0].unit", "unknown field", "units"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", 2}, {"activaton", "relu"}})),
         {"layers[0].activaton", "unknown field"});
  expect(model_error(one_layer({1, 4, 4}, {{"type", "maxpool2d"}, {"size", 2}, {"padding", 1}})),
         {"layers[0].padding", "unknown field"});
  expect(model_error(R"({"input": [2], "layer": []})"), {"layer", "unknown field"});
  expect(training_error(training({{"optimiser", "adam"}})), {"optimiser", "unknown field"});
  expect(training_error(training({{"optimizer", {{"type", "sgd"}, {"learning_rate", 0.1}}}})),
         {"optimizer.learning_rate", "unknown field"});
  expect(training_error(training({{"data", {{"name", "xor"}, {"size", 10}}}})),
         {"data.size", "unknown field"});
}

TEST_CASE("spec: input, layers, format and version") {
  expect(model_error(R"({"layers": [{"type": "relu"}]})"), {"input", "missing"});
  expect(model_error(R"({"input": [], "layers": [{"type": "relu"}]})"), {"input"});
  expect(model_error(R"({"input": [2, 0], "layers": [{"type": "relu"}]})"), {"input[1]"});
  expect(model_error(R"({"input": [-3], "layers": [{"type": "relu"}]})"), {"input[0]", "-3"});
  expect(model_error(R"({"input": 2, "layers": [{"type": "relu"}]})"), {"input"});
  expect(model_error(R"({"input": [1000, 1000, 1000], "layers": [{"type": "relu"}]})"),
         {"input", "too large"});
  expect(model_error(R"({"input": [2]})"), {"layers", "missing"});
  expect(model_error(R"({"input": [2], "layers": []})"), {"layers"});
  expect(model_error(R"({"input": [2], "layers": {"type": "relu"}})"), {"layers"});
  expect(model_error(R"({"input": [2], "layers": [3]})"), {"layers[0]"});
  expect(model_error(R"({"format": "keras", "input": [2], "layers": [{"type": "relu"}]})"),
         {"format", "dlplay-model"});
  expect(model_error(R"({"version": 2, "input": [2], "layers": [{"type": "relu"}]})"), {"version", "2"});
  expect(model_error(R"({"input": [2], "layers": [{"type": "relu"}], "seed": -1})"), {"seed"});
  expect(model_error(R"([1, 2])"), {"model"});
  expect(training_error(Json::array()), {"spec"});
}

TEST_CASE("spec: shapes that do not fit between layers") {
  // conv2d needs [channels, height, width]: not a flat input, nor after a dense layer.
  expect(model_error(one_layer({10}, {{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}})),
         {"layers[0]", "conv2d", "[10]"});
  expect(model_error(R"({"input": [1, 6, 6], "layers": [{"type": "flatten"}, {"type": "dense", "units": 8},
      {"type": "conv2d", "filters": 2, "kernel": 3}]})"),
         {"layers[2]", "conv2d", "[8]"});
  expect(model_error(one_layer({10}, {{"type", "maxpool2d"}, {"size", 2}})), {"layers[0]", "maxpool2d"});
  // A kernel or a pooling window larger than the input.
  expect(model_error(one_layer({1, 4, 6}, {{"type", "conv2d"}, {"filters", 2}, {"kernel", 5}})),
         {"layers[0].kernel", "5"});
  expect(
      model_error(one_layer({1, 4, 4}, {{"type", "conv2d"}, {"filters", 2}, {"kernel", 7}, {"padding", 1}})),
      {"layers[0].kernel"});
  expect(model_error(one_layer({2, 3, 8}, {{"type", "maxpool2d"}, {"size", 4}})), {"layers[0].size", "4"});
  expect(model_error(R"({"input": [1, 6, 6], "layers": [{"type": "conv2d", "filters": 2, "kernel": 3},
      {"type": "avgpool2d", "size": 5}]})"),
         {"layers[1].size"});
}

TEST_CASE("spec: explicit weights and biases") {
  // Dense weights are [units][inputs]: the transposed layout is an error, not silently accepted.
  expect(
      model_error(one_layer({3}, {{"type", "dense"}, {"units", 2}, {"weights", {{1, 2}, {3, 4}, {5, 6}}}})),
      {"layers[0].weights", "[2, 3]", "[3, 2]"});
  expect(model_error(one_layer({3}, {{"type", "dense"}, {"units", 2}, {"weights", {1, 2, 3, 4, 5, 6}}})),
         {"layers[0].weights", "[2, 3]"});
  expect(model_error(one_layer(
             {1, 4, 4}, {{"type", "conv2d"}, {"filters", 1}, {"kernel", 2}, {"weights", {{1, 2}, {3, 4}}}})),
         {"layers[0].weights", "[1, 1, 2, 2]"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", 2}, {"bias", {1, 2, 3}}})),
         {"layers[0].bias", "2", "3"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", 2}, {"bias", {{1, 2}}}})),
         {"layers[0].bias"});
  expect(model_error(one_layer({2}, {{"type", "dense"}, {"units", 2}, {"weights", {{1, 2}, {3}}}})),
         {"layers[0].weights", "rectangular"});
  // NaN is not JSON; 1e39 is, and overflows float32.
  expect(model_error(R"({"input": [2], "layers": [{"type": "dense", "units": 1, "weights": [[1e39, 0]]}]})"),
         {"layers[0].weights", "finite"});
  expect(model_error(R"({"input": [2], "layers": [{"type": "dense", "units": 1, "bias": [-1e39]}]})"),
         {"layers[0].bias", "finite"});
  expect(model_error(R"({"input": [2], "layers": [{"type": "dense", "units": 1, "weights": [[1, "2"]]}]})"),
         {"layers[0].weights", "string"});
  expect(model_error(R"({"input": [2], "layers": [{"type": "dense", "units": 1, "weights": [[1, null]]}]})"),
         {"layers[0].weights", "null"});
  expect(model_error(R"({"input": [2], "layers": [{"type": "dense", "units": 1, "weights": "random"}]})"),
         {"layers[0].weights"});
  // Biggest finite float32 is fine.
  CHECK(
      model_error(R"({"input": [2], "layers": [{"type": "dense", "units": 1, "weights": [[3.4e38, 0]]}]})") ==
      "<no error>");
}

TEST_CASE("spec: training fields") {
  expect(training_error(training({{"optimizer", {{"type", "sgdd"}}}})), {"optimizer.type", "sgdd"});
  expect(training_error(training({{"optimizer", "adamw"}})), {"optimizer", "adamw"});
  expect(training_error(training({{"optimizer", 3}})), {"optimizer"});
  expect(training_error(training({{"optimizer", {{"type", "sgd"}, {"lr", -0.1}}}})),
         {"optimizer.lr", "-0.1"});
  expect(training_error(training({{"lr", -1}})), {"lr", "-1"});
  expect(training_error(training({{"optimizer", {{"type", "sgd"}, {"momentum", 1.5}}}})),
         {"optimizer.momentum"});
  expect(training_error(training({{"optimizer", {{"type", "sgd"}, {"nesterov", "yes"}}}})),
         {"optimizer.nesterov"});
  expect(training_error(training({{"batch", 0}})), {"batch", "got 0"});
  expect(training_error(training({{"batch", -5}})), {"batch"});
  expect(training_error(training({{"steps", 10}, {"epochs", 2}})), {"steps", "epochs"});
  expect(training_error(training({{"steps", -1}})), {"steps"});
  expect(training_error(training({{"loss", "hinge"}})), {"loss", "hinge"});
  expect(training_error(training({{"regularization", "l3"}})), {"regularization", "l3"});
  expect(training_error(training({{"regularization", {{"type", "l2"}, {"rate", -1}}}})),
         {"regularization.rate"});
  expect(training_error(training({{"test_ratio", 1}})), {"test_ratio"});
  expect(training_error(training({{"data", "moons"}})), {"data", "moons"});
  expect(training_error(training({{"data", {{"name", "circle"}, {"n", 1}}}})), {"data.n"});
  expect(training_error(training({{"data", {{"name", "circle"}, {"noise", 2}}}})), {"data.noise"});
  expect(training_error(training({{"data", {{"n", 100}}}})), {"data.name", "missing"});
  {
    // Any training field without "data" is a training spec that forgot its data. "loss" and
    // "features" are model keys too: without data they make a model JSON.
    for (const Json& extra : {Json{{"optimizer", "adam"}}, Json{{"batch", 5}}, Json{{"steps", 10}},
                              Json{{"epochs", 2}}, Json{{"lr", 0.1}}, Json{{"regularization", "l2"}},
                              Json{{"test_ratio", 0.2}}, Json{{"log_every", 3}}}) {
      Json j = training(extra);
      j.erase("data");
      CAPTURE(extra.dump());
      CHECK(is_training_spec(j));
      expect(training_error(j), {"data", "missing"});
    }
    Json j = training({});
    j.erase("data");
    CHECK_FALSE(is_training_spec(j));
    CHECK(training_error(j) == "<no error>");
  }
  Hyperparameters h = parse_training(training({})).hyper;
  expect(error_of([&] { parse_hyperparameters(as_text({{"batch", 0}}), h); }), {"batch"});
  expect(error_of([&] { parse_hyperparameters({{"lr", -2}}, h); }), {"lr"});
  expect(error_of([&] { parse_hyperparameters({{"steps", 3}}, h); }), {"steps", "unknown field"});
}

TEST_CASE("spec: inline data must fit the model") {
  // Examples of the wrong shape.
  expect(training_error(training({{"data", {{"x", {{1, 2, 3}, {4, 5, 6}}}, {"y", {0, 1}}}}})),
         {"data.x", "[3]", "[2]"});
  // One label per example.
  expect(training_error(training({{"data", {{"x", {{1, 2}, {4, 5}}}, {"y", {0, 1, 1}}}}})), {"data.y", "2"});
  {
    Json only_x = training({});
    only_x["data"] = Json::parse(R"({"x": [[1, 2], [4, 5]]})");
    expect(training_error(only_x), {"data", "\"y\""});
  }
  expect(training_error(training({{"data", {{"x", {{1, 2}, {4, "5"}}}, {"y", {0, 1}}}}})), {"data.x"});
  // Labels out of range for cross-entropy over 2 outputs, negative or fractional labels.
  expect(training_error(training({{"data", {{"x", {{1, 2}, {4, 5}}}, {"y", {0, 5}}}}})),
         {"data.y", "6 classes", "2"});
  expect(training_error(training({{"data", {{"x", {{1, 2}, {4, 5}}}, {"y", {0, -1}}}}})), {"data.y"});
  expect(training_error(training({{"data", {{"x", {{1, 2}, {4, 5}}}, {"y", {0, 0.5}}}}})), {"data.y"});
  // Targets per example must match the outputs for mse.
  Json mse = training({{"loss", "mse"}, {"data", {{"x", {{1, 2}, {4, 5}}}, {"y", {{1, 2, 3}, {4, 5, 6}}}}}});
  expect(training_error(mse), {"data.y", "3", "2"});
  // And the loss itself names bad class indices.
  Tensor out = {{0.5f, 0.5f}}, labels = {3.f};
  expect(error_of([&] { loss_value(LossKind::cross_entropy, out, nullptr, labels); }), {"class", "3"});
  // Valid inline data trains.
  CHECK(training_error(training({{"data", {{"x", {{1, 2}, {4, 5}, {0, 1}}}, {"y", {0, 1, 1}}}}})) ==
        "<no error>");
  // Image examples given flat, matching the input's size, are accepted.
  Json img = {
      {"input", {1, 2, 2}},
      {"layers", {{{"type", "flatten"}}, {{"type", "dense"}, {"units", 2}, {"activation", "softmax"}}}},
      {"data", {{"x", {{1, 0, 0, 1}, {0, 1, 1, 0}}}, {"y", {0, 1}}}},
      {"loss", "cross_entropy"}};
  CHECK(training_error(img) == "<no error>");
}

TEST_CASE("spec: errors from evaluating a model name the input") {
  Model m(parse_model(one_layer({3}, {{"type", "dense"}, {"units", 2}})));
  Tensor wrong = xt::zeros<float>({4, 2});
  expect(error_of([&] { m.forward(wrong); }), {"input", "[3]"});
}

TEST_CASE("spec: a saved model loads back to the same function, with the fields the spec gave") {
  const Json spec = Json::parse(R"({
    "format": "dlplay-model", "version": 1, "input": [2, 6, 5], "seed": 9, "name": "round trip",
    "layers": [
      {"type": "conv2d", "name": "features", "filters": 3, "kernel": 3, "stride": 1, "padding": 1,
       "activation": "leaky_relu", "alpha": 0.1, "init": "he_uniform"},
      {"type": "maxpool2d", "size": 2, "stride": 2},
      {"type": "conv2d", "filters": 2, "kernel": 2, "activation": "tanh"},
      {"type": "avgpool2d", "size": 1},
      {"type": "flatten"},
      {"type": "dropout", "rate": 0.3},
      {"type": "dense", "units": 4, "activation": "sigmoid", "weights": [[1,2],[3,4],[5,6],[7,8]]},
      {"type": "tanh"},
      {"type": "dense", "units": 3, "activation": "softmax", "bias": [0.5, -0.5, 0.25]}
    ]})");
  // The explicit weights above have the wrong shape on purpose: the error names the layer.
  expect(model_error(spec), {"layers[6].weights", "[4, 4]"});
  Json good = spec;
  good["layers"][6]["weights"] = {{1, -2, 0.5, 0.25}, {3, 0.125, -4, 1}, {-0.5, 6, 1, 2}, {7, 0, -8, 0.75}};
  Model a(parse_model(good));
  const Json saved = a.to_json();
  CHECK(saved["format"] == "dlplay-model");
  CHECK(saved["version"] == 1);
  CHECK(saved["input"] == Json({2, 6, 5}));
  REQUIRE(saved["layers"].size() == good["layers"].size());
  // Every field the spec gave is kept...
  for (std::size_t i = 0; i < good["layers"].size(); ++i) {
    const Json& given = good["layers"][i];
    for (auto it = given.begin(); it != given.end(); ++it) {
      CAPTURE(i);
      CAPTURE(it.key());
      if (it.key() != "weights" && it.key() != "bias") CHECK(saved["layers"][i][it.key()] == it.value());
    }
  }
  CHECK(saved["layers"][0]["activation"] == "leaky_relu");
  CHECK(saved["layers"][0]["name"] == "features");
  // ...plus the weights and biases, nested like their shapes.
  CHECK(saved["layers"][0]["weights"].size() == 3);
  CHECK(saved["layers"][0]["weights"][0].size() == 2);
  CHECK(saved["layers"][0]["weights"][0][0].size() == 3);
  CHECK(saved["layers"][0]["weights"][0][0][0].size() == 3);
  CHECK(saved["layers"][0]["bias"].size() == 3);
  CHECK(saved["layers"][6]["weights"] == good["layers"][6]["weights"]);
  CHECK(saved["layers"][8]["bias"] == Json({0.5, -0.5, 0.25}));
  CHECK_FALSE(saved["layers"][1].contains("weights"));
  CHECK_FALSE(saved["layers"][4].contains("weights"));

  // Loaded back (also through text), it computes the same function bit for bit.
  Model b(parse_model(saved));
  Model c(parse_model(Json::parse(saved.dump())));
  CHECK(b.param_count() == a.param_count());
  Rng rng(3);
  Tensor x = Tensor::from_shape({5, 2, 6, 5});
  for (float& v : x) v = rng.uniform(-1.f, 1.f);
  const Tensor ya = a.forward(x), yb = b.forward(x), yc = c.forward(x);
  CHECK(std::equal(ya.begin(), ya.end(), yb.begin()));
  CHECK(std::equal(ya.begin(), ya.end(), yc.begin()));
  // And saving again gives the same document.
  CHECK(b.to_json() == saved);

  // A model trained a little saves its trained weights.
  Json t = training({{"optimizer", {{"type", "adam"}, {"lr", 0.05}}}});
  t["data"] = {{"name", "xor"}, {"n", 50}};
  Session session(t);
  Model& trained = session.model();
  session.train(20);
  Model reloaded(parse_model(trained.to_json()));
  Tensor pts = {{1.f, 2.f}, {-3.f, 0.5f}};
  const Tensor y1 = trained.forward(pts), y2 = reloaded.forward(pts);
  CHECK(std::equal(y1.begin(), y1.end(), y2.begin()));
}

TEST_CASE("parse_json refuses numbers out of range and deep nesting with the engine's Error") {
  CHECK_THROWS_WITH_AS(dlplay::parse_json("{\"lr\": 1e400}", "spec"), doctest::Contains("spec: invalid JSON"),
                       dlplay::Error);
  const std::string deep = "{\"name\": " + std::string(10'000, '[') + std::string(10'000, ']') + "}";
  CHECK_THROWS_WITH_AS(dlplay::parse_json(deep, "spec"), doctest::Contains("nested more than 64 levels"),
                       dlplay::Error);
  // A spec nested as deep as real ones (an image batch inside data) is fine.
  CHECK_NOTHROW(dlplay::parse_json("{\"x\": [[[[[1]]]]]}", "spec"));
}
