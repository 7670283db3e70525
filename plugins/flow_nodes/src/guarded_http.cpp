#include "guarded_http.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <Poco/Timespan.h>
// OpenSSL comes with Poco::Crypto (its interface links OpenSSL::SSL).
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <set>

namespace vox::flow_nodes {
namespace {

using Clock = std::chrono::steady_clock;

// The handshake runs on the calling thread: the verify callback leaves the
// first chain error here so the step can say why, not just "handshake failed".
thread_local std::string t_verify_error;

int remember_verify_error(int ok, X509_STORE_CTX* store) {
    if (ok == 0 && t_verify_error.empty())
        t_verify_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(store));
    return ok;
}

Poco::Timespan timespan(std::chrono::milliseconds duration) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(duration.count()) * 1000);
}

[[noreturn]] void timed_out(const HttpCall& call) {
    throw CallFailure("timeout", "the API at '" + call.uri.toString() + "' did not answer within " +
                                     std::to_string(call.timeout.count()) + " ms");
}

// The host's addresses, IPv4 first (as Poco's own SocketAddress picks them).
std::vector<Poco::Net::IPAddress> resolve(const std::string& host) {
    Poco::Net::IPAddress literal;
    if (Poco::Net::IPAddress::tryParse(host, literal)) return {literal};
    std::vector<Poco::Net::IPAddress> addresses;
    try {
        addresses = Poco::Net::DNS::hostByName(host).addresses();
    } catch (const Poco::Exception& e) {
        throw CallFailure("connect", "cannot resolve the host name '" + host + "': " + e.displayText());
    }
    if (addresses.empty()) throw CallFailure("connect", "the host name '" + host + "' has no address");
    std::stable_partition(addresses.begin(), addresses.end(),
                          [](const auto& address) { return address.family() == Poco::Net::IPAddress::IPv4; });
    return addresses;
}

// Every address is checked, not only the one connected to: a name that also
// points into a blocked network is refused as a whole.
Poco::Net::IPAddress checked_address(const FunctionSettings& settings, const std::string& host) {
    std::vector<Poco::Net::IPAddress> addresses = resolve(host);
    for (const auto& address : addresses) {
        if (const Network* network = settings.guard.blocking(address)) {
            std::string shown = address.toString() == host ? host : host + " (" + address.toString() + ")";
            throw CallFailure("blocked_address", "the function node may not call " + shown + ": " +
                                                     network->describe() + " are blocked; see " + network->setting);
        }
    }
    return addresses.front();
}

Poco::Net::StreamSocket connect(const HttpCall& call, const Poco::Net::IPAddress& address) {
    Poco::Net::StreamSocket socket;
    Poco::Net::SocketAddress target(address, call.uri.getPort());
    try {
        socket.connect(target, timespan(call.timeout));
    } catch (const Poco::TimeoutException&) {
        timed_out(call);
    } catch (const Poco::Exception& e) {
        throw CallFailure("connect", "cannot connect to " + target.toString() + " for '" + call.uri.toString() +
                                         "': " + e.displayText());
    }
    socket.setReceiveTimeout(timespan(call.timeout));
    socket.setSendTimeout(timespan(call.timeout));
    return socket;
}

// RFC 6125 name matching by OpenSSL (Poco's own check skips localhost and
// resolves the certificate's names through DNS).
void check_host_name(const Poco::Net::SecureStreamSocket& socket, const std::string& host) {
    Poco::Net::X509Certificate certificate = socket.peerCertificate();
    auto* x509 = const_cast<X509*>(certificate.certificate());
    Poco::Net::IPAddress literal;
    bool matches = Poco::Net::IPAddress::tryParse(host, literal)
                       ? X509_check_ip_asc(x509, host.c_str(), 0) == 1
                       : X509_check_host(x509, host.data(), host.size(), 0, nullptr) == 1;
    if (matches) return;
    std::set<std::string> names;
    std::string common_name;
    certificate.extractNames(common_name, names);
    std::string listed;
    for (const auto& name : names) listed += (listed.empty() ? "" : ", ") + name;
    if (listed.empty()) listed = common_name;
    throw CallFailure("tls", "certificate verify failed: the certificate of " + host + " is for other names (" +
                                 listed + "), not " + host);
}

