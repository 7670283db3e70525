#include <vox/core/call/call_runtime.hpp>

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>

namespace vox::call {

struct CallRuntime::State {
    explicit State(std::size_t threads) : pool(std::max<std::size_t>(threads, 1)) {}
    boost::asio::thread_pool pool;
    bool stopped = false;
};

CallRuntime::CallRuntime(Options options) : state_(std::make_unique<State>(options.threads)) {}
CallRuntime::CallRuntime() : CallRuntime(Options{}) {}
CallRuntime::~CallRuntime() { stop(); }

boost::asio::any_io_executor CallRuntime::make_strand() { return boost::asio::make_strand(state_->pool); }
boost::asio::any_io_executor CallRuntime::executor() { return state_->pool.get_executor(); }

void CallRuntime::stop() {
    if (state_->stopped) return;
    state_->stopped = true;
    // Sessions have ended by now; what is still queued (idle timers) is dropped.
    state_->pool.stop();
    state_->pool.join();
}

}  // namespace vox::call
