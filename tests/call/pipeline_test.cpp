// The frame pipeline with scripted processors, run on a single-threaded
// io_context so every sequence is exact: lanes, order, generations, the
// two-phase flush and the bounded queues.
#include <vox/core/pipeline/pipeline.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace vox::pipeline {
namespace {

// Records every frame it sees (in its name's log), then passes it on, or
// runs a scripted reaction instead.
class Probe : public FrameProcessor {
public:
    Probe(std::string name, std::vector<std::string>& log) : FrameProcessor(std::move(name)), log_(log) {}
    std::function<bool(Frame&)> react;  // true: handled, do not pass on
    void process(Frame frame) override {
        log_.push_back(name() + ":" + std::string(to_string(frame.type)) + (frame.text.empty() ? "" : "=" + frame.text));
        if (react && react(frame)) return;
        push(std::move(frame));
    }
    FlowStatus forward(Frame frame) { return push(std::move(frame)); }
    Pipeline& owner() { return pipeline(); }

private:
    std::vector<std::string>& log_;
};

Frame text_frame(FrameType type, std::string text, std::uint64_t generation) {
    auto frame = Frame::make(type, 1, generation, 0);
    frame.text = std::move(text);
    return frame;
}

class PipelineHarness : public ::testing::Test {
protected:
    PipelineHarness() : pipeline_(io_.get_executor()) {
        first_ = &pipeline_.add(std::make_unique<Probe>("a", log_));
        second_ = &pipeline_.add(std::make_unique<Probe>("b", log_));
        pipeline_.set_sink([this](const Frame& frame) { out_.push_back(frame); });
    }
    void run() {
        io_.restart();
        io_.run();
    }

