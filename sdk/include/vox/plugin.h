/*
 * vox/plugin.h — the Vox plugin ABI.
 *
 * A Vox plugin is a shared library that exports exactly one symbol:
 *
 *     const vox_plugin_descriptor* vox_plugin_entry(void);
 *
 * The descriptor names the plugin, the ABI version it was built against, an
 * init/deinit pair and the providers it offers (speech-to-text, LLM,
 * text-to-speech, voice-activity detection, call transport, flow node type).
 *
 * This header is pure C so that a plugin and the host may be built with
 * different compilers, standard libraries and dependency versions. Rules:
 *
 *   1. Versioning. The host loads a plugin only if its abi_major equals the
 *      host's VOX_ABI_MAJOR and its abi_minor is not newer than the host's
 *      VOX_ABI_MINOR. Minor versions only ever add things at the end of structs.
 *   2. Size-versioned structs. Every struct that crosses the boundary starts
 *      with `size_t struct_size` (set it to sizeof the struct you were built
 *      with). A reader uses a field only if struct_size covers it: see
 *      VOX_STRUCT_HAS().
 *   3. No exception, C++ type, or allocation ownership crosses the boundary
 *      unless a function says so. Errors are a vox_status plus a message that
 *      the callee writes into a caller-owned vox_error.
 *   4. Every function below states the thread it may be called on, who owns
 *      each pointer, and how long it lives. "Host thread" means any thread of
 *      the host; the host never calls into one session from two threads at
 *      once (calls on a session are serialised by the call's strand).
 *   5. Plugins are never unloaded: a plugin may start threads and keep them
 *      until deinit returns.
 *   6. Reloads (ABI 1.3). When its settings change on a configuration reload,
 *      the host calls init() again while the earlier context still serves
 *      live calls, and deinit()s that earlier context once its last session
 *      has closed. Contexts must therefore be independent of each other: keep
 *      state in the context, not in globals. A plugin built for ABI < 1.3 is
 *      initialised only once; its new settings wait for a restart.
 *
 * Audio crossing the boundary is always signed 16-bit little-endian PCM,
 * interleaved, with its sample rate and channel count stated alongside.
 * Text is always UTF-8. JSON documents are UTF-8 strings.
 */
#ifndef VOX_PLUGIN_H
#define VOX_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VOX_ABI_MAJOR 1
#define VOX_ABI_MINOR 3

/* The name of the one exported symbol, for dlsym. */
#define VOX_PLUGIN_ENTRY_SYMBOL "vox_plugin_entry"

#if defined(_WIN32)
#define VOX_PLUGIN_EXPORT __declspec(dllexport)
#else
#define VOX_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* The size of one field of a struct type. */
#ifdef __cplusplus
#define VOX_FIELD_SIZE(type, field) sizeof(static_cast<type*>(nullptr)->field) /* NOLINT(bugprone-macro-parentheses) */
#else
#define VOX_FIELD_SIZE(type, field) sizeof(((type*)0)->field)
#endif

/* True when a struct of the given struct_size contains FIELD completely. */
#define VOX_STRUCT_HAS(ptr, type, field) \
    ((ptr)->struct_size >= offsetof(type, field) + VOX_FIELD_SIZE(type, field))

/* ------------------------------------------------------------------------ */
/* Status codes and errors                                                   */
/* ------------------------------------------------------------------------ */

typedef enum vox_status {
    VOX_OK = 0,
    VOX_ERR_INVALID_ARGUMENT = 1, /* a setting or input the provider rejects */
    VOX_ERR_UNSUPPORTED = 2,      /* e.g. a sample rate or voice it lacks */
    VOX_ERR_NOT_FOUND = 3,
    VOX_ERR_UNAVAILABLE = 4,      /* engine or remote service not reachable */
    VOX_ERR_TIMEOUT = 5,
    VOX_ERR_CANCELLED = 6,
    VOX_ERR_AUTH = 7,             /* credentials missing or refused */
    VOX_ERR_RATE_LIMITED = 8,
    VOX_ERR_INTERNAL = 9
} vox_status;

#define VOX_ERROR_MESSAGE_CAPACITY 512

/*
 * Caller-owned error record. The callee fills it only when it returns a status
 * other than VOX_OK: code, and a NUL-terminated human-readable message
 * (truncated to fit). May be NULL when the caller does not want details.
 */
