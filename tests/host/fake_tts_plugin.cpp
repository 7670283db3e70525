// A minimal valid plugin for voxd's process tests, written against the bare C
// ABI: one TTS provider, "tts.fake", whose run-time capabilities echo the
// settings voxd handed to init(), so a test can see them in GET /api/plugins.
#include <vox/plugin.h>

#include <cstring>
#include <string>

namespace {

struct Context {
    std::string config_json;  // {"tts.fake": {...}}
};

vox_status init(const vox_host_services* /*host*/, const char* config_json, void** plugin_ctx, vox_error* /*err*/) {
    *plugin_ctx = new Context{config_json != nullptr ? config_json : "{}"};
    return VOX_OK;
}

void deinit(void* plugin_ctx) { delete static_cast<Context*>(plugin_ctx); }

vox_status describe(void* plugin_ctx, vox_string_sink* out, vox_error* /*err*/) {
    std::string text = "{\"streaming\":false,\"configured\":" + static_cast<Context*>(plugin_ctx)->config_json + "}";
    out->write(out->user, text.data(), text.size());
    return VOX_OK;
}

vox_status refuse(vox_error* err) {
    if (err != nullptr) {
        err->code = VOX_ERR_UNSUPPORTED;
        std::strncpy(err->message, "the fake provider cannot speak", VOX_ERROR_MESSAGE_CAPACITY - 1);
    }
    return VOX_ERR_UNSUPPORTED;
}

vox_status open(void*, const char*, const vox_tts_callbacks*, vox_tts_session**, vox_error* err) { return refuse(err); }
vox_status push_text(vox_tts_session*, uint64_t, const char*, size_t, vox_error* err) { return refuse(err); }
vox_status flush(vox_tts_session*, uint64_t, vox_error* err) { return refuse(err); }
void cancel(vox_tts_session*, uint64_t) {}
void close(vox_tts_session*) {}

const vox_tts_vtable kVtable{sizeof(vox_tts_vtable), &open, &push_text, &flush, &cancel, &close};

const vox_provider kProvider{sizeof(vox_provider),
                             VOX_PROVIDER_TTS,
                             "fake",
                             "A TTS provider that only reports its settings",
                             "{\"streaming\":false}",
                             "{\"type\":\"object\",\"properties\":{\"voice\":{\"type\":\"string\"}}}",
                             &kVtable,
                             &describe};
const vox_provider* const kProviders[] = {&kProvider};

const vox_plugin_descriptor kDescriptor{sizeof(vox_plugin_descriptor),
                                        VOX_ABI_MAJOR,
                                        VOX_ABI_MINOR,
                                        "fake",
                                        "0.0.1",
                                        "voxd test plugin",
                                        &init,
                                        &deinit,
                                        kProviders,
                                        1};

}  // namespace

extern "C" VOX_PLUGIN_EXPORT const vox_plugin_descriptor* vox_plugin_entry(void) { return &kDescriptor; }
