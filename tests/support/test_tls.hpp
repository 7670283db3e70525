// TLS for the fake servers: a throwaway CA and server certificates made with
// the openssl CLI at test time (EC keys: quick to make), and the listening
// socket of a fake, plain or TLS (Poco::Net::SecureServerSocket).
#pragma once

#include <Poco/Net/ServerSocket.h>

#include <filesystem>
#include <string>

namespace vox::test {

// A fake's TLS mode: the server's certificate and key (PEM). Empty: plain
// ws:// and http://, the fakes' default.
struct ServerTls {
    std::string certificate_file;
    std::string key_file;
    bool enabled() const { return !certificate_file.empty(); }
};

// ca.pem, signing "localhost" (for DNS:localhost and IP:127.0.0.1) and
// "other" (for DNS:other.example only). Removed again by the destructor.
class TestCertificates {
public:
    TestCertificates();
    ~TestCertificates();
    TestCertificates(const TestCertificates&) = delete;
    TestCertificates& operator=(const TestCertificates&) = delete;

    std::string ca_file() const { return path("ca.pem"); }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }
    // The server side of certificate `name` ("localhost" or "other").
    ServerTls server(const std::string& name) const { return {path(name + ".pem"), path(name + ".key")}; }

private:
    void run(const std::string& command) const;
    void make_server(const std::string& name, const std::string& alt_names) const;

    std::filesystem::path dir_;
};

// A socket on 127.0.0.1, any free port, listening: TLS when `tls` is enabled.
Poco::Net::ServerSocket listening_socket(const ServerTls& tls, int backlog = 64);

}  // namespace vox::test
