// The threads every live call shares: a small pool (about one thread per
// core) on which each call runs on its own strand, so a call's pipeline is
// serial without a thread of its own.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <memory>

namespace vox::call {

class CallRuntime {
public:
    struct Options {
        std::size_t threads = 2;
    };
    explicit CallRuntime(Options options);
    CallRuntime();
    ~CallRuntime();  // stop()
    CallRuntime(const CallRuntime&) = delete;
    CallRuntime& operator=(const CallRuntime&) = delete;

    // A new strand for one call.
    boost::asio::any_io_executor make_strand();
    // The pool itself (for work that needs no ordering).
    boost::asio::any_io_executor executor();
    // Finishes queued work and joins the threads. Idempotent.
    void stop();

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox::call
