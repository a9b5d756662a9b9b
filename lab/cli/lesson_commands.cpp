#include "lab/cli/lesson_commands.h"

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "lab/cli/exit_codes.h"
#include "lab/cli/summary_line.h"
#include "lab/labnet/private_network.h"
#include "lab/lesson/loader.h"
#include "lab/lesson/names.h"
#include "lab/packet/dissector.h"
#include "lab/runner/runner.h"
#include "lab/runner/session_stream.h"

#ifndef OSILAB_SOURCE_LESSONS_DIR
#define OSILAB_SOURCE_LESSONS_DIR "lessons"
#endif

namespace osilab::cli {

namespace {

using lesson::Lesson;

void printMismatches(const std::string& source, const std::vector<lesson::Mismatch>& mismatches) {
    for (const auto& m : mismatches)
        std::printf("  MISMATCH %s: %s: %s\n", source.c_str(), m.path.c_str(), m.message.c_str());
}

std::string callLine(const Lesson& lesson, const runner::CallRecord& call) {
    std::string line = lesson.actors[call.actor].name + " " + call.call + "(" + call.args + ")";
    if (!call.returned) return line + " … still blocked";
    line += " = " + std::to_string(call.result);
    if (call.error) line += " " + call.errno_name + " (" + call.error_message + ")";
    if (!call.peer.empty()) line += " from " + call.peer;
    if (!call.data.empty() && (call.call == "recv" || call.call == "recvfrom"))
        line += " data " + nlohmann::json(call.data).dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
    char took[48];
    std::snprintf(took, sizeof took, "  [%.3f ms]", double(call.end_ns - call.start_ns) / 1e6);
    line += took;
    if (call.timed_out) line += " (timed out: the runner unblocked it)";
    return line;
}

// Prints a run step by step as it happens.
class StepPrinter {
public:
    StepPrinter(const Lesson& lesson, Language language) : lesson_(lesson), zh_(language == Language::Zh) {}

    void header(const lesson::Step& step) {
        std::printf("\n── %d/%zu · %s · %s ──\n", step.index + 1, lesson_.steps.size(),
                    lesson_.actors[step.actor].name.c_str(),
                    std::string(lesson::callName(step.call)).c_str());
        std::printf("%s\n", step.say.in(zh_).c_str());
        std::printf("  python: %s\n  C:      %s\n", step.code.python.c_str(), step.code.c.c_str());
        if (step.ask) {
            std::printf("  ? %s\n", step.ask->text.in(zh_).c_str());
            for (size_t i = 0; i < step.ask->choices.size(); ++i)
                std::printf("    %zu) %s\n", i + 1, step.ask->choices[i].in(zh_).c_str());
        }
        std::fflush(stdout);
    }

    void result(const runner::StepRecord& record) {
        for (const auto& call : record.calls) std::printf("  call: %s\n", callLine(lesson_, call).c_str());
        if (record.call_pending)
            std::printf("  pending: %s %s … still blocked at the step's end\n",
                        lesson_.actors[lesson_.steps[record.step].actor].name.c_str(),
                        std::string(lesson::callName(lesson_.steps[record.step].call)).c_str());
        if (record.packets.empty()) std::printf("  packets: none\n");
        else std::printf("  packets:\n");
        for (const auto& p : record.packets) std::printf("    %s\n", packetLine(p).c_str());
        if (!record.after.states.empty()) {
            std::printf("  states:\n");
            for (const auto& s : record.after.states) {
                std::string where = s.local.empty() ? "-" : s.local;
                if (!s.remote.empty()) where += " -> " + s.remote;
                std::printf("    %-14s %-7s %-12s %s\n", s.socket.c_str(),
                            s.fd >= 0 ? ("fd " + std::to_string(s.fd)).c_str() : "closed",
                            s.state.c_str(), where.c_str());
            }
        }
        printMismatches(lesson_.source, record.mismatches);
        std::fflush(stdout);
    }

    // A packet captured between two steps (e.g. while --step waits): it belongs to no step.
    void strayPacket(const runner::PacketRecord& p) {
        std::printf("  packet between steps:\n    %s\n", packetLine(p).c_str());
        std::fflush(stdout);
    }

private:
    std::string packetLine(const runner::PacketRecord& p) {
        if (first_ns_ == 0) first_ns_ = p.time_ns;
        packet::PacketView view;
        view.link_type = p.link_type;
        view.data = p.bytes.data();
        view.cap_len = uint32_t(p.bytes.size());
        view.orig_len = p.orig_len;
        view.time_ns = p.time_ns;
        view.number = ++number_;
        dissector_.dissect(view, packet::DissectOptions{false}, dissection_);
        std::string line;
        appendSummaryLine(line, number_, p.time_ns - first_ns_, dissection_.summary, p.orig_len);
        while (!line.empty() && line.back() == '\n') line.pop_back();
        return line;
    }

