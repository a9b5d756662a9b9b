#include "lab/runner/runner.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "lab/labnet/live_capture.h"
#include "lab/labnet/socket_states.h"
#include "lab/lesson/names.h"
#include "lab/lesson/payload.h"
#include "lab/lesson/socket_address.h"
#include "lab/runner/frame_endpoints.h"

namespace osilab::runner {

namespace {

// Removes `dir` once this process is gone, however it ends: a run stopped with SIGKILL (the
// viewer's last resort, a closed terminal) must not leave its folder behind. A child in a session
// of its own, so a kill aimed at our process group spares it, waits for the end of a pipe whose
// only writer is this process; the kernel closes it whichever way we exit.
void removeWhenGone(const std::string& dir) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[1]);
        ::setsid();
        char byte;
        while (::read(fds[0], &byte, 1) < 0 && errno == EINTR) {
        }
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
        ::_exit(0);
    }
    ::close(fds[0]);
    // The write end stays open until we exit (close-on-exec: programs we start do not hold it).
    if (pid < 0) ::close(fds[1]);
}


using lesson::Call;
using lesson::Lesson;
using lesson::Step;
using Clock = std::chrono::steady_clock;

int64_t realtimeNs() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Interrupts a blocked call without SA_RESTART, so the call returns EINTR.
void onWakeSignal(int) {}

void installWakeSignal() {
    struct sigaction action {};
    action.sa_handler = onWakeSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGUSR1, &action, nullptr);
}

lesson::TcpState fromKernel(labnet::TcpState state) {
    using K = labnet::TcpState;
    using L = lesson::TcpState;
    switch (state) {
        case K::Listen: return L::Listen;
        case K::SynSent: return L::SynSent;
        case K::SynRecv: return L::SynRecv;
        case K::Established: return L::Established;
        case K::FinWait1: return L::FinWait1;
        case K::FinWait2: return L::FinWait2;
        case K::CloseWait: return L::CloseWait;
        case K::LastAck: return L::LastAck;
        case K::Closing: return L::Closing;
        case K::TimeWait: return L::TimeWait;
        case K::Close: return L::Closed;
    }
    return L::Closed;
}

bool mentions(const Lesson& lesson, const lesson::EndpointRef& ref, int actor) {
    return ref.actor == actor || (ref.socket >= 0 && lesson.sockets[size_t(ref.socket)].actor == actor);
}

// With an actor played by something outside the runner (a real browser), what the wire and the
// other actors see from the moment it enters the story depends on that program: from the first
// step that names the actor on (or the listen it connects to), only the calls' errors are
// checked.
std::vector<Step> checkableSteps(const Lesson& lesson, int skip_actor) {
    std::vector<Step> steps = lesson.steps;
    if (skip_actor < 0) return steps;
    size_t from = steps.size();
    for (size_t i = 0; i < steps.size() && from == steps.size(); ++i) {
        const lesson::Expect& e = steps[i].expect;
        bool names = steps[i].actor == skip_actor || (e.peer && mentions(lesson, *e.peer, skip_actor));
        for (const auto& p : e.packets)
            names = names || mentions(lesson, p.from, skip_actor) || mentions(lesson, p.to, skip_actor);
        for (const auto& st : e.states)
            names = names || lesson.sockets[size_t(st.socket)].actor == skip_actor;
        if (names) from = i;
    }
    // The outside program may connect as soon as the socket it connects to listens, before
    // the accept that names it.
    if (from < steps.size() && steps[from].call == lesson::Call::Accept) {
        for (size_t i = 0; i < from; ++i)
            if (steps[i].call == lesson::Call::Listen && steps[i].socket == steps[from].socket)
                from = i;
    }
    for (size_t i = from; i < steps.size(); ++i) {
        lesson::Expect& e = steps[i].expect;
        e.packet_match = lesson::PacketMatch::None;
        e.packets.clear();
        e.returns.reset();
        e.data.reset();
        e.data_matches.reset();
        e.peer.reset();
        e.states.clear();
        e.pending = false;
    }
    return steps;
}

// The runner's view of one entry of Lesson::sockets.
struct SocketSlot {
    int fd = -1;
    bool created = false;
    bool listening = false;
    bool connected = false;  // AF_UNIX: connected or accepted (sock_diag here sees only inet)
    uint64_t inode = 0;
    Endpoint local;  // kept after close: packets of TIME-WAIT still belong to it
    Endpoint peer;
};

// A step's call, shared between the main thread and the actor's thread.
struct CallSlot {
    bool started = false;
    bool done = false;
    bool checked = false;
    lesson::ObservedCall observed;
    CallRecord record;
    Endpoint peer;  // accept/recvfrom
};

