// The function node against a real local TLS server: a throwaway CA and
// server certificates are made with the openssl CLI at test time; the plugin
// trusts that CA only through its ca_file setting. The chain and the host
// name are both verified.
#include "flow_node_test_support.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/StreamCopier.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace vox::test {
namespace {

namespace fs = std::filesystem;

// CA (ca.pem) signing two server certificates: localhost.pem for DNS:localhost
// and other.pem for DNS:other.example. EC keys: quick to make.
class Certificates {
public:
    Certificates() : dir_(fs::temp_directory_path() / ("vox_function_tls_" + std::to_string(::getpid()))) {
        fs::create_directories(dir_);
        run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem "
            "-days 2 -subj '/CN=Vox Test CA'");
        server("localhost", "DNS:localhost");
        server("other", "DNS:other.example");
    }
    ~Certificates() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

private:
    void run(const std::string& command) const {
        std::string line = "cd '" + dir_.string() + "' && " + command + " >openssl.log 2>&1";
        if (std::system(line.c_str()) != 0) {
            std::ifstream log(dir_ / "openssl.log");
            std::string output;
            for (std::string line_read; std::getline(log, line_read);) output += line_read + "\n";
            throw std::runtime_error("openssl failed: " + command + "\n" + output);
        }
    }
    void server(const std::string& name, const std::string& alt_name) const {
        std::ofstream(dir_ / (name + ".ext")) << "subjectAltName=" << alt_name << "\n";
        run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name + ".key -out " +
            name + ".csr -subj '/CN=" + name + "'");
        run("openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out " + name +
            ".pem -extfile " + name + ".ext");
    }

    fs::path dir_;
};

class HelloHandler : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        response.setContentType("application/json");
        response.send() << Json{{"hello", "tls"}, {"host", request.getHost()}}.dump();
    }
};

class HelloFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new HelloHandler;
    }
};

// An HTTPS server on 127.0.0.1 presenting `name`.pem.
class TlsServer {
public:
    TlsServer(const Certificates& certificates, const std::string& name)
        : context_(new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, certificates.path(name + ".key"),
                                          certificates.path(name + ".pem"), "", Poco::Net::Context::VERIFY_NONE)),
          socket_(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context_),
          server_(new HelloFactory, socket_, new Poco::Net::HTTPServerParams) {
        server_.start();
    }
    ~TlsServer() { server_.stopAll(true); }
    std::string url(const std::string& host) const {
        return "https://" + host + ":" + std::to_string(socket_.address().port()) + "/hello";
    }

private:
    Poco::Net::Context::Ptr context_;
    Poco::Net::SecureServerSocket socket_;
    Poco::Net::HTTPServer server_;
};

class FunctionNodeTls : public ::testing::Test {
protected:
    static void SetUpTestSuite() { certificates_ = std::make_unique<Certificates>(); }
    static void TearDownTestSuite() { certificates_.reset(); }

    static Json get(const std::string& url) {
        return {{"url", url}, {"method", "GET"}, {"timeout_ms", 3000}, {"result_variable", "r"}};
    }
    static Json trusting_the_ca() { return {{"flow_node.function", {{"ca_file", certificates_->path("ca.pem")}}}}; }

    static std::unique_ptr<Certificates> certificates_;
};

std::unique_ptr<Certificates> FunctionNodeTls::certificates_;

TEST_F(FunctionNodeTls, TrustsTheServerThroughCaFile) {
    TlsServer server(*certificates_, "localhost");
    ConfiguredNodes nodes(trusting_the_ca());
    ASSERT_EQ(nodes.refusal(), "");
    Json actions = nodes.step("function", get(server.url("localhost")));
    EXPECT_FALSE(actions.contains("error")) << actions;
    EXPECT_EQ(actions.at("http_status"), 200);
    EXPECT_EQ(actions.at("set_variables").at("r").at("hello"), "tls") << actions;
    // The Host header names the host, not the address connected to.
    EXPECT_EQ(actions.at("set_variables").at("r").at("host").get<std::string>().rfind("localhost:", 0), 0u);
}

TEST_F(FunctionNodeTls, WithoutCaFileTheCertificateIsNotTrusted) {
    TlsServer server(*certificates_, "localhost");
    ConfiguredNodes nodes(Json::object());
    Json actions = nodes.step("function", get(server.url("localhost")));
    EXPECT_EQ(actions.value("error_code", ""), "tls") << actions;
    EXPECT_NE(actions.value("error", "")
                  .find("certificate verify failed for localhost: unable to get local issuer "
                        "certificate (if the server's CA is your own, set ca_file)"),
              std::string::npos)
        << actions;
    EXPECT_EQ(actions.at("set_variables"), Json::object());
}

TEST_F(FunctionNodeTls, ACertificateForAnotherNameFails) {
    TlsServer other(*certificates_, "other");
    ConfiguredNodes nodes(trusting_the_ca());
    Json actions = nodes.step("function", get(other.url("localhost")));
    EXPECT_EQ(actions.value("error_code", ""), "tls") << actions;
    EXPECT_EQ(actions.value("error", ""),
              "certificate verify failed: the certificate of localhost is for other names (other.example), not "
              "localhost");
    EXPECT_EQ(actions.at("set_variables"), Json::object());

    // Calling the address a localhost certificate is served on is no match either
    // (no local-host exemption).
    TlsServer server(*certificates_, "localhost");
    Json by_address = nodes.step("function", get(server.url("127.0.0.1")));
    EXPECT_EQ(by_address.value("error_code", ""), "tls") << by_address;
    EXPECT_NE(by_address.value("error", "").find("is for other names (localhost), not 127.0.0.1"), std::string::npos)
        << by_address;
}

TEST_F(FunctionNodeTls, ACaFileThatIsNoCertificateRefusesThePlugin) {
    std::string bogus = certificates_->path("bogus.pem");
    std::ofstream(bogus) << "not a certificate\n";
    ConfiguredNodes nodes(Json{{"flow_node.function", {{"ca_file", bogus}}}});
    EXPECT_NE(nodes.refusal().find("flow_node.function: ca_file '" + bogus + "' holds no usable PEM certificate"),
              std::string::npos)
        << nodes.refusal();
}

}  // namespace
}  // namespace vox::test
