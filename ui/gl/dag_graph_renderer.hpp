#pragma once
// Draws the DAG graph view offscreen with our own shaders (shaders/dag_node.*,
// shaders/dag_edge.*): all edges in one batched triangle buffer, all nodes as
// instanced quads cut into discs and rings by a signed-distance fragment
// shader. Two draw calls per scene; a scene that did not change is not redrawn.
// Needs a current OpenGL 3.3 core context for its whole life.

#include <cstdint>
#include <string>
#include <vector>

#include "ui/dag/dag_graph_scene.hpp"
#include "ui/gl/gl_headers.hpp"
#include "ui/gl/shader_program.hpp"

namespace sglab::ui::gl {

/// RAII owner of one GL buffer, vertex array, texture or framebuffer name.
class GlName {
 public:
  using Deleter = void (*)(GLsizei, const GLuint*);
  GlName() = default;
  GlName(void (*generate)(GLsizei, GLuint*), Deleter deleter) : deleter_(deleter) {
    generate(1, &id_);
  }
  ~GlName() {
    if (id_ != 0 && deleter_ != nullptr) deleter_(1, &id_);
  }
  GlName(const GlName&) = delete;
  GlName& operator=(const GlName&) = delete;
  GlName(GlName&& o) noexcept : id_(o.id_), deleter_(o.deleter_) { o.id_ = 0; }
  GlName& operator=(GlName&& o) noexcept {
    if (this != &o) {
      if (id_ != 0 && deleter_ != nullptr) deleter_(1, &id_);
      id_ = o.id_;
      deleter_ = o.deleter_;
      o.id_ = 0;
    }
    return *this;
  }
  GLuint id() const { return id_; }

 private:
  GLuint id_ = 0;
  Deleter deleter_ = nullptr;
};

class GlDagGraphRenderer final : public DagGraphRenderer {
 public:
  GlDagGraphRenderer();
  GlDagGraphRenderer(const GlDagGraphRenderer&) = delete;
  GlDagGraphRenderer& operator=(const GlDagGraphRenderer&) = delete;

  ImTextureID render(const DagGraphScene& scene) override;
  const std::string& error() const override { return error_; }

 private:
  bool ensure_target(int width, int height);
  void upload(const DagGraphScene& scene);

  ShaderProgram node_program_, edge_program_;
  GlName node_vao_, node_vbo_, edge_vao_, edge_vbo_;
  GlName colour_, fbo_;
  int width_ = 0, height_ = 0;
  std::uint64_t drawn_version_ = ~std::uint64_t{0};
  GLsizei node_count_ = 0, edge_vertex_count_ = 0;
  std::vector<float> node_data_, edge_data_;
  std::string error_;
  GLint u_node_target_ = -1, u_share_colours_ = -1, u_edge_target_ = -1;
};

}  // namespace sglab::ui::gl
