#include "ui/dag/dag_bar_labels.hpp"

#include <algorithm>
#include <cmath>

namespace sglab::ui {

BarLabelPlan plan_bar_labels(float group_w, float long_w, float short_w, float tag_w, float bar_w,
                             float gap) {
  BarLabelPlan plan;
  plan.tags = tag_w + gap <= bar_w + 2.0f;  // each tag is centred under its own bar
  if (long_w + gap <= group_w) return plan;
  plan.long_form = false;
  if (group_w > 0.0f) plan.stride = std::max(1, static_cast<int>(std::ceil((short_w + gap) / group_w)));
  else plan.stride = 1 << 20;
  return plan;
}

}  // namespace sglab::ui