    const Lesson& lesson_;
    bool zh_;
    packet::Dissection dissection_;
    packet::Dissector dissector_;
    uint64_t number_ = 0;
    int64_t first_ns_ = 0;
};

// Set by Ctrl-C (or SIGTERM) and by a failed write of the session stream: the run stops at
// once, closing everything it opened. A second Ctrl-C kills the process as usual.
std::atomic<bool> g_stop{false};

void onStopSignal(int) { g_stop.store(true); }

void installStopSignals() {
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

void restoreStopSignals() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

// Where the private network is refused: the lesson's run recorded in captures/ still shows
// every step, call, packet and state.
std::string recordedCaptureHint(const std::string& lessons_dir, const Lesson& lesson) {
    const std::string name = lesson.id + ".pcapng";
    std::error_code ec;
    auto path = std::filesystem::path(lessons_dir).parent_path() / "captures" / name;
    if (!std::filesystem::exists(path, ec)) path = std::filesystem::path("captures") / name;
    return "This lesson's recorded run shows the same steps, calls, packets and states: "
           "osilab show " + path.string();
}

// --net host: only the lesson's ports (and ICMP), since other programs use lo too.
std::string hostFilter(const Lesson& lesson) {
    std::set<uint16_t> ports;
    for (const auto& step : lesson.steps) {
        if (auto* b = std::get_if<lesson::BindArgs>(&step.args)) ports.insert(b->addr.port);
        if (auto* c = std::get_if<lesson::ConnectArgs>(&step.args)) ports.insert(c->addr.port);
        if (auto* s = std::get_if<lesson::SendtoArgs>(&step.args); s && s->addr)
            ports.insert(s->addr->port);
    }
    std::string filter = "icmp or icmp6";
    for (uint16_t port : ports)
        if (port) filter += " or port " + std::to_string(port);
    return filter;
}

}  // namespace

std::string defaultLessonsDir() {
    if (const char* dir = std::getenv("OSILAB_LESSONS"); dir && *dir) return dir;
    return OSILAB_SOURCE_LESSONS_DIR;
}

int runList(const ListOptions& options) {
    auto list = lesson::listLessons(options.lessons_dir);
    if (!list) {
        std::fprintf(stderr, "osilab list: %s\n", list.error().message.c_str());
        return kExitCannotRead;
    }
    bool zh = options.language == Language::Zh;
    if (options.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& l : list.value().lessons) {
            out.push_back({{"id", l.id},
                           {"order", l.order},
                           {"title", {{"zh", l.title.zh}, {"en", l.title.en}}},
                           {"summary", {{"zh", l.summary.zh}, {"en", l.summary.en}}},
                           {"path", l.path.string()},
                           {"steps", l.step_count}});
        }
        std::printf("%s\n", out.dump(2).c_str());
    } else {
        for (const auto& l : list.value().lessons)
            std::printf("%4d  %-20s %-3zu steps  %s\n", l.order, l.id.c_str(), l.step_count,
                        l.title.in(zh).c_str());
    }
    for (const auto& problem : list.value().problems)
        std::fprintf(stderr, "osilab list: %s\n", problem.message.c_str());
    return list.value().problems.empty() ? kExitOk : kExitCannotRead;
}

int runRun(const RunOptions& options) {
    auto loaded = lesson::findLesson(options.lessons_dir, options.lesson);
    if (!loaded) {
        std::fprintf(stderr, "osilab run: %s\n", loaded.error().message.c_str());
        return kExitCannotRead;
    }
    const Lesson& lesson = loaded.value();
    // Still single-threaded here: the private network must be entered before any thread starts.
    const bool host = options.net == "host";
    auto network = host ? labnet::useHostNetwork() : labnet::enterPrivateNetwork();
    if (!network) {
        std::fprintf(stderr, "osilab run: %s\n", network.error().message.c_str());
        if (!host) std::fprintf(stderr, "%s\n", recordedCaptureHint(options.lessons_dir, lesson).c_str());
        return kExitNoNetwork;
    }
    bool zh = options.language == Language::Zh;
    // With --stream stdout is the binary session stream: not one byte of text may go there.
    const bool text = !options.stream;
    std::unique_ptr<runner::SessionWriter> session;
    if (options.stream) {
        session = std::make_unique<runner::SessionWriter>(capture::PcapngWriter(1, "stdout"));
    } else if (!options.save.empty()) {
        auto file = capture::PcapngWriter::create(options.save);
        if (!file) {
            std::fprintf(stderr, "osilab run: %s\n", file.error().message.c_str());
            return kExitCannotRead;
        }
        session = std::make_unique<runner::SessionWriter>(std::move(file).value());
    }
    // A reader that went away (the viewer closed) is a write error, not a SIGPIPE.
    if (session) std::signal(SIGPIPE, SIG_IGN);
    std::string write_error;
    auto wrote = [&](const Result<bool>& ok) {
        if (!ok && write_error.empty()) {
            write_error = ok.error().message;
            g_stop.store(true);
        }
    };
    if (session) {
        // The lab's lo is Ethernet (LINKTYPE_ETHERNET) on Linux.
        wrote(session->begin(1));
        if (write_error.empty())
            wrote(session->writeRunStart(lesson, labnet::networkKindName(network.value().kind)));
        if (!write_error.empty()) {
            std::fprintf(stderr, "osilab run: %s\n", write_error.c_str());
            return kExitCannotRead;
        }
    }
    std::FILE* info = text ? stdout : stderr;
    if (text)
        std::printf("%s — %s\n%s\n(%s)\n", lesson.id.c_str(), lesson.title.in(zh).c_str(),
                    lesson.summary.in(zh).c_str(), network.value().describe().c_str());
    StepPrinter printer(lesson, options.language);
    runner::RunOptions run_options;
    run_options.settle_ms = options.settle_ms;
    run_options.stop = &g_stop;
    if (!network.value().isPrivate()) run_options.capture_filter = hostFilter(lesson);
    if (host && lesson.host_browser) {
        // A lecture: a real browser plays its actor, and may take its time.
        const auto& browser = *lesson.host_browser;
        run_options.skip_actor = browser.actor;
        run_options.call_timeout_ms = 0;
        std::fprintf(info, "\n%s\n\n    %s\n\n(Ctrl-C ends the lesson.)\n", browser.say.in(zh).c_str(),
                     browser.url.c_str());
        std::fflush(info);
    }
    installStopSignals();
    run_options.before_step = [&](const lesson::Step& step) {
        if (text) printer.header(step);
        if (!options.step) return true;
        if (text) std::printf("  [Enter / next: run this step, stop: end the lesson] ");
        std::fflush(stdout);
        // `next`, an empty line or anything else runs the step; `stop`, `q` or the end of
        // stdin (the viewer closed its pipe) ends the lesson.
        std::string line;
        if (!std::getline(std::cin, line)) return false;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        return line != "stop" && line != "q";
    };
    if (session) {
        run_options.on_states = [&](const runner::StateSnapshotEvent& states) {
            if (write_error.empty()) wrote(session->writeStates(states));
        };
        run_options.on_step_start = [&](const lesson::Step& step, int64_t start_ns) {
            if (write_error.empty()) wrote(session->writeStepStart(lesson, step, start_ns));
        };
        run_options.on_call = [&](const runner::CallRecord& call) {
            if (write_error.empty()) wrote(session->writeCall(lesson, call));
        };
    }
    run_options.on_packet = [&](const runner::PacketRecord& packet) {
        if (session && write_error.empty()) wrote(session->writePacket(lesson, packet));
        if (text && packet.step < 0) printer.strayPacket(packet);
    };
    run_options.after_step = [&](const runner::StepRecord& record) {
        if (text) printer.result(record);
        if (session && write_error.empty()) wrote(session->writeStepEnd(record));
    };
    auto result = runner::runLesson(lesson, run_options);
    restoreStopSignals();
    if (!result) {
        std::fprintf(stderr, "osilab run: %s\n", result.error().message.c_str());
        return kExitNoNetwork;
    }
    if (!write_error.empty()) std::fprintf(stderr, "osilab run: %s\n", write_error.c_str());
    const bool stopped = result.value().stopped;
    const auto& mismatches = result.value().mismatches;
    if (text) {
        for (const auto& call : result.value().late_calls)
            std::printf("  call (after the last step): %s\n", callLine(lesson, call).c_str());
        if (stopped) std::printf("\nstopped.\n");
    }
    if (result.value().packets_dropped)
        std::fprintf(info, "warning: %llu packets dropped by the capture\n",
                     static_cast<unsigned long long>(result.value().packets_dropped));
    if (!text) {
        // The viewer's stdout is the stream: mismatches go to stderr for whoever logs it.
        for (const auto& m : mismatches)
            std::fprintf(stderr, "MISMATCH %s: %s: %s\n", lesson.source.c_str(), m.path.c_str(),
                         m.message.c_str());
    } else if (stopped) {
        std::printf("%s: stopped after %zu of %zu steps, %zu mismatch(es) so far\n",
                    lesson.id.c_str(), result.value().steps.size(), lesson.steps.size(),
                    mismatches.size());
    } else {
        std::printf("\n%s: %s\n", lesson.id.c_str(),
                    mismatches.empty() ? "every expectation holds"
                                       : (std::to_string(mismatches.size()) + " mismatch(es)").c_str());
    }
    std::fflush(stdout);
    return mismatches.empty() ? kExitOk : kExitMismatch;
}

namespace {

// In a forked child: a fresh private network per lesson (empty TIME-WAIT table).
int checkOneInChild(const std::string& lessons_dir, const std::string& id, int settle_ms,
                    bool verbose) {
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return kExitNoNetwork;
    if (pid == 0) {
        int code = kExitOk;
        auto loaded = lesson::findLesson(lessons_dir, id);
        if (!loaded) {
            std::printf("FAIL %s\n  %s\n", id.c_str(), loaded.error().message.c_str());
            code = kExitCannotRead;
        } else if (auto network = labnet::enterPrivateNetwork(); !network) {
            std::printf("FAIL %s\n  %s\n  %s\n", id.c_str(), network.error().message.c_str(),
                        recordedCaptureHint(lessons_dir, loaded.value()).c_str());
            code = kExitNoNetwork;
        } else {
            const Lesson& lesson = loaded.value();
            runner::RunOptions run_options;
            run_options.settle_ms = settle_ms;
            StepPrinter printer(lesson, Language::En);
            if (verbose) {
                run_options.before_step = [&](const lesson::Step& step) {
                    printer.header(step);
                    return true;
                };
                run_options.after_step = [&](const runner::StepRecord& r) { printer.result(r); };
            }
            auto result = runner::runLesson(lesson, run_options);
            if (!result) {
                std::printf("FAIL %s\n  %s\n", id.c_str(), result.error().message.c_str());
                code = kExitNoNetwork;
            } else if (!result.value().mismatches.empty()) {
                std::printf("FAIL %s (%zu steps)\n", lesson.id.c_str(), lesson.steps.size());
                printMismatches(lesson.source, result.value().mismatches);
                code = kExitMismatch;
            } else {
                std::printf("ok   %s (%zu steps)\n", lesson.id.c_str(), lesson.steps.size());
            }
        }
        std::fflush(stdout);
        std::fflush(stderr);
        _exit(code);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status)) {
        std::printf("FAIL %s: the runner died (status %d)\n", id.c_str(), status);
        return kExitMismatch;
    }
    return WEXITSTATUS(status);
}

}  // namespace

int runCheck(const CheckOptions& options) {
    std::vector<std::string> ids = options.lessons;
    if (ids.empty()) {
        auto list = lesson::listLessons(options.lessons_dir);
        if (!list) {
            std::fprintf(stderr, "osilab check: %s\n", list.error().message.c_str());
            return kExitCannotRead;
        }
        for (const auto& problem : list.value().problems)
            std::printf("FAIL %s\n", problem.message.c_str());
        for (const auto& l : list.value().lessons) ids.push_back(l.path.string());
        if (!list.value().problems.empty() && ids.empty()) return kExitCannotRead;
    }
    int worst = kExitOk;
    size_t failed = 0;
    if (options.lessons.empty()) {
        auto list = lesson::listLessons(options.lessons_dir);
        if (list && !list.value().problems.empty()) worst = kExitCannotRead;
    }
    for (const auto& id : ids) {
        int code = checkOneInChild(options.lessons_dir, id, options.settle_ms, options.verbose);
        if (code != kExitOk) {
            ++failed;
            if (worst == kExitOk || code == kExitMismatch) worst = code;
        }
    }
    std::printf("%zu of %zu lessons hold against the kernel\n", ids.size() - failed, ids.size());
    return worst;
}

}  // namespace osilab::cli
