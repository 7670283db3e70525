#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/tls.hpp>

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/X509Certificate.h>
#include <nlohmann/json.hpp>
// OpenSSL comes with Poco::Crypto (its interface links OpenSSL::SSL).
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>

namespace vox::plugin_common {
namespace {

// The handshake runs on the connecting thread: the verify callback leaves
// the first refusal here so the error can say why, not only "handshake failed".
struct VerifyFailure {
    std::string reason;  // OpenSSL's text, e.g. "unable to get local issuer certificate"
    std::string names;   // on a name mismatch: the names the certificate is for
    bool name_mismatch = false;
};
thread_local VerifyFailure t_failure;

std::string certificate_names(X509* certificate) {
    if (certificate == nullptr) return {};
    Poco::Net::X509Certificate poco(certificate, true);
    std::set<std::string> names;
    std::string common_name;
    poco.extractNames(common_name, names);
    std::string listed;
    for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
    return listed.empty() ? common_name : listed;
}

int remember_failure(int ok, X509_STORE_CTX* store) {
    if (ok == 0 && t_failure.reason.empty()) {
        int error = X509_STORE_CTX_get_error(store);
        t_failure.reason = X509_verify_cert_error_string(error);
        t_failure.name_mismatch = error == X509_V_ERR_HOSTNAME_MISMATCH || error == X509_V_ERR_IP_ADDRESS_MISMATCH;
        if (t_failure.name_mismatch) t_failure.names = certificate_names(X509_STORE_CTX_get_current_cert(store));
    }
    return ok;
}

Poco::Net::Context::Ptr make_context(const std::string& host, const std::string& ca_file) {
    static std::once_flag ssl_initialized;
    std::call_once(ssl_initialized, [] { Poco::Net::initializeSSL(); });
    Poco::Net::Context::Params params;
    params.caLocation = ca_file;
    params.loadDefaultCAs = true;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    // Poco's own name check skips localhost; OpenSSL checks the name instead,
    // during the handshake, before any byte of a request (or the key) goes out.
    context->enableExtendedCertificateVerification(false);
    X509_VERIFY_PARAM* verify = SSL_CTX_get0_param(context->sslContext());
    Poco::Net::IPAddress address;
    bool set = Poco::Net::IPAddress::tryParse(host, address)
                   ? X509_VERIFY_PARAM_set1_ip_asc(verify, host.c_str()) == 1
                   : X509_VERIFY_PARAM_set1_host(verify, host.c_str(), 0) == 1;
    if (!set) throw Poco::InvalidArgumentException("cannot verify certificates for host '" + host + "'");
    // OpenSSL's verdict, not SSLManager's handler (an accepting one installed
    // by another part of the process must not switch verification off).
    SSL_CTX_set_verify(context->sslContext(), SSL_VERIFY_PEER, &remember_failure);
    return context;
}

// Which version of the CA file a cached context was made from.
std::string file_version(const std::string& path) {
    std::error_code error;
    auto size = std::filesystem::file_size(path, error);
    auto written = std::filesystem::last_write_time(path, error);
    return std::to_string(size) + "@" + std::to_string(written.time_since_epoch().count());
}

}  // namespace

Poco::Net::Context::Ptr tls_context(const std::string& host, const std::string& ca_file) {
    static std::mutex mutex;
    static std::map<std::string, Poco::Net::Context::Ptr> contexts;
    // A CA file rewritten (a renewed private CA) gets a new context.
    std::string key = host + '\n' + ca_file + '\n' + (ca_file.empty() ? "" : file_version(ca_file));
    std::lock_guard lock(mutex);
    auto found = contexts.find(key);
    if (found != contexts.end()) return found->second;
    try {
        return contexts[key] = make_context(host, ca_file);
    } catch (const Poco::Exception& e) {
        invalid(ca_file.empty() ? "cannot set up TLS for " + host + ": " + e.displayText()
                                : "ca_file '" + ca_file + "' holds no usable PEM certificate: " + e.displayText());
    }
}

std::string ca_file_setting(const nlohmann::json& value, const std::string& provider) {
    if (!value.is_string()) invalid(provider + ": \"ca_file\" must be the path of a PEM file");
    std::string path = value.get<std::string>();
    if (path.empty()) return path;
    // Poco would say "FileNotFoundException" or an OpenSSL code: say what is wrong.
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error) || !std::ifstream(path))
        invalid(provider + ": ca_file '" + path + "' is not a readable file");
    try {
        make_context("localhost", path);
    } catch (const Poco::Exception& e) {
        invalid(provider + ": ca_file '" + path + "' holds no usable PEM certificate: " + e.displayText());
    }
    return path;
}

void begin_tls_handshake() { t_failure = {}; }

std::string certificate_failure(const std::string& host) {
    if (t_failure.reason.empty()) return {};
    if (t_failure.name_mismatch)
        return "certificate verify failed: the certificate of " + host + " is for other names (" + t_failure.names +
               "), not " + host;
    return "certificate verify failed for " + host + ": " + t_failure.reason +
           " (if the server's CA is your own, set ca_file)";
}

}  // namespace vox::plugin_common
