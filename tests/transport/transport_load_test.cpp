// transport.websocket under load and at shutdown: 50 calls with audio both
// ways served by the one reactor thread (its CPU time measured), and stop()
// with calls open.
#include "transport_test_support.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <dirent.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace vox::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The ids of this process's threads named `name`.
std::vector<std::string> threads_named(const std::string& name) {
    std::vector<std::string> ids;
    DIR* dir = opendir("/proc/self/task");
    if (dir == nullptr) return ids;
    while (dirent* entry = readdir(dir)) {
        std::string id = entry->d_name;
        if (id == "." || id == "..") continue;
        std::ifstream comm("/proc/self/task/" + id + "/comm");
        std::string comm_name;
        std::getline(comm, comm_name);
        if (comm_name == name) ids.push_back(id);
    }
    closedir(dir);
    return ids;
}

// CPU time (user + system) of one thread of this process, in ms.
double thread_cpu_ms(const std::string& id) {
    std::ifstream stat("/proc/self/task/" + id + "/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::vector<std::string> values;
    for (std::string value; fields >> value;) values.push_back(value);
    // After the name: state is field 3, utime 14, stime 15 (1-based) -> indexes 11 and 12 here.
    double ticks = std::stod(values.at(11)) + std::stod(values.at(12));
    return ticks * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

TEST_F(TransportTest, FiftyCallsOnOneReactorThread) {
    constexpr int kCalls = 50;
    host_->set_echo(true);
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < kCalls; ++i) clients.push_back(connect("call_load_" + std::to_string(i)));
    ASSERT_EQ(host_->describe().value("active_calls", 0), kCalls);

    auto reactors = threads_named("vox-ws-reactor");
    ASSERT_EQ(reactors.size(), 1u) << "one reactor thread serves every call";
    const double cpu_before = thread_cpu_ms(reactors.front());

    // Every caller sends 20 ms frames in real time for 3 s; the host echoes them.
    const auto frame = tone(16000, 440, 0.02);
    const auto started = Clock::now();
    const int frames = 150;
    for (int f = 0; f < frames; ++f) {
        for (auto& client : clients) client->send_audio(frame);
        std::this_thread::sleep_until(started + std::chrono::milliseconds(20 * (f + 1)));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    const double cpu_ms = thread_cpu_ms(reactors.front()) - cpu_before;

    for (int i = 0; i < kCalls; ++i) {
        const std::string id = "call_load_" + std::to_string(i);
        EXPECT_TRUE(host_->wait([&](const auto& calls) { return calls.at(id).audio.size() == frame.size() * frames; }))
            << id;
        EXPECT_TRUE(clients[static_cast<std::size_t>(i)]->wait(
            [&](const std::vector<Received>& all) {
                std::size_t bytes = 0;
                for (const auto& message : all) bytes += message.binary ? message.data.size() : 0;
                return bytes == frame.size() * 2 * frames;
            },
            3s))
            << id << " got " << clients[static_cast<std::size_t>(i)]->binary_bytes() << " bytes";
    }
    std::printf("[ figures ] %d calls, audio both ways for %.2f s: reactor thread CPU %.0f ms (%.1f%% of one core)\n",
                kCalls, seconds, cpu_ms, 100.0 * cpu_ms / (seconds * 1000.0));
    EXPECT_LT(cpu_ms / (seconds * 1000.0), 0.5) << "the reactor should be far from saturated";
    for (auto& client : clients) client->close();
    EXPECT_TRUE(host_->wait([&](const auto& calls) {
        for (const auto& [id, call] : calls)
            if (!call.ended) return false;
        return true;
    }));
}

TEST_F(TransportTest, StopClosesOpenCallsWithoutCallbacks) {
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 3; ++i) clients.push_back(connect("call_stop_" + std::to_string(i)));
    ASSERT_EQ(host_->play(handle("call_stop_0"), 1, tone(16000, 440, 5.0)), VOX_OK);
    ASSERT_EQ(host_->dial("call_never", "never"), VOX_OK);
    std::this_thread::sleep_for(100ms);

    auto before = Clock::now();
    host_->stop();
    auto took = Clock::now() - before;
    EXPECT_LT(took, 2s);
    const std::size_t callbacks = host_->callbacks();
    for (auto& client : clients) {
        EXPECT_TRUE(client->wait_closed());
        EXPECT_EQ(client->close_code().value_or(0), 1000);
    }
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(host_->callbacks(), callbacks) << "no callback after stop()";
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(host_->call("call_stop_" + std::to_string(i)).ended);
    EXPECT_FALSE(host_->describe().value("running", true));
    EXPECT_THROW(Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", port_)), Poco::Exception);
    EXPECT_TRUE(threads_named("vox-ws-reactor").empty());
    // The handles of stopped calls stay safe to use; they just refuse.
    EXPECT_NE(host_->play(handle("call_stop_1"), 1, tone(16000, 440, 0.1)), VOX_OK);
    EXPECT_EQ(host_->clear(handle("call_stop_1"), 1), 0u);

    // And the transport starts again.
    std::string message;
    ASSERT_EQ(host_->start({}, &message), VOX_OK) << message;
    port_ = host_->port();
    auto again = connect("call_again");
    EXPECT_EQ(host_->describe().value("active_calls", 0), 1);
}

}  // namespace
}  // namespace vox::test
