#include "visualizer/ui_state.h"

#include "visualizer/fonts.h"

namespace osilab::viewer {

void UiState::note(std::string_view text) {
    if (fonts != nullptr) fonts->note(text);
}

}  // namespace osilab::viewer
