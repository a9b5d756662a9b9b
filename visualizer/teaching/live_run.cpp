#include "visualizer/teaching/live_run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace osilab::viewer::teaching {

namespace {

constexpr int kGracefulStopMs = 300;  // a runner waiting for `next` leaves at once

std::string errnoText(int error) {
    return std::strerror(error);
}

bool writeAll(int fd, const char* text, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, text, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        text += n;
        size -= size_t(n);
    }
    return true;
}

// The runner's stdout as a CaptureReader. The format is recognised on the first next(), which
// runs on the loader thread. Each call first reports that the previous record has been stored
// (the loader appends a record before asking for the next one), then waits for more bytes.
class PipeReader final : public capture::CaptureReader {
public:
    PipeReader(int fd, std::function<void()> on_record)
        : fd_(fd), on_record_(std::move(on_record)) {}
    ~PipeReader() override {
        if (!inner_ && fd_ >= 0) ::close(fd_);
    }

    capture::ReadStatus next(capture::Record& out) override {
        if (had_record_ && on_record_) on_record_();
        had_record_ = false;
        if (!inner_) {
            if (failed_) return capture::ReadStatus::Error;
            auto opened = capture::openCaptureFd(fd_, "the lesson run");
            fd_ = -1;  // owned by the reader now, or closed on failure
            if (!opened) {
                failed_ = true;
                error_ = opened.error().message;
                if (on_record_) on_record_();
                return capture::ReadStatus::Error;
            }
            inner_ = std::move(opened).value();
        }
        const capture::ReadStatus status = inner_->next(out);
        had_record_ = status == capture::ReadStatus::Ok;
        if (!had_record_ && on_record_) on_record_();
        return status;
    }
    const std::string& error() const override { return inner_ ? inner_->error() : error_; }
    const char* formatName() const override { return inner_ ? inner_->formatName() : "pcapng"; }
    uint64_t position() const override { return inner_ ? inner_->position() : 0; }
    uint64_t size() const override { return 0; }

private:
    int fd_;
    std::function<void()> on_record_;
    std::unique_ptr<capture::CaptureReader> inner_;
    bool had_record_ = false;
    bool failed_ = false;
    std::string error_;
};

bool executable(const std::filesystem::path& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string findOsilabProgram(const std::string& explicit_path) {
    if (!explicit_path.empty()) return explicit_path;
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const std::filesystem::path beside = self.parent_path() / "osilab";
        if (executable(beside)) return beside.string();
    }
#ifdef OSILAB_BUILD_OSILAB
    if (executable(OSILAB_BUILD_OSILAB)) return OSILAB_BUILD_OSILAB;
#endif
    return "osilab";  // execvp looks it up on the PATH
}

Result<std::unique_ptr<LiveRun>> LiveRun::start(const LiveRunOptions& options,
                                                std::function<void()> on_record) {
    // A write to a runner that has just exited must be an error value, not the end of the viewer.
    ::signal(SIGPIPE, SIG_IGN);

    std::vector<std::string> args{options.osilab, "run", options.lesson, "--stream", "--step"};
    if (!options.lessons_dir.empty()) {
        args.push_back("--lessons");
        args.push_back(options.lessons_dir);
    }
    if (!options.language.empty()) {
        args.push_back("--lang");
        args.push_back(options.language);
    }
    for (const std::string& extra : options.extra_arguments) args.push_back(extra);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // Prepared before fork(): the child may only make async-signal-safe calls.
    const std::string exec_failed = "cannot start " + options.osilab +
                                    " (build the `osilab` target, or give its path with "
                                    "--osilab PATH)\n";

    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return Error{"cannot start the lesson: " + errnoText(errno)};
    if (::pipe2(out, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(in[0]), ::close(in[1]);
        return Error{"cannot start the lesson: " + errnoText(e)};
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        const int e = errno;
        ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
        return Error{"cannot start the lesson: " + errnoText(e)};
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int e = errno;
        for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
        return Error{"cannot start the lesson: " + errnoText(e)};
    }
    if (pid == 0) {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a viewer that crashes takes its run with it
        ::signal(SIGPIPE, SIG_DFL);
        ::dup2(in[0], STDIN_FILENO);
        ::dup2(out[1], STDOUT_FILENO);
        ::dup2(err[1], STDERR_FILENO);
        ::execvp(argv[0], argv.data());
        (void)!::write(STDERR_FILENO, exec_failed.data(), exec_failed.size());
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here, so the group exists whichever process runs first
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);

    std::unique_ptr<LiveRun> run(new LiveRun());
    run->pid_ = pid;
    run->stdin_fd_ = in[1];
    run->stdout_fd_ = out[0];
    run->on_record_ = std::move(on_record);
    const int err_fd = err[0];
    LiveRun* self = run.get();
    run->error_thread_ = std::thread([self, err_fd, pid] {
        char buffer[1024];
        for (;;) {
            const ssize_t n = ::read(err_fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            std::lock_guard<std::mutex> lock(self->error_mutex_);
            self->error_text_.append(buffer, size_t(n));
        }
        ::close(err_fd);
        // stderr ends when the process does: wait until it has exited (without reaping it, so
        // running() still finds it), then wake the UI, which reaps it and says how it ended.
        siginfo_t info{};
        while (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
        }
        if (self->on_record_) self->on_record_();
    });
    return run;
}

LiveRun::~LiveRun() {
    stop();
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::unique_ptr<capture::CaptureReader> LiveRun::takeReader() {
    const int fd = stdout_fd_;
    stdout_fd_ = -1;
    return std::make_unique<PipeReader>(fd, on_record_);
}

bool LiveRun::next() {
    if (stdin_fd_ < 0 || exit_code_ || exit_signal_) return false;
    return writeAll(stdin_fd_, "next\n", 5);
}

void LiveRun::reaped(int status) {
    if (WIFEXITED(status)) exit_code_ = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) exit_signal_ = WTERMSIG(status);
}

bool LiveRun::running() {
    if (pid_ < 0 || exit_code_ || exit_signal_) return false;
    // Look without reaping, so the group id stays ours while its stragglers are ended.
    siginfo_t info{};
    if (::waitid(P_PID, id_t(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0)
        return true;
    ::kill(-pid_, SIGKILL);
    int status = 0;
    if (::waitpid(pid_, &status, 0) == pid_) reaped(status);
    return false;
}

void LiveRun::stop() {
    if (pid_ < 0) return;
    if (stdin_fd_ >= 0) {
        writeAll(stdin_fd_, "stop\n", 5);
        ::close(stdin_fd_);  // a runner reading its next line sees the end too
        stdin_fd_ = -1;
    }
    if (!exit_code_ && !exit_signal_) {
        const int pidfd = int(::syscall(SYS_pidfd_open, pid_, 0));
        if (pidfd >= 0) {
            pollfd p{pidfd, POLLIN, 0};
            while (::poll(&p, 1, kGracefulStopMs) < 0 && errno == EINTR) {
            }
            ::close(pidfd);
        }
        ::kill(-pid_, SIGKILL);  // the whole group, whether or not it left by itself
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        reaped(status);
    }
    if (error_thread_.joinable()) error_thread_.join();
}

std::string LiveRun::errorText() const {
    std::lock_guard<std::mutex> lock(error_mutex_);
    return error_text_;
}

}  // namespace osilab::viewer::teaching