typedef struct vox_error {
    size_t struct_size;
    vox_status code;
    char message[VOX_ERROR_MESSAGE_CAPACITY];
} vox_error;

/*
 * A caller-owned sink for text the callee produces (JSON documents, lists).
 * The callee calls write() zero or more times, synchronously, before it
 * returns; `data` is only valid during that call.
 */
typedef struct vox_string_sink {
    size_t struct_size;
    void* user;
    void (*write)(void* user, const char* data, size_t length);
} vox_string_sink;

/* ------------------------------------------------------------------------ */
/* Host services: what the host offers a plugin                             */
/* ------------------------------------------------------------------------ */

typedef enum vox_log_level {
    VOX_LOG_TRACE = 0,
    VOX_LOG_DEBUG = 1,
    VOX_LOG_INFO = 2,
    VOX_LOG_WARN = 3,
    VOX_LOG_ERROR = 4
} vox_log_level;

/*
 * Handed to init(); owned by the host; valid until deinit() returns. Every
 * function is thread-safe and may be called from any thread, including the
 * plugin's own threads. `host` is the first argument of every function.
 */
typedef struct vox_host_services {
    size_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    void* host;

    /* Writes one log line attributed to the plugin. `message` is borrowed. */
    void (*log)(void* host, vox_log_level level, const char* message);

    /*
     * Runs fn(arg) once on the host's pool for blocking or CPU-heavy work
     * (synthesis, decoding), never on a call's real-time strand. Returns
     * VOX_ERR_UNAVAILABLE when the host is shutting down; fn is then not run.
     * `arg` is owned by the plugin.
     */
    vox_status (*post_work)(void* host, void (*fn)(void* arg), void* arg);

    /* Monotonic clock in nanoseconds, the same clock the host stamps turns with. */
    uint64_t (*monotonic_ns)(void* host);

    /*
     * Adds `value` to the counter `name` (a Prometheus metric name, created on
     * first use, exported as vox_plugin_<name>_total with a provider label).
     */
    void (*counter_add)(void* host, const char* provider_key, const char* name, double value);
} vox_host_services;

/* ------------------------------------------------------------------------ */
/* Providers                                                                 */
/* ------------------------------------------------------------------------ */

typedef enum vox_provider_kind {
    VOX_PROVIDER_STT = 1,
    VOX_PROVIDER_LLM = 2,
    VOX_PROVIDER_TTS = 3,
    VOX_PROVIDER_VAD = 4,
    VOX_PROVIDER_TRANSPORT = 5,
    VOX_PROVIDER_FLOW_NODE = 6
} vox_provider_kind;

/* Borrowed view of PCM16 audio. */
typedef struct vox_audio {
    size_t struct_size;
    const int16_t* samples; /* frames * channels interleaved samples */
    size_t frames;
    uint32_t sample_rate;
    uint32_t channels;
} vox_audio;

/*
 * One provider offered by a plugin, keyed "<kind>.<name>" (e.g. "tts.flite").
 * Static data: owned by the plugin, valid from vox_plugin_entry() until the
 * process exits.
 */
typedef struct vox_provider {
    size_t struct_size;
    /* A vox_provider_kind value. A fixed-width integer, not the enum type:
     * the size of a C enum is up to the compiler, and a host must be able to
     * read (and refuse) a value it does not know. */
    uint32_t kind;
    const char* name;        /* [a-z0-9_]+, unique within the kind */
    const char* description; /* one line for people */
    /*
     * JSON object describing what the provider can do, e.g.
     * {"streaming":true,"sample_rates":[16000],"languages":["en-US"],
     *  "voices":[{"id":"slt","name":"Sarah","language":"en-US","sample_rate":16000}]}
     */
    const char* capabilities_json;
    /* JSON Schema (draft 2020-12) of the per-session settings object. */
    const char* settings_schema_json;
    /*
     * Kind-specific function table: a vox_stt_vtable*, vox_llm_vtable*,
     * vox_tts_vtable*, vox_vad_vtable*, vox_transport_vtable* or
     * vox_flow_node_vtable* according to `kind`.
     */
    const void* vtable;
    /*
     * Optional (may be NULL): capabilities that are only known at run time
     * (a cloud voice list). Writes a JSON object like capabilities_json into
     * `out`. Called on a host thread, after init, possibly concurrently.
     */
    vox_status (*describe)(void* plugin_ctx, vox_string_sink* out, vox_error* err);
} vox_provider;