struct ActorThread {
    std::thread thread;
    std::mutex mutex;
    std::condition_variable cv;
    int job = -1;  // step index to run
    bool quit = false;
};

class Run {
public:
    Run(const Lesson& lesson, const RunOptions& options)
        : lesson_(lesson), options_(options), sockets_(lesson.sockets.size()),
          calls_(lesson.steps.size()), received_(lesson.messages.size()),
          senders_(lesson.messages.size()),
          checked_steps_(checkableSteps(lesson, options.skip_actor)) {}

    Result<RunResult> run();

private:
    struct Snapshot {
        StateSnapshotEvent event;
        std::vector<lesson::TcpState> tcp;  // per Lesson::sockets, for the checks
    };

    bool stopRequested() const { return options_.stop && options_.stop->load(); }
    void actorLoop(int actor);
    void execute(int step_index);
    void refresh(int socket);
    void forceUnblock(int step_index);
    bool waitDone(int step_index, int timeout_ms);
    void settle(Clock::time_point from);
    void requestDrain();
    lesson::EndpointRef owner(const Endpoint& local, const Endpoint* peer) const;
    Snapshot snapshot(int step, const char* phase);
    const Step& checkedStep(int index) const { return checked_steps_[size_t(index)]; }
    void checkCallOf(int step_index, std::vector<lesson::Mismatch>& out);
    void cleanup();

    const Lesson& lesson_;
    RunOptions options_;
    std::string run_dir_;

    // Serialises the live reports (RunOptions::on_*), taken before mutex_ when both are needed.
    std::mutex emit_mutex_;

    mutable std::mutex mutex_;  // sockets_, calls_, received_, senders_, packets_
    std::condition_variable done_cv_;
    std::vector<SocketSlot> sockets_;
    std::vector<CallSlot> calls_;
    std::vector<std::optional<std::string>> received_;
    std::vector<lesson::SockAddr> senders_;
    std::vector<Step> checked_steps_;  // the lesson's steps, less what skip_actor makes unknowable
    std::vector<PacketRecord> packets_;
    int current_step_ = -1;  // the step packets captured now belong to
    Clock::time_point last_packet_{};
    Clock::time_point last_return_{};

    std::vector<std::unique_ptr<ActorThread>> actors_;
    std::thread capture_thread_;
    int wake_fd_ = -1;  // wakes the capture thread: to drain (requestDrain) or to quit
    std::atomic<bool> capture_quit_{false};
    std::mutex drain_mutex_;
    std::condition_variable drain_cv_;
    uint64_t drain_requests_ = 0, drained_ = 0;  // under drain_mutex_
    bool capture_done_ = false;
    uint32_t link_type_ = 1;
    uint64_t dropped_ = 0;
};

void Run::actorLoop(int actor) {
    ActorThread& self = *actors_[actor];
    for (;;) {
        int job;
        {
            std::unique_lock lock(self.mutex);
            self.cv.wait(lock, [&] { return self.quit || self.job >= 0; });
            if (self.quit) return;
            job = self.job;
            self.job = -1;
        }
        execute(job);
    }
}

std::string argsText(const Lesson& lesson, const Step& step) {
    std::string text;
    if (step.socket >= 0) text = lesson.sockets[step.socket].name;
    auto add = [&](const std::string& part) {
        if (!text.empty()) text += ", ";
        text += part;
    };
    std::visit(
        [&](const auto& a) {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, lesson::SocketArgs>) {
                add(std::string(lesson::familyConstant(a.family)));
                add(std::string(lesson::socketTypeConstant(a.type)));
                add(std::string(lesson::protocolName(a.proto)));
            } else if constexpr (std::is_same_v<A, lesson::SetsockoptArgs>) {
                add(std::string(lesson::optionName(a.option)));
                add(std::to_string(a.value));
            } else if constexpr (std::is_same_v<A, lesson::BindArgs> ||
                                 std::is_same_v<A, lesson::ConnectArgs>) {
                add(a.addr.text);
            } else if constexpr (std::is_same_v<A, lesson::ListenArgs>) {
                add(std::to_string(a.backlog));
            } else if constexpr (std::is_same_v<A, lesson::RecvArgs>) {
                add(std::to_string(a.bufsize));
            } else if constexpr (std::is_same_v<A, lesson::SendtoArgs>) {
                if (a.addr) add(a.addr->text);
                else if (a.to_message >= 0) add("to " + lesson.messages[a.to_message].name);
            } else if constexpr (std::is_same_v<A, lesson::ShutdownArgs>) {
                add(std::string(lesson::shutdownName(a.how)));
            }
        },
        step.args);
    return text;
}

