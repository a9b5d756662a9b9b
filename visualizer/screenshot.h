// Headless rendering for tests, docs and slides: frames are drawn into an offscreen framebuffer
// of exactly the requested size (independent of the screen and of the window being shown), then
// read back and written as a PNG.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace osilab::viewer {

class OffscreenTarget {
public:
    OffscreenTarget() = default;
    ~OffscreenTarget();
    OffscreenTarget(const OffscreenTarget&) = delete;
    OffscreenTarget& operator=(const OffscreenTarget&) = delete;

    // Needs a current OpenGL 3 context. False (with `error`) if framebuffers are unavailable.
    bool create(int width, int height, std::string& error);
    void bind() const;    // draw into it
    void unbind() const;  // back to the window
    // RGBA rows, top row first.
    std::vector<uint8_t> read() const;
    int width() const { return width_; }
    int height() const { return height_; }

private:
    unsigned framebuffer_ = 0;
    unsigned colour_ = 0;
    int width_ = 0, height_ = 0;
};

// Writes RGBA pixels (top row first) as a PNG; false on failure.
bool writePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgba);

}  // namespace osilab::viewer
