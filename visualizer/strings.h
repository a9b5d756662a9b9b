// Every label of the viewer in 中文 and English. Panes ask for a Text by name; the language can
// change at any frame. Protocol field titles and explanations come from the dissector's FieldInfo
// tables (title_zh/explain_zh), not from here.
#pragma once

#include <cstdint>
#include <string_view>

namespace osilab::viewer {

enum class Language : uint8_t { En, Zh };

// Language from the environment (LC_ALL, LC_MESSAGES, LANG, LANGUAGE): zh* gives Chinese.
Language languageFromLocale();
const char* languageCode(Language language);  // "en", "zh"
bool parseLanguage(std::string_view code, Language& out);

enum class Text : uint16_t {
    AppTitle,
    // menus
    MenuFile,
    MenuOpen,
    MenuRecent,
    MenuNoRecent,
    MenuQuit,
    MenuView,
    MenuLanguage,
    MenuTextBigger,
    MenuTextSmaller,
    MenuFullScreen,
    MenuFourLayerModel,
    MenuHelp,
    MenuAbout,
    // packet list
    ColumnNumber,
    ColumnTime,
    ColumnSource,
    ColumnDestination,
    ColumnProtocol,
    ColumnLength,
    ColumnInfo,
    FilterHint,
    FilterApply,
    FilterClear,
    FilterShowing,
    FilterRunning,
    FilterNotForLinkType,
    NoCaptureOpen,
    DropHint,
    // layer stack
    PaneLayers,
    OsiModel,
    TcpIpModel,
    NoPacketSelected,
    TcpIpApplication,
    TcpIpTransport,
    TcpIpInternet,
    TcpIpLink,
    MapsToOsi,
    LayerProblem,
    BytesOfField,
    GeneratedField,
    // bytes pane
    PaneBytes,
    ByteOffset,
    HoverByteHint,
    Carries,
    // loading
    Loading,
    LoadingUnknownSize,
    LiveRunning,
    Cancel,
    LoadCancelled,
    LoadDamaged,
    LoadFailed,
    LoadFinished,
    PacketsCount,
    PacketsShownOf,
    MappedNote,
    // file browser
    OpenCaptureTitle,
    BrowserPath,
    BrowserUp,
    BrowserOpen,
    BrowserShowAll,
    BrowserCannotList,
    BrowserFolder,
    RecentFiles,
    Close,
    // conversations and follow stream
    TabPackets,
    TabConversations,
    ColumnStream,
    ColumnClient,
    ColumnServer,
    ColumnPackets,
    ColumnBytes,
    ColumnDuration,
    FollowStream,
    FollowCut,
    FollowEmpty,
    FollowThisStream,
    // ladder diagram and socket table (lesson runs)
    TabLadder,
    TabSockets,
    LadderNoLesson,
    LadderExportSvg,
    LadderExportPng,
    LadderSaved,
    LadderHint,
    LadderClickToSelect,
    SocketsNone,
    SocketsActor,
    SocketsName,
    SocketsFd,
    SocketsLocal,
    SocketsRemote,
    SocketsHistory,
    SocketsStep,
    // fonts
    NoCjkFont,
    Count
};

const char* tr(Text text, Language language);

// Every string of both languages, for building the font's glyph ranges.
template <typename Visit>
void forEachString(Visit&& visit) {
    for (uint16_t i = 0; i < static_cast<uint16_t>(Text::Count); ++i) {
        visit(tr(static_cast<Text>(i), Language::En));
        visit(tr(static_cast<Text>(i), Language::Zh));
    }
}

}  // namespace osilab::viewer
