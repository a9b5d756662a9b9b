#include "visualizer/teaching/ladder_export.h"

#define GLFW_INCLUDE_GLEXT
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "lab/session/session_loader.h"
#include "visualizer/screenshot.h"
#include "visualizer/teaching/ladder_colours.h"
#include "visualizer/teaching/ladder_draw.h"

namespace osilab::viewer {

namespace {

// Largest picture we render in one piece (framebuffers of software renderers stop at 8192).
constexpr int kMaxPngSide = 8192;

std::string hex(Colour c) {
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", c & 0xff, (c >> 8) & 0xff, (c >> 16) & 0xff);
    return text;
}

std::string opacity(Colour c) {
    const unsigned a = (c >> 24) & 0xff;
    if (a == 255) return "";
    char text[32];
    std::snprintf(text, sizeof text, " fill-opacity=\"%.2f\"", a / 255.0);
    return text;
}

std::string escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default:
                // Control characters are not allowed in XML 1.0.
                if (static_cast<unsigned char>(ch) >= 0x20 || ch == '\t') out += ch;
        }
    }
    return out;
}

class Svg {
public:
    explicit Svg(std::ostringstream& out) : out_(out) {}
    void rect(float x0, float y0, float x1, float y1, Colour fill, float radius = 0) {
        out_ << "<rect x=\"" << x0 << "\" y=\"" << y0 << "\" width=\"" << x1 - x0 << "\" height=\""
             << y1 - y0 << "\"" << (radius > 0 ? " rx=\"" + std::to_string(radius) + "\"" : "")
             << " fill=\"" << hex(fill) << "\"" << opacity(fill) << "/>\n";
    }
    void outline(float x0, float y0, float x1, float y1, Colour fill, Colour stroke, float width,
                 float radius) {
        out_ << "<rect x=\"" << x0 << "\" y=\"" << y0 << "\" width=\"" << x1 - x0 << "\" height=\""
             << y1 - y0 << "\" rx=\"" << radius << "\" fill=\"" << hex(fill) << "\" stroke=\""
             << hex(stroke) << "\" stroke-width=\"" << width << "\"/>\n";
    }
    void line(float x0, float y0, float x1, float y1, Colour stroke, float width) {
        out_ << "<line x1=\"" << x0 << "\" y1=\"" << y0 << "\" x2=\"" << x1 << "\" y2=\"" << y1
             << "\" stroke=\"" << hex(stroke) << "\" stroke-width=\"" << width << "\"/>\n";
    }
    void polygon(const float* xy, int points, Colour fill) {
        out_ << "<polygon points=\"";
        for (int i = 0; i < points; ++i)
            out_ << (i ? " " : "") << xy[2 * i] << "," << xy[2 * i + 1];
        out_ << "\" fill=\"" << hex(fill) << "\"/>\n";
    }
    // `y` is the top of the text (as Dear ImGui places it); SVG places the baseline.
    void text(float x, float y, float size, Colour fill, const std::string& s,
              const char* anchor = "start", bool bold = false) {
        out_ << "<text x=\"" << x << "\" y=\"" << y + size * 0.82f << "\" font-size=\"" << size
             << "\" fill=\"" << hex(fill) << "\"" << (bold ? " font-weight=\"bold\"" : "")
             << " text-anchor=\"" << anchor << "\">" << escape(s) << "</text>\n";
    }

private:
    std::ostringstream& out_;
};

}  // namespace

