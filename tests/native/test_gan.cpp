// The 2-D GAN (engine/include/dlplay/gan.hpp): the generator's gradient through the discriminator
// checked numerically, spec errors that name the field, the same trace for the same seed, and
// training that brings the generated points to a ring.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "dlplay/gan.hpp"

using namespace dlplay;

namespace {

// Chamfer distance: the mean distance from each point of a to its nearest in b, plus the same
// from b to a. Small only when the generated points cover the real ones and stay on them.
double chamfer(const Tensor& a, const Tensor& b) {
  auto one_way = [](const Tensor& p, const Tensor& q) {
    double sum = 0;
    for (std::size_t i = 0; i < p.shape()[0]; ++i) {
      double best = std::numeric_limits<double>::infinity();
      for (std::size_t j = 0; j < q.shape()[0]; ++j)
        best = std::min(best, std::hypot(double(p(i, 0)) - q(j, 0), double(p(i, 1)) - q(j, 1)));
      sum += best;
    }
    return sum / static_cast<double>(p.shape()[0]);
  };
  return one_way(a, b) + one_way(b, a);
}

void check_error(const std::string& spec, const std::string& message) {
  CAPTURE(spec);
  CHECK_THROWS_WITH_AS(Gan(parse_json(spec, "gan")), doctest::Contains(message.c_str()), Error);
}

}  // namespace

TEST_CASE("gan: the generator's gradient through the discriminator matches central differences") {
  // Smooth activations: central differences across a ReLU's kink would not be the derivative.
  const Json tanh_net = {{"layers",
                          {{{"type", "dense"}, {"units", 12}, {"activation", "tanh"}},
                           {{"type", "dense"}, {"units", 8}, {"activation", "tanh"}}}}};
  Json g = tanh_net, d = tanh_net;
  g["layers"].push_back({{"type", "dense"}, {"units", 2}});
  d["layers"].push_back({{"type", "dense"}, {"units", 1}, {"activation", "sigmoid"}});
  Gan gan(Json{{"seed", 3}, {"noise_dims", 2}, {"generator", g}, {"discriminator", d}});
  for (int i = 0; i < 20; ++i) gan.step();  // away from the initial weights
  Rng rng(9);
  Tensor z = Tensor::from_shape({16, 2});
  for (float& v : z) v = rng.uniform(-1.f, 1.f);
  gan.generator_loss(z, true);
  std::vector<Param> params = gan.generator().params();
  std::vector<Tensor> analytic;
  for (const Param& p : params) analytic.push_back(*p.grad);
  double largest = 0;
  int checked = 0;
  for (std::size_t k = 0; k < params.size(); ++k)
    for (std::size_t i = 0; i < params[k].value->size(); i += 3) {
      float& w = params[k].value->data()[i];
      const float saved = w;
      const float eps = 1e-2f;
      w = saved + eps;
      const double up = gan.generator_loss(z, false);
      w = saved - eps;
      const double down = gan.generator_loss(z, false);
      w = saved;
      const double numeric = (up - down) / (2.0 * eps);
      const double a = analytic[k].data()[i];
      CAPTURE(k);
      CAPTURE(i);
      CHECK(std::fabs(a - numeric) <= 1e-3 + 2e-2 * (std::fabs(a) + std::fabs(numeric)));
      largest = std::max(largest, std::fabs(a));
      ++checked;
    }
  CHECK(checked > 50);
  CHECK(largest > 1e-3);  // a gradient of zero everywhere would pass the comparison trivially
}

