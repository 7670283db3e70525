// A chain of FrameProcessors run on one strand, each with two input lanes:
// system frames (caller audio, interruptions) are always handled before any
// data frame, anywhere in the chain; data frames keep their order.
//
// Barge-in is a two-phase flush: interrupt() bumps the generation and sends
// an `interruption` frame down the system lanes (every processor drops its
// work and cancels its provider; queued data of older generations is dropped
// at once), followed by an ordered `flush_stop` on the data lanes. Frames of
// an older generation are dropped wherever they are seen, including frames
// injected later by provider callbacks that were already in flight.
//
// Threading: inject() may be called from any thread (it posts to the
// strand); everything else runs on the strand.
#pragma once

#include <vox/core/pipeline/frame_processor.hpp>
#include <vox/core/pipeline/frame_queue.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace vox::pipeline {

struct PipelineOptions {
    std::size_t input_audio_capacity = 50;  // 1 s of 20 ms frames; the oldest is dropped beyond
    std::size_t data_capacity = 4096;       // per processor; a push beyond is refused
};

class Pipeline {
public:
    using Sink = std::function<void(const Frame&)>;

    Pipeline(boost::asio::any_io_executor strand, PipelineOptions options = {});
    ~Pipeline();
    Pipeline(const Pipeline&) = delete;
    Pipeline& operator=(const Pipeline&) = delete;

    // Appends a processor (before start). Returns it for wiring.
    template <class P>
    P& add(std::unique_ptr<P> processor) {
        P& ref = *processor;
        attach(std::move(processor));
        return ref;
    }
    // inject() keeps `owner` (the object owning this pipeline) alive until the
    // posted frame is handled, and does nothing once it is gone.
    void set_owner(std::weak_ptr<void> owner) {
        owner_ = std::move(owner);
        owned_ = true;
    }
    // Frames leaving the last processor go here (the harness's view in tests).
    void set_sink(Sink sink) { sink_ = std::move(sink); }

    // Any thread: queues `frame` at the input of processor `index` and runs
    // the chain on the strand. A data frame of an old generation is dropped.
    void inject(std::size_t index, Frame frame);
    // Strand only: queues without scheduling (the current run picks it up).
    FlowStatus enqueue(std::size_t index, Frame frame);
    // Strand only: starts a barge-in (see above) from processor `from` on.
    void interrupt(std::size_t from, std::uint64_t turn, std::int64_t time_ns);
    // Strand only: handles queued frames until every lane is empty.
    void run();
    // Strand only: no frame is handled any more; queued ones are dropped.
    void stop();

    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    std::size_t dropped_stale() const { return dropped_stale_; }
    std::size_t dropped_input() const;
    std::size_t size() const { return stages_.size(); }
    const boost::asio::any_io_executor& strand() const { return strand_; }

private:
    friend class FrameProcessor;
    struct Stage {
        std::unique_ptr<FrameProcessor> processor;
        FrameQueue system;
        FrameQueue data;
    };
    void attach(std::unique_ptr<FrameProcessor> processor);
    FlowStatus push_from(std::size_t index, Frame frame);
    bool stale(const Frame& frame) const;

    boost::asio::any_io_executor strand_;
    PipelineOptions options_;
    std::vector<Stage> stages_;
    Sink sink_;
    std::weak_ptr<void> owner_;
    bool owned_ = false;
    std::atomic<std::uint64_t> generation_{1};
    std::size_t dropped_stale_ = 0;
    bool running_ = false;
    bool stopped_ = false;
};

}  // namespace vox::pipeline
