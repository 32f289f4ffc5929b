// Gan::checkpoint() and Gan::restore() (docs/gan.md § Checkpoints).
#include <cmath>
#include <cstring>
#include <limits>

#include "dlplay/gan.hpp"

namespace dlplay {
namespace {

constexpr const char* kFormat = "dlplay-gan-checkpoint";

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  throw Error(field + ": " + what);
}

std::string hex(std::uint64_t v) {
  static const char* digits = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) s[static_cast<std::size_t>(i)] = digits[v & 0xf];
  return s;
}

// A 64-bit FNV-1a of the values' bits: which real samples a checkpoint was trained on.
std::string fingerprint(const Tensor& t) {
  std::uint64_t h = 1469598103934665603ULL;
  for (float v : t) {
    std::uint32_t bits;
    static_assert(sizeof bits == sizeof v);
    std::memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 4; ++i) {
      h ^= (bits >> (8 * i)) & 0xffu;
      h *= 1099511628211ULL;
    }
  }
  return hex(h);
}

Json values(const Tensor& t) {
  Json a = Json::array();
  for (float v : t) a.push_back(std::isfinite(v) ? Json(v) : Json(nullptr));  // JSON has no NaN
  return a;
}

void read_values(const Json& j, Tensor& t, const std::string& field) {
  if (!j.is_array() || j.size() != t.size())
    fail(field, "expected an array of " + std::to_string(t.size()) + " numbers");
  float* out = t.data();
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (j[i].is_null()) {
      out[i] = std::numeric_limits<float>::quiet_NaN();
    } else if (j[i].is_number()) {
      out[i] = j[i].get<float>();
    } else {
      fail(field + "[" + std::to_string(i) + "]", "expected a number or null");
    }
  }
}

Json network(Model& m, const Optimizer& o) {
  Json params = Json::array();
  for (const Param& p : m.params())
    params.push_back({{"shape", shape_of(*p.value)}, {"value", values(*p.value)}});
  Json m1 = Json::array(), m2 = Json::array();
  for (const Tensor& t : o.first_moments()) m1.push_back(values(t));
  for (const Tensor& t : o.second_moments()) m2.push_back(values(t));
  return {{"params", std::move(params)}, {"optimizer", {{"steps", o.steps()}, {"m", m1}, {"v", m2}}}};
}

// Reads a network's part into fresh tensors (nothing is changed until every part has been read).
struct NetworkState {
  std::vector<Tensor> params, m, v;
  std::size_t steps = 0;
};

NetworkState read_network(const Json& j, Model& model, const std::string& field) {
  if (!j.is_object() || !j.contains("params") || !j.contains("optimizer"))
    fail(field, "expected {\"params\": […], \"optimizer\": {…}}");
  NetworkState s;
  const std::vector<Param> params = model.params();
  const Json& p = j["params"];
  if (!p.is_array() || p.size() != params.size())
    fail(field + ".params", "expected " + std::to_string(params.size()) + " parameters (another network?)");
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string f = field + ".params[" + std::to_string(i) + "]";
    const Shape want = shape_of(*params[i].value);
    if (!p[i].is_object() || !p[i].contains("shape") || p[i]["shape"] != Json(want))
      fail(f + ".shape", "expected " + shape_string(want) + " (another network?)");
    s.params.push_back(Tensor::from_shape(want));
    read_values(p[i].contains("value") ? p[i]["value"] : Json(), s.params.back(), f + ".value");
  }
  const Json& o = j["optimizer"];
  const std::string of = field + ".optimizer";
  if (!o.is_object() || !o.contains("steps") || !o["steps"].is_number_unsigned())
    fail(of + ".steps", "expected a whole number");
  s.steps = o["steps"].get<std::size_t>();
  for (const char* key : {"m", "v"}) {
    const Json& moments = o.contains(key) ? o[key] : Json();
    const std::string mf = of + "." + key;
    if (!moments.is_array() || (!moments.empty() && moments.size() != params.size()))
      fail(mf, "expected none or one array per parameter");
    std::vector<Tensor>& out = key[0] == 'm' ? s.m : s.v;
    for (std::size_t i = 0; i < moments.size(); ++i) {
      out.push_back(Tensor::from_shape(shape_of(*params[i].value)));
      read_values(moments[i], out.back(), mf + "[" + std::to_string(i) + "]");
    }
  }
  if (s.m.size() != s.v.size()) fail(of, "as many first as second moment estimates");
  return s;
}

