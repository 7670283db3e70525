#include <vox/core/call/call_runtime.hpp>

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>

namespace vox::call {

struct CallRuntime::State {
    explicit State(const Options& options)
        : pool(std::max<std::size_t>(options.threads, 1)), blocking(std::max<std::size_t>(options.blocking_threads, 1)) {}
    boost::asio::thread_pool pool;
    boost::asio::thread_pool blocking;
    bool stopped = false;
};

CallRuntime::CallRuntime(Options options) : state_(std::make_unique<State>(options)) {}
CallRuntime::CallRuntime() : CallRuntime(Options{}) {}
CallRuntime::~CallRuntime() { stop(); }

boost::asio::any_io_executor CallRuntime::make_strand() { return boost::asio::make_strand(state_->pool); }
boost::asio::any_io_executor CallRuntime::executor() { return state_->pool.get_executor(); }
boost::asio::any_io_executor CallRuntime::blocking_executor() { return state_->blocking.get_executor(); }

void CallRuntime::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    // Sessions have ended by now; what is still queued (idle timers) is dropped.
    state_->pool.stop();
    state_->pool.join();
    // Blocking work in progress (an HTTP request) runs to its own timeout:
    // it must not be left running inside a plugin that is about to be unloaded.
    state_->blocking.join();
}

}  // namespace vox::call
