// Hanging up or transferring "after the last words": the flow's end_call and
// transfer nodes and the LLM's end_call / transfer_call tools act only once
// the response that says goodbye (or "let me put you through") has played.
// LastWords remembers the pending action and the response it waits for;
// transfer_call() is the one way both stages hand a caller on.
#pragma once

#include "call_context.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace vox::call::detail {

class LastWords {
public:
    enum class Action { hang_up, transfer };
    struct Pending {
        Action action = Action::hang_up;
        std::string target;  // the transfer's number or SIP URI
        std::string tag;     // the caller's own note (the LLM's tool call id)
    };

    // `action` waits for response `response` to be over.
    void arm(std::uint64_t response, Pending pending) {
        response_ = response;
        pending_ = std::move(pending);
    }
    // The pending action, once `response` is over (taken: it happens once).
    std::optional<Pending> take_when_over(std::uint64_t response) {
        if (!pending_ || response != response_) return std::nullopt;
        return std::exchange(pending_, std::nullopt);
    }
    // Drops the pending action (the caller spoke over the last words); true when there was one.
    bool cancel() { return std::exchange(pending_, std::nullopt).has_value(); }
    const std::optional<Pending>& pending() const { return pending_; }

private:
    std::uint64_t response_ = 0;
    std::optional<Pending> pending_;
};

// Hands the caller to `target` through the call's transport: a `transfer`
// event and the end as call_transfer. When the transport cannot, a non-fatal
// `transfer_failed` error, and the message for the caller to act on.
inline std::optional<std::string> transfer_call(CallContext& call, const std::string& target) {
    try {
        call.transport->transfer(target);
        call.emit({{"type", "transfer"}, {"to", target}});
        call.end_call("call_transfer", false);
        return std::nullopt;
    } catch (const std::exception& error) {
        std::string message = std::string("the call could not be transferred to ") + target + ": " + error.what();
        call.emit({{"type", "error"}, {"code", "transfer_failed"}, {"message", message}, {"fatal", false}});
        return message;
    }
}

}  // namespace vox::call::detail
