// pcapng numbers shared by our reader and writer (draft-ietf-opsawg-pcapng).
#pragma once

#include <cstdint>

namespace osilab::capture::pcapng {

constexpr uint32_t kSectionHeader = 0x0A0D0D0A;  // the same in both byte orders
constexpr uint32_t kInterfaceDescription = 0x00000001;
constexpr uint32_t kObsoletePacket = 0x00000002;
constexpr uint32_t kSimplePacket = 0x00000003;
constexpr uint32_t kNameResolution = 0x00000004;
constexpr uint32_t kInterfaceStatistics = 0x00000005;
constexpr uint32_t kEnhancedPacket = 0x00000006;
constexpr uint32_t kDecryptionSecrets = 0x0000000A;
constexpr uint32_t kCustomCopyable = 0x00000BAD;
constexpr uint32_t kCustomNotCopyable = 0x40000BAD;

constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;

constexpr uint16_t kOptEndOfOpt = 0;
constexpr uint16_t kOptComment = 1;
constexpr uint16_t kShbUserAppl = 4;
constexpr uint16_t kIfName = 2;
constexpr uint16_t kIfTsResol = 9;
constexpr uint16_t kIfTsOffset = 14;

// Smallest block: type, length, trailing length.
constexpr uint32_t kMinBlockLength = 12;
// No real block comes close; anything bigger is damage, and we must not allocate it.
constexpr uint32_t kMaxBlockLength = 64u << 20;

}  // namespace osilab::capture::pcapng
