#include "http/request_id.hpp"

#include <Poco/UUIDGenerator.h>

#include <algorithm>

namespace vox::host {

std::string choose_request_id(std::string_view from_client) {
    auto token_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == ':' || c == '-';
    };
    if (!from_client.empty() && from_client.size() <= 128 &&
        std::all_of(from_client.begin(), from_client.end(), token_char))
        return std::string(from_client);
    return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

}  // namespace vox::host
