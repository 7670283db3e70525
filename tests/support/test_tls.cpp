#include "test_tls.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace vox::test {

namespace fs = std::filesystem;

TestCertificates::TestCertificates() {
    static std::atomic<int> made{0};
    dir_ = fs::temp_directory_path() /
           ("vox_test_tls_" + std::to_string(::getpid()) + "_" + std::to_string(made.fetch_add(1)));
    fs::create_directories(dir_);
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem "
        "-days 2 -subj '/CN=Vox Test CA'");
    make_server("localhost", "DNS:localhost,IP:127.0.0.1");
    make_server("other", "DNS:other.example");
}

TestCertificates::~TestCertificates() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

void TestCertificates::run(const std::string& command) const {
    std::string line = "cd '" + dir_.string() + "' && " + command + " >openssl.log 2>&1";
    if (std::system(line.c_str()) != 0) {
        std::ifstream log(dir_ / "openssl.log");
        std::string output;
        for (std::string read; std::getline(log, read);) output += read + "\n";
        throw std::runtime_error("openssl failed: " + command + "\n" + output);
    }
}

void TestCertificates::make_server(const std::string& name, const std::string& alt_names) const {
    std::ofstream(dir_ / (name + ".ext")) << "subjectAltName=" << alt_names << "\n";
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name + ".key -out " + name +
        ".csr -subj '/CN=" + name + "'");
    run("openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out " + name +
        ".pem -extfile " + name + ".ext");
}

Poco::Net::ServerSocket listening_socket(const ServerTls& tls, int backlog) {
    Poco::Net::SocketAddress address("127.0.0.1", 0);
    if (!tls.enabled()) {
        Poco::Net::ServerSocket socket;
        socket.bind(address, true);
        socket.listen(backlog);
        return socket;
    }
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, tls.key_file,
                                                             tls.certificate_file, "", Poco::Net::Context::VERIFY_NONE);
    // The ServerSocket handle keeps the secure implementation: accepted
    // connections are TLS.
    return Poco::Net::SecureServerSocket(address, backlog, context);
}

}  // namespace vox::test