void Run::refresh(int socket) {
    // Caller holds mutex_.
    SocketSlot& s = sockets_[socket];
    if (s.fd < 0 || lesson_.sockets[socket].family == lesson::Family::Unix) return;
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (getsockname(s.fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0)
        s.local = endpointFromSockaddr(reinterpret_cast<sockaddr*>(&storage), length);
    length = sizeof storage;
    if (getpeername(s.fd, reinterpret_cast<sockaddr*>(&storage), &length) == 0)
        s.peer = endpointFromSockaddr(reinterpret_cast<sockaddr*>(&storage), length);
}

void Run::execute(int step_index) {
    const Step& step = lesson_.steps[step_index];
    int fd = -1;
    std::vector<std::optional<std::string>> received;
    {
        std::lock_guard lock(mutex_);
        if (step.socket >= 0) fd = sockets_[step.socket].fd;
        received = received_;
    }
    CallRecord record;
    record.step = step_index;
    record.actor = step.actor;
    record.call = std::string(lesson::callName(step.call));
    record.args = argsText(lesson_, step);
    int64_t result = -1;
    int error = 0;
    std::string data;
    Endpoint peer;
    int new_fd = -1;
    sockaddr_storage from{};
    socklen_t from_length = 0;
    record.start_ns = realtimeNs();
    if (options_.on_call) {
        std::lock_guard emit(emit_mutex_);
        options_.on_call(record);
    }
    auto fail = [&](int64_t r) {
        result = r;
        error = r < 0 ? errno : 0;
    };
    switch (step.call) {
        case Call::Socket: {
            const auto& a = std::get<lesson::SocketArgs>(step.args);
            int family = a.family == lesson::Family::Inet    ? AF_INET
                         : a.family == lesson::Family::Inet6 ? AF_INET6
                                                             : AF_UNIX;
            int type = a.type == lesson::SocketType::Stream ? SOCK_STREAM : SOCK_DGRAM;
            int proto = a.proto == lesson::Protocol::Tcp   ? IPPROTO_TCP
                        : a.proto == lesson::Protocol::Udp ? IPPROTO_UDP
                                                           : 0;
            fail(socket(family, type | SOCK_CLOEXEC, proto));
            new_fd = static_cast<int>(result);
            break;
        }
        case Call::Setsockopt: {
            const auto& a = std::get<lesson::SetsockoptArgs>(step.args);
            using O = lesson::SocketOption;
            int level = SOL_SOCKET, name = 0, value = a.value;
            const void* pointer = &value;
            socklen_t length = sizeof value;
            timeval tv{a.value / 1000, (a.value % 1000) * 1000};
            linger lg{1, a.value};
            switch (a.option) {
                case O::ReuseAddr: name = SO_REUSEADDR; break;
                case O::ReusePort: name = SO_REUSEPORT; break;
                case O::KeepAlive: name = SO_KEEPALIVE; break;
                case O::Broadcast: name = SO_BROADCAST; break;
                case O::RcvBuf: name = SO_RCVBUF; break;
                case O::SndBuf: name = SO_SNDBUF; break;
                case O::RcvTimeo:
                case O::SndTimeo:
                    name = a.option == O::RcvTimeo ? SO_RCVTIMEO : SO_SNDTIMEO;
                    pointer = &tv;
                    length = sizeof tv;
                    break;
                case O::Linger:
                    name = SO_LINGER;
                    pointer = &lg;
                    length = sizeof lg;
                    break;
                case O::NoDelay:
                    level = IPPROTO_TCP;
                    name = TCP_NODELAY;
                    break;
            }
            fail(setsockopt(fd, level, name, pointer, length));
            break;
        }
        case Call::Bind:
        case Call::Connect: {
            const lesson::Address& address = step.call == Call::Bind
                                                 ? std::get<lesson::BindArgs>(step.args).addr
                                                 : std::get<lesson::ConnectArgs>(step.args).addr;
            lesson::SockAddr sa = lesson::toSockAddr(address, run_dir_);
            fail(step.call == Call::Bind ? bind(fd, sa.get(), sa.length)
                                         : connect(fd, sa.get(), sa.length));
            break;
        }
        case Call::Listen:
            fail(listen(fd, std::get<lesson::ListenArgs>(step.args).backlog));
            break;
        case Call::Accept: {
            from_length = sizeof from;
            fail(accept4(fd, reinterpret_cast<sockaddr*>(&from), &from_length, SOCK_CLOEXEC));
            new_fd = static_cast<int>(result);
            if (result >= 0) peer = endpointFromSockaddr(reinterpret_cast<sockaddr*>(&from), from_length);
            break;
        }
        case Call::Send:
        case Call::Sendall:
        case Call::Sendto: {
            const lesson::Payload& payload = step.call == Call::Sendto
                                                 ? std::get<lesson::SendtoArgs>(step.args).data
                                                 : std::get<lesson::SendArgs>(step.args).data;
            auto bytes = lesson::payloadBytes(payload, received, std::time(nullptr));
            if (!bytes) {
                result = -1;
                error = ENODATA;
                break;
            }
            data = *bytes;
            if (step.call == Call::Send) {
                fail(send(fd, data.data(), data.size(), MSG_NOSIGNAL));
            } else if (step.call == Call::Sendall) {
                size_t sent = 0;
                result = 0;
                while (sent < data.size() || (data.empty() && sent == 0 && result == 0)) {
                    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
                    if (n < 0) {
                        fail(-1);
                        break;
                    }
                    sent += size_t(n);
                    if (data.empty()) break;
                }
                if (error == 0) result = int64_t(data.size());
            } else {
                const auto& a = std::get<lesson::SendtoArgs>(step.args);
                lesson::SockAddr to;
                if (a.addr) {
                    to = lesson::toSockAddr(*a.addr, run_dir_);
                } else if (a.to_message >= 0) {
                    std::lock_guard lock(mutex_);
                    to = senders_[a.to_message];
                }
                fail(sendto(fd, data.data(), data.size(), MSG_NOSIGNAL, to.get(), to.length));
            }
            break;
        }
        case Call::Recv:
        case Call::Recvfrom: {
            std::string buffer(size_t(std::max(1, std::get<lesson::RecvArgs>(step.args).bufsize)),
                               '\0');
            if (step.call == Call::Recv) {
                fail(recv(fd, buffer.data(), size_t(std::get<lesson::RecvArgs>(step.args).bufsize), 0));
            } else {
                from_length = sizeof from;
                fail(recvfrom(fd, buffer.data(), size_t(std::get<lesson::RecvArgs>(step.args).bufsize),
                              0, reinterpret_cast<sockaddr*>(&from), &from_length));
                if (result >= 0)
                    peer = endpointFromSockaddr(reinterpret_cast<sockaddr*>(&from), from_length);
            }
            if (result >= 0) data.assign(buffer.data(), size_t(result));
            break;
        }
        case Call::Shutdown: {
            auto how = std::get<lesson::ShutdownArgs>(step.args).how;
            fail(shutdown(fd, how == lesson::ShutdownHow::Read    ? SHUT_RD
                              : how == lesson::ShutdownHow::Write ? SHUT_WR
                                                                  : SHUT_RDWR));
            break;
        }
        case Call::Close: {
            // Take the fd out of the table first, so that stopping never shuts down a reused fd.
            {
                std::lock_guard lock(mutex_);
                if (step.socket >= 0) sockets_[step.socket].fd = -1;
            }
            fail(close(fd));
            break;
        }
    }
    record.end_ns = realtimeNs();
    record.result = result;
    record.error = error;
    record.errno_name = lesson::errnoName(error);
    if (error) record.error_message = std::strerror(error);
    record.data = data;
    record.returned = true;
    if (peer.valid()) record.peer = peer.text();
    else if (from_length > 0 && from.ss_family == AF_UNIX) record.peer = "(unix)";

    if (options_.on_call && options_.on_packet) requestDrain();
    // The return is reported before the main thread can see it done, so a step that counts
    // this call in its record has reported it before its end.
    std::unique_lock emit(emit_mutex_, std::defer_lock);
    if (options_.on_call) emit.lock();
    std::unique_lock lock(mutex_);
    if (new_fd >= 0 && step.creates >= 0) {
        SocketSlot& s = sockets_[step.creates];
        s = SocketSlot{};
        s.fd = new_fd;
        s.created = true;
        s.connected = step.call == Call::Accept;
        auto inode = labnet::socketInode(new_fd);
        if (inode) s.inode = inode.value();
        refresh(step.creates);
    }
    if (step.socket >= 0 && step.call != Call::Close) {
        refresh(step.socket);
        if (step.call == Call::Listen && error == 0) sockets_[step.socket].listening = true;
        if (step.call == Call::Connect && error == 0) sockets_[step.socket].connected = true;
    }
    if (step.message >= 0 && error == 0) {
        received_[step.message] = data;
        if (step.call == Call::Recvfrom) {
            lesson::SockAddr& sa = senders_[step.message];
            std::memcpy(&sa.storage, &from, sizeof from);
            sa.length = from_length;
        }
    }
    CallSlot& slot = calls_[step_index];
    record.timed_out = slot.record.timed_out;
    slot.record = std::move(record);
    slot.observed.returned = true;
    slot.observed.result = result;
    slot.observed.error = error;
    slot.observed.data = data;
    slot.peer = peer;
    slot.done = true;
    last_return_ = Clock::now();
    done_cv_.notify_all();
    if (options_.on_call) {
        CallRecord returned = slot.record;
        lock.unlock();
        options_.on_call(returned);
    }
}

// The capture thread reads the ring every few hundred microseconds at best; a call that returns
// (connect after the handshake, send after its segment) has already put its packets there.
// Having them read before the return is reported keeps a stream in the order things happened.
// Bounded, so that a capture thread that stopped reading never holds a call's report.
void Run::requestDrain() {
    std::unique_lock lock(drain_mutex_);
    if (capture_done_ || wake_fd_ < 0) return;
    const uint64_t target = ++drain_requests_;
    uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof one);
    drain_cv_.wait_for(lock, std::chrono::milliseconds(50),
                       [&] { return capture_done_ || drained_ >= target; });
}

