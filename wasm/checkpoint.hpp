// A dlplay::Checkpoint (engine/include/dlplay/checkpoint.hpp) as a JavaScript object and back, for
// the bindings: conversion only (what a checkpoint must hold to fit a session, Session::restore
// decides). The object is plain data, so structuredClone, postMessage and IndexedDB keep it: every
// float array a Float32Array (bit for bit, NaN included), the epoch order a Uint32Array, 64-bit
// values as two uint32 halves or hex text. Its shape is the Checkpoint type of wasm/dlplay.d.ts.
#pragma once

#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "convert.hpp"
#include "dlplay/dlplay.hpp"

namespace dlplay::js {

namespace checkpoint_detail {

inline val rng_to_js(const Rng::State& s) {
  val r = val::object();
  val halves = val::array();
  halves.set(0, val(static_cast<double>(static_cast<std::uint32_t>(s.state))));
  halves.set(1, val(static_cast<double>(static_cast<std::uint32_t>(s.state >> 32))));
  r.set("state", halves);
  r.set("spare", s.has_spare ? val(s.spare) : val::null());
  return r;
}

inline val strings_to_js(const std::vector<std::string>& v) {
  val a = val::array();
  for (std::size_t i = 0; i < v.size(); ++i) a.set(i, val(v[i]));
  return a;
}

inline val hyperparameters_to_js(const Hyperparameters& h) {
  const OptimizerSpec& o = h.optimizer;
  val opt = val::object();
  opt.set("type", val(vocab::optimizers().at(static_cast<std::size_t>(o.type))));
  opt.set("lr", val(o.lr));
  opt.set("momentum", val(o.momentum));
  opt.set("nesterov", val(o.nesterov));
  opt.set("beta1", val(o.beta1));
  opt.set("beta2", val(o.beta2));
  opt.set("rho", val(o.rho));
  opt.set("epsilon", val(o.epsilon));
  val r = val::object();
  r.set("optimizer", opt);
  r.set("batch", val(static_cast<double>(h.batch)));
  r.set("regularization", val(vocab::regularizations().at(static_cast<std::size_t>(h.regularization))));
  r.set("regularization_rate", val(h.regularization_rate));
  return r;
}

// Reading: every value checked for its kind, the error naming its path ("checkpoint.layers[0].type").

inline bool is_object(const val& v) { return !v.isNull() && v.typeOf().as<std::string>() == "object"; }

inline val field(const val& o, const char* name, const std::string& path) {
  val v = o[name];
  if (v.isUndefined()) throw Error(path + "." + name + ": missing");
  return v;
}

inline val object(const val& o, const char* name, const std::string& path) {
  val v = field(o, name, path);
  if (!is_object(v) || v.isArray()) throw Error(path + "." + name + ": expected an object");
  return v;
}

inline val array(const val& o, const char* name, const std::string& path) {
  val v = field(o, name, path);
  if (!v.isArray()) throw Error(path + "." + name + ": expected an array");
  return v;
}

inline std::size_t length(const val& a) { return a["length"].as<std::size_t>(); }

inline std::uint64_t whole(const val& v, const std::string& where, double max) {
  if (!v.isNumber()) throw Error(where + ": expected a whole number");
  const double d = v.as<double>();
  if (!(std::isfinite(d) && d >= 0 && d <= max && std::floor(d) == d))
    throw Error(where + ": expected a whole number from 0 to " +
                std::to_string(static_cast<std::uint64_t>(max)));
  return static_cast<std::uint64_t>(d);
}

inline std::size_t size(const val& o, const char* name, const std::string& path) {
  constexpr double kMax = std::numeric_limits<std::size_t>::max() < 9007199254740992.0
                              ? static_cast<double>(std::numeric_limits<std::size_t>::max())
                              : 9007199254740992.0;
  return static_cast<std::size_t>(whole(field(o, name, path), path + "." + name, kMax));
}

inline float number(const val& o, const char* name, const std::string& path) {
  val v = field(o, name, path);
  if (!v.isNumber()) throw Error(path + "." + name + ": expected a number");
  return static_cast<float>(v.as<double>());
}

inline bool boolean(const val& o, const char* name, const std::string& path) {
  val v = field(o, name, path);
  if (v.typeOf().as<std::string>() != "boolean") throw Error(path + "." + name + ": expected true or false");
  return v.as<bool>();
}

inline std::string string(const val& o, const char* name, const std::string& path) {
  val v = field(o, name, path);
  if (!v.isString()) throw Error(path + "." + name + ": expected a string");
  return v.as<std::string>();
}

inline std::vector<std::string> strings(const val& o, const char* name, const std::string& path) {
  val a = array(o, name, path);
  std::vector<std::string> out;
  for (std::size_t i = 0, n = length(a); i < n; ++i) {
    if (!a[i].isString()) throw Error(path + "." + name + "[" + std::to_string(i) + "]: expected a string");
    out.push_back(a[i].as<std::string>());
  }
  return out;
}

inline Shape shape(const val& o, const char* name, const std::string& path) {
  val a = array(o, name, path);
  Shape out;
  for (std::size_t i = 0, n = length(a); i < n; ++i)
    out.push_back(static_cast<std::size_t>(whole(a[i], path + "." + name + "[" + std::to_string(i) + "]",
                                                 static_cast<double>(kMaxLayerParams))));
  return out;
}

inline Tensor floats(const val& o, const char* name, const std::string& path) {
  val v = field(o, name, path);
  if (!v.instanceof (val::global("Float32Array")))
    throw Error(path + "." + name + ": expected a Float32Array");
  Tensor t = Tensor::from_shape({length(v)});
  copy_in(v, t);
  return t;
}

inline std::size_t choice(const std::string& s, const std::vector<std::string>& names,
                          const std::string& where) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return i;
  throw Error(where + ": unknown value '" + s + "'");
}

inline Rng::State rng_from_js(const val& r, const std::string& path) {
  if (!is_object(r) || r.isArray()) throw Error(path + ": expected {state: [low, high], spare}");
  val halves = array(r, "state", path);
  if (length(halves) != 2) throw Error(path + ".state: expected two 32-bit halves [low, high]");
  Rng::State s;
  s.state = whole(halves[0], path + ".state[0]", 4294967295.0) |
            whole(halves[1], path + ".state[1]", 4294967295.0) << 32;
  val spare = field(r, "spare", path);
  if (!spare.isNull()) {
    if (!spare.isNumber()) throw Error(path + ".spare: expected a number or null");
    s.has_spare = true;
    s.spare = spare.as<double>();
  }
  return s;
}

inline Hyperparameters hyperparameters_from_js(const val& o, const std::string& path) {
  Hyperparameters h;
  const std::string op = path + ".optimizer";
  val opt = object(o, "optimizer", path);
  h.optimizer.type =
      static_cast<OptimizerKind>(choice(string(opt, "type", op), vocab::optimizers(), op + ".type"));
  h.optimizer.lr = number(opt, "lr", op);
  h.optimizer.momentum = number(opt, "momentum", op);
  h.optimizer.nesterov = boolean(opt, "nesterov", op);
  h.optimizer.beta1 = number(opt, "beta1", op);
  h.optimizer.beta2 = number(opt, "beta2", op);
  h.optimizer.rho = number(opt, "rho", op);
  h.optimizer.epsilon = number(opt, "epsilon", op);
  h.batch = size(o, "batch", path);
  h.regularization = static_cast<Regularization>(
      choice(string(o, "regularization", path), vocab::regularizations(), path + ".regularization"));
  h.regularization_rate = number(o, "regularization_rate", path);
  return h;
}

}  // namespace checkpoint_detail

