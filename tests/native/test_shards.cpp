// Data-parallel training: a batch's gradient in S parts summed in part order. Parts computed by
// replicas (other workers' sessions of the same spec, given the step's weights) give the same bits
// as one trainer computing them all, so training is bit-identical for 1, 2 or 3 workers; a part
// gets exactly the dropout masks it would get within the whole batch.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

using namespace dlplay;

namespace {

Json dense(std::size_t units, const char* activation) {
  return {{"type", "dense"}, {"units", units}, {"activation", activation}};
}

// Three spiral arms in batches of 10 (not a multiple of 3 or 4), dropout between the layers.
Json spiral(std::size_t shards, bool dropout = true) {
  Json layers = Json::array({dense(12, "tanh")});
  if (dropout) layers.push_back({{"type", "dropout"}, {"rate", 0.3}});
  layers.push_back(dense(8, "relu"));
  layers.push_back(dense(3, "softmax"));
  return {{"input", {2}},
          {"layers", layers},
          {"data", {{"name", "spiral"}, {"n", 150}, {"noise", 0.1}, {"classes", 3}}},
          {"loss", "cross_entropy"},
          {"test_ratio", 0.2},
          {"optimizer", {{"type", "adam"}, {"lr", 0.01}}},
          {"batch", 10},
          {"shards", shards},
          {"seed", 5}};
}

// A small CNN on 6×6 random images, 3 classes.
Json cnn(std::size_t shards) {
  Json x = Json::array(), y = Json::array();
  Rng rng(9);
  for (int i = 0; i < 40; ++i) {
    Json img = Json::array();
    for (int k = 0; k < 36; ++k) img.push_back(rng.uniform());
    x.push_back(img);
    y.push_back(i % 3);
  }
  return {{"input", {1, 6, 6}},
          {"layers",
           {{{"type", "conv2d"}, {"filters", 4}, {"kernel", 3}, {"padding", 1}, {"activation", "relu"}},
            {{"type", "maxpool2d"}, {"size", 2}},
            {{"type", "flatten"}},
            dense(3, "softmax")}},
          {"data", {{"x", x}, {"y", y}}},
          {"loss", "cross_entropy"},
          {"optimizer", {{"type", "sgd"}, {"lr", 0.1}, {"momentum", 0.9}}},
          {"batch", 7},
          {"shards", shards},
          {"seed", 2}};
}

std::vector<float> weights(Session& s) { return s.model().parameter_vector(); }

void set_weights(Session& s, const std::vector<float>& w) {
  s.model().set_parameter_vector(w.data(), w.size());
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// `steps` steps of `spec` with its parts dealt round-robin to `workers` sessions: the first plans
// and applies, each worker (a replica given the step's weights) computes its parts.
std::vector<float> train_with_workers(const Json& spec, std::size_t workers, std::size_t steps) {
  std::vector<Session> team;
  for (std::size_t w = 0; w < workers; ++w) team.emplace_back(spec);
  Trainer& lead = team[0].trainer();
  const std::size_t size = lead.gradient_size();
  for (std::size_t s = 0; s < steps; ++s) {
    const Trainer::Plan plan = lead.plan();
    const std::vector<float> w = weights(team[0]);
    std::vector<float> grads(plan.shards * size);
    std::vector<double> losses(plan.shards);
    for (std::size_t part = 0; part < plan.shards; ++part) {
      Session& worker = team[part % workers];
      if (part % workers) set_weights(worker, w);
      losses[part] = worker.trainer().shard_gradient(plan, part, grads.data() + part * size);
    }
    lead.apply(plan, grads.data(), losses.data());
  }
  return weights(team[0]);
}

}  // namespace

TEST_CASE("shards: 1, 2 or 3 workers train to the same bits as one trainer (step())") {
  for (const Json& spec : {spiral(4), spiral(3, false), cnn(3)}) {
    Session alone(spec);
    alone.train(60);
    const std::vector<float> expected = weights(alone);
    for (std::size_t workers : {1, 2, 3}) {
      CAPTURE(workers);
      CHECK(same_bits(train_with_workers(spec, workers, 60), expected));
    }
  }
}

TEST_CASE("shards: the summed parts are the batch's gradient (to rounding), dropout masks included") {
  // One step from the same weights: the parts' sum against the whole batch's gradient. With
  // other masks in the parts than in the whole batch the gradients would differ far more.
  for (const Json& spec : {spiral(1), cnn(1)}) {
    Session whole(spec);
    Json parted_spec = spec;
    parted_spec["shards"] = 3;
    Session parted(parted_spec);
    whole.train(1);
    parted.train(1);
    std::vector<float> a, b;
    for (const Param& p : whole.model().params()) a.insert(a.end(), p.grad->begin(), p.grad->end());
    for (const Param& p : parted.model().params()) b.insert(b.end(), p.grad->begin(), p.grad->end());
    REQUIRE(a.size() == b.size());
    double worst = 0, scale = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      worst = std::max(worst, std::fabs(static_cast<double>(a[i]) - b[i]));
      scale = std::max(scale, std::fabs(static_cast<double>(a[i])));
    }
    CHECK(scale > 1e-3);
    CHECK(worst <= 1e-6 * scale);
  }
}

TEST_CASE("shards: a batch smaller than the part count leaves parts empty, and trains") {
  Json spec = spiral(8);
  spec["batch"] = 3;
  Session alone(spec);
  alone.train(30);
  CHECK(same_bits(train_with_workers(spec, 3, 30), weights(alone)));
  CHECK(std::isfinite(alone.metrics().train_loss));
}

TEST_CASE("shards: one part is the unsharded step, bit for bit") {
  Session a(spiral(1));
  a.train(40);
  Session b(spiral(1));
  Trainer& t = b.trainer();
  for (int s = 0; s < 40; ++s) {
    const Trainer::Plan plan = t.plan();
    std::vector<float> grad(t.gradient_size());
    const double loss = t.shard_gradient(plan, 0, grad.data());
    t.apply(plan, grad.data(), &loss);
  }
  CHECK(same_bits(weights(a), weights(b)));
}

TEST_CASE("shards: the count is a hyper-parameter, checked, and kept in checkpoints") {
  CHECK_THROWS_WITH_AS(Session(spiral(0)), "shards: expected a whole number from 1 to 64, got 0", Error);
  Session s(spiral(1));
  s.set({{"shards", 4}});
  CHECK(s.hyperparameters().shards == 4);
  CHECK(hyperparameters_to_json(s.hyperparameters())["shards"] == 4);
  CHECK_FALSE(hyperparameters_to_json(Hyperparameters{}).contains("shards"));
  Session back(spiral(1));
  back.restore(s.checkpoint());
  CHECK(back.hyperparameters().shards == 4);
  CHECK_THROWS_WITH_AS(s.set({{"shards", 65}}), "shards: expected a whole number from 1 to 64, got 65",
                       Error);
  Trainer::Plan plan = s.trainer().plan();
  std::vector<float> grad(s.trainer().gradient_size());
  CHECK_THROWS_WITH_AS(s.trainer().shard_gradient(plan, 4, grad.data()), doctest::Contains("part from 0"),
                       Error);
}

TEST_CASE("rng: advance(k) is k draws") {
  for (std::uint64_t k : {0ull, 1ull, 2ull, 7ull, 1000ull, 123457ull}) {
    Rng a(77), b(77);
    for (std::uint64_t i = 0; i < k; ++i) a.next_u32();
    b.advance(k);
    CHECK(a.next_u32() == b.next_u32());
  }
}
