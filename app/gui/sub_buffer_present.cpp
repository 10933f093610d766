#include "app/gui/sub_buffer_present.hpp"

#include <GL/glx.h>

#include <cmath>
#include <cstring>

namespace sglab::gui {

namespace {

using CopySubBufferMESA = void (*)(Display* display, GLXDrawable drawable, int x, int y, int width, int height);

// Whether `name` is a whole word of the space-separated extension list.
bool has_extension(const char* list, const char* name) {
  if (list == nullptr) return false;
  const std::size_t n = std::strlen(name);
  for (const char* p = std::strstr(list, name); p != nullptr; p = std::strstr(p + 1, name))
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
  return false;
}

}  // namespace

SubBufferPresent::SubBufferPresent(bool enabled) {
  if (!enabled) return;
  // The window's context is current (GuiWindow made it so): its display and drawable.
  Display* display = glXGetCurrentDisplay();
  const GLXDrawable drawable = glXGetCurrentDrawable();
  if (display == nullptr || drawable == 0) return;  // not X11 / GLX (e.g. EGL on Wayland)
  if (!has_extension(glXQueryExtensionsString(display, DefaultScreen(display)), "GLX_MESA_copy_sub_buffer")) return;
  auto fn = glXGetProcAddressARB(reinterpret_cast<const GLubyte*>("glXCopySubBufferMESA"));
  if (fn == nullptr) return;
  display_ = display;
  drawable_ = drawable;
  copy_ = fn;
}

void SubBufferPresent::present(const std::vector<ui::DamageRect>& rects, float scale_x, float scale_y,
                               int framebuffer_height) const {
  for (const ui::DamageRect& r : rects) {
    const int x0 = static_cast<int>(std::floor(r.x0 * scale_x)), x1 = static_cast<int>(std::ceil(r.x1 * scale_x));
    const int y0 = static_cast<int>(std::floor(r.y0 * scale_y)), y1 = static_cast<int>(std::ceil(r.y1 * scale_y));
    // An implicit glFlush precedes the copy (GLX_MESA_copy_sub_buffer).
    reinterpret_cast<CopySubBufferMESA>(copy_)(static_cast<Display*>(display_), drawable_, x0, framebuffer_height - y1,
                                               x1 - x0, y1 - y0);
  }
}

}  // namespace sglab::gui