bool Run::waitDone(int step_index, int timeout_ms) {
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    std::unique_lock lock(mutex_);
    while (!calls_[step_index].done) {
        if (timeout_ms > 0 && Clock::now() >= deadline) return false;
        if (stopRequested()) return false;
        done_cv_.wait_for(lock, std::chrono::milliseconds(20));
    }
    return true;
}

void Run::forceUnblock(int step_index) {
    const Step& step = lesson_.steps[step_index];
    {
        std::lock_guard lock(mutex_);
        if (calls_[step_index].done || !calls_[step_index].started) return;
        calls_[step_index].record.timed_out = true;
        if (step.socket >= 0 && sockets_[step.socket].fd >= 0)
            shutdown(sockets_[step.socket].fd, SHUT_RDWR);
    }
    pthread_kill(actors_[step.actor]->thread.native_handle(), SIGUSR1);
}

void Run::settle(Clock::time_point from) {
    auto quiet = std::chrono::milliseconds(std::max(100, options_.settle_ms));
    for (;;) {
        Clock::time_point last;
        {
            std::lock_guard lock(mutex_);
            last = std::max({from, last_packet_});
        }
        auto idle = Clock::now() - last;
        if (idle >= quiet || stopRequested()) return;
        std::this_thread::sleep_for(std::min<Clock::duration>(quiet - idle,
                                                              std::chrono::milliseconds(20)));
    }
}

