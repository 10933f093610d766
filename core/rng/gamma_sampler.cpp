#include "core/rng/gamma_sampler.hpp"

#include <sstream>

#include "core/util/error.hpp"

namespace sglab::rng {

GammaSampler::GammaSampler(double shape) : shape_(shape) {
  if (!(shape > 0.0) || !std::isfinite(shape)) {
    std::ostringstream message;
    message << "gamma sampler: shape must be finite and > 0 (got " << shape << ")";
    throw Error(message.str());
  }
  boosted_ = shape < 1.0;
  e_ = (boosted_ ? shape + 1.0 : shape) - 1.0 / 3.0;
  c_ = 1.0 / std::sqrt(9.0 * e_);
  inverse_shape_ = boosted_ ? 1.0 / shape : 1.0;
}

}  // namespace sglab::rng
