// The caller's side of a web call for the end-to-end tests: joins the media
// socket (transport.websocket), sends 20 ms frames paced in real time and
// counts them (the caller's position on the call's timeline), and collects
// the agent's audio and the events. And flite speech to say.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/WebSocket.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vox::calltest {

// flite's kal16 voice saying `text`, mono at `sample_rate` (VOX_TEST_FLITE_PLUGIN).
std::vector<std::int16_t> flite_speech(const std::string& text, std::uint32_t sample_rate);

class MediaClient {
public:
    // Joins `socket_url` with PCM16 mono at `sample_rate`; nullptr (with
    // `failure` set to the HTTP status) when the handshake is refused.
    static std::unique_ptr<MediaClient> join(const std::string& socket_url, std::string* failure = nullptr,
                                             std::uint32_t sample_rate = 16000);
    ~MediaClient();
    MediaClient(const MediaClient&) = delete;
    MediaClient& operator=(const MediaClient&) = delete;

    // 20 ms frames at the real-time pace (the last one padded with silence).
    void send(const std::vector<std::int16_t>& samples);
    void silence(std::chrono::milliseconds duration);
    // Silence until `until` holds (checked every 20 ms) or the time runs out.
    bool silence_until(const std::function<bool()>& until, std::chrono::milliseconds timeout);
    void send_text(const std::string& text);
    void hang_up() { send_text("{\"type\":\"hangup\"}"); }

    std::vector<nlohmann::json> events() const;
    bool saw(const std::string& type, const std::function<bool(const nlohmann::json&)>& also = {}) const;
    // An agent_stop_talking of turn `min_turn` or later came.
    bool agent_stopped(int min_turn) const;
    std::size_t agent_audio_bytes() const { return audio_bytes_; }
    // Samples sent so far.
    std::size_t sent() const { return sent_; }
    bool wait_closed(std::chrono::milliseconds timeout);
    std::optional<std::uint16_t> close_code() const;

private:
    MediaClient(std::unique_ptr<Poco::Net::HTTPClientSession> session, std::unique_ptr<Poco::Net::WebSocket> socket,
                std::uint32_t sample_rate);
    void read();
    void mark_closed(std::optional<std::uint16_t> code);

    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    const std::uint32_t sample_rate_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<nlohmann::json> events_;
    std::optional<std::uint16_t> close_code_;
    std::atomic<std::size_t> audio_bytes_{0};
    std::atomic<std::size_t> sent_{0};
    std::atomic<bool> closed_{false};
    std::atomic<bool> stop_{false};
    std::chrono::steady_clock::time_point next_{};
    std::thread reader_;
};

}  // namespace vox::calltest
