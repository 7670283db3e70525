#include "local_http_server.hpp"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>

#include <utility>

namespace vox::test {

namespace {

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(LocalHttpServer::MakeHandler make_handler) : make_handler_(std::move(make_handler)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return make_handler_();
    }

private:
    LocalHttpServer::MakeHandler make_handler_;
};

}  // namespace

LocalHttpServer::LocalHttpServer(MakeHandler make_handler, const ServerTls& tls, Options options)
    : tls_(tls.enabled()), socket_(listening_socket(tls)) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.max_threads);
    if (options.max_queued) params->setMaxQueued(*options.max_queued);
    params->setKeepAlive(options.keep_alive);
    http_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(std::move(make_handler)), socket_, params);
    http_->start();
}

LocalHttpServer::~LocalHttpServer() { stop(); }

std::uint16_t LocalHttpServer::port() const { return socket_.address().port(); }

std::string LocalHttpServer::url(const std::string& scheme, const std::string& path) const {
    return (tls_ ? scheme + "s" : scheme) + "://127.0.0.1:" + std::to_string(port()) + path;
}

void LocalHttpServer::stop() {
    if (stopped_) return;
    stopped_ = true;
    http_->stopAll(true);
}

}  // namespace vox::test
