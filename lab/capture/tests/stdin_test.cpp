// Reading "-": standard input is a pipe from `osilab run --stream`, so the reader must hand over
// each packet as soon as its bytes arrive, without seeking or waiting for the end.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "lab/capture/capture_reader.h"
#include "lab/capture/tests/capture_test_support.h"

namespace osilab::capture {
namespace {

using testing::corpusDir;
using testing::readAll;
using testing::ReadOutcome;

// Points standard input at the read end of a pipe for the lifetime of the object.
class StdinFromPipe {
public:
    StdinFromPipe() {
        int fds[2];
        EXPECT_EQ(::pipe(fds), 0);
        saved_stdin_ = ::dup(STDIN_FILENO);
        ::dup2(fds[0], STDIN_FILENO);
        ::close(fds[0]);
        write_end_ = fds[1];
    }
    ~StdinFromPipe() {
        closeWriteEnd();
        ::dup2(saved_stdin_, STDIN_FILENO);
        ::close(saved_stdin_);
    }
    int writeEnd() const { return write_end_; }
    void closeWriteEnd() {
        if (write_end_ >= 0) ::close(write_end_);
        write_end_ = -1;
    }

private:
    int saved_stdin_ = -1;
    int write_end_ = -1;
};

bool writeAll(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

// A child process writes `bytes` into the pipe in small chunks, as a live writer would.
pid_t feedInChunks(StdinFromPipe& pipe, const std::vector<uint8_t>& bytes, size_t chunk) {
    const pid_t child = ::fork();
    if (child == 0) {
        for (size_t at = 0; at < bytes.size(); at += chunk) {
            const size_t n = std::min(chunk, bytes.size() - at);
            if (!writeAll(pipe.writeEnd(), bytes.data() + at, n)) ::_exit(2);
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        ::_exit(0);
    }
    pipe.closeWriteEnd();  // only the child writes: its exit is our end of input
    return child;
}

int waitFor(pid_t child) {
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void expectStdinReadsLikeTheFile(const std::string& file, size_t chunk) {
    const std::string path = corpusDir("good") + "/" + file;
    auto from_file = openCapture(path);
    ASSERT_TRUE(from_file.ok());
    const ReadOutcome expected = readAll(*from_file.value());

    StdinFromPipe pipe;
    const pid_t child = feedInChunks(pipe, testing::readBytes(path), chunk);
    auto reader = openCapture("-");
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    EXPECT_EQ(reader.value()->size(), 0u);  // unknown for a pipe
    const ReadOutcome got = readAll(*reader.value());
    EXPECT_EQ(waitFor(child), 0);
    EXPECT_EQ(got.status, ReadStatus::End) << got.error;
    ASSERT_EQ(got.packets.size(), expected.packets.size());
    for (size_t i = 0; i < got.packets.size(); ++i) {
        EXPECT_EQ(got.packets[i].bytes, expected.packets[i].bytes);
        EXPECT_EQ(got.packets[i].time_ns, expected.packets[i].time_ns);
        EXPECT_EQ(got.packets[i].link_type, expected.packets[i].link_type);
        EXPECT_EQ(got.packets[i].comments, expected.packets[i].comments);
    }
    EXPECT_EQ(reader.value()->position(), std::filesystem::file_size(path));
}

TEST(StdinTest, PcapThroughLibpcap) {
    SKIP_WITHOUT_CORPUS();
    expectStdinReadsLikeTheFile("print-flags.pcap", 3);
    expectStdinReadsLikeTheFile("tcp-handshake-nano.pcap", 100);
}

TEST(StdinTest, PcapngThroughOurReader) {
    SKIP_WITHOUT_CORPUS();
    expectStdinReadsLikeTheFile("print-flags-comments.pcapng", 5);
    expectStdinReadsLikeTheFile("mixed-linktypes.pcapng", 1000);
}

// The writer sends the start of the stream, then waits until the reader has returned the first
// packet before sending the rest. A reader that waited for more input would stall here until
// the writer gives up (exit code 3) instead of being told to go on (exit code 0).
void expectPacketBeforeTheRest(const std::string& file, size_t first_part) {
    const std::vector<uint8_t> bytes = testing::readBytes(corpusDir("good") + "/" + file);
    int go[2];
    ASSERT_EQ(::pipe(go), 0);
    StdinFromPipe pipe;
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(go[1]);
        if (!writeAll(pipe.writeEnd(), bytes.data(), first_part)) ::_exit(2);
        pollfd wait_for_go{go[0], POLLIN, 0};
        const int ready = ::poll(&wait_for_go, 1, 10'000);
        const bool rest =
            writeAll(pipe.writeEnd(), bytes.data() + first_part, bytes.size() - first_part);
        ::_exit(!rest ? 2 : ready == 1 ? 0 : 3);
    }
    ::close(go[0]);
    pipe.closeWriteEnd();

    auto reader = openCapture("-");
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    Record record;
    ASSERT_EQ(reader.value()->next(record), ReadStatus::Ok);
    EXPECT_EQ(record.packet.number, 1u);
    ASSERT_EQ(::write(go[1], "g", 1), 1);
    ::close(go[1]);
    const ReadOutcome rest = readAll(*reader.value());
    EXPECT_EQ(rest.status, ReadStatus::End) << rest.error;
    EXPECT_EQ(waitFor(child), 0) << "the reader waited for more than the first packet";
}

TEST(StdinTest, PcapPacketArrivesBeforeTheRestIsWritten) {
    SKIP_WITHOUT_CORPUS();
    // print-flags.pcap: file header 24 + record header 16 + 74 bytes of packet 1
    expectPacketBeforeTheRest("print-flags.pcap", 24 + 16 + 74);
}

TEST(StdinTest, PcapngPacketArrivesBeforeTheRestIsWritten) {
    SKIP_WITHOUT_CORPUS();
    // print-flags-comments.pcapng: section 108 + interface 20 + packet 1's block 160
    expectPacketBeforeTheRest("print-flags-comments.pcapng", 108 + 20 + 160);
}

TEST(StdinTest, NotACaptureSaysStandardInput) {
    StdinFromPipe pipe;
    const std::string text = "hello, this is text\n";
    ASSERT_TRUE(
        writeAll(pipe.writeEnd(), reinterpret_cast<const uint8_t*>(text.data()), text.size()));
    pipe.closeWriteEnd();
    auto reader = openCapture("-");
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().message,
              "standard input is neither a pcap nor a pcapng file (it starts with 68 65 6c 6c)");
}

TEST(StdinTest, CutShortStreamNamesThePacket) {
    SKIP_WITHOUT_CORPUS();
    std::vector<uint8_t> bytes = testing::readBytes(corpusDir("good") + "/print-flags.pcap");
    bytes.resize(24 + 16 + 74 + 10);  // packet 1 whole, 10 bytes of packet 2's record header
    StdinFromPipe pipe;
    const pid_t child = feedInChunks(pipe, bytes, 7);
    auto reader = openCapture("-");
    ASSERT_TRUE(reader.ok());
    const ReadOutcome outcome = readAll(*reader.value());
    EXPECT_EQ(waitFor(child), 0);
    EXPECT_EQ(outcome.packets.size(), 1u);
    EXPECT_EQ(outcome.error,
              "standard input is cut short in the middle of packet 2 (record "
              "header: 10 of 16 bytes)");
}

}  // namespace
}  // namespace osilab::capture
