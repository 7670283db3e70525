// The CallObserver a session reports to: each event and the end are handed
// to the CallManager for the call they belong to. Holds the call weakly, so
// that a session (which owns its observer) and the call (which owns its
// session) do not keep each other alive. Holds the call's provider
// generation strongly: the session owns its observer to its very end, so the
// plugins outlive every provider session of the call.
#pragma once

#include "calls/active_call.hpp"

#include <vox/core/call/call_session.hpp>

#include <functional>
#include <memory>

namespace vox::host {

class ManagerObserver final : public call::CallObserver {
public:
    using EventFn = std::function<void(const std::shared_ptr<ActiveCall>&, const nlohmann::json&)>;
    using EndedFn = std::function<void(const std::shared_ptr<ActiveCall>&, const call::CallResult&)>;

    ManagerObserver(std::weak_ptr<ActiveCall> call, ProviderGenerationPtr generation, EventFn on_event,
                    EndedFn on_ended)
        : call_(std::move(call)),
          generation_(std::move(generation)),
          on_event_(std::move(on_event)),
          on_ended_(std::move(on_ended)) {}

    void on_event(const nlohmann::json& event) override {
        if (auto call = call_.lock()) on_event_(call, event);
    }
    void on_ended(const call::CallResult& result) override {
        if (auto call = call_.lock()) on_ended_(call, result);
    }

private:
    std::weak_ptr<ActiveCall> call_;
    ProviderGenerationPtr generation_;
    EventFn on_event_;
    EndedFn on_ended_;
};

}  // namespace vox::host
