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
        // Threads for work that may block (flow node steps calling HTTP APIs),
        // kept off the strands' pool so a slow API cannot stall other calls.
        std::size_t blocking_threads = 4;
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
    // The pool for blocking work (see Options::blocking_threads).
    boost::asio::any_io_executor blocking_executor();
    // Finishes queued work and joins the threads. Idempotent.
    void stop();

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox::call
