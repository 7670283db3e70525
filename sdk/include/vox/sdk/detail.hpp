// vox/sdk/detail.hpp — helpers shared by the provider adapters.
#pragma once

#include <vox/plugin.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace vox::sdk::detail {

// Copies a size-versioned struct from the other side of the boundary: fields
// the sender did not know about stay zero, so optional callbacks read as NULL.
template <class T>
T copy_versioned(const T* source) {
    T copy;
    std::memset(&copy, 0, sizeof(T));
    if (source != nullptr) std::memcpy(&copy, source, std::min(sizeof(T), source->struct_size));
    copy.struct_size = sizeof(T);
    return copy;
}

inline std::string_view view(const char* text) { return text != nullptr ? std::string_view(text) : std::string_view(); }

inline void write_to(vox_string_sink* sink, std::string_view text) {
    if (sink != nullptr && sink->write != nullptr) sink->write(sink->user, text.data(), text.size());
}

inline vox_audio make_audio(const std::int16_t* samples, std::size_t frames, std::uint32_t rate, std::uint32_t channels) {
    vox_audio audio;
    audio.struct_size = sizeof(vox_audio);
    audio.samples = samples;
    audio.frames = frames;
    audio.sample_rate = rate;
    audio.channels = channels;
    return audio;
}

}  // namespace vox::sdk::detail
