// Recurrent layers, embeddings, per-step dense layers and sequence cross-entropy: gradients checked
// numerically on odd shapes, PyTorch's gate layouts by hand-computed values, and what a student sees:
// an LSTM learns parity, a character model's loss falls and its samples follow the text.
#include <doctest/doctest.h>

#include "gradcheck.hpp"

using namespace dlplay;
using namespace gradcheck;

namespace {

Json cell(const char* type, std::size_t units, bool sequences) {
  return {{"type", type}, {"units", units}, {"return_sequences", sequences}};
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

Tensor two_steps(double x0, double x1) {
  Tensor t = Tensor::from_shape({1, 2, 1});
  t.data()[0] = static_cast<float>(x0);
  t.data()[1] = static_cast<float>(x1);
  return t;
}

Json char_spec(const std::string& text, const char* type, std::size_t steps) {
  Json spec = Json::parse(R"({"layers": [
      {"type": "embedding", "units": 8},
      {"units": 32, "return_sequences": true},
      {"type": "dense", "activation": "softmax"}],
    "loss": "cross_entropy", "optimizer": {"type": "adam", "lr": 0.02, "clip_norm": 5}, "batch": 8, "seed": 3})");
  const std::size_t v = data::text_vocabulary(text).size();
  spec["input"] = {steps};
  spec["layers"][0]["vocab"] = v;
  spec["layers"][1]["type"] = type;
  spec["layers"][2]["units"] = v;
  spec["data"] = {{"name", "text"}, {"text", text}, {"length", steps}, {"stride", 1}};
  return spec;
}

}  // namespace

TEST_CASE("gradients: rnn, lstm and gru through time, T = 1 and 7, batch 1 and 5, last step or every step") {
  for (const char* type : {"rnn", "lstm", "gru"})
    for (std::size_t steps : {1, 7})
      for (std::size_t n : {1, 5})
        for (bool sequences : {false, true}) {
          CAPTURE(std::string(type));
          CAPTURE(steps);
          CAPTURE(n);
          CAPTURE(sequences);
          auto m = make_model(model_json({steps, 3}, Json::array({cell(type, 4, sequences)})));
          randomize_params(*m, steps * 10 + n, 0.6f);
          Rng rng(n + steps);
          const Tensor x = random_tensor(batch(n, {steps, 3}), rng);
          const Objective o = projection(batch(n, m->output_shape()), rng);
          // One step from h = 0: the recurrent weights have no effect, and a zero gradient.
          check_params(*m, x, o, kEps, false, steps == 1 ? "recurrent_weights" : "");
          check_input(*m, x, o);
          if (steps == 1)
            for (const Param& p : m->params())
              if (p.name == std::string("recurrent_weights")) CHECK(xt::all(xt::equal(*p.grad, 0.f)));
        }
}

TEST_CASE("gradients: rnn with relu, and stacked recurrent layers under a per-step dense layer") {
  Rng rng(5);
  auto relu = make_model(model_json(
      {4, 2},
      Json::array({{{"type", "rnn"}, {"units", 3}, {"activation", "relu"}, {"return_sequences", true}}})));
  randomize_params(*relu, 9, 0.5f);
  const Tensor xr = random_tensor(batch(5, {4, 2}), rng);
  check_all(*relu, xr, projection(batch(5, relu->output_shape()), rng), 1e-3, true);
  const Tensor x = random_tensor(batch(5, {7, 2}), rng);

  auto stack = make_model(
      model_json({7, 2}, Json::array({cell("gru", 5, true),
                                      cell("lstm", 4, true),
                                      {{"type", "dense"}, {"units", 3}, {"activation", "tanh"}}})));
  randomize_params(*stack, 10, 0.5f);
  CHECK(stack->output_shape() == Shape{7, 3});
  check_all(*stack, x, projection(batch(5, stack->output_shape()), rng));
}

