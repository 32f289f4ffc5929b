// Numerical gradient checks of every layer and loss (the checker: gradcheck.hpp).
#include <doctest/doctest.h>

#include "gradcheck.hpp"

using namespace dlplay;
using namespace gradcheck;

TEST_CASE("gradients: dense with every activation") {
  for (const char* act : {"linear", "relu", "leaky_relu", "tanh", "sigmoid", "softmax"}) {
    for (std::size_t n : kBatches) {
      CAPTURE(std::string(act));
      CAPTURE(n);
      auto spec = [&](const char* a) {
        return model_json(
            {3}, Json::array({{{"type", "dense"}, {"units", 4}, {"activation", "tanh"}},
                              {{"type", "dense"}, {"units", 5}, {"activation", a}, {"alpha", 0.2}}}));
      };
      auto m = make_model(spec(act));
      auto twin = make_model(spec("linear"));  // same weights, shows the pre-activations
      Tensor x;
      bool found = false;
      for (std::uint64_t seed = 1; seed < 200 && !found; ++seed) {
        Rng rng(seed);
        x = random_tensor(batch(n, {3}), rng);
        randomize_params(*m, seed * 7 + 1);
        copy_params(*m, *twin);
        twin->forward(x);
        found = min_abs(twin->activation(1)) > 0.05f;  // no ReLU kink within reach of eps
      }
      REQUIRE(found);
      Rng rng(99);
      check_all(*m, x, projection(batch(n, {5}), rng));
    }
  }
}

TEST_CASE("gradients: activation layers on their own") {
  for (const char* act : {"linear", "relu", "leaky_relu", "tanh", "sigmoid", "softmax"}) {
    for (std::size_t n : kBatches) {
      CAPTURE(std::string(act));
      CAPTURE(n);
      auto m = make_model(
          model_json({4}, Json::array({{{"type", "dense"}, {"units", 6}}, {{"type", act}, {"alpha", 0.3}}})));
      Tensor x;
      bool found = false;
      for (std::uint64_t seed = 1; seed < 200 && !found; ++seed) {
        Rng rng(seed);
        x = random_tensor(batch(n, {4}), rng);
        randomize_params(*m, seed + 100);
        m->forward(x);
        found = min_abs(m->activation(0)) > 0.05f;
      }
      REQUIRE(found);
      Rng rng(5);
      check_all(*m, x, projection(batch(n, {6}), rng));
    }
  }
}

TEST_CASE("gradients: conv2d on non-square images with several channels") {
  struct Config {
    std::size_t kernel, stride, padding, filters;
    const char* activation;
  };
  const Config configs[] = {
      {3, 1, 1, 3, "linear"}, {3, 2, 1, 3, "tanh"},   {3, 2, 2, 2, "linear"},     {2, 2, 1, 3, "sigmoid"},
      {2, 1, 0, 2, "relu"},   {3, 3, 0, 2, "linear"}, {2, 2, 0, 2, "leaky_relu"},
  };
  const Shape in{2, 5, 7};
  for (const Config& cfg : configs) {
    for (std::size_t n : kBatches) {
      CAPTURE(cfg.kernel);
      CAPTURE(cfg.stride);
      CAPTURE(cfg.padding);
      CAPTURE(std::string(cfg.activation));
      CAPTURE(n);
      auto conv = [&](const char* a) {
        return Json{{"type", "conv2d"},     {"filters", cfg.filters}, {"kernel", cfg.kernel},
                    {"stride", cfg.stride}, {"padding", cfg.padding}, {"activation", a},
                    {"alpha", 0.2}};
      };
      // Alone: its weights, bias and input gradient. A ReLU's kinks cannot all be kept out of
      // reach here (hundreds of outputs), so those points are detected and skipped.
      const bool relu = std::string(cfg.activation).find("relu") != std::string::npos;
      auto m = make_model(model_json(in, Json::array({conv(cfg.activation)})));
      Rng rng(n + cfg.kernel * 10 + cfg.stride * 100 + cfg.padding * 1000);
      Tensor x = random_tensor(batch(n, in), rng);
      randomize_params(*m, n + 3, 0.5f);
      check_all(*m, x, projection(shape_of(m->forward(x)), rng), relu ? 1e-3 : kEps, relu);

      // Behind a 1×1 conv (whose gradient needs this layer's input gradient) and in front of
      // flatten → dense softmax with cross-entropy from the logits.
      auto deep = make_model(model_json(
          in, Json::array({{{"type", "conv2d"}, {"filters", 2}, {"kernel", 1}, {"activation", "tanh"}},
                           conv(cfg.activation),
                           {{"type", "flatten"}},
                           {{"type", "dense"}, {"units", 3}, {"activation", "softmax"}}})));
      randomize_params(*deep, n + 4, 0.5f);
      Tensor labels = Tensor::from_shape({n});
      for (std::size_t i = 0; i < n; ++i) labels(i) = static_cast<float>(i % 3);
      check_params(*deep, x, loss_objective(LossKind::cross_entropy, labels, true), relu ? 1e-3 : kEps, relu);
    }
  }
}

