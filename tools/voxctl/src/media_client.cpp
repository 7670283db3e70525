#include "media_client.hpp"

#include "call_api.hpp"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <cstring>

namespace voxctl {
namespace {

constexpr auto kFrame = std::chrono::milliseconds(20);

}  // namespace

MediaClient::MediaClient(const std::string& socket_url, std::uint32_t sample_rate) : rate_(sample_rate) {
    Poco::URI uri;
    try {
        uri = Poco::URI(socket_url);
    } catch (const Poco::Exception& error) {
        throw CallApiError("bad socket URL " + socket_url + ": " + error.displayText());
    }
    if (uri.getScheme() == "wss")
        throw CallApiError("the socket URL " + socket_url + " needs TLS (wss://), which voxctl call does not speak yet; "
                           "give a ws:// one with --socket-url");
    if (uri.getScheme() != "ws") throw CallApiError("the socket URL must start with ws://, got " + socket_url);
    Poco::Net::HTTPResponse response;
    try {
        session_ = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        session_->setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        socket_ = std::make_unique<Poco::Net::WebSocket>(*session_, request, response);
    } catch (const Poco::Exception& error) {
        std::string why = error.displayText();
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)  // an HTTP answer, not a network error
            why = std::to_string(static_cast<int>(response.getStatus())) + " " + response.getReason();
        throw CallApiError("cannot open the call's socket " + uri.getScheme() + "://" + uri.getAuthority() +
                           uri.getPath() + ": " + why);
    }
    socket_->setReceiveTimeout(Poco::Timespan(0, 200'000));
    socket_->setNoDelay(true);
}

MediaClient::~MediaClient() {
    stop_sending_ = true;
    stop_receiving_ = true;
    if (sender_.joinable()) sender_.join();
    if (receiver_.joinable()) receiver_.join();
}

void MediaClient::start() {
    origin_ = Clock::now();
    recorder_ = std::make_unique<CallRecorder>(rate_, origin_);
    receiver_ = std::thread([this] { receive_loop(); });
    sender_ = std::thread([this] { send_loop(); });
}

void MediaClient::say(std::vector<std::int16_t> samples, std::size_t voiced_begin, std::size_t voiced_end) {
    std::lock_guard lock(mutex_);
    state_.speech.assign(samples.begin(), samples.end());
    state_.sent = 0;
    state_.voiced_end = std::min(std::max<std::size_t>(voiced_end, 1), samples.size());
    state_.voiced_begin = std::min(voiced_begin, state_.voiced_end - 1);
    state_.speech_started.reset();
    state_.speech_ended.reset();
    state_.said = samples.empty();
}

void MediaClient::send_json(const nlohmann::json& message) {
    std::lock_guard lock(mutex_);
    texts_.push_back(message.dump());
}

void MediaClient::fail(const std::string& why) {
    {
        std::lock_guard lock(mutex_);
        if (!state_.closed && state_.failure.empty()) state_.failure = why;
        state_.closed = true;
    }
    changed_.notify_all();
}

void MediaClient::send_loop() {
    const std::size_t frame_samples = rate_ / 50;
    std::vector<std::int16_t> frame(frame_samples);
    auto next = origin_;
    while (!stop_sending_) {
        std::this_thread::sleep_until(next);
        std::vector<std::string> texts;
        bool notify = false;
        {
            std::lock_guard lock(mutex_);
            if (state_.closed) break;
            texts.swap(texts_);
            std::size_t n = std::min(frame_samples, state_.speech.size());
            std::copy_n(state_.speech.begin(), n, frame.begin());
            std::fill(frame.begin() + static_cast<std::ptrdiff_t>(n), frame.end(), std::int16_t{0});
            state_.speech.erase(state_.speech.begin(), state_.speech.begin() + static_cast<std::ptrdiff_t>(n));
            if (n > 0) {
                // This frame holds samples [sent, sent + n) of the turn.
                auto now = Clock::now();
                const std::size_t first = state_.sent;
                state_.sent += n;
                if (!state_.speech_started && state_.voiced_begin < state_.sent) state_.speech_started = now;
                if (!state_.speech_ended && state_.voiced_end <= state_.sent && state_.voiced_end > first)
                    state_.speech_ended = now;
                if (state_.speech.empty()) state_.said = true;
                notify = true;
            }
        }
        try {
            std::lock_guard lock(send_mutex_);
            for (const auto& text : texts)
                socket_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
            socket_->sendFrame(frame.data(), static_cast<int>(frame.size() * sizeof(std::int16_t)),
                               Poco::Net::WebSocket::FRAME_BINARY);
        } catch (const Poco::Exception& error) {
            fail("sending failed: " + error.displayText());
            break;
        }
        if (notify) changed_.notify_all();
        next += kFrame;
        if (Clock::now() - next > std::chrono::milliseconds(200)) next = Clock::now();  // we were stalled: resync
    }
}

void MediaClient::receive_loop() {
    Poco::Buffer<char> buffer(0);
    std::vector<std::int16_t> samples;
    while (!stop_receiving_) {
        int flags = 0;
        int n = 0;
        buffer.resize(0);
        try {
            n = socket_->receiveFrame(buffer, flags);
        } catch (const Poco::TimeoutException&) {
            continue;
        } catch (const Poco::Exception& error) {
            fail("the connection broke: " + error.displayText());
            return;
        }
        const auto at = Clock::now();
        const int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        if (n == 0 && flags == 0) {
            fail("the server closed the connection");
            return;
        }
        if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
            {
                std::lock_guard lock(mutex_);
                if (buffer.size() >= 2)
                    state_.close_code = (static_cast<unsigned char>(buffer[0]) << 8) | static_cast<unsigned char>(buffer[1]);
                state_.closed = true;
            }
            try {  // complete the closing handshake
                std::lock_guard lock(send_mutex_);
                socket_->shutdown();
            } catch (const Poco::Exception&) {
            }
            changed_.notify_all();
            return;
        }
        if (opcode == Poco::Net::WebSocket::FRAME_OP_BINARY) {
            samples.resize(buffer.size() / 2);
            std::memcpy(samples.data(), buffer.begin(), samples.size() * 2);
            std::lock_guard lock(mutex_);
            state_.agent_audio.push_back(
                {at, std::chrono::microseconds(static_cast<std::int64_t>(samples.size()) * 1'000'000 / rate_)});
            recorder_->write(at, samples.data(), samples.size());
        } else if (opcode == Poco::Net::WebSocket::FRAME_OP_TEXT) {
            auto message = nlohmann::json::parse(std::string(buffer.begin(), buffer.size()), nullptr, false);
            if (!message.is_object()) continue;
            std::string type = message.value("type", "");
            std::lock_guard lock(mutex_);
            if (type == "clear") {
                state_.clears.push_back(at);
                recorder_->clear(at);
            } else if (type == "call_ended") {
                state_.ended_reason = message.value("reason", "");
            }
            state_.events.push_back({std::move(message), at});
        } else {
            if (opcode == Poco::Net::WebSocket::FRAME_OP_PING) {
                try {
                    std::lock_guard lock(send_mutex_);
                    socket_->sendFrame(buffer.begin(), static_cast<int>(buffer.size()),
                                       static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN) |
                                           static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PONG));
                } catch (const Poco::Exception&) {
                }
            }
            continue;
        }
        changed_.notify_all();
    }
}

void MediaClient::close() {
    stop_sending_ = true;
    if (sender_.joinable()) sender_.join();
    bool open = false;
    {
        std::lock_guard lock(mutex_);
        open = !state_.closed;
    }
    if (open) {
        try {
            std::lock_guard lock(send_mutex_);
            socket_->shutdown();  // close frame 1000
        } catch (const Poco::Exception&) {
        }
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, std::chrono::seconds(1), [&] { return state_.closed; });
    }
    stop_receiving_ = true;
    if (receiver_.joinable()) receiver_.join();
    try {
        socket_->close();
    } catch (const Poco::Exception&) {
    }
}

std::vector<std::int16_t> MediaClient::recording(Clock::time_point end) {
    std::lock_guard lock(mutex_);
    return recorder_ ? recorder_->finish(end) : std::vector<std::int16_t>{};
}

}  // namespace voxctl
