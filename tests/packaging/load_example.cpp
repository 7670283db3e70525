// Loads plugins built against the installed SDK with the host's own loader and
// registry.
//
//   packaging_load_example <path to vad_energy.so>
//       examples/vad_energy: uses its provider the way the pipeline will (open
//       a VAD session, classify silence and a loud tone) and checks that bad
//       settings come back as a status with a message.
//   packaging_load_example --expect <provider key> <plugin.so>
//       any plugin: it loads and the registry lists the provider.
#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what.c_str());
    if (!ok) ++failures;
}

std::vector<std::int16_t> tone(double amplitude, std::size_t frames, std::uint32_t rate) {
    std::vector<std::int16_t> samples(frames);
    for (std::size_t i = 0; i < frames; ++i)
        samples[i] = static_cast<std::int16_t>(
            amplitude * 32767.0 * std::sin(2.0 * std::numbers::pi * 440.0 * static_cast<double>(i) / rate));
    return samples;
}

// Loads `file` and checks that it offers `key`.
int expect_provider(const std::string& key, const std::string& file) {
    vox::HostServices host;
    vox::PluginRegistry registry(host);
    bool loaded = vox::PluginLoader(registry).load_file(file);
    check(loaded, "the loader accepts " + file);
    check(registry.find(key) != nullptr, "the registry lists " + key);
    if (failures != 0) std::printf("%s\n", registry.to_json().dump(2).c_str());
    registry.shutdown();
    return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string(argv[1]) == "--expect") return expect_provider(argv[2], argv[3]);
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <vad_energy.so> | --expect <provider key> <plugin.so>\n", argv[0]);
        return 2;
    }
    vox::HostServices host;
    vox::RegistryOptions options;
    // A configured number written as a string: the plugin must cope.
    options.settings_for = [](const std::string&) { return nlohmann::json{{"threshold_db", "-40"}}; };
    vox::PluginRegistry registry(host, options);
    vox::PluginLoader loader(registry);

    bool loaded = loader.load_file(argv[1]);
    check(loaded, std::string("the loader accepts ") + argv[1]);
    if (!loaded) {
        std::printf("%s\n", registry.to_json().dump(2).c_str());
        return 1;
    }
    const vox::Provider* provider = registry.find("vad.example_energy");
    check(provider != nullptr, "the registry lists vad.example_energy");
    if (provider == nullptr) return 1;
    check(provider->kind == vox::ProviderKind::vad, "its kind is vad");
    check(provider->settings_schema["properties"].contains("threshold_db"), "its settings schema has threshold_db");
    check(provider->capabilities.value("streaming", false), "its capabilities say streaming");

    const auto& vad = provider->vtable<vox_vad_vtable>();
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_vad_session* session = nullptr;
    check(vad.open(provider->plugin_context(), R"({"threshold_db":-30})", 16000, &session, &err) == VOX_OK,
          "a session opens at 16 kHz");
    if (session == nullptr) return 1;

    auto classify = [&](const std::vector<std::int16_t>& samples, std::uint32_t rate, float& probability) {
        vox_audio audio{sizeof(vox_audio), samples.data(), samples.size(), rate, 1};
        return vad.process(session, &audio, &probability, &err);
    };
    float probability = -1.0F;
    vox_status status = classify(tone(0.0, 320, 16000), 16000, probability);
    check(status == VOX_OK && probability < 0.05F, "silence is not speech (p=" + std::to_string(probability) + ")");
    status = classify(tone(0.001, 320, 16000), 16000, probability);
    check(status == VOX_OK && probability < 0.05F,
          "a -63 dBFS hiss is not speech (p=" + std::to_string(probability) + ")");
    status = classify(tone(0.5, 320, 16000), 16000, probability);
    check(status == VOX_OK && probability > 0.95F, "a -9 dBFS tone is speech (p=" + std::to_string(probability) + ")");
    status = classify(tone(0.5, 160, 8000), 8000, probability);
    check(status == VOX_ERR_INVALID_ARGUMENT, std::string("audio at another rate is refused: ") + err.message);
    vad.reset(session);
    vad.close(session);

    session = nullptr;
    err = vox_error{sizeof(vox_error), VOX_OK, {}};
    status = vad.open(provider->plugin_context(), R"({"threshold_db":12})", 16000, &session, &err);
    check(status == VOX_ERR_INVALID_ARGUMENT && session == nullptr &&
              std::string(err.message).find("threshold_db") != std::string::npos,
          std::string("an out-of-range threshold is refused: ") + err.message);

    registry.shutdown();
    std::printf("%d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
