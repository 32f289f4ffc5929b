// The "layers" entries of a model spec (docs/spec-format.md, "Layers").
#include "spec_parse.hpp"

namespace dlplay::parse {

LayerSpec parse_layer(const Json& j, const std::string& field) {
  if (!j.is_object()) fail(field, "expected a layer object, got " + kind_of(j));
  const std::vector<std::string>& types = vocab::layer_types();
  if (!j.contains("type")) fail(field + ".type", "missing (expected one of " + join(types) + ")");
  LayerSpec l;
  l.source = j;
  l.type = get_choice(j["type"], field + ".type", types);
  namespace r = vocab::range;
  auto f = [&](const char* key) { return field + "." + key; };
  if (l.type == "dense") {
    check_keys(j, field, {"type", "name", "units", "activation", "alpha", "init", "weights", "bias"});
    if (!j.contains("units")) fail(f("units"), "missing (how many neurons the layer has)");
    l.units = get_size(j["units"], f("units"), r::units);
  } else if (l.type == "conv2d") {
    check_keys(j, field,
               {"type", "name", "filters", "kernel", "stride", "padding", "activation", "alpha", "init",
                "weights", "bias"});
    if (!j.contains("filters")) fail(f("filters"), "missing (how many filters the layer has)");
    if (!j.contains("kernel")) fail(f("kernel"), "missing (the kernel size)");
    l.filters = get_size(j["filters"], f("filters"), r::filters);
    l.kernel = get_size(j["kernel"], f("kernel"), r::kernel);
    if (j.contains("stride")) l.stride = get_size(j["stride"], f("stride"), r::stride);
    if (j.contains("padding")) l.padding = get_size(j["padding"], f("padding"), r::padding);
  } else if (l.type == "maxpool2d" || l.type == "avgpool2d") {
    check_keys(j, field, {"type", "name", "size", "stride"});
    if (!j.contains("size")) fail(f("size"), "missing (the pooling window size)");
    l.size = get_size(j["size"], f("size"), r::pool_size);
    l.stride = j.contains("stride") ? get_size(j["stride"], f("stride"), r::stride) : l.size;
  } else if (l.type == "rnn" || l.type == "lstm" || l.type == "gru") {
    std::vector<std::string> keys = {"type", "name",    "units", "return_sequences",
                                     "init", "weights", "bias",  "recurrent_weights"};
    if (l.type == "rnn") keys.push_back("activation");
    if (l.type == "gru") keys.push_back("recurrent_bias");
    check_keys(j, field, keys);
    if (!j.contains("units")) fail(f("units"), "missing (the size of the hidden state)");
    l.units = get_size(j["units"], f("units"), r::units);
    if (j.contains("return_sequences"))
      l.return_sequences = get_bool(j["return_sequences"], f("return_sequences"));
    l.activation = kernels::Activation::tanh;
  } else if (l.type == "embedding") {
    check_keys(j, field, {"type", "name", "vocab", "units", "init", "weights"});
    if (!j.contains("vocab")) fail(f("vocab"), "missing (how many token ids there are)");
    if (!j.contains("units")) fail(f("units"), "missing (the length of each token's vector)");
    l.vocab = get_size(j["vocab"], f("vocab"), r::vocab_size);
    l.units = get_size(j["units"], f("units"), r::units);
  } else if (l.type == "flatten") {
    check_keys(j, field, {"type", "name"});
  } else if (l.type == "dropout") {
    check_keys(j, field, {"type", "name", "rate"});
    if (j.contains("rate")) l.rate = get_float(j["rate"], f("rate"), r::dropout_rate);
  } else {  // an activation as a layer of its own
    check_keys(j, field, {"type", "name", "alpha"});
    l.activation = parse_activation(l.type, f("type"));
  }
  if (j.contains("name")) get_string(j["name"], f("name"));
  if (j.contains("activation"))
    l.activation = parse_activation(get_string(j["activation"], f("activation")), f("activation"));
  if (l.type == "rnn" && l.activation != kernels::Activation::tanh &&
      l.activation != kernels::Activation::relu)
    fail(f("activation"), "expected tanh or relu (the activations of PyTorch's nn.RNN), got '" +
                              activation_name(l.activation) + "'");
  if (j.contains("alpha")) l.alpha = get_float(j["alpha"], f("alpha"), r::alpha);
  if (j.contains("init")) l.init = get_choice(j["init"], f("init"), vocab::initializers());
  if (j.contains("weights")) {
    Shape s;
    l.weights = numbers(j["weights"], f("weights"), s);
    l.weights_shape = s;
  }
  if (j.contains("recurrent_weights")) {
    Shape s;
    l.recurrent_weights = numbers(j["recurrent_weights"], f("recurrent_weights"), s);
    l.recurrent_weights_shape = s;
  }
  if (j.contains("recurrent_bias")) {
    Shape s;
    l.recurrent_bias = numbers(j["recurrent_bias"], f("recurrent_bias"), s);
    if (s.size() != 1)
      fail(f("recurrent_bias"), "expected a flat array of numbers, got shape " + shape_string(s));
  }
  if (j.contains("bias")) {
    Shape s;
    l.bias = numbers(j["bias"], f("bias"), s);
    if (s.size() != 1) fail(f("bias"), "expected a flat array of numbers, got shape " + shape_string(s));
  }
  return l;
}

}  // namespace dlplay::parse
