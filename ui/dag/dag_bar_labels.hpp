#pragma once
// Which labels the per-node bars can carry without overlapping (issue 11:
// "node 10node 11" from 11 nodes on). Pure arithmetic on measured text widths,
// tested without a window.

namespace sglab::ui {

struct BarLabelPlan {
  bool long_form = true;  ///< "node 12" (true) or "12" with "node" said once
  int stride = 1;         ///< label every stride-th group
  bool tags = true;       ///< the "BP" / "SG" tags under each bar
};

/// `group_w`: width of one node's group of bars; `long_w` / `short_w`: the
/// widest "node N" / "N" label; `tag_w`: the wider of "BP" and "SG"; `bar_w`:
/// one bar's width; `gap`: the least space between two labels.
BarLabelPlan plan_bar_labels(float group_w, float long_w, float short_w, float tag_w, float bar_w,
                             float gap);

}  // namespace sglab::ui