TEST_CASE("gradients: embedding and sequence cross-entropy, averaged over steps and examples") {
  for (std::size_t n : {1, 5})
    for (bool from_logits : {false, true}) {
      CAPTURE(n);
      CAPTURE(from_logits);
      auto m = make_model(
          model_json({7}, Json::array({{{"type", "embedding"}, {"vocab", 6}, {"units", 3}},
                                       cell("lstm", 4, true),
                                       {{"type", "dense"}, {"units", 6}, {"activation", "softmax"}}})));
      randomize_params(*m, 20 + n, 0.8f);
      Tensor ids = Tensor::from_shape({n, std::size_t{7}}), labels = Tensor::from_shape({n, std::size_t{7}});
      for (std::size_t i = 0; i < ids.size(); ++i) {
        ids.data()[i] = static_cast<float>((i * 5 + 1) % 6);
        labels.data()[i] = static_cast<float>((i * 2 + 3) % 6);
      }
      check_params(*m, ids, loss_objective(LossKind::cross_entropy, labels, from_logits));
      // The mean over every step: the loss of one step's row is the same function.
      m->forward(ids);
      double total = 0;
      const float* p = m->output().data();
      for (std::size_t r = 0; r < n * 7; ++r)
        total -= std::log(p[r * 6 + static_cast<std::size_t>(labels.data()[r])]);
      CHECK(loss_value(LossKind::cross_entropy, m->output(), nullptr, labels) ==
            doctest::Approx(total / static_cast<double>(n * 7)).epsilon(1e-5));
    }
}

TEST_CASE("a dense layer on a sequence applies to every step, the same weights at each") {
  auto seq = make_model(
      model_json({4, 3}, Json::array({{{"type", "dense"}, {"units", 2}, {"activation", "tanh"}}})));
  auto one =
      make_model(model_json({3}, Json::array({{{"type", "dense"}, {"units", 2}, {"activation", "tanh"}}})));
  copy_params(*seq, *one);
  Rng rng(3);
  const Tensor x = random_tensor({2, 4, 3}, rng);
  const Tensor y = seq->forward(x);
  REQUIRE(y.shape() == std::vector<std::size_t>{2, 4, 2});
  const Tensor rows = xt::reshape_view(x, {8, 3});
  const Tensor& each = one->forward(rows);
  for (std::size_t i = 0; i < 16; ++i) CHECK(y.data()[i] == each.data()[i]);
}

TEST_CASE("lstm and gru weights read as PyTorch's: gates i, f, g, o and r, z, n, GRU's two biases") {
  // One unit, one input, two steps: every gate computed here by hand, in double.
  const double x0 = 0.5, x1 = -1.0;
  const std::vector<double> w = {0.3, -0.2, 0.8, 0.5}, u = {0.1, 0.4, -0.6, 0.2}, b = {0.05, -0.1, 0.2, 0.0};
  Json lstm = {{"type", "lstm"},
               {"units", 1},
               {"weights", {{w[0]}, {w[1]}, {w[2]}, {w[3]}}},
               {"recurrent_weights", {{u[0]}, {u[1]}, {u[2]}, {u[3]}}},
               {"bias", b}};
  double h = 0, c = 0;
  for (double x : {x0, x1}) {
    const double i = sigmoid(w[0] * x + u[0] * h + b[0]), f = sigmoid(w[1] * x + u[1] * h + b[1]);
    const double g = std::tanh(w[2] * x + u[2] * h + b[2]), o = sigmoid(w[3] * x + u[3] * h + b[3]);
    c = f * c + i * g;
    h = o * std::tanh(c);
  }
  auto m = make_model(model_json({2, 1}, Json::array({lstm})));
  CHECK(m->forward(two_steps(x0, x1))(0, 0) == doctest::Approx(h).epsilon(1e-6));

  const std::vector<double> rb = {-0.3, 0.25, 0.15};
  Json gru = {{"type", "gru"},
              {"units", 1},
              {"weights", {{w[0]}, {w[1]}, {w[2]}}},
              {"recurrent_weights", {{u[0]}, {u[1]}, {u[2]}}},
              {"bias", {b[0], b[1], b[2]}},
              {"recurrent_bias", rb}};
  h = 0;
  for (double x : {x0, x1}) {
    const double r = sigmoid(w[0] * x + b[0] + u[0] * h + rb[0]),
                 z = sigmoid(w[1] * x + b[1] + u[1] * h + rb[1]);
    const double nn = std::tanh(w[2] * x + b[2] + r * (u[2] * h + rb[2]));
    h = (1 - z) * nn + z * h;
  }
  auto g = make_model(model_json({2, 1}, Json::array({gru})));
  CHECK(g->forward(two_steps(x0, x1))(0, 0) == doctest::Approx(h).epsilon(1e-6));
  // Saved and read back: the same layer, the same names.
  Json saved = g->to_json()["layers"][0];
  CHECK(saved.contains("recurrent_weights"));
  CHECK(saved["recurrent_bias"].size() == 3);
}

