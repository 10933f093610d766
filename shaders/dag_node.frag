#version 330 core
// DAG graph view: a node as a signed-distance disc. From the rim inwards:
// the outline, the BP ring, a thin gap, the SG ring, then the fill (who wins).
// Each ring is split clockwise from 12 o'clock into its estimator's ECV / VCM /
// Bias² shares (THEORY.md §2, eq 8).
in vec2 v_local;
flat in float v_radius;
flat in float v_outline;
flat in vec3 v_bp;
flat in vec3 v_sg;
flat in vec4 v_fill;
flat in vec4 v_outline_colour;

uniform vec3 u_share_colours[3];

out vec4 frag_colour;

const float kTau = 6.28318530718;
const vec3 kEmpty = vec3(0.85, 0.85, 0.85);  // a ring with nothing to show (inputs)

vec3 share_colour(vec3 shares, float t) {
  if (shares.x + shares.y + shares.z <= 0.0) return kEmpty;
  if (t < shares.x) return u_share_colours[0];
  if (t < shares.x + shares.y) return u_share_colours[1];
  return u_share_colours[2];
}

void main() {
  float dist = length(v_local);
  float coverage = clamp(v_radius - dist + 0.5, 0.0, 1.0);  // signed distance to the rim
  if (coverage <= 0.0) discard;
  float t = fract(atan(v_local.x, -v_local.y) / kTau + 1.0);  // clockwise from 12 o'clock
  float ring = max(0.2 * v_radius, 3.0);
  float gap = max(0.04 * v_radius, 1.0);
  float r_bp = v_radius - v_outline;
  float r_sg = r_bp - ring - gap;
  float r_fill = r_sg - ring;
  vec3 colour;
  if (dist > r_bp) colour = v_outline_colour.rgb;
  else if (dist > r_bp - ring) colour = share_colour(v_bp, t);
  else if (dist > r_sg) colour = vec3(1.0);
  else if (dist > r_fill) colour = share_colour(v_sg, t);
  else colour = v_fill.rgb;
  frag_colour = vec4(colour, coverage);
}
