// libFuzzer target for the capture readers: the input is a whole capture file in memory (pcap
// through libpcap, pcapng through our reader), read record by record to End or Error, touching
// every byte handed out so that a length that lies is caught by ASan.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lab/capture/capture_reader.h"

namespace {
volatile uint32_t g_sink;  // keeps the reads of every byte from being optimised away
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace osilab::capture;
    auto reader = openCaptureBuffer(std::vector<uint8_t>(data, data + size), "fuzz");
    if (!reader.ok()) {
        if (reader.error().message.empty()) __builtin_trap();  // every failure must say why
        return 0;
    }
    Record record;
    uint32_t sum = 0;
    // Bounded: each record consumes at least 12 bytes of input (a pcap record 16).
    for (size_t records = 0; records <= size; ++records) {
        const ReadStatus status = reader.value()->next(record);
        if (status == ReadStatus::Error && reader.value()->error().empty()) __builtin_trap();
        if (status != ReadStatus::Ok) {
            g_sink = sum;
            return 0;
        }
        if (record.kind == Record::Kind::Packet) {
            const PacketRecord& p = record.packet;
            for (uint32_t i = 0; i < p.cap_len; ++i) sum += p.data[i];
            for (const std::string& comment : p.comments)
                sum += static_cast<uint32_t>(comment.size());
        } else {
            for (uint8_t byte : record.custom.data) sum += byte;
        }
    }
    __builtin_trap();  // more records than the input could hold: a reader is looping
}
