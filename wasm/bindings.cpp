// Embind bindings: one Session per model (and, for a training spec, its data and trainer).
// The API is coarse on purpose: under -sDYNAMIC_EXECUTION=0 every Embind call costs ~200 ns, so
// whole tensors cross per call, copied into fresh Float32Arrays (views into the wasm heap would be
// detached by the next memory growth). wasm/dlplay.js wraps this into the public JavaScript API.
//
// Errors: every entry point catches C++ exceptions and *returns* a JavaScript Error carrying the
// engine's message; wasm/dlplay.js throws it. (Throwing from C++ with val::throw_() would unwind the
// wasm frames without running their destructors: measured, every failed call leaked its argument
// strings and the message, ~90 bytes, and the emval handles of its arguments.)
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dlplay/dlplay.hpp"
#include "dlplay/features.hpp"

namespace {

using dlplay::batch_shape;
using dlplay::clean_json_message;
using dlplay::Error;
using dlplay::Json;
using dlplay::Shape;
using dlplay::Tensor;
using emscripten::val;

// Runs f, turning any C++ exception into a returned JavaScript Error (see the top of this file).
template <class F>
val guarded(F&& f) {
  std::string message;
  try {
    return f();
  } catch (const Json::exception& e) {
    message = clean_json_message(e.what());
  } catch (const std::bad_alloc&) {
    message = "out of memory";
  } catch (const std::exception& e) {
    message = e.what();
  } catch (...) {
    message = "unexpected internal error";
  }
  return val::global("Error").new_(val(message));
}

val float32_copy(const float* data, std::size_t n) {
  return val::global("Float32Array").new_(emscripten::typed_memory_view(n, data));
}

val shape_array(const Shape& s) {
  val a = val::array();
  for (std::size_t i = 0; i < s.size(); ++i) a.set(i, val(static_cast<double>(s[i])));
  return a;
}

// A JS Float32Array (or anything Float32Array.prototype.set accepts) copied into `t`, which
// already has its shape.
void copy_in(const val& source, Tensor& t) {
  val(emscripten::typed_memory_view(t.size(), t.data())).call<void>("set", source);
}

class Session {
 public:
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // A model JSON, or a training spec (a model plus "data"). Called once, right after construction.
  val load(const std::string& text) {
    return guarded([&] {
      Json j = parse_object(text);
      if (j.contains("data")) {
        dlplay::TrainSpec spec = dlplay::parse_training(j);
        auto model = std::make_unique<dlplay::Model>(spec.model);
        features_ = spec.features;
        start_training(spec, std::move(model), dlplay::make_dataset(spec));
      } else {
        model_ = std::make_unique<dlplay::Model>(dlplay::parse_model(j));
      }
      return val::undefined();
    });
  }

  // A training spec without "data", and its data as typed arrays (the binary path for image sets):
  // x holds n examples of the model's input shape end to end (NCHW), a Uint8Array (`bytes`) or a
  // Float32Array, each value multiplied by `scale`; y (Float32Array) one class index or target row
  // per example. test_ratio < 0 keeps the spec's.
  val loadData(const std::string& text, const val& x, bool bytes, float scale, const val& y,
               double test_ratio) {
    return guarded([&] {
      Json j = parse_object(text);
      if (j.contains("data"))
        throw Error("data: given both in the spec and as arrays (leave \"data\" out of the spec)");
      if (j.contains("features"))
        throw Error("features: computed features need 2-D points in the spec's data");
      // A one-example stand-in, so that the spec is parsed and checked exactly like any other.
      std::size_t example_size = 1;
      if (j.contains("input") && j["input"].is_array())
        for (const Json& d : j["input"])
          if (d.is_number_unsigned() && d.get<std::uint64_t>() >= 1 &&
              d.get<std::uint64_t>() <= dlplay::kMaxExampleSize)
            example_size =
                std::min<std::size_t>(example_size * d.get<std::size_t>(), dlplay::kMaxExampleSize);
      j["data"] = {{"x", Json::array({Json(std::vector<float>(example_size, 0.f))})},
                   {"y", Json::array({0})}};
      if (test_ratio >= 0) j["data"]["test_ratio"] = test_ratio;
      dlplay::TrainSpec spec = dlplay::parse_training(j);
      auto model = std::make_unique<dlplay::Model>(spec.model);
      const Shape& example = model->input_shape();
      const std::size_t size = dlplay::shape_size(example);
      const auto y_length = y["length"].as<std::size_t>();
      if (y_length == 0) throw Error("y: expected at least one label");
      const std::size_t x_length = x["length"].as<std::size_t>();
      if (x_length % size != 0 || x_length == 0)
        throw Error("x: " + std::to_string(x_length) + " values are not whole examples of shape " +
                    dlplay::shape_string(example) + " (" + std::to_string(size) + " values each)");
      const std::size_t n = x_length / size;
      if (y_length % n != 0)
        throw Error("y: expected one label (or one row of targets) per example (" + std::to_string(n) +
                    "), got " + std::to_string(y_length) + " values");
      if (!(std::isfinite(scale) && scale > 0)) throw Error("scale: expected a positive number");
      dlplay::Dataset data;
      data.x = Tensor::from_shape(batch_shape(n, example));
      if (bytes) {
        std::vector<std::uint8_t> raw(x_length);
        val(emscripten::typed_memory_view(raw.size(), raw.data())).call<void>("set", x);
        float* out = data.x.data();
        for (std::size_t i = 0; i < raw.size(); ++i) out[i] = static_cast<float>(raw[i]) * scale;
      } else {
        copy_in(x, data.x);
        if (scale != 1.f) data.x *= scale;
      }
      data.y = Tensor::from_shape(y_length == n ? Shape{n} : Shape{n, y_length / n});
      copy_in(y, data.y);
      features_.clear();
      start_training(spec, std::move(model), std::move(data));
      return val::undefined();
    });
  }

