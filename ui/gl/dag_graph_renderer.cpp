#include "ui/gl/dag_graph_renderer.hpp"

#include "ui/gl/saved_gl_state.hpp"
#include "ui/gl/texture_writes.hpp"

#include <cmath>

#include "sglab_embedded_shaders.hpp"

namespace sglab::ui::gl {

namespace {

constexpr int kNodeFloats =
    18;  // centre 2, radius + outline 2, BP shares 3, SG shares 3, fill 4, outline 4
constexpr int kEdgeFloats = 8;  // position 2, across + half width 2, colour 4

void push_colour(std::vector<float>& out, ImU32 c) {
  const ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  out.insert(out.end(), {v.x, v.y, v.z, v.w});
}

void attribute(GLuint index, GLint size, int stride_floats, int offset_floats, bool per_instance) {
  glEnableVertexAttribArray(index);
  glVertexAttribPointer(
      index, size, GL_FLOAT, GL_FALSE, stride_floats * static_cast<GLsizei>(sizeof(float)),
      reinterpret_cast<const void*>(static_cast<std::uintptr_t>(offset_floats) * sizeof(float)));
  glVertexAttribDivisor(index, per_instance ? 1 : 0);
}

}  // namespace

GlDagGraphRenderer::GlDagGraphRenderer()
    : node_program_(shaders::kDagNodeVert, shaders::kDagNodeFrag, "dag_node"),
      edge_program_(shaders::kDagEdgeVert, shaders::kDagEdgeFrag, "dag_edge") {
  error_ = !node_program_.error().empty() ? node_program_.error() : edge_program_.error();
  if (node_program_.id() == 0 || edge_program_.id() == 0) return;
  u_node_target_ = node_program_.uniform("u_target_px");
  u_share_colours_ = node_program_.uniform("u_share_colours");
  u_edge_target_ = edge_program_.uniform("u_target_px");

  node_vao_ = GlName(glGenVertexArrays, glDeleteVertexArrays);
  node_vbo_ = GlName(glGenBuffers, glDeleteBuffers);
  glBindVertexArray(node_vao_.id());
  glBindBuffer(GL_ARRAY_BUFFER, node_vbo_.id());
  attribute(0, 2, kNodeFloats, 0, true);
  attribute(1, 2, kNodeFloats, 2, true);
  attribute(2, 3, kNodeFloats, 4, true);
  attribute(3, 3, kNodeFloats, 7, true);
  attribute(4, 4, kNodeFloats, 10, true);
  attribute(5, 4, kNodeFloats, 14, true);

  edge_vao_ = GlName(glGenVertexArrays, glDeleteVertexArrays);
  edge_vbo_ = GlName(glGenBuffers, glDeleteBuffers);
  glBindVertexArray(edge_vao_.id());
  glBindBuffer(GL_ARRAY_BUFFER, edge_vbo_.id());
  attribute(0, 2, kEdgeFloats, 0, false);
  attribute(1, 2, kEdgeFloats, 2, false);
  attribute(2, 4, kEdgeFloats, 4, false);
  glBindVertexArray(0);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
}

bool GlDagGraphRenderer::ensure_target(int width, int height) {
  if (colour_.id() != 0 && width == width_ && height == height_) return true;
  colour_ = GlName(glGenTextures, glDeleteTextures);
  glBindTexture(GL_TEXTURE_2D, colour_.id());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  if (fbo_.id() == 0) fbo_ = GlName(glGenFramebuffers, glDeleteFramebuffers);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_.id());
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, colour_.id(), 0);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    error_ = "DAG graph: framebuffer incomplete";
    colour_ = GlName();
    return false;
  }
  width_ = width;
  height_ = height;
  drawn_version_ = ~std::uint64_t{0};
  return true;
}

void GlDagGraphRenderer::upload(const DagGraphScene& scene) {
  node_data_.clear();
  for (const DagDisc& d : scene.discs) {
    node_data_.insert(node_data_.end(), {d.x, d.y, d.radius, d.outline_px});
    node_data_.insert(node_data_.end(), d.bp_shares.begin(), d.bp_shares.end());
    node_data_.insert(node_data_.end(), d.sg_shares.begin(), d.sg_shares.end());
    push_colour(node_data_, d.fill);
    push_colour(node_data_, d.outline);
  }
  node_count_ = static_cast<GLsizei>(scene.discs.size());
  glBindBuffer(GL_ARRAY_BUFFER, node_vbo_.id());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(node_data_.size() * sizeof(float)),
               node_data_.data(), GL_DYNAMIC_DRAW);

  // Each edge: a quad one pixel wider on each side than the line, for antialiasing.
  edge_data_.clear();
  for (const DagEdgeLine& e : scene.edges) {
    const float dx = e.x1 - e.x0, dy = e.y1 - e.y0;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len <= 0.0f) continue;
    const float half = 0.5f * e.width, reach = half + 1.0f;
    const float nx = -dy / len * reach, ny = dx / len * reach;
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(e.colour);
    const float corner[4][3] = {{e.x0 + nx, e.y0 + ny, reach},
                                {e.x0 - nx, e.y0 - ny, -reach},
                                {e.x1 + nx, e.y1 + ny, reach},
                                {e.x1 - nx, e.y1 - ny, -reach}};
    for (int k : {0, 1, 2, 2, 1, 3})
      edge_data_.insert(edge_data_.end(),
                        {corner[k][0], corner[k][1], corner[k][2], half, c.x, c.y, c.z, c.w});
  }
  edge_vertex_count_ = static_cast<GLsizei>(edge_data_.size() / kEdgeFloats);
  glBindBuffer(GL_ARRAY_BUFFER, edge_vbo_.id());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(edge_data_.size() * sizeof(float)),
               edge_data_.data(), GL_DYNAMIC_DRAW);
}

ImTextureID GlDagGraphRenderer::render(const DagGraphScene& scene) {
  if (node_program_.id() == 0 || edge_program_.id() == 0 || scene.width_px <= 0 ||
      scene.height_px <= 0)
    return nullptr;
  const SavedGlState saved;
  if (!ensure_target(scene.width_px, scene.height_px)) return nullptr;
  if (scene.version != drawn_version_) {
    upload(scene);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo_.id());
    glViewport(0, 0, width_, height_);
    glDisable(GL_SCISSOR_TEST);
    const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(scene.background);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glEnable(GL_BLEND);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    const float target[2] = {static_cast<float>(width_), static_cast<float>(height_)};

    glUseProgram(edge_program_.id());
    glUniform2fv(u_edge_target_, 1, target);
    glBindVertexArray(edge_vao_.id());
    glDrawArrays(GL_TRIANGLES, 0, edge_vertex_count_);

    glUseProgram(node_program_.id());
    glUniform2fv(u_node_target_, 1, target);
    float colours[9];
    for (int k = 0; k < 3; ++k) {
      const ImVec4 c =
          ImGui::ColorConvertU32ToFloat4(scene.share_colours[static_cast<std::size_t>(k)]);
      colours[3 * k] = c.x;
      colours[3 * k + 1] = c.y;
      colours[3 * k + 2] = c.z;
    }
    glUniform3fv(u_share_colours_, 3, colours);
    glBindVertexArray(node_vao_.id());
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, node_count_);
    drawn_version_ = scene.version;
    ++texture_writes();
  }
  return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(colour_.id()));
}

}  // namespace sglab::ui::gl
