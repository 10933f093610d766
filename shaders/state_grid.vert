#version 330 core
// Full-target quad for the state-pooling view (ui/gl/state_grid_renderer.cpp).
// Two triangles from gl_VertexID: no vertex buffer needed.
out vec2 v_uv;  // (0,0) bottom-left .. (1,1) top-right of the render target

void main() {
  const vec2 corners[6] = vec2[6](vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(1.0, 1.0),
                                  vec2(0.0, 0.0), vec2(1.0, 1.0), vec2(0.0, 1.0));
  v_uv = corners[gl_VertexID];
  gl_Position = vec4(v_uv * 2.0 - 1.0, 0.0, 1.0);
}