lesson::EndpointRef Run::owner(const Endpoint& local, const Endpoint* peer) const {
    // Caller holds mutex_. The order is reference_check.py's: an exact 4-tuple first, then a
    // socket without a peer (or a listener) on that address, then any socket on it.
    auto same = [](const Endpoint& mine, const Endpoint& seen) {
        return mine.valid() && seen.valid() && mine.family == seen.family &&
               mine.port == seen.port && (mine.ip == seen.ip || mine.wildcard());
    };
    if (!local.valid()) return {};
    auto ref = [&](size_t i) { return lesson::EndpointRef{lesson_.sockets[i].actor, int(i)}; };
    if (peer) {
        for (size_t i = 0; i < sockets_.size(); ++i)
            if (same(sockets_[i].local, local) && sockets_[i].peer == *peer) return ref(i);
    }
    for (size_t i = 0; i < sockets_.size(); ++i)
        if (same(sockets_[i].local, local) && (!sockets_[i].peer.valid() || sockets_[i].listening))
            return ref(i);
    for (size_t i = 0; i < sockets_.size(); ++i)
        if (same(sockets_[i].local, local)) return ref(i);
    return {};
}

std::string entryAddress(int family, const std::string& address, uint16_t port) {
    return family == AF_INET6 ? "[" + address + "]:" + std::to_string(port)
                              : address + ":" + std::to_string(port);
}

