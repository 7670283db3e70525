// voxd's entry point.
#include "app/voxd_application.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>
#include <pthread.h>

#include <csignal>

int main(int argc, char** argv) {
    // Block the stop signals before any thread exists, so every thread inherits
    // the mask and they reach only ServerApplication::waitForTerminationRequest()
    // (sigwait). Otherwise a thread started earlier could receive SIGTERM and
    // its default action would kill the process without a drain.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    // A client that hangs up mid-response must not kill the server.
    std::signal(SIGPIPE, SIG_IGN);

    // Poco reports a bad command-line option through its root logger before
    // voxd's own logging exists; make that one line read like voxd's others.
    Poco::AutoPtr<Poco::FormattingChannel> console(new Poco::FormattingChannel(
        new Poco::PatternFormatter("voxd: %t (see voxd --help)"), new Poco::ConsoleChannel));
    vox::host::VoxdApplication app;
    app.logger().setChannel(console);
    return app.run(argc, argv);
}