  // Everything that does not change while training, as JSON: shapes, layers, loss, features.
  val info() {
    return guarded([&] {
      dlplay::Model& m = model();
      Json layers = Json::array();
      for (std::size_t i = 0; i < m.size(); ++i) {
        dlplay::Layer& l = m.layer(i);
        Json lj = {{"type", l.type()},
                   {"inputShape", l.input_shape()},
                   {"outputShape", l.output_shape()},
                   {"params", l.param_count()},
                   {"activation", dlplay::activation_name(l.activation())}};
        layers.push_back(std::move(lj));
      }
      Json j = {{"inputShape", features_.empty() ? m.input_shape() : Shape{2}},
                {"modelInputShape", m.input_shape()},
                {"outputShape", m.output_shape()},
                {"params", m.param_count()},
                {"features", features_},
                {"layers", std::move(layers)},
                {"trainable", trainer_ != nullptr},
                {"simd", dlplay::kernels::simd_arch()}};
      if (trainer_) {
        j["loss"] = dlplay::loss_name(trainer_->spec().loss);
        j["classes"] = trainer_->data().classes;
        j["trainSize"] = trainer_->train_indices().size();
        j["testSize"] = trainer_->test_indices().size();
      }
      return val(j.dump());
    });
  }

  // input: Float32Array of n examples (2-D points when the spec computes features). Returns the
  // outputs, n × output size.
  val predict(const val& input, unsigned n) {
    return guarded([&] {
      const Tensor& y = forward(input, n);
      return float32_copy(y.data(), y.size());
    });
  }

  // What layer i outputs for these inputs, n × the layer's output size. Layer −1 is the model's input
  // (the computed features, when there are any).
  val activations(int layer, const val& input, unsigned n) {
    return guarded([&] {
      check_layer(layer, true);
      forward(input, n);
      const Tensor& a = layer < 0 ? x_ : model().activation(static_cast<std::size_t>(layer));
      return float32_copy(a.data(), a.size());
    });
  }

