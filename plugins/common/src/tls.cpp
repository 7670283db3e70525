#include <vox/plugin_common/tls.hpp>

#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

namespace vox::plugin_common {

Poco::Net::Context::Ptr tls_context() {
    static Poco::Net::Context::Ptr context = [] {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                                             Poco::Net::Context::VERIFY_RELAXED, 9, true);
        // Without a handler Poco would look for one in an application's
        // configuration; a certificate that fails verification is refused.
        Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject = new Poco::Net::RejectCertificateHandler(false);
        Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, ctx);
        return ctx;
    }();
    return context;
}

}  // namespace vox::plugin_common