// States of every socket the lesson created so far. TCP sockets get their kernel state (a
// socket only created or bound is CLOSED, as the kernel says); UDP sockets, which have no
// states, "UNCONNECTED" or "CONNECTED" (sock_diag's view, as `ss` shows UNCONN/ESTAB); AF_UNIX
// sockets, which inet sock_diag does not list, "LISTEN", "CONNECTED" or "UNCONNECTED" from what
// the runner did. A closed socket the kernel no longer has is "CLOSED" with fd -1.
Run::Snapshot Run::snapshot(int step, const char* phase) {
    Snapshot out;
    out.tcp.assign(lesson_.sockets.size(), lesson::TcpState::Closed);
    out.event.step = step;
    out.event.phase = phase;
    auto kernel = labnet::snapshotSockets();
    out.event.time_ns = kernel ? kernel.value().time_ns : realtimeNs();
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < sockets_.size(); ++i) {
        const SocketSlot& s = sockets_[i];
        const lesson::SocketDecl& decl = lesson_.sockets[i];
        if (!s.created) continue;
        SocketState state;
        state.socket = lesson_.actors[decl.actor].name + "." + decl.name;
        state.fd = s.fd;
        state.state = "CLOSED";
        if (s.local.valid() && s.local.port != 0) state.local = s.local.text();  // not 0.0.0.0:0
        if (s.peer.valid() && s.peer.port != 0) state.remote = s.peer.text();
        if (decl.family == lesson::Family::Unix) {
            if (s.fd >= 0)
                state.state = s.listening ? "LISTEN" : s.connected ? "CONNECTED" : "UNCONNECTED";
            out.event.states.push_back(std::move(state));
            continue;
        }
        const labnet::SocketEntry* found = nullptr;
        if (kernel) {
            if (s.fd >= 0 && s.inode) found = kernel.value().findByInode(s.inode);
            if (!found && s.fd < 0 && decl.isTcp() && s.peer.valid() && s.peer.port != 0) {
                for (const auto& e : kernel.value().sockets) {
                    if (e.protocol == labnet::TransportProtocol::Tcp && e.inode == 0 &&
                        e.local_port == s.local.port && e.remote_port == s.peer.port &&
                        e.local_address == s.local.hostText() &&
                        e.remote_address == s.peer.hostText()) {
                        found = &e;
                        break;
                    }
                }
            }
        }
        if (found) {
            if (decl.isTcp()) {
                out.tcp[i] = fromKernel(found->state);
                state.state = std::string(lesson::tcpStateName(out.tcp[i]));
            } else {
                state.state = found->stateName();
            }
            state.local = entryAddress(found->family, found->local_address, found->local_port);
            state.remote = found->remote_port == 0
                               ? ""
                               : entryAddress(found->family, found->remote_address, found->remote_port);
        } else if (!decl.isTcp() && s.fd >= 0) {
            // Not listed (sock_diag refused): what the runner knows.
            state.state = s.peer.valid() && s.peer.port != 0 ? "CONNECTED" : "UNCONNECTED";
        }
        out.event.states.push_back(std::move(state));
    }
    return out;
}

void Run::checkCallOf(int step_index, std::vector<lesson::Mismatch>& out) {
    lesson::ObservedCall observed;
    {
        std::lock_guard lock(mutex_);
        CallSlot& slot = calls_[step_index];
        slot.checked = true;
        observed = slot.observed;
        if (slot.peer.valid()) observed.peer = owner(slot.peer, nullptr);
    }
    auto found = lesson::checkCall(lesson_, checkedStep(step_index), observed);
    out.insert(out.end(), found.begin(), found.end());
}