TEST_CASE("spec errors of the sequence layers and sets name the field") {
  auto error = [](const std::string& text) {
    try {
      Session s(Json::parse(text));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error(R"({"input": [4], "layers": [{"type": "lstm", "units": 3}]})")
            .find("layers[0]: a lstm layer reads "
                  "sequences") == 0);
  CHECK(error(R"({"input": [4, 2], "layers": [{"type": "embedding", "vocab": 5, "units": 3}]})")
            .find("layers[0]: an embedding layer reads token ids [steps]") == 0);
  CHECK(error(R"({"input": [4, 2], "layers": [{"type": "rnn", "units": 3, "activation": "sigmoid"}]})")
            .find("layers[0].activation: expected tanh or relu") == 0);
  CHECK(error(R"({"input": [4, 2], "layers": [{"type": "lstm", "units": 3, "recurrent_bias": [1, 2, 3]}]})")
            .find("layers[0].recurrent_bias: unknown field") == 0);
  CHECK(error(R"({"input": [2, 1], "layers": [{"type": "lstm", "units": 1, "weights": [[1], [2]]}]})") ==
        "layers[0].weights: expected shape [4, 1] (4 × units × inputs), got [2, 1]");
  CHECK(error(R"({"input": [4], "layers": [{"type": "embedding", "vocab": 3, "units": 2}],
                  "data": {"name": "text", "text": "abc", "length": 4}})") ==
        "data.text: 3 characters is too short for sequences of 4 (at least 5)");
  CHECK(error(R"({"input": [3, 1], "layers": [{"type": "embedding", "vocab": 3, "units": 2}],
                  "data": {"name": "text", "text": "abcabc", "length": 3}})")
            .find("input: each example of the text data has shape [3] (character ids") == 0);
  CHECK(error(R"({"input": [3, 1], "layers": [{"type": "lstm", "units": 2, "return_sequences": true},
                  {"type": "dense", "units": 2, "activation": "softmax"}], "loss": "mse",
                  "data": {"name": "parity", "length": 3}})") ==
        "loss: one class per step is read with cross_entropy, not mse");
  CHECK(
      error(R"({"input": [3, 1], "layers": [{"type": "lstm", "units": 2},
                  {"type": "dense", "units": 2, "activation": "softmax"}], "loss": "cross_entropy",
                  "data": {"name": "parity", "length": 3}})") ==
      "data.y: one class per step (3 steps) needs an output of one row per step, [3, classes], but the model "
      "gives [2] (give the recurrent layers \"return_sequences\": true)");
  CHECK(error(R"({"input": [3], "layers": [{"type": "embedding", "vocab": 3, "units": 2}],
                  "optimizer": {"type": "sgd", "clip_norm": -1}, "data": {"name": "parity"}})")
            .find("optimizer.clip_norm: expected a number from 0") == 0);
  Model m(parse_model(
      Json::parse(R"({"input": [2], "layers": [{"type": "embedding", "vocab": 3, "units": 2}]})")));
  CHECK_THROWS_WITH_AS(
      m.forward(Tensor({{0.f, 3.f}})),
      "input: token id 3.0 (example 0, step 1) is not a whole number from 0 to 2 (layers[0].vocab "
      "is 3)",
      Error);
}

