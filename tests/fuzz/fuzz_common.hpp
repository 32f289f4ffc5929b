// What the libFuzzer targets share: the fuzz budget (a valid spec may ask for a network or a data
// set far larger than one fuzz input may cost, so its size is bounded from the parsed spec before
// anything is built), the cheap calls made on a session that builds, and the one rule for a
// finding: anything but dlplay::Error escaping the engine aborts, so libFuzzer reports it.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>
#include <xtensor/xview.hpp>

#include "dlplay/session.hpp"

namespace fuzz {

using dlplay::Json;
using dlplay::Shape;

// The budget. The engine's own limits (50 M parameters per layer, 16 M values per example,
// 1 M points) are far beyond what one fuzz input may take in time and memory under ASan.
inline constexpr std::uint64_t kMaxParams = 20'000;        // all layers
inline constexpr std::uint64_t kMaxValues = 20'000;        // every layer's output (and im2col) per example
inline constexpr std::uint64_t kMaxWork = 200'000;         // multiply-adds per example through the model
inline constexpr std::uint64_t kMaxExamples = 1'000;       // built-in sets' n, inline or typed examples
inline constexpr std::uint64_t kMaxTotalWork = 4'000'000;  // kMaxWork-like cost × examples

[[noreturn]] inline void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "\n==FINDING== %s: %s\n", what, detail.c_str());
  std::abort();
}

// An input the engine refused with its Error: fine, as long as the message says something.
// FUZZ_VERBOSE=1 prints it (to see why a seed is refused).
inline void rejected(const dlplay::Error& e) {
  if (std::strlen(e.what()) == 0) finding("Error", "empty message");
  static const bool verbose = std::getenv("FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "rejected: %s\n", e.what());
}

inline std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  constexpr std::uint64_t cap = std::uint64_t{1} << 62;
  if (a == 0 || b == 0) return 0;
  return a > cap / b ? cap : a * b;
}
inline std::uint64_t add(std::uint64_t a, std::uint64_t b) {
  constexpr std::uint64_t cap = std::uint64_t{1} << 62;
  return a + b > cap ? cap : a + b;
}

// An upper bound of what a model costs per example, layer by layer as the layers size themselves.
// A layer the engine will refuse (wrong input rank, window larger than the input) ends the walk:
// building stops there with an Error anyway.
struct Cost {
  std::uint64_t params = 0, values = 0, work = 0;
};

inline Cost model_cost(const dlplay::ModelSpec& m, const Shape& input) {
  Cost c;
  Shape s = input;
  auto size = [](const Shape& sh) {
    std::uint64_t n = 1;
    for (std::size_t d : sh) n = mul(n, d);
    return n;
  };
  c.values = size(s);
  for (const dlplay::LayerSpec& l : m.layers) {
    const std::uint64_t in = size(s);
    if (l.type == "dense") {
      c.params = add(c.params, add(mul(in, l.units), l.units));
      c.work = add(c.work, mul(in, l.units));
      s = {l.units};
    } else if (l.type == "conv2d" || l.type == "maxpool2d" || l.type == "avgpool2d") {
      if (s.size() != 3) break;
      const bool conv = l.type == "conv2d";
      const std::uint64_t k = conv ? l.kernel : l.size, pad = conv ? l.padding : 0;
      if (k == 0 || l.stride == 0 || k > s[1] + 2 * pad || k > s[2] + 2 * pad) break;
      const std::uint64_t oh = (s[1] + 2 * pad - k) / l.stride + 1, ow = (s[2] + 2 * pad - k) / l.stride + 1;
      const std::uint64_t ch = conv ? l.filters : s[0];
      const std::uint64_t window = mul(conv ? s[0] : 1, mul(k, k));
      if (conv) {
        c.params = add(c.params, add(mul(l.filters, window), l.filters));
        c.values = add(c.values, mul(window, mul(oh, ow)));  // im2col
      }
      c.work = add(c.work, mul(ch, mul(window, mul(oh, ow))));
      s = {static_cast<std::size_t>(std::min<std::uint64_t>(ch, 1u << 30)),
           static_cast<std::size_t>(std::min<std::uint64_t>(oh, 1u << 30)),
           static_cast<std::size_t>(std::min<std::uint64_t>(ow, 1u << 30))};
    } else if (l.type == "flatten") {
      s = {static_cast<std::size_t>(std::min<std::uint64_t>(in, 1u << 30))};
    } else {
      c.work = add(c.work, in);
    }
    c.values = add(c.values, size(s));
  }
  return c;
}

inline bool within_budget(const dlplay::ModelSpec& m, const Shape& input, std::uint64_t examples) {
  const Cost c = model_cost(m, input);
  if (c.params > kMaxParams || c.values > kMaxValues || c.work > kMaxWork) return false;
  if (examples > kMaxExamples) return false;
  // A training step touches at most every example, and so do metrics and evaluation.
  const std::uint64_t per = add(c.work, add(c.values, c.params / 8 + 1));
  return mul(per, examples + 1) <= kMaxTotalWork;
}

