// libFuzzer target: the typed-array data path, dlplay::Session(spec, Dataset), as the bindings'
// loadData takes `dl.session(spec, {x, y, testRatio})` (the CNN page's image sets).
//
// Input layout: byte 0 picks a spec (a training spec without "data"), byte 1 holds flags, byte 2
// a test ratio (its top bit: save and load the trained model), bytes 3–4 how many of the remaining bytes are
// x; the rest is y. x is bytes scaled by 1/255 (a Uint8Array) or raw float32s (any bit pattern: NaN, ±Inf,
// denormals); y is raw float32s or bytes taken as small class indices. Shaped as the bindings shape them: x
// as whole examples of the spec's input, y as one label per example or rows of `targets`.
#include "fuzz_common.hpp"

namespace {

const char* const kSpecs[] = {
    // 0: the playground's MLP, one tanh output (labels 0/1 → −1/+1 with mse)
    R"({"input": [2], "layers": [{"type": "dense", "units": 4, "activation": "tanh"},
        {"type": "dense", "units": 1, "activation": "tanh"}]})",
    // 1: three classes, softmax and cross-entropy, Adam
    R"({"input": [2], "layers": [{"type": "dense", "units": 5, "activation": "relu"},
        {"type": "dense", "units": 3, "activation": "softmax"}], "loss": "cross_entropy",
        "optimizer": "adam", "lr": 0.01, "batch": 4})",
    // 2: regression onto two targets
    R"({"input": [3], "layers": [{"type": "dense", "units": 4, "activation": "sigmoid"},
        {"type": "dense", "units": 2, "activation": "linear"}], "loss": "mse", "seed": 7})",
    // 3: the CNN page's kind of net, on 6×6 images
    R"({"input": [1, 6, 6], "layers": [{"type": "conv2d", "filters": 2, "kernel": 3, "padding": 1,
        "activation": "relu"}, {"type": "maxpool2d", "size": 2}, {"type": "flatten"},
        {"type": "dense", "units": 10, "activation": "softmax"}], "loss": "cross_entropy", "batch": 8})",
    // 4: strided conv, average pooling, one sigmoid output with cross-entropy
    R"({"input": [2, 5, 5], "layers": [{"type": "conv2d", "filters": 3, "kernel": 2, "stride": 2},
        {"type": "avgpool2d", "size": 2, "stride": 1}, {"type": "flatten"},
        {"type": "dense", "units": 1, "activation": "sigmoid"}], "loss": "cross_entropy"})",
    // 5: one input, L1, RMSprop, a test split
    R"({"input": [1], "layers": [{"type": "dense", "units": 1}], "batch": 3, "test_ratio": 0.5,
        "regularization": "l1", "regularization_rate": 0.01, "optimizer": {"type": "rmsprop", "lr": 0.1}})",
    // 6: dropout before a softmax, Adagrad, momentum SGD's fields left default
    R"({"input": [4], "layers": [{"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 2,
        "activation": "softmax"}], "optimizer": "adagrad"})",
    // 7: leaky ReLU as its own layer, L2, Nesterov momentum
    R"({"input": [2, 2], "layers": [{"type": "flatten"}, {"type": "dense", "units": 3},
        {"type": "leaky_relu", "alpha": 0.2}, {"type": "dense", "units": 1}],
        "regularization": {"type": "l2", "rate": 0.1},
        "optimizer": {"type": "sgd", "lr": 0.5, "momentum": 0.9, "nesterov": true}})",
    // 8: features need the spec's 2-D points: refused on this path
    R"({"input": [2], "features": ["x1", "x2"], "layers": [{"type": "dense", "units": 1}]})",
    // 9: data given twice: refused
    R"({"input": [2], "data": "xor", "layers": [{"type": "dense", "units": 1}]})",
};
constexpr std::size_t kSpecCount = sizeof(kSpecs) / sizeof(kSpecs[0]);

const std::vector<dlplay::Json>& specs() {
  static const std::vector<dlplay::Json> parsed = [] {
    std::vector<dlplay::Json> v;
    for (const char* s : kSpecs) v.push_back(dlplay::Json::parse(s));
    return v;
  }();
  return parsed;
}

float f32(const std::uint8_t* p) {
  float v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5) return 0;
  dlplay::Json j = specs()[data[0] % kSpecCount];
  const std::uint8_t flags = data[1];
  const unsigned targets = flags & 3u;  // 0: one label per example
  const bool x_bytes = flags & 4u, y_bytes = flags & 8u, flat = (flags & 0x30u) == 0x30u;
  if (flags & 0x40u) j["test_ratio"] = (data[2] % 10) / 10.0;
  if (flags & 0x80u) j["loss"] = data[2] & 1 ? "mse" : "cross_entropy";
  const std::uint8_t* rest = data + 5;
  const std::size_t left = size - 5;
  const std::size_t x_len_bytes = (data[3] | (std::size_t{data[4]} << 8)) % (left + 1);

  dlplay::Dataset d;
  std::vector<float> x, y;
  if (x_bytes)
    for (std::size_t i = 0; i < x_len_bytes; ++i) x.push_back(static_cast<float>(rest[i]) * (1.f / 255.f));
  else
    for (std::size_t i = 0; i + 4 <= x_len_bytes; i += 4) x.push_back(f32(rest + i));
  const std::uint8_t* yp = rest + x_len_bytes;
  const std::size_t y_len_bytes = left - x_len_bytes;
  if (y_bytes)
    for (std::size_t i = 0; i < y_len_bytes; ++i) y.push_back(static_cast<float>(yp[i] % 12));
  else
    for (std::size_t i = 0; i + 4 <= y_len_bytes; i += 4) y.push_back(f32(yp + i));

  try {
    // The bindings' shape_examples: whole examples of the spec's input, one label or `targets` each.
    const dlplay::Shape example = dlplay::parse_model_input(j["input"]);
    const std::size_t per_example = dlplay::shape_size(example);
    if (x.empty() || x.size() % per_example != 0) return 0;
    const std::size_t n = x.size() / per_example;
    const std::size_t per = targets ? targets : y.size() / n;
    if (y.empty() || y.size() != n * per) return 0;
    d.x = dlplay::Tensor::from_shape({x.size()});
    std::copy(x.begin(), x.end(), d.x.begin());
    d.y = dlplay::Tensor::from_shape({y.size()});
    std::copy(y.begin(), y.end(), d.y.begin());
    if (!flat) d.x.reshape(dlplay::batch_shape(n, example));  // flat: left for the session to reshape
    if (targets || per > 1) d.y.reshape({n, per});

    if (!j.contains("data") && !j.contains("features")) {
      const dlplay::TrainSpec t = dlplay::parse_training(j, dlplay::DataSource::given);
      if (!fuzz::fits(t.model, t.model.input, n)) return 0;
    }
    dlplay::Session s(j, std::move(d));
    fuzz::exercise(s, static_cast<std::uint32_t>(size), true);
    if (data[2] & 0x80) fuzz::check_round_trip(s, static_cast<std::uint32_t>(size));  // fuzz_model's own
  } catch (const dlplay::Error& e) {
    fuzz::rejected(e);
  }
  return 0;
}