void apply(Model& model, Optimizer& opt, NetworkState s) {
  std::vector<Param> params = model.params();
  for (std::size_t i = 0; i < params.size(); ++i) *params[i].value = std::move(s.params[i]);
  if (s.m.empty())
    opt.reset();
  else
    opt.restore(s.steps, std::move(s.m), std::move(s.v));
}

std::uint64_t parse_hex(const Json& j, const std::string& field) {
  if (!j.is_string() || j.get<std::string>().size() != 16) fail(field, "expected 16 hex digits");
  std::uint64_t v = 0;
  for (char c : j.get<std::string>()) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) fail(field, "expected 16 hex digits");
    v = (v << 4) | static_cast<std::uint64_t>(d);
  }
  return v;
}

}  // namespace

Json Gan::checkpoint() {
  const Rng::State r = rng_.state();
  return {{"format", kFormat},
          {"version", 1},
          {"real", fingerprint(real_)},
          {"noise_dims", spec_.noise_dims},
          {"settings", gan_settings_to_json(spec_)},
          {"steps", steps_},
          {"diverged", diverged_},
          {"rng", {{"state", hex(r.state)}, {"has_spare", r.has_spare}, {"spare", r.spare}}},
          {"generator", network(g_, g_opt_)},
          {"discriminator", network(d_, d_opt_)}};
}

void Gan::restore(const Json& j) {
  if (!j.is_object() || !j.contains("format") || j["format"] != kFormat)
    fail("checkpoint", std::string("expected a GAN checkpoint ({\"format\": \"") + kFormat + "\", …})");
  if (!j.contains("version") || j["version"] != 1) fail("checkpoint.version", "expected 1");
  if (!j.contains("real") || j["real"] != fingerprint(real_))
    fail("checkpoint.real", "trained on other real samples (another distribution, n, noise or seed)");
  if (!j.contains("noise_dims") || j["noise_dims"] != spec_.noise_dims)
    fail("checkpoint.noise_dims", "expected " + std::to_string(spec_.noise_dims));
  if (!j.contains("steps") || !j["steps"].is_number_unsigned())
    fail("checkpoint.steps", "expected a whole number");
  if (!j.contains("diverged") || !j["diverged"].is_boolean())
    fail("checkpoint.diverged", "expected true or false");
  const Json& r = j.contains("rng") ? j["rng"] : Json();
  if (!r.is_object() || !r.contains("has_spare") || !r["has_spare"].is_boolean() || !r.contains("spare") ||
      !r["spare"].is_number())
    fail("checkpoint.rng", "expected {\"state\", \"has_spare\", \"spare\"}");
  Rng::State state{parse_hex(r.contains("state") ? r["state"] : Json(), "checkpoint.rng.state"),
                   r["has_spare"].get<bool>(), r["spare"].get<double>()};
  GanSpec spec = spec_;
  try {
    parse_gan_settings(j.contains("settings") ? j["settings"] : Json(), spec);
  } catch (const Error& e) {
    throw Error(std::string("checkpoint.") + e.what());
  }
  NetworkState g =
      read_network(j.contains("generator") ? j["generator"] : Json(), g_, "checkpoint.generator");
  NetworkState d =
      read_network(j.contains("discriminator") ? j["discriminator"] : Json(), d_, "checkpoint.discriminator");
  // Everything read: now applied.
  configure(gan_settings_to_json(spec));
  apply(g_, g_opt_, std::move(g));
  apply(d_, d_opt_, std::move(d));
  rng_.set_state(state);
  steps_ = j["steps"].get<std::size_t>();
  diverged_ = j["diverged"].get<bool>();
  diverged_losses_ = GanLosses{};
}

}  // namespace dlplay
