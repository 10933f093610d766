#version 330 core
// DAG graph view: an edge with antialiased sides.
in vec2 v_across;
in vec4 v_colour;
out vec4 frag_colour;

void main() {
  float coverage = clamp(v_across.y - abs(v_across.x) + 0.5, 0.0, 1.0);
  frag_colour = vec4(v_colour.rgb, v_colour.a * coverage);
}