/* ---- Speech-to-text ----------------------------------------------------- */

typedef struct vox_transcript {
    size_t struct_size;
    const char* text;     /* borrowed for the duration of the callback */
    int32_t is_final;     /* 0: partial hypothesis, may change; 1: final */
    uint32_t start_ms;    /* relative to the first audio pushed */
    uint32_t end_ms;
    float confidence;     /* 0..1, or -1 if unknown */
} vox_transcript;

/*
 * Callbacks from an STT session. May be invoked from any thread, including
 * inside push_audio/flush; never after close() has returned. The host copies
 * what it needs before returning.
 */
typedef struct vox_stt_callbacks {
    size_t struct_size;
    void* user;
    void (*on_transcript)(void* user, const vox_transcript* transcript);
    void (*on_error)(void* user, vox_status code, const char* message);
} vox_stt_callbacks;

typedef struct vox_stt_session vox_stt_session; /* plugin-owned, opaque */

typedef struct vox_stt_vtable {
    size_t struct_size;
    /*
     * Opens a streaming recognition session. `settings_json` (borrowed) follows
     * the provider's settings schema; `sample_rate` is what push_audio will
     * deliver. `callbacks` is copied. Host thread.
     */
    vox_status (*open)(void* plugin_ctx, const char* settings_json, uint32_t sample_rate,
                       const vox_stt_callbacks* callbacks, vox_stt_session** out, vox_error* err);
    /* Queues caller audio (borrowed; copy it). Must not block for long. */
    vox_status (*push_audio)(vox_stt_session* session, const vox_audio* audio, vox_error* err);
    /* The caller's turn ended: finalise the current utterance soon. */
    vox_status (*flush)(vox_stt_session* session, vox_error* err);
    /* No more audio will come; deliver what remains. */
    vox_status (*end_input)(vox_stt_session* session, vox_error* err);
    /* Drop buffered audio and pending results. */
    void (*cancel)(vox_stt_session* session);
    /* Frees the session; no callback runs after it returns. */
    void (*close)(vox_stt_session* session);
    /*
     * Since ABI 1.2, optional (may be NULL; the host checks struct_size):
     * restricts recognition to what a call-flow node expects, from the next
     * utterance on (an utterance being decoded keeps the grammar it started
     * with). `grammar_json` (borrowed) is one of:
     *
     *   {"type":"yes_no"}
     *   {"type":"digits","min_digits":1,"max_digits":16}
     *       both bounds optional (defaults 1 and 16); digits spoken as words
     *       ("zero"/"oh", "one" ... "nine")
     *   {"type":"choice","choices":["morning","afternoon"]}
     *       each choice a phrase of words (non-empty)
     *   {"type":"date"}
     *       "today", "tomorrow", weekday names ("on"/"next" may precede them)
     *   {} or null: free speech again
     *
     * Transcripts keep the words as heard ("seven two oh"); turning them into
     * values is the host's job. A provider that cannot honour a grammar (a
     * malformed one, an unknown type, a word it cannot recognise) returns
     * VOX_ERR_INVALID_ARGUMENT with a message naming the problem; one that
     * supports no grammar at all leaves this NULL (or returns
     * VOX_ERR_UNSUPPORTED, which the host treats the same way). Host thread,
     * serialised with the session's other calls.
     */
    vox_status (*set_grammar)(vox_stt_session* session, const char* grammar_json, vox_error* err);
} vox_stt_vtable;

/* ---- Large language model ---------------------------------------------- */

typedef struct vox_llm_callbacks {
    size_t struct_size;
    void* user;
    /* A piece of the answer. `text` borrowed for the call. Any thread. */
    void (*on_token)(void* user, uint64_t generation, const char* text, size_t length);
    /* A complete tool call; `arguments_json` is a JSON object. Any thread. */
    void (*on_tool_call)(void* user, uint64_t generation, const char* call_id, const char* name,
                         const char* arguments_json);
    /* The generation finished ("stop", "length", "tool_calls", "cancelled"). */
    void (*on_done)(void* user, uint64_t generation, const char* finish_reason);
    void (*on_error)(void* user, uint64_t generation, vox_status code, const char* message);
} vox_llm_callbacks;

