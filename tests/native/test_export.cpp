// Export as PyTorch: the script's layer list, weights and features (tests/js/cli.test.mjs compiles
// the script with Python, and runs it beside the engine where PyTorch is installed).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

using namespace dlplay;

namespace {

// A weight as the script writes it: 9 significant digits, always a float literal.
std::string nine(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
  std::string s = buf;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

// The module lines of `model = nn.Sequential(...)`, comments left out.
std::vector<std::string> sequential(const std::string& script) {
  std::istringstream in(script);
  std::string line;
  std::vector<std::string> mods;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "model = nn.Sequential(") {
      inside = true;
    } else if (inside && line == ")") {
      break;
    } else if (inside) {
      const std::string code = line.substr(4, line.find(',', line.rfind(')')) - 4);
      mods.push_back(code);
    }
  }
  return mods;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Every weight and bias value of the model, each in the script, and every weight row as the
// engine lays it out ([units][inputs], [filters][channels][k][k]: the innermost rows one per line).
void check_weights(Model& model, const std::string& script) {
  for (std::size_t i = 0; i < model.size(); ++i)
    for (const Param& p : model.layer(i).params()) {
      const std::size_t row = p.value->shape().back();
      for (std::size_t start = 0; start < p.value->size(); start += row) {
        std::string text = "[";
        for (std::size_t j = 0; j < row; ++j) {
          CHECK(std::strtof(nine(p.value->data()[start + j]).c_str(), nullptr) == p.value->data()[start + j]);
          text += (j ? ", " : "") + nine(p.value->data()[start + j]);
        }
        CAPTURE(text);
        CHECK(contains(script, text + "]"));
      }
    }
}

const Json kFeatureSpec = {{"input", {5}},
                           {"features", {"x1", "x2", "x1sq", "x1x2", "sinx2"}},
                           {"layers",
                            {{{"type", "dense"}, {"units", 4}, {"activation", "tanh"}},
                             {{"type", "dense"}, {"units", 3}, {"activation", "softmax"}}}},
                           {"data", {{"name", "gaussian"}, {"n", 90}, {"classes", 3}}},
                           {"loss", "cross_entropy"},
                           {"seed", 3}};

}  // namespace

TEST_CASE("export: an MLP with input features becomes nn.Sequential, its trained weights and features()") {
  Session s(kFeatureSpec);
  const std::string before = s.to_pytorch();
  s.train(50);
  const std::string script = s.to_pytorch();
  CHECK(script != before);  // the trained weights, not the initial ones
  CHECK(contains(script, "import torch\nfrom torch import nn\n"));
  CHECK(sequential(script) ==
        std::vector<std::string>{"nn.Linear(5, 4)", "nn.Tanh()", "nn.Linear(4, 3)", "nn.Softmax(dim=1)"});
  CHECK(contains(script, "with torch.no_grad():\n    model[0].weight.copy_(torch.tensor([\n        ["));
  CHECK(contains(script, "    model[0].bias.copy_(torch.tensor(["));
  CHECK(contains(script, "    model[2].weight.copy_(torch.tensor([\n"));
  CHECK(contains(script, "    model[2].bias.copy_(torch.tensor(["));
  check_weights(s.model(), script);
  CHECK(contains(script, "\nmodel.eval()\n"));
  CHECK(contains(script, "\ndef features(points):\n"));
  CHECK(contains(script,
                 "    x1, x2 = points[:, 0], points[:, 1]\n"
                 "    return torch.stack([x1, x2, x1 * x1, x1 * x2, torch.sin(x2)], dim=1)\n"));
  CHECK(contains(script, "\nif __name__ == \"__main__\":\n"));
  CHECK(contains(script, "print(model(features(x)).tolist())"));
  // The layer comments say where each module comes from.
  CHECK(contains(script, "nn.Linear(5, 4),  # layers[0]: dense, 4 units, tanh → [4]\n"));
}

TEST_CASE("export: without features there is no features() and the example is the model's input") {
  Session s({{"input", {2}}, {"layers", {{{"type", "dense"}, {"units", 1}, {"activation", "sigmoid"}}}}});
  const std::string script = s.to_pytorch();
  CHECK_FALSE(contains(script, "def features"));
  CHECK(sequential(script) == std::vector<std::string>{"nn.Linear(2, 1)", "nn.Sigmoid()"});
  CHECK(contains(script, "print(model(x).tolist())"));
  check_weights(s.model(), script);

  Session image({{"input", {1, 4, 4}}, {"layers", {{{"type", "dense"}, {"units", 3}}}}});
  const std::string i = image.to_pytorch();
  // A dense layer reads any input as flat: PyTorch needs the nn.Flatten.
  CHECK(sequential(i) == std::vector<std::string>{"nn.Flatten()", "nn.Linear(16, 3)"});
  CHECK(contains(i, "model[1].weight.copy_"));
  CHECK(contains(i, "x = torch.linspace(-1.0, 1.0, 16).reshape(1, 1, 4, 4)"));
}