TEST_CASE("gradients: max and average pooling, stride equal to and different from the size") {
  struct Config {
    const char* type;
    std::size_t size, stride;
  };
  const Config configs[] = {{"maxpool2d", 2, 2}, {"maxpool2d", 3, 2}, {"maxpool2d", 2, 1},
                            {"maxpool2d", 3, 1}, {"avgpool2d", 2, 2}, {"avgpool2d", 3, 2},
                            {"avgpool2d", 2, 1}, {"avgpool2d", 2, 3}};
  const Shape in{2, 5, 7};
  for (const Config& cfg : configs) {
    for (std::size_t n : kBatches) {
      CAPTURE(std::string(cfg.type));
      CAPTURE(cfg.size);
      CAPTURE(cfg.stride);
      CAPTURE(n);
      const Json pool = {{"type", cfg.type}, {"size", cfg.size}, {"stride", cfg.stride}};
      Rng rng(n * 31 + cfg.size * 7 + cfg.stride);
      // Values 0.2 apart within every window: no ties within reach of eps.
      Tensor x = distinct_images(batch(n, in), rng);
      REQUIRE(pool_margin(x, cfg.size, cfg.stride) > 0.19f);

      auto alone = make_model(model_json(in, Json::array({pool})));
      check_input(*alone, x, projection(shape_of(alone->forward(x)), rng));

      // Behind a near-identity 1×1 conv (the windows keep their order) and before a dense layer.
      auto m = make_model(model_json(in, Json::array({{{"type", "conv2d"}, {"filters", 2}, {"kernel", 1}},
                                                      pool,
                                                      {{"type", "flatten"}},
                                                      {{"type", "dense"}, {"units", 2}}})));
      randomize_params(*m, n + 17, 0.5f);
      Param w = m->params()[0], b = m->params()[1];
      const float identity[] = {1.f, 0.f, 0.f, 1.f};
      for (std::size_t i = 0; i < 4; ++i) w.value->data()[i] = identity[i] + 0.001f * w.value->data()[i];
      for (float& v : *b.value) v *= 0.002f;
      m->forward(x);
      REQUIRE(pool_margin(m->activation(0), cfg.size, cfg.stride) > 0.15f);
      check_all(*m, x, projection(shape_of(m->output()), rng));
    }
  }
}

TEST_CASE("gradients: flatten passes gradients through unchanged") {
  const Shape in{3, 2, 4};
  auto m =
      make_model(model_json(in, Json::array({{{"type", "flatten"}}, {{"type", "dense"}, {"units", 3}}})));
  for (std::size_t n : kBatches) {
    CAPTURE(n);
    Rng rng(n);
    Tensor x = random_tensor(batch(n, in), rng);
    randomize_params(*m, n);
    CHECK(m->forward(x).shape() == Tensor::shape_type{n, 3});
    CHECK(m->activation(0).shape() == Tensor::shape_type{n, 24});
    check_all(*m, x, projection(batch(n, {3}), rng));
    // The flatten layer's own backward: dx is dy reshaped, value for value.
    Tensor dy = random_tensor(batch(n, {24}), rng), dy_copy = dy, dx;
    m->layer(0).backward(x, m->activation(0), dy, &dx, false);
    CHECK(dx.shape() == x.shape());
    CHECK(std::equal(dx.begin(), dx.end(), dy_copy.begin()));
  }
}

