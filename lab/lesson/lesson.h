// A lesson as the runner executes it: actors, the sockets they create, and steps of one socket
// call each, with the narrative, the code line and what the kernel must show.
//
// Everything is resolved at load time: names become indexes into Lesson::actors, ::sockets and
// ::messages, addresses are parsed and checked to be loopback, and a step that could not run
// (unknown socket, closed socket, wrong call for the socket) has already been refused. The runner
// keeps one fd per entry of Lesson::sockets and one received datagram per entry of
// Lesson::messages, and never looks a name up. lessons/README.md is the teacher's side of this
// file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "lab/lesson/address.h"

namespace osilab::lesson {

// Text for people, in both languages of the course. Both are required by the loader.
struct Text {
    std::string zh;
    std::string en;
    const std::string& in(bool chinese) const { return chinese ? zh : en; }
};

// The same line as the course teaches it, in Python and in C.
struct Code {
    std::string python;
    std::string c;
};

struct Actor {
    std::string name;  // "server", "client", "alice"
    Text role;         // one line: who this actor is in the story
};

enum class Call : uint8_t {
    Socket,
    Setsockopt,
    Bind,
    Listen,
    Accept,
    Connect,
    Send,
    Sendall,
    Recv,
    Sendto,
    Recvfrom,
    Shutdown,
    Close,
};

enum class SocketType : uint8_t { Stream, Dgram };
enum class Protocol : uint8_t {
    Default,
    Tcp,
    Udp
};  // socket()'s third argument: 0, IPPROTO_TCP/UDP

// The options a lesson may set. The level is implied (SOL_SOCKET, or IPPROTO_TCP for NoDelay).
enum class SocketOption : uint8_t {
    ReuseAddr,  // SO_REUSEADDR, value 0/1
    ReusePort,  // SO_REUSEPORT, value 0/1
    KeepAlive,  // SO_KEEPALIVE, value 0/1
    Broadcast,  // SO_BROADCAST, value 0/1
    RcvBuf,     // SO_RCVBUF, value in bytes
    SndBuf,     // SO_SNDBUF, value in bytes
    RcvTimeo,   // SO_RCVTIMEO, value in milliseconds (struct timeval), 0 = wait forever
    SndTimeo,   // SO_SNDTIMEO, value in milliseconds
    Linger,     // SO_LINGER, value = seconds with l_onoff = 1 (0: close() sends RST)
    NoDelay,    // TCP_NODELAY, value 0/1
};

enum class ShutdownHow : uint8_t { Read, Write, Both };  // SHUT_RD, SHUT_WR, SHUT_RDWR

// What a send puts on the wire: literal text, or computed at run time.
struct Payload {
    std::string text;      // UTF-8 bytes sent as they are (may contain \r\n, Chinese, be empty)
    int strftime_of = -1;  // >= 0: index into Lesson::messages; the bytes sent are
                           // strftime(that message's bytes, localtime(now)), or
                           // strftime(default_format, …) when the message is empty
    std::string default_format;
    bool computed() const { return strftime_of >= 0; }
};

struct SocketArgs {
    Family family = Family::Inet;
    SocketType type = SocketType::Stream;
    Protocol proto = Protocol::Default;
};
struct SetsockoptArgs {
    SocketOption option = SocketOption::ReuseAddr;
    int value = 0;
};
struct BindArgs {
    Address addr;
};
struct ListenArgs {
    int backlog = 0;
};
struct AcceptArgs {};
struct ConnectArgs {
    Address addr;
};
struct SendArgs {  // send and sendall
    Payload data;
};
struct RecvArgs {  // recv and recvfrom
    int bufsize = 0;
};
struct SendtoArgs {
    Payload data;
    std::optional<Address> addr;  // either a written address…
    int to_message = -1;  // …or the sender of a datagram received earlier (Lesson::messages)
};
struct ShutdownArgs {
    ShutdownHow how = ShutdownHow::Both;
};
struct CloseArgs {};

// The alternative follows Step::call (Send and Sendall share SendArgs, Recv and Recvfrom RecvArgs).
using Args = std::variant<SocketArgs, SetsockoptArgs, BindArgs, ListenArgs, AcceptArgs, ConnectArgs,
                          SendArgs, RecvArgs, SendtoArgs, ShutdownArgs, CloseArgs>;

// A socket of the lesson: created by a `socket` step or returned by an `accept` step (its `as`).
// Names are per actor (the server's "sk" and the client's "sk" are two sockets); a name may be
// given again after its socket was closed, which makes a new entry here.
struct SocketDecl {
    std::string name;
    int actor = -1;
    Family family = Family::Inet;
    SocketType type = SocketType::Stream;
    bool accepted = false;  // made by accept(): a server's connection socket
    int created_by = -1;    // step index of the socket/accept step
    int closed_by = -1;     // step index of the close step, -1 when the lesson never closes it
    bool isTcp() const { return type == SocketType::Stream && family != Family::Unix; }
};

// Data received by a recv/recvfrom step with an `as`: its bytes and (recvfrom) its sender.
struct MessageDecl {
    std::string name;
    int actor = -1;
    int received_by = -1;     // step index
    bool has_sender = false;  // recvfrom: a reply can go `to` it
};

// An actor, or one socket of it (socket == -1: any socket of the actor).
struct EndpointRef {
    int actor = -1;
    int socket = -1;
    bool any() const { return actor < 0; }
};

// TCP states as `ss` names them. Closed: the kernel has no socket for it (any more, or yet).
enum class TcpState : uint8_t {
    Established,
    SynSent,
    SynRecv,
    FinWait1,
    FinWait2,
    TimeWait,
    Closed,
    CloseWait,
    LastAck,
    Listen,
    Closing,
};

enum class PacketKind : uint8_t { Tcp, Udp, IcmpPortUnreachable };

// TCP flag bits as in the header's flags byte.
inline constexpr uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                         kUrg = 0x20, kEce = 0x40, kCwr = 0x80;

// One packet as a lesson describes it: "SYN,ACK", "UDP", "ICMP port unreachable", or the object
// form with more conditions. Unset conditions match anything.
struct PacketPattern {
    std::string text;  // as written ("SYN,ACK"), for messages
    PacketKind kind = PacketKind::Tcp;
    uint8_t tcp_flags = 0;  // Tcp: the exact flag set
    int ip_version = 0;     // 4 or 6; 0: either
    EndpointRef from, to;   // the packet's source / destination belongs to this actor (socket)
    std::optional<uint32_t> length;   // transport payload length in bytes
    std::optional<std::string> data;  // transport payload, exactly these bytes
};

enum class PacketMatch : uint8_t {
    None,     // no claim about packets
    Exact,    // `packets`: the step's packets are exactly these, in this order ([] = none at all)
    Include,  // `packets_include`: these appear in this order; others may come between
};

struct StateExpect {
    int socket = -1;  // index into Lesson::sockets
    TcpState state = TcpState::Closed;
};

struct ErrnoExpect {
    std::string name;  // "EADDRINUSE", as written (EWOULDBLOCK stays EWOULDBLOCK)
    int value = 0;     // its number on this system
};

// What the kernel must show for a step. Every claim is checked by `osilab check`; a step without
// `error` also claims that its call succeeds.
struct Expect {
    PacketMatch packet_match = PacketMatch::None;
    std::vector<PacketPattern> packets;
    std::optional<ErrnoExpect> error;
    std::optional<int64_t> returns;           // bytes sent or received
    std::optional<std::string> data;          // bytes received, exactly
    std::optional<std::string> data_matches;  // bytes received match this ECMAScript regex (whole)
    std::optional<EndpointRef> peer;          // accept/recvfrom: who is at the other end
    std::vector<StateExpect> states;          // after the step (after its settle time)
    bool pending = false;  // the call is still blocked when the step ends (see Step)
};

// A question asked before the step runs. With choices, `answer` indexes the right one.
struct Question {
    Text text;
    std::vector<Text> choices;
    int answer = -1;
};

// One socket call by one actor.
//
// A step ends when its call has returned and the network has been quiet for the settle time. If
// expect.pending is set, the step does not wait for the call: it ends after the settle time with
// the call still blocked (accept waiting for a client), and the call returns during a later step
// of another actor; its other expectations are checked when it returns. A step of an actor whose
// previous call is still pending first waits for that call (the loader guarantees another actor
// has a step in between, so something can complete it).
struct Step {
    int index = 0;
    std::string path;  // "/steps/3", for messages
    int actor = -1;
    Call call = Call::Socket;
    int socket = -1;   // the socket the call works on; -1 only for Call::Socket
    int creates = -1;  // Socket/Accept: the socket this step creates (`as`)
    int message = -1;  // Recv/Recvfrom with `as`: the message this step names
    Args args;
    Text say;
    Code code;
    Expect expect;
    std::optional<Question> ask;
};

// For lectures with `--net host`: a real browser replaces one actor (see lessons/README.md).
struct HostBrowser {
    int actor = -1;   // the actor whose steps the browser replaces
    std::string url;  // "http://127.0.0.1:8080/"
    Address addr;     // the address in the url; a listening socket of the lesson is bound to it
    Text say;         // what to tell the audience
};

struct Lesson {
    std::string id;  // kebab-case, equal to the file name without .json
    int order = 0;   // place in the course (lessons are listed by order, then id)
    Text title;
    Text summary;
    std::vector<Actor> actors;
    std::vector<SocketDecl> sockets;
    std::vector<MessageDecl> messages;
    std::vector<Step> steps;
    std::optional<HostBrowser> host_browser;
    std::string source;  // the file (or name) it was loaded from
};

}  // namespace osilab::lesson
