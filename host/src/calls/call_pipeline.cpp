#include "calls/call_pipeline.hpp"

#include <vox/core/call/call_runtime.hpp>
#include <vox/core/log.hpp>

#include <boost/asio/post.hpp>

#include <exception>
#include <mutex>

namespace vox::host {
namespace {

// core's CallSession on a CallRuntime: each session gets its own strand of the pool.
class CorePipeline final : public CallPipeline {
public:
    explicit CorePipeline(std::size_t threads) : runtime_(call::CallRuntime::Options{threads}) {}
    ~CorePipeline() override { stop(); }

    std::shared_ptr<call::CallSession> create_session(call::CallSetup setup,
                                                      std::shared_ptr<call::CallTransport> transport,
                                                      std::shared_ptr<call::CallObserver> observer) override {
        return call::CallSession::create(runtime_, std::move(setup), std::move(transport), std::move(observer));
    }

    void post(std::function<void()> fn) override {
        boost::asio::post(runtime_.executor(), [fn = std::move(fn)] {
            try {
                fn();
            } catch (const std::exception& error) {
                vox::log::error("calls", "call work failed", {{"error", error.what()}});
            }
        });
    }

    void stop() override {
        std::call_once(stopped_, [this] { runtime_.stop(); });
    }

private:
    call::CallRuntime runtime_;
    std::once_flag stopped_;
};

}  // namespace

std::unique_ptr<CallPipeline> make_call_pipeline(std::size_t threads) {
    return std::make_unique<CorePipeline>(threads);
}

}  // namespace vox::host
