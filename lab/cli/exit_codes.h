// Exit codes of the osilab command, documented in `osilab --help`.
#pragma once

namespace osilab::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCannotRead = 1;  // the input could not be opened or is not a capture
inline constexpr int kExitUsage = 2;       // bad command line, e.g. an invalid filter
inline constexpr int kExitDamaged = 3;     // the input is damaged: all before the damage was shown
inline constexpr int kExitMismatch = 4;    // run/check: the kernel disagreed with a lesson
inline constexpr int kExitNoNetwork = 5;   // run/check: the lab network or its capture could not start

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  the input could not be opened, or is not a pcap/pcapng capture\n"
    "  2  bad command line (unknown option, invalid BPF filter, ...)\n"
    "  3  the capture is damaged: every packet before the damage was shown, then where it broke\n"
    "  4  run/check: a lesson's expectation did not hold (the kernel did something else)\n"
    "  5  run/check: the lab network or its capture could not start (the message says why and\n"
    "     how to get the rights; the lesson's recorded run is in captures/)\n";

}  // namespace osilab::cli