  // Every unit of layer i (−1: the model's input) over an n×n grid of the 2-D input:
  // out[u][r][c] is unit u at x = x0 + (x1 − x0)·c/(n − 1), y = y0 + (y1 − y0)·r/(n − 1).
  val grid(int layer, float x0, float x1, float y0, float y1, unsigned n) {
    return guarded([&] {
      check_layer(layer, true);
      const Shape in = features_.empty() ? model().input_shape() : Shape{2};
      if (in != Shape{2})
        throw Error("grid: the model's input is " + dlplay::shape_string(in) + ", not 2-D points");
      if (n < 1 || n > 2048) throw Error("grid: n must be between 1 and 2048, got " + std::to_string(n));
      const std::size_t points = static_cast<std::size_t>(n) * n;
      const Shape& unit_shape = layer < 0 ? model().input_shape() : model().layer(layer).output_shape();
      const std::size_t units = dlplay::shape_size(unit_shape);
      Tensor& out = grid_;
      dlplay::ensure_shape(out, {units, points});
      const float dx = n > 1 ? (x1 - x0) / static_cast<float>(n - 1) : 0.f;
      const float dy = n > 1 ? (y1 - y0) / static_cast<float>(n - 1) : 0.f;
      constexpr std::size_t kChunk = 4096;
      for (std::size_t start = 0; start < points; start += kChunk) {
        const std::size_t count = std::min(kChunk, points - start);
        dlplay::ensure_shape(points_in_, {count, std::size_t{2}});
        for (std::size_t p = 0; p < count; ++p) {
          const std::size_t r = (start + p) / n, c = (start + p) % n;
          points_in_(p, 0) = x0 + dx * static_cast<float>(c);
          points_in_(p, 1) = y0 + dy * static_cast<float>(r);
        }
        forward_points(points_in_);
        const Tensor& a = layer < 0 ? x_ : model().activation(static_cast<std::size_t>(layer));
        for (std::size_t p = 0; p < count; ++p)
          for (std::size_t u = 0; u < units; ++u) out(u, start + p) = a.data()[p * units + u];
      }
      return float32_copy(out.data(), out.size());
    });
  }

  // `steps` mini-batch updates, then the metrics over the train and test splits (when `evaluate`).
  val train(unsigned steps, bool evaluate) {
    return guarded([&] {
      dlplay::Trainer& t = trainer();
      const double loss = t.train(steps);
      val r = val::object();
      r.set("loss", val(loss));
      if (evaluate) {
        const dlplay::Metrics m = t.evaluate();
        r.set("step", val(static_cast<double>(m.step)));
        r.set("epoch", val(m.epoch));
        r.set("trainLoss", val(m.train_loss));
        r.set("testLoss", m.has_test ? val(m.test_loss) : val::null());
        r.set("trainAccuracy", m.train_accuracy >= 0 ? val(m.train_accuracy) : val::null());
        r.set("testAccuracy", m.test_accuracy >= 0 ? val(m.test_accuracy) : val::null());
        r.set("diverged", val(m.diverged));
      } else {
        r.set("step", val(static_cast<double>(t.steps_done())));
        r.set("diverged", val(t.diverged()));
      }
      return r;
    });
  }

  // {weights, bias: Float32Array, shape, biasShape} of layer i (or its gradients); empty for a
  // layer without parameters.
  val parameters(int layer, bool gradients) {
    return guarded([&] {
      check_layer(layer, false);
      val r = val::object();
      r.set("weights", val::global("Float32Array").new_(0));
      r.set("bias", val::global("Float32Array").new_(0));
      r.set("shape", val::array());
      r.set("biasShape", val::array());
      for (const dlplay::Param& p : model().layer(static_cast<std::size_t>(layer)).params()) {
        const std::string name = p.name;
        const Tensor& value = *p.value;
        const Tensor* t = gradients ? p.grad : p.value;
        val data = t->size() == value.size() ? float32_copy(t->data(), t->size())
                                             : val::global("Float32Array").new_(value.size());
        if (name == "weights") {
          r.set("weights", data);
          r.set("shape", shape_array(dlplay::shape_of(value)));
        } else if (name == "bias") {
          r.set("bias", data);
          r.set("biasShape", shape_array(dlplay::shape_of(value)));
        }
      }
      return r;
    });
  }

  // Replaces layer i's weights and/or bias (null leaves one as it is); sizes must match.
  val setParameters(int layer, const val& weights, const val& bias) {
    return guarded([&] {
      check_layer(layer, false);
      const std::string field = "layers[" + std::to_string(layer) + "]";
      for (const dlplay::Param& p : model().layer(static_cast<std::size_t>(layer)).params()) {
        const std::string name = p.name;
        const val& source = name == "weights" ? weights : bias;
        if (source.isNull() || source.isUndefined()) continue;
        const auto length = source["length"].as<std::size_t>();
        if (length != p.value->size())
          throw Error(field + "." + name + ": expected " + std::to_string(p.value->size()) +
                      " values (shape " + dlplay::shape_string(dlplay::shape_of(*p.value)) + "), got " +
                      std::to_string(length));
        copy_in(source, *p.value);
      }
      return val::undefined();
    });
  }