std::string ladderSvg(const LadderLayout& layout) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(1);
    const float em = layout.font_size;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << layout.width << "\" height=\""
        << layout.height << "\" viewBox=\"0 0 " << layout.width << " " << layout.height << "\" "
        << "font-family=\"'Noto Sans', 'Noto Sans CJK SC', 'DejaVu Sans', sans-serif\">\n";
    Svg svg(out);
    svg.rect(0, 0, layout.width, layout.height, ladderColour(LadderColour::Background));
    for (size_t i = 0; i < layout.steps.size(); ++i) {
        const LadderStepBand& b = layout.steps[i];
        svg.rect(
            0, b.y0, layout.width, b.y1,
            i % 2 ? ladderColour(LadderColour::BandOdd) : ladderColour(LadderColour::BandEven));
        svg.text(em * 0.4f, b.y0 + em * 0.3f, em * 0.9f, ladderColour(LadderColour::StepTitle),
                 b.title);
    }
    for (const LadderLifeline& l : layout.lifelines)
        svg.line(l.x, layout.header_height, l.x, layout.height - em * 0.5f,
                 ladderColour(LadderColour::Lifeline), 1.5f);
    for (const LadderCallBox& c : layout.calls) {
        const Colour colour =
            c.failed ? ladderColour(LadderColour::Failed) : ladderActorColour(size_t(c.lifeline));
        if (c.pending) {
            svg.rect(c.x0, c.y0, c.x1, c.y0 + em * 0.5f, colour);
            svg.line(c.x0, c.y0, c.x0, c.y1, colour, 2);
            svg.line(c.x1, c.y0, c.x1, c.y1, colour, 2);
        } else {
            svg.rect(c.x0, c.y0, c.x1, c.y1, colour, 2);
        }
        svg.text(c.label_x, c.label_y, em, ladderColour(LadderColour::Text), c.label);
        if (!c.result.empty())
            svg.text(
                c.result_x, c.result_y, em,
                c.failed ? ladderColour(LadderColour::Failed) : ladderColour(LadderColour::Muted),
                c.result);
    }
    for (const LadderArrow& a : layout.arrows) {
        const Colour colour =
            a.tcp ? ladderColour(LadderColour::Tcp) : ladderColour(LadderColour::Udp);
        svg.line(a.x0, a.y0, a.x1, a.y1, colour, 1.5f);
        const float dx = a.x1 - a.x0, dy = a.y1 - a.y0;
        const float length = std::sqrt(dx * dx + dy * dy);
        if (length > 0) {
            const float ux = dx / length, uy = dy / length, head = em * 0.6f;
            const float xy[6] = {a.x1,
                                 a.y1,
                                 a.x1 - ux * head - uy * head * 0.45f,
                                 a.y1 - uy * head + ux * head * 0.45f,
                                 a.x1 - ux * head + uy * head * 0.45f,
                                 a.y1 - uy * head - ux * head * 0.45f};
            svg.polygon(xy, 3, colour);
        }
        // Centred on the arrow: the viewer's fonts and the reader's may differ in width.
        svg.text((a.x0 + a.x1) * 0.5f, a.label_y, em, ladderColour(LadderColour::Text), a.label,
                 "middle");
    }
    for (const LadderStateLabel& s : layout.states) {
        const float w = estimateTextWidth(s.text, em * 0.9f) + em * 0.6f;
        if (s.inferred) {  // followed from the packets: an outline, the kernel's are filled
            svg.outline(s.x - w * 0.5f, s.y - em * 0.6f, s.x + w * 0.5f, s.y + em * 0.6f,
                        ladderColour(LadderColour::Background), ladderStateColour(s.state),
                        std::max(1.5f, em * 0.1f), em * 0.3f);
            svg.text(s.x, s.y - em * 0.45f, em * 0.9f, ladderStateColour(s.state), s.text, "middle");
            continue;
        }
        svg.rect(s.x - w * 0.5f, s.y - em * 0.6f, s.x + w * 0.5f, s.y + em * 0.6f,
                 ladderStateColour(s.state), em * 0.3f);
        svg.text(s.x, s.y - em * 0.45f, em * 0.9f, ladderColour(LadderColour::TextOnState), s.text,
                 "middle");
    }
    for (size_t i = 0; i < layout.lifelines.size(); ++i) {
        const LadderLifeline& l = layout.lifelines[i];
        const std::string actor = l.actor.empty() ? "?" : l.actor;
        const float w =
            std::max(estimateTextWidth(actor, em), estimateTextWidth(l.address, em * 0.9f)) + em;
        svg.rect(l.x - w * 0.5f, l.title_y, l.x + w * 0.5f, l.title_y + 2.5f * em,
                 ladderActorColour(i), em * 0.25f);
        svg.text(l.x, l.title_y + em * 0.2f, em, ladderColour(LadderColour::TextOnState), actor,
                 "middle", true);
        if (!l.address.empty())
            svg.text(l.x, l.title_y + em * 1.3f, em * 0.9f, ladderColour(LadderColour::TextOnState),
                     l.address, "middle");
    }
    out << "</svg>\n";
    return out.str();
}

