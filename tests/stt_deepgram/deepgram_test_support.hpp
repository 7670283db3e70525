// Shared by the stt.deepgram tests: the plugin loaded from the build tree into
// a registry (as voxd loads it) pointed at a FakeDeepgramServer, a session
// driven through the provider's C table (so the plugin's own cancel() is what
// is tested), and what the session delivered.
#pragma once

#include "fake_deepgram_server.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vox::test {

using namespace std::chrono_literals;

// What a session delivered, with a condition variable to wait on.
struct Delivered {
    struct Transcript {
        std::string text;
        bool is_final = false;
        std::uint32_t start_ms = 0;
        std::uint32_t end_ms = 0;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<Transcript> partials;
    std::vector<Transcript> finals;
    std::vector<std::pair<vox_status, std::string>> errors;

    vox_stt_callbacks callbacks() {
        vox_stt_callbacks c{};
        c.struct_size = sizeof c;
        c.user = this;
        c.on_transcript = [](void* user, const vox_transcript* t) {
            auto& self = *static_cast<Delivered*>(user);
            std::lock_guard lock(self.mutex);
            Transcript copy{t->text, t->is_final != 0, t->start_ms, t->end_ms};
            (copy.is_final ? self.finals : self.partials).push_back(copy);
            self.changed.notify_all();
        };
        c.on_error = [](void* user, vox_status code, const char* message) {
            auto& self = *static_cast<Delivered*>(user);
            std::lock_guard lock(self.mutex);
            self.errors.emplace_back(code, message);
            self.changed.notify_all();
        };
        return c;
    }
    template <class Predicate>
    bool wait(Predicate done, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return done(*this); });
    }
    std::size_t final_count() {
        std::lock_guard lock(mutex);
        return finals.size();
    }
};

// One session through the provider's vtable.
class RawSession {
public:
    RawSession(const Provider& provider, Delivered& delivered, std::uint32_t rate = 16000,
               const std::string& settings = "{}")
        : provider_(provider), vtable_(provider.vtable<vox_stt_vtable>()), rate_(rate) {
        vox_stt_callbacks callbacks = delivered.callbacks();
        status_ = vtable_.open(provider.plugin_context(), settings.c_str(), rate, &callbacks, &session_, &error_);
    }
    ~RawSession() { close(); }
    RawSession(const RawSession&) = delete;
    RawSession& operator=(const RawSession&) = delete;

    vox_status status() const { return status_; }
    std::string error_message() const { return error_.message; }

    // `ms` of a 440 Hz-ish square wave; returns the bytes pushed.
    std::size_t push(std::uint32_t ms, std::uint32_t chunk_ms = 20) {
        std::size_t bytes = 0;
        for (std::uint32_t at = 0; at < ms; at += chunk_ms) {
            std::vector<std::int16_t> samples(rate_ * std::min(chunk_ms, ms - at) / 1000);
            for (std::size_t i = 0; i < samples.size(); ++i) samples[i] = (i / 18) % 2 == 0 ? 3000 : -3000;
            vox_audio audio{sizeof(vox_audio), samples.data(), samples.size(), rate_, 1};
            EXPECT_EQ(vtable_.push_audio(session_, &audio, &error_), VOX_OK) << error_.message;
            bytes += samples.size() * 2;
        }
        return bytes;
    }
    vox_status flush() { return vtable_.flush(session_, &error_); }
    vox_status end_input() { return vtable_.end_input(session_, &error_); }
    void cancel() { vtable_.cancel(session_); }
    void close() {
        if (session_ != nullptr) vtable_.close(session_);
        session_ = nullptr;
    }

private:
    const Provider& provider_;
    const vox_stt_vtable& vtable_;
    std::uint32_t rate_;
    vox_stt_session* session_ = nullptr;
    vox_error error_{sizeof(vox_error), VOX_OK, {}};
    vox_status status_ = VOX_OK;
};

class DeepgramTest : public ::testing::Test {
protected:
    // Loads the plugin with `settings` over the fake server's address and key
    // and fast timings; returns the provider or nullptr (reasons in refusal_).
    const Provider* load(nlohmann::json settings = nlohmann::json::object()) {
        settings_ = {{"base_url", server_.base_url()},
                     {"api_key", server_.api_key()},
                     {"connect_timeout_ms", 2000},
                     {"finalize_timeout_ms", 5000}};
        settings_.update(settings);
        registry_.reset();
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "stt.deepgram" ? settings_ : nlohmann::json::object();
        };
        registry_ = std::make_unique<PluginRegistry>(host_, std::move(options));
        EXPECT_TRUE(std::filesystem::exists(VOX_TEST_DEEPGRAM_PLUGIN)) << VOX_TEST_DEEPGRAM_PLUGIN;
        PluginLoader(*registry_).load_file(VOX_TEST_DEEPGRAM_PLUGIN);
        refusal_.clear();
        for (const auto& refused : registry_->refused()) refusal_ += refused.reason + "\n";
        return registry_->find("stt.deepgram");
    }

    void SetUp() override {
        provider_ = load();
        ASSERT_NE(provider_, nullptr) << refusal_;
    }

    FakeDeepgramServer server_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    std::string refusal_;
    const Provider* provider_ = nullptr;
};

}  // namespace vox::test