TEST_CASE("gradients: dropout") {
  const Shape in{40};
  SUBCASE("rate 0 in training is the identity, with the identity's gradient") {
    auto m = make_model(
        model_json({3}, Json::array({{{"type", "dense"}, {"units", 5}, {"activation", "tanh"}},
                                     {{"type", "dropout"}, {"rate", 0}},
                                     {{"type", "dense"}, {"units", 2}, {"activation", "sigmoid"}}})));
    Rng rng(3);
    Tensor x = random_tensor(batch(7, {3}), rng);
    randomize_params(*m, 4);
    Tensor eval = m->forward(x, false);
    Tensor train = m->forward(x, true);
    CHECK(std::equal(eval.begin(), eval.end(), train.begin()));
    check_all(*m, x, projection({7, 2}, rng));
  }
  SUBCASE("in training, backward uses the forward's mask: dx = mask · dy") {
    for (float rate : {0.25f, 0.5f, 0.9f}) {
      CAPTURE(rate);
      auto m = make_model(model_json(in, Json::array({{{"type", "dropout"}, {"rate", rate}}})));
      Rng rng(8);
      Tensor x = random_tensor(batch(7, in), rng, 0.5f, 1.5f);  // never 0, so y/x recovers the mask
      const Tensor y = m->forward(x, true);
      std::size_t dropped = 0;
      Tensor mask = Tensor::from_shape(x.shape());
      for (std::size_t i = 0; i < x.size(); ++i) {
        mask.data()[i] = y.data()[i] / x.data()[i];
        if (y.data()[i] == 0.f) {
          ++dropped;
        } else {
          CHECK(mask.data()[i] == doctest::Approx(1.f / (1.f - rate)).epsilon(1e-5));
        }
      }
      // 280 values: the dropped fraction is near the rate, and both kinds occur.
      CHECK(dropped > 0);
      CHECK(dropped < x.size());
      CHECK(std::fabs(static_cast<double>(dropped) / x.size() - rate) < 0.12);
      for (int twice = 0; twice < 2; ++twice) {  // a second backward must not redraw the mask
        Tensor dy = random_tensor(shape_of(x), rng), dx;
        Tensor expected = mask * dy;
        m->layer(0).backward(x, m->activation(0), dy, &dx, false);
        REQUIRE(dx.shape() == x.shape());
        for (std::size_t i = 0; i < dx.size(); ++i)
          CHECK(dx.data()[i] == doctest::Approx(expected.data()[i]).epsilon(1e-6));
      }
      // Through a model: the first dense layer's gradient sees the same mask.
      auto mm = make_model(model_json(
          {3}, Json::array({{{"type", "dense"}, {"units", 40}}, {{"type", "dropout"}, {"rate", rate}}})));
      randomize_params(*mm, 2);
      Tensor xs = random_tensor({7, 3}, rng);
      const Tensor out = mm->forward(xs, true);
      Tensor dy = random_tensor({7, 40}, rng);
      mm->backward(dy);
      // Expected dW = (mask · dy)ᵀ x, with the mask read off out / pre-dropout values.
      const Tensor& pre = mm->activation(0);
      Tensor expected_gw = xt::zeros<float>({40, 3});
      for (std::size_t r = 0; r < 7; ++r)
        for (std::size_t u = 0; u < 40; ++u) {
          const float keep = pre(r, u) != 0.f ? out(r, u) / pre(r, u) : 0.f;
          for (std::size_t c = 0; c < 3; ++c) expected_gw(u, c) += keep * dy(r, u) * xs(r, c);
        }
      const Tensor& gw = *mm->params()[0].grad;
      for (std::size_t i = 0; i < gw.size(); ++i)
        CHECK(gw.data()[i] == doctest::Approx(expected_gw.data()[i]).epsilon(1e-4).scale(1.0));
    }
  }
  SUBCASE("at evaluation, dropout passes values through") {
    auto m = make_model(model_json(in, Json::array({{{"type", "dropout"}, {"rate", 0.5}}})));
    Rng rng(1);
    Tensor x = random_tensor(batch(7, in), rng);
    Tensor y = m->forward(x, false);
    CHECK(std::equal(x.begin(), x.end(), y.begin()));
    check_input(*m, x, projection(shape_of(y), rng));
  }
}

