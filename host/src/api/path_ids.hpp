// Ids taken from the request path: a malformed one names nothing (404), and is
// never sent to the database.
#pragma once

#include "http/http_exchange.hpp"
#include "http/problem_error.hpp"

#include <vox/core/id_format.hpp>

#include <string>

namespace vox::host {

// The {param} of the path, or a 404 naming `what` when it is not a "<prefix>_..." id.
inline std::string path_id(const HttpExchange& exchange, std::string_view param, std::string_view prefix,
                           const std::string& what) {
    std::string id = exchange.param(param);
    if (!is_id_of(prefix, id)) throw not_found(what, "'" + id.substr(0, 80) + "'");
    return id;
}

}  // namespace vox::host
