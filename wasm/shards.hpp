// Data-parallel training's conversions (engine/include/dlplay/trainer.hpp, Plan): a step's plan to
// a plain JavaScript object a worker can be sent, and back; a part's gradient; the update. The
// engine decides everything: the batch, the parts, the masks' generators, the sum's order.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "convert.hpp"
#include "marshal.hpp"

namespace dlplay::js {

// {batch: Uint32Array, shards, rngs: [{state: hex, spare: number | null}]}
inline val plan_to_js(const Trainer::Plan& p) {
  std::vector<std::uint32_t> batch(p.batch.begin(), p.batch.end());
  val r = val::object();
  r.set("batch", uint32_copy(batch));
  r.set("shards", val(static_cast<double>(p.shards)));
  val rngs = val::array();
  for (std::size_t i = 0; i < p.rngs.size(); ++i) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(p.rngs[i].state));
    val g = val::object();
    g.set("state", val(std::string(hex)));
    g.set("spare", p.rngs[i].has_spare ? val(p.rngs[i].spare) : val::null());
    rngs.set(i, g);
  }
  r.set("rngs", rngs);
  return r;
}

inline Trainer::Plan plan_from_js(const val& v) {
  if (v.isNull() || v.isUndefined() || v.typeOf().as<std::string>() != "object")
    throw Error("plan: expected a step's plan (from planStep())");
  Trainer::Plan p;
  const val batch = v["batch"];
  if (batch.isUndefined() || batch.isNull()) throw Error("plan.batch: missing");
  std::vector<std::uint32_t> ids(batch["length"].as<std::size_t>());
  val(emscripten::typed_memory_view(ids.size(), ids.data())).call<void>("set", batch);
  p.batch.assign(ids.begin(), ids.end());
  const double shards = v["shards"].isNumber() ? v["shards"].as<double>() : 0;
  if (!(shards >= 1 && shards <= vocab::range::shards.max &&
        shards == static_cast<double>(static_cast<int>(shards))))
    throw Error("plan.shards: expected a whole number from 1 to " +
                std::to_string(static_cast<int>(vocab::range::shards.max)));
  p.shards = static_cast<std::size_t>(shards);
  const val rngs = v["rngs"];
  const std::size_t n = rngs.isArray() ? rngs["length"].as<std::size_t>() : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string hex = rngs[i]["state"].isString() ? rngs[i]["state"].as<std::string>() : "";
    if (hex.size() != 16 || hex.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw Error("plan.rngs[" + std::to_string(i) + "].state: expected 16 hexadecimal digits");
    Rng::State s;
    s.state = std::stoull(hex, nullptr, 16);
    const val spare = rngs[i]["spare"];
    s.has_spare = spare.isNumber();
    s.spare = s.has_spare ? spare.as<double>() : 0;
    p.rngs.push_back(s);
  }
  return p;
}

// {gradient: Float32Array, loss}: part `part` of the plan on this session's model. `grad` is the
// caller's buffer, reused from step to step (as `grads` and `losses` below).
inline val shard_gradient_to_js(Trainer& t, const val& plan, unsigned part, std::vector<float>& grad) {
  const Trainer::Plan p = plan_from_js(plan);
  grad.resize(t.gradient_size());
  const double loss = t.shard_gradient(p, part, grad.data());
  val r = val::object();
  r.set("gradient", float32_copy(grad.data(), grad.size()));
  r.set("loss", val(loss));
  return r;
}

// The update from every part's gradient (Float32Array of shards × gradient size) and loss sums.
inline double apply_from_js(Trainer& t, const val& plan, const val& grads, const val& losses,
                            std::vector<float>& g, std::vector<double>& l) {
  const Trainer::Plan p = plan_from_js(plan);
  const std::size_t size = p.shards * t.gradient_size();
  if (grads["length"].as<std::size_t>() != size)
    throw Error("gradients: expected " + std::to_string(size) + " values (" + std::to_string(p.shards) +
                " parts of " + std::to_string(t.gradient_size()) + "), got " +
                std::to_string(grads["length"].as<std::size_t>()));
  if (losses["length"].as<std::size_t>() != p.shards)
    throw Error("losses: expected one per part (" + std::to_string(p.shards) + ")");
  g.resize(size);
  val(emscripten::typed_memory_view(g.size(), g.data())).call<void>("set", grads);
  l.resize(p.shards);
  val(emscripten::typed_memory_view(l.size(), l.data())).call<void>("set", losses);
  return t.apply(p, g.data(), l.data());
}

// Every parameter of the model end to end (Model::parameter_vector), and back.
inline val parameter_vector(Model& m) {
  const std::vector<float> all = m.parameter_vector();
  return float32_copy(all.data(), all.size());
}

inline void set_parameter_vector(Model& m, const val& values) {
  std::vector<float> all(values["length"].as<std::size_t>());
  val(emscripten::typed_memory_view(all.size(), all.data())).call<void>("set", values);
  m.set_parameter_vector(all.data(), all.size());
}

}  // namespace dlplay::js
