// What the viewer shows after a scripted session, as "key value" lines, so a headless test can
// assert on the model the App drove (filter applied, packet selected, stream followed) and not
// only on the picture.
#pragma once

#include <string>

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

// False when the file cannot be written.
bool writeModelState(const std::string& path, const Model& model, const UiState& ui);

}  // namespace osilab::viewer