std::string writeLadderSvg(const LadderLayout& layout, const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return "cannot write " + path + ": " + std::strerror(errno);
    out << ladderSvg(layout);
    out.close();
    if (!out) return "cannot write " + path + " (disk full?)";
    return {};
}

std::string writeLadderPng(const LadderLayout& layout, const std::string& path) {
    const int width = std::clamp(int(std::ceil(layout.width)), 1, kMaxPngSide);
    const int height = std::clamp(int(std::ceil(layout.height)), 1, kMaxPngSide);
    OffscreenTarget target;
    std::string error;
    if (!target.create(width, height, error)) return error;

    // The diagram as one draw list, rendered by the same backend as the window.
    ImDrawList list(ImGui::GetDrawListSharedData());
    list._ResetForNewFrame();
    list.PushTextureID(ImGui::GetIO().Fonts->TexID);
    list.PushClipRect(ImVec2(0, 0), ImVec2(float(width), float(height)));
    list.AddRectFilled(ImVec2(0, 0), ImVec2(float(width), float(height)), ladderBackground());
    paintLadder(&list, layout, ImVec2(0, 0), LadderPaint{});
    ImDrawList* lists[] = {&list};
    ImDrawData data;
    data.Valid = true;
    data.CmdLists = lists;
    data.CmdListsCount = 1;
    data.TotalVtxCount = list.VtxBuffer.Size;
    data.TotalIdxCount = list.IdxBuffer.Size;
    data.DisplayPos = ImVec2(0, 0);
    data.DisplaySize = ImVec2(float(width), float(height));
    data.FramebufferScale = ImVec2(1, 1);

    target.bind();
    glViewport(0, 0, width, height);
    glClearColor(1, 1, 1, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(&data);
    glFinish();
    const std::vector<uint8_t> pixels = target.read();
    target.unbind();
    if (!writePng(path, width, height, pixels)) return "cannot write " + path;
    return {};
}

int exportLadderSvgFromFile(const std::string& capture, const std::string& svg_path, bool zh,
                            float font_size) {
    auto session = std::make_shared<session::Session>();
    session::SessionLoader::loadFile(session, capture)->wait();
    const session::LoadStatus status = session->status();
    if (status.state == session::LoadState::Failed) {
        std::fprintf(stderr, "osilab-gui: %s\n", status.message.c_str());
        return 1;
    }
    session::LessonTimeline timeline;
    timeline.reset(session.get());
    timeline.update();
    if (!timeline.isLesson()) {
        std::fprintf(stderr,
                     "osilab-gui: %s has no lesson records, so there is no ladder to draw (record "
                     "one with `osilab run LESSON --save FILE`)\n",
                     capture.c_str());
        return 1;
    }
    session::Redissector packets(*session);
    LadderStyle style;
    style.font_size = font_size;
    style.zh = zh;
    const std::string error = writeLadderSvg(layoutLadder(timeline, packets, style), svg_path);
    if (!error.empty()) {
        std::fprintf(stderr, "osilab-gui: %s\n", error.c_str());
        return 1;
    }
    return 0;
}

}  // namespace osilab::viewer
