#include "visualizer/strings.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace osilab::viewer {

namespace {

struct Entry {
    Text id;
    const char* en;
    const char* zh;
};

// In the order of the Text enum (checked at startup in debug builds and by the tests).
constexpr Entry kStrings[] = {
    {Text::AppTitle, "OSI Lab", "OSI 实验室"},
    {Text::MenuFile, "File", "文件"},
    {Text::MenuOpen, "Open capture…", "打开抓包文件…"},
    {Text::MenuRecent, "Recent files", "最近的文件"},
    {Text::MenuNoRecent, "(none yet)", "(暂无)"},
    {Text::MenuQuit, "Quit", "退出"},
    {Text::MenuView, "View", "视图"},
    {Text::MenuLanguage, "中文 / English", "中文 / English"},
    {Text::MenuTextBigger, "Bigger text", "放大文字"},
    {Text::MenuTextSmaller, "Smaller text", "缩小文字"},
    {Text::MenuFullScreen, "Full screen", "全屏"},
    {Text::MenuFourLayerModel, "TCP/IP four-layer model", "TCP/IP 四层模型"},
    {Text::MenuHelp, "Help", "帮助"},
    {Text::MenuAbout,
     "Keys: ↑↓ packets · Ctrl+O open · Ctrl+F filter · Ctrl+= / Ctrl+- text size · F11 full screen",
     "按键:↑↓ 切换数据包 · Ctrl+O 打开 · Ctrl+F 过滤 · Ctrl+= / Ctrl+- 文字大小 · F11 全屏"},
    {Text::ColumnNumber, "No.", "序号"},
    {Text::ColumnTime, "Time", "时间"},
    {Text::ColumnSource, "Source", "源地址"},
    {Text::ColumnDestination, "Destination", "目的地址"},
    {Text::ColumnProtocol, "Protocol", "协议"},
    {Text::ColumnLength, "Length", "长度"},
    {Text::ColumnInfo, "Info", "信息"},
    {Text::FilterHint, "BPF filter, as tcpdump takes it: tcp port 80, udp, host 127.0.0.1 …",
     "BPF 过滤表达式(与 tcpdump 相同):tcp port 80、udp、host 127.0.0.1 …"},
    {Text::FilterApply, "Apply", "应用"},
    {Text::FilterClear, "Clear", "清除"},
    {Text::FilterShowing, "%zu of %zu packets match", "%2$zu 个数据包中有 %1$zu 个匹配"},
    {Text::FilterRunning, "filtering…", "正在过滤…"},
    {Text::FilterNotForLinkType, "Some packets cannot match: ", "部分数据包无法匹配:"},
    {Text::NoCaptureOpen,
     "No capture open. Open one with Ctrl+O, or drop a .pcap / .pcapng file here.",
     "尚未打开抓包文件。按 Ctrl+O 打开,或把 .pcap / .pcapng 文件拖到这里。"},
    {Text::DropHint, "Drop a capture file onto the window to open it",
     "把抓包文件拖到窗口上即可打开"},
    {Text::PaneLayers, "Layers", "分层"},
    {Text::OsiModel, "OSI seven layers", "OSI 七层模型"},
    {Text::TcpIpModel, "TCP/IP four layers", "TCP/IP 四层模型"},
    {Text::NoPacketSelected, "Select a packet to see it layer by layer.",
     "选择一个数据包,逐层查看它的内容。"},
    {Text::TcpIpApplication, "Application", "应用层"},
    {Text::TcpIpTransport, "Transport", "传输层"},
    {Text::TcpIpInternet, "Internet", "网际层"},
    {Text::TcpIpLink, "Link", "网络接口层"},
    {Text::MapsToOsi, "= OSI layers %s", "= OSI 第 %s 层"},
    {Text::LayerProblem, "Problem", "问题"},
    {Text::BytesOfField, "bytes", "字节"},
    {Text::GeneratedField, "computed by OSI Lab, not in the packet's bytes",
     "由 OSI Lab 计算得出,不在数据包的字节中"},
    {Text::PaneBytes, "Bytes", "字节"},
    {Text::ByteOffset, "offset", "偏移"},
    {Text::HoverByteHint, "Hover a byte to see its field; hover a field to see its bytes.",
     "鼠标指向字节可看到它属于哪个字段;指向字段可看到它占用的字节。"},
    {Text::Carries, "carries", "携带"},
    {Text::Loading, "Loading %s", "正在加载 %s"},
    {Text::LoadingUnknownSize, "Loading %s (size unknown)", "正在加载 %s(大小未知)"},
    {Text::LiveRunning, "● live", "● 实时运行中"},
    {Text::Cancel, "Cancel", "取消"},
    {Text::LoadCancelled, "Loading was cancelled; the packets read so far are shown.",
     "已取消加载;显示的是已读取的数据包。"},
    {Text::LoadDamaged, "The file is damaged; the packets before the damage are shown: ",
     "文件已损坏;显示的是损坏处之前的数据包:"},
    {Text::LoadFailed, "Cannot open the capture: ", "无法打开抓包文件:"},
    {Text::LoadFinished, "Loaded", "已加载"},
    {Text::PacketsCount, "%zu packets", "%zu 个数据包"},
    {Text::PacketsShownOf, "%zu of %zu packets (the steps so far)", "%zu / %zu 个数据包(到当前步骤为止)"},
    {Text::MappedNote, "(read from the file on demand)", "(按需从文件读取)"},
    {Text::OpenCaptureTitle, "Open a capture", "打开抓包文件"},
    {Text::BrowserPath, "Folder", "文件夹"},
    {Text::BrowserUp, "Up", "上一级"},
    {Text::BrowserOpen, "Open", "打开"},
    {Text::BrowserShowAll, "Show all files", "显示所有文件"},
    {Text::BrowserCannotList, "Cannot list this folder: ", "无法列出此文件夹:"},
    {Text::BrowserFolder, "folder", "文件夹"},
    {Text::RecentFiles, "Recent files", "最近的文件"},
    {Text::Close, "Close", "关闭"},
    {Text::TabPackets, "Packets", "数据包"},
    {Text::TabConversations, "Conversations", "会话"},
    {Text::ColumnStream, "Stream", "流"},
    {Text::ColumnClient, "Client (spoke first)", "客户端(先发言的一方)"},
    {Text::ColumnServer, "Server", "服务器"},
    {Text::ColumnPackets, "Packets", "数据包"},
    {Text::ColumnBytes, "Bytes", "字节"},
    {Text::ColumnDuration, "Duration (s)", "持续时间(秒)"},
    {Text::FollowStream, "Follow", "追踪流"},
    {Text::FollowCut, "Only the first 4 MB are shown.", "只显示前 4 MB。"},
    {Text::FollowEmpty, "This stream carried no application data (only control packets).",
     "这个流没有携带应用数据(只有控制包)。"},
    {Text::FollowThisStream, "Follow this stream", "追踪这个流"},
    {Text::TabLadder, "Ladder diagram", "时序图"},
    {Text::TabSockets, "Sockets", "套接字"},
    {Text::LadderNoLesson,
     "This capture has no lesson steps: record one with `osilab run LESSON --save FILE`.",
     "这个抓包文件没有课程步骤:可以用 `osilab run 课程 --save 文件` 录一个。"},
    {Text::LadderExportSvg, "Save SVG", "保存 SVG"},
    {Text::LadderExportPng, "Save PNG", "保存 PNG"},
    {Text::LadderSaved, "Saved", "已保存"},
    {Text::LadderHint,
     "Click an arrow to select its packet. States: filled = read from the kernel before and after "
     "each step; outlined = followed from the packets in between",
     "点击箭头选中对应的数据包。状态:实心 = 每步前后从内核读到的;空心 = 两次读取之间根据数据包推出的"},
    {Text::LadderClickToSelect, "Click: select this packet", "点击:选中这个数据包"},
    {Text::SocketsNone, "No socket yet.", "还没有套接字。"},
    {Text::SocketsActor, "Actor", "角色"},
    {Text::SocketsName, "Socket", "套接字"},
    {Text::SocketsFd, "fd", "描述符"},
    {Text::SocketsLocal, "Local address", "本端地址"},
    {Text::SocketsRemote, "Remote address", "对端地址"},
    {Text::SocketsHistory, "State over time (step)", "状态变化(步骤)"},
    {Text::SocketsStep, "step", "步骤"},
    {Text::NoCjkFont,
     "No Chinese font found: install one (sudo apt install fonts-noto-cjk) and restart. Showing "
     "English.",
     "No Chinese font found: install one (sudo apt install fonts-noto-cjk) and restart. Showing "
     "English."},
};
static_assert(sizeof(kStrings) / sizeof(kStrings[0]) == static_cast<size_t>(Text::Count),
              "one entry per Text, in order");

constexpr bool inOrder() {
    for (size_t i = 0; i < sizeof(kStrings) / sizeof(kStrings[0]); ++i)
        if (static_cast<size_t>(kStrings[i].id) != i) return false;
    return true;
}
static_assert(inOrder(), "kStrings must follow the order of the Text enum");

bool startsWithZh(const char* value) {
    return value != nullptr && value[0] == 'z' && value[1] == 'h';
}

}  // namespace

Language languageFromLocale() {
    // The first variable that is set decides, as setlocale() would.
    for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && value[0] != '\0')
            return startsWithZh(value) ? Language::Zh : Language::En;
    }
    const char* language = std::getenv("LANGUAGE");
    return startsWithZh(language) ? Language::Zh : Language::En;
}

const char* languageCode(Language language) {
    return language == Language::Zh ? "zh" : "en";
}

bool parseLanguage(std::string_view code, Language& out) {
    if (code == "zh" || code == "zh_CN" || code == "cn") {
        out = Language::Zh;
        return true;
    }
    if (code == "en") {
        out = Language::En;
        return true;
    }
    return false;
}

const char* tr(Text text, Language language) {
    const Entry& e = kStrings[static_cast<size_t>(text)];
    return language == Language::Zh ? e.zh : e.en;
}

}  // namespace osilab::viewer
