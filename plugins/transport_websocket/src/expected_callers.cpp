#include "expected_callers.hpp"

namespace vox::transport_ws {
namespace {

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool same_secret(const std::string& a, const std::string& b) {
    unsigned char difference = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : ~a[i]));
    return difference == 0;
}

}  // namespace

void ExpectedCallers::expect(ExpectedCaller caller) {
    std::lock_guard lock(mutex_);
    purge(std::chrono::steady_clock::now());
    std::string id = caller.call_id;
    entries_[id] = Entry{std::move(caller), false};
}

ExpectedCallers::Admission ExpectedCallers::admit(const std::string& call_id, const std::string& token,
                                                  std::chrono::steady_clock::time_point now, ExpectedCaller& admitted) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(call_id);
    if (it == entries_.end()) return Admission::unknown_call;
    Entry& entry = it->second;
    if (token.empty() || !same_secret(entry.caller.access_token, token)) return Admission::wrong_token;
    if (entry.used) return Admission::used_token;
    if (now >= entry.caller.expires_at) {
        entries_.erase(it);
        return Admission::expired_token;
    }
    entry.used = true;  // kept until it expires, so a second try is "used", not "unknown"
    admitted = entry.caller;
    return Admission::admitted;
}

std::size_t ExpectedCallers::waiting(std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mutex_);
    purge(now);
    std::size_t count = 0;
    for (const auto& [id, entry] : entries_)
        if (!entry.used) ++count;
    return count;
}

void ExpectedCallers::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
}

void ExpectedCallers::purge(std::chrono::steady_clock::time_point now) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (now >= it->second.caller.expires_at)
            it = entries_.erase(it);
        else
            ++it;
    }
}

const char* admission_name(ExpectedCallers::Admission admission) {
    switch (admission) {
    case ExpectedCallers::Admission::admitted: return "admitted";
    case ExpectedCallers::Admission::unknown_call: return "unknown call";
    case ExpectedCallers::Admission::wrong_token: return "wrong token";
    case ExpectedCallers::Admission::used_token: return "token already used";
    case ExpectedCallers::Admission::expired_token: return "token expired";
    }
    return "refused";
}

}  // namespace vox::transport_ws
