// Test-only helpers for the capture tests: files, reading a whole capture into plain values,
// and a pcapng block builder that can write either byte order (our writer only writes ours).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lab/capture/capture_reader.h"

namespace osilab::capture::testing {

inline std::string corpusDir(const char* kind) {
    return std::string(OSILAB_CORPUS) + "/" + kind;
}

inline bool corpusPresent() {
    return std::filesystem::is_directory(OSILAB_CORPUS);
}

#define SKIP_WITHOUT_CORPUS()                                         \
    do {                                                              \
        if (!::osilab::capture::testing::corpusPresent())             \
            GTEST_SKIP() << "no capture corpus at " << OSILAB_CORPUS; \
    } while (0)

inline std::vector<uint8_t> readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot open " << path;
    return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
}

// Files in a folder whose names end with `suffix`, sorted.
inline std::vector<std::string> filesIn(const std::string& dir, const std::string& suffix = "") {
    std::vector<std::string> files;
    if (!std::filesystem::is_directory(dir)) return files;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string path = entry.path().string();
        if (entry.is_regular_file() && path.size() >= suffix.size() &&
            path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
            files.push_back(path);
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// A temporary file path, removed when the object goes away.
class TempPath {
public:
    explicit TempPath(const std::string& stem) {
        path_ = (std::filesystem::temp_directory_path() /
                 (stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++)))
                    .string();
    }
    ~TempPath() { std::filesystem::remove(path_); }
    const std::string& path() const { return path_; }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::string path_;
};

// A packet copied out of a reader, so it outlives the next next().
struct CopiedPacket {
    uint64_t number = 0;
    uint32_t link_type = 0;
    uint32_t interface_id = 0;
    int64_t time_ns = 0;
    uint32_t orig_len = 0;
    std::vector<uint8_t> bytes;
    std::vector<std::string> comments;
};

struct ReadOutcome {
    std::vector<CopiedPacket> packets;
    std::vector<CustomBlockRecord> customs;
    ReadStatus status = ReadStatus::Ok;  // End or Error once read to the end
    std::string error;
};

inline ReadOutcome readAll(CaptureReader& reader, size_t limit = 10'000'000) {
    ReadOutcome outcome;
    Record record;
    for (size_t i = 0; i < limit; ++i) {
        const ReadStatus status = reader.next(record);
        if (status != ReadStatus::Ok) {
            outcome.status = status;
            if (status == ReadStatus::Error) outcome.error = reader.error();
            return outcome;
        }
        if (record.kind == Record::Kind::Custom) {
            outcome.customs.push_back(record.custom);
            continue;
        }
        const PacketRecord& p = record.packet;
        CopiedPacket copy;
        copy.number = p.number;
        copy.link_type = p.link_type;
        copy.interface_id = p.interface_id;
        copy.time_ns = p.time_ns;
        copy.orig_len = p.orig_len;
        copy.bytes.assign(p.data, p.data + p.cap_len);
        copy.comments = p.comments;
        outcome.packets.push_back(std::move(copy));
    }
    ADD_FAILURE() << "reader did not stop after " << limit << " records";
    return outcome;
}

// Builds pcapng blocks in either byte order. Lengths are filled in unless told otherwise, so
// damaged blocks can be made on purpose.
class PcapngBuilder {
public:
    explicit PcapngBuilder(bool big_endian = false) : big_endian_(big_endian) {}

    void setBigEndian(bool big_endian) { big_endian_ = big_endian; }

    PcapngBuilder& sectionHeader(uint16_t major = 1, uint16_t minor = 0,
                                 int64_t section_length = -1) {
        std::vector<uint8_t> body;
        put32(body, 0x1A2B3C4D);
        put16(body, major);
        put16(body, minor);
        put64(body, static_cast<uint64_t>(section_length));
        return block(0x0A0D0D0A, body);
    }

    // `options` is raw option bytes (use option()), end-of-options added when non-empty.
    PcapngBuilder& interface(uint16_t link_type, uint32_t snaplen,
                             std::vector<uint8_t> options = {}) {
        std::vector<uint8_t> body;
        put16(body, link_type);
        put16(body, 0);
        put32(body, snaplen);
        appendOptions(body, options);
        return block(1, body);
    }

    PcapngBuilder& enhancedPacket(uint32_t interface_id, uint64_t stamp,
                                  const std::vector<uint8_t>& data, uint32_t orig_len,
                                  std::vector<uint8_t> options = {},
                                  int64_t cap_len_override = -1) {
        std::vector<uint8_t> body;
        put32(body, interface_id);
        put32(body, static_cast<uint32_t>(stamp >> 32));
        put32(body, static_cast<uint32_t>(stamp));
        put32(body, cap_len_override >= 0 ? static_cast<uint32_t>(cap_len_override)
                                          : static_cast<uint32_t>(data.size()));
        put32(body, orig_len);
        body.insert(body.end(), data.begin(), data.end());
        pad(body);
        appendOptions(body, options);
        return block(6, body);
    }

    PcapngBuilder& obsoletePacket(uint16_t interface_id, uint64_t stamp,
                                  const std::vector<uint8_t>& data, uint32_t orig_len,
                                  std::vector<uint8_t> options = {}) {
        std::vector<uint8_t> body;
        put16(body, interface_id);
        put16(body, 0);  // drops
        put32(body, static_cast<uint32_t>(stamp >> 32));
        put32(body, static_cast<uint32_t>(stamp));
        put32(body, static_cast<uint32_t>(data.size()));
        put32(body, orig_len);
        body.insert(body.end(), data.begin(), data.end());
        pad(body);
        appendOptions(body, options);
        return block(2, body);
    }

    PcapngBuilder& simplePacket(uint32_t orig_len, const std::vector<uint8_t>& data) {
        std::vector<uint8_t> body;
        put32(body, orig_len);
        body.insert(body.end(), data.begin(), data.end());
        pad(body);
        return block(3, body);
    }

    PcapngBuilder& custom(bool copyable, uint32_t pen, const std::vector<uint8_t>& data) {
        std::vector<uint8_t> body;
        put32(body, pen);
        body.insert(body.end(), data.begin(), data.end());
        pad(body);
        return block(copyable ? 0x00000BAD : 0x40000BAD, body);
    }

    // Any block type with an opaque body (padded).
    PcapngBuilder& raw(uint32_t type, std::vector<uint8_t> body) {
        pad(body);
        return block(type, body);
    }

    std::vector<uint8_t> option(uint16_t code, const std::vector<uint8_t>& value) const {
        std::vector<uint8_t> out;
        put16(out, code);
        put16(out, static_cast<uint16_t>(value.size()));
        out.insert(out.end(), value.begin(), value.end());
        pad(out);
        return out;
    }
    std::vector<uint8_t> option(uint16_t code, const std::string& text) const {
        return option(code, std::vector<uint8_t>(text.begin(), text.end()));
    }
    std::vector<uint8_t> option64(uint16_t code, uint64_t value) const {
        std::vector<uint8_t> v;
        put64(v, value);
        return option(code, v);
    }

    // Appends bytes as they are (damage, garbage).
    PcapngBuilder& bytes(const std::vector<uint8_t>& more) {
        out_.insert(out_.end(), more.begin(), more.end());
        return *this;
    }

    // Where the last block started, and overwriting a 32-bit value in it (for damage).
    size_t lastBlockOffset() const { return last_block_; }
    void patch32(size_t offset, uint32_t value) {
        std::vector<uint8_t> v;
        put32(v, value);
        std::copy(v.begin(), v.end(), out_.begin() + static_cast<std::ptrdiff_t>(offset));
    }

    const std::vector<uint8_t>& data() const { return out_; }

private:
    PcapngBuilder& block(uint32_t type, const std::vector<uint8_t>& body) {
        last_block_ = out_.size();
        const uint32_t length = static_cast<uint32_t>(body.size() + 12);
        put32(out_, type);
        put32(out_, length);
        out_.insert(out_.end(), body.begin(), body.end());
        put32(out_, length);
        return *this;
    }
    void appendOptions(std::vector<uint8_t>& body, const std::vector<uint8_t>& options) const {
        if (options.empty()) return;
        body.insert(body.end(), options.begin(), options.end());
        put16(body, 0);
        put16(body, 0);
    }
    static void pad(std::vector<uint8_t>& v) {
        while (v.size() % 4 != 0) v.push_back(0);
    }
    void put16(std::vector<uint8_t>& v, uint16_t x) const {
        if (big_endian_) x = __builtin_bswap16(x);
        const auto* p = reinterpret_cast<const uint8_t*>(&x);
        v.insert(v.end(), p, p + 2);
    }
    void put32(std::vector<uint8_t>& v, uint32_t x) const {
        if (big_endian_) x = __builtin_bswap32(x);
        const auto* p = reinterpret_cast<const uint8_t*>(&x);
        v.insert(v.end(), p, p + 4);
    }
    void put64(std::vector<uint8_t>& v, uint64_t x) const {
        if (big_endian_) x = __builtin_bswap64(x);
        const auto* p = reinterpret_cast<const uint8_t*>(&x);
        v.insert(v.end(), p, p + 8);
    }

    bool big_endian_;
    std::vector<uint8_t> out_;
    size_t last_block_ = 0;
};

}  // namespace osilab::capture::testing
