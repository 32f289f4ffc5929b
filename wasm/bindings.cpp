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
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checkpoint.hpp"
#include "convert.hpp"
#include "dlplay/dlplay.hpp"
#include "marshal.hpp"
#include "shards.hpp"

namespace {

using dlplay::batch_shape;
using dlplay::clean_json_message;
using dlplay::Error;
using dlplay::Json;
using dlplay::Shape;
using dlplay::Tensor;
using emscripten::val;
using namespace dlplay::js;  // guarded, float32_copy, copy_in, … (convert.hpp)

// Marshalling only: every decision is dlplay::Session's (engine/include/dlplay/session.hpp).
class Session {
 public:
  Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // A model JSON, or a training spec (a model plus "data"). Called once, right after construction.
  val load(const std::string& text) {
    return guarded([&] {
      session_ = std::make_unique<dlplay::Session>(dlplay::parse_json(text, "spec"));
      return val::undefined();
    });
  }

  // A training spec without "data", and its data as typed arrays (the binary path for image sets):
  // x holds n examples of the model's input shape end to end (NCHW), a Uint8Array (`bytes`) or a
  // Float32Array, each value multiplied by `scale`; y (Float32Array) one class index per example,
  // or `targets` values per example (targets > 0). test_ratio < 0 keeps the spec's.
  val loadData(const std::string& text, const val& x, bool bytes, float scale, const val& y, unsigned targets,
               double test_ratio) {
    return guarded([&] {
      Json j = dlplay::parse_json(text, "spec");
      if (j.is_object() && test_ratio >= 0) j["test_ratio"] = test_ratio;
      if (!(std::isfinite(scale) && scale > 0)) throw Error("data.scale: expected a positive number");
      const auto x_length = x["length"].as<std::size_t>();
      const auto y_length = y["length"].as<std::size_t>();
      dlplay::Dataset data;
      data.x = Tensor::from_shape({x_length});
      if (bytes) {
        std::vector<std::uint8_t> raw(x_length);
        val(emscripten::typed_memory_view(raw.size(), raw.data())).call<void>("set", x);
        float* out = data.x.data();
        for (std::size_t i = 0; i < raw.size(); ++i) out[i] = static_cast<float>(raw[i]) * scale;
      } else {
        copy_in(x, data.x);
        if (scale != 1.f) data.x *= scale;
      }
      data.y = Tensor::from_shape({y_length});
      copy_in(y, data.y);
      shape_examples(j, data, targets);
      session_ = std::make_unique<dlplay::Session>(j, std::move(data));
      return val::undefined();
    });
  }

  val info() {
    return guarded([&] { return val(session().info().dump()); });
  }

  // input: Float32Array of n examples as session().input_shape(). Returns n × output size.
  val predict(const val& input, unsigned n) {
    return guarded([&] {
      const Tensor& y = session().forward(inputs(input, n));
      return float32_copy(y.data(), y.size());
    });
  }

  // What layer i outputs for these inputs, n × the layer's output size. Layer −1 is the model's input
  // (the computed features, when there are any).
  val activations(int layer, const val& input, unsigned n) {
    return guarded([&] {
      dlplay::Session& s = session();
      check_layer(layer, true);
      s.forward(inputs(input, n));
      const Tensor& a = layer < 0 ? s.model_input() : s.model().activation(static_cast<std::size_t>(layer));
      return float32_copy(a.data(), a.size());
    });
  }

  val grid(int layer, float x0, float x1, float y0, float y1, unsigned n) {
    return guarded([&] {
      const Tensor& g = session().grid(layer, x0, x1, y0, y1, n);
      return float32_copy(g.data(), g.size());
    });
  }

  // `steps` mini-batch updates, then the metrics (over both splits when `evaluate`).
  val train(unsigned steps, bool evaluate) {
    return guarded([&] {
      dlplay::Session& s = session();
      const double loss = s.train(steps);
      return metrics_to_js(loss, s.metrics(evaluate));
    });
  }

  // {weights, bias: Float32Array, shape, biasShape} of layer i (or its gradients), and for a
  // recurrent layer recurrentWeights (recurrentWeightsShape) and a GRU's recurrentBias
  // (recurrentBiasShape); empty for a layer without parameters.
  val parameters(int layer, bool gradients) {
    return guarded([&] {
      check_layer(layer, false);
      val r = val::object();
      r.set("weights", val::global("Float32Array").new_(0));
      r.set("bias", val::global("Float32Array").new_(0));
      r.set("shape", val::array());
      r.set("biasShape", val::array());
      for (const dlplay::Param& p : session().model().layer(static_cast<std::size_t>(layer)).params()) {
        const std::string name = js_name(p.name);
        const Tensor& value = *p.value;
        const Tensor* t = gradients ? p.grad : p.value;
        val data = t->size() == value.size() ? float32_copy(t->data(), t->size())
                                             : val::global("Float32Array").new_(value.size());
        r.set(name, data);
        r.set(name == "weights" ? "shape"
              : name == "bias"  ? "biasShape"
                                : name + "Shape",
              shape_array(dlplay::shape_of(value)));
      }
      return r;
    });
  }

