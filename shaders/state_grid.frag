#version 330 core
// The state-pooling view (THEORY.md §6): one cell per state r of the 2^d
// states, laid out row-major (r = row * cols + col, row 0 on top), coloured by
// the state's error on a log scale. When a state is hovered, the states that
// expert j pools with it (same key: the bits of r in C_j agree) keep their
// colour and every other state fades, so the 2^(d-k) pooled states stand out.
in vec2 v_uv;
out vec4 frag_colour;

uniform sampler2D u_values;   // R32F, cols x rows: per-state mean squared error
uniform int u_cols;
uniform int u_rows;
uniform float u_log_lo;       // log10 of the value drawn darkest
uniform float u_log_hi;       // log10 of the value drawn brightest
uniform int u_hovered;        // hovered state, or -1
uniform uint u_mask;          // bit mask of the coordinates C_j of the chosen expert
uniform vec2 u_target_px;     // render-target size in pixels

// Perceptually ordered purple -> blue -> green -> yellow ramp (same anchors as
// sequential_colour in ui/theme.cpp), readable by colour-blind viewers.
vec3 ramp(float t) {
  const vec3 a[5] = vec3[5](vec3(0.267, 0.005, 0.329), vec3(0.230, 0.322, 0.546),
                            vec3(0.128, 0.567, 0.551), vec3(0.369, 0.789, 0.383),
                            vec3(0.993, 0.906, 0.144));
  float x = clamp(t, 0.0, 1.0) * 4.0;
  int i = min(3, int(x));
  return mix(a[i], a[i + 1], x - float(i));
}

void main() {
  vec2 grid = vec2(float(u_cols), float(u_rows));
  vec2 pos = vec2(v_uv.x, 1.0 - v_uv.y) * grid;  // row 0 at the top
  ivec2 cell = clamp(ivec2(floor(pos)), ivec2(0), ivec2(u_cols - 1, u_rows - 1));
  int r = cell.y * u_cols + cell.x;

  float v = texelFetch(u_values, cell, 0).r;
  float t = v > 0.0 ? (log(v) / log(10.0) - u_log_lo) / max(u_log_hi - u_log_lo, 1e-6) : 0.0;
  vec3 colour = ramp(t);

  if (u_hovered >= 0) {
    bool pooled = ((uint(r) ^ uint(u_hovered)) & u_mask) == 0u;
    if (!pooled) colour = mix(colour, vec3(0.96), 0.82);
  }

  // Cell borders when cells are large enough to show them.
  vec2 cell_px = u_target_px / grid;
  vec2 f = fract(pos);
  vec2 edge = min(f, 1.0 - f) * cell_px;
  float border = (min(cell_px.x, cell_px.y) >= 6.0 && min(edge.x, edge.y) < 0.75) ? 1.0 : 0.0;
  colour = mix(colour, vec3(1.0), 0.55 * border);

  if (r == u_hovered) {  // the hovered state: a black frame inside the cell
    float w = max(1.5, min(cell_px.x, cell_px.y) * 0.18);
    if (min(edge.x, edge.y) < w) colour = vec3(0.0);
  }
  frag_colour = vec4(colour, 1.0);
}