  // Hyper-parameters while training: a JSON object of lr, momentum, batch, optimizer, regularization…
  val set(const std::string& text) {
    return guarded([&] {
      dlplay::Trainer& t = trainer();
      const Json j = dlplay::parse_json(text, "hyperparameters");
      dlplay::TrainSpec spec = t.spec();
      dlplay::parse_hyperparameters(j, spec);
      t.set(spec);
      return val::undefined();
    });
  }

  // The training data: points (as given, before features; left out without `with_x`), labels, and
  // the split.
  val data(bool with_x) {
    return guarded([&] {
      dlplay::Trainer& t = trainer();
      const Tensor& x = features_.empty() ? t.data().x : points_;
      const Tensor& y = t.data().y;
      val r = val::object();
      r.set("x", with_x ? float32_copy(x.data(), x.size()) : val::null());
      r.set("xShape", shape_array(dlplay::shape_of(x)));
      r.set("y", float32_copy(y.data(), y.size()));
      r.set("yShape", shape_array(dlplay::shape_of(y)));
      r.set("classes", val(static_cast<double>(t.data().classes)));
      auto indices = [](const std::vector<std::size_t>& v) {
        std::vector<std::uint32_t> u(v.begin(), v.end());
        return val::global("Uint32Array").new_(emscripten::typed_memory_view(u.size(), u.data()));
      };
      r.set("train", indices(t.train_indices()));
      r.set("test", indices(t.test_indices()));
      return r;
    });
  }

  // The model's outputs for the examples of a split ("train" or "test"), in the order of data()'s
  // indices, the first `limit` of them (0: all): one Float32Array, examples × output size.
  val splitOutputs(const std::string& which, unsigned limit) {
    return guarded([&] {
      dlplay::Trainer& t = trainer();
      if (which != "train" && which != "test")
        throw Error("split: expected \"train\" or \"test\", got \"" + which + "\"");
      const std::vector<std::size_t>& idx = which == "train" ? t.train_indices() : t.test_indices();
      const std::size_t n = limit ? std::min<std::size_t>(limit, idx.size()) : idx.size();
      const Tensor& all = t.data().x;
      const Shape& example = model().input_shape();
      const std::size_t size = dlplay::shape_size(example), k = dlplay::shape_size(model().output_shape());
      Tensor& out = grid_;
      dlplay::ensure_shape(out, {n, k});
      constexpr std::size_t kChunk = 256;
      for (std::size_t start = 0; start < n; start += kChunk) {
        const std::size_t count = std::min(kChunk, n - start);
        dlplay::ensure_shape(x_, batch_shape(count, example));
        for (std::size_t i = 0; i < count; ++i)
          std::copy_n(all.data() + idx[start + i] * size, size, x_.data() + i * size);
        const Tensor& y = model().forward(x_, false);
        std::copy_n(y.data(), count * k, out.data() + start * k);
      }
      return float32_copy(out.data(), n * k);
    });
  }

  // Every layer's output for these inputs in one forward pass: an array of Float32Arrays (n × the
  // layer's output size each), the first one the model's input (the features, when there are any).
  val activationsAll(const val& input, unsigned n) {
    return guarded([&] {
      forward(input, n);
      val r = val::array();
      r.set(0, float32_copy(x_.data(), x_.size()));
      for (std::size_t i = 0; i < model().size(); ++i) {
        const Tensor& a = model().activation(i);
        r.set(i + 1, float32_copy(a.data(), a.size()));
      }
      return r;
    });
  }

  val toJSON() {
    return guarded([&] { return val(model().to_json().dump()); });
  }

 private:
  dlplay::Model& model() {
    if (!model_) throw Error("this session holds no model");
    return *model_;
  }
  dlplay::Trainer& trainer() {
    if (!trainer_) throw Error("this session has no training data (its spec has no \"data\")");
    return *trainer_;
  }
  static Json parse_object(const std::string& text) {
    Json j = dlplay::parse_json(text, "spec");
    if (!j.is_object()) throw Error("spec: expected a JSON object (a model or a training spec)");
    return j;
  }