  // Replaces layer i's parameters given in `values` ({weights, bias, recurrentWeights,
  // recurrentBias}; one left out or null stays as it is); sizes must match.
  val setParameters(int layer, const val& values) {
    return guarded([&] {
      check_layer(layer, false);
      const std::string field = "layers[" + std::to_string(layer) + "]";
      for (const dlplay::Param& p : session().model().layer(static_cast<std::size_t>(layer)).params()) {
        const val source = values[js_name(p.name)];
        if (source.isNull() || source.isUndefined()) continue;
        const auto length = source["length"].as<std::size_t>();
        if (length != p.value->size())
          throw Error(field + "." + p.name + ": expected " + std::to_string(p.value->size()) +
                      " values (shape " + dlplay::shape_string(dlplay::shape_of(*p.value)) + "), got " +
                      std::to_string(length));
        copy_in(source, *p.value);
      }
      return val::undefined();
    });
  }

  // Data-parallel training (shards.hpp): the next step's plan, a part's gradient on this session's
  // model, the update from every part's; and every parameter end to end, for the replicas.
  val planStep() {
    return guarded([&] { return plan_to_js(session().trainer().plan()); });
  }
  val shardGradient(const val& plan, unsigned part) {
    return guarded([&] { return shard_gradient_to_js(session().trainer(), plan, part, grads_); });
  }
  val applyShards(const val& plan, const val& grads, const val& losses) {
    return guarded([&] {
      dlplay::Session& s = session();
      const double loss = apply_from_js(s.trainer(), plan, grads, losses, grads_, losses_);
      return metrics_to_js(loss, s.metrics(false));
    });
  }
  val parameterVector() {
    return guarded([&] { return parameter_vector(session().model()); });
  }
  val setParameterVector(const val& values) {
    return guarded([&] {
      set_parameter_vector(session().model(), values);
      return val::undefined();
    });
  }

  // A character model: the ids of a text, and `length` characters sampled after `prefix`.
  val encode(const std::string& text) {
    return guarded([&] {
      val ids = val::array();
      for (const std::uint32_t id : session().encode(text)) ids.call<void>("push", val(id));
      return ids;
    });
  }

  val sample(const std::string& prefix, unsigned length, float temperature, double seed) {
    return guarded([&] {
      const dlplay::Session::Sample s =
          session().sample(prefix, length, temperature, static_cast<std::uint64_t>(seed));
      val ids = val::array();
      for (const std::uint32_t id : s.ids) ids.call<void>("push", val(id));
      val r = val::object();
      r.set("ids", ids);
      r.set("text", val(s.text));
      return r;
    });
  }

  val set(const std::string& text) {
    return guarded([&] {
      session().set(dlplay::parse_json(text, "hyperparameters"));
      return val::undefined();
    });
  }

  val hyperparameters() {
    return guarded([&] { return val(dlplay::hyperparameters_to_json(session().hyperparameters()).dump()); });
  }

  // seed < 0: keep the spec's.
  val reset(double seed) {
    return guarded([&] {
      if (seed >= 0)
        session().reset(static_cast<std::uint64_t>(seed));
      else
        session().reset();
      return val::undefined();
    });
  }

  // The training data: points (as given, before features; left out without `with_x`), labels, and
  // the split.
  val data(bool with_x) {
    return guarded([&] {
      dlplay::Session& s = session();
      const dlplay::Dataset& d = s.data();
      dlplay::Trainer& t = s.trainer();
      val r = val::object();
      r.set("x", with_x ? float32_copy(d.x.data(), d.x.size()) : val::null());
      r.set("xShape", shape_array(dlplay::shape_of(d.x)));
      r.set("y", float32_copy(d.y.data(), d.y.size()));
      r.set("yShape", shape_array(dlplay::shape_of(d.y)));
      r.set("classes", val(static_cast<double>(t.classes())));
      r.set("train",
            uint32_copy(std::vector<std::uint32_t>(t.train_indices().begin(), t.train_indices().end())));
      r.set("test",
            uint32_copy(std::vector<std::uint32_t>(t.test_indices().begin(), t.test_indices().end())));
      return r;
    });
  }

  val evaluate(const std::string& which, unsigned limit) {
    return guarded([&] {
      if (which != "train" && which != "test")
        throw Error("split: expected \"train\" or \"test\", got \"" + which + "\"");
      return evaluation_to_js(
          session().evaluate(which == "train" ? dlplay::SplitKind::train : dlplay::SplitKind::test, limit));
    });
  }

  val classify(const val& input, unsigned n) {
    return guarded([&] { return classification_to_js(session().classify(inputs(input, n))); });
  }

