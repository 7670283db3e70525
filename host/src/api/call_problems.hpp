// The call engine's refusals as API problems (docs/protocol.md sections 1, 3, 7).
#pragma once

#include "calls/call_refusal.hpp"
#include "http/problem_error.hpp"

namespace vox::host {

inline ProblemError call_problem(const CallRefusal& refusal) {
    int status = 503;
    std::string code;
    std::string title = "Service unavailable";
    switch (refusal.kind()) {
        case CallRefusalKind::agent_not_found: status = 404, code = "agent_not_found", title = "Not found"; break;
        case CallRefusalKind::agent_inactive: status = 409, code = "agent_inactive", title = "Conflict"; break;
        case CallRefusalKind::transport_unavailable: code = "transport_unavailable"; break;
        case CallRefusalKind::provider_unavailable: code = "provider_unavailable"; break;
        case CallRefusalKind::too_many_calls: code = "too_many_calls"; break;
        case CallRefusalKind::call_not_found: status = 404, code = "call_not_found", title = "Not found"; break;
        case CallRefusalKind::call_not_active: status = 409, code = "call_not_active", title = "Conflict"; break;
    }
    return ProblemError(Problem{status, std::move(code), std::move(title), refusal.what(), refusal.extensions()});
}

}  // namespace vox::host
