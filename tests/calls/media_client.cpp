#include "media_client.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace vox::calltest {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::vector<std::int16_t> flite_speech(const std::string& text, std::uint32_t sample_rate) {
    HostServices host;
    PluginRegistry registry(host);
    EXPECT_TRUE(PluginLoader(registry).load_file(VOX_TEST_FLITE_PLUGIN));
    std::vector<std::int16_t> speech;
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    {
        TtsClient tts(*registry.find("tts.flite"),
                      {.on_audio =
                           [&](std::uint64_t, const audio::AudioView& a) {
                               std::lock_guard lock(mutex);
                               speech.insert(speech.end(), a.samples.begin(), a.samples.end());
                           },
                       .on_word = {},
                       .on_done =
                           [&](std::uint64_t) {
                               std::lock_guard lock(mutex);
                               done = true;
                               done_cv.notify_all();
                           },
                       .on_error = {}},
                      {.settings = {{"voice", "kal16"}}, .output_sample_rate = sample_rate});
        tts.push_text(1, text);
        tts.flush(1);
        std::unique_lock lock(mutex);
        done_cv.wait_for(lock, 20s, [&] { return done; });
    }
    registry.shutdown();
    return speech;
}

std::unique_ptr<MediaClient> MediaClient::join(const std::string& socket_url, std::string* failure,
                                               std::uint32_t sample_rate) {
    Poco::URI uri(socket_url);
    auto session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    session->setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::HTTPResponse response;
    try {
        auto socket = std::make_unique<Poco::Net::WebSocket>(*session, request, response);
        return std::unique_ptr<MediaClient>(new MediaClient(std::move(session), std::move(socket), sample_rate));
    } catch (const Poco::Exception&) {
        if (failure != nullptr) *failure = std::to_string(static_cast<int>(response.getStatus()));
        return nullptr;
    }
}

MediaClient::MediaClient(std::unique_ptr<Poco::Net::HTTPClientSession> session,
                         std::unique_ptr<Poco::Net::WebSocket> socket, std::uint32_t sample_rate)
    : session_(std::move(session)), socket_(std::move(socket)), sample_rate_(sample_rate) {
    socket_->setReceiveTimeout(Poco::Timespan(0, 200'000));
    reader_ = std::thread([this] { read(); });
}

MediaClient::~MediaClient() {
    stop_ = true;
    if (reader_.joinable()) reader_.join();
}

void MediaClient::send(const std::vector<std::int16_t>& samples) {
    const std::size_t per_frame = sample_rate_ / 50;
    if (next_ == Clock::time_point{}) next_ = Clock::now();
    for (std::size_t at = 0; at < samples.size(); at += per_frame) {
        std::vector<std::int16_t> frame(per_frame, 0);
        std::copy(samples.begin() + static_cast<std::ptrdiff_t>(at),
                  samples.begin() + static_cast<std::ptrdiff_t>(std::min(samples.size(), at + per_frame)),
                  frame.begin());
        std::this_thread::sleep_until(next_);
        next_ += 20ms;
        if (closed_) return;
        try {
            socket_->sendFrame(frame.data(), static_cast<int>(frame.size() * sizeof(std::int16_t)),
                               Poco::Net::WebSocket::FRAME_BINARY);
        } catch (const Poco::Exception&) {
            return;
        }
        sent_ += per_frame;
    }
}

void MediaClient::silence(std::chrono::milliseconds duration) {
    send(std::vector<std::int16_t>(static_cast<std::size_t>(sample_rate_ * duration.count() / 1000), 0));
}

bool MediaClient::silence_until(const std::function<bool()>& until, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline && !until()) silence(20ms);
    return until();
}

void MediaClient::send_text(const std::string& text) {
    socket_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
}

std::vector<nlohmann::json> MediaClient::events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

bool MediaClient::saw(const std::string& type, const std::function<bool(const nlohmann::json&)>& also) const {
    for (const auto& event : events())
        if (event.value("type", "") == type && (!also || also(event))) return true;
    return false;
}

bool MediaClient::agent_stopped(int min_turn) const {
    return saw("agent_stop_talking", [&](const nlohmann::json& event) { return event.value("turn", -1) >= min_turn; });
}

bool MediaClient::wait_closed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return closed_.load(); });
}

std::optional<std::uint16_t> MediaClient::close_code() const {
    std::lock_guard lock(mutex_);
    return close_code_;
}

void MediaClient::read() {
    while (!stop_ && !closed_) {
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        int received = 0;
        try {
            received = socket_->receiveFrame(buffer, flags);
        } catch (const Poco::TimeoutException&) {
            continue;
        } catch (const Poco::Exception&) {
            mark_closed(std::nullopt);
            return;
        }
        int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        if (received == 0 && flags == 0) {
            mark_closed(std::nullopt);
        } else if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
            std::optional<std::uint16_t> code;
            if (buffer.size() >= 2)
                code = static_cast<std::uint16_t>((static_cast<unsigned char>(buffer[0]) << 8) |
                                                  static_cast<unsigned char>(buffer[1]));
            try {
                socket_->shutdown(Poco::Net::WebSocket::WS_NORMAL_CLOSE);
            } catch (const Poco::Exception&) {}
            mark_closed(code);
        } else if (opcode == Poco::Net::WebSocket::FRAME_OP_BINARY) {
            audio_bytes_ += buffer.size();
        } else if (opcode == Poco::Net::WebSocket::FRAME_OP_TEXT) {
            auto event = nlohmann::json::parse(std::string(buffer.begin(), buffer.size()), nullptr, false);
            std::lock_guard lock(mutex_);
            events_.push_back(event);
        }
    }
}

void MediaClient::mark_closed(std::optional<std::uint16_t> code) {
    std::lock_guard lock(mutex_);
    close_code_ = code;
    closed_ = true;
    changed_.notify_all();
}

}  // namespace vox::calltest