inline val checkpoint_to_js(const Checkpoint& c) {
  using namespace checkpoint_detail;
  val layers = val::array();
  for (std::size_t i = 0; i < c.layers.size(); ++i) {
    const Checkpoint::Layer& l = c.layers[i];
    val params = val::array();
    for (std::size_t j = 0; j < l.params.size(); ++j) {
      const Checkpoint::Param& p = l.params[j];
      val q = val::object();
      q.set("name", val(p.name));
      q.set("shape", shape_array(p.shape));
      q.set("value", float32_copy(p.value.data(), p.value.size()));
      q.set("gradient", float32_copy(p.gradient.data(), p.gradient.size()));
      q.set("m", float32_copy(p.m.data(), p.m.size()));
      q.set("v", float32_copy(p.v.data(), p.v.size()));
      params.set(j, q);
    }
    val o = val::object();
    o.set("type", val(l.type));
    o.set("activation", val(l.activation));
    o.set("inputShape", shape_array(l.input_shape));
    o.set("outputShape", shape_array(l.output_shape));
    o.set("params", params);
    o.set("rng", l.rng ? rng_to_js(*l.rng) : val::null());
    layers.set(i, o);
  }
  val r = val::object();
  r.set("format", val(std::string("dlplay-checkpoint")));
  r.set("version", val(c.version));
  r.set("layers", layers);
  r.set("features", strings_to_js(c.features));
  r.set("loss", val(c.loss));
  r.set("classes", val(static_cast<double>(c.classes)));
  r.set("trainSize", val(static_cast<double>(c.train_size)));
  r.set("testSize", val(static_cast<double>(c.test_size)));
  r.set("dataHash", val(fingerprint_string(c.data_hash)));
  r.set("seed", val(static_cast<double>(c.seed)));
  r.set("hyperparameters", hyperparameters_to_js(c.hyper));
  r.set("optimizerSteps", val(static_cast<double>(c.optimizer_steps)));
  r.set("step", val(static_cast<double>(c.step)));
  r.set("examples", val(static_cast<double>(c.examples)));
  r.set("order", uint32_copy(c.order));
  r.set("cursor", val(static_cast<double>(c.cursor)));
  r.set("rng", rng_to_js(c.rng));
  r.set("diverged", val(c.diverged));
  return r;
}