TEST_CASE("export: every layer type of a CNN, with weights where the modules are") {
  const Json spec = {
      {"input", {2, 7, 7}},
      {"seed", 5},
      {"layers",
       {{{"type", "conv2d"},
         {"filters", 3},
         {"kernel", 3},
         {"padding", 1},
         {"activation", "leaky_relu"},
         {"alpha", 0.2}},
        {{"type", "maxpool2d"}, {"size", 2}},
        {{"type", "conv2d"}, {"filters", 4}, {"kernel", 2}, {"stride", 2}, {"activation", "relu"}},
        {{"type", "avgpool2d"}, {"size", 1}},
        {{"type", "softmax"}},
        {{"type", "dropout"}, {"rate", 0.25}},
        {{"type", "flatten"}},
        {{"type", "dense"}, {"units", 5}, {"activation", "leaky_relu"}},
        {{"type", "linear"}},
        {{"type", "sigmoid"}},
        {{"type", "tanh"}},
        {{"type", "relu"}},
        {{"type", "dense"}, {"units", 2}, {"activation", "softmax"}}}}};
  Session s(spec);
  const std::string script = s.to_pytorch();
  CHECK(sequential(script) ==
        std::vector<std::string>{
            "nn.Conv2d(2, 3, kernel_size=3, stride=1, padding=1)", "nn.LeakyReLU(negative_slope=0.2)",
            "nn.MaxPool2d(kernel_size=2, stride=2)", "nn.Conv2d(3, 4, kernel_size=2, stride=2, padding=0)",
            "nn.ReLU()", "nn.AvgPool2d(kernel_size=1, stride=1)", "nn.Flatten()", "nn.Softmax(dim=1)",
            "nn.Unflatten(1, (4, 1, 1))", "nn.Dropout(p=0.25)", "nn.Flatten()", "nn.Linear(4, 5)",
            "nn.LeakyReLU(negative_slope=0.01)", "nn.Identity()", "nn.Sigmoid()", "nn.Tanh()", "nn.ReLU()",
            "nn.Linear(5, 2)", "nn.Softmax(dim=1)"});
  for (const char* load : {"model[0].weight", "model[0].bias", "model[3].weight", "model[3].bias",
                           "model[11].weight", "model[11].bias", "model[17].weight", "model[17].bias"})
    CHECK(contains(script, std::string(load) + ".copy_(torch.tensor("));
  CHECK_FALSE(contains(script, "model[1]."));
  // conv weights [filters][channels][k][k], nested four deep.
  CHECK(
      contains(script, "model[0].weight.copy_(torch.tensor([\n        [\n            [\n                ["));
  check_weights(s.model(), script);
  CHECK(contains(script, "x = torch.linspace(-1.0, 1.0, 98).reshape(1, 2, 7, 7)"));
}

TEST_CASE(
    "export: values are written so that float32 reads them back exactly, non-finite ones too; a saved "
    "model refuses them") {
  Session s({{"input", {2}},
             {"layers", {{{"type", "dense"}, {"units", 2}, {"weights", {{1, 0.1}, {-2.5e-8, 3e10}}}}}}});
  std::string script = s.to_pytorch();
  CHECK(contains(script, "[1.0, 0.100000001],"));
  CHECK(contains(script, "[-2.50000003e-08, 3.0000001e+10],"));
  CHECK(contains(script, "model[0].bias.copy_(torch.tensor([0.0, 0.0]))"));
  Tensor& w = *s.model().layer(0).params()[0].value;
  w(0, 0) = std::numeric_limits<float>::quiet_NaN();
  w(0, 1) = std::numeric_limits<float>::infinity();
  w(1, 0) = -std::numeric_limits<float>::infinity();
  script = s.to_pytorch();
  CHECK(contains(script, "[float(\"nan\"), float(\"inf\")],"));
  CHECK(contains(script, "[-float(\"inf\"), 3.0000001e+10],"));
  // The dlplay model JSON has no such numbers: saving a diverged model is refused, naming the weights.
  CHECK_THROWS_WITH_AS(s.to_json(), doctest::Contains("layers[0].weights: NaN or infinite values"), Error);
  w(0, 0) = w(0, 1) = w(1, 0) = 1;
  CHECK(s.to_json()["layers"][0]["weights"] == Json({{1, 1}, {1, 3e10f}}));
}

TEST_CASE(
    "export: sequence models as nn.Embedding, nn.LSTM / nn.GRU / nn.RNN (batch_first) and per-step "
    "nn.Linear") {
  const Json spec = {{"input", {6}},
                     {"seed", 2},
                     {"layers",
                      {{{"type", "embedding"}, {"vocab", 5}, {"units", 3}},
                       {{"type", "gru"}, {"units", 4}, {"return_sequences", true}},
                       {{"type", "rnn"}, {"units", 3}, {"activation", "relu"}, {"return_sequences", true}},
                       {{"type", "lstm"}, {"units", 2}, {"return_sequences", true}},
                       {{"type", "dense"}, {"units", 5}, {"activation", "softmax"}}}}};
  Session s(spec);
  const std::string script = s.to_pytorch();
  CHECK(sequential(script) ==
        std::vector<std::string>{"Ids()", "nn.Embedding(5, 3)",
                                 "Recurrent(nn.GRU(3, 4, batch_first=True), sequences=True)",
                                 "Recurrent(nn.RNN(4, 3, nonlinearity=\"relu\", "
                                 "batch_first=True), sequences=True)",
                                 "Recurrent(nn.LSTM(3, 2, batch_first=True), sequences=True)",
                                 "nn.Linear(2, 5)", "nn.Softmax(dim=-1)"});
  for (const char* load :
       {"model[1].weight", "model[2].rnn.weight_ih_l0", "model[2].rnn.weight_hh_l0",
        "model[2].rnn.bias_ih_l0", "model[2].rnn.bias_hh_l0", "model[4].rnn.weight_hh_l0", "model[5].weight"})
    CHECK(contains(script, std::string(load) + ".copy_(torch.tensor("));
  CHECK(contains(script, "model[4].rnn.bias_hh_l0.zero_()"));
  CHECK_FALSE(contains(script, "model[2].rnn.bias_hh_l0.zero_()"));  // a GRU's b_hh is its recurrent_bias
  CHECK(contains(script, "class Recurrent(nn.Module):"));
  CHECK(contains(script, "return x.long()"));
  CHECK(contains(script, "x = torch.zeros(1, 6)"));
  check_weights(s.model(), script);
}