typedef struct vox_llm_vtable {
    size_t struct_size;
    /*
     * Starts one streamed generation. `request_json` (borrowed) is an
     * OpenAI-style chat request: {"model","messages":[...],"tools":[...],
     * "temperature","max_tokens"}. `generation` is the host's id, echoed in
     * every callback; exactly one of on_done/on_error ends it. Host thread.
     */
    vox_status (*start)(void* plugin_ctx, const char* request_json, uint64_t generation,
                        const vox_llm_callbacks* callbacks, vox_error* err);
    /* Stops a generation; its on_done("cancelled") may still arrive. */
    void (*cancel)(void* plugin_ctx, uint64_t generation);
    /* Writes a JSON array of model ids into `out`. Host thread. */
    vox_status (*list_models)(void* plugin_ctx, vox_string_sink* out, vox_error* err);
} vox_llm_vtable;

/* ---- Text-to-speech ------------------------------------------------------ */

typedef struct vox_tts_callbacks {
    size_t struct_size;
    void* user;
    /* Synthesised audio for `context`. `audio` borrowed for the call. Any thread. */
    void (*on_audio)(void* user, uint64_t context, const vox_audio* audio);
    /* Word timing, where the engine knows it (optional to call). */
    void (*on_word)(void* user, uint64_t context, const char* word, uint32_t start_ms, uint32_t end_ms);
    /* Everything pushed for `context` before flush() has been delivered. */
    void (*on_done)(void* user, uint64_t context);
    void (*on_error)(void* user, uint64_t context, vox_status code, const char* message);
} vox_tts_callbacks;

typedef struct vox_tts_session vox_tts_session; /* plugin-owned, opaque */

typedef struct vox_tts_vtable {
    size_t struct_size;
    /*
     * Opens a synthesis session. `settings_json` (borrowed) follows the
     * provider's schema (voice, speed, ...). `callbacks` is copied. Host thread.
     */
    vox_status (*open)(void* plugin_ctx, const char* settings_json, const vox_tts_callbacks* callbacks,
                       vox_tts_session** out, vox_error* err);
    /*
     * Appends text to the utterance `context` (a host-chosen id, one per agent
     * turn). The provider may start speaking complete sentences at once.
     */
    vox_status (*push_text)(vox_tts_session* session, uint64_t context, const char* text, size_t length,
                            vox_error* err);
    /* No more text for `context`: speak the rest, then on_done(context). */
    vox_status (*flush)(vox_tts_session* session, uint64_t context, vox_error* err);
    /* Barge-in: drop text and audio of `context`; no on_audio for it after return. */
    void (*cancel)(vox_tts_session* session, uint64_t context);
    /* Frees the session; no callback runs after it returns. */
    void (*close)(vox_tts_session* session);
} vox_tts_vtable;

/* ---- Voice activity detection -------------------------------------------- */

typedef struct vox_vad_session vox_vad_session; /* plugin-owned, opaque */

typedef struct vox_vad_vtable {
    size_t struct_size;
    /* Host thread. `settings_json` borrowed. */
    vox_status (*open)(void* plugin_ctx, const char* settings_json, uint32_t sample_rate, vox_vad_session** out,
                       vox_error* err);
    /*
     * Classifies one chunk synchronously and cheaply (it runs on the call's
     * strand): writes the probability that it holds speech, 0..1.
     */
    vox_status (*process)(vox_vad_session* session, const vox_audio* audio, float* speech_probability,
                          vox_error* err);
    void (*reset)(vox_vad_session* session);
    void (*close)(vox_vad_session* session);
} vox_vad_vtable;

/* ---- Call transport ------------------------------------------------------ */

typedef struct vox_transport_call vox_transport_call; /* plugin-owned, opaque */

/*
 * Events from a transport to the host. Any thread. `call_id` strings are the
 * transport's own ids, borrowed for the call.
 */
typedef struct vox_transport_callbacks {
    size_t struct_size;
    void* user;
    /* A call arrived or was answered; JSON {"from","to","direction",...}. */
    void (*on_call_started)(void* user, vox_transport_call* call, const char* details_json);
    void (*on_audio)(void* user, vox_transport_call* call, const vox_audio* audio);
    void (*on_dtmf)(void* user, vox_transport_call* call, char digit);
    /* Audio sent earlier has been played out up to `played_ms` of the context. */
    void (*on_played)(void* user, vox_transport_call* call, uint64_t context, uint32_t played_ms);
    void (*on_call_ended)(void* user, vox_transport_call* call, const char* reason);
} vox_transport_callbacks;

