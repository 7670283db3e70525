// The JSON Schema files of core/schemas, embedded by cmake/EmbedSchemas.cmake.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vox {

const std::vector<std::pair<std::string, std::string>>& embedded_schemas();

}  // namespace vox
