#version 330 core
// DAG graph view: one instanced quad per node (ui/gl/dag_graph_renderer.cpp).
// Positions are view pixels, y down; the quad covers the disc plus a pixel of
// antialiasing margin, and the fragment shader cuts the disc out with its
// signed distance.
layout(location = 0) in vec2 a_centre;
layout(location = 1) in vec2 a_radius_outline;  // radius, outline width (px)
layout(location = 2) in vec3 a_bp_shares;       // ECV, VCM, Bias² shares of BP's MSE
layout(location = 3) in vec3 a_sg_shares;       // the same for SG
layout(location = 4) in vec4 a_fill;
layout(location = 5) in vec4 a_outline;

uniform vec2 u_target_px;

out vec2 v_local;  // pixels from the centre, y down
flat out float v_radius;
flat out float v_outline;
flat out vec3 v_bp;
flat out vec3 v_sg;
flat out vec4 v_fill;
flat out vec4 v_outline_colour;

void main() {
  const vec2 corners[4] = vec2[4](vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(-1.0, 1.0), vec2(1.0, 1.0));
  float extent = a_radius_outline.x + 1.5;
  v_local = corners[gl_VertexID] * extent;
  vec2 px = a_centre + v_local;
  gl_Position = vec4(2.0 * px.x / u_target_px.x - 1.0, 1.0 - 2.0 * px.y / u_target_px.y, 0.0, 1.0);
  v_radius = a_radius_outline.x;
  v_outline = a_radius_outline.y;
  v_bp = a_bp_shares;
  v_sg = a_sg_shares;
  v_fill = a_fill;
  v_outline_colour = a_outline;
}