TEST_CASE("gan: spec errors name the field") {
  check_error(R"({"real": {"name": "moon"}})", "real.name: unknown value 'moon'");
  check_error(R"({"real": {"name": "ring", "n": 0}})", "real.n: expected a whole number from 1 to 10000");
  check_error(R"({"real": {"name": "points"}})", "real.points: missing");
  check_error(R"({"real": {"name": "points", "points": [[0, 0], [3, 0]]}})",
              "real.points[1][0]: expected a number");
  check_error(R"({"real": {"name": "points", "points": [[0, 0], [1]]}})", "real.points[1]: expected a point");
  check_error(R"({"real": {"name": "ring", "modes": 3}})", "real.modes: only the gaussians");
  check_error(R"({"noise_dims": 3})", "noise_dims: expected a whole number from 1 to 2");
  check_error(R"({"k": 0})", "k: expected a whole number from 1 to 20");
  check_error(R"({"batch": "many"})", "batch: expected a whole number from 1 to 1024, got the string");
  check_error(R"({"colour": 1})", "gan.colour: unknown field");
  check_error(R"({"generator": {"layers": [{"type": "dense", "units": 8}, {"type": "dense", "unit": 2}]}})",
              "generator.layers[1].unit: unknown field");
  check_error(R"({"generator": {"layers": [{"type": "dense", "units": 3}]}})",
              "generator.layers: the last layer must give 2 values per example, got [3]");
  check_error(R"({"generator": {"input": [2], "layers": [{"type": "dense", "units": 2}]}, "noise_dims": 1})",
              "generator.input: expected [1], got [2]");
  check_error(R"({"discriminator": {"layers": [{"type": "dense", "units": 1}]}})",
              "discriminator.layers[0]: the discriminator must end in a sigmoid");
  check_error(R"({"discriminator": {"layers": [], "loss": "mse"}})", "discriminator.loss: unknown field");
  check_error(R"({"discriminator": []})", "discriminator: expected an object");
  check_error(R"({"generator_optimizer": {"lr": -1}})", "generator_optimizer.lr: expected a number from");
  check_error(R"({"discriminator_optimizer": {"optimizer": "lion"}})",
              "discriminator_optimizer.optimizer: unknown value 'lion'");
  check_error(R"({"discriminator_optimizer": {"batch": 3}})", "discriminator_optimizer.batch: unknown field");
  check_error(R"({"seed": -1})", "seed: expected a whole number");
  check_error(R"([1, 2])", "gan: expected an object");

  Gan gan(Json::object());
  CHECK_THROWS_WITH_AS(gan.configure(Json{{"k", 2}, {"generator_optimizer", {{"lr", "fast"}}}}),
                       doctest::Contains("generator_optimizer.lr: expected a number"), Error);
  CHECK(gan.spec().k == 1);  // all or nothing
  gan.configure(Json{{"k", 3}, {"discriminator_optimizer", {{"optimizer", "sgd"}, {"lr", 0.1}}}});
  CHECK(gan.spec().k == 3);
  CHECK(gan.spec().discriminator_optimizer.type == OptimizerKind::sgd);
  CHECK(gan_settings_to_json(gan.spec())["discriminator_optimizer"]["optimizer"]["lr"].get<double>() ==
        doctest::Approx(0.1));
  CHECK_THROWS_WITH_AS(gan.discriminator_grid(0), doctest::Contains("res: expected"), Error);
}

TEST_CASE("gan: the same seed gives the same trace, bit for bit") {
  const Json spec = {
      {"seed", 11}, {"real", {{"name", "gaussians"}, {"modes", 3}}}, {"k", 2}, {"noise_dims", 1}};
  Gan a(spec), b(spec),
      c(Json{{"seed", 12}, {"real", {{"name", "gaussians"}, {"modes", 3}}}, {"k", 2}, {"noise_dims", 1}});
  bool differs = false;
  for (int i = 0; i < 30; ++i) {
    const GanLosses la = a.step(), lb = b.step(), lc = c.step();
    CHECK(la.d_loss == lb.d_loss);
    CHECK(la.g_loss == lb.g_loss);
    CHECK(la.log_d_real == lb.log_d_real);
    CHECK(la.log_one_minus_fake == lb.log_one_minus_fake);
    differs = differs || la.g_loss != lc.g_loss;
  }
  CHECK(differs);
  CHECK(a.generated() == b.generated());
  CHECK(a.discriminator_grid(8) == b.discriminator_grid(8));
  CHECK(a.generator_gradients() == b.generator_gradients());
}

TEST_CASE("gan: the real distributions") {
  const Tensor ring =
      make_real(parse_gan(Json{{"real", {{"name", "ring"}, {"noise", 0}, {"n", 100}}}}).real, 0);
  REQUIRE(ring.shape() == std::vector<std::size_t>{100, 2});
  for (std::size_t i = 0; i < 100; ++i)
    CHECK(std::hypot(ring(i, 0), ring(i, 1)) == doctest::Approx(0.6).epsilon(1e-4));
  const GanSpec drawn = parse_gan(
      Json{{"real", {{"name", "points"}, {"points", {{0.5, -0.25}, {-0.5, 0.75}}}, {"noise", 0}, {"n", 4}}}});
  const Tensor p = make_real(drawn.real, 0);
  CHECK(p(0, 0) == 0.5f);
  CHECK(p(1, 1) == 0.75f);
  CHECK(p(2, 1) == -0.25f);
  Gan gan(Json{{"samples", 7}, {"noise_dims", 1}});
  CHECK(gan.generated().shape() == std::vector<std::size_t>{7, 2});
  CHECK(gan.generator_gradients().shape() == std::vector<std::size_t>{7, 2});
  CHECK(gan.noise().shape() == std::vector<std::size_t>{7, 1});
  const Tensor grid = gan.discriminator_grid(5);
  CHECK(grid.shape() == std::vector<std::size_t>{5, 5});
  for (float v : grid) CHECK((v > 0 && v < 1));
}

