// Small text helpers for the capture library's error messages, which a student reads: numbers
// with thousands separators ("1,204") and bytes in hex ("3c 68 74 6d").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace osilab::capture {

// 1234567 -> "1,234,567"
std::string withThousands(uint64_t value);

// {0x3c, 0x68} -> "3c 68"
std::string hexBytes(const uint8_t* data, size_t size);

// The text of an errno value ("No such file or directory"), thread-safe.
std::string errnoText(int error_number);

}  // namespace osilab::capture