TEST_CASE("an LSTM learns the parity of the bits so far, step by step") {
  Session s(Json::parse(R"({"input": [6, 1], "layers": [
      {"type": "lstm", "units": 12, "return_sequences": true},
      {"type": "dense", "units": 2, "activation": "softmax"}],
    "data": {"name": "parity", "n": 256, "length": 6}, "loss": "cross_entropy",
    "optimizer": {"type": "adam", "lr": 0.02}, "batch": 32, "seed": 2})"));
  const Metrics before = s.metrics();
  CHECK(before.sequence);
  CHECK(before.train_accuracy < 0.75);
  s.train(800);
  const Metrics after = s.metrics();
  CAPTURE(after.train_loss);
  CHECK(after.train_accuracy > 0.97);
  CHECK(after.to_json()["train_perplexity"].get<double>() == doctest::Approx(std::exp(after.train_loss)));
}

TEST_CASE(
    "a character model's loss falls, its greedy samples follow the text, and the same seed gives the same "
    "trace") {
  const std::string text = "the cat sat on the mat. the cat sat on the mat. ";
  for (const char* type : {"lstm", "gru", "rnn"}) {
    CAPTURE(std::string(type));
    Session s(char_spec(text + text + text, type, 10));
    CHECK(s.info()["vocabulary"].size() == data::text_vocabulary(text).size());
    const double start = s.metrics().train_loss;
    s.train(300);
    const double end = s.metrics().train_loss;
    CHECK(end < start * 0.3);
    CHECK(s.sample("the c", 12, 0.f, 1).text == "at sat on th");
    CHECK(s.sample("the", 40, 1.f, 7).text == s.sample("the", 40, 1.f, 7).text);

    Session twin(char_spec(text + text + text, type, 10));
    twin.train(300);
    std::vector<Param> a = s.model().params(), b = twin.model().params();
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(*a[i].value == *b[i].value);
  }
  Session s(char_spec(text, "lstm", 10));
  CHECK_THROWS_WITH_AS(s.encode("dog"),
                       "text: the character 'd' is not in the vocabulary (11 characters of the "
                       "training text)",
                       Error);
  CHECK(s.decode(s.encode("the mat")) == "the mat");
}

TEST_CASE("clip_norm scales the gradient of all parameters together down to that norm") {
  const char* spec = R"({"input": [4, 1], "layers": [{"type": "gru", "units": 3, "return_sequences": true},
      {"type": "dense", "units": 2, "activation": "softmax"}], "data": {"name": "parity", "n": 16, "length": 4},
      "loss": "cross_entropy", "optimizer": {"type": "sgd", "lr": 1, "clip_norm": 0.001}, "batch": 16, "seed": 4})";
  Session s(Json::parse(spec));
  std::vector<Tensor> before;
  for (const Param& p : s.model().params()) before.push_back(*p.value);
  s.train(1);
  double moved = 0, grad = 0;
  std::vector<Param> params = s.model().params();
  for (std::size_t i = 0; i < params.size(); ++i) {
    for (std::size_t j = 0; j < params[i].value->size(); ++j) {
      const double d = params[i].value->data()[j] - before[i].data()[j];
      moved += d * d;
      grad += static_cast<double>(params[i].grad->data()[j]) * params[i].grad->data()[j];
    }
  }
  REQUIRE(std::sqrt(grad) > 0.01);  // the clip acts
  CHECK(std::sqrt(moved) == doctest::Approx(0.001).epsilon(1e-2));
}

TEST_CASE("a saved character model keeps its vocabulary: read back, it samples the same text") {
  const std::string text = "the cat sat on the mat. the cat sat on the mat. ";
  Session s(char_spec(text + text, "gru", 10));
  s.train(100);
  const Json saved = s.to_json();
  CHECK(saved["vocabulary"] == Json(data::text_vocabulary(text)));
  Session back(saved);
  CHECK(back.sample("the", 30, 0.9f, 4).text == s.sample("the", 30, 0.9f, 4).text);
  CHECK(back.encode("mat") == s.encode("mat"));
  Json bad = saved;
  bad["vocabulary"] = {"a", "a"};
  CHECK_THROWS_WITH_AS(Session{bad}, doctest::Contains("vocabulary: expected distinct single characters"),
                       Error);
  bad["vocabulary"] = {"a", "b"};
  CHECK_THROWS_WITH_AS(Session{bad}, "vocabulary: 2 characters, but the model reads 11 ids", Error);
}