typedef struct vox_transport_vtable {
    size_t struct_size;
    /* Starts listening for calls; `callbacks` copied. Host thread. */
    vox_status (*start)(void* plugin_ctx, const char* settings_json, const vox_transport_callbacks* callbacks,
                        vox_error* err);
    /*
     * Places an outbound call; JSON {"to","from",...}. Host thread.
     * A transport whose callers connect to it (web calls) reads this as "expect
     * this caller": JSON {"call_id","access_token","expires_in_ms"}; when the
     * caller connects with the token, on_call_started reports it with
     * details {"call_id", "sample_rate", ...}.
     */
    vox_status (*dial)(void* plugin_ctx, const char* request_json, vox_error* err);
    /* Queues agent audio of `context` for playout. Borrowed; copy it. */
    vox_status (*play)(vox_transport_call* call, uint64_t context, const vox_audio* audio, vox_error* err);
    /* Barge-in: drop queued playout; returns how many ms of it had been played. */
    uint32_t (*clear)(vox_transport_call* call, uint64_t context);
    /* Transfers the call, JSON {"to":...}. */
    vox_status (*transfer)(vox_transport_call* call, const char* request_json, vox_error* err);
    vox_status (*hangup)(vox_transport_call* call, const char* reason, vox_error* err);
    /* Stops accepting calls. Host thread, at shutdown. */
    void (*stop)(void* plugin_ctx);
    /*
     * Since ABI 1.1, optional (may be NULL): delivers a call event (a JSON
     * object, borrowed) to the caller's client when the transport has a
     * channel for it (a web call's socket). Any thread.
     */
    vox_status (*send_event)(vox_transport_call* call, const char* event_json, vox_error* err);
} vox_transport_vtable;

/* ---- Call-flow node type -------------------------------------------------- */

typedef struct vox_flow_node_vtable {
    size_t struct_size;
    /*
     * Checks a node's config (borrowed JSON). On a problem returns
     * VOX_ERR_INVALID_ARGUMENT and writes into `problems` a JSON array of
     * {"field": "...", "message": "..."}. Any thread, concurrently.
     */
    vox_status (*validate)(void* plugin_ctx, const char* config_json, vox_string_sink* problems, vox_error* err);
    /*
     * Runs the node one step: `state_json` (borrowed) holds the node config,
     * flow variables and the caller's latest words; writes into `out` a JSON
     * object of actions {"say","listen","set_variables","next","end_call",...}.
     * Host thread; may block (the host calls it off the real-time strand).
     */
    vox_status (*step)(void* plugin_ctx, const char* state_json, vox_string_sink* out, vox_error* err);
} vox_flow_node_vtable;

/* ------------------------------------------------------------------------ */
/* The plugin                                                                */
/* ------------------------------------------------------------------------ */

typedef struct vox_plugin_descriptor {
    size_t struct_size;
    uint32_t abi_major; /* set to VOX_ABI_MAJOR */
    uint32_t abi_minor; /* set to VOX_ABI_MINOR */
    const char* name;        /* the plugin, e.g. "flite" */
    const char* version;     /* the plugin's own version, e.g. "1.2.0" */
    const char* description; /* one line for people */

    /*
     * Called on the host's main thread before any provider of the context is
     * used: once at start-up, and again for a new context when a reload
     * changes this plugin's settings (rule 6).
     * `host` lives until deinit() returns. `config_json` (borrowed) is an
     * object mapping "<kind>.<name>" of this plugin's providers to their
     * configured settings. Sets *plugin_ctx (may be NULL), handed back to
     * every provider function. A failure refuses the whole plugin.
     */
    vox_status (*init)(const vox_host_services* host, const char* config_json, void** plugin_ctx, vox_error* err);
    /* Called once per context, after every session of that context is
     * closed: at shutdown, or after a reload once its last call has ended.
     * Main thread. */
    void (*deinit)(void* plugin_ctx);

    /* The providers; static data owned by the plugin. */
    const vox_provider* const* providers;
    size_t provider_count;
} vox_plugin_descriptor;

/*
 * The single exported symbol. Returns a pointer to static data, the same on
 * every call; callable before init. Any thread.
 */
typedef const vox_plugin_descriptor* (*vox_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* VOX_PLUGIN_H */
