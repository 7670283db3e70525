// "transport.websocket" for the process tests of the call API, loaded with
// VOX_PLUGIN_PATH (ahead of the real one, which is then refused as a
// duplicate): it starts, takes every dial and says callers connect to a
// listen_url where nobody listens. Nobody ever joins, so calls end by the
// API, by token expiry (no_connection) or by shutdown.
#include <vox/plugin.h>

#include <string>

namespace {

vox_status init(const vox_host_services*, const char*, void** plugin_ctx, vox_error*) {
    *plugin_ctx = nullptr;
    return VOX_OK;
}

void deinit(void*) {}

vox_status start(void*, const char*, const vox_transport_callbacks*, vox_error*) { return VOX_OK; }

vox_status dial(void*, const char*, vox_error*) { return VOX_OK; }

vox_status play(vox_transport_call*, uint64_t, const vox_audio*, vox_error*) { return VOX_OK; }
uint32_t clear(vox_transport_call*, uint64_t) { return 0; }
vox_status transfer(vox_transport_call*, const char*, vox_error*) { return VOX_ERR_UNSUPPORTED; }
vox_status hangup(vox_transport_call*, const char*, vox_error*) { return VOX_OK; }
void stop(void*) {}
vox_status send_event(vox_transport_call*, const char*, vox_error*) { return VOX_OK; }

vox_status describe(void*, vox_string_sink* out, vox_error*) {
    static const std::string text = "{\"listen_url\":\"ws://127.0.0.1:9\"}";
    out->write(out->user, text.data(), text.size());
    return VOX_OK;
}

const vox_transport_vtable kVtable{sizeof(vox_transport_vtable), &start, &dial, &play, &clear, &transfer,
                                   &hangup, &stop, &send_event};

const vox_provider kProvider{sizeof(vox_provider),
                             VOX_PROVIDER_TRANSPORT,
                             "websocket",
                             "A web-call transport that nobody can join (tests)",
                             "{}",
                             "{\"type\":\"object\"}",
                             &kVtable,
                             &describe};
const vox_provider* const kProviders[] = {&kProvider};

const vox_plugin_descriptor kDescriptor{sizeof(vox_plugin_descriptor),
                                        VOX_ABI_MAJOR,
                                        VOX_ABI_MINOR,
                                        "calls_test_transport",
                                        "0.0.1",
                                        "Call API test plugin",
                                        &init,
                                        &deinit,
                                        kProviders,
                                        1};

}  // namespace

extern "C" VOX_PLUGIN_EXPORT const vox_plugin_descriptor* vox_plugin_entry(void) { return &kDescriptor; }