inline Checkpoint checkpoint_from_js(const val& o) {
  using namespace checkpoint_detail;
  const std::string path = "checkpoint";
  if (!is_object(o) || o.isArray()) throw Error(path + ": expected an object from checkpoint()");
  val format = o["format"];
  if (!format.isString() || format.as<std::string>() != "dlplay-checkpoint")
    throw Error(path + ".format: expected \"dlplay-checkpoint\" (an object from checkpoint())");
  Checkpoint c;
  c.version = static_cast<int>(whole(field(o, "version", path), path + ".version", 1e6));
  val layers = array(o, "layers", path);
  for (std::size_t i = 0, n = length(layers); i < n; ++i) {
    const std::string lp = path + ".layers[" + std::to_string(i) + "]";
    val l = layers[i];
    if (!is_object(l) || l.isArray()) throw Error(lp + ": expected an object");
    Checkpoint::Layer cl;
    cl.type = string(l, "type", lp);
    cl.activation = string(l, "activation", lp);
    cl.input_shape = shape(l, "inputShape", lp);
    cl.output_shape = shape(l, "outputShape", lp);
    val params = array(l, "params", lp);
    for (std::size_t j = 0, m = length(params); j < m; ++j) {
      const std::string pp = lp + ".params[" + std::to_string(j) + "]";
      val p = params[j];
      if (!is_object(p) || p.isArray()) throw Error(pp + ": expected an object");
      Checkpoint::Param cp;
      cp.name = string(p, "name", pp);
      cp.shape = shape(p, "shape", pp);
      cp.value = floats(p, "value", pp);
      cp.gradient = floats(p, "gradient", pp);
      cp.m = floats(p, "m", pp);
      cp.v = floats(p, "v", pp);
      cl.params.push_back(std::move(cp));
    }
    val rng = field(l, "rng", lp);
    if (!rng.isNull()) cl.rng = rng_from_js(rng, lp + ".rng");
    c.layers.push_back(std::move(cl));
  }
  c.features = strings(o, "features", path);
  c.loss = string(o, "loss", path);
  c.classes = size(o, "classes", path);
  c.train_size = size(o, "trainSize", path);
  c.test_size = size(o, "testSize", path);
  c.data_hash = parse_fingerprint(string(o, "dataHash", path), path + ".dataHash");
  c.seed = whole(field(o, "seed", path), path + ".seed", 9007199254740992.0);
  c.hyper = hyperparameters_from_js(object(o, "hyperparameters", path), path + ".hyperparameters");
  c.optimizer_steps = size(o, "optimizerSteps", path);
  c.step = size(o, "step", path);
  c.examples = size(o, "examples", path);
  val order = field(o, "order", path);
  if (!order.instanceof (val::global("Uint32Array"))) throw Error(path + ".order: expected a Uint32Array");
  c.order.resize(length(order));
  val(emscripten::typed_memory_view(c.order.size(), c.order.data())).call<void>("set", order);
  c.cursor = size(o, "cursor", path);
  c.rng = rng_from_js(field(o, "rng", path), path + ".rng");
  c.diverged = boolean(o, "diverged", path);
  return c;
}

}  // namespace dlplay::js
