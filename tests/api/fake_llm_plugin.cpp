// A minimal LLM provider for the API tests, "llm.fake", so that agents with a
// model can be created and checked: it offers the models fake-small and
// fake-large (through list_models) and generates nothing.
#include <vox/plugin.h>

#include <cstring>
#include <string>

namespace {

vox_status init(const vox_host_services* /*host*/, const char* /*config_json*/, void** plugin_ctx, vox_error* /*err*/) {
    *plugin_ctx = nullptr;
    return VOX_OK;
}

void deinit(void* /*plugin_ctx*/) {}

vox_status start(void*, const char*, uint64_t, const vox_llm_callbacks*, vox_error* err) {
    if (err != nullptr) {
        err->code = VOX_ERR_UNSUPPORTED;
        std::strncpy(err->message, "the fake provider generates nothing", VOX_ERROR_MESSAGE_CAPACITY - 1);
    }
    return VOX_ERR_UNSUPPORTED;
}

void cancel(void*, uint64_t) {}

vox_status list_models(void*, vox_string_sink* out, vox_error* /*err*/) {
    static const std::string models = "[\"fake-small\",\"fake-large\"]";
    out->write(out->user, models.data(), models.size());
    return VOX_OK;
}

const vox_llm_vtable kVtable{sizeof(vox_llm_vtable), &start, &cancel, &list_models};

const vox_provider kProvider{sizeof(vox_provider),
                             VOX_PROVIDER_LLM,
                             "fake",
                             "An LLM provider that only lists models",
                             "{\"streaming\":true}",
                             "{\"type\":\"object\"}",
                             &kVtable,
                             nullptr};
const vox_provider* const kProviders[] = {&kProvider};

const vox_plugin_descriptor kDescriptor{sizeof(vox_plugin_descriptor),
                                        VOX_ABI_MAJOR,
                                        VOX_ABI_MINOR,
                                        "fake_llm",
                                        "0.0.1",
                                        "API test plugin",
                                        &init,
                                        &deinit,
                                        kProviders,
                                        1};

}  // namespace

extern "C" VOX_PLUGIN_EXPORT const vox_plugin_descriptor* vox_plugin_entry(void) { return &kDescriptor; }