Poco::Net::SecureStreamSocket handshake(const FunctionSettings& settings, const HttpCall& call,
                                        const Poco::Net::StreamSocket& plain) {
    const std::string& host = call.uri.getHost();
    Poco::Net::IPAddress literal;
    bool by_address = Poco::Net::IPAddress::tryParse(host, literal);
    t_verify_error.clear();
    Poco::Net::SecureStreamSocket socket;
    try {
        // The host name goes out as SNI (not for an address: RFC 6066).
        socket = by_address ? Poco::Net::SecureStreamSocket::attach(plain, settings.tls)
                            : Poco::Net::SecureStreamSocket::attach(plain, host, settings.tls);
    } catch (const Poco::TimeoutException&) {
        timed_out(call);
    } catch (const Poco::Exception& e) {
        if (!t_verify_error.empty())
            throw CallFailure("tls", "certificate verify failed for " + host + ": " + t_verify_error +
                                         " (if the server's CA is your own, set ca_file)");
        throw CallFailure("tls", "the TLS handshake with " + host + " failed: " + e.displayText());
    }
    try {
        check_host_name(socket, host);
    } catch (const Poco::Exception& e) {
        // A handshake that timed out half-way leaves no peer certificate to read.
        throw CallFailure("tls", "the TLS handshake with " + host + " failed: " + e.displayText());
    }
    return socket;
}

std::string read_body(const FunctionSettings& settings, const HttpCall& call, Poco::Net::HTTPClientSession& session,
                      std::istream& in, Clock::time_point deadline) {
    std::string body;
    char buffer[8192];
    // One byte past the limit tells "too large" from "exactly the limit".
    while (in && body.size() <= settings.max_response_bytes) {
        std::size_t wanted = std::min(sizeof buffer, settings.max_response_bytes + 1 - body.size());
        in.read(buffer, static_cast<std::streamsize>(wanted));
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        // A server dribbling bytes must not hold the call past its timeout.
        if (in && Clock::now() > deadline) timed_out(call);
    }
    if (in.bad()) {
        if (const Poco::Exception* e = session.networkException()) e->rethrow();
        throw CallFailure("connect", "reading the answer of '" + call.uri.toString() + "' failed");
    }
    if (body.size() > settings.max_response_bytes)
        throw CallFailure("response_too_large", "the answer of '" + call.uri.toString() + "' is larger than " +
                                                    std::to_string(settings.max_response_bytes) +
                                                    " bytes (max_response_bytes)");
    return body;
}

}  // namespace

HttpAnswer guarded_request(const FunctionSettings& settings, const HttpCall& call) {
    Clock::time_point deadline = Clock::now() + call.timeout;
    bool https = call.uri.getScheme() == "https";
    Poco::Net::StreamSocket socket = connect(call, checked_address(settings, call.uri.getHost()));
    if (https) socket = handshake(settings, call, socket);
    try {
        // A session on the connected socket with no host of its own: it never
        // resolves or reconnects by name.
        Poco::Net::HTTPClientSession session(socket);
        session.setTimeout(timespan(call.timeout));
        std::string path = call.uri.getPathEtc().empty() ? "/" : call.uri.getPathEtc();
        Poco::Net::HTTPRequest request(call.method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setHost(call.uri.getHost(), call.uri.getPort());
        request.setKeepAlive(false);
        for (const auto& [name, value] : call.headers) request.set(name, value);
        if (!call.body.empty() && !request.has("Content-Type")) request.setContentType("application/json");
        if (!call.body.empty() || call.method != "GET")
            request.setContentLength(static_cast<std::streamsize>(call.body.size()));
        session.sendRequest(request) << call.body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        if (response.hasContentLength() &&
            response.getContentLength64() > static_cast<Poco::Int64>(settings.max_response_bytes))
            throw CallFailure("response_too_large", "the answer of '" + call.uri.toString() + "' is " +
                                                        std::to_string(response.getContentLength64()) +
                                                        " bytes, more than max_response_bytes (" +
                                                        std::to_string(settings.max_response_bytes) + ")");
        return {static_cast<int>(response.getStatus()), read_body(settings, call, session, in, deadline)};
    } catch (const Poco::TimeoutException&) {
        timed_out(call);
    } catch (const Poco::Net::SSLException& e) {
        throw CallFailure("tls", "the TLS connection to " + call.uri.getHost() + " failed: " + e.displayText());
    } catch (const Poco::Exception& e) {
        throw CallFailure("connect", "the request to '" + call.uri.toString() + "' failed: " + e.displayText());
    }
}

Poco::Net::Context::Ptr make_tls_context(const std::string& ca_file) {
    Poco::Net::Context::Params params;
    params.caLocation = ca_file;
    params.loadDefaultCAs = true;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    // The host name is checked in check_host_name().
    context->enableExtendedCertificateVerification(false);
    // OpenSSL's own verdict on the chain, not Poco's SSLManager's: an
    // invalid-certificate handler another part of the process installs (an
    // accepting one, say) must not turn verification off for this node.
    SSL_CTX_set_verify(context->sslContext(), SSL_VERIFY_PEER, &remember_verify_error);
    return context;
}

}  // namespace vox::flow_nodes
