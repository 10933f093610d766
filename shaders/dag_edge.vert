#version 330 core
// DAG graph view: every edge in one batched triangle buffer (two triangles per
// edge, expanded on the CPU). a_across is the signed distance from the edge's
// centre line in pixels, for antialiasing in the fragment shader.
layout(location = 0) in vec2 a_position;  // view pixels, y down
layout(location = 1) in vec2 a_across;    // signed distance (px), half width (px)
layout(location = 2) in vec4 a_colour;

uniform vec2 u_target_px;

out vec2 v_across;
out vec4 v_colour;

void main() {
  gl_Position = vec4(2.0 * a_position.x / u_target_px.x - 1.0, 1.0 - 2.0 * a_position.y / u_target_px.y, 0.0, 1.0);
  v_across = a_across;
  v_colour = a_colour;
}
