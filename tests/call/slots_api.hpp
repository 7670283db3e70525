// A local stand-in for a business's API in call tests: answers any request
// with the free slots, after a delay, and remembers the last request.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>

namespace vox::test {

class SlotsApi {
public:
    explicit SlotsApi(std::chrono::milliseconds delay)
        : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          server_(new Factory(*this, delay), socket_, new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~SlotsApi() { server_.stopAll(true); }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
    }
    std::string last_uri() const {
        std::lock_guard lock(mutex_);
        return last_uri_;
    }
    std::string last_body() const {
        std::lock_guard lock(mutex_);
        return last_body_;
    }

private:
    class Handler : public Poco::Net::HTTPRequestHandler {
    public:
        Handler(SlotsApi& api, std::chrono::milliseconds delay) : api_(api), delay_(delay) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            std::string body;
            Poco::StreamCopier::copyToString(request.stream(), body);
            {
                std::lock_guard lock(api_.mutex_);
                api_.last_uri_ = request.getURI();
                api_.last_body_ = body;
            }
            std::this_thread::sleep_for(delay_);
            response.setContentType("application/json");
            response.send() << R"({"day": "tuesday", "slots": ["9am", "2pm"]})";
        }

    private:
        SlotsApi& api_;
        std::chrono::milliseconds delay_;
    };
    class Factory : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        Factory(SlotsApi& api, std::chrono::milliseconds delay) : api_(api), delay_(delay) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(api_, delay_);
        }

    private:
        SlotsApi& api_;
        std::chrono::milliseconds delay_;
    };

    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPServer server_;
    mutable std::mutex mutex_;
    std::string last_uri_;
    std::string last_body_;
};

}  // namespace vox::test
