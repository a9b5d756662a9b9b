// osilab: the command-line front end of OSI Lab.
#include <CLI/CLI.hpp>

#include "lab/cli/exit_codes.h"
#include "lab/cli/lesson_commands.h"
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
                "layer with its fields grouped by OSI layer (-V), or JSON Lines (--json).\n"
                "On a lesson run saved by `osilab run --save` (or --stream), the run's steps\n"
                "(number, actor, call, narrative in --lang), its socket calls as they start and\n"
                "return with their results, and the socket states before and after each step\n"
                "print between the packets, where they happened.");
    show_cmd->add_option("FILE", show.file, "pcap or pcapng file; - reads standard input")->required();
    show_cmd->add_flag("-V,--verbose", show.verbose,
                       "every layer with every field, grouped by OSI layer from 7 down to 1");
    CLI::Option* json_flag = show_cmd->add_flag("--json", show.json,
                       "one JSON object per packet: frame.number, frame.time_epoch, frame.len,\n"
                       "frame.cap_len, layers[{osi, protocol, span, fields[{name, value, show,\n"
                       "span, depth}]}], problems[{layer, kind, message}]; field names are\n"
                       "Wireshark's display-filter names; numbers are numbers, flags booleans.\n"
                       "A lesson run's records are extra lines with an \"event\" key, in file order:\n"
                       "run_start {lesson, title, summary, step_count, actors, network},\n"
                       "step {step (from 0), actor, call, say{zh,en}, code{python,c}, start_ns,\n"
                       "ask?}, call {step, actor, call, args, returned, result, errno_name,\n"
                       "error_message, start_ns, end_ns, data, peer, timed_out}, states {step,\n"
                       "phase (before|after), time_ns, states[{socket, state, fd, local, remote}]},\n"
                       "step_end {step, end_ns, pending}; packet lines have no \"event\" key");
    show_cmd->get_option("--verbose")->excludes(json_flag);
    show_cmd->add_option("-f,--filter", show.filter,
                         "only packets matching this BPF filter, as tcpdump takes it\n"
                         "(e.g. \"tcp port 80\", \"udp and host 127.0.0.1\", \"icmp6\")");
    show_cmd->add_option("-c,--count", show.count, "stop after N packets shown")
        ->check(CLI::NonNegativeNumber);
    show_cmd->add_option("--lang", show_lang, "language of titles and notes in -V (default: from the locale)")
        ->check(CLI::IsMember({"zh", "en"}));
    show_cmd->footer(std::string("\n") + kExitCodesHelp);

    std::string lessons_dir = defaultLessonsDir();
    std::string lesson_lang = show_lang;
    ListOptions list;
    CLI::App* list_cmd = app.add_subcommand("list", "List the lessons of the course, in order.");
    list_cmd->add_flag("--json", list.json, "a JSON array: id, order, title, summary, path, steps");
    list_cmd->add_option("--lessons", lessons_dir, "the lessons folder");
    list_cmd->add_option("--lang", lesson_lang, "language of the titles")
        ->check(CLI::IsMember({"zh", "en"}));

    RunOptions run;
    CLI::App* run_cmd = app.add_subcommand(
        "run", "Run a lesson with real sockets in a private lab network, printing per step the\n"
               "narrative, the code, the calls and their results, the packets and socket states.");
    run_cmd->add_option("LESSON", run.lesson, "lesson id (see `osilab list`) or a .json file")
        ->required();
    run_cmd->add_option("--lang", lesson_lang, "language of the narrative")
        ->check(CLI::IsMember({"zh", "en"}));
    run_cmd->add_flag("--step", run.step,
                      "wait before each step: Enter or `next` runs it, `stop` (or the end of\n"
                      "stdin) ends the lesson");
    run_cmd->add_option("--net", run.net,
                        "private (default: a network of its own, no root needed) or host\n"
                        "(the host's loopback; needs root or `sudo setcap\n"
                        "cap_net_raw,cap_net_admin+eip $(which osilab)`; cs-bs then waits for a\n"
                        "real browser at the address it prints)")
        ->check(CLI::IsMember({"private", "host"}));
    run_cmd->add_option("--lessons", lessons_dir, "the lessons folder");
    run_cmd->add_option("--save", run.save,
                        "write the session stream (pcapng: packets, steps, calls, states) here,\n"
                        "each record as it happens (a killed run leaves a readable file)");
    run_cmd->add_flag("--stream", run.stream,
                      "write the session stream to stdout instead of the text, each record as\n"
                      "it happens (for the viewer; errors go to stderr)");
    run_cmd->add_option("--settle-ms", run.settle_ms, "quiet time that ends a step (>= 100)")
        ->check(CLI::Range(100, 5000));
    run_cmd->footer(std::string("\n") + kExitCodesHelp);

    CheckOptions check;
    CLI::App* check_cmd = app.add_subcommand(
        "check", "Run lessons headless, each in a fresh private network, and verify every\n"
                 "expectation against the kernel; exits 4 on any mismatch.");
    check_cmd->add_option("LESSON", check.lessons, "lesson ids or files (default: all)");
    check_cmd->add_option("--lessons", lessons_dir, "the lessons folder");
    check_cmd->add_flag("-v,--verbose", check.verbose, "print every step as `run` does");
    check_cmd->add_option("--settle-ms", check.settle_ms, "quiet time that ends a step (>= 100)")
        ->check(CLI::Range(100, 5000));
    check_cmd->footer(std::string("\n") + kExitCodesHelp);

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
    if (list_cmd->parsed()) {
        list.lessons_dir = lessons_dir;
        list.language = parseLanguage(lesson_lang);
        return runList(list);
    }
    if (run_cmd->parsed()) {
        run.lessons_dir = lessons_dir;
        run.language = parseLanguage(lesson_lang);
        return runRun(run);
    }
    if (check_cmd->parsed()) {
        check.lessons_dir = lessons_dir;
        return runCheck(check);
    }
    return kExitUsage;
}
