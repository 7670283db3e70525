// The seam between voxd's call engine and core's call pipeline: makes a
// CallSession for a caller and runs work on the pipeline's shared threads
// (the CallRuntime). voxd uses make_call_pipeline(); tests of the
// CallManager can put a fake in its place.
#pragma once

#include <vox/core/call/call_session.hpp>

#include <cstddef>
#include <functional>
#include <memory>

namespace vox::host {

class CallPipeline {
public:
    virtual ~CallPipeline() = default;
    // A session for one caller (not started yet). Throws ProviderError when a
    // provider refuses to open a session.
    virtual std::shared_ptr<call::CallSession> create_session(call::CallSetup setup,
                                                              std::shared_ptr<call::CallTransport> transport,
                                                              std::shared_ptr<call::CallObserver> observer) = 0;
    // Runs `fn` soon on the pipeline's threads (never inline).
    virtual void post(std::function<void()> fn) = 0;
    // Finishes queued work and joins the threads; after every session has ended. Idempotent.
    virtual void stop() = 0;
};

// core's pipeline on a CallRuntime of `threads` threads.
std::unique_ptr<CallPipeline> make_call_pipeline(std::size_t threads);

}  // namespace vox::host
