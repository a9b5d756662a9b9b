#include "visualizer/screenshot.h"

#define GLFW_INCLUDE_GLEXT
#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <cstring>

namespace osilab::viewer {

namespace {

// Framebuffer objects are OpenGL 3.0 core; the system header only declares OpenGL 1.x, so the
// entry points come from the driver through GLFW.
struct FramebufferApi {
    PFNGLGENFRAMEBUFFERSPROC genFramebuffers = nullptr;
    PFNGLDELETEFRAMEBUFFERSPROC deleteFramebuffers = nullptr;
    PFNGLBINDFRAMEBUFFERPROC bindFramebuffer = nullptr;
    PFNGLGENRENDERBUFFERSPROC genRenderbuffers = nullptr;
    PFNGLDELETERENDERBUFFERSPROC deleteRenderbuffers = nullptr;
    PFNGLBINDRENDERBUFFERPROC bindRenderbuffer = nullptr;
    PFNGLRENDERBUFFERSTORAGEPROC renderbufferStorage = nullptr;
    PFNGLFRAMEBUFFERRENDERBUFFERPROC framebufferRenderbuffer = nullptr;
    PFNGLCHECKFRAMEBUFFERSTATUSPROC checkFramebufferStatus = nullptr;

    bool load() {
        auto get = [](const char* name) { return glfwGetProcAddress(name); };
        genFramebuffers = reinterpret_cast<PFNGLGENFRAMEBUFFERSPROC>(get("glGenFramebuffers"));
        deleteFramebuffers =
            reinterpret_cast<PFNGLDELETEFRAMEBUFFERSPROC>(get("glDeleteFramebuffers"));
        bindFramebuffer = reinterpret_cast<PFNGLBINDFRAMEBUFFERPROC>(get("glBindFramebuffer"));
        genRenderbuffers = reinterpret_cast<PFNGLGENRENDERBUFFERSPROC>(get("glGenRenderbuffers"));
        deleteRenderbuffers =
            reinterpret_cast<PFNGLDELETERENDERBUFFERSPROC>(get("glDeleteRenderbuffers"));
        bindRenderbuffer = reinterpret_cast<PFNGLBINDRENDERBUFFERPROC>(get("glBindRenderbuffer"));
        renderbufferStorage =
            reinterpret_cast<PFNGLRENDERBUFFERSTORAGEPROC>(get("glRenderbufferStorage"));
        framebufferRenderbuffer =
            reinterpret_cast<PFNGLFRAMEBUFFERRENDERBUFFERPROC>(get("glFramebufferRenderbuffer"));
        checkFramebufferStatus =
            reinterpret_cast<PFNGLCHECKFRAMEBUFFERSTATUSPROC>(get("glCheckFramebufferStatus"));
        return genFramebuffers && deleteFramebuffers && bindFramebuffer && genRenderbuffers &&
               deleteRenderbuffers && bindRenderbuffer && renderbufferStorage &&
               framebufferRenderbuffer && checkFramebufferStatus;
    }
};

FramebufferApi& api() {
    static FramebufferApi instance;
    return instance;
}

}  // namespace

OffscreenTarget::~OffscreenTarget() {
    if (framebuffer_ != 0) api().deleteFramebuffers(1, &framebuffer_);
    if (colour_ != 0) api().deleteRenderbuffers(1, &colour_);
}

bool OffscreenTarget::create(int width, int height, std::string& error) {
    if (!api().load()) {
        error = "this OpenGL driver has no framebuffer objects (OpenGL 3.0 is needed)";
        return false;
    }
    width_ = width;
    height_ = height;
    api().genRenderbuffers(1, &colour_);
    api().bindRenderbuffer(GL_RENDERBUFFER, colour_);
    api().renderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    api().genFramebuffers(1, &framebuffer_);
    api().bindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
    api().framebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, colour_);
    const GLenum status = api().checkFramebufferStatus(GL_FRAMEBUFFER);
    api().bindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        error = "cannot make an offscreen framebuffer of " + std::to_string(width) + "x" +
                std::to_string(height) + " (status " + std::to_string(status) + ")";
        return false;
    }
    return true;
}

void OffscreenTarget::bind() const {
    api().bindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
}
void OffscreenTarget::unbind() const {
    api().bindFramebuffer(GL_FRAMEBUFFER, 0);
}

std::vector<uint8_t> OffscreenTarget::read() const {
    std::vector<uint8_t> pixels(size_t(width_) * size_t(height_) * 4);
    api().bindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer_);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    api().bindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    // Blending may leave alpha below 1; a screenshot is opaque.
    for (size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255;
    // OpenGL's first row is the bottom one; PNG's is the top one.
    const size_t stride = size_t(width_) * 4;
    std::vector<uint8_t> row(stride);
    for (int y = 0; y < height_ / 2; ++y) {
        uint8_t* a = pixels.data() + size_t(y) * stride;
        uint8_t* b = pixels.data() + size_t(height_ - 1 - y) * stride;
        std::memcpy(row.data(), a, stride);
        std::memcpy(a, b, stride);
        std::memcpy(b, row.data(), stride);
    }
    return pixels;
}

bool writePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba) {
    return stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4) != 0;
}

}  // namespace osilab::viewer
