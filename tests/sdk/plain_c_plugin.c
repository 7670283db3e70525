/*
 * A complete Vox plugin in plain C (no SDK headers besides vox/plugin.h):
 * provider "vad.plain_c_energy", a voice-activity detector that calls a chunk
 * speech when its mean absolute amplitude passes a threshold. docs/plugins.md
 * shows this file; tests/sdk builds it as C99 and C11 and calls it.
 */
#include <vox/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct plain_vad_session {
    double threshold; /* mean |sample| that counts as speech */
} plain_vad_session;

static void set_error(vox_error* err, vox_status code, const char* message) {
    if (err == NULL || !VOX_STRUCT_HAS(err, vox_error, message)) return;
    err->code = code;
    snprintf(err->message, sizeof err->message, "%s", message);
}

static vox_status plain_open(void* plugin_ctx, const char* settings_json, uint32_t sample_rate, vox_vad_session** out,
                             vox_error* err) {
    plain_vad_session* session;
    (void)plugin_ctx;
    (void)settings_json; /* a real plugin parses its settings here */
    if (sample_rate == 0) {
        set_error(err, VOX_ERR_INVALID_ARGUMENT, "sample_rate must be positive");
        return VOX_ERR_INVALID_ARGUMENT;
    }
    session = (plain_vad_session*)malloc(sizeof *session);
    if (session == NULL) {
        set_error(err, VOX_ERR_INTERNAL, "out of memory");
        return VOX_ERR_INTERNAL;
    }
    session->threshold = 500.0;
    *out = (vox_vad_session*)session;
    return VOX_OK;
}

static vox_status plain_process(vox_vad_session* s, const vox_audio* audio, float* speech_probability, vox_error* err) {
    const plain_vad_session* session = (const plain_vad_session*)s;
    size_t count;
    size_t i;
    double sum = 0.0;
    if (audio == NULL || !VOX_STRUCT_HAS(audio, vox_audio, channels) || audio->channels == 0) {
        set_error(err, VOX_ERR_INVALID_ARGUMENT, "malformed audio");
        return VOX_ERR_INVALID_ARGUMENT;
    }
    count = audio->frames * audio->channels;
    for (i = 0; i < count; ++i) sum += audio->samples[i] < 0 ? -(double)audio->samples[i] : audio->samples[i];
    *speech_probability = (count > 0 && sum / (double)count >= session->threshold) ? 1.0f : 0.0f;
    return VOX_OK;
}

static void plain_reset(vox_vad_session* session) { (void)session; /* no state between chunks */ }

static void plain_close(vox_vad_session* session) { free(session); }

static vox_status plain_init(const vox_host_services* host, const char* config_json, void** plugin_ctx,
                             vox_error* err) {
    (void)config_json;
    (void)err;
    if (host != NULL && host->log != NULL) host->log(host->host, VOX_LOG_INFO, "plain_c plugin ready");
    *plugin_ctx = NULL; /* no plugin-wide state */
    return VOX_OK;
}

static void plain_deinit(void* plugin_ctx) { (void)plugin_ctx; }

static const vox_vad_vtable plain_vad_vtable = {
    sizeof(vox_vad_vtable), plain_open, plain_process, plain_reset, plain_close,
};

static const vox_provider plain_vad_provider = {
    sizeof(vox_provider),
    VOX_PROVIDER_VAD,
    "plain_c_energy",
    "Mean-amplitude voice-activity detector written in plain C",
    "{\"streaming\":true,\"sample_rates\":[8000,16000,24000,48000]}",
    "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
    &plain_vad_vtable,
    NULL, /* describe: the static capabilities are all there is */
};

static const vox_provider* const plain_providers[] = {&plain_vad_provider};

static const vox_plugin_descriptor plain_descriptor = {
    sizeof(vox_plugin_descriptor),
    VOX_ABI_MAJOR,
    VOX_ABI_MINOR,
    "plain_c",
    "0.1.0",
    "A Vox plugin written in plain C",
    plain_init,
    plain_deinit,
    plain_providers,
    sizeof plain_providers / sizeof plain_providers[0],
};

VOX_PLUGIN_EXPORT const vox_plugin_descriptor* vox_plugin_entry(void) { return &plain_descriptor; }