    boost::asio::io_context io_;
    std::vector<std::string> log_;
    std::vector<Frame> out_;
    Pipeline pipeline_;
    Probe* first_ = nullptr;
    Probe* second_ = nullptr;
};

TEST_F(PipelineHarness, DataFramesKeepTheirOrderThroughEveryProcessor) {
    for (const char* word : {"one", "two", "three"})
        pipeline_.inject(0, text_frame(FrameType::response_text, word, pipeline_.generation()));
    run();
    ASSERT_EQ(out_.size(), 3U);
    EXPECT_EQ(out_[0].text, "one");
    EXPECT_EQ(out_[1].text, "two");
    EXPECT_EQ(out_[2].text, "three");
    std::vector<std::string> b_seen;
    for (const auto& entry : log_)
        if (entry.rfind("b:", 0) == 0) b_seen.push_back(entry);
    EXPECT_EQ(b_seen, (std::vector<std::string>{"b:response_text=one", "b:response_text=two", "b:response_text=three"}));
}

TEST_F(PipelineHarness, SystemFramesOvertakeQueuedDataAnywhereInTheChain) {
    // Queue data at both stages, then a system frame at the first: it is
    // handled (and reaches the end) before any queued data frame.
    boost::asio::post(io_, [this] {
        pipeline_.enqueue(1, text_frame(FrameType::response_text, "queued-at-b", pipeline_.generation()));
        pipeline_.enqueue(0, text_frame(FrameType::response_text, "queued-at-a", pipeline_.generation()));
        pipeline_.enqueue(0, Frame::make(FrameType::user_started_speaking, 1, 0, 0));
        pipeline_.run();
    });
    run();
    ASSERT_GE(log_.size(), 2U);
    EXPECT_EQ(log_[0], "a:user_started_speaking");
    EXPECT_EQ(log_[1], "b:user_started_speaking");
    ASSERT_EQ(out_.size(), 3U);
    EXPECT_EQ(out_[0].type, FrameType::user_started_speaking);
}

TEST_F(PipelineHarness, InterruptionDropsQueuedDataOfTheOldGenerationAndFlushesInTwoPhases) {
    std::uint64_t old_generation = pipeline_.generation();
    boost::asio::post(io_, [&] {
        pipeline_.enqueue(1, text_frame(FrameType::response_text, "stale-1", old_generation));
        pipeline_.enqueue(1, text_frame(FrameType::output_audio, "stale-2", old_generation));
        pipeline_.interrupt(0, 2, 0);
        pipeline_.run();
    });
    run();
    EXPECT_GT(pipeline_.generation(), old_generation);
    EXPECT_EQ(pipeline_.dropped_stale(), 2U);
    // Only the flush pair went through, interruption (system) first, then flush_stop (data).
    EXPECT_EQ(log_, (std::vector<std::string>{"a:interruption", "b:interruption", "a:flush_stop", "b:flush_stop"}));
    ASSERT_EQ(out_.size(), 2U);
    EXPECT_EQ(out_[0].generation, pipeline_.generation());
}

TEST_F(PipelineHarness, FramesOfACancelledGenerationInjectedLaterAreDroppedWhereverTheyArrive) {
    std::uint64_t old_generation = pipeline_.generation();
    boost::asio::post(io_, [&] {
        pipeline_.interrupt(0, 1, 0);
        pipeline_.run();
    });
    run();
    log_.clear();
    out_.clear();
    // A provider callback that was in flight still delivers old audio, at either stage.
    pipeline_.inject(0, text_frame(FrameType::output_audio, "late-a", old_generation));
    pipeline_.inject(1, text_frame(FrameType::output_audio, "late-b", old_generation));
    pipeline_.inject(1, text_frame(FrameType::output_audio, "fresh", pipeline_.generation()));
    run();
    EXPECT_EQ(log_, (std::vector<std::string>{"b:output_audio=fresh"}));
    ASSERT_EQ(out_.size(), 1U);
    EXPECT_EQ(out_[0].text, "fresh");
}

TEST_F(PipelineHarness, GenerationZeroFramesAreNeverStale) {
    boost::asio::post(io_, [&] {
        pipeline_.interrupt(0, 1, 0);
        pipeline_.run();
    });
    run();
    out_.clear();
    pipeline_.inject(0, text_frame(FrameType::transcript, "the caller's words", 0));
    run();
    ASSERT_EQ(out_.size(), 1U);
    EXPECT_EQ(out_[0].text, "the caller's words");
}

TEST_F(PipelineHarness, AFrameFromAProcessorStampedWithAnOldGenerationReportsFlushing) {
    std::uint64_t old_generation = pipeline_.generation();
    FlowStatus status = FlowStatus::ok;
    first_->react = [&](Frame& frame) {
        if (frame.type == FrameType::dtmf) {
            first_->owner().interrupt(1, 1, 0);
            status = first_->forward(text_frame(FrameType::response_text, "made-before-the-flush", old_generation));
            return true;
        }
        return false;
    };
    pipeline_.inject(0, Frame::make(FrameType::dtmf, 1, 0, 0));
    run();
    EXPECT_EQ(status, FlowStatus::flushing);
    for (const auto& frame : out_) EXPECT_NE(frame.text, "made-before-the-flush");
}

TEST(FrameQueueTest, RealTimeInputDropsTheOldestWhenFull) {
    FrameQueue queue(3, OverflowPolicy::drop_oldest);
    for (int i = 0; i < 5; ++i) {
        auto frame = Frame::make(FrameType::input_audio, 0, 0, i);
        EXPECT_TRUE(queue.push(frame));
    }
    EXPECT_EQ(queue.size(), 3U);
    EXPECT_EQ(queue.dropped(), 2U);
    EXPECT_EQ(queue.pop().time_ns, 2);  // 0 and 1 went first
}

TEST(FrameQueueTest, OrderedDataRefusesWhenFullAndLosesNothingQueued) {
    FrameQueue queue(2, OverflowPolicy::reject);
    EXPECT_TRUE(queue.push(Frame::make(FrameType::response_text, 0, 1, 1)));
    EXPECT_TRUE(queue.push(Frame::make(FrameType::response_text, 0, 1, 2)));
    EXPECT_FALSE(queue.push(Frame::make(FrameType::response_text, 0, 1, 3)));
    EXPECT_EQ(queue.pop().time_ns, 1);
    EXPECT_EQ(queue.pop().time_ns, 2);
}

TEST(PipelineOverflow, ACallWhoseStrandFallsBehindKeepsTheNewestSecondOfAudio) {
    boost::asio::io_context io;
    Pipeline pipeline(io.get_executor(), {.input_audio_capacity = 50, .data_capacity = 16});
    std::vector<std::string> log;
    pipeline.add(std::make_unique<Probe>("only", log));
    std::vector<std::int64_t> delivered;
    pipeline.set_sink([&](const Frame& frame) { delivered.push_back(frame.time_ns); });
    boost::asio::post(io, [&] {
        for (int i = 0; i < 80; ++i) pipeline.enqueue(0, Frame::make(FrameType::input_audio, 0, 0, i));
        pipeline.run();
    });
    io.run();
    ASSERT_EQ(delivered.size(), 50U);
    EXPECT_EQ(delivered.front(), 30);
    EXPECT_EQ(pipeline.dropped_input(), 30U);
}

TEST(PipelineOverflow, AFullDataLaneRefusesThePushWithError) {
    boost::asio::io_context io;
    Pipeline pipeline(io.get_executor(), {.input_audio_capacity = 50, .data_capacity = 2});
    std::vector<std::string> log;
    pipeline.add(std::make_unique<Probe>("only", log));
    std::vector<FlowStatus> statuses;
    boost::asio::post(io, [&] {
        for (int i = 0; i < 3; ++i)
            statuses.push_back(pipeline.enqueue(0, Frame::make(FrameType::response_text, 0, pipeline.generation(), i)));
    });
    io.run();
    EXPECT_EQ(statuses, (std::vector<FlowStatus>{FlowStatus::ok, FlowStatus::ok, FlowStatus::error}));
}

TEST(PipelineStop, NothingIsHandledAfterStop) {
    boost::asio::io_context io;
    Pipeline pipeline(io.get_executor());
    std::vector<std::string> log;
    pipeline.add(std::make_unique<Probe>("only", log));
    boost::asio::post(io, [&] {
        pipeline.enqueue(0, Frame::make(FrameType::response_text, 0, pipeline.generation(), 0));
        pipeline.stop();
        pipeline.run();
        EXPECT_EQ(pipeline.enqueue(0, Frame::make(FrameType::response_text, 0, pipeline.generation(), 0)), FlowStatus::end);
    });
    io.run();
    EXPECT_TRUE(log.empty());
}

}  // namespace
}  // namespace vox::pipeline
