#pragma once
// OpenGL 3.3 core entry points. Linux's libGL exports them, so prototypes suffice.
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
