// Reads a capture into a Session on a background thread, so the window stays responsive while a
// large file loads: packets appear in the session as they are read, with progress, and loading
// can be cancelled at any moment. A damaged file keeps every packet before the damage.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "lab/capture/capture_reader.h"
#include "lab/session/session.h"

namespace osilab::session {

class SessionLoader {
public:
    // Opens `path` ("-" for standard input) on the loader thread and reads it to the end.
    // `on_finished` (optional) is called on the loader thread once it has finished, so a UI
    // sleeping between frames wakes up at once.
    static std::unique_ptr<SessionLoader> loadFile(std::shared_ptr<Session> session,
                                                   std::string path,
                                                   std::function<void()> on_finished = {});
    // Reads from a reader that is already open (bytes in memory, a pipe from a live run).
    static std::unique_ptr<SessionLoader> loadReader(std::shared_ptr<Session> session,
                                                     std::unique_ptr<capture::CaptureReader> reader,
                                                     std::string name,
                                                     std::function<void()> on_finished = {});

    ~SessionLoader();  // cancels and waits
    SessionLoader(const SessionLoader&) = delete;
    SessionLoader& operator=(const SessionLoader&) = delete;

    // Asks the thread to stop after the current record; the session keeps what was read.
    void cancel() { cancel_.store(true, std::memory_order_relaxed); }
    void wait();  // returns once the thread has finished
    bool finished() const { return finished_.load(std::memory_order_acquire); }
    const Session& session() const { return *session_; }

private:
    SessionLoader(std::shared_ptr<Session> session, std::function<void()> on_finished)
        : session_(std::move(session)), on_finished_(std::move(on_finished)) {}
    void finish();
    void run(std::string path, std::unique_ptr<capture::CaptureReader> reader, std::string name);
    void readAll(capture::CaptureReader& reader, LoadStatus status);

    std::shared_ptr<Session> session_;
    std::function<void()> on_finished_;
    std::atomic<bool> cancel_{false};
    std::atomic<bool> finished_{false};
    std::thread thread_;
};

}  // namespace osilab::session
