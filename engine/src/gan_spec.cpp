// The GAN spec (docs/gan.md): parsing with errors that name the field, and the real distributions.
#include <algorithm>
#include <cmath>

#include "dlplay/gan.hpp"

namespace dlplay {
namespace {

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  throw Error(field + ": " + what);
}

std::string kind_of(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "the number " + j.dump();
  if (j.is_string()) return "the string " + j.dump();
  if (j.is_array()) return "an array";
  return "an object";
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

void check_object(const Json& j, const std::string& field, const std::vector<std::string>& allowed) {
  if (!j.is_object()) fail(field, "expected an object, got " + kind_of(j));
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      fail(field + "." + it.key(), "unknown field (expected one of " + join(allowed) + ")");
}

std::size_t get_size(const Json& j, const std::string& field, std::size_t lo, std::size_t hi) {
  const std::string expected =
      "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!j.is_number_integer()) fail(field, expected + ", got " + kind_of(j));
  if (j.is_number_unsigned()
          ? j.get<std::uint64_t>() > hi
          : (j.get<std::int64_t>() < 0 || static_cast<std::uint64_t>(j.get<std::int64_t>()) > hi))
    fail(field, expected + ", got " + j.dump());
  const auto v = static_cast<std::size_t>(j.get<std::uint64_t>());
  if (v < lo) fail(field, expected + ", got " + j.dump());
  return v;
}

float get_float(const Json& j, const std::string& field, double lo, double hi) {
  if (!j.is_number()) fail(field, "expected a number, got " + kind_of(j));
  const double v = j.get<double>();
  if (!std::isfinite(v) || v < lo || v > hi)
    fail(field, "expected a number from " + Json(lo).dump() + " to " + Json(hi).dump() + ", got " + j.dump());
  return static_cast<float>(v);
}

// An engine Error from parsing a part of the spec, its field path put under `prefix`: "layers[1]…"
// becomes "generator.layers[1]…", and a message about the part as a whole ("model: …") names it.
[[noreturn]] void rethrow_under(const Error& e, const std::string& prefix, const std::string& whole) {
  const std::string m = e.what();
  if (m.rfind(whole, 0) == 0) throw Error(prefix + m.substr(whole.size()));
  throw Error(prefix + "." + m);
}

ModelSpec parse_network(const Json& j, const std::string& field, std::size_t inputs, std::size_t outputs,
                        std::uint64_t seed) {
  check_object(j, field, {"input", "layers", "init", "seed", "name", "format", "version"});
  if (!j.contains("layers")) fail(field + ".layers", "missing (the list of layers)");
  Json copy = j;
  if (!copy.contains("input")) copy["input"] = {inputs};
  if (!copy.contains("seed")) copy["seed"] = seed;
  ModelSpec m;
  try {
    m = parse_model(copy);
    Model built(m);  // the output's shape is the layers' to say
    if (m.input != Shape{inputs})
      fail("input", "expected [" + std::to_string(inputs) + "], got " + shape_string(m.input));
    if (built.output_shape() != Shape{outputs})
      fail("layers", "the last layer must give " + std::to_string(outputs) + " value" +
                         (outputs > 1 ? "s" : "") + " per example, got " +
                         shape_string(built.output_shape()));
  } catch (const Error& e) {
    rethrow_under(e, field, "model");
  }
  return m;
}

OptimizerSpec parse_network_optimizer(const Json& j, const std::string& field, const OptimizerSpec& current) {
  check_object(j, field, {"optimizer", "lr", "momentum"});
  Hyperparameters h;
  h.optimizer = current;
  try {
    parse_hyperparameters(j, h);
  } catch (const Error& e) {
    rethrow_under(e, field, "hyperparameters");
  }
  return h.optimizer;
}

Json default_network(std::size_t outputs, const char* last) {
  return {{"layers",
           {{{"type", "dense"}, {"units", 32}, {"activation", "relu"}},
            {{"type", "dense"}, {"units", 32}, {"activation", "relu"}},
            {{"type", "dense"}, {"units", outputs}, {"activation", last}}}}};
}

float default_noise(RealKind k) {
  switch (k) {
    case RealKind::ring:
      return 0.05f;
    case RealKind::gaussians:
      return 0.08f;
    case RealKind::line:
      return 0.03f;
    case RealKind::points:
      return 0.02f;
  }
  return 0.f;
}

RealSpec parse_real(const Json& j) {
  RealSpec r;
  const std::vector<std::string>& kinds = real_kinds();
  if (j.is_string()) {
    r.kind =
        static_cast<RealKind>(std::find(kinds.begin(), kinds.end(), j.get<std::string>()) - kinds.begin());
    if (r.kind == RealKind::points || static_cast<std::size_t>(r.kind) >= kinds.size())
      fail("real",
           "expected one of ring, gaussians, line or an object like {\"name\": \"points\", \"points\": [[x, "
           "y], …]}");
    r.noise = default_noise(r.kind);
    return r;
  }
  check_object(j, "real", {"name", "n", "noise", "modes", "points"});
  if (!j.contains("name")) fail("real.name", "missing (one of " + join(kinds) + ")");
  if (!j["name"].is_string()) fail("real.name", "expected a string, got " + kind_of(j["name"]));
  const auto it = std::find(kinds.begin(), kinds.end(), j["name"].get<std::string>());
  if (it == kinds.end())
    fail("real.name",
         "unknown value '" + j["name"].get<std::string>() + "' (expected one of " + join(kinds) + ")");
  r.kind = static_cast<RealKind>(it - kinds.begin());
  r.noise = default_noise(r.kind);
  if (j.contains("n")) r.n = get_size(j["n"], "real.n", 1, 10000);
  if (j.contains("noise")) r.noise = get_float(j["noise"], "real.noise", 0, 0.5);
  if (j.contains("modes")) {
    if (r.kind != RealKind::gaussians) fail("real.modes", "only the gaussians have modes");
    r.modes = get_size(j["modes"], "real.modes", 1, 12);
  }
  if (r.kind == RealKind::points) {
    if (!j.contains("points")) fail("real.points", "missing (the drawn points, [[x, y], …])");
    const Json& p = j["points"];
    if (!p.is_array() || p.empty() || p.size() > 5000)
      fail("real.points", "expected an array of 1 to 5000 points [x, y], got " +
                              (p.is_array() ? std::to_string(p.size()) + " points" : kind_of(p)));
    for (std::size_t i = 0; i < p.size(); ++i) {
      const std::string f = "real.points[" + std::to_string(i) + "]";
      if (!p[i].is_array() || p[i].size() != 2) fail(f, "expected a point [x, y], got " + kind_of(p[i]));
      r.points.push_back(get_float(p[i][0], f + "[0]", -kPlane, kPlane));
      r.points.push_back(get_float(p[i][1], f + "[1]", -kPlane, kPlane));
    }
  } else if (j.contains("points")) {
    fail("real.points", "only with \"name\": \"points\"");
  }
  return r;
}

}  // namespace

const std::vector<std::string>& real_kinds() {
  static const std::vector<std::string> v = {"ring", "gaussians", "line", "points"};
  return v;
}

void parse_gan_settings(const Json& j, GanSpec& spec) {
  check_object(j, "settings", {"k", "batch", "generator_optimizer", "discriminator_optimizer"});
  GanSpec s = spec;  // all or nothing
  if (j.contains("k")) s.k = get_size(j["k"], "k", 1, 20);
  if (j.contains("batch")) s.batch = get_size(j["batch"], "batch", 1, 1024);
  if (j.contains("generator_optimizer"))
    s.generator_optimizer =
        parse_network_optimizer(j["generator_optimizer"], "generator_optimizer", s.generator_optimizer);
  if (j.contains("discriminator_optimizer"))
    s.discriminator_optimizer = parse_network_optimizer(j["discriminator_optimizer"],
                                                        "discriminator_optimizer", s.discriminator_optimizer);
  spec = std::move(s);
}

Json gan_settings_to_json(const GanSpec& spec) {
  auto optimizer = [](const OptimizerSpec& o) {
    Hyperparameters h;
    h.optimizer = o;
    return Json{{"optimizer", hyperparameters_to_json(h)["optimizer"]}};
  };
  return {{"k", spec.k},
          {"batch", spec.batch},
          {"generator_optimizer", optimizer(spec.generator_optimizer)},
          {"discriminator_optimizer", optimizer(spec.discriminator_optimizer)}};
}

GanSpec parse_gan(const Json& j) {
  check_object(j, "gan",
               {"real", "noise_dims", "generator", "discriminator", "generator_optimizer",
                "discriminator_optimizer", "k", "batch", "samples", "seed"});
  GanSpec s;
  if (j.contains("seed")) s.seed = get_size(j["seed"], "seed", 0, 4294967295u);
  if (j.contains("real")) s.real = parse_real(j["real"]);
  if (j.contains("noise_dims")) s.noise_dims = get_size(j["noise_dims"], "noise_dims", 1, 2);
  if (j.contains("samples")) s.samples = get_size(j["samples"], "samples", 1, 4096);
  // Each network's own seed, unless given: distinct, so that equal layers do not start equal.
  s.generator = parse_network(j.contains("generator") ? j["generator"] : default_network(2, "linear"),
                              "generator", s.noise_dims, 2, (s.seed + 1) % 4294967296ULL);
  s.discriminator =
      parse_network(j.contains("discriminator") ? j["discriminator"] : default_network(1, "sigmoid"),
                    "discriminator", 2, 1, (s.seed + 2) % 4294967296ULL);
  const LayerSpec& last = s.discriminator.layers.back();
  if (last.activation != kernels::Activation::sigmoid)
    fail("discriminator.layers[" + std::to_string(s.discriminator.layers.size() - 1) + "]",
         "the discriminator must end in a sigmoid (its output is the probability that a point is real)");
  s.generator_optimizer.type = s.discriminator_optimizer.type = OptimizerKind::adam;
  s.generator_optimizer.lr = 0.002f;  // D learns a little faster than G: training is steadier
  s.discriminator_optimizer.lr = 0.004f;
  s.generator_optimizer.beta1 = s.discriminator_optimizer.beta1 = 0.5f;
  Json settings = Json::object();
  for (const char* key : {"k", "batch", "generator_optimizer", "discriminator_optimizer"})
    if (j.contains(key)) settings[key] = j[key];
  parse_gan_settings(settings, s);
  return s;
}

Tensor make_real(const RealSpec& spec, std::uint64_t seed) {
  Rng rng(seed ^ 0x5ea1da7aULL);
  Tensor x = Tensor::from_shape({spec.n, 2});
  constexpr float kTwoPi = 6.28318530718f;
  const std::size_t count = spec.points.size() / 2;
  for (std::size_t i = 0; i < spec.n; ++i) {
    float px = 0, py = 0;
    switch (spec.kind) {
      case RealKind::ring: {
        const float a = rng.uniform(0.f, kTwoPi);
        px = 0.6f * std::cos(a);
        py = 0.6f * std::sin(a);
        break;
      }
      case RealKind::gaussians: {
        if (spec.modes > 1) {
          const float a =
              kTwoPi * static_cast<float>(rng.below(spec.modes)) / static_cast<float>(spec.modes) +
              kTwoPi / 8;
          px = 0.55f * std::cos(a);
          py = 0.55f * std::sin(a);
        }
        break;
      }
      case RealKind::line: {
        const float t = rng.uniform(-1.f, 1.f);
        px = 0.65f * t;
        py = 0.4f * t;
        break;
      }
      case RealKind::points:
        px = spec.points[2 * (i % count)];
        py = spec.points[2 * (i % count) + 1];
        break;
    }
    x(i, 0) = px + (spec.noise > 0 ? rng.normal(0.f, spec.noise) : 0.f);
    x(i, 1) = py + (spec.noise > 0 ? rng.normal(0.f, spec.noise) : 0.f);
  }
  return x;
}

}  // namespace dlplay
