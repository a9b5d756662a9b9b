#include "visualizer/teaching/ladder_draw.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "visualizer/teaching/ladder_colours.h"

namespace osilab::viewer {

namespace {

ImVec2 at(ImVec2 origin, float x, float y) {
    return ImVec2(origin.x + x, origin.y + y);
}

void text(ImDrawList* list, float size, ImVec2 pos, ImU32 colour, const std::string& s) {
    list->AddText(ImGui::GetFont(), size, pos, colour, s.data(), s.data() + s.size());
}

float textWidth(float size, const std::string& s) {
    return ImGui::GetFont()->CalcTextSizeA(size, 1e9f, 0.0f, s.data(), s.data() + s.size()).x;
}

// A label on a pale plate, so it stays readable over lines.
void plate(ImDrawList* list, float size, ImVec2 pos, ImU32 colour, const std::string& s,
           ImU32 background) {
    const float w = textWidth(size, s);
    list->AddRectFilled(ImVec2(pos.x - 2, pos.y), ImVec2(pos.x + w + 2, pos.y + size), background,
                        2.0f);
    text(list, size, pos, colour, s);
}

}  // namespace

ImU32 ladderBackground() {
    return ladderColour(LadderColour::Background);
}

void paintLadder(ImDrawList* list, const LadderLayout& layout, ImVec2 origin,
                 const LadderPaint& paint) {
    const float em = layout.font_size;
    const float line = paint.high_contrast ? std::max(2.0f, em / 8) : std::max(1.0f, em / 14);
    const ImU32 plate_bg = ladderColour(LadderColour::Plate);
    const float width = std::max(layout.width, paint.min_width);

    // Step bands: alternate tints, the running step highlighted; the title at the left.
    for (size_t i = 0; i < layout.steps.size(); ++i) {
        const LadderStepBand& b = layout.steps[i];
        const ImU32 fill = b.current ? ladderColour(LadderColour::CurrentStep)
                           : i % 2   ? ladderColour(LadderColour::BandOdd)
                                     : ladderColour(LadderColour::BandEven);
        list->AddRectFilled(at(origin, 0, b.y0), at(origin, width, b.y1), fill);
        text(list, em * 0.9f, at(origin, em * 0.4f, b.y0 + em * 0.3f),
             ladderColour(LadderColour::StepTitle), b.title);
    }
    // Lifelines.
    for (const LadderLifeline& l : layout.lifelines) {
        list->AddLine(at(origin, l.x, layout.header_height),
                      at(origin, l.x, layout.height - em * 0.5f),
                      ladderColour(LadderColour::Lifeline), line * 1.5f);
    }
    // Calls: bars on the lifelines; a pending one is open at the bottom.
    for (const LadderCallBox& c : layout.calls) {
        const ImU32 colour =
            c.failed ? ladderColour(LadderColour::Failed) : ladderActorColour(size_t(c.lifeline));
        const ImVec2 a = at(origin, c.x0, c.y0), b = at(origin, c.x1, c.y1);
        if (c.pending) {
            list->AddRectFilled(a, ImVec2(b.x, a.y + em * 0.5f), colour);
            list->AddLine(ImVec2(a.x, a.y), ImVec2(a.x, b.y), colour, line * 2);
            list->AddLine(ImVec2(b.x, a.y), ImVec2(b.x, b.y), colour, line * 2);
        } else {
            list->AddRectFilled(a, b, colour, 2.0f);
        }
        plate(list, em, at(origin, c.label_x, c.label_y), ladderColour(LadderColour::Text), c.label,
              plate_bg);
        if (!c.result.empty())
            plate(list, em, at(origin, c.result_x, c.result_y),
                  c.failed ? ladderColour(LadderColour::Failed) : ladderColour(LadderColour::Muted),
                  c.result, plate_bg);
    }
    // Packets.
    for (size_t i = 0; i < layout.arrows.size(); ++i) {
        const LadderArrow& a = layout.arrows[i];
        const bool selected = int(i) == paint.selected_arrow;
        const bool hovered = int(i) == paint.hovered_arrow;
        const ImU32 colour = selected ? ladderColour(LadderColour::Selected)
                             : a.tcp  ? ladderColour(LadderColour::Tcp)
                                      : ladderColour(LadderColour::Udp);
        const float thickness = (selected || hovered ? 2.5f : 1.5f) * line;
        const ImVec2 p0 = at(origin, a.x0, a.y0), p1 = at(origin, a.x1, a.y1);
        list->AddLine(p0, p1, colour, thickness);
        // Arrow head.
        const float dx = p1.x - p0.x, dy = p1.y - p0.y;
        const float length = std::sqrt(dx * dx + dy * dy);
        if (length > 0) {
            const float ux = dx / length, uy = dy / length;
            const float head = em * 0.6f;
            list->AddTriangleFilled(
                p1,
                ImVec2(p1.x - ux * head - uy * head * 0.45f, p1.y - uy * head + ux * head * 0.45f),
                ImVec2(p1.x - ux * head + uy * head * 0.45f, p1.y - uy * head - ux * head * 0.45f),
                colour);
        }
        plate(list, em, at(origin, a.label_x, a.label_y),
              selected ? ladderColour(LadderColour::Selected) : ladderColour(LadderColour::Text),
              a.label, selected || hovered ? ladderColour(LadderColour::HoverPlate) : plate_bg);
    }
    // TCP states, where they change.
    for (const LadderStateLabel& s : layout.states) {
        const float w = textWidth(em * 0.9f, s.text) + em * 0.6f;
        const ImVec2 a = at(origin, s.x - w * 0.5f, s.y - em * 0.6f);
        const ImVec2 b = at(origin, s.x + w * 0.5f, s.y + em * 0.6f);
        if (s.inferred) {  // followed from the packets: an outline, the kernel's are filled
            list->AddRectFilled(a, b, ladderColour(LadderColour::Background), em * 0.3f);
            list->AddRect(a, b, ladderStateColour(s.state), em * 0.3f, 0, std::max(1.5f, em * 0.1f));
            text(list, em * 0.9f, ImVec2(a.x + em * 0.3f, a.y + em * 0.15f),
                 ladderStateColour(s.state), s.text);
            continue;
        }
        list->AddRectFilled(a, b, ladderStateColour(s.state), em * 0.3f);
        text(list, em * 0.9f, ImVec2(a.x + em * 0.3f, a.y + em * 0.15f),
             ladderColour(LadderColour::TextOnState), s.text);
    }
    // Titles last, over everything (pinned while scrolling).
    const float top = paint.header_y;
    list->AddRectFilled(at(origin, 0, top), at(origin, width, top + layout.header_height),
                        ladderColour(LadderColour::Background));
    for (size_t i = 0; i < layout.lifelines.size(); ++i) {
        const LadderLifeline& l = layout.lifelines[i];
        const std::string& actor = l.actor.empty() ? std::string("?") : l.actor;
        const float w = std::max(textWidth(em, actor), textWidth(em * 0.9f, l.address)) + em;
        const ImVec2 a = at(origin, l.x - w * 0.5f, top + l.title_y);
        const ImVec2 b = at(origin, l.x + w * 0.5f, top + l.title_y + 2.5f * em);
        list->AddRectFilled(a, b, ladderActorColour(i), em * 0.25f);
        text(list, em, ImVec2(origin.x + l.x - textWidth(em, actor) * 0.5f, a.y + em * 0.2f),
             ladderColour(LadderColour::TextOnState), actor);
        if (!l.address.empty())
            text(list, em * 0.9f,
                 ImVec2(origin.x + l.x - textWidth(em * 0.9f, l.address) * 0.5f, a.y + em * 1.3f),
                 ladderColour(LadderColour::TextOnState), l.address);
    }
}

}  // namespace osilab::viewer
