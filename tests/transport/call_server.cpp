// vox_test_call_server: stands in for voxd as far as voxctl call needs it.
// Serves POST /api/calls/start (docs/protocol.md section 1: bearer key,
// agent_id, sample_rate; 201 with socket_url, or problem+json), loads the real
// transport.websocket plugin, dials each call, and answers as EchoAgent does.
// Agents: "agent_echo" answers every turn with a 1 s tone; "agent_silent"
// never answers; any other id is 404 agent_not_found.
//
//   vox_test_call_server --port-file FILE --api-key KEY
//
// Writes its HTTP port to FILE once listening; runs until SIGTERM or SIGINT.
#include "echo_agent.hpp"
#include "transport_host.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>

namespace {

using vox::test::TransportHost;
using Poco::Net::HTTPResponse;

struct Options {
    std::string port_file;
    std::string api_key = "test-key-0123456789";
};

void answer(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const nlohmann::json& body,
            const std::string& type = "application/json") {
    response.setStatusAndReason(status);
    response.setContentType(type);
    std::string text = body.dump();
    response.setContentLength(static_cast<std::streamsize>(text.size()));
    response.send() << text;
}

void problem(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& code,
             const std::string& detail) {
    answer(response, status,
           {{"type", "about:blank"}, {"title", HTTPResponse::getReasonForStatus(status)}, {"status", static_cast<int>(status)},
            {"code", code}, {"detail", detail}},
           "application/problem+json");
}

class StartCallHandler final : public Poco::Net::HTTPRequestHandler {
public:
    StartCallHandler(TransportHost& host, const Options& options) : host_(host), options_(options) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string text;
        Poco::StreamCopier::copyToString(request.stream(), text);
        if (request.getURI() != "/api/calls/start" || request.getMethod() != "POST") {
            problem(response, HTTPResponse::HTTP_NOT_FOUND, "not_found", "only POST /api/calls/start is served here");
            return;
        }
        if (request.get("Authorization", "") != "Bearer " + options_.api_key) {
            problem(response, HTTPResponse::HTTP_UNAUTHORIZED, "unauthorized", "missing or wrong API key");
            return;
        }
        auto body = nlohmann::json::parse(text, nullptr, false);
        if (!body.is_object() || !body.contains("agent_id") || !body["agent_id"].is_string()) {
            problem(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "validation_failed", "agent_id is required");
            return;
        }
        const std::string agent = body["agent_id"].get<std::string>();
        if (agent != "agent_echo" && agent != "agent_silent") {
            problem(response, HTTPResponse::HTTP_NOT_FOUND, "agent_not_found", "agent " + agent + " does not exist");
            return;
        }
        const auto rate = body.value("sample_rate", 16000U);
        if (rate != 8000 && rate != 16000 && rate != 24000 && rate != 48000) {
            problem(response, HTTPResponse::HTTP_UNPROCESSABLE_ENTITY, "validation_failed",
                    "sample_rate must be 8000, 16000, 24000 or 48000");
            return;
        }
        static std::atomic<int> counter{0};
        const std::string call_id =
            std::string(agent == "agent_silent" ? "call_silent_" : "call_") + std::to_string(++counter);
        const std::string token = "tok" + std::to_string(std::random_device{}()) + std::to_string(counter.load());
        std::string message;
        if (host_.dial({{"call_id", call_id}, {"access_token", token}, {"expires_in_ms", 30000}, {"sample_rate", rate}},
                       &message) != VOX_OK) {
            problem(response, HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "transport_unavailable", message);
            return;
        }
        const std::string base = host_.describe().value("listen_url", "");
        answer(response, HTTPResponse::HTTP_CREATED,
               {{"call_id", call_id},
                {"agent_id", agent},
                {"access_token", token},
                {"expires_at", "2030-01-01T00:00:30.000Z"},
                {"socket_url", base + "/calls/" + call_id + "?access_token=" + token},
                {"events_url", ""},
                {"sample_rate", rate}});
    }

private:
    TransportHost& host_;
    const Options& options_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Factory(TransportHost& host, const Options& options) : host_(host), options_(options) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new StartCallHandler(host_, options_);
    }

private:
    TransportHost& host_;
    const Options& options_;
};

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string name = argv[i];
        if (name == "--port-file") options.port_file = argv[i + 1];
        else if (name == "--api-key") options.api_key = argv[i + 1];
        else {
            std::cerr << "unknown option " << name << "\n";
            return 64;
        }
    }
    if (options.port_file.empty()) {
        std::cerr << "usage: vox_test_call_server --port-file FILE [--api-key KEY]\n";
        return 64;
    }
    // Signals are taken by sigwait below, so block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    try {
        TransportHost host(VOX_TEST_TRANSPORT_PLUGIN);
        vox::test::EchoAgent agent(host, {});
        agent.attach();
        std::string message;
        if (host.start({}, &message) != VOX_OK) {
            std::cerr << "cannot start the transport: " << message << "\n";
            return 1;
        }
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        auto* params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(4);
        Poco::Net::HTTPServer server(new Factory(host, options), socket, params);
        server.start();
        {
            std::string temporary = options.port_file + ".tmp";
            std::ofstream(temporary) << socket.address().port() << "\n";
            std::rename(temporary.c_str(), options.port_file.c_str());
        }
        int received = 0;
        sigwait(&signals, &received);
        server.stopAll(true);
        host.stop();
    } catch (const std::exception& error) {
        std::cerr << "vox_test_call_server: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