TEST_CASE("gradients: losses through a network, as the Trainer computes them") {
  for (std::size_t n : kBatches) {
    CAPTURE(n);
    Rng rng(n + 40);
    Tensor x = random_tensor(batch(n, {4}), rng, -2.f, 2.f);
    Tensor labels = Tensor::from_shape({n});
    Tensor one_hot = xt::zeros<float>({n, std::size_t{3}});
    Tensor soft = Tensor::from_shape({n, std::size_t{3}});
    Tensor values = random_tensor(batch(n, {3}), rng);
    for (std::size_t i = 0; i < n; ++i) {
      labels(i) = static_cast<float>((i * 2 + 1) % 3);
      one_hot(i, static_cast<std::size_t>(labels(i))) = 1.f;
      float total = 0;
      for (std::size_t c = 0; c < 3; ++c) total += soft(i, c) = rng.uniform(0.1f, 1.f);
      for (std::size_t c = 0; c < 3; ++c) soft(i, c) /= total;
    }
    auto net = [&](const Json& last) {
      auto m = make_model(
          model_json({4}, Json::array({{{"type", "dense"}, {"units", 5}, {"activation", "tanh"}}, last})));
      randomize_params(*m, 77);
      return m;
    };
    const Json softmax_dense = {{"type", "dense"}, {"units", 3}, {"activation", "softmax"}};
    {
      INFO("mse");
      auto m = net({{"type", "dense"}, {"units", 3}, {"activation", "tanh"}});
      check_all(*m, x, loss_objective(LossKind::mse, values, false));
      auto s = net(softmax_dense);
      check_all(*s, x, loss_objective(LossKind::mse, one_hot, false));
    }
    for (bool from_logits : {false, true}) {
      CAPTURE(from_logits);
      {
        INFO("cross-entropy with class indices");
        auto m = net(softmax_dense);
        check_all(*m, x, loss_objective(LossKind::cross_entropy, labels, from_logits));
      }
      {
        INFO("cross-entropy with one-hot rows");
        auto m = net(softmax_dense);
        check_all(*m, x, loss_objective(LossKind::cross_entropy, one_hot, from_logits));
      }
      {
        INFO("cross-entropy with probabilities as targets");
        auto m = net(softmax_dense);
        check_all(*m, x, loss_objective(LossKind::cross_entropy, soft, from_logits));
      }
      {
        INFO("cross-entropy after a softmax layer of its own");
        auto m =
            make_model(model_json({4}, Json::array({{{"type", "dense"}, {"units", 5}, {"activation", "tanh"}},
                                                    {{"type", "dense"}, {"units", 3}},
                                                    {{"type", "softmax"}}})));
        randomize_params(*m, 78);
        check_all(*m, x, loss_objective(LossKind::cross_entropy, labels, from_logits));
      }
    }
    {
      INFO("the loss is the same from the logits and from the probabilities");
      auto m = net(softmax_dense);
      m->forward(x);
      REQUIRE(m->output_logits() != nullptr);
      for (const Tensor* t : {&labels, &one_hot, &soft})
        CHECK(loss_value(LossKind::cross_entropy, m->output(), m->output_logits(), *t) ==
              doctest::Approx(loss_value(LossKind::cross_entropy, m->output(), nullptr, *t)).epsilon(1e-5));
    }
    {
      INFO("binary cross-entropy on one sigmoid output");
      Tensor binary = Tensor::from_shape({n}), binary_col = Tensor::from_shape({n, std::size_t{1}});
      for (std::size_t i = 0; i < n; ++i) binary(i) = binary_col(i, 0) = static_cast<float>((i + 1) % 2);
      auto m = net({{"type", "dense"}, {"units", 1}, {"activation", "sigmoid"}});
      CHECK(m->output_logits() == nullptr);
      check_all(*m, x, loss_objective(LossKind::cross_entropy, binary, false));
      check_all(*m, x, loss_objective(LossKind::cross_entropy, binary_col, false));
    }
  }
}

TEST_CASE("gradients: the checker itself rejects a factor of 2 and a transposed weight gradient") {
  auto m =
      make_model(model_json({4}, Json::array({{{"type", "dense"}, {"units", 4}, {"activation", "tanh"}}})));
  randomize_params(*m, 5);
  Rng rng(6);
  Tensor x = random_tensor({7, 4}, rng);
  Objective o = projection({7, 4}, rng);
  std::vector<Tensor> analytic = analytic_param_grads(*m, x, o);
  Tensor& w = *m->params()[0].value;
  auto mismatches = [&](const Tensor& g) {
    Comparison c;
    for (std::size_t j = 0; j < w.size(); ++j)
      compare(g.data()[j], numeric(*m, x, o, w.data()[j], kEps, false), "w", j, c);
    return c.bad;
  };
  CHECK(mismatches(analytic[0]) == 0);
  CHECK(mismatches(analytic[0] * 2.f) >= 12);
  CHECK(mismatches(Tensor(xt::transpose(analytic[0]))) >= 8);
  CHECK(mismatches(analytic[0] * 1.1f) >= 4);
}
