// A live lesson run: the `osilab run LESSON --stream --step` process the viewer starts. The
// runner must live in its own process (it enters a private user+network namespace, which a
// multithreaded program cannot), so the viewer talks to it through pipes: the session stream
// (pcapng) comes on its stdout, `next` / `stop` lines go to its stdin, and its stderr says why a
// run could not start.
//
// The process leads its own process group; stop() and the destructor end the whole group and
// reap it, so nothing is left behind whatever state the run is in. No UI code here.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "lab/capture/capture_reader.h"
#include "lab/common/result.h"

namespace osilab::viewer::teaching {

// `osilab run` exits with 5 when the lab network (or its capture) cannot be set up.
inline constexpr int kRunnerExitNoNetwork = 5;

struct LiveRunOptions {
    std::string osilab;       // the osilab program
    std::string lesson;       // lesson id or .json path
    std::string lessons_dir;  // passed as --lessons when not empty
    std::string language;     // "zh" / "en", the narrative's language in the runner's messages
    std::vector<std::string> extra_arguments;  // e.g. {"--net", "host"}
};

class LiveRun {
public:
    // Starts the runner. `on_record` is called from the reading thread each time a record of
    // the stream has been handed on (and once when the stream ends), so the UI can wake up.
    static Result<std::unique_ptr<LiveRun>> start(const LiveRunOptions& options,
                                                  std::function<void()> on_record);
    ~LiveRun();  // stop()
    LiveRun(const LiveRun&) = delete;
    LiveRun& operator=(const LiveRun&) = delete;

    // The session stream on the runner's stdout, to hand to SessionLoader::loadReader once. It
    // recognises the format on its first read, on the loader's thread, so the UI never waits for
    // the runner to start.
    std::unique_ptr<capture::CaptureReader> takeReader();

    // Lets the runner run its next step. False once the runner is gone.
    bool next();
    // Ends the run now: asks the runner to stop, then ends its process group and reaps it.
    void stop();

    // Reaps the process if it has exited (never blocks). True while it runs.
    bool running();
    std::optional<int> exitCode() const { return exit_code_; }  // set once reaped
    std::optional<int> exitSignal() const { return exit_signal_; }
    // What the runner wrote on stderr so far (its error messages).
    std::string errorText() const;
    pid_t pid() const { return pid_; }

private:
    LiveRun() = default;
    void reaped(int status);

    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    int stdout_fd_ = -1;  // handed to the reader by takeReader()
    std::function<void()> on_record_;
    std::optional<int> exit_code_;
    std::optional<int> exit_signal_;

    mutable std::mutex error_mutex_;
    std::string error_text_;
    std::thread error_thread_;
};

// Where the osilab program is: `explicit_path` when given, else next to this program (installed
// side by side), else in the build tree this viewer was built in, else on the PATH.
std::string findOsilabProgram(const std::string& explicit_path);

}  // namespace osilab::viewer::teaching
