#include "visualizer/model.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "lab/capture/packet_filter.h"
#include "lab/packet/field_text.h"

namespace osilab::viewer {

namespace {
constexpr size_t kRowCacheLimit = 4096;  // a few screens of rows
}

int PacketDetail::fieldAtByte(size_t offset) const {
    int best = -1;
    uint32_t best_size = UINT32_MAX;
    const auto& fields = dissection.fields;
    for (size_t i = 0; i < fields.size(); ++i) {
        const packet::Field& f = fields[i];
        if (f.begin <= offset && offset < f.end && f.end - f.begin <= best_size) {
            best = static_cast<int>(i);
            best_size = f.end - f.begin;
        }
    }
    return best;
}

Model::Model() = default;
Model::~Model() {
    // The filter job reads the session: stop it first, then the loader.
    filter_.reset();
    loader_.reset();
}

void Model::setTextObserver(std::function<void(std::string_view)> observer) {
    observer_ = std::move(observer);
}

void Model::note(std::string_view text) const {
    if (observer_) observer_(text);
}

void Model::open(const std::string& path) {
    startOver(path);
    loader_ = session::SessionLoader::loadFile(session_, path, wake_);
}

void Model::openReader(std::unique_ptr<capture::CaptureReader> reader, const std::string& name) {
    startOver(name);
    loader_ = session::SessionLoader::loadReader(session_, std::move(reader), name, wake_);
}

void Model::startOver(const std::string& path) {
    packet_limit_.reset();
    filter_.reset();
    loader_.reset();
    detail_.reset();
    rows_.clear();
    redissector_.reset();
    conversations_ = session::ConversationTable();
    endpoints_.clear();
    followed_.reset();
    path_ = path;
    note(path);
    session_ = std::make_shared<session::Session>();
    redissector_ = std::make_unique<session::Redissector>(*session_);
    timeline_.reset(session_.get());
}

void Model::cancelLoad() {
    if (loader_) loader_->cancel();
}

std::string Model::applyFilter(const std::string& bpf) {
    if (bpf.empty()) {
        filter_.reset();
        return {};
    }
    auto compiled = capture::PacketFilter::compile(bpf);
    if (!compiled) {
        note(compiled.error().message);
        return compiled.error().message;
    }
    filter_.reset();
    if (session_)
        filter_ = std::make_unique<session::FilterJob>(session_, std::move(compiled).value(),
                                                       wake_);
    return {};
}

session::LoadStatus Model::status() const {
    return session_ ? session_->status() : session::LoadStatus{};
}

bool Model::loading() const {
    return loader_ && !loader_->finished();
}
bool Model::filtering() const {
    return filter_ && !filter_->finished();
}

size_t Model::rowCount() const {
    if (!session_) return 0;
    const size_t packets = session_->packetCount();
    if (!filter_) return packet_limit_ ? std::min(packets, *packet_limit_) : packets;
    const size_t matches = filter_->matchCount();
    if (!packet_limit_) return matches;
    // Matches are in packet order: count those before the limit.
    size_t low = 0, high = matches;
    while (low < high) {
        const size_t mid = low + (high - low) / 2;
        if (filter_->match(mid) < *packet_limit_)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

void Model::setPacketLimit(std::optional<size_t> limit) {
    packet_limit_ = limit;
}

size_t Model::packetOfRow(size_t row) const {
    return filter_ ? filter_->match(row) : row;
}

std::optional<size_t> Model::rowOfPacket(size_t packet) const {
    if (!session_ || packet >= session_->packetCount()) return std::nullopt;
    return filter_ ? filter_->rowOf(packet) : std::optional<size_t>(packet);
}

const RowText& Model::rowText(size_t packet) const {
    auto found = rows_.find(packet);
    if (found != rows_.end()) return found->second;
    if (rows_.size() >= kRowCacheLimit) rows_.clear();
    redissector_->dissect(packet, {.fields = false}, scratch_);
    RowText row{scratch_.summary.source, scratch_.summary.destination, scratch_.summary.info};
    note(row.source);
    note(row.destination);
    note(row.info);
    return rows_.emplace(packet, std::move(row)).first->second;
}

const PacketDetail* Model::detail(size_t packet) const {
    if (!session_ || packet >= session_->packetCount()) return nullptr;
    if (detail_ && detail_->packet == packet) return detail_.get();
    auto d = std::make_unique<PacketDetail>();
    d->packet = packet;
    d->view = session_->packetView(packet);
    redissector_->dissect(packet, {.fields = true}, d->dissection);
    d->osi = packet::osiView(d->view, d->dissection, &redissector_->conversations());
    d->values.reserve(d->dissection.fields.size());
    d->values_zh.reserve(d->dissection.fields.size());
    for (const packet::Field& f : d->dissection.fields) {
        d->values.push_back(packet::fieldShow(d->dissection, f, d->view.data, d->view.cap_len, 24));
        d->values_zh.push_back(
            packet::fieldShow(d->dissection, f, d->view.data, d->view.cap_len, 24, true));
        note(d->values.back());
        note(d->values_zh.back());
        if (f.info) {
            note(f.info->title_zh);
            note(f.info->explain_zh);
            note(f.info->title_en);
            note(f.info->explain_en);
        }
        if (f.meaning) note(f.meaning);
    }
    for (const auto& layer : d->osi) {
        note(layer.note_en);
        note(layer.note_zh);
    }
    for (const auto& problem : d->dissection.problems) note(problem.message);
    for (int p = 0; p < static_cast<int>(packet::Protocol::Count); ++p) {
        note(packet::protocolTitleZh(static_cast<packet::Protocol>(p)));
    }
    // Later (inner) layers win: each byte is coloured by the innermost header it belongs to.
    d->layer_of_byte.assign(d->view.cap_len, -1);
    const auto& layers = d->dissection.layers;
    for (size_t li = 0; li < layers.size(); ++li) {
        const uint32_t end = std::min(layers[li].end, d->view.cap_len);
        for (uint32_t b = layers[li].begin; b < end; ++b) d->layer_of_byte[b] = int16_t(li);
    }
    const auto [first, last] = session_->commentRange(packet);
    for (size_t c = first; c < last; ++c) {
        d->comments.push_back(session_->comments()[c].text);
        note(d->comments.back());
    }
    detail_ = std::move(d);
    return detail_.get();
}

const session::ConversationTable& Model::conversations() const {
    if (session_) conversations_.update(*session_);
    return conversations_;
}

const std::pair<std::string, std::string>& Model::endpoints(bool tcp, uint32_t index) const {
    const uint64_t key = (uint64_t{tcp} << 32) | index;
    auto found = endpoints_.find(key);
    if (found != endpoints_.end()) return found->second;
    if (endpoints_.size() > 8192) endpoints_.clear();
    auto ends = session_ ? session::streamEndpoints(*session_, tcp, index)
                         : std::pair<std::string, std::string>();
    note(ends.first);
    note(ends.second);
    return endpoints_.emplace(key, std::move(ends)).first->second;
}

void Model::follow(bool tcp, uint32_t index) {
    if (!session_) return;
    auto view = std::make_unique<FollowedView>();
    view->stream = session::followStream(*session_, tcp, index);
    view->text.reserve(view->stream.pieces.size());
    for (const session::StreamPiece& piece : view->stream.pieces) {
        view->text.push_back(session::printableText(piece.bytes));
        note(view->text.back());
    }
    note(view->stream.client);
    note(view->stream.server);
    followed_ = std::move(view);
}

void Model::waitUntilIdle() const {
    if (loader_) loader_->wait();
    if (filter_) filter_->wait();
}

}  // namespace osilab::viewer
