// Exit codes of the osilab command, documented in `osilab --help`.
#pragma once

namespace osilab::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCannotRead = 1;  // the input could not be opened or is not a capture
inline constexpr int kExitUsage = 2;       // bad command line, e.g. an invalid filter
inline constexpr int kExitDamaged = 3;     // the input is damaged: all before the damage was shown

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  the input could not be opened, or is not a pcap/pcapng capture\n"
    "  2  bad command line (unknown option, invalid BPF filter, ...)\n"
    "  3  the capture is damaged: every packet before the damage was shown, then where it broke\n";

}  // namespace osilab::cli
