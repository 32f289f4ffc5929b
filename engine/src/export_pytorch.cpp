// A model as a PyTorch script (export_pytorch.hpp). Every layer maps onto torch.nn modules whose
// computation is the engine's: dense → nn.Linear (weights [units][inputs] are nn.Linear's
// [out_features, in_features]; a dense layer reads any input shape as flat, so an nn.Flatten
// goes before it when its input is not), conv2d → nn.Conv2d (weights [filters][channels][k][k],
// nn.Conv2d's [out, in, kh, kw]; zero padding on every side), the pools → nn.MaxPool2d /
// nn.AvgPool2d (no padding, floor), dropout → nn.Dropout (inverted, as the engine's), and the
// activations → nn.ReLU, nn.LeakyReLU(α), nn.Tanh, nn.Sigmoid, nn.Softmax(dim=1) (a softmax
// over a multi-dimensional value normalises all of its values, as the engine's does). On a
// sequence [T, F] a dense layer is nn.Linear on every step (its softmax per step). rnn, lstm and
// gru → nn.RNN / nn.LSTM / nn.GRU (batch_first) inside a small module that returns every step's
// state or the last one; their bias is PyTorch's bias_ih (bias_hh zero, or a GRU's
// recurrent_bias); embedding → nn.Embedding after a module that reads the float ids as integers.
#include "dlplay/export_pytorch.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dlplay/spec.hpp"

// Optimised for size: run once per click, this code is all string building, which -O3 inlines
// into ~20 KB of wasm; minsize makes that ~12 KB.
#ifdef __clang__
#pragma clang attribute push(__attribute__((minsize)), apply_to = function)
#endif

