// osilab: the command-line front end of OSI Lab.
#include <CLI/CLI.hpp>

#include "lab/cli/exit_codes.h"
#include "lab/cli/show_command.h"

namespace {

osilab::cli::Language parseLanguage(const std::string& text) {
    return text == "zh" ? osilab::cli::Language::Zh : osilab::cli::Language::En;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace osilab::cli;
    CLI::App app{
        "OSI Lab: see what your socket calls put on the wire, layer by layer.\n"
        "Reads pcap and pcapng captures (ours, Wireshark's, tcpdump's) and explains every packet\n"
        "by OSI layer."};
    app.footer(std::string("\n") + kExitCodesHelp);
    app.set_version_flag("--version", std::string("osilab ") + OSILAB_VERSION);
    app.require_subcommand(1);

    ShowOptions show;
    std::string show_lang = languageFromEnvironment() == Language::Zh ? "zh" : "en";
    CLI::App* show_cmd = app.add_subcommand(
        "show", "Print a capture packet by packet: one summary line each (like tshark), every\n"
                "layer with its fields grouped by OSI layer (-V), or JSON Lines (--json).");
    show_cmd->add_option("FILE", show.file, "pcap or pcapng file; - reads standard input")->required();
    show_cmd->add_flag("-V,--verbose", show.verbose,
                       "every layer with every field, grouped by OSI layer from 7 down to 1");
    CLI::Option* json_flag = show_cmd->add_flag("--json", show.json,
                       "one JSON object per packet: frame.number, frame.time_epoch, frame.len,\n"
                       "frame.cap_len, layers[{osi, protocol, span, fields[{name, value, show,\n"
                       "span, depth}]}], problems[{layer, kind, message}]; field names are\n"
                       "Wireshark's display-filter names; numbers are numbers, flags booleans");
    show_cmd->get_option("--verbose")->excludes(json_flag);
    show_cmd->add_option("-f,--filter", show.filter,
                         "only packets matching this BPF filter, as tcpdump takes it\n"
                         "(e.g. \"tcp port 80\", \"udp and host 127.0.0.1\", \"icmp6\")");
    show_cmd->add_option("-c,--count", show.count, "stop after N packets shown")
        ->check(CLI::NonNegativeNumber);
    show_cmd->add_option("--lang", show_lang, "language of titles and notes in -V (default: from the locale)")
        ->check(CLI::IsMember({"zh", "en"}));
    show_cmd->footer(std::string("\n") + kExitCodesHelp);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? kExitOk : kExitUsage;
    }
    if (show_cmd->parsed()) {
        show.language = parseLanguage(show_lang);
        return runShow(show);
    }
    return kExitUsage;
}