Result<RunResult> Run::run() {
    installWakeSignal();
    std::error_code ec;
    // AF_UNIX names live in a directory of the run's own; only lessons with such sockets make one
    // (a killed run would leave it behind).
    bool needs_dir = false;
    for (const auto& socket : lesson_.sockets) needs_dir = needs_dir || socket.family == lesson::Family::Unix;
    if (needs_dir) {
        const char* tmp = std::getenv("TMPDIR");
        std::string dir_template =
            std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/osilab-run-XXXXXX";
        if (!mkdtemp(dir_template.data()))
            return Error{"cannot make the run's directory in " +
                         dir_template.substr(0, dir_template.rfind('/')) + ": " +
                         std::strerror(errno) + " (set TMPDIR to a folder you can write)"};
        run_dir_ = dir_template;
        removeWhenGone(run_dir_);
    }

    labnet::CaptureOptions capture_options;
    capture_options.interface = options_.capture_interface;
    capture_options.filter = options_.capture_filter;
    auto capture = labnet::LiveCapture::open(capture_options);
    if (!capture) {
        if (!run_dir_.empty()) std::filesystem::remove_all(run_dir_, ec);
        return capture.error();
    }
    link_type_ = capture.value().linkType();
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    auto live = std::make_shared<labnet::LiveCapture>(std::move(capture).value());
    capture_thread_ = std::thread([this, live] {
        auto on_packet = [this](const labnet::CapturedPacket& packet) {
            PacketRecord record;
            record.time_ns = packet.time_ns;
            record.link_type = packet.link_type;
            record.orig_len = packet.orig_len;
            record.bytes.assign(packet.data, packet.data + packet.cap_len);
            std::unique_lock emit(emit_mutex_, std::defer_lock);
            if (options_.on_packet) emit.lock();
            {
                std::lock_guard lock(mutex_);
                record.step = current_step_;
                last_packet_ = Clock::now();
                if (!options_.on_packet) {
                    packets_.push_back(std::move(record));
                    return;
                }
                packets_.push_back(record);
            }
            options_.on_packet(record);
        };
        for (;;) {
            auto status = live->readAvailable(on_packet, 50, wake_fd_);
            if (status == labnet::ReadStatus::Error) break;
            if (status != labnet::ReadStatus::Interrupted) continue;
            uint64_t count;
            (void)!read(wake_fd_, &count, sizeof count);
            if (capture_quit_.load()) break;
            // A call returned (requestDrain): what it put on the wire goes out before its return.
            // Every request counted here was made before this drain began, so it is served.
            uint64_t serving;
            {
                std::lock_guard lock(drain_mutex_);
                serving = drain_requests_;
            }
            live->readAvailable(on_packet, 0);
            std::lock_guard lock(drain_mutex_);
            drained_ = serving;
            drain_cv_.notify_all();
        }
        // Whatever is still in the ring belongs to the last step.
        live->readAvailable(on_packet, 0);
        if (auto stats = live->stats()) dropped_ = stats.value().dropped;
        std::lock_guard lock(drain_mutex_);
        capture_done_ = true;
        drain_cv_.notify_all();
    });
    // Every actor's slot exists before any thread starts: a thread reads actors_[a] while
    // push_back would still be moving the vector's storage.
    for (size_t a = 0; a < lesson_.actors.size(); ++a) actors_.push_back(std::make_unique<ActorThread>());
    for (size_t a = 0; a < lesson_.actors.size(); ++a)
        actors_[a]->thread = std::thread([this, a] { actorLoop(int(a)); });

    RunResult result;
    result.link_type = link_type_;
    std::vector<int> pending_of_actor(lesson_.actors.size(), -1);
    std::vector<int> unchecked;
    for (const Step& step : lesson_.steps) {
        if (step.actor == options_.skip_actor) continue;
        if (stopRequested() || (options_.before_step && !options_.before_step(step))) {
            result.stopped = true;
            break;
        }
        StepRecord record;
        record.step = step.index;
        size_t first_packet;
        {
            std::lock_guard emit(emit_mutex_);
            record.before = snapshot(step.index, "before").event;
            if (options_.on_states) options_.on_states(record.before);
            {
                std::lock_guard lock(mutex_);
                record.start_ns = realtimeNs();
                current_step_ = step.index;
                first_packet = packets_.size();
            }
            if (options_.on_step_start) options_.on_step_start(step, record.start_ns);
        }
        int& waiting = pending_of_actor[step.actor];
        if (waiting >= 0) {
            if (!waitDone(waiting, options_.call_timeout_ms) && !stopRequested()) {
                forceUnblock(waiting);
                waitDone(waiting, 1000);
            }
            waiting = -1;
        }
        if (stopRequested()) {
            result.stopped = true;
            break;
        }
        {
            std::lock_guard lock(mutex_);
            calls_[step.index].started = true;
        }
        {
            ActorThread& actor = *actors_[step.actor];
            std::lock_guard lock(actor.mutex);
            actor.job = step.index;
            actor.cv.notify_one();
        }
        bool done;
        if (step.expect.pending) {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::max(100, options_.settle_ms)));
            settle(Clock::now());
            std::lock_guard lock(mutex_);
            done = calls_[step.index].done;
            calls_[step.index].observed.pending_at_step_end = !done;
        } else {
            done = waitDone(step.index, options_.call_timeout_ms);
            if (!done && !stopRequested()) {
                {
                    std::lock_guard lock(mutex_);
                    calls_[step.index].observed.pending_at_step_end = true;
                }
                forceUnblock(step.index);
                done = waitDone(step.index, 1000);
            }
            Clock::time_point returned;
            {
                std::lock_guard lock(mutex_);
                returned = last_return_;
            }
            settle(returned);
        }
        if (stopRequested()) {
            result.stopped = true;
            break;
        }
        record.call_pending = !done;
        if (!done) pending_of_actor[step.actor] = step.index;
        unchecked.push_back(step.index);
        Snapshot after = snapshot(step.index, "after");
        // Everything reported so far belongs to this step's record, everything later does not.
        std::lock_guard emit(emit_mutex_);
        {
            std::lock_guard lock(mutex_);
            record.end_ns = realtimeNs();
            current_step_ = -1;
            for (size_t i = first_packet; i < packets_.size(); ++i) {
                PacketRecord& packet = packets_[i];
                FrameFacts facts =
                    frameFacts(packet.link_type, packet.bytes.data(), uint32_t(packet.bytes.size()));
                packet.observed = facts.observed;
                packet.observed.source = owner(facts.source, &facts.destination);
                packet.observed.destination = owner(facts.destination, &facts.source);
                record.packets.push_back(packet);
            }
        }
        const Step& checked = checkedStep(step.index);
        std::vector<lesson::ObservedPacket> observed;
        for (const auto& packet : record.packets) observed.push_back(packet.observed);
        auto found = lesson::checkPackets(lesson_, checked, observed);
        record.mismatches.insert(record.mismatches.end(), found.begin(), found.end());
        // Calls that have returned: this step's own, and pending ones of earlier steps.
        std::vector<int> still;
        for (int index : unchecked) {
            bool returned;
            {
                std::lock_guard lock(mutex_);
                returned = calls_[index].done;
                if (returned) record.calls.push_back(calls_[index].record);
            }
            if (returned) checkCallOf(index, record.mismatches);
            else still.push_back(index);
        }
        unchecked = std::move(still);
        found = lesson::checkStates(lesson_, checked, after.tcp);
        record.mismatches.insert(record.mismatches.end(), found.begin(), found.end());
        {
            std::lock_guard lock(mutex_);
            for (size_t i = 0; i < lesson_.sockets.size(); ++i)
                if (sockets_[i].created && lesson_.sockets[i].isTcp())
                    record.states.push_back({int(i), after.tcp[i]});
        }
        record.after = std::move(after.event);
        result.mismatches.insert(result.mismatches.end(), record.mismatches.begin(),
                                 record.mismatches.end());
        if (options_.after_step) options_.after_step(record);
        if (options_.on_states) options_.on_states(record.after);
        result.steps.push_back(std::move(record));
    }
    if (!result.stopped) {
        // A call still blocked when the lesson ends fails the check.
        for (int index : unchecked) {
            if (!waitDone(index, options_.call_timeout_ms)) {
                forceUnblock(index);
                waitDone(index, 1000);
                std::lock_guard lock(mutex_);
                calls_[index].observed.returned = false;
            }
            {
                std::lock_guard lock(mutex_);
                result.late_calls.push_back(calls_[index].record);
            }
            std::vector<lesson::Mismatch> found;
            checkCallOf(index, found);
            result.mismatches.insert(result.mismatches.end(), found.begin(), found.end());
        }
    }
    cleanup();
    result.packets_dropped = dropped_;
    return result;
}

