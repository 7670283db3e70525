/*
 * vox/plugin.h compiled as C (the build compiles this file as C99 and as C11
 * with -Wall -Wextra -Werror -pedantic), together with the plain-C plugin of
 * docs/plugins.md, which it then drives through its descriptor.
 */
#include "plain_c_plugin.c"

#include <vox/plugin.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(offsetof(vox_plugin_descriptor, struct_size) == 0, "struct_size comes first");
_Static_assert(offsetof(vox_error, struct_size) == 0, "struct_size comes first");
#else
/* C99: a negative array size is the compile-time assertion. */
typedef char struct_size_comes_first[offsetof(vox_plugin_descriptor, struct_size) == 0 ? 1 : -1];
#endif

static int failures = 0;

#define CHECK(condition)                                                                  \
    do {                                                                                  \
        if (!(condition)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            ++failures;                                                                   \
        }                                                                                 \
    } while (0)

static int log_calls = 0;
static void count_log(void* host, vox_log_level level, const char* message) {
    (void)host;
    (void)level;
    (void)message;
    ++log_calls;
}

static void check_struct_has(void) {
    vox_host_services older;
    vox_host_services current;
    memset(&older, 0, sizeof older);
    memset(&current, 0, sizeof current);
    /* A host built before counter_add existed. */
    older.struct_size = offsetof(vox_host_services, counter_add);
    current.struct_size = sizeof current;
    CHECK(VOX_STRUCT_HAS(&older, vox_host_services, monotonic_ns));
    CHECK(!VOX_STRUCT_HAS(&older, vox_host_services, counter_add));
    CHECK(VOX_STRUCT_HAS(&current, vox_host_services, counter_add));
    CHECK(VOX_FIELD_SIZE(vox_error, message) == VOX_ERROR_MESSAGE_CAPACITY);
}

static void check_plain_plugin(void) {
    const vox_plugin_descriptor* d = vox_plugin_entry();
    const vox_vad_vtable* vad;
    vox_host_services host;
    vox_error err;
    vox_vad_session* session = NULL;
    void* ctx = (void*)&failures;
    int16_t loud[160];
    int16_t quiet[160];
    vox_audio audio;
    float probability = -1.0f;
    size_t i;

    CHECK(d != NULL);
    CHECK(d->struct_size == sizeof(vox_plugin_descriptor));
    CHECK(d->abi_major == VOX_ABI_MAJOR && d->abi_minor == VOX_ABI_MINOR);
    CHECK(VOX_STRUCT_HAS(d, vox_plugin_descriptor, provider_count));
    CHECK(d->provider_count == 1);
    CHECK(d->providers[0]->kind == VOX_PROVIDER_VAD);
    CHECK(strcmp(d->providers[0]->name, "plain_c_energy") == 0);

    memset(&host, 0, sizeof host);
    host.struct_size = sizeof host;
    host.abi_major = VOX_ABI_MAJOR;
    host.abi_minor = VOX_ABI_MINOR;
    host.log = count_log;
    memset(&err, 0, sizeof err);
    err.struct_size = sizeof err;
    CHECK(d->init(&host, "{}", &ctx, &err) == VOX_OK);
    CHECK(ctx == NULL);
    CHECK(log_calls == 1);

    vad = (const vox_vad_vtable*)d->providers[0]->vtable;
    CHECK(vad->struct_size == sizeof(vox_vad_vtable));
    CHECK(vad->open(ctx, "{}", 0, &session, &err) == VOX_ERR_INVALID_ARGUMENT);
    CHECK(err.code == VOX_ERR_INVALID_ARGUMENT);
    CHECK(strstr(err.message, "sample_rate") != NULL);
    CHECK(vad->open(ctx, "{}", 16000, &session, NULL) == VOX_OK);
    CHECK(session != NULL);

    for (i = 0; i < 160; ++i) {
        loud[i] = (int16_t)((i % 2) ? 8000 : -8000);
        quiet[i] = (int16_t)((i % 2) ? 3 : -3);
    }
    audio.struct_size = sizeof audio;
    audio.samples = loud;
    audio.frames = 160;
    audio.sample_rate = 16000;
    audio.channels = 1;
    CHECK(vad->process(session, &audio, &probability, &err) == VOX_OK);
    CHECK(probability == 1.0f);
    audio.samples = quiet;
    CHECK(vad->process(session, &audio, &probability, &err) == VOX_OK);
    CHECK(probability == 0.0f);
    vad->reset(session);
    vad->close(session);
    d->deinit(ctx);
}

int main(void) {
    check_struct_has();
    check_plain_plugin();
    if (failures != 0) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    printf("vox/plugin.h as C (__STDC_VERSION__ %ld): all checks passed\n", (long)__STDC_VERSION__);
    return 0;
}
