// A stage's providers in the order a call tries them: the agent's own, then
// its fallbacks (agent.fallbacks.stt / .tts). Opening walks the chain until a
// session opens; every step past a provider is recorded on the call
// (provider_fallback event, provider_switches).
#pragma once

#include "call_context.hpp"

#include <vox/core/call/call_session.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <string>
#include <utility>
#include <vector>

namespace vox::call::detail {

class FallbackChain {
public:
    FallbackChain(std::string stage, FallbackProvider first, const std::vector<FallbackProvider>& fallbacks)
        : stage_(std::move(stage)) {
        providers_.push_back(std::move(first));
        for (const auto& fallback : fallbacks)
            if (fallback.provider != nullptr) providers_.push_back(fallback);
    }

    // Opens the current provider with `open` (which throws ProviderError when
    // the session does not open), else the next ones. Throws the last
    // provider's error when none opens.
    template <class Open>
    void open_first(CallContext& call, Open open) {
        for (;;) {
            try {
                open(providers_[at_]);
                return;
            } catch (const ProviderError& error) {
                if (at_ + 1 >= providers_.size()) throw;
                call.record_switch(stage_, *providers_[at_].provider, *providers_[at_ + 1].provider, error.what());
                ++at_;
            }
        }
    }

    // The current provider failed with `reason`: opens the next one that
    // opens. False when none is left (`reason` then says the last failure).
    template <class Open>
    bool open_next(CallContext& call, std::string& reason, Open open) {
        while (at_ + 1 < providers_.size()) {
            const Provider& from = *providers_[at_].provider;
            const FallbackProvider& to = providers_[++at_];
            call.record_switch(stage_, from, *to.provider, reason);
            try {
                open(to);
                return true;
            } catch (const ProviderError& error) {
                reason = error.what();
            }
        }
        return false;
    }

    // The key of the provider in use, e.g. "tts.elevenlabs".
    const std::string& current_key() const { return providers_[at_].provider->key; }

private:
    std::string stage_;
    std::vector<FallbackProvider> providers_;
    std::size_t at_ = 0;
};

}  // namespace vox::call::detail
