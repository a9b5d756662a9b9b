// BPF filtering over a session, while and after it loads.
#include "lab/session/filter_job.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

#include "lab/session/session.h"
#include "lab/session/session_loader.h"

namespace osilab::session {
namespace {

const std::string kCorpus = OSILAB_CORPUS;

std::unique_ptr<FilterJob> runFilter(std::shared_ptr<Session> session, const std::string& bpf) {
    auto compiled = capture::PacketFilter::compile(bpf);
    EXPECT_TRUE(compiled.ok()) << compiled.error().message;
    auto job = std::make_unique<FilterJob>(session, std::move(compiled).value());
    job->wait();
    return job;
}

TEST(FilterJob, MatchesWhatTcpdumpMatches) {
    auto session = std::make_shared<Session>();
    SessionLoader::loadFile(session, kCorpus + "/good/gateway_or_not.pcap")->wait();
    ASSERT_GT(session->packetCount(), 0u);
    // `tcpdump -r gateway_or_not.pcap arp` prints the ARP packets; count them by protocol.
    size_t arp = 0;
    for (size_t i = 0; i < session->packetCount(); ++i)
        arp += session->packet(i).protocol == packet::Protocol::Arp;
    auto job = runFilter(session, "arp");
    EXPECT_TRUE(job->finished());
    EXPECT_EQ(job->scanned(), session->packetCount());
    EXPECT_EQ(job->matchCount(), arp);
    for (size_t r = 0; r < job->matchCount(); ++r) {
        EXPECT_EQ(session->packet(job->match(r)).protocol, packet::Protocol::Arp);
        EXPECT_EQ(job->rowOf(job->match(r)), r);
    }
    auto none = runFilter(session, "tcp port 4242");
    EXPECT_EQ(none->matchCount(), 0u);
    EXPECT_FALSE(none->rowOf(0).has_value());
}

TEST(FilterJob, PortFilterOnHttpCapture) {
    auto session = std::make_shared<Session>();
    SessionLoader::loadFile(session, kCorpus + "/good/print-flags.pcap")->wait();
    EXPECT_EQ(runFilter(session, "tcp port 80")->matchCount(), 10u);
    EXPECT_EQ(runFilter(session, "tcp[tcpflags] & tcp-syn != 0")->matchCount(), 2u);
}

TEST(FilterJob, FollowsASessionThatIsStillLoading) {
    auto session = std::make_shared<Session>();
    auto loader = SessionLoader::loadFile(session, kCorpus + "/good/edns-opts.pcap");
    auto compiled = capture::PacketFilter::compile("udp");
    ASSERT_TRUE(compiled.ok());
    FilterJob job(session, std::move(compiled).value());  // may start before any packet
    loader->wait();
    job.wait();
    EXPECT_EQ(job.matchCount(), session->packetCount());
    EXPECT_EQ(job.matchCount(), 42u);
}

TEST(FilterJob, InvalidExpressionIsRefusedBeforeAnyJob) {
    auto compiled = capture::PacketFilter::compile("tcp prot 80");
    ASSERT_FALSE(compiled.ok());
    EXPECT_NE(compiled.error().message.find("tcp prot 80"), std::string::npos);
}

// A window that sleeps between frames is woken by these calls: each comes once, after the work
// is done (the loader's packets are all there, the filter's matches complete).
TEST(FilterJob, LoaderAndFilterCallWhenFinished) {
    auto session = std::make_shared<Session>();
    std::atomic<int> loader_calls{0}, filter_calls{0};
    std::atomic<size_t> packets_at_call{0};
    auto loader = SessionLoader::loadFile(session, kCorpus + "/good/gateway_or_not.pcap", [&] {
        packets_at_call = session->packetCount();
        ++loader_calls;
    });
    auto compiled = capture::PacketFilter::compile("arp");
    ASSERT_TRUE(compiled.ok());
    auto job =
        std::make_unique<FilterJob>(session, std::move(compiled).value(), [&] { ++filter_calls; });
    loader->wait();  // joins the loader thread: its call has returned
    job->wait();
    EXPECT_TRUE(job->finished());
    job.reset();  // joins the filter thread, which calls right after finishing
    EXPECT_EQ(loader_calls, 1);
    EXPECT_EQ(packets_at_call, session->packetCount());
    EXPECT_GT(session->packetCount(), 0u);
    EXPECT_EQ(filter_calls, 1);
}

}  // namespace
}  // namespace osilab::session
