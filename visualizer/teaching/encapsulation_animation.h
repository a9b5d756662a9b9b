// One packet's journey, animated: the payload goes down the sender's stack and each layer puts
// its header in front (TCP, IP, Ethernet…), crosses the wire, and goes up the receiver's stack
// while each layer takes its header off. The headers are the packet's own layers as the
// dissector found them, with their real sizes. Time-based: the App keeps drawing frames only
// while animating() is true.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer::teaching {

class EncapsulationAnimation {
public:
    void start(size_t packet, double now);
    void stopAnimation() { started_.reset(); }
    bool animating(double now) const;
    std::optional<size_t> packet() const { return packet_; }
    void forget() { packet_.reset(), started_.reset(); }
    // Pictures for docs and tests: always draw the animation at `progress` (0…1).
    void freeze(std::optional<float> progress) { frozen_ = progress; }
    bool frozen() const { return frozen_.has_value(); }

    // Draws in a box `height` pixels tall, at the cursor. `sender` / `receiver` name the ends
    // ("client 127.0.0.1:40000"). Without a packet, draws nothing and takes no space.
    void draw(const Model& model, UiState& ui, double now, float height, const std::string& sender,
              const std::string& receiver);

    static constexpr double kSeconds = 4.0;

private:
    std::optional<size_t> packet_;
    std::optional<double> started_;
    std::optional<float> frozen_;
};

}  // namespace osilab::viewer::teaching