TEST_CASE("gan: the metrics are the deck's two terms and the losses follow from them") {
  Gan gan(Json{{"seed", 5}});
  for (int i = 0; i < 10; ++i) gan.step();
  const GanLosses m = gan.metrics();
  CHECK(m.log_d_real < 0);
  CHECK(m.log_one_minus_fake < 0);
  CHECK(m.d_loss == doctest::Approx(-(m.log_d_real + m.log_one_minus_fake)));
  CHECK(m.g_loss > 0);
  // The generator's arrows point where D grows: a small move along them raises D at the point.
  const Tensor fake = gan.generated(), arrows = gan.generator_gradients();
  Tensor moved = fake + 1e-3f * arrows;
  const Tensor before = gan.discriminator().forward(fake), after = gan.discriminator().forward(moved);
  int up = 0;
  for (std::size_t i = 0; i < before.size(); ++i) up += after(i) > before(i);
  CHECK(up > static_cast<int>(before.size()) * 9 / 10);
}

TEST_CASE("gan: training brings the generated points to the ring") {
  Gan gan(Json{{"seed", 1}, {"real", {{"name", "ring"}, {"n", 256}}}, {"samples", 256}});
  const double start = chamfer(gan.generated(), gan.real());
  for (int i = 0; i < 800; ++i) gan.step();
  REQUIRE_FALSE(gan.diverged());
  const double end = chamfer(gan.generated(), gan.real());
  MESSAGE("chamfer distance to the ring: " << start << " -> " << end);
  CHECK(end < 0.5 * start);
  CHECK(end < 0.15);
}

TEST_CASE("gan: divergence is detected and stops training") {
  Gan gan(Json{{"seed", 2}, {"generator_optimizer", {{"optimizer", "sgd"}, {"lr", 10}}}});
  for (Param& p : gan.generator().params()) (*p.value)(0) = std::numeric_limits<float>::quiet_NaN();
  gan.step();
  CHECK(gan.diverged());
  const std::size_t steps = gan.steps();
  gan.step();
  CHECK(gan.steps() == steps);
}

TEST_CASE("gan: a checkpoint restored into a fresh GAN of the same spec trains on bit for bit") {
  const Json spec = {{"seed", 6}, {"real", {{"name", "gaussians"}, {"modes", 2}}}, {"k", 2}};
  Gan a(spec);
  for (int i = 0; i < 40; ++i) a.step();
  a.configure(Json{{"discriminator_optimizer", {{"lr", 0.01}}}});
  const std::string text = a.checkpoint().dump();
  Gan b(spec);
  b.restore(parse_json(text, "checkpoint"));
  CHECK(b.steps() == 40);
  CHECK(b.spec().discriminator_optimizer.lr == a.spec().discriminator_optimizer.lr);
  for (int i = 0; i < 20; ++i) {
    const GanLosses la = a.step(), lb = b.step();
    CHECK(la.d_loss == lb.d_loss);
    CHECK(la.g_loss == lb.g_loss);
  }
  CHECK(a.generated() == b.generated());
  // Another GAN's checkpoint is refused, naming the field, and changes nothing.
  Gan other(Json{{"seed", 7}, {"real", {{"name", "gaussians"}, {"modes", 2}}}, {"k", 2}});
  CHECK_THROWS_WITH_AS(other.restore(parse_json(text, "checkpoint")), doctest::Contains("checkpoint.real"),
                       Error);
  Gan wider(Json{
      {"seed", 6},
      {"real", {{"name", "gaussians"}, {"modes", 2}}},
      {"generator", {{"layers", {{{"type", "dense"}, {"units", 8}}, {{"type", "dense"}, {"units", 2}}}}}}});
  CHECK_THROWS_WITH_AS(wider.restore(parse_json(text, "checkpoint")),
                       doctest::Contains("checkpoint.generator.params: expected 4 parameters"), Error);
  CHECK(wider.steps() == 0);
  Json broken = parse_json(text, "checkpoint");
  broken["discriminator"]["params"][1]["value"][0] = "x";
  Gan c(spec);
  CHECK_THROWS_WITH_AS(c.restore(broken), doctest::Contains("checkpoint.discriminator.params[1].value[0]"),
                       Error);
  CHECK(c.steps() == 0);
  CHECK(c.generated() == Gan(spec).generated());
}