  // ∂L/∂inputs for n examples; y: n class indices, or n rows of `per` targets (`rows`).
  val inputGradients(const val& input, unsigned n, const val& y, unsigned per, bool rows) {
    return guarded([&] {
      Tensor labels = Tensor::from_shape(rows || per > 1 ? dlplay::Shape{n, per} : dlplay::Shape{n});
      if (y["length"].as<std::size_t>() != labels.size())
        throw Error("labels: expected " + std::to_string(labels.size()) + " values");
      copy_in(y, labels);
      const Tensor g = session().input_gradients(inputs(input, n), labels);
      return float32_copy(g.data(), g.size());
    });
  }

  // The training split's loss over two parameters, each {layer, index, bias}: n×n, row = b.
  val lossSurface(int la, unsigned ia, bool ba, int lb, unsigned ib, bool bb, float a0, float a1, float b0,
                  float b1, unsigned n) {
    return guarded([&] {
      const Tensor t = session().loss_surface({la, ia, ba}, {lb, ib, bb}, a0, a1, b0, b1, n);
      return float32_copy(t.data(), t.size());
    });
  }

  // Every layer's output for these inputs in one forward pass: an array of Float32Arrays (n × the
  // layer's output size each), the first one the model's input (the features, when there are any).
  val activationsAll(const val& input, unsigned n) {
    return guarded([&] {
      dlplay::Session& s = session();
      s.forward(inputs(input, n));
      val r = val::array();
      r.set(0, float32_copy(s.model_input().data(), s.model_input().size()));
      for (std::size_t i = 0; i < s.model().size(); ++i) {
        const Tensor& a = s.model().activation(i);
        r.set(i + 1, float32_copy(a.data(), a.size()));
      }
      return r;
    });
  }

  val toJSON() {
    return guarded([&] { return val(session().to_json().dump()); });
  }

  val toPyTorch() {
    return guarded([&] { return val(session().to_pytorch()); });
  }

  // The training state as a plain object of typed arrays, and back (wasm/checkpoint.hpp).
  val checkpoint() {
    return guarded([&] { return checkpoint_to_js(session().checkpoint()); });
  }

  val restore(const val& checkpoint) {
    return guarded([&] {
      session().restore(checkpoint_from_js(checkpoint));
      return val::undefined();
    });
  }

 private:
  dlplay::Session& session() {
    if (!session_) throw Error("this session holds no model");
    return *session_;
  }

  void check_layer(int layer, bool allow_input) {
    const int lo = allow_input ? -1 : 0;
    const int size = static_cast<int>(session().model().size());
    if (layer < lo || layer >= size)
      throw Error("layer: expected an index from " + std::to_string(lo) + " to " + std::to_string(size - 1) +
                  ", got " + std::to_string(layer));
  }

  // n examples from JS, shaped as the session takes them.
  const Tensor& inputs(const val& input, unsigned n) {
    if (n == 0) throw Error("input: expected at least one example");
    const dlplay::Shape& example = session().input_shape();
    const auto length = input["length"].as<std::size_t>();
    if (length != n * dlplay::shape_size(example))
      throw Error("input: each example must have shape " + dlplay::shape_string(example) + " (" +
                  std::to_string(dlplay::shape_size(example)) + " values)");
    dlplay::ensure_shape(in_, batch_shape(n, example));
    copy_in(input, in_);
    return in_;
  }

  std::unique_ptr<dlplay::Session> session_;
  Tensor in_;                   // reused across calls
  std::vector<float> grads_;    // a step's gradients in and out (shards.hpp), reused
  std::vector<double> losses_;  // its parts' losses
};

std::string simd_arch() { return dlplay::kernels::simd_arch(); }

std::string vocabulary() { return dlplay::vocab::to_json().dump(); }

// The engine's vocabulary of a text (its distinct characters, in code point order), as JSON.
val text_vocabulary(const std::string& text) {
  return guarded([&] { return val(Json(dlplay::data::text_vocabulary(text)).dump()); });
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
      .function("hyperparameters", &Session::hyperparameters)
      .function("reset", &Session::reset)
      .function("loadData", &Session::loadData)
      .function("data", &Session::data)
      .function("evaluate", &Session::evaluate)
      .function("inputGradients", &Session::inputGradients)
      .function("classify", &Session::classify)
      .function("lossSurface", &Session::lossSurface)
      .function("activationsAll", &Session::activationsAll)
      .function("toJSON", &Session::toJSON)
      .function("toPyTorch", &Session::toPyTorch)
      .function("checkpoint", &Session::checkpoint)
      .function("restore", &Session::restore)
      .function("encode", &Session::encode)
      .function("sample", &Session::sample)
      .function("planStep", &Session::planStep)
      .function("shardGradient", &Session::shardGradient)
      .function("applyShards", &Session::applyShards)
      .function("parameterVector", &Session::parameterVector)
      .function("setParameterVector", &Session::setParameterVector);
  emscripten::function("simdArch", &simd_arch);
  emscripten::function("vocabulary", &vocabulary);
  emscripten::function("textVocabulary", &text_vocabulary);
}
