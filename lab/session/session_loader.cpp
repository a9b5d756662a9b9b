#include "lab/session/session_loader.h"

#include <cstring>
#include <optional>

#include "lab/packet/dissector.h"

namespace osilab::session {

namespace {

uint32_t loadU32(const uint8_t* p, bool swapped) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return swapped ? __builtin_bswap32(v) : v;
}

// Where the packet that ends at `end` (the reader's position right after it) has its data in the
// file, if the reader's format lets us tell. Only a guess: Session::appendPacket checks the bytes.
std::optional<uint64_t> dataOffsetInFile(const MappedFile& file, const std::string& format,
                                         uint64_t end, uint32_t cap_len) {
    if (file.empty() || end > file.size()) return std::nullopt;
    if (format == "pcap") {
        // A pcap record is a 16-byte header followed by exactly cap_len bytes.
        if (end < cap_len) return std::nullopt;
        return end - cap_len;
    }
    if (format == "pcapng" && end >= 12) {
        // A pcapng block repeats its total length in its last 4 bytes, so from its end we find
        // its start, and from its type where the packet data begins.
        for (bool swapped : {false, true}) {
            const uint32_t length = loadU32(file.data() + end - 4, swapped);
            if (length < 12 || length % 4 != 0 || length > end) continue;
            const uint64_t start = end - length;
            if (loadU32(file.data() + start + 4, swapped) != length) continue;
            switch (loadU32(file.data() + start, swapped)) {
                case 6:  // Enhanced Packet Block
                case 2:  // obsolete Packet Block: same layout up to the data
                    return start + 28;
                case 3:  // Simple Packet Block
                    return start + 12;
                default: break;
            }
        }
    }
    return std::nullopt;
}

// Which OSI Lab record a custom block holds, from its header alone (the body is JSON that the
// lesson views decode). The format is the runner's: lab/runner/session_stream.h —
// "OSLB" | version 1 | kind (1 step mark, 2 socket call, 3 state snapshot) | 0 u16 | length u32.
EventKind eventKindOf(const capture::CustomBlockRecord& block) {
    constexpr uint32_t kOsilabPen = 32473;
    const std::vector<uint8_t>& d = block.data;
    if (block.pen != kOsilabPen || d.size() < 12 || std::memcmp(d.data(), "OSLB", 4) != 0 ||
        d[4] != 1)
        return EventKind::Unknown;
    switch (d[5]) {
        case 1: return EventKind::StepMark;
        case 2: return EventKind::SocketCall;
        case 3: return EventKind::StateSnapshot;
        default: return EventKind::Unknown;
    }
}

}  // namespace

std::unique_ptr<SessionLoader> SessionLoader::loadFile(std::shared_ptr<Session> session,
                                                       std::string path,
                                                       std::function<void()> on_finished) {
    std::unique_ptr<SessionLoader> loader(
        new SessionLoader(std::move(session), std::move(on_finished)));
    loader->thread_ =
        std::thread(&SessionLoader::run, loader.get(), std::move(path), nullptr, std::string());
    return loader;
}

std::unique_ptr<SessionLoader> SessionLoader::loadReader(
    std::shared_ptr<Session> session, std::unique_ptr<capture::CaptureReader> reader,
    std::string name, std::function<void()> on_finished) {
    std::unique_ptr<SessionLoader> loader(
        new SessionLoader(std::move(session), std::move(on_finished)));
    loader->thread_ = std::thread(&SessionLoader::run, loader.get(), std::string(),
                                  std::move(reader), std::move(name));
    return loader;
}

SessionLoader::~SessionLoader() {
    cancel();
    wait();
}

void SessionLoader::wait() {
    if (thread_.joinable()) thread_.join();
}

void SessionLoader::run(std::string path, std::unique_ptr<capture::CaptureReader> reader,
                        std::string name) {
    LoadStatus status;
    status.state = LoadState::Loading;
    status.source = reader ? name : (path == "-" ? std::string("standard input") : path);
    session_->setStatus(status);

    if (!reader) {
        auto opened = capture::openCapture(path);
        if (!opened) {
            status.state = LoadState::Failed;
            status.message = opened.error().message;
            session_->setStatus(status);
            finish();
            return;
        }
        reader = std::move(opened).value();
        if (path != "-") {
            // A file that cannot be mapped still loads: its packets are copied instead.
            auto mapped = MappedFile::open(path);
            if (mapped) session_->attachFile(std::move(mapped).value());
        }
    }
    status.format = reader->formatName();
    status.bytes_total = reader->size();
    session_->setStatus(status);
    readAll(*reader, status);
    finish();
}

void SessionLoader::finish() {
    finished_.store(true, std::memory_order_release);
    if (on_finished_) on_finished_();
}

void SessionLoader::readAll(capture::CaptureReader& reader, LoadStatus status) {
    // The summary pass: enough dissection for the Protocol column, the conversation a packet
    // belongs to and its problem flag. Finished conversations are forgotten as we go, so memory
    // stays flat; indexes still count up exactly as in a full pass.
    packet::Dissector dissector(packet::Conversations::Options{.keep_history = false});
    const packet::DissectOptions summary_only{.fields = false};
    packet::Dissection dissection;
    capture::Record record;
    capture::ReadStatus read = capture::ReadStatus::Ok;
    uint32_t packets = 0;

    while (!cancel_.load(std::memory_order_relaxed)) {
        read = reader.next(record);
        if (read != capture::ReadStatus::Ok) break;
        if (record.kind == capture::Record::Kind::Custom) {
            TimelineEvent event;
            event.kind = eventKindOf(record.custom);
            event.packets_before = record.custom.packets_before;
            event.pen = record.custom.pen;
            event.data = std::move(record.custom.data);
            session_->appendEvent(std::move(event));
            continue;
        }
        const capture::PacketRecord& p = record.packet;
        packet::PacketView view;
        view.link_type = p.link_type;
        view.data = p.data;
        view.cap_len = p.cap_len;
        view.orig_len = p.orig_len;
        view.time_ns = p.time_ns;
        view.number = packets + 1;
        dissector.dissect(view, summary_only, dissection);

        PacketIndex index;
        index.time_ns = p.time_ns;
        index.cap_len = p.cap_len;
        index.orig_len = p.orig_len;
        index.link_type = static_cast<uint16_t>(p.link_type);
        index.protocol = dissection.summary.protocol;
        if (!dissection.problems.empty()) index.flags |= packetflag::kProblem;
        if (dissection.conversation != packet::ConversationKind::None) {
            const bool tcp = dissection.conversation == packet::ConversationKind::TcpStream;
            index.flags |= tcp ? packetflag::kTcp : packetflag::kUdp;
            index.conversation = dissection.conversation_index;
            session_->noteStreamStart(tcp, dissection.conversation_index, packets);
        }
        session_->appendPacket(
            index, p.data,
            dataOffsetInFile(session_->file(), status.format, reader.position(), p.cap_len),
            p.comments);
        ++packets;
        if ((packets & 255) == 0) session_->setProgress(reader.position(), reader.size());
    }

    status.bytes_read = reader.position();
    status.bytes_total = reader.size();
    if (read == capture::ReadStatus::Error) {
        status.state = LoadState::Damaged;
        status.message = reader.error();
    } else if (read == capture::ReadStatus::Ok) {
        status.state = LoadState::Cancelled;
    } else {
        status.state = LoadState::Finished;
    }
    session_->setStatus(status);
}

}  // namespace osilab::session
