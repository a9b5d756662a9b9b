// Live capture on the lab network's loopback with libpcap: immediate mode (packets arrive as they
// happen, not when the kernel's buffer fills) and non-blocking reads behind poll() with a
// timeout, so that reading never waits forever once traffic stops.
//
// On a loopback interface every packet passes the kernel's tap twice (leaving and arriving);
// libpcap would keep both in the ring and throw one away later. We attach a kernel filter that
// keeps only the arriving copy, so each packet costs one ring slot and `stats().received` counts
// packets as they appear on the wire.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "lab/common/result.h"

// libpcap's handle (pcap_t) and packet header; only live_capture.cpp sees <pcap/pcap.h>.
struct pcap;
struct pcap_pkthdr;

namespace osilab::labnet {

struct CaptureOptions {
    std::string interface = "lo";
    std::string filter;  // BPF expression ("tcp port 8898"); empty captures everything
    int snaplen = 262144;
    // The kernel's ring. In immediate mode every packet takes a whole slot sized for the largest
    // packet of the interface: on lo (MTU 65536) about 64 KiB, held in 128 KiB of kernel memory.
    // So 32 MiB gives about 500 slots: the reader may fall 500 packets behind before the kernel
    // drops (and counts) packets. Plenty for a lesson; a burst of thousands of datagrams on a
    // busy machine wants 128 MiB (about 2,000 slots, 256 MiB of kernel memory while open).
    int buffer_bytes = 32 << 20;
};

struct CapturedPacket {
    int64_t time_ns = 0;            // since the Unix epoch (CLOCK_REALTIME, like the packets')
    const uint8_t* data = nullptr;  // valid only during the callback
    uint32_t cap_len = 0;           // bytes in `data`
    uint32_t orig_len = 0;          // length on the wire
    uint32_t link_type = 0;         // LINKTYPE_* (1, Ethernet, on Linux lo)
};

// libpcap's counters since the capture was opened.
struct CaptureStats {
    uint64_t received = 0;           // ps_recv: packets that passed the filter in the kernel
    uint64_t dropped = 0;            // ps_drop: dropped because the ring was full
    uint64_t interface_dropped = 0;  // ps_ifdrop: dropped by the interface or its driver
};

enum class ReadStatus {
    Packets,      // at least one packet was delivered
    Quiet,        // the timeout passed without a packet
    Interrupted,  // the wake fd became readable (it is not read)
    Error,        // the capture failed; error() says why
};

using PacketCallback = std::function<void(const CapturedPacket&)>;

// One thread reads a capture at a time; different captures are independent.
class LiveCapture {
public:
    // Two-phase open: create, set snaplen, immediate mode, buffer size, nanosecond time stamps
    // when available, activate, filter, non-blocking. A refused permission says how to get it
    // (the private lab network, root, or setcap); a bad filter quotes libpcap's reason.
    // The capture is live when this returns: the kernel's tap is registered during activation,
    // so a packet sent after open() is always captured. Packets that passed the tap before the
    // filter was attached are discarded.
    static Result<LiveCapture> open(const CaptureOptions& options = {});

    LiveCapture(LiveCapture&& other) noexcept;
    LiveCapture& operator=(LiveCapture&& other) noexcept;
    LiveCapture(const LiveCapture&) = delete;
    LiveCapture& operator=(const LiveCapture&) = delete;
    ~LiveCapture();

    // Delivers the packets already waiting (at most 32,768 per call, so a flood cannot hold the
    // caller); if there is none, waits up to `timeout_ms` (0: do not wait; negative counts as 0)
    // for the first, then delivers all that are waiting. Never blocks longer than the timeout. If
    // `wake_fd` >= 0 becomes readable, returns Interrupted without reading it (a runner's stop
    // button), even while packets keep coming. An exception thrown by `on_packet` stops the reading
    // and is rethrown; later packets stay in the ring.
    ReadStatus readAvailable(const PacketCallback& on_packet, int timeout_ms, int wake_fd = -1);

    // Proves the capture sees traffic: sends one UDP datagram from 127.0.0.1 to itself and waits
    // until it is captured. The probe is swallowed; other packets read meanwhile go to
    // `on_packet`. Returns the probe's time stamp. Fails if it is not seen within `timeout_ms`
    // (e.g. when the filter excludes UDP on 127.0.0.1).
    Result<int64_t> confirmLive(const PacketCallback& on_packet, int timeout_ms = 2000);

    Result<CaptureStats> stats() const;

    const std::string& error() const { return error_; }  // after ReadStatus::Error
    const std::string& interfaceName() const { return interface_; }
    const std::string& filter() const { return filter_; }
    uint32_t linkType() const { return link_type_; }
    int snaplen() const { return snaplen_; }
    bool nanosecondTimestamps() const { return nanoseconds_; }
    // The descriptor to poll() for readability together with others (a runner's own loop).
    int selectableFd() const { return fd_; }

private:
    struct Reading;  // the state of one readAvailable() call, seen by libpcap's callback

    LiveCapture() = default;
    // Calls pcap_dispatch until the ring is empty; the number of packets delivered, -1 on error.
    int drain(Reading& reading);
    // Waits and drains as readAvailable() does, for the given reading.
    ReadStatus read(Reading& reading, int timeout_ms, int wake_fd);
    static void onPacket(unsigned char* user, const ::pcap_pkthdr* header,
                         const unsigned char* bytes);
    void close();

    pcap* handle_ = nullptr;
    int fd_ = -1;
    uint32_t link_type_ = 0;
    int snaplen_ = 0;
    bool nanoseconds_ = false;
    std::string interface_;
    std::string filter_;
    std::string error_;
    uint64_t probes_sent_ = 0;
};

}  // namespace osilab::labnet