namespace dlplay {
namespace {

using kernels::Activation;

// A float32 as a Python float literal that reads back as the same float32: 9 significant digits
// (weights), or with `shortest` the fewest digits that do (settings such as 0.01).
std::string py_float(float v, bool shortest = false) {
  if (std::isnan(v)) return "float(\"nan\")";
  if (std::isinf(v)) return v > 0 ? "float(\"inf\")" : "-float(\"inf\")";
  char buf[32];
  int precision = 9;
  for (int p = 1; shortest && p < 9; ++p) {
    std::snprintf(buf, sizeof buf, "%.*g", p, static_cast<double>(v));
    if (static_cast<float>(std::strtod(buf, nullptr)) == v) {
      precision = p;
      break;
    }
  }
  std::snprintf(buf, sizeof buf, "%.*g", precision, static_cast<double>(v));
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string py_tuple(const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

std::string spaces(std::size_t n) { return std::string(n, ' '); }

// The values of a tensor of `shape` as nested Python lists, the innermost rows one per line.
void nested(std::string& out, const float* data, const Shape& shape, std::size_t dim, std::size_t indent) {
  std::size_t stride = 1;
  for (std::size_t d = dim + 1; d < shape.size(); ++d) stride *= shape[d];
  if (dim + 1 == shape.size()) {
    out += '[';
    for (std::size_t i = 0; i < shape[dim]; ++i) (out += i ? ", " : "") += py_float(data[i]);
    out += ']';
    return;
  }
  out += "[\n";
  for (std::size_t i = 0; i < shape[dim]; ++i) {
    out += spaces(indent + 4);
    nested(out, data + i * stride, shape, dim + 1, indent + 4);
    out += ",\n";
  }
  out += spaces(indent) + ']';
}

// Appends to a string (no iostreams: they would add a fifth to the wasm module's size).
struct Text {
  std::string s;
  Text& operator<<(const std::string& t) { return s += t, *this; }
  Text& operator<<(const char* t) { return s += t, *this; }
  Text& operator<<(char c) { return s += c, *this; }
  Text& operator<<(std::size_t n) { return s += std::to_string(n), *this; }
};

struct Module {
  std::string code;
  std::string note;        // a comment: the dlplay layer it comes from (on its first module)
  Layer* owner = nullptr;  // the layer whose weights and bias it takes
};

// The module(s) of activation `a` over values of `shape` (one example); none for linear, unless
// the activation is a layer of its own (nn.Identity keeps the layer list whole).
void add_activation(std::vector<Module>& mods, Activation a, float alpha, const Shape& shape, bool own_layer,
                    bool per_step = false) {
  switch (a) {
    case Activation::linear:
      if (own_layer) mods.push_back({"nn.Identity()", ""});
      return;
    case Activation::relu:
      mods.push_back({"nn.ReLU()", ""});
      return;
    case Activation::leaky_relu:
      mods.push_back({"nn.LeakyReLU(negative_slope=" + py_float(alpha, true) + ")", ""});
      return;
    case Activation::tanh:
      mods.push_back({"nn.Tanh()", ""});
      return;
    case Activation::sigmoid:
      mods.push_back({"nn.Sigmoid()", ""});
      return;
    case Activation::softmax:
      if (shape.size() <= 1 || per_step) {
        mods.push_back({per_step ? "nn.Softmax(dim=-1)" : "nn.Softmax(dim=1)", ""});
        return;
      }
      // Over every value of the example, as the engine's softmax layer: flatten, softmax, unflatten.
      mods.push_back({"nn.Flatten()", ""});
      mods.push_back({"nn.Softmax(dim=1)", ""});
      mods.push_back({"nn.Unflatten(1, " + py_tuple(shape) + ")", ""});
      return;
  }
}

std::string describe(const Layer& l, std::size_t i) {
  const LayerSpec& s = l.spec();
  std::string d = "layers[" + std::to_string(i) + "]";
  if (s.source.contains("name") && s.source["name"].is_string()) {
    std::string name = s.source["name"].get<std::string>();
    for (char& c : name)
      if (c == '\n' || c == '\r') c = ' ';
    d += " \"" + name + "\"";
  }
  d += ": " + s.type;
  if (s.type == "dense" || s.type == "rnn" || s.type == "lstm" || s.type == "gru" || s.type == "embedding")
    d += ", " + std::to_string(s.units) + " units";
  if (s.type == "conv2d")
    d += ", " + std::to_string(s.filters) + " filters " + std::to_string(s.kernel) + "×" +
         std::to_string(s.kernel) + ", stride " + std::to_string(s.stride) + ", padding " +
         std::to_string(s.padding);
  if (s.type == "maxpool2d" || s.type == "avgpool2d")
    d +=
        ", " + std::to_string(s.size) + "×" + std::to_string(s.size) + ", stride " + std::to_string(s.stride);
  if (s.type == "dropout") d += ", rate " + py_float(s.rate, true);
  if (s.type == "dense" || s.type == "conv2d") d += ", " + activation_name(s.activation);
  return d + " → " + shape_string(l.output_shape());
}

std::vector<Module> modules(Model& model) {
  std::vector<Module> mods;
  for (std::size_t i = 0; i < model.size(); ++i) {
    Layer& l = model.layer(i);
    const LayerSpec& s = l.spec();
    const Shape& in = l.input_shape();
    const std::size_t first = mods.size();
    if (s.type == "dense") {
      const bool steps = in.size() == 2;  // on every step of a sequence
      if (in.size() > 1 && !steps) mods.push_back({"nn.Flatten()", ""});
      mods.push_back({"nn.Linear(" + std::to_string(steps ? in[1] : shape_size(in)) + ", " +
                          std::to_string(s.units) + ")",
                      "", &l});
      add_activation(mods, s.activation, s.alpha, l.output_shape(), false, steps);
    } else if (s.type == "rnn" || s.type == "lstm" || s.type == "gru") {
      const std::string cell = s.type == "rnn" ? "RNN" : s.type == "lstm" ? "LSTM" : "GRU";
      const std::string act =
          s.type == "rnn" ? std::string(", nonlinearity=\"") + activation_name(s.activation) + "\"" : "";
      mods.push_back({"Recurrent(nn." + cell + "(" + std::to_string(in[1]) + ", " + std::to_string(s.units) +
                          act + ", batch_first=True), sequences=" + (s.return_sequences ? "True" : "False") +
                          ")",
                      "", &l});
    } else if (s.type == "embedding") {
      mods.push_back({"Ids()", ""});
      mods.push_back(
          {"nn.Embedding(" + std::to_string(s.vocab) + ", " + std::to_string(s.units) + ")", "", &l});
    } else if (s.type == "conv2d") {
      mods.push_back({"nn.Conv2d(" + std::to_string(in[0]) + ", " + std::to_string(s.filters) +
                          ", kernel_size=" + std::to_string(s.kernel) + ", stride=" +
                          std::to_string(s.stride) + ", padding=" + std::to_string(s.padding) + ")",
                      "", &l});
      add_activation(mods, s.activation, s.alpha, l.output_shape(), false);
    } else if (s.type == "maxpool2d" || s.type == "avgpool2d") {
      mods.push_back({std::string(s.type == "maxpool2d" ? "nn.MaxPool2d" : "nn.AvgPool2d") + "(kernel_size=" +
                          std::to_string(s.size) + ", stride=" + std::to_string(s.stride) + ")",
                      ""});
    } else if (s.type == "flatten") {
      mods.push_back({"nn.Flatten()", ""});
    } else if (s.type == "dropout") {
      mods.push_back({"nn.Dropout(p=" + py_float(s.rate, true) + ")", ""});
    } else {  // an activation as a layer of its own
      add_activation(mods, s.activation, s.alpha, l.output_shape(), true);
    }
    if (mods.size() > first) mods[first].note = describe(l, i);
  }
  return mods;
}

const char* feature_expression(Feature f) {
  switch (f) {
    case Feature::x1:
      return "x1";
    case Feature::x2:
      return "x2";
    case Feature::x1sq:
      return "x1 * x1";
    case Feature::x2sq:
      return "x2 * x2";
    case Feature::x1x2:
      return "x1 * x2";
    case Feature::sinx1:
      return "torch.sin(x1)";
    case Feature::sinx2:
      return "torch.sin(x2)";
  }
  return "x1";
}

std::string feature_names(const std::vector<Feature>& features) {
  std::string s;
  for (std::size_t i = 0; i < features.size(); ++i)
    s += (i ? ", " : "") + vocab::features().at(static_cast<std::size_t>(features[i]));
  return s;
}

}  // namespace

std::string export_pytorch(Model& model, const std::vector<Feature>& features) {
  const Shape& input = model.input_shape();
  const bool points = !features.empty() || input == Shape{2};
  Text out;
  out << "# A dlplay model as PyTorch: the network as nn.Sequential, with its weights.\n";
  if (features.empty())
    out << "# Input: examples of shape " << shape_string(input) << ", batched as [N, "
        << shape_string(input).substr(1) << ".\n";
  else
    out << "# Input: 2-D points [N, 2]; features(points) computes the model's inputs [N, " << features.size()
        << "]: " << feature_names(features) << ".\n";
  out << "# Output: " << shape_string(model.output_shape())
      << " per example. Run it with python3 (PyTorch needed),\n"
      << "# or import it and call model(" << (features.empty() ? "x" : "features(points)") << ").\n"
      << "import torch\n"
      << "from torch import nn\n\n";
  const std::vector<Module> mods = modules(model);
  bool recurrent = false, ids = false;
  for (const Module& m : mods) {
    recurrent = recurrent || m.code.rfind("Recurrent(", 0) == 0;
    ids = ids || m.code == "Ids()";
  }
  if (recurrent)
    out << "\nclass Recurrent(nn.Module):\n"
        << "    \"\"\"A recurrent layer as dlplay's: every step's hidden state, or the last one's.\"\"\"\n\n"
        << "    def __init__(self, rnn, sequences):\n"
        << "        super().__init__()\n"
        << "        self.rnn, self.sequences = rnn, sequences\n\n"
        << "    def forward(self, x):\n"
        << "        out, _ = self.rnn(x)\n"
        << "        return out if self.sequences else out[:, -1]\n\n";
  if (ids)
    out << "\nclass Ids(nn.Module):\n"
        << "    \"\"\"Token ids given as numbers, as dlplay takes them, read as integers.\"\"\"\n\n"
        << "    def forward(self, x):\n"
        << "        return x.long()\n\n";
  if (recurrent || ids) out << '\n';
  out << "model = nn.Sequential(\n";
  for (const Module& m : mods) {
    out << "    " << m.code << ",";
    if (!m.note.empty()) out << "  # " << m.note;
    out << '\n';
  }
  out << ")\n\n";

  bool any = false;
  for (std::size_t i = 0; i < mods.size(); ++i) {
    if (!mods[i].owner) continue;
    if (!any) out << "with torch.no_grad():\n";
    any = true;
    const std::string& type = mods[i].owner->type();
    const bool cell = type == "rnn" || type == "lstm" || type == "gru";
    for (const Param& p : mods[i].owner->params()) {
      const std::string name = p.name;
      const std::string torch_name = !cell                         ? (name == "weights" ? "weight" : "bias")
                                     : name == "weights"           ? "rnn.weight_ih_l0"
                                     : name == "recurrent_weights" ? "rnn.weight_hh_l0"
                                     : name == "bias"              ? "rnn.bias_ih_l0"
                                                                   : "rnn.bias_hh_l0";
      out << "    model[" << i << "]." << torch_name << ".copy_(torch.tensor(";
      nested(out.s, p.value->data(), shape_of(*p.value), 0, 4);
      out << "))\n";
    }
    if (cell && type != "gru")
      out << "    model[" << i << "].rnn.bias_hh_l0.zero_()  # the bias is b_ih + b_hh\n";
  }
  if (any) out << '\n';
  out << "model.eval()\n";

  if (!features.empty()) {
    out << "\n\ndef features(points):\n"
        << "    \"\"\"The model's inputs from 2-D points [N, 2], as dlplay computes them: "
        << feature_names(features) << ".\"\"\"\n"
        << "    points = torch.as_tensor(points, dtype=torch.float32)\n"
        << "    x1, x2 = points[:, 0], points[:, 1]\n"
        << "    return torch.stack([";
    for (std::size_t i = 0; i < features.size(); ++i)
      out << (i ? ", " : "") << feature_expression(features[i]);
    out << "], dim=1)\n";
  }

  out << "\n\nif __name__ == \"__main__\":\n";
  const bool token_ids = model.size() && model.layer(0).type() == "embedding";
  if (points)
    out << "    x = torch.tensor([[1.0, -1.0]])  # one example: the point (1, -1)\n";
  else if (token_ids)
    out << "    x = torch.zeros(1, " << input[0] << ")  # one example: token id 0 at every step\n";
  else
    out << "    x = torch.linspace(-1.0, 1.0, " << shape_size(input) << ").reshape(1, "
        << py_tuple(input).substr(1) << "  # one example\n";
  out << "    with torch.no_grad():\n"
      << "        print(model(" << (features.empty() ? "x" : "features(x)") << ").tolist())\n";
  return out.s;
}

}  // namespace dlplay

#ifdef __clang__
#pragma clang attribute pop
#endif
