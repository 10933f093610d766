#pragma once
// The DAG graph view's geometry: where each node sits, what its disc and ring
// show, how each edge is drawn; and the renderer interface. The GL renderer
// (ui/gl/dag_graph_renderer) draws a scene with our own shaders (instanced
// discs with a signed-distance fragment shader, one batched edge buffer);
// without GL (tests on ImGui's null backend) the view falls back to ImDrawList.
//
// Pixel coordinates: origin at the view's top-left corner, y down.

#include <imgui.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/jobs/dag_lab_job.hpp"

namespace sglab::ui {

/// One node's disc: a filled centre (who wins at the lab's n) and two rings,
/// outer = BP, inner = SG, each split into ECV / VCM / Bias² shares of that
/// estimator's MSE at n = 1 (clockwise from 12 o'clock).
struct DagDisc {
  float x = 0, y = 0, radius = 10;
  std::array<float, 3> bp_shares{};  ///< ECV, VCM, Bias² (sum 1, or all 0 for inputs)
  std::array<float, 3> sg_shares{};
  ImU32 fill = 0;
  ImU32 outline = 0;
  float outline_px = 1.5f;  ///< thicker for the selected / hovered node
};

struct DagEdgeLine {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float width = 1;
  ImU32 colour = 0;
};

struct DagGraphScene {
  int width_px = 0, height_px = 0;
  std::vector<DagEdgeLine> edges;
  std::vector<DagDisc> discs;
  std::array<ImU32, 3> share_colours{};             ///< ECV, VCM, Bias²
  ImU32 background = IM_COL32(247, 247, 245, 255);  ///< the app's clear colour
  std::uint64_t version = 0;                        ///< changes whenever anything above changes
};

/// Where the nodes go: layers left to right, each layer centred vertically.
struct DagGraphLayout {
  std::vector<ImVec2> centre;  ///< per global node id, in view pixels
  float radius = 10;
};
DagGraphLayout layout_dag_graph(const dag::DagNetwork& net, ImVec2 size);

/// The node under `point` (view pixels), or −1.
int dag_node_at(const DagGraphLayout& layout, ImVec2 point);

/// Colours of the shares and of the win / lose fills (one place for view and legend).
namespace dag_colours {
ImU32 ecv();
ImU32 vcm();
ImU32 bias2();
ImU32 sg_wins();
ImU32 bp_wins();
ImU32 tie();
ImU32 input();
}  // namespace dag_colours

/// Builds the scene from a snapshot: discs, rings, edges weighted by λ of the
/// receiving node (width and opacity), selection and hover outlines.
DagGraphScene build_dag_graph_scene(const jobs::DagLabResult& r, const DagGraphLayout& layout,
                                    ImVec2 size, float scale, int selected, int hovered);

class DagGraphRenderer {
 public:
  virtual ~DagGraphRenderer() = default;
  /// Renders the scene offscreen and returns a texture for ImGui::Image
  /// (uv0 = (0,1), uv1 = (1,0)), or nullptr when it cannot.
  virtual ImTextureID render(const DagGraphScene& scene) = 0;
  virtual const std::string& error() const = 0;
};

}  // namespace sglab::ui
