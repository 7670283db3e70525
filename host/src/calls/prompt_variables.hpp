// {{name}} placeholders in an agent's prompt and begin message, filled from
// the call's dynamic variables: "Hello {{customer_name}}" with
// {"customer_name": "Ada"} reads "Hello Ada". Spaces inside the braces are
// allowed ({{ name }}); a name without a value is left as written.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace vox::host {

std::string fill_variables(std::string_view text, const nlohmann::json& variables);

}  // namespace vox::host
