#include "core/dynamics/reference_networks.hpp"

namespace sglab::dynamics {

namespace {
dag::DagLayerSpec sparse_layer(int width, dag::Activation activation) {
  dag::DagLayerSpec layer;
  layer.width = width;
  layer.activation = activation;
  layer.fan_in = 3;
  return layer;
}
}  // namespace

dag::DagSpec sparse40_spec() {
  dag::DagSpec spec;
  spec.inputs = 8;
  spec.seed = 40;
  spec.sigma = 0.5;
  spec.lambda = 0.5;
  spec.layers = {sparse_layer(16, dag::Activation::tanh), sparse_layer(12, dag::Activation::tanh),
                 sparse_layer(8, dag::Activation::tanh), sparse_layer(4, dag::Activation::identity)};
  return spec;
}

}  // namespace sglab::dynamics
