#include "http_client.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cctype>

namespace vox::test {

std::string HttpReply::header(const std::string& lower_name) const {
    auto found = headers.find(lower_name);
    return found == headers.end() ? std::string() : found->second;
}

HttpReply http_request(Poco::Net::HTTPClientSession& session, const std::string& method, const std::string& path,
                       const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
    if (method == "POST" || method == "PUT") request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(body, reply.body);
    for (const auto& [name, value] : response) {
        std::string lower = name;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        reply.headers[lower] = value;
    }
    return reply;
}

HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    auto with_key = headers;
    if (!with_key.count("Authorization")) with_key["Authorization"] = std::string("Bearer ") + kTestApiKey;
    if (with_key["Authorization"].empty()) with_key.erase("Authorization");
    return http_request(session, method, path, with_key);
}

}  // namespace vox::test
