// voxctl call's media socket client (docs/protocol.md section 2): one thread
// sends a 20 ms frame every 20 ms (the caller's speech when there is some,
// silence otherwise) and the client's text messages; one thread receives the
// agent's audio and the call's events and records when each arrived. The
// script reads what happened through state() under mutex().
#pragma once

#include "call_recorder.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/WebSocket.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace voxctl {

struct MediaState {
    using TimePoint = std::chrono::steady_clock::time_point;
    struct Event {
        nlohmann::json message;
        TimePoint at;
    };

    // The caller's turn of the current say().
    std::deque<std::int16_t> speech;          // not yet sent
    std::size_t sent = 0;                     // samples of it sent so far
    std::size_t voiced_begin = 0;             // its first voiced sample
    std::size_t voiced_end = 0;               // one past its last voiced sample
    std::optional<TimePoint> speech_started;  // the frame with the first voiced sample went out
    std::optional<TimePoint> speech_ended;    // the frame with the last voiced sample went out
    bool said = false;                        // all of it went out
    // The agent's side.
    struct AgentFrame {
        TimePoint at;  // when it arrived
        std::chrono::microseconds length;
    };
    std::vector<AgentFrame> agent_audio;  // every agent frame
    std::vector<TimePoint> clears;       // arrival of every {"type":"clear"}
    std::vector<Event> events;           // every text message
    std::optional<std::string> ended_reason;  // from call_ended
    bool closed = false;                      // the connection is over
    std::optional<int> close_code;
    std::string failure;  // why the connection broke, if it did
};

class MediaClient {
public:
    using Clock = std::chrono::steady_clock;

    // Connects to `socket_url` (ws://...). Throws CallApiError when it cannot.
    MediaClient(const std::string& socket_url, std::uint32_t sample_rate);
    ~MediaClient();
    MediaClient(const MediaClient&) = delete;
    MediaClient& operator=(const MediaClient&) = delete;

    // Starts sending (silence) and receiving; the call's clock starts now.
    void start();
    // Speaks `samples` (at the call's rate) from the next frame on; the speech
    // in it is [voiced_begin, voiced_end) (the rest is leading and trailing silence).
    void say(std::vector<std::int16_t> samples, std::size_t voiced_begin, std::size_t voiced_end);
    // Sends a text message before the next frame.
    void send_json(const nlohmann::json& message);
    // Sends a close frame, waits briefly for the server's, stops both threads.
    void close();

    std::mutex& mutex() { return mutex_; }
    std::condition_variable& changed() { return changed_; }
    MediaState& state() { return state_; }  // with mutex() held
    Clock::time_point origin() const { return origin_; }
    std::uint32_t sample_rate() const { return rate_; }
    // The agent's audio as heard, from the start to `end`.
    std::vector<std::int16_t> recording(Clock::time_point end);

private:
    void send_loop();
    void receive_loop();
    void fail(const std::string& why);

    std::uint32_t rate_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    std::mutex send_mutex_;  // sendFrame from the sender thread and close()
    Clock::time_point origin_{};
    std::thread sender_;
    std::thread receiver_;
    std::atomic<bool> stop_sending_{false};
    std::atomic<bool> stop_receiving_{false};

    std::mutex mutex_;
    std::condition_variable changed_;
    MediaState state_;
    std::vector<std::string> texts_;  // to send before the next frame
    std::unique_ptr<CallRecorder> recorder_;
};

}  // namespace voxctl
