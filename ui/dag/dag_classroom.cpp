#include "ui/dag/dag_classroom.hpp"

#include <algorithm>
#include <filesystem>

#include "core/dag/dag_spec_json.hpp"
#include "core/labs/scenario_files.hpp"

namespace sglab::ui {

const std::vector<DagClassroomStep>& dag_classroom_steps() {
  static const std::vector<DagClassroomStep> steps = {
      {"T1",
       "Nothing is random beyond what each node sees: backprop is already optimal (Theorem 1).",
       "Click the hidden nodes 3, 4 and 5 and compare the BP and SG bars. Then give the terminal "
       "some "
       "noise (σ above 0 in the editor) and watch the lights and the rings change.",
       "The rings have no orange (ECV) part: each node's gradient is a fixed function of what it "
       "observes, "
       "so there is no noise for a synthetic gradient to average away. BP and SG bars are "
       "identical, every "
       "disc is grey (a tie), light A is off and the banner states Theorem 1."},
      {"T2",
       "The terminal's feedback is noisy (A.1) and B holds: the oracle synthetic gradient beats "
       "backprop at "
       "every hidden node (Theorem 2).",
       "Select node 3 and read MSE against n. Then drag the global λ toward 0 and watch the edges "
       "thin out "
       "and the discs lose their blue.",
       "BP's bars carry a large orange ECV part and SG's have none: the oracle averages the "
       "terminal noise "
       "out. The BP and SG lines on MSE against n are parallel on log axes, so SG's advantage (17× "
       "at node 3) "
       "does not depend on n. The sample-mode points sit on the lines."},
      {"T3",
       "Dropout on the second hidden layer (A.2): SG removes the dropout noise at the first layer, "
       "but "
       "condition B fails at the dropout nodes themselves.",
       "Compare nodes 3–5 with nodes 6 and 7. Then move the dropout to the first hidden layer (q = "
       "0.5 there, "
       "q = 1 on the second) and see what happens to SG.",
       "The B light is red: at nodes 6 and 7 the feedback depends on dropout masks the node cannot "
       "see "
       "(Bgap about 40 % of E‖g‖²), and there SG is no better than BP. At nodes 3–5 SG has no ECV "
       "and wins "
       "about 3–6×. With dropout on the first layer the children see the masks and SG becomes BP "
       "exactly."},
      {"T4",
       "T2's noisy network, but each synthetic gradient is the best linear predictor: biased, so "
       "SG wins at "
       "small n and loses at large n (Theorem 3).",
       "Select node 4. Find the crossover n on MSE against n, then move the n slider past it (say "
       "n = 64) "
       "and watch the node's disc turn from blue (SG wins) to red (BP wins).",
       "A thin purple Bias² slice appears on SG's bars and ring. λ*(n) falls from 1 toward 0 as n "
       "grows: with many samples "
       "an unbiased BP average is worth more than a biased prediction. The minimum of MSE(λ) moves "
       "left as "
       "n grows."},
      {"T5",
       "Sparse wiring (A.3) hides inputs from some nodes: SG wins at some nodes, ties at others, "
       "and B fails, "
       "so no theorem applies: the lab reports what it measures.",
       "Set the first hidden layer's fan-in to 4 (dense) and watch the lights. Change the seed to "
       "draw new "
       "sparse wiring.",
       "The banner says Theorem 2 does not apply. Nodes 4 and 7 are blue (SG about 3× better), the "
       "others "
       "grey. B fails at several nodes: at node 6 the gap is about 69 % of E‖g‖². Orange ECV "
       "appears because "
       "a node that misses some inputs cannot predict its own feedback."},
  };
  return steps;
}

std::vector<DagPreset> load_dag_presets(const std::string& assets_dir, std::string* errors) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(assets_dir) / "presets", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().extension() == ".json") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  std::vector<DagPreset> out;
  for (const DagClassroomStep& step : dag_classroom_steps()) {
    for (const fs::path& file : files) {
      if (file.filename().string().rfind(step.id + "_", 0) != 0) continue;
      try {
        const config::Scenario s = labs::read_scenario(file.string());
        out.push_back({step.id, s.name, s.description, file.string(), dag::dag_spec_of(s, file.string()), &step});
      } catch (const std::exception& e) {
        if (errors) *errors += std::string(errors->empty() ? "" : "; ") + e.what();
      }
      break;
    }
  }
  return out;
}

}  // namespace sglab::ui