inline bool fits(const dlplay::ModelSpec& m, const Shape& input, std::uint64_t examples) {
  if (within_budget(m, input, examples)) return true;
  if (std::getenv("FUZZ_VERBOSE")) std::fprintf(stderr, "over the fuzz budget\n");
  return false;
}

// The examples a training spec brings in its JSON ("data"): a built-in set's n, inline x's rows.
inline std::uint64_t spec_examples(const Json& j, const dlplay::TrainSpec& t) {
  if (t.data.source == dlplay::DataSource::inline_json) {
    const Json& x = j.at("data").at("x");
    return x.is_array() ? x.size() : 1;
  }
  if (t.data.source == dlplay::DataSource::builtin) return t.data.n;
  return 0;
}

inline Shape model_input_of(const dlplay::TrainSpec& t) {
  return t.features.empty() ? t.model.input : Shape{t.features.size()};
}

// One example of the session's input shape, values from `seed` in [−6, 6].
inline dlplay::Tensor example(const dlplay::Session& s, std::size_t n, std::uint32_t seed) {
  dlplay::Shape shape{n};
  for (std::size_t d : s.input_shape()) shape.push_back(d);
  dlplay::Tensor x = dlplay::Tensor::from_shape(shape);
  std::uint32_t r = seed * 2654435761u + 1;
  for (float& v : x) {
    r = r * 1664525u + 1013904223u;
    v = static_cast<float>(r >> 8) / static_cast<float>(1u << 24) * 12.f - 6.f;
  }
  return x;
}

inline bool same_bits(const dlplay::Tensor& a, const dlplay::Tensor& b) {
  if (a.shape() != b.shape()) return false;
  return std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// The cheap calls on a session that built: what a page does first. Each may throw only Error.
inline void exercise(dlplay::Session& s, std::uint32_t seed, bool train) {
  const Json info = s.info();
  if (!info.is_object() || !info.contains("params")) finding("info", info.dump());
  dlplay::Tensor x = example(s, 1 + seed % 3, seed);
  const dlplay::Tensor out = s.forward(x);
  if (out.shape()[0] != x.shape()[0]) finding("forward", "batch size changed");
  (void)s.classify(x);
  if (s.input_shape() == Shape{2}) (void)s.grid(-1 + static_cast<int>(seed % 2), -6, 6, -6, 6, 3);
  if (train && s.trainable()) {
    s.train(1);
    (void)s.metrics(true);
    (void)s.evaluate(dlplay::SplitKind::test, 4);
    const dlplay::Dataset& d = s.data();
    dlplay::Tensor y = d.y.dimension() == 1 ? dlplay::Tensor(xt::view(d.y, xt::range(0, 1)))
                                            : dlplay::Tensor(xt::view(d.y, xt::range(0, 1), xt::all()));
    dlplay::Tensor one = xt::view(d.x, xt::range(0, 1));
    const dlplay::Tensor g = s.input_gradients(one, y);
    if (g.size() != one.size()) finding("input_gradients", "shape differs from the inputs'");
  }
}

// A saved model (Session::to_json, through its text) reads back to the same predictions. A model
// whose weights went non-finite (training diverged) is refused at saving with an Error that says
// so (docs/fuzzing.md, F2, fixed); any other refusal, at saving or loading, is a finding.
inline void check_round_trip(dlplay::Session& s, std::uint32_t seed) {
  bool finite = true;
  for (const dlplay::Param& p : s.model().params())
    for (float v : *p.value) finite = finite && std::isfinite(v);
  std::string text;
  try {
    text = s.to_json().dump();
  } catch (const dlplay::Error& e) {
    const bool says = std::string(e.what()).find("cannot be saved") != std::string::npos;
    if (finite || !says) finding("round trip", std::string("saving refused: ") + e.what());
    return;
  }
  if (!finite) finding("round trip", "a diverged model was saved: " + text.substr(0, 2000));
  std::unique_ptr<dlplay::Session> loaded;
  try {
    loaded = std::make_unique<dlplay::Session>(dlplay::parse_json(text, "saved model"));
  } catch (const dlplay::Error& e) {
    finding("round trip", std::string("a saved model does not load: ") + e.what() + ": " + text);
    return;
  }
  dlplay::Session& back = *loaded;
  dlplay::Tensor x = example(s, 2, seed);
  if (back.input_shape() != s.input_shape()) finding("round trip", "input shape differs: " + text);
  const dlplay::Tensor a = s.forward(x);
  const dlplay::Tensor b = back.forward(x);
  if (!same_bits(a, b))
    finding("round trip", "predictions differ after save and load: " + text.substr(0, 2000));
}

// The engine's parse_json: every refusal is an Error (numbers out of range such as "1e400" and
// nesting deeper than kMaxJsonDepth included: docs/fuzzing.md, findings F1 and F3, fixed); any
// other exception aborts. Returns false for a rejected text.
inline bool parse(const std::string& text, Json& j) {
  try {
    j = dlplay::parse_json(text, "spec");
    return true;
  } catch (const dlplay::Error& e) {
    rejected(e);
    return false;
  }
}

}  // namespace fuzz