void Run::cleanup() {
    // Unblock every call first (a blocked accept/recv returns once its socket is shut down),
    // then stop and join every thread, then close every descriptor.
    {
        std::lock_guard lock(mutex_);
        for (auto& s : sockets_)
            if (s.fd >= 0) shutdown(s.fd, SHUT_RDWR);
    }
    for (auto& actor : actors_) {
        {
            std::lock_guard lock(actor->mutex);
            actor->quit = true;
            actor->cv.notify_one();
        }
    }
    for (auto& actor : actors_) {
        // A call blocked in something shutdown() does not wake is interrupted by the signal;
        // repeat in case it arrived between the check and the call.
        while (actor->thread.joinable()) {
            pthread_kill(actor->thread.native_handle(), SIGUSR1);
            actor->thread.join();
        }
    }
    {
        std::lock_guard lock(mutex_);
        for (auto& s : sockets_) {
            if (s.fd >= 0) close(s.fd);
            s.fd = -1;
        }
    }
    capture_quit_.store(true);
    if (wake_fd_ >= 0) {
        uint64_t one = 1;
        (void)!write(wake_fd_, &one, sizeof one);
    }
    if (capture_thread_.joinable()) capture_thread_.join();
    if (wake_fd_ >= 0) close(wake_fd_);
    wake_fd_ = -1;
    std::error_code ec;
    if (!run_dir_.empty()) std::filesystem::remove_all(run_dir_, ec);
}

}  // namespace

Result<RunResult> runLesson(const Lesson& lesson, const RunOptions& options) {
    Run run(lesson, options);
    return run.run();
}

}  // namespace osilab::runner