  // The trainer over `data` (classes as many as the output has units, or as the labels need, like
  // the CLI); `points_` keeps the data as given only when features are computed from it.
  void start_training(const dlplay::TrainSpec& spec, std::unique_ptr<dlplay::Model> model,
                      dlplay::Dataset data) {
    if (spec.data.name == "inline" && data.classes == 0 && data.y.dimension() == 1 && data.size() > 0) {
      const float top = *std::max_element(data.y.begin(), data.y.end());
      const std::size_t units = dlplay::shape_size(model->output_shape());
      if (top >= 0)
        data.classes = std::max<std::size_t>(units > 1 ? units : 2, static_cast<std::size_t>(top) + 1);
    }
    if (!features_.empty()) points_ = data.x;
    auto trainer = std::make_unique<dlplay::Trainer>(*model, std::move(data), spec);
    model_ = std::move(model);
    trainer_ = std::move(trainer);
  }

  void check_layer(int layer, bool allow_input) {
    const int lo = allow_input ? -1 : 0;
    if (layer < lo || layer >= static_cast<int>(model().size()))
      throw Error("layer: expected an index from " + std::to_string(lo) + " to " +
                  std::to_string(static_cast<int>(model().size()) - 1) + ", got " + std::to_string(layer));
  }

  // Copies n examples from JS and runs the model (features computed first, when the spec has them).
  const Tensor& forward(const val& input, unsigned n) {
    if (n == 0) throw Error("input: expected at least one example");
    const Shape example = features_.empty() ? model().input_shape() : Shape{2};
    const auto length = input["length"].as<std::size_t>();
    if (length != n * dlplay::shape_size(example))
      throw Error("input: each example must have shape " + dlplay::shape_string(example) + " (" +
                  std::to_string(dlplay::shape_size(example)) + " values)");
    dlplay::ensure_shape(in_, batch_shape(n, example));
    copy_in(input, in_);
    return forward_points(in_);
  }

  const Tensor& forward_points(const Tensor& in) {
    if (features_.empty()) {
      dlplay::ensure_shape(x_, in.shape());
      std::copy(in.begin(), in.end(), x_.begin());
    } else {
      x_ = dlplay::features::apply(in, features_);
    }
    return model().forward(x_, false);
  }

  std::unique_ptr<dlplay::Model> model_;
  std::unique_ptr<dlplay::Trainer> trainer_;
  std::vector<std::string> features_;
  Tensor points_;                     // the training data as given, when features are computed from it
  Tensor in_, x_, points_in_, grid_;  // buffers reused across calls
};

// Heap figures for leak tests: the wasm memory's size, and the bytes malloc has handed out.
val memory() {
  struct mallinfo mi = mallinfo();
  val r = val::object();
  r.set("heapSize", val(static_cast<double>(emscripten_get_heap_size())));
  r.set("allocated", val(static_cast<double>(mi.uordblks)));
  return r;
}

std::string simd_arch() { return dlplay::kernels::simd_arch(); }

// For the benchmark: `reps` products C = A·B of n×n matrices through the engine's GEMM; returns the
// seconds the products took (filling A and B is not timed).
double bench_gemm(unsigned n, unsigned reps) {
  std::vector<float> a(std::size_t{n} * n), b(a.size()), c(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<float>(i % 17) / 17.f - 0.5f;
    b[i] = static_cast<float>(i % 13) / 13.f - 0.5f;
  }
  const double t0 = emscripten_get_now();
  for (unsigned r = 0; r < reps; ++r)
    dlplay::kernels::gemm(false, false, n, n, n, 1.f, a.data(), n, b.data(), n, 0.f, c.data(), n);
  return (emscripten_get_now() - t0) / 1000.0;
}

}  // namespace

EMSCRIPTEN_BINDINGS(dlplay_engine) {
  emscripten::class_<Session>("Session")
      .constructor<>()
      .function("load", &Session::load)
      .function("info", &Session::info)
      .function("predict", &Session::predict)
      .function("activations", &Session::activations)
      .function("grid", &Session::grid)
      .function("train", &Session::train)
      .function("parameters", &Session::parameters)
      .function("setParameters", &Session::setParameters)
      .function("set", &Session::set)
      .function("loadData", &Session::loadData)
      .function("data", &Session::data)
      .function("splitOutputs", &Session::splitOutputs)
      .function("activationsAll", &Session::activationsAll)
      .function("toJSON", &Session::toJSON);
  emscripten::function("memory", &memory);
  emscripten::function("simdArch", &simd_arch);
  emscripten::function("benchGemm", &bench_gemm);
}
